//! How long the road from one venue to another takes: an explicit entry (either
//! direction), else the straight-line distance at road speed plus a margin for
//! boarding and security, else a default. The engine and the timeline picture
//! both count it this way.

use super::conflict::TravelEstimate;
use super::index::{chord, road_minutes, unit_vector};
use super::snapshot::{EngineSettings, Snapshot};
use crate::domain::model::Coordinates;

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
