//! The conflict engine: from a snapshot of meetings, people, venues, travel
//! times and unavailability, the problems in a programme (double bookings,
//! impossible transfers, closed or crowded venues, days outside the visit,
//! stretches without a break), and, a separate step for the conflicts shown,
//! the earliest slot that would fix each.
//!
//! Pure code: no database, no HTTP. It looks across all visits, since an
//! official can be booked by two. Intervals are half-open: a meeting ending at
//! 10:00 does not clash with one starting at 10:00. To stay fast on large
//! programmes it sorts once and sweeps each resource's meetings with an active
//! set, so the work grows with the meetings and the clashes, not with all pairs;
//! from a few thousand meetings on it shares the work between two threads, and
//! says exactly what it says on one.
//!
//! ```text
//! let mut conflicts = find_conflicts(&snapshot, Some(visit_id));
//! suggest_slots(&snapshot, &mut conflicts[..shown]);
//! let words = i18n::conflicts::Describer::new(&snapshot);
//! for c in &conflicts { println!("{}", words.describe(c, Language::Ru)); }
//! ```

mod buffer;
mod clash;
mod conflict;
mod engine;
mod index;
mod lookup;
mod snapshot;
mod suggest;
mod travel;

#[cfg(test)]
mod oracle;
#[cfg(test)]
pub(crate) mod tests;

pub use clash::{group_clashes, Clash};
pub use conflict::{
    Conflict, ConflictDetails, ConflictKind, MeetingIds, Severity, Subject, TravelEstimate,
};
pub use engine::{find_conflicts, official_transfers, suggest_slots};
pub use lookup::{Lookup, Shown};
pub use snapshot::{EngineSettings, Group, Meeting, Official, Participant, Snapshot, Venue, Visit};
pub use travel::{estimate as estimate_travel, travel_minutes, Transfer};

// Snapshot parts shared with the rest of the domain, re-exported so callers
// can build a snapshot from this module alone.
pub use crate::domain::model::{
    Coordinates, OpeningHours, TravelTime, Unavailability, Unavailable,
};
