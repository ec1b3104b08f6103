//! The formats people read, made from domain values: the timeline picture of
//! a day (its geometry worked out apart from its drawing), iCalendar files,
//! and the Word and CSV documents offices exchange (the programme, access lists).
//!
//! Pure like the domain: no database, no HTTP, no mail. It may read
//! `crate::domain`, and the catalogue's words (`crate::i18n`) for the
//! headings of documents; the domain never reads this.

pub mod calendar;
pub mod docx;
pub mod timeline;
