//! What the engine reports: one `Conflict` per problem, with the facts a message
//! or a screen needs, and the earliest slot that would solve it when one exists.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

use crate::domain::values::TimeRange;

/// The kinds of DESIGN.md, in the order a planner reads them.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    OfficialDoubleBooked,
    VenueDoubleBooked,
    GroupDoubleBooked,
    ParticipantDoubleBooked,
    TravelTime,
    OutsideVenueHours,
    OverCapacity,
    OutsideVisitDates,
    OfficialUnavailable,
    VenueUnavailable,
    NoBreak,
}

impl ConflictKind {
    pub const ALL: &'static [ConflictKind] = &[
        Self::OfficialDoubleBooked,
        Self::VenueDoubleBooked,
        Self::GroupDoubleBooked,
        Self::ParticipantDoubleBooked,
        Self::TravelTime,
        Self::OutsideVenueHours,
        Self::OverCapacity,
        Self::OutsideVisitDates,
        Self::OfficialUnavailable,
        Self::VenueUnavailable,
        Self::NoBreak,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::OfficialDoubleBooked => "official_double_booked",
            Self::VenueDoubleBooked => "venue_double_booked",
            Self::GroupDoubleBooked => "group_double_booked",
            Self::ParticipantDoubleBooked => "participant_double_booked",
            Self::TravelTime => "travel_time",
            Self::OutsideVenueHours => "outside_venue_hours",
            Self::OverCapacity => "over_capacity",
            Self::OutsideVisitDates => "outside_visit_dates",
            Self::OfficialUnavailable => "official_unavailable",
            Self::VenueUnavailable => "venue_unavailable",
            Self::NoBreak => "no_break",
        }
    }

    /// Whether the kind names two meetings that clash (rather than one meeting,
    /// or a stretch of them).
    pub fn is_pairwise(self) -> bool {
        matches!(
            self,
            Self::OfficialDoubleBooked
                | Self::VenueDoubleBooked
                | Self::GroupDoubleBooked
                | Self::ParticipantDoubleBooked
                | Self::TravelTime
        )
    }
}

impl fmt::Display for ConflictKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error makes the programme impossible as planned; a warning makes it
/// uncomfortable or risky.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
        }
    }
}

/// Who or what a conflict is about. Serialized as `{"type": "official", "id": 3}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    Official(i64),
    Venue(i64),
    Group(i64),
    Participant(i64),
}

impl Subject {
    pub fn type_name(self) -> &'static str {
        match self {
            Self::Official(_) => "official",
            Self::Venue(_) => "venue",
            Self::Group(_) => "group",
            Self::Participant(_) => "participant",
        }
    }

    pub fn id(self) -> i64 {
        match self {
            Self::Official(id) | Self::Venue(id) | Self::Group(id) | Self::Participant(id) => id,
        }
    }
}

impl Serialize for Subject {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Subject", 2)?;
        s.serialize_field("type", self.type_name())?;
        s.serialize_field("id", &self.id())?;
        s.end()
    }
}

/// Where a travel time came from, so a planner knows how far to trust it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TravelEstimate {
    /// Entered for the pair of venues (either direction).
    Explicit,
    /// Straight-line distance at road speed, plus the boarding margin.
    Distance,
    /// Neither was known: the configured default.
    Default,
}

/// The facts behind a conflict, for its message and for screens that show more.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ConflictDetails {
    /// Two meetings overlap; `overlap` is the time they share.
    Overlap {
        #[serde(serialize_with = "range_json")]
        overlap: TimeRange,
    },
    /// The gap between two consecutive meetings is too short for the transfer.
    Travel {
        from_venue_id: i64,
        to_venue_id: i64,
        gap_minutes: i64,
        needed_minutes: i64,
        buffer_minutes: i64,
        estimate: TravelEstimate,
    },
    /// The meeting runs outside the venue's daily hours (local to the venue).
    OpeningHours { opens: NaiveTime, closes: NaiveTime },
    /// More people are expected than the venue holds.
    Capacity { expected: i64, capacity: i64 },
    /// The meeting falls outside the visit's days (in the visit's zone).
    VisitDates {
        visit_id: i64,
        first_day: NaiveDate,
        last_day: NaiveDate,
    },
    /// The meeting overlaps an unavailability window.
    Unavailable {
        #[serde(serialize_with = "range_json")]
        window: TimeRange,
        reason: Option<String>,
    },
    /// Meetings follow each other without a long enough break.
    NoBreak {
        #[serde(serialize_with = "range_json")]
        stretch: TimeRange,
        max_stretch_minutes: i64,
        min_break_minutes: i64,
    },
}

/// One problem in the programme.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Conflict {
    pub kind: ConflictKind,
    pub severity: Severity,
    /// Sorted: the pair for pairwise kinds, the one meeting for single-meeting
    /// kinds, every meeting of the stretch for `no_break`.
    pub meeting_ids: MeetingIds,
    /// The official or group (double bookings, travel, unavailability, breaks),
    /// the venue (venue kinds, hours, capacity), the participant. For
    /// `outside_visit_dates` it is the meeting's venue, else its first official,
    /// group or participant (lowest id), and `None` only for a meeting that has
    /// none of them.
    pub subject: Option<Subject>,
    pub details: ConflictDetails,
    /// The earliest slot on the same day where the (later) meeting fits everyone
    /// involved, travel included; `None` when there is none or the kind has no
    /// such fix (capacity, visit dates, breaks). Filled in by `suggest_slots`,
    /// not by `find_conflicts`: only the conflicts shown need one.
    #[serde(serialize_with = "optional_range_json")]
    pub suggestion: Option<TimeRange>,
}

impl Conflict {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A conflict's meetings, read as a slice of ids. Nearly every conflict names
/// one or two, kept in place so that finding thousands of conflicts does not
/// allocate (and free) thousands of tiny lists; a longer list (a stretch
/// without a break) is kept on the heap.
#[derive(Clone)]
pub struct MeetingIds(Ids);

#[derive(Clone)]
enum Ids {
    Few([i64; 2], u8),
    Many(Box<[i64]>),
}

impl MeetingIds {
    pub fn one(id: i64) -> Self {
        Self(Ids::Few([id, 0], 1))
    }

    pub fn two(a: i64, b: i64) -> Self {
        Self(Ids::Few([a, b], 2))
    }
}

impl Deref for MeetingIds {
    type Target = [i64];

    fn deref(&self) -> &[i64] {
        match &self.0 {
            Ids::Few(ids, n) => &ids[..usize::from(*n)],
            Ids::Many(ids) => ids,
        }
    }
}

impl From<Vec<i64>> for MeetingIds {
    fn from(ids: Vec<i64>) -> Self {
        match ids[..] {
            [a] => Self::one(a),
            [a, b] => Self::two(a, b),
            _ => Self(Ids::Many(ids.into_boxed_slice())),
        }
    }
}

impl<const N: usize> From<[i64; N]> for MeetingIds {
    fn from(ids: [i64; N]) -> Self {
        Self::from(ids.to_vec())
    }
}

impl<'a> IntoIterator for &'a MeetingIds {
    type Item = &'a i64;
    type IntoIter = std::slice::Iter<'a, i64>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl PartialEq for MeetingIds {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for MeetingIds {}

impl PartialEq<Vec<i64>> for MeetingIds {
    fn eq(&self, other: &Vec<i64>) -> bool {
        **self == other[..]
    }
}

impl<const N: usize> PartialEq<[i64; N]> for MeetingIds {
    fn eq(&self, other: &[i64; N]) -> bool {
        **self == other[..]
    }
}

impl PartialOrd for MeetingIds {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for MeetingIds {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (**self).cmp(&**other)
    }
}

impl Hash for MeetingIds {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (**self).hash(state)
    }
}

impl fmt::Debug for MeetingIds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl Serialize for MeetingIds {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
    }
}

#[derive(Serialize)]
struct RangeJson {
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
}

impl From<&TimeRange> for RangeJson {
    fn from(range: &TimeRange) -> Self {
        Self {
            starts_at: range.start(),
            ends_at: range.end(),
        }
    }
}

/// A range as the API shows it: `{"starts_at": …, "ends_at": …}`.
fn range_json<S: Serializer>(range: &TimeRange, serializer: S) -> Result<S::Ok, S::Error> {
    RangeJson::from(range).serialize(serializer)
}

fn optional_range_json<S: Serializer>(
    range: &Option<TimeRange>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    range.as_ref().map(RangeJson::from).serialize(serializer)
}
