//! The entities of a visit as validated domain values, and the raw inputs they
//! are made from. An input is what a person or a system sent (every field
//! optional, text as typed); `TryFrom` turns it into a value the rest of Sapar
//! can trust, or into every problem found at once.
//!
//! Whether a referenced id exists is not known here; the services check that.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::validation::{
    in_range, optional_text, required_text, single_line, FieldProblem, ValidationErrors, LONG_MAX,
    NAME_MAX, PHONE_MAX, SHORT_MAX,
};
use super::values::{
    parse_zone, to_the_second, EmailAddress, Language, MeetingKind, MeetingStatus, OfficialRole,
    TimeRange, VenueKind, VisitStatus,
};

/// The lowest protocol rank an official can have; 1 is the highest.
pub const PRECEDENCE_MAX: i32 = 10_000;
pub const DEFAULT_PRECEDENCE: i32 = 100;
pub const CAPACITY_MAX: i32 = 1_000_000;
pub const HEADCOUNT_MAX: i32 = 1_000_000;
/// A day's travel; longer entries are typing mistakes.
pub const TRAVEL_MINUTES_MAX: i32 = 24 * 60;
/// Visits are days, not seasons.
pub const VISIT_DAYS_MAX: i64 = 366;

fn single_line_text(
    errors: &mut ValidationErrors,
    field: &str,
    raw: Option<&str>,
    max: usize,
) -> Option<String> {
    errors
        .check(
            field,
            optional_text(raw, max).and_then(|t| t.map(single_line).transpose()),
        )
        .flatten()
}

fn long_text(errors: &mut ValidationErrors, field: &str, raw: Option<&str>) -> Option<String> {
    errors.check(field, optional_text(raw, LONG_MAX)).flatten()
}

fn required_line(
    errors: &mut ValidationErrors,
    field: &str,
    raw: Option<&str>,
    max: usize,
) -> Option<String> {
    errors.check(
        field,
        required_text(raw.unwrap_or(""), max).and_then(single_line),
    )
}

fn optional_email(
    errors: &mut ValidationErrors,
    field: &str,
    raw: Option<&str>,
) -> Option<EmailAddress> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => errors.check(field, EmailAddress::parse(s)),
    }
}

fn word<T>(
    errors: &mut ValidationErrors,
    field: &str,
    raw: Option<&str>,
    parse: impl Fn(&str) -> Option<T>,
    choices: impl Fn() -> String,
    default: T,
) -> T {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => default,
        Some(s) => match parse(s) {
            Some(v) => v,
            None => {
                errors.add(field, FieldProblem::NotOneOf { choices: choices() });
                default
            }
        },
    }
}

fn zone(errors: &mut ValidationErrors, field: &str, raw: Option<&str>) -> Option<Tz> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            errors.add(field, FieldProblem::Required);
            None
        }
        Some(s) => errors.check(field, parse_zone(s)),
    }
}

fn distinct_ids(errors: &mut ValidationErrors, field: &str, ids: &[i64]) -> Vec<i64> {
    let set: BTreeSet<i64> = ids.iter().copied().collect();
    if set.len() != ids.len() {
        errors.add(field, FieldProblem::ListedTwice);
    }
    if set.len() > MAX_IDS {
        errors.add(field, FieldProblem::TooManyIds { max: MAX_IDS });
    }
    set.into_iter().collect()
}

/// The most records one list of a change may name (a group's members, a
/// meeting's participants): more than any office's group, and few enough
/// that the queries checking and linking them stay within what both
/// databases take in one statement (SQLite: 32,766 parameters).
pub const MAX_IDS: usize = 10_000;

/// `HH:MM` local time.
pub fn parse_local_time(raw: &str) -> Result<NaiveTime, FieldProblem> {
    NaiveTime::parse_from_str(raw.trim(), "%H:%M").map_err(|_| FieldProblem::NotATime)
}

// ---------------------------------------------------------------------------
// Officials

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfficialInput {
    /// single line, at most 200 characters
    #[schema(nullable = false, required = true)]
    pub full_name: Option<String>,
    /// single line, at most 200 characters
    pub position: Option<String>,
    /// single line, at most 200 characters
    pub organization: Option<String>,
    pub precedence: Option<i32>,
    /// an email address
    #[schema(format = Email)]
    pub email: Option<String>,
    /// single line, at most 200 characters
    pub phone: Option<String>,
    #[schema(value_type = Option<Language>, inline)]
    pub language: Option<String>,
    /// at most 20000 characters
    pub notes: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Official {
    pub full_name: String,
    pub position: Option<String>,
    pub organization: Option<String>,
    pub precedence: i32,
    pub email: Option<EmailAddress>,
    pub phone: Option<String>,
    pub language: Language,
    pub notes: Option<String>,
}

impl TryFrom<&OfficialInput> for Official {
    type Error = ValidationErrors;

    fn try_from(input: &OfficialInput) -> Result<Self, Self::Error> {
        let mut e = ValidationErrors::new();
        let full_name = required_line(&mut e, "full_name", input.full_name.as_deref(), NAME_MAX);
        let position = single_line_text(&mut e, "position", input.position.as_deref(), SHORT_MAX);
        let organization = single_line_text(
            &mut e,
            "organization",
            input.organization.as_deref(),
            SHORT_MAX,
        );
        let precedence = e
            .check(
                "precedence",
                in_range(
                    input.precedence.unwrap_or(DEFAULT_PRECEDENCE),
                    1,
                    PRECEDENCE_MAX,
                ),
            )
            .unwrap_or(DEFAULT_PRECEDENCE);
        let email = optional_email(&mut e, "email", input.email.as_deref());
        let phone = single_line_text(&mut e, "phone", input.phone.as_deref(), PHONE_MAX);
        let language = word(
            &mut e,
            "language",
            input.language.as_deref(),
            Language::parse,
            Language::choices,
            Language::Ru,
        );
        let notes = long_text(&mut e, "notes", input.notes.as_deref());
        let full_name = full_name.unwrap_or_default();
        e.into_result(|| Official {
            full_name,
            position,
            organization,
            precedence,
            email,
            phone,
            language,
            notes,
        })
    }
}

// ---------------------------------------------------------------------------
// Venues

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VenueInput {
    /// single line, at most 200 characters
    #[schema(nullable = false, required = true)]
    pub name: Option<String>,
    #[schema(value_type = Option<VenueKind>, inline)]
    pub kind: Option<String>,
    /// single line, at most 200 characters
    pub address: Option<String>,
    /// single line, at most 200 characters
    pub city: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// IANA time zone, e.g. Asia/Almaty
    #[schema(nullable = false, required = true)]
    pub timezone: Option<String>,
    pub capacity: Option<i32>,
    /// local time HH:MM
    #[schema(pattern = "^[0-2][0-9]:[0-5][0-9]$")]
    pub opens: Option<String>,
    /// local time HH:MM
    #[schema(pattern = "^[0-2][0-9]:[0-5][0-9]$")]
    pub closes: Option<String>,
    /// single line, at most 200 characters
    pub contact_name: Option<String>,
    /// single line, at most 200 characters
    pub contact_phone: Option<String>,
    /// an email address
    #[schema(format = Email)]
    pub contact_email: Option<String>,
    /// at most 20000 characters
    pub notes: Option<String>,
}

/// A point on the map, in degrees.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Coordinates {
    pub latitude: f64,
    pub longitude: f64,
}

/// Daily opening hours, local to the venue: `[opens, closes)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpeningHours {
    pub opens: NaiveTime,
    pub closes: NaiveTime,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Venue {
    pub name: String,
    pub kind: VenueKind,
    pub address: Option<String>,
    pub city: Option<String>,
    pub coordinates: Option<Coordinates>,
    pub timezone: Tz,
    pub capacity: Option<i32>,
    pub hours: Option<OpeningHours>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<EmailAddress>,
    pub notes: Option<String>,
}

impl TryFrom<&VenueInput> for Venue {
    type Error = ValidationErrors;

    fn try_from(input: &VenueInput) -> Result<Self, Self::Error> {
        let mut e = ValidationErrors::new();
        let name = required_line(&mut e, "name", input.name.as_deref(), NAME_MAX);
        let kind = word(
            &mut e,
            "kind",
            input.kind.as_deref(),
            VenueKind::parse,
            VenueKind::choices,
            VenueKind::Other,
        );
        let address = single_line_text(&mut e, "address", input.address.as_deref(), SHORT_MAX * 2);
        let city = single_line_text(&mut e, "city", input.city.as_deref(), SHORT_MAX);
        let latitude = input
            .latitude
            .and_then(|v| e.check("latitude", finite_in_range(v, -90.0, 90.0)));
        let longitude = input
            .longitude
            .and_then(|v| e.check("longitude", finite_in_range(v, -180.0, 180.0)));
        let coordinates = match (latitude, longitude, input.latitude, input.longitude) {
            (Some(latitude), Some(longitude), _, _) => Some(Coordinates {
                latitude,
                longitude,
            }),
            (_, _, Some(_), None) => {
                e.add("longitude", FieldProblem::Required);
                None
            }
            (_, _, None, Some(_)) => {
                e.add("latitude", FieldProblem::Required);
                None
            }
            _ => None,
        };
        let timezone = zone(&mut e, "timezone", input.timezone.as_deref());
        let capacity = input
            .capacity
            .and_then(|c| e.check("capacity", in_range(c, 1, CAPACITY_MAX)));
        let opens = input
            .opens
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .and_then(|s| e.check("opens", parse_local_time(s)));
        let closes = input
            .closes
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .and_then(|s| e.check("closes", parse_local_time(s)));
        let hours = match (opens, closes) {
            (Some(opens), Some(closes)) if closes > opens => Some(OpeningHours { opens, closes }),
            (Some(_), Some(_)) => {
                e.add("closes", FieldProblem::EndNotAfterStart);
                None
            }
            (Some(_), None) if e.get("closes").is_none() => {
                e.add("closes", FieldProblem::Required);
                None
            }
            (None, Some(_)) if e.get("opens").is_none() => {
                e.add("opens", FieldProblem::Required);
                None
            }
            _ => None,
        };
        let contact_name = single_line_text(
            &mut e,
            "contact_name",
            input.contact_name.as_deref(),
            NAME_MAX,
        );
        let contact_phone = single_line_text(
            &mut e,
            "contact_phone",
            input.contact_phone.as_deref(),
            PHONE_MAX,
        );
        let contact_email = optional_email(&mut e, "contact_email", input.contact_email.as_deref());
        let notes = long_text(&mut e, "notes", input.notes.as_deref());
        let (name, timezone) = (name.unwrap_or_default(), timezone.unwrap_or(Tz::UTC));
        e.into_result(|| Venue {
            name,
            kind,
            address,
            city,
            coordinates,
            timezone,
            capacity,
            hours,
            contact_name,
            contact_phone,
            contact_email,
            notes,
        })
    }
}

fn finite_in_range(value: f64, min: f64, max: f64) -> Result<f64, FieldProblem> {
    if value.is_finite() {
        in_range(value, min, max)
    } else {
        Err(FieldProblem::OutOfRange {
            min: min.to_string(),
            max: max.to_string(),
        })
    }
}

// ---------------------------------------------------------------------------
// Participants and attendee groups

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipantInput {
    /// single line, at most 200 characters
    #[schema(nullable = false, required = true)]
    pub full_name: Option<String>,
    /// an email address
    #[schema(format = Email)]
    pub email: Option<String>,
    /// single line, at most 200 characters
    pub phone: Option<String>,
    /// single line, at most 200 characters
    pub organization: Option<String>,
    /// their position at the organisation; single line, at most 200 characters
    #[serde(default)]
    pub position: Option<String>,
    #[schema(value_type = Option<Language>, inline)]
    pub language: Option<String>,
    #[serde(default)]
    pub group_ids: Vec<i64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Participant {
    pub full_name: String,
    pub email: Option<EmailAddress>,
    pub phone: Option<String>,
    pub organization: Option<String>,
    pub position: Option<String>,
    pub language: Language,
    pub group_ids: Vec<i64>,
}

impl TryFrom<&ParticipantInput> for Participant {
    type Error = ValidationErrors;

    fn try_from(input: &ParticipantInput) -> Result<Self, Self::Error> {
        let mut e = ValidationErrors::new();
        let full_name = required_line(&mut e, "full_name", input.full_name.as_deref(), NAME_MAX);
        let email = optional_email(&mut e, "email", input.email.as_deref());
        let phone = single_line_text(&mut e, "phone", input.phone.as_deref(), PHONE_MAX);
        let organization = single_line_text(
            &mut e,
            "organization",
            input.organization.as_deref(),
            SHORT_MAX,
        );
        let position = single_line_text(&mut e, "position", input.position.as_deref(), SHORT_MAX);
        let language = word(
            &mut e,
            "language",
            input.language.as_deref(),
            Language::parse,
            Language::choices,
            Language::Ru,
        );
        let group_ids = distinct_ids(&mut e, "group_ids", &input.group_ids);
        let full_name = full_name.unwrap_or_default();
        e.into_result(|| Participant {
            full_name,
            email,
            phone,
            organization,
            position,
            language,
            group_ids,
        })
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupInput {
    /// single line, at most 200 characters
    #[schema(nullable = false, required = true)]
    pub name: Option<String>,
    /// at most 20000 characters
    pub description: Option<String>,
    pub headcount: Option<i32>,
    pub contact_participant_id: Option<i64>,
    #[serde(default)]
    pub participant_ids: Vec<i64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AttendeeGroup {
    pub name: String,
    pub description: Option<String>,
    /// People expected, members or not; never fewer than the named members.
    pub headcount: i32,
    pub contact_participant_id: Option<i64>,
    pub participant_ids: Vec<i64>,
}

impl TryFrom<&GroupInput> for AttendeeGroup {
    type Error = ValidationErrors;

    fn try_from(input: &GroupInput) -> Result<Self, Self::Error> {
        let mut e = ValidationErrors::new();
        let name = required_line(&mut e, "name", input.name.as_deref(), NAME_MAX);
        let description = long_text(&mut e, "description", input.description.as_deref());
        let participant_ids = distinct_ids(&mut e, "participant_ids", &input.participant_ids);
        let members = participant_ids.len() as i32;
        let headcount = match input.headcount {
            None => members,
            Some(h) => e
                .check("headcount", in_range(h, 0, HEADCOUNT_MAX))
                .unwrap_or(0),
        };
        if headcount < members && e.get("headcount").is_none() {
            e.add("headcount", FieldProblem::BelowMembers { members });
        }
        let name = name.unwrap_or_default();
        e.into_result(|| AttendeeGroup {
            name,
            description,
            headcount,
            contact_participant_id: input.contact_participant_id,
            participant_ids,
        })
    }
}

// ---------------------------------------------------------------------------
// Visits

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VisitInput {
    /// single line, at most 200 characters
    #[schema(nullable = false, required = true)]
    pub title: Option<String>,
    /// at most 20000 characters
    pub theme: Option<String>,
    /// single line, at most 200 characters
    pub region: Option<String>,
    /// IANA time zone, e.g. Asia/Almaty
    #[schema(nullable = false, required = true)]
    pub timezone: Option<String>,
    /// YYYY-MM-DD
    #[schema(nullable = false, required = true)]
    pub first_day: Option<NaiveDate>,
    /// YYYY-MM-DD
    #[schema(nullable = false, required = true)]
    pub last_day: Option<NaiveDate>,
    #[serde(default)]
    pub official_ids: Vec<i64>,
    pub lead_official_id: Option<i64>,
    #[schema(value_type = Option<VisitStatus>, inline)]
    pub status: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Visit {
    pub title: String,
    pub theme: Option<String>,
    pub region: Option<String>,
    pub timezone: Tz,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    /// The delegation, the lead included.
    pub official_ids: Vec<i64>,
    pub lead_official_id: Option<i64>,
    pub status: VisitStatus,
}

impl TryFrom<&VisitInput> for Visit {
    type Error = ValidationErrors;

    fn try_from(input: &VisitInput) -> Result<Self, Self::Error> {
        let mut e = ValidationErrors::new();
        let title = required_line(&mut e, "title", input.title.as_deref(), NAME_MAX);
        let theme = long_text(&mut e, "theme", input.theme.as_deref());
        let region = single_line_text(&mut e, "region", input.region.as_deref(), SHORT_MAX);
        let timezone = zone(&mut e, "timezone", input.timezone.as_deref());
        for (field, day) in [("first_day", input.first_day), ("last_day", input.last_day)] {
            match day {
                None => e.add(field, FieldProblem::Required),
                Some(day) if !within_supported_dates(day) => {
                    e.add(field, FieldProblem::DateOutOfBounds)
                }
                Some(_) => {}
            }
        }
        let days = input.first_day.zip(input.last_day);
        if let Some((first, last)) =
            days.filter(|(f, l)| within_supported_dates(*f) && within_supported_dates(*l))
        {
            if first > last {
                e.add("last_day", FieldProblem::FirstDayAfterLastDay);
            } else if (last - first).num_days() >= VISIT_DAYS_MAX {
                e.add(
                    "last_day",
                    FieldProblem::VisitTooLong {
                        max_days: VISIT_DAYS_MAX,
                    },
                );
            }
        }
        let mut official_ids = distinct_ids(&mut e, "official_ids", &input.official_ids);
        if let Some(lead) = input.lead_official_id {
            if !official_ids.contains(&lead) {
                official_ids.push(lead);
                official_ids.sort_unstable();
            }
        }
        let status = word(
            &mut e,
            "status",
            input.status.as_deref(),
            VisitStatus::parse,
            VisitStatus::choices,
            VisitStatus::Draft,
        );
        let (title, timezone) = (title.unwrap_or_default(), timezone.unwrap_or(Tz::UTC));
        let (first_day, last_day) = (
            input.first_day.unwrap_or_default(),
            input.last_day.unwrap_or_default(),
        );
        e.into_result(|| Visit {
            title,
            theme,
            region,
            timezone,
            first_day,
            last_day,
            official_ids,
            lead_official_id: input.lead_official_id,
            status,
        })
    }
}

// ---------------------------------------------------------------------------
// Meetings

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingInput {
    /// single line, at most 200 characters
    #[schema(nullable = false, required = true)]
    pub title: Option<String>,
    #[schema(value_type = Option<MeetingKind>, inline)]
    pub kind: Option<String>,
    /// RFC 3339 with an offset, e.g. 2026-02-25T10:00:00+05:00
    #[schema(nullable = false, required = true)]
    pub starts_at: Option<DateTime<FixedOffset>>,
    /// RFC 3339 with an offset, e.g. 2026-02-25T10:00:00+05:00
    #[schema(nullable = false, required = true)]
    pub ends_at: Option<DateTime<FixedOffset>>,
    pub venue_id: Option<i64>,
    #[serde(default)]
    pub official_ids: Vec<i64>,
    /// Roles by official id; an official not named here is the principal when
    /// they lead the visit, else accompanying.
    #[serde(default)]
    #[schema(value_type = BTreeMap<i64, OfficialRole>, inline)]
    pub official_roles: BTreeMap<i64, String>,
    #[serde(default)]
    pub group_ids: Vec<i64>,
    #[serde(default)]
    pub participant_ids: Vec<i64>,
    /// single line, at most 200 characters
    pub responsible: Option<String>,
    /// at most 20000 characters
    pub agenda: Option<String>,
    /// at most 20000 characters
    pub briefing_notes: Option<String>,
    /// at most 20000 characters
    pub logistics: Option<String>,
    /// single line, at most 200 characters
    pub dress_code: Option<String>,
    #[schema(value_type = Option<MeetingStatus>, inline)]
    pub status: Option<String>,
    /// The version the change was made against; an older one is refused.
    pub version: Option<i32>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Meeting {
    pub title: String,
    pub kind: MeetingKind,
    pub time: TimeRange,
    pub venue_id: Option<i64>,
    /// Officials with their role, by id.
    pub officials: Vec<(i64, Option<OfficialRole>)>,
    pub group_ids: Vec<i64>,
    pub participant_ids: Vec<i64>,
    pub responsible: Option<String>,
    pub agenda: Option<String>,
    pub briefing_notes: Option<String>,
    pub logistics: Option<String>,
    pub dress_code: Option<String>,
    pub status: MeetingStatus,
    pub expected_version: Option<i32>,
}

impl TryFrom<&MeetingInput> for Meeting {
    type Error = ValidationErrors;

    fn try_from(input: &MeetingInput) -> Result<Self, Self::Error> {
        let mut e = ValidationErrors::new();
        let title = required_line(&mut e, "title", input.title.as_deref(), NAME_MAX);
        let kind = word(
            &mut e,
            "kind",
            input.kind.as_deref(),
            MeetingKind::parse,
            MeetingKind::choices,
            MeetingKind::Meeting,
        );
        let time = instant_range(&mut e, input.starts_at, input.ends_at);
        let official_ids = distinct_ids(&mut e, "official_ids", &input.official_ids);
        let mut officials: Vec<(i64, Option<OfficialRole>)> =
            official_ids.iter().map(|id| (*id, None)).collect();
        for (id, role) in &input.official_roles {
            match (
                OfficialRole::parse(role.trim()),
                officials.iter_mut().find(|(o, _)| o == id),
            ) {
                (Some(role), Some(entry)) => entry.1 = Some(role),
                (None, _) => e.add(
                    "official_roles",
                    FieldProblem::NotOneOf {
                        choices: OfficialRole::choices(),
                    },
                ),
                (_, None) => e.add(
                    "official_roles",
                    FieldProblem::NotAmongOfficials { id: *id },
                ),
            }
        }
        let group_ids = distinct_ids(&mut e, "group_ids", &input.group_ids);
        let participant_ids = distinct_ids(&mut e, "participant_ids", &input.participant_ids);
        let responsible = single_line_text(
            &mut e,
            "responsible",
            input.responsible.as_deref(),
            SHORT_MAX,
        );
        let agenda = long_text(&mut e, "agenda", input.agenda.as_deref());
        let briefing_notes = long_text(&mut e, "briefing_notes", input.briefing_notes.as_deref());
        let logistics = long_text(&mut e, "logistics", input.logistics.as_deref());
        let dress_code =
            single_line_text(&mut e, "dress_code", input.dress_code.as_deref(), SHORT_MAX);
        let status = word(
            &mut e,
            "status",
            input.status.as_deref(),
            MeetingStatus::parse,
            MeetingStatus::choices,
            MeetingStatus::Tentative,
        );
        let title = title.unwrap_or_default();
        match time {
            Some(time) => e.into_result(|| Meeting {
                title,
                kind,
                time,
                venue_id: input.venue_id,
                officials,
                group_ids,
                participant_ids,
                responsible,
                agenda,
                briefing_notes,
                logistics,
                dress_code,
                status,
                expected_version: input.version,
            }),
            None => Err(e),
        }
    }
}

/// The first and last day a visit, a meeting or an unavailability may name.
/// Far enough from chrono's limits that a day or a week added or taken away
/// never overflows, and wide enough for any real programme.
pub const FIRST_SUPPORTED_DAY: NaiveDate = match NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(day) => day,
    None => panic!("2000-01-01 is a date"),
};
pub const LAST_SUPPORTED_DAY: NaiveDate = match NaiveDate::from_ymd_opt(2099, 12, 31) {
    Some(day) => day,
    None => panic!("2099-12-31 is a date"),
};

/// Whether a day lies within [`FIRST_SUPPORTED_DAY`]..=[`LAST_SUPPORTED_DAY`].
pub fn within_supported_dates(day: NaiveDate) -> bool {
    (FIRST_SUPPORTED_DAY..=LAST_SUPPORTED_DAY).contains(&day)
}

/// `starts_at` and `ends_at` as a range to the second, or the problems with them.
fn instant_range(
    e: &mut ValidationErrors,
    starts_at: Option<DateTime<FixedOffset>>,
    ends_at: Option<DateTime<FixedOffset>>,
) -> Option<TimeRange> {
    if starts_at.is_none() {
        e.add("starts_at", FieldProblem::Required);
    }
    if ends_at.is_none() {
        e.add("ends_at", FieldProblem::Required);
    }
    for (field, instant) in [("starts_at", starts_at), ("ends_at", ends_at)] {
        if instant.is_some_and(|at| !within_supported_dates(at.date_naive())) {
            e.add(field, FieldProblem::DateOutOfBounds);
        }
    }
    let (start, end) = (starts_at?, ends_at?);
    if !within_supported_dates(start.date_naive()) || !within_supported_dates(end.date_naive()) {
        return None;
    }
    let start = to_the_second(start.with_timezone(&Utc));
    let end = to_the_second(end.with_timezone(&Utc));
    e.check("ends_at", TimeRange::new(start, end))
}

// ---------------------------------------------------------------------------
// Unavailability and travel times

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnavailabilityInput {
    pub official_id: Option<i64>,
    pub venue_id: Option<i64>,
    /// RFC 3339 with an offset, e.g. 2026-02-25T10:00:00+05:00
    #[schema(nullable = false, required = true)]
    pub starts_at: Option<DateTime<FixedOffset>>,
    /// RFC 3339 with an offset, e.g. 2026-02-25T10:00:00+05:00
    #[schema(nullable = false, required = true)]
    pub ends_at: Option<DateTime<FixedOffset>>,
    /// single line, at most 200 characters
    pub reason: Option<String>,
}

/// Whose time an unavailability window blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unavailable {
    Official(i64),
    Venue(i64),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Unavailability {
    pub who: Unavailable,
    pub time: TimeRange,
    pub reason: Option<String>,
}

impl TryFrom<&UnavailabilityInput> for Unavailability {
    type Error = ValidationErrors;

    fn try_from(input: &UnavailabilityInput) -> Result<Self, Self::Error> {
        let mut e = ValidationErrors::new();
        let who = match (input.official_id, input.venue_id) {
            (Some(id), None) => Some(Unavailable::Official(id)),
            (None, Some(id)) => Some(Unavailable::Venue(id)),
            (Some(_), Some(_)) => {
                e.add("venue_id", FieldProblem::OfficialOrVenue);
                None
            }
            (None, None) => {
                e.add("official_id", FieldProblem::Required);
                None
            }
        };
        let time = instant_range(&mut e, input.starts_at, input.ends_at);
        let reason = single_line_text(&mut e, "reason", input.reason.as_deref(), SHORT_MAX);
        match (who, time) {
            (Some(who), Some(time)) => e.into_result(|| Unavailability { who, time, reason }),
            _ => Err(e),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TravelTimeInput {
    #[schema(nullable = false, required = true)]
    pub from_venue_id: Option<i64>,
    #[schema(nullable = false, required = true)]
    pub to_venue_id: Option<i64>,
    #[schema(nullable = false, required = true)]
    pub minutes: Option<i32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TravelTime {
    pub from_venue_id: i64,
    pub to_venue_id: i64,
    pub minutes: i32,
}

impl TryFrom<&TravelTimeInput> for TravelTime {
    type Error = ValidationErrors;

    fn try_from(input: &TravelTimeInput) -> Result<Self, Self::Error> {
        let mut e = ValidationErrors::new();
        let required = |e: &mut ValidationErrors, field: &str, v: Option<i64>| {
            if v.is_none() {
                e.add(field, FieldProblem::Required);
            }
            v
        };
        let from = required(&mut e, "from_venue_id", input.from_venue_id);
        let to = required(&mut e, "to_venue_id", input.to_venue_id);
        if from.is_some() && from == to {
            e.add("to_venue_id", FieldProblem::SameVenue);
        }
        let minutes = match input.minutes {
            None => {
                e.add("minutes", FieldProblem::Required);
                None
            }
            Some(m) => e.check("minutes", in_range(m, 0, TRAVEL_MINUTES_MAX)),
        };
        match (from, to, minutes) {
            (Some(from_venue_id), Some(to_venue_id), Some(minutes)) => {
                e.into_result(|| TravelTime {
                    from_venue_id,
                    to_venue_id,
                    minutes,
                })
            }
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_venue_reports_every_problem_at_once() {
        let input = VenueInput {
            name: Some(" ".into()),
            kind: Some("castle".into()),
            latitude: Some(91.0),
            longitude: Some(82.6),
            timezone: Some("Asia/Oskemen".into()),
            capacity: Some(-3),
            opens: Some("18:00".into()),
            closes: Some("09:00".into()),
            contact_email: Some("host-at-ukmk".into()),
            ..Default::default()
        };
        let errors = Venue::try_from(&input).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            [
                "capacity",
                "closes",
                "contact_email",
                "kind",
                "latitude",
                "name",
                "timezone"
            ]
        );
        assert_eq!(errors.get("timezone"), Some(&FieldProblem::UnknownTimeZone));
        assert_eq!(errors.get("closes"), Some(&FieldProblem::EndNotAfterStart));
    }

    #[test]
    fn a_visit_cannot_end_before_it_starts_and_its_lead_is_in_the_delegation() {
        let input = VisitInput {
            title: Some("Визит".into()),
            timezone: Some("Asia/Almaty".into()),
            first_day: NaiveDate::from_ymd_opt(2026, 2, 26),
            last_day: NaiveDate::from_ymd_opt(2026, 2, 25),
            ..Default::default()
        };
        let errors = Visit::try_from(&input).unwrap_err();
        assert_eq!(
            errors.get("last_day"),
            Some(&FieldProblem::FirstDayAfterLastDay)
        );

        let input = VisitInput {
            last_day: NaiveDate::from_ymd_opt(2026, 2, 26),
            official_ids: vec![3],
            lead_official_id: Some(1),
            ..input
        };
        assert_eq!(Visit::try_from(&input).unwrap().official_ids, vec![1, 3]);
    }

    #[test]
    fn a_meeting_keeps_instants_in_utc_to_the_second() {
        let input = MeetingInput {
            title: Some("Встреча с депутатами маслихата".into()),
            starts_at: DateTime::parse_from_rfc3339("2026-02-25T10:00:00.750+05:00").ok(),
            ends_at: DateTime::parse_from_rfc3339("2026-02-25T06:00:00Z").ok(),
            official_ids: vec![1, 2],
            official_roles: BTreeMap::from([(2, "host".to_string())]),
            ..Default::default()
        };
        let meeting = Meeting::try_from(&input).unwrap();
        assert_eq!(
            meeting.time.start().to_rfc3339(),
            "2026-02-25T05:00:00+00:00"
        );
        assert_eq!(meeting.time.duration().num_minutes(), 60);
        assert_eq!(
            meeting.officials,
            vec![(1, None), (2, Some(OfficialRole::Host))]
        );

        let backwards = MeetingInput {
            ends_at: input.starts_at,
            ..input
        };
        assert_eq!(
            Meeting::try_from(&backwards).unwrap_err().get("ends_at"),
            Some(&FieldProblem::EndNotAfterStart)
        );
    }

    #[test]
    fn dates_outside_2000_to_2099_are_refused_by_field() {
        let visit = VisitInput {
            title: Some("Визит".into()),
            timezone: Some("Asia/Almaty".into()),
            first_day: NaiveDate::from_ymd_opt(1999, 12, 31),
            last_day: NaiveDate::from_ymd_opt(9999, 1, 1),
            ..Default::default()
        };
        let errors = Visit::try_from(&visit).unwrap_err();
        assert_eq!(
            errors.get("first_day"),
            Some(&FieldProblem::DateOutOfBounds)
        );
        assert_eq!(errors.get("last_day"), Some(&FieldProblem::DateOutOfBounds));
        let edges = VisitInput {
            first_day: NaiveDate::from_ymd_opt(2099, 12, 30),
            last_day: NaiveDate::from_ymd_opt(2099, 12, 31),
            ..visit
        };
        assert!(Visit::try_from(&edges).is_ok());

        let meeting = MeetingInput {
            title: Some("Встреча".into()),
            starts_at: DateTime::parse_from_rfc3339("9999-01-01T10:00:00Z").ok(),
            ends_at: NaiveDate::from_ymd_opt(262142, 1, 1)
                .and_then(|day| day.and_hms_opt(11, 0, 0))
                .map(|at| at.and_utc().fixed_offset()),
            official_ids: vec![1],
            ..Default::default()
        };
        let errors = Meeting::try_from(&meeting).unwrap_err();
        assert_eq!(
            errors.get("starts_at"),
            Some(&FieldProblem::DateOutOfBounds)
        );
        assert_eq!(errors.get("ends_at"), Some(&FieldProblem::DateOutOfBounds));

        let away = UnavailabilityInput {
            starts_at: DateTime::parse_from_rfc3339("1999-12-31T23:00:00+00:00").ok(),
            ends_at: DateTime::parse_from_rfc3339("2000-01-01T05:00:00+05:00").ok(),
            ..Default::default()
        };
        let errors = Unavailability::try_from(&away).unwrap_err();
        assert_eq!(
            errors.get("starts_at"),
            Some(&FieldProblem::DateOutOfBounds)
        );
        assert_eq!(errors.get("ends_at"), None);
    }

    #[test]
    fn travel_needs_two_venues_and_a_sane_duration() {
        let errors = TravelTime::try_from(&TravelTimeInput {
            from_venue_id: Some(4),
            to_venue_id: Some(4),
            minutes: Some(3000),
        })
        .unwrap_err();
        assert!(errors.get("to_venue_id").is_some() && errors.get("minutes").is_some());
    }
}
