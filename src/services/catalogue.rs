//! The people and places visits are made of: officials, venues, participants,
//! attendee groups, unavailability and travel times.

use serde::Serialize;

use super::{
    check_ids_exist, now, Actor, Audit, InUse, ListQuery, Page, ServiceError, ServiceResult,
};
use crate::db::rows::*;
use crate::db::{repo, write_transaction, DbConn};
use crate::domain::model::{
    AttendeeGroup, GroupInput, Official, OfficialInput, Participant, ParticipantInput, TravelTime,
    TravelTimeInput, Unavailability, UnavailabilityInput, Unavailable, Venue, VenueInput,
};
use crate::domain::{FieldProblem, ValidationErrors};

use super::Conn;

catalogued!(Officials, officials, OfficialInput, OfficialRow, |r| r.id);
catalogued!(Venues, venues, VenueInput, VenueRow, |r| r.id);
catalogued!(
    Participants,
    participants,
    ParticipantInput,
    ParticipantRecord,
    |r| r.row.id
);
catalogued!(Groups, groups, GroupInput, GroupRecord, |r| r.row.id);
catalogued!(
    Unavailabilities,
    unavailability,
    UnavailabilityInput,
    UnavailabilityRow,
    |r| r.id
);

fn not_found(entity: &'static str, id: i64) -> ServiceError {
    ServiceError::NotFound { entity, id }
}

// ---------------------------------------------------------------------------
// Officials

pub mod officials {
    use super::*;

    pub fn get(conn: &mut DbConn, id: i64) -> ServiceResult<OfficialRow> {
        repo::find_official(conn, id)?.ok_or_else(|| not_found("official", id))
    }

    /// In protocol order.
    pub fn list(conn: &mut DbConn) -> ServiceResult<Vec<OfficialRow>> {
        Ok(repo::list_officials(conn)?)
    }

    /// One page in protocol order.
    pub fn page(conn: &mut DbConn, query: &ListQuery) -> ServiceResult<Page<OfficialRow>> {
        Ok(repo::page_officials(conn, query)?)
    }

    /// The officials named, in no particular order (ids that name none are left out).
    pub fn by_ids(conn: &mut DbConn, ids: &[i64]) -> ServiceResult<Vec<OfficialRow>> {
        Ok(repo::officials_by_ids(conn, ids)?)
    }

    pub fn create(
        conn: &mut DbConn,
        actor: &Actor,
        input: &OfficialInput,
    ) -> ServiceResult<OfficialRow> {
        let official = Official::try_from(input)?;
        write_transaction(conn, |conn| {
            let now = now();
            let id = repo::insert_official(conn, &OfficialChanges::new(&official, now), now)?;
            let created = get(conn, id)?;
            Audit::created("official", id, &created).write(conn, actor)?;
            Ok(created)
        })
    }

    pub fn update(
        conn: &mut DbConn,
        actor: &Actor,
        id: i64,
        input: &OfficialInput,
    ) -> ServiceResult<OfficialRow> {
        let official = Official::try_from(input)?;
        write_transaction(conn, |conn| {
            let before = get(conn, id)?;
            repo::update_official(conn, id, &OfficialChanges::new(&official, now()))?;
            let after = get(conn, id)?;
            Audit::updated("official", id, &before, &after).write(conn, actor)?;
            Ok(after)
        })
    }

    /// Refused while a meeting or a visit names the official.
    pub fn delete(conn: &mut DbConn, actor: &Actor, id: i64) -> ServiceResult<()> {
        write_transaction(conn, |conn| {
            let before = get(conn, id)?;
            let (meetings, visits) = repo::official_usage(conn, id)?;
            if meetings > 0 || visits > 0 {
                return Err(ServiceError::InUse {
                    entity: "official",
                    id,
                    reason: InUse::OfficialNamed { meetings, visits },
                });
            }
            repo::delete_official(conn, id)?;
            Audit::deleted("official", id, &before).write(conn, actor)
        })
    }
}

// ---------------------------------------------------------------------------
// Venues

pub mod venues {
    use super::*;

    pub fn get(conn: &mut DbConn, id: i64) -> ServiceResult<VenueRow> {
        repo::find_venue(conn, id)?.ok_or_else(|| not_found("venue", id))
    }

    /// The venue, if there is one: a meeting's or a window's optional venue.
    pub fn of(conn: &mut DbConn, id: Option<i64>) -> ServiceResult<Vec<VenueRow>> {
        match id {
            Some(id) => Ok(repo::find_venue(conn, id)?.into_iter().collect()),
            None => Ok(Vec::new()),
        }
    }

    pub fn list(conn: &mut DbConn) -> ServiceResult<Vec<VenueRow>> {
        Ok(repo::list_venues(conn)?)
    }

    pub fn page(conn: &mut DbConn, query: &ListQuery) -> ServiceResult<Page<VenueRow>> {
        Ok(repo::page_venues(conn, query)?)
    }

    pub fn create(conn: &mut DbConn, actor: &Actor, input: &VenueInput) -> ServiceResult<VenueRow> {
        let venue = Venue::try_from(input)?;
        write_transaction(conn, |conn| {
            let now = now();
            let id = repo::insert_venue(conn, &VenueChanges::new(&venue, now), now)?;
            let created = get(conn, id)?;
            Audit::created("venue", id, &created).write(conn, actor)?;
            Ok(created)
        })
    }

    pub fn update(
        conn: &mut DbConn,
        actor: &Actor,
        id: i64,
        input: &VenueInput,
    ) -> ServiceResult<VenueRow> {
        let venue = Venue::try_from(input)?;
        write_transaction(conn, |conn| {
            let before = get(conn, id)?;
            repo::update_venue(conn, id, &VenueChanges::new(&venue, now()))?;
            let after = get(conn, id)?;
            Audit::updated("venue", id, &before, &after).write(conn, actor)?;
            Ok(after)
        })
    }

    /// Refused while meetings take place there; its travel times and
    /// unavailability go with it.
    pub fn delete(conn: &mut DbConn, actor: &Actor, id: i64) -> ServiceResult<()> {
        write_transaction(conn, |conn| {
            let before = get(conn, id)?;
            let meetings = repo::meetings_at_venue(conn, id)?;
            if meetings > 0 {
                return Err(ServiceError::InUse {
                    entity: "venue",
                    id,
                    reason: InUse::MeetingsAtVenue(meetings),
                });
            }
            repo::delete_venue(conn, id)?;
            Audit::deleted("venue", id, &before).write(conn, actor)
        })
    }
}

// ---------------------------------------------------------------------------
// Participants

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ParticipantRecord {
    #[serde(flatten)]
    pub row: ParticipantRow,
    pub group_ids: Vec<i64>,
}

pub mod participants {
    use super::*;

    pub fn get(conn: &mut DbConn, id: i64) -> ServiceResult<ParticipantRecord> {
        let row = repo::find_participant(conn, id)?.ok_or_else(|| not_found("participant", id))?;
        let group_ids = repo::memberships_of_participants(conn, Some(&[id]))?
            .into_iter()
            .map(|(group, _)| group)
            .collect();
        Ok(ParticipantRecord { row, group_ids })
    }

    /// By name, each with their groups (two queries, however many people).
    pub fn list(conn: &mut DbConn) -> ServiceResult<Vec<ParticipantRecord>> {
        let rows = repo::list_participants(conn)?;
        let memberships = repo::memberships_of_participants(conn, None)?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let group_ids = memberships
                    .iter()
                    .filter(|(_, p)| *p == row.id)
                    .map(|(g, _)| *g)
                    .collect();
                ParticipantRecord { row, group_ids }
            })
            .collect())
    }

    /// The people named, without their groups (ids that name none are left out).
    pub fn by_ids(conn: &mut DbConn, ids: &[i64]) -> ServiceResult<Vec<ParticipantRow>> {
        Ok(repo::participants_by_ids(conn, ids)?)
    }

    /// One page by name, each with their groups (two queries and a count).
    pub fn page(conn: &mut DbConn, query: &ListQuery) -> ServiceResult<Page<ParticipantRecord>> {
        let page = repo::page_participants(conn, query)?;
        let ids: Vec<i64> = page.items.iter().map(|row| row.id).collect();
        let memberships = repo::memberships_of_participants(conn, Some(&ids))?;
        Ok(page.map(|row| {
            let group_ids = memberships
                .iter()
                .filter(|(_, p)| *p == row.id)
                .map(|(g, _)| *g)
                .collect();
            ParticipantRecord { row, group_ids }
        }))
    }

    fn validate(conn: &mut DbConn, input: &ParticipantInput) -> ServiceResult<Participant> {
        let participant = Participant::try_from(input)?;
        let mut errors = ValidationErrors::new();
        let found = repo::existing_group_ids(conn, &participant.group_ids)?;
        check_ids_exist(&mut errors, "group_ids", &participant.group_ids, &found);
        errors.into_result(|| participant).map_err(Into::into)
    }

    pub fn create(
        conn: &mut DbConn,
        actor: &Actor,
        input: &ParticipantInput,
    ) -> ServiceResult<ParticipantRecord> {
        write_transaction(conn, |conn| {
            let participant = validate(conn, input)?;
            let now = now();
            let id =
                repo::insert_participant(conn, &ParticipantChanges::new(&participant, now), now)?;
            repo::set_participant_groups(conn, id, &participant.group_ids)?;
            let created = get(conn, id)?;
            Audit::created("participant", id, &created).write(conn, actor)?;
            Ok(created)
        })
    }

    pub fn update(
        conn: &mut DbConn,
        actor: &Actor,
        id: i64,
        input: &ParticipantInput,
    ) -> ServiceResult<ParticipantRecord> {
        write_transaction(conn, |conn| {
            let before = get(conn, id)?;
            let participant = validate(conn, input)?;
            repo::update_participant(conn, id, &ParticipantChanges::new(&participant, now()))?;
            repo::set_participant_groups(conn, id, &participant.group_ids)?;
            let after = get(conn, id)?;
            Audit::updated("participant", id, &before, &after).write(conn, actor)?;
            Ok(after)
        })
    }

    /// Refused while meetings name the person; group memberships go with them.
    pub fn delete(conn: &mut DbConn, actor: &Actor, id: i64) -> ServiceResult<()> {
        write_transaction(conn, |conn| {
            let before = get(conn, id)?;
            let meetings = repo::meetings_of_participant(conn, id)?;
            if meetings > 0 {
                return Err(ServiceError::InUse {
                    entity: "participant",
                    id,
                    reason: InUse::ParticipantInvited(meetings),
                });
            }
            repo::delete_participant(conn, id)?;
            Audit::deleted("participant", id, &before).write(conn, actor)
        })
    }
}

// ---------------------------------------------------------------------------
// Attendee groups

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupRecord {
    #[serde(flatten)]
    pub row: GroupRow,
    pub participant_ids: Vec<i64>,
}

pub mod groups {
    use super::*;

    pub fn get(conn: &mut DbConn, id: i64) -> ServiceResult<GroupRecord> {
        let row = repo::find_group(conn, id)?.ok_or_else(|| not_found("group", id))?;
        let participant_ids = repo::memberships_of_groups(conn, Some(&[id]))?
            .into_iter()
            .map(|(_, p)| p)
            .collect();
        Ok(GroupRecord {
            row,
            participant_ids,
        })
    }

    pub fn list(conn: &mut DbConn) -> ServiceResult<Vec<GroupRecord>> {
        let rows = repo::list_groups(conn)?;
        let memberships = repo::memberships_of_groups(conn, None)?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let participant_ids = memberships
                    .iter()
                    .filter(|(g, _)| *g == row.id)
                    .map(|(_, p)| *p)
                    .collect();
                GroupRecord {
                    row,
                    participant_ids,
                }
            })
            .collect())
    }

    /// The groups named, without their members (ids that name none are left out).
    pub fn by_ids(conn: &mut DbConn, ids: &[i64]) -> ServiceResult<Vec<GroupRow>> {
        Ok(repo::groups_by_ids(conn, ids)?)
    }

    /// One page by name, each with its members (two queries and a count).
    pub fn page(conn: &mut DbConn, query: &ListQuery) -> ServiceResult<Page<GroupRecord>> {
        let page = repo::page_groups(conn, query)?;
        let ids: Vec<i64> = page.items.iter().map(|row| row.id).collect();
        let memberships = repo::memberships_of_groups(conn, Some(&ids))?;
        Ok(page.map(|row| {
            let participant_ids = memberships
                .iter()
                .filter(|(g, _)| *g == row.id)
                .map(|(_, p)| *p)
                .collect();
            GroupRecord {
                row,
                participant_ids,
            }
        }))
    }

    fn validate(conn: &mut DbConn, input: &GroupInput) -> ServiceResult<AttendeeGroup> {
        let group = AttendeeGroup::try_from(input)?;
        let mut errors = ValidationErrors::new();
        let found = repo::existing_participant_ids(conn, &group.participant_ids)?;
        check_ids_exist(
            &mut errors,
            "participant_ids",
            &group.participant_ids,
            &found,
        );
        if let Some(contact) = group.contact_participant_id {
            let found = repo::existing_participant_ids(conn, &[contact])?;
            check_ids_exist(&mut errors, "contact_participant_id", &[contact], &found);
        }
        errors.into_result(|| group).map_err(Into::into)
    }

    pub fn create(
        conn: &mut DbConn,
        actor: &Actor,
        input: &GroupInput,
    ) -> ServiceResult<GroupRecord> {
        write_transaction(conn, |conn| {
            let group = validate(conn, input)?;
            let now = now();
            let id = repo::insert_group(conn, &GroupChanges::new(&group, now), now)?;
            repo::set_group_members(conn, id, &group.participant_ids)?;
            let created = get(conn, id)?;
            Audit::created("group", id, &created).write(conn, actor)?;
            Ok(created)
        })
    }

    pub fn update(
        conn: &mut DbConn,
        actor: &Actor,
        id: i64,
        input: &GroupInput,
    ) -> ServiceResult<GroupRecord> {
        write_transaction(conn, |conn| {
            let before = get(conn, id)?;
            let group = validate(conn, input)?;
            repo::update_group(conn, id, &GroupChanges::new(&group, now()))?;
            repo::set_group_members(conn, id, &group.participant_ids)?;
            let after = get(conn, id)?;
            Audit::updated("group", id, &before, &after).write(conn, actor)?;
            Ok(after)
        })
    }

    /// Refused while meetings invite the group; its members stay as participants.
    pub fn delete(conn: &mut DbConn, actor: &Actor, id: i64) -> ServiceResult<()> {
        write_transaction(conn, |conn| {
            let before = get(conn, id)?;
            let meetings = repo::meetings_of_group(conn, id)?;
            if meetings > 0 {
                return Err(ServiceError::InUse {
                    entity: "group",
                    id,
                    reason: InUse::GroupInvited(meetings),
                });
            }
            repo::delete_group(conn, id)?;
            Audit::deleted("group", id, &before).write(conn, actor)
        })
    }
}

// ---------------------------------------------------------------------------
// Unavailability

pub mod unavailability {
    use super::*;

    pub fn get(conn: &mut DbConn, id: i64) -> ServiceResult<UnavailabilityRow> {
        repo::find_unavailability(conn, id)?.ok_or_else(|| not_found("unavailability", id))
    }

    pub fn list(conn: &mut DbConn) -> ServiceResult<Vec<UnavailabilityRow>> {
        Ok(repo::list_unavailability(conn)?)
    }

    /// One page by start; a search names officials or venues.
    pub fn page(conn: &mut DbConn, query: &ListQuery) -> ServiceResult<Page<UnavailabilityRow>> {
        Ok(repo::page_unavailability(conn, query)?)
    }

    pub fn create(
        conn: &mut DbConn,
        actor: &Actor,
        input: &UnavailabilityInput,
    ) -> ServiceResult<UnavailabilityRow> {
        let window = Unavailability::try_from(input)?;
        write_transaction(conn, |conn| {
            let (field, found) = match window.who {
                Unavailable::Official(id) => {
                    ("official_id", repo::existing_official_ids(conn, &[id])?)
                }
                Unavailable::Venue(id) => ("venue_id", repo::existing_venue_ids(conn, &[id])?),
            };
            let id = match window.who {
                Unavailable::Official(id) | Unavailable::Venue(id) => id,
            };
            if found.is_empty() {
                return Err(ValidationErrors::single(field, FieldProblem::UnknownId { id }).into());
            }
            let new_id =
                repo::insert_unavailability(conn, &NewUnavailability::new(&window, now()))?;
            let created = get(conn, new_id)?;
            Audit::created("unavailability", new_id, &created).write(conn, actor)?;
            Ok(created)
        })
    }

    pub fn delete(conn: &mut DbConn, actor: &Actor, id: i64) -> ServiceResult<()> {
        write_transaction(conn, |conn| {
            let before = get(conn, id)?;
            repo::delete_unavailability(conn, id)?;
            Audit::deleted("unavailability", id, &before).write(conn, actor)
        })
    }

    /// A window is replaced rather than edited: the old one goes, the new one
    /// comes, together or not at all.
    pub fn update(
        conn: &mut DbConn,
        actor: &Actor,
        id: i64,
        input: &UnavailabilityInput,
    ) -> ServiceResult<UnavailabilityRow> {
        write_transaction(conn, |conn| {
            delete(conn, actor, id)?;
            create(conn, actor, input)
        })
    }
}

// ---------------------------------------------------------------------------
// Travel times

pub mod travel_times {
    use super::*;

    pub fn list(conn: &mut DbConn) -> ServiceResult<Vec<TravelTimeRow>> {
        Ok(repo::list_travel_times(conn)?)
    }

    /// Sets the minutes from one venue to another (one direction).
    pub fn put(
        conn: &mut DbConn,
        actor: &Actor,
        input: &TravelTimeInput,
    ) -> ServiceResult<TravelTimeRow> {
        let travel = TravelTime::try_from(input)?;
        write_transaction(conn, |conn| {
            let wanted = [travel.from_venue_id, travel.to_venue_id];
            let found = repo::existing_venue_ids(conn, &wanted)?;
            let mut errors = ValidationErrors::new();
            check_ids_exist(&mut errors, "from_venue_id", &wanted[..1], &found);
            check_ids_exist(&mut errors, "to_venue_id", &wanted[1..], &found);
            if !errors.is_empty() {
                return Err(errors.into());
            }
            let before = repo::find_travel_time(conn, travel.from_venue_id, travel.to_venue_id)?;
            let row = TravelTimeRow {
                from_venue_id: travel.from_venue_id,
                to_venue_id: travel.to_venue_id,
                minutes: travel.minutes,
            };
            repo::put_travel_time(conn, &row)?;
            let action = if before.is_some() {
                super::super::AuditAction::Update
            } else {
                super::super::AuditAction::Create
            };
            Audit::new(
                "travel_time",
                None,
                action,
                before.and_then(|b| serde_json::to_value(b).ok()),
                serde_json::to_value(row).ok(),
            )
            .write(conn, actor)?;
            Ok(row)
        })
    }

    pub fn delete(conn: &mut DbConn, actor: &Actor, from: i64, to: i64) -> ServiceResult<()> {
        write_transaction(conn, |conn| {
            let before = repo::find_travel_time(conn, from, to)?
                .ok_or_else(|| not_found("travel time from venue", from))?;
            repo::delete_travel_time(conn, from, to)?;
            Audit::new(
                "travel_time",
                None,
                super::super::AuditAction::Delete,
                serde_json::to_value(before).ok(),
                None,
            )
            .write(conn, actor)
        })
    }
}
