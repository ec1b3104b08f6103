//! Rows as the tables hold them, and the changes written to them. Instants are
//! naive UTC; vocabularies are their lowercase words.

use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime};
use chrono_tz::Tz;
use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::prelude::*;
use diesel::sql_types::{Date, Text, Timestamp};
use serde::Serialize;

use super::schema::*;
use crate::domain::listing::search_text;
use crate::domain::model::{
    AttendeeGroup, Official, Participant, Unavailability, Unavailable, Venue, Visit,
};
use crate::domain::{
    Clearance, Language, MeetingKind, MeetingStatus, PersonKind, Role, VenueKind, VisitStatus,
};

/// A time zone column, parsed once as the row is read: above this layer a
/// zone is a `Tz`, never a name to parse again. Forms only ever store known
/// names, but a row written by other means may hold anything: such a row is
/// read in UTC (and said so in the log) rather than failing every page that
/// lists it.
#[derive(diesel::deserialize::FromSqlRow)]
pub struct ZoneColumn(Tz);

impl<DB: Backend> FromSql<Text, DB> for ZoneColumn
where
    String: FromSql<Text, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        let name = String::from_sql(bytes)?;
        Ok(ZoneColumn(name.parse::<Tz>().unwrap_or_else(|_| {
            tracing::warn!("{name:?} is not a time zone; read as UTC");
            Tz::UTC
        })))
    }
}

impl From<ZoneColumn> for Tz {
    fn from(zone: ZoneColumn) -> Tz {
        zone.0
    }
}

/// How far inside chrono's calendar a stored day or instant is read: room for
/// any zone's offset and for the few days either side that pages and the
/// conflict engine look at, so none of that arithmetic can overflow.
const EDGE_MARGIN: Days = Days::new(7);

/// A day as far inside chrono's calendar as [`EDGE_MARGIN`]; any day that
/// forms accept (2000 to 2099) is unchanged.
fn inside_edges(day: NaiveDate) -> NaiveDate {
    let first = NaiveDate::MIN + EDGE_MARGIN;
    let last = NaiveDate::MAX - EDGE_MARGIN;
    day.clamp(first, last)
}

/// The day shown for a stored day that cannot be read at all (SQLite keeps
/// any text in a date column): the first day the contract allows, plainly
/// wrong on the page, where staff can correct it.
fn unreadable_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default()
}

/// A visit's day, read [`inside_edges`]: a row written by other means (a bad
/// import, a hand-made fix) with a day at chrono's very end is shown a week
/// from it, and one that is no day at all as [`unreadable_day`], rather than
/// taking down every page that lists it.
#[derive(diesel::deserialize::FromSqlRow)]
pub struct DayColumn(NaiveDate);

impl<DB: Backend> FromSql<Date, DB> for DayColumn
where
    NaiveDate: FromSql<Date, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        let day = NaiveDate::from_sql(bytes).unwrap_or_else(|e| {
            tracing::warn!(
                "a stored day cannot be read ({e}); shown as {}",
                unreadable_day()
            );
            unreadable_day()
        });
        Ok(DayColumn(inside_edges(day)))
    }
}

impl From<DayColumn> for NaiveDate {
    fn from(day: DayColumn) -> NaiveDate {
        day.0
    }
}

/// An instant of the programme (naive UTC), read [`inside_edges`] (and, when
/// unreadable, at [`unreadable_day`]) as [`DayColumn`] reads days.
#[derive(diesel::deserialize::FromSqlRow)]
pub struct InstantColumn(NaiveDateTime);

impl<DB: Backend> FromSql<Timestamp, DB> for InstantColumn
where
    NaiveDateTime: FromSql<Timestamp, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        // Clamped as a whole instant, so a start and an end keep their order.
        let first = inside_edges(NaiveDate::MIN).and_time(NaiveTime::MIN);
        let last = inside_edges(NaiveDate::MAX).and_time(NaiveTime::MIN);
        let at = NaiveDateTime::from_sql(bytes).unwrap_or_else(|e| {
            let shown = unreadable_day().and_time(NaiveTime::MIN);
            tracing::warn!("a stored instant cannot be read ({e}); shown as {shown}");
            shown
        });
        Ok(InstantColumn(at.clamp(first, last)))
    }
}

impl From<InstantColumn> for NaiveDateTime {
    fn from(at: InstantColumn) -> NaiveDateTime {
        at.0
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, Serialize)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub full_name: String,
    #[serde(skip)]
    pub password_hash: String,
    #[diesel(deserialize_as = String)]
    pub role: Role,
    #[diesel(deserialize_as = String)]
    pub language: Language,
    pub created_at: NaiveDateTime,
    #[serde(skip)]
    pub disabled_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id: i64,
    pub user_id: i64,
    pub secret_hash: String,
    pub csrf: String,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub seen_from: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub full_name: &'a str,
    pub password_hash: &'a str,
    pub role: &'a str,
    pub language: &'a str,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, Serialize)]
#[diesel(table_name = officials)]
pub struct OfficialRow {
    pub id: i64,
    pub full_name: String,
    pub position: Option<String>,
    pub organization: Option<String>,
    pub precedence: i32,
    pub email: Option<String>,
    pub phone: Option<String>,
    #[diesel(deserialize_as = String)]
    pub language: Language,
    pub notes: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = officials, treat_none_as_null = true)]
pub struct OfficialChanges {
    pub full_name: String,
    pub position: Option<String>,
    pub organization: Option<String>,
    pub precedence: i32,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub language: String,
    pub notes: Option<String>,
    pub updated_at: NaiveDateTime,
    /// Its names and titles lower-cased, for searching the lists.
    pub search_text: String,
}

impl OfficialChanges {
    pub fn new(o: &Official, now: NaiveDateTime) -> Self {
        Self {
            full_name: o.full_name.clone(),
            position: o.position.clone(),
            organization: o.organization.clone(),
            precedence: o.precedence,
            email: o.email.as_ref().map(|e| e.to_string()),
            phone: o.phone.clone(),
            language: o.language.as_str().to_owned(),
            notes: o.notes.clone(),
            updated_at: now,
            search_text: search_text([
                Some(o.full_name.as_str()),
                o.position.as_deref(),
                o.organization.as_deref(),
            ]),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, Serialize)]
#[diesel(table_name = venues)]
pub struct VenueRow {
    pub id: i64,
    pub name: String,
    #[diesel(deserialize_as = String)]
    pub kind: VenueKind,
    pub address: Option<String>,
    pub city: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    #[diesel(deserialize_as = ZoneColumn)]
    pub timezone: Tz,
    pub capacity: Option<i32>,
    pub opens: Option<NaiveTime>,
    pub closes: Option<NaiveTime>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub notes: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = venues, treat_none_as_null = true)]
pub struct VenueChanges {
    pub name: String,
    pub kind: String,
    pub address: Option<String>,
    pub city: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub timezone: String,
    pub capacity: Option<i32>,
    pub opens: Option<NaiveTime>,
    pub closes: Option<NaiveTime>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub notes: Option<String>,
    pub updated_at: NaiveDateTime,
    /// Its names and titles lower-cased, for searching the lists.
    pub search_text: String,
}

impl VenueChanges {
    pub fn new(v: &Venue, now: NaiveDateTime) -> Self {
        Self {
            name: v.name.clone(),
            kind: v.kind.as_str().to_owned(),
            address: v.address.clone(),
            city: v.city.clone(),
            latitude: v.coordinates.map(|c| c.latitude),
            longitude: v.coordinates.map(|c| c.longitude),
            timezone: v.timezone.name().to_owned(),
            capacity: v.capacity,
            opens: v.hours.map(|h| h.opens),
            closes: v.hours.map(|h| h.closes),
            contact_name: v.contact_name.clone(),
            contact_phone: v.contact_phone.clone(),
            contact_email: v.contact_email.as_ref().map(|e| e.to_string()),
            notes: v.notes.clone(),
            updated_at: now,
            search_text: search_text([
                Some(v.name.as_str()),
                v.city.as_deref(),
                v.address.as_deref(),
            ]),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, Serialize)]
#[diesel(table_name = participants)]
pub struct ParticipantRow {
    pub id: i64,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub organization: Option<String>,
    pub position: Option<String>,
    #[diesel(deserialize_as = String)]
    pub language: Language,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = participants, treat_none_as_null = true)]
pub struct ParticipantChanges {
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub organization: Option<String>,
    pub position: Option<String>,
    pub language: String,
    pub updated_at: NaiveDateTime,
    /// Its names and titles lower-cased, for searching the lists.
    pub search_text: String,
}

impl ParticipantChanges {
    pub fn new(p: &Participant, now: NaiveDateTime) -> Self {
        Self {
            full_name: p.full_name.clone(),
            email: p.email.as_ref().map(|e| e.to_string()),
            phone: p.phone.clone(),
            organization: p.organization.clone(),
            position: p.position.clone(),
            language: p.language.as_str().to_owned(),
            updated_at: now,
            search_text: search_text([
                Some(p.full_name.as_str()),
                p.organization.as_deref(),
                p.position.as_deref(),
                p.email.as_ref().map(|e| e.as_str()),
            ]),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, Serialize)]
#[diesel(table_name = attendee_groups)]
pub struct GroupRow {
    pub id: i64,
    pub name: String,
    pub description: Option<String>,
    pub headcount: i32,
    pub contact_participant_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = attendee_groups, treat_none_as_null = true)]
pub struct GroupChanges {
    pub name: String,
    pub description: Option<String>,
    pub headcount: i32,
    pub contact_participant_id: Option<i64>,
    pub updated_at: NaiveDateTime,
    /// Its names and titles lower-cased, for searching the lists.
    pub search_text: String,
}

impl GroupChanges {
    pub fn new(g: &AttendeeGroup, now: NaiveDateTime) -> Self {
        Self {
            name: g.name.clone(),
            description: g.description.clone(),
            headcount: g.headcount,
            contact_participant_id: g.contact_participant_id,
            updated_at: now,
            search_text: search_text([Some(g.name.as_str()), g.description.as_deref()]),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, Serialize)]
#[diesel(table_name = visits)]
pub struct VisitRow {
    pub id: i64,
    pub title: String,
    pub theme: Option<String>,
    pub region: Option<String>,
    #[diesel(deserialize_as = ZoneColumn)]
    pub timezone: Tz,
    #[diesel(deserialize_as = DayColumn)]
    pub first_day: NaiveDate,
    #[diesel(deserialize_as = DayColumn)]
    pub last_day: NaiveDate,
    pub lead_official_id: Option<i64>,
    #[diesel(deserialize_as = String)]
    pub status: VisitStatus,
    pub published_version: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = visits, treat_none_as_null = true)]
pub struct VisitChanges {
    pub title: String,
    pub theme: Option<String>,
    pub region: Option<String>,
    pub timezone: String,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub lead_official_id: Option<i64>,
    pub status: String,
    pub updated_at: NaiveDateTime,
    /// Its names and titles lower-cased, for searching the lists.
    pub search_text: String,
}

impl VisitChanges {
    pub fn new(v: &Visit, now: NaiveDateTime) -> Self {
        Self {
            title: v.title.clone(),
            theme: v.theme.clone(),
            region: v.region.clone(),
            timezone: v.timezone.name().to_owned(),
            first_day: v.first_day,
            last_day: v.last_day,
            lead_official_id: v.lead_official_id,
            status: v.status.as_str().to_owned(),
            updated_at: now,
            search_text: search_text([
                Some(v.title.as_str()),
                v.region.as_deref(),
                v.theme.as_deref(),
            ]),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, Serialize)]
#[diesel(table_name = meetings)]
pub struct MeetingRow {
    pub id: i64,
    pub visit_id: i64,
    #[diesel(deserialize_as = String)]
    pub kind: MeetingKind,
    pub title: String,
    #[diesel(deserialize_as = InstantColumn)]
    pub starts_at: NaiveDateTime,
    #[diesel(deserialize_as = InstantColumn)]
    pub ends_at: NaiveDateTime,
    pub venue_id: Option<i64>,
    pub responsible: Option<String>,
    pub agenda: Option<String>,
    pub briefing_notes: Option<String>,
    pub logistics: Option<String>,
    pub dress_code: Option<String>,
    #[diesel(deserialize_as = String)]
    pub status: MeetingStatus,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What the conflict engine reads of a meeting: when, where, and whether it
/// still stands (not its agenda and notes).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = meetings)]
pub struct TimedMeetingRow {
    pub id: i64,
    pub visit_id: i64,
    pub title: String,
    #[diesel(deserialize_as = InstantColumn)]
    pub starts_at: NaiveDateTime,
    #[diesel(deserialize_as = InstantColumn)]
    pub ends_at: NaiveDateTime,
    pub venue_id: Option<i64>,
    #[diesel(deserialize_as = String)]
    pub status: MeetingStatus,
}

#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = meetings, treat_none_as_null = true)]
pub struct MeetingChanges {
    pub kind: String,
    pub title: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub venue_id: Option<i64>,
    pub responsible: Option<String>,
    pub agenda: Option<String>,
    pub briefing_notes: Option<String>,
    pub logistics: Option<String>,
    pub dress_code: Option<String>,
    pub status: String,
    pub updated_at: NaiveDateTime,
}

impl MeetingChanges {
    pub fn new(m: &crate::domain::model::Meeting, now: NaiveDateTime) -> Self {
        Self {
            kind: m.kind.as_str().to_owned(),
            title: m.title.clone(),
            starts_at: m.time.start().naive_utc(),
            ends_at: m.time.end().naive_utc(),
            venue_id: m.venue_id,
            responsible: m.responsible.clone(),
            agenda: m.agenda.clone(),
            briefing_notes: m.briefing_notes.clone(),
            logistics: m.logistics.clone(),
            dress_code: m.dress_code.clone(),
            status: m.status.as_str().to_owned(),
            updated_at: now,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = meeting_officials)]
pub struct MeetingOfficialRow {
    pub meeting_id: i64,
    pub official_id: i64,
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, Serialize)]
#[diesel(table_name = unavailability)]
pub struct UnavailabilityRow {
    pub id: i64,
    pub official_id: Option<i64>,
    pub venue_id: Option<i64>,
    #[diesel(deserialize_as = InstantColumn)]
    pub starts_at: NaiveDateTime,
    #[diesel(deserialize_as = InstantColumn)]
    pub ends_at: NaiveDateTime,
    pub reason: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = unavailability)]
pub struct NewUnavailability {
    pub official_id: Option<i64>,
    pub venue_id: Option<i64>,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub reason: Option<String>,
    pub created_at: NaiveDateTime,
}

impl NewUnavailability {
    pub fn new(u: &Unavailability, now: NaiveDateTime) -> Self {
        let (official_id, venue_id) = match u.who {
            Unavailable::Official(id) => (Some(id), None),
            Unavailable::Venue(id) => (None, Some(id)),
        };
        Self {
            official_id,
            venue_id,
            starts_at: u.time.start().naive_utc(),
            ends_at: u.time.end().naive_utc(),
            reason: u.reason.clone(),
            created_at: now,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = travel_times)]
pub struct TravelTimeRow {
    pub from_venue_id: i64,
    pub to_venue_id: i64,
    pub minutes: i32,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, Serialize)]
#[diesel(table_name = audit_events)]
pub struct AuditEventRow {
    pub id: i64,
    pub user_id: Option<i64>,
    pub actor: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub visit_id: Option<i64>,
    pub action: String,
    pub before: Option<String>,
    pub after: Option<String>,
    #[diesel(deserialize_as = InstantColumn)]
    pub at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = audit_events)]
pub struct NewAuditEvent {
    pub user_id: Option<i64>,
    pub actor: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub visit_id: Option<i64>,
    pub action: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub at: NaiveDateTime,
}

/// A venue security service's mark on one person for one visit.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = access_clearances)]
pub struct ClearanceRow {
    pub visit_id: i64,
    pub venue_id: i64,
    #[diesel(deserialize_as = String)]
    pub person_kind: PersonKind,
    pub person_id: i64,
    #[diesel(deserialize_as = String)]
    pub status: Clearance,
    pub updated_at: NaiveDateTime,
}
