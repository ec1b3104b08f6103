//! How long the road from one venue to another takes: an explicit entry (either
//! direction), else the straight-line distance at road speed plus a margin for
//! boarding and security, else a default. The engine and the timeline picture
//! both count it this way, and both take the transfers themselves from
//! [`consecutive_transfers`]: the picture draws what the rule judged.

use chrono::{DateTime, Utc};

use super::conflict::TravelEstimate;
use super::index::{chord, instant, road_minutes, unit_vector, Entry, Index, NONE};
use super::snapshot::{EngineSettings, Snapshot};
use crate::domain::model::Coordinates;

/// A way an official has to go: from one of their meetings with a venue to
/// their next meeting with a venue (meetings without one are passed over,
/// cancelled ones are not there), at another venue, after the first ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transfer {
    pub official_id: i64,
    pub from_meeting_id: i64,
    pub to_meeting_id: i64,
    pub from_venue_id: i64,
    pub to_venue_id: i64,
    /// When the earlier meeting ends.
    pub from_end: DateTime<Utc>,
    /// When the later meeting starts.
    pub to_start: DateTime<Utc>,
    /// The travel time, as the engine counts it.
    pub needed_minutes: i64,
    pub estimate: TravelEstimate,
}

impl Transfer {
    pub(super) fn between(ix: &Index, official_id: i64, from: &Entry, to: &Entry) -> Self {
        let (needed_minutes, estimate) = ix.travel_minutes(from.venue, to.venue);
        Self {
            official_id,
            from_meeting_id: ix.meeting_id(from.meeting),
            to_meeting_id: ix.meeting_id(to.meeting),
            from_venue_id: ix.venue_ids[from.venue as usize],
            to_venue_id: ix.venue_ids[to.venue as usize],
            from_end: instant(from.end).unwrap_or_default(),
            to_start: instant(to.start).unwrap_or_default(),
            needed_minutes,
            estimate,
        }
    }

    /// Whole minutes between the two meetings.
    pub fn gap_minutes(&self) -> i64 {
        (self.to_start - self.from_end).num_minutes()
    }

    /// The gap is shorter than the travel: the engine's travel error.
    pub fn too_short(&self) -> bool {
        (self.to_start - self.from_end).num_seconds() < self.needed_minutes * 60
    }
}

/// Calls `each(from, to)` for every transfer along one official's or group's
/// meetings (in start order): consecutive meetings among those with a venue,
/// at different venues, the later starting no earlier than the first ends.
pub(super) fn consecutive_transfers<'a>(
    entries: &'a [Entry],
    mut each: impl FnMut(&'a Entry, &'a Entry),
) {
    let mut previous: Option<&Entry> = None;
    for e in entries {
        if e.venue == NONE {
            continue;
        }
        let Some(from) = previous.replace(e) else {
            continue;
        };
        // Overlapping meetings are double bookings, not transfers.
        if from.venue == e.venue || e.start < from.end {
            continue;
        }
        each(from, e);
    }
}

/// Minutes of travel, given what is known about the two venues.
pub fn estimate(
    settings: &EngineSettings,
    explicit: Option<i64>,
    from: Option<Coordinates>,
    to: Option<Coordinates>,
) -> (i64, TravelEstimate) {
    if let Some(minutes) = explicit {
        return (minutes, TravelEstimate::Explicit);
    }
    if let (Some(a), Some(b)) = (from, to) {
        let chord = chord(unit_vector(a), unit_vector(b));
        if let Some(minutes) = road_minutes(chord, settings.road_speed_kmh) {
            return (
                minutes + settings.boarding_margin_minutes,
                TravelEstimate::Distance,
            );
        }
    }
    (settings.default_travel_minutes, TravelEstimate::Default)
}

/// Minutes from one venue of the snapshot to another.
pub fn travel_minutes(snapshot: &Snapshot, from_venue: i64, to_venue: i64) -> i64 {
    let entry = |a: i64, b: i64| {
        snapshot
            .travel_times
            .iter()
            .find(|t| t.from_venue_id == a && t.to_venue_id == b)
            .map(|t| i64::from(t.minutes))
    };
    let coordinates = |id: i64| {
        snapshot
            .venues
            .iter()
            .find(|v| v.id == id)
            .and_then(|v| v.coordinates)
    };
    estimate(
        &snapshot.settings,
        entry(from_venue, to_venue).or_else(|| entry(to_venue, from_venue)),
        coordinates(from_venue),
        coordinates(to_venue),
    )
    .0
}
