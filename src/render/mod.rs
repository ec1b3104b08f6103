//! The formats people read, made from domain values: the timeline picture of
//! a day (its geometry worked out apart from its drawing) and iCalendar files.
//!
//! Pure like the domain: no database, no HTTP, no mail. It may read
//! `crate::domain`; the domain never reads this.

pub mod calendar;
pub mod timeline;
