//! What the API sends back: each resource as the same fields it accepts, plus
//! its id and what only the server sets. A record turns back into its input
//! here, which is also what a partial update is merged onto.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveDateTime};
use chrono_tz::Tz;
use serde::Serialize;

use crate::domain::display_zone;
use crate::domain::model::*;
use crate::services::catalogue::{GroupRecord, ParticipantRecord};
use crate::services::programme::{MeetingRecord, VisitRecord};
use crate::services::{OfficialRow, TravelTimeRow, UnavailabilityRow, VenueRow};

/// A resource as the API shows it: its id, then its fields.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Resource<T> {
    pub id: i64,
    #[serde(flatten)]
    #[schema(inline)]
    pub fields: T,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VisitView {
    pub id: i64,
    #[serde(flatten)]
    #[schema(inline)]
    pub fields: VisitInput,
    pub published_version: Option<i32>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MeetingView {
    pub id: i64,
    pub visit_id: i64,
    #[serde(flatten)]
    #[schema(inline)]
    pub fields: MeetingInput,
}

/// A stored UTC instant shown in a zone, with that zone's offset.
pub fn in_zone(at: NaiveDateTime, zone: Tz) -> DateTime<FixedOffset> {
    at.and_utc().with_timezone(&zone).fixed_offset()
}

pub fn official_input(row: &OfficialRow) -> OfficialInput {
    OfficialInput {
        full_name: Some(row.full_name.clone()),
        position: row.position.clone(),
        organization: row.organization.clone(),
        precedence: Some(row.precedence),
        email: row.email.clone(),
        phone: row.phone.clone(),
        language: Some(row.language.to_string()),
        notes: row.notes.clone(),
    }
}

pub fn official_view(row: &OfficialRow) -> Resource<OfficialInput> {
    Resource {
        id: row.id,
        fields: official_input(row),
    }
}

pub fn venue_view(row: &VenueRow) -> Resource<VenueInput> {
    Resource {
        id: row.id,
        fields: venue_input(row),
    }
}

pub fn participant_view(record: &ParticipantRecord) -> Resource<ParticipantInput> {
    Resource {
        id: record.row.id,
        fields: participant_input(record),
    }
}

pub fn group_view(record: &GroupRecord) -> Resource<GroupInput> {
    Resource {
        id: record.row.id,
        fields: group_input(record),
    }
}

pub fn venue_input(row: &VenueRow) -> VenueInput {
    VenueInput {
        name: Some(row.name.clone()),
        kind: Some(row.kind.to_string()),
        address: row.address.clone(),
        city: row.city.clone(),
        latitude: row.latitude,
        longitude: row.longitude,
        timezone: Some(row.timezone.name().to_owned()),
        capacity: row.capacity,
        opens: row.opens.map(|t| t.format("%H:%M").to_string()),
        closes: row.closes.map(|t| t.format("%H:%M").to_string()),
        contact_name: row.contact_name.clone(),
        contact_phone: row.contact_phone.clone(),
        contact_email: row.contact_email.clone(),
        notes: row.notes.clone(),
    }
}

pub fn participant_input(record: &ParticipantRecord) -> ParticipantInput {
    let row = &record.row;
    ParticipantInput {
        full_name: Some(row.full_name.clone()),
        email: row.email.clone(),
        phone: row.phone.clone(),
        organization: row.organization.clone(),
        position: row.position.clone(),
        language: Some(row.language.to_string()),
        group_ids: record.group_ids.clone(),
    }
}

pub fn group_input(record: &GroupRecord) -> GroupInput {
    let row = &record.row;
    GroupInput {
        name: Some(row.name.clone()),
        description: row.description.clone(),
        headcount: Some(row.headcount),
        contact_participant_id: row.contact_participant_id,
        participant_ids: record.participant_ids.clone(),
    }
}

pub fn visit_input(record: &VisitRecord) -> VisitInput {
    let row = &record.row;
    VisitInput {
        title: Some(row.title.clone()),
        theme: row.theme.clone(),
        region: row.region.clone(),
        timezone: Some(row.timezone.name().to_owned()),
        first_day: Some(row.first_day),
        last_day: Some(row.last_day),
        official_ids: record.official_ids.clone(),
        lead_official_id: row.lead_official_id,
        status: Some(row.status.to_string()),
    }
}

pub fn visit_view(record: &VisitRecord) -> VisitView {
    VisitView {
        id: record.row.id,
        fields: visit_input(record),
        published_version: record.row.published_version,
    }
}

/// Zones by venue id, for showing meetings in their venue's time.
pub type VenueZones = HashMap<i64, Tz>;

pub fn venue_zones(venues: &[VenueRow]) -> VenueZones {
    venues.iter().map(|v| (v.id, v.timezone)).collect()
}

/// The zone a meeting is shown in: its venue's, else its visit's.
pub fn meeting_zone(record: &MeetingRecord, venues: &VenueZones, visit_zone: Tz) -> Tz {
    let venue = record.row.venue_id.and_then(|v| venues.get(&v).copied());
    display_zone(venue, visit_zone)
}

pub fn meeting_input(record: &MeetingRecord, zone: Tz) -> MeetingInput {
    let row = &record.row;
    MeetingInput {
        title: Some(row.title.clone()),
        kind: Some(row.kind.to_string()),
        starts_at: Some(in_zone(row.starts_at, zone)),
        ends_at: Some(in_zone(row.ends_at, zone)),
        venue_id: row.venue_id,
        official_ids: record.official_ids.clone(),
        official_roles: record.official_roles.clone(),
        group_ids: record.group_ids.clone(),
        participant_ids: record.participant_ids.clone(),
        responsible: row.responsible.clone(),
        agenda: row.agenda.clone(),
        briefing_notes: row.briefing_notes.clone(),
        logistics: row.logistics.clone(),
        dress_code: row.dress_code.clone(),
        status: Some(row.status.to_string()),
        version: Some(row.version),
    }
}

pub fn meeting_view(record: &MeetingRecord, zone: Tz) -> MeetingView {
    MeetingView {
        id: record.row.id,
        visit_id: record.row.visit_id,
        fields: meeting_input(record, zone),
    }
}

/// A venue's window is shown in the venue's zone; an official's in UTC.
/// A window with its instants in its venue's zone, else in `otherwise`.
pub fn unavailability_view(
    row: &UnavailabilityRow,
    venues: &VenueZones,
    otherwise: Tz,
) -> Resource<UnavailabilityInput> {
    let zone = row
        .venue_id
        .and_then(|v| venues.get(&v).copied())
        .unwrap_or(otherwise);
    Resource {
        id: row.id,
        fields: UnavailabilityInput {
            official_id: row.official_id,
            venue_id: row.venue_id,
            starts_at: Some(in_zone(row.starts_at, zone)),
            ends_at: Some(in_zone(row.ends_at, zone)),
            reason: row.reason.clone(),
        },
    }
}

pub fn travel_time_input(row: &TravelTimeRow) -> TravelTimeInput {
    TravelTimeInput {
        from_venue_id: Some(row.from_venue_id),
        to_venue_id: Some(row.to_venue_id),
        minutes: Some(row.minutes),
    }
}
