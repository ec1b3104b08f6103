//! What the engine looks at: plain data the services load from the database (or
//! a test writes by hand). Ids are the database's; they may be sparse and large.
//! References to ids the snapshot does not describe are tolerated: a meeting at
//! an unknown venue still clashes with another meeting there, it just has no
//! hours, zone or capacity to check.

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;

use crate::domain::model::{Coordinates, OpeningHours, TravelTime, Unavailability};
use crate::domain::values::TimeRange;

/// A meeting as the engine needs it. Times are UTC instants.
#[derive(Clone, Debug, PartialEq)]
pub struct Meeting {
    pub id: i64,
    pub visit_id: i64,
    pub title: String,
    pub time: TimeRange,
    pub venue_id: Option<i64>,
    pub official_ids: Vec<i64>,
    pub group_ids: Vec<i64>,
    /// Participants invited in their own name (group members come through the group).
    pub participant_ids: Vec<i64>,
    /// Cancelled meetings never conflict and never block a suggested slot.
    pub cancelled: bool,
}

impl Meeting {
    pub fn new(id: i64, visit_id: i64, title: impl Into<String>, time: TimeRange) -> Self {
        Self {
            id,
            visit_id,
            title: title.into(),
            time,
            venue_id: None,
            official_ids: Vec::new(),
            group_ids: Vec::new(),
            participant_ids: Vec::new(),
            cancelled: false,
        }
    }

    pub fn at_venue(mut self, venue_id: i64) -> Self {
        self.venue_id = Some(venue_id);
        self
    }

    pub fn with_officials(mut self, ids: impl IntoIterator<Item = i64>) -> Self {
        self.official_ids = ids.into_iter().collect();
        self
    }

    pub fn with_groups(mut self, ids: impl IntoIterator<Item = i64>) -> Self {
        self.group_ids = ids.into_iter().collect();
        self
    }

    pub fn with_participants(mut self, ids: impl IntoIterator<Item = i64>) -> Self {
        self.participant_ids = ids.into_iter().collect();
        self
    }

    pub fn cancel(mut self) -> Self {
        self.cancelled = true;
        self
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Official {
    pub id: i64,
    pub full_name: String,
}

impl Official {
    pub fn new(id: i64, full_name: impl Into<String>) -> Self {
        Self {
            id,
            full_name: full_name.into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Participant {
    pub id: i64,
    pub full_name: String,
}

impl Participant {
    pub fn new(id: i64, full_name: impl Into<String>) -> Self {
        Self {
            id,
            full_name: full_name.into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Venue {
    pub id: i64,
    pub name: String,
    /// The zone its opening hours are in.
    pub timezone: Tz,
    pub coordinates: Option<Coordinates>,
    pub capacity: Option<i32>,
    /// Daily, local to the venue: `[opens, closes)`. A `closes` not after
    /// `opens` means closing the next day.
    pub hours: Option<OpeningHours>,
}

impl Venue {
    pub fn new(id: i64, name: impl Into<String>, timezone: Tz) -> Self {
        Self {
            id,
            name: name.into(),
            timezone,
            coordinates: None,
            capacity: None,
            hours: None,
        }
    }

    pub fn located(mut self, latitude: f64, longitude: f64) -> Self {
        self.coordinates = Some(Coordinates {
            latitude,
            longitude,
        });
        self
    }

    pub fn holding(mut self, capacity: i32) -> Self {
        self.capacity = Some(capacity);
        self
    }

    pub fn open(mut self, opens: NaiveTime, closes: NaiveTime) -> Self {
        self.hours = Some(OpeningHours { opens, closes });
        self
    }
}

/// An attendee group: invited as one, counted by its headcount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub id: i64,
    pub name: String,
    pub headcount: i32,
    pub participant_ids: Vec<i64>,
}

impl Group {
    pub fn new(
        id: i64,
        name: impl Into<String>,
        headcount: i32,
        participant_ids: impl IntoIterator<Item = i64>,
    ) -> Self {
        Self {
            id,
            name: name.into(),
            headcount,
            participant_ids: participant_ids.into_iter().collect(),
        }
    }
}

/// A visit's days, in its own zone: meetings must fall within them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Visit {
    pub id: i64,
    pub timezone: Tz,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
}

impl Visit {
    pub fn new(id: i64, timezone: Tz, first_day: NaiveDate, last_day: NaiveDate) -> Self {
        Self {
            id,
            timezone,
            first_day,
            last_day,
        }
    }
}

/// The rules' numbers. The defaults are the ones DESIGN.md describes.
#[derive(Clone, Debug, PartialEq)]
pub struct EngineSettings {
    /// Used to estimate a transfer from the straight-line distance.
    pub road_speed_kmh: f64,
    /// Added to a distance-based estimate: getting everyone in and out of cars.
    pub boarding_margin_minutes: i64,
    /// A transfer between venues with neither an entered time nor coordinates.
    pub default_travel_minutes: i64,
    /// A gap shorter than the transfer plus this is a warning.
    pub warning_buffer_minutes: i64,
    /// An official's longest stretch of meetings without a break.
    pub max_stretch_minutes: i64,
    /// A gap at least this long is a break.
    pub min_break_minutes: i64,
    /// If set, suggested slots also stay within these local hours (in the
    /// visit's zone); by default a slot may start at the beginning of the day
    /// unless the venue's hours say otherwise.
    pub suggestion_hours: Option<OpeningHours>,
}

impl Default for EngineSettings {
    fn default() -> Self {
        Self {
            road_speed_kmh: 40.0,
            boarding_margin_minutes: 10,
            default_travel_minutes: 30,
            warning_buffer_minutes: 10,
            max_stretch_minutes: 4 * 60,
            min_break_minutes: 30,
            suggestion_hours: None,
        }
    }
}

/// Everything the engine needs, across all visits: an official booked by two
/// visits clashes, so the services should load every meeting that can share a
/// person, group or venue with the visit in question (in practice: all
/// meetings overlapping the visit's days, give or take a day).
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    pub meetings: Vec<Meeting>,
    pub officials: Vec<Official>,
    pub venues: Vec<Venue>,
    pub groups: Vec<Group>,
    pub participants: Vec<Participant>,
    /// Minutes from one venue to another; an entry for B→A serves A→B too
    /// unless A→B has its own.
    pub travel_times: Vec<TravelTime>,
    /// Windows when an official or a venue cannot be booked.
    pub unavailability: Vec<Unavailability>,
    pub visits: Vec<Visit>,
    pub settings: EngineSettings,
}

impl Snapshot {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with_settings(mut self, settings: EngineSettings) -> Self {
        self.settings = settings;
        self
    }
}
