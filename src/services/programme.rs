//! Visits and the meetings of their programme.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::Serialize;

use super::conflicts::{self, VisitConflicts};
use super::{
    check_ids_exist, now, Actor, Audit, Conn, ListQuery, Page, ServiceError, ServiceResult,
};
use crate::db::rows::*;
use crate::db::{repo, write_transaction, DbConn};
use crate::domain::conflicts::EngineSettings;
use crate::domain::model::{Meeting, MeetingInput, Visit, VisitInput, VISIT_DAYS_MAX};
use crate::domain::{display_zone, OfficialRole, ValidationErrors, VisitStatus};

/// The most days of a visit its programme lists: as many as a valid visit has.
const VISIT_DAYS_SHOWN: usize = VISIT_DAYS_MAX as usize;

// ---------------------------------------------------------------------------
// Visits

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VisitRecord {
    #[serde(flatten)]
    pub row: VisitRow,
    /// The delegation, lead included.
    pub official_ids: Vec<i64>,
}

catalogued!(Visits, visits, VisitInput, VisitRecord, |r| r.row.id);

impl VisitRecord {
    /// The visit's zone: its days are days there.
    pub fn zone(&self) -> Tz {
        self.row.timezone
    }
}

pub mod visits {
    use super::*;

    pub fn get(conn: &mut DbConn, id: i64) -> ServiceResult<VisitRecord> {
        let row = repo::find_visit(conn, id)?.ok_or(ServiceError::NotFound {
            entity: "visit",
            id,
        })?;
        let official_ids = repo::visit_officials_of(conn, Some(&[id]))?
            .into_iter()
            .map(|(_, o)| o)
            .collect();
        Ok(VisitRecord { row, official_ids })
    }

    /// Upcoming first.
    pub fn list(conn: &mut DbConn) -> ServiceResult<Vec<VisitRecord>> {
        let rows = repo::list_visits(conn)?;
        let delegations = repo::visit_officials_of(conn, None)?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let official_ids = delegations
                    .iter()
                    .filter(|(v, _)| *v == row.id)
                    .map(|(_, o)| *o)
                    .collect();
                VisitRecord { row, official_ids }
            })
            .collect())
    }

    /// One page, upcoming first, each with its delegation (two queries and a count).
    pub fn page(conn: &mut DbConn, query: &ListQuery) -> ServiceResult<Page<VisitRecord>> {
        let page = repo::page_visits(conn, query)?;
        let ids: Vec<i64> = page.items.iter().map(|row| row.id).collect();
        let delegations = repo::visit_officials_of(conn, Some(&ids))?;
        Ok(page.map(|row| {
            let official_ids = delegations
                .iter()
                .filter(|(v, _)| *v == row.id)
                .map(|(_, o)| *o)
                .collect();
            VisitRecord { row, official_ids }
        }))
    }

    fn validate(conn: &mut DbConn, input: &VisitInput) -> ServiceResult<Visit> {
        let visit = Visit::try_from(input)?;
        let mut errors = ValidationErrors::new();
        let found = repo::existing_official_ids(conn, &visit.official_ids)?;
        if let Some(lead) = visit.lead_official_id {
            check_ids_exist(&mut errors, "lead_official_id", &[lead], &found);
        }
        check_ids_exist(&mut errors, "official_ids", &visit.official_ids, &found);
        errors.into_result(|| visit).map_err(Into::into)
    }

    pub fn create(
        conn: &mut DbConn,
        actor: &Actor,
        input: &VisitInput,
    ) -> ServiceResult<VisitRecord> {
        write_transaction(conn, |conn| {
            let visit = validate(conn, input)?;
            let now = now();
            let id = repo::insert_visit(conn, &VisitChanges::new(&visit, now), now)?;
            repo::set_visit_officials(conn, id, &visit.official_ids)?;
            let created = get(conn, id)?;
            Audit::created("visit", id, &created)
                .in_visit(id)
                .write(conn, actor)?;
            Ok(created)
        })
    }

    pub fn update(
        conn: &mut DbConn,
        actor: &Actor,
        id: i64,
        input: &VisitInput,
    ) -> ServiceResult<VisitRecord> {
        write_transaction(conn, |conn| {
            let before = get(conn, id)?;
            let visit = validate(conn, input)?;
            repo::update_visit(conn, id, &VisitChanges::new(&visit, now()))?;
            repo::set_visit_officials(conn, id, &visit.official_ids)?;
            let after = get(conn, id)?;
            Audit::updated("visit", id, &before, &after)
                .in_visit(id)
                .write(conn, actor)?;
            Ok(after)
        })
    }

    /// A draft visit goes with its programme. A published one has been sent to
    /// people: it is refused, to be cancelled instead.
    pub fn delete(conn: &mut DbConn, actor: &Actor, id: i64) -> ServiceResult<()> {
        write_transaction(conn, |conn| {
            let before = get(conn, id)?;
            if before.row.status == VisitStatus::Published {
                return Err(ServiceError::InUse {
                    entity: "visit",
                    id,
                    reason: crate::services::InUse::VisitPublished,
                });
            }
            repo::delete_visit(conn, id)?;
            Audit::deleted("visit", id, &before)
                .in_visit(id)
                .write(conn, actor)
        })
    }
}

// ---------------------------------------------------------------------------
// Meetings

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MeetingRecord {
    #[serde(flatten)]
    pub row: MeetingRow,
    pub official_ids: Vec<i64>,
    pub official_roles: BTreeMap<i64, String>,
    pub group_ids: Vec<i64>,
    pub participant_ids: Vec<i64>,
}

impl MeetingRecord {
    /// Joins meeting rows with their links (loaded for all of them at once).
    fn assemble(
        rows: Vec<MeetingRow>,
        officials: &[MeetingOfficialRow],
        groups: &[(i64, i64)],
        participants: &[(i64, i64)],
    ) -> Vec<Self> {
        rows.into_iter()
            .map(|row| {
                let mine = officials.iter().filter(|o| o.meeting_id == row.id);
                MeetingRecord {
                    official_ids: mine.clone().map(|o| o.official_id).collect(),
                    official_roles: mine.map(|o| (o.official_id, o.role.clone())).collect(),
                    group_ids: links_of(groups, row.id),
                    participant_ids: links_of(participants, row.id),
                    row,
                }
            })
            .collect()
    }
}

fn links_of(pairs: &[(i64, i64)], meeting_id: i64) -> Vec<i64> {
    pairs
        .iter()
        .filter(|(m, _)| *m == meeting_id)
        .map(|(_, other)| *other)
        .collect()
}

pub mod meetings {
    use super::*;

    fn load(conn: &mut DbConn, rows: Vec<MeetingRow>) -> ServiceResult<Vec<MeetingRecord>> {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let officials = repo::meeting_officials_of(conn, &ids)?;
        let groups = repo::meeting_groups_of(conn, &ids)?;
        let participants = repo::meeting_participants_of(conn, &ids)?;
        Ok(MeetingRecord::assemble(
            rows,
            &officials,
            &groups,
            &participants,
        ))
    }

    pub fn get(conn: &mut DbConn, id: i64) -> ServiceResult<MeetingRecord> {
        let row = repo::find_meeting(conn, id)?.ok_or(ServiceError::NotFound {
            entity: "meeting",
            id,
        })?;
        Ok(load(conn, vec![row])?.remove(0))
    }

    /// A visit's programme in time order.
    pub fn of_visit(conn: &mut DbConn, visit_id: i64) -> ServiceResult<Vec<MeetingRecord>> {
        visits::get(conn, visit_id)?;
        let rows = repo::meetings_of_visit(conn, visit_id)?;
        load(conn, rows)
    }

    /// Checks what the domain cannot: that everything referenced exists.
    /// Gives the officials with their roles, defaulted from the visit's lead.
    fn validate(
        conn: &mut DbConn,
        visit: &VisitRow,
        input: &MeetingInput,
    ) -> ServiceResult<(Meeting, Vec<(i64, OfficialRole)>)> {
        let meeting = Meeting::try_from(input)?;
        let mut errors = ValidationErrors::new();
        if let Some(venue) = meeting.venue_id {
            let found = repo::existing_venue_ids(conn, &[venue])?;
            check_ids_exist(&mut errors, "venue_id", &[venue], &found);
        }
        let official_ids: Vec<i64> = meeting.officials.iter().map(|(id, _)| *id).collect();
        let found = repo::existing_official_ids(conn, &official_ids)?;
        check_ids_exist(&mut errors, "official_ids", &official_ids, &found);
        let found = repo::existing_group_ids(conn, &meeting.group_ids)?;
        check_ids_exist(&mut errors, "group_ids", &meeting.group_ids, &found);
        let found = repo::existing_participant_ids(conn, &meeting.participant_ids)?;
        check_ids_exist(
            &mut errors,
            "participant_ids",
            &meeting.participant_ids,
            &found,
        );
        let officials = meeting
            .officials
            .iter()
            .map(|(id, role)| {
                let default = if visit.lead_official_id == Some(*id) {
                    OfficialRole::Principal
                } else {
                    OfficialRole::Accompanying
                };
                (*id, role.unwrap_or(default))
            })
            .collect();
        errors
            .into_result(|| (meeting, officials))
            .map_err(Into::into)
    }

    fn write_people(
        conn: &mut DbConn,
        id: i64,
        meeting: &Meeting,
        officials: &[(i64, OfficialRole)],
    ) -> ServiceResult<()> {
        let officials: Vec<MeetingOfficialRow> = officials
            .iter()
            .map(|(official_id, role)| MeetingOfficialRow {
                meeting_id: id,
                official_id: *official_id,
                role: role.as_str().to_owned(),
            })
            .collect();
        repo::set_meeting_people(
            conn,
            id,
            &officials,
            &meeting.group_ids,
            &meeting.participant_ids,
        )?;
        Ok(())
    }

    pub fn create(
        conn: &mut DbConn,
        actor: &Actor,
        visit_id: i64,
        input: &MeetingInput,
    ) -> ServiceResult<MeetingRecord> {
        write_transaction(conn, |conn| {
            let visit = visits::get(conn, visit_id)?;
            let (meeting, officials) = validate(conn, &visit.row, input)?;
            let now = now();
            let id =
                repo::insert_meeting(conn, visit_id, &MeetingChanges::new(&meeting, now), now)?;
            write_people(conn, id, &meeting, &officials)?;
            let created = get(conn, id)?;
            Audit::created("meeting", id, &created)
                .in_visit(visit_id)
                .write(conn, actor)?;
            Ok(created)
        })
    }

    /// Saves a change. When the input carries the version it was made against and
    /// someone has saved since, nothing is written and the current version is
    /// reported.
    pub fn update(
        conn: &mut DbConn,
        actor: &Actor,
        id: i64,
        input: &MeetingInput,
    ) -> ServiceResult<MeetingRecord> {
        write_transaction(conn, |conn| {
            let before = get(conn, id)?;
            let visit = visits::get(conn, before.row.visit_id)?;
            let (meeting, officials) = validate(conn, &visit.row, input)?;
            let changed = repo::update_meeting(
                conn,
                id,
                meeting.expected_version,
                &MeetingChanges::new(&meeting, now()),
            )?;
            if changed == 0 {
                return Err(ServiceError::StaleVersion {
                    entity: "meeting",
                    id,
                    current: before.row.version,
                });
            }
            write_people(conn, id, &meeting, &officials)?;
            let after = get(conn, id)?;
            Audit::updated("meeting", id, &before, &after)
                .in_visit(before.row.visit_id)
                .write(conn, actor)?;
            Ok(after)
        })
    }

    pub fn delete(conn: &mut DbConn, actor: &Actor, id: i64) -> ServiceResult<()> {
        write_transaction(conn, |conn| {
            let before = get(conn, id)?;
            repo::delete_meeting(conn, id)?;
            Audit::deleted("meeting", id, &before)
                .in_visit(before.row.visit_id)
                .write(conn, actor)
        })
    }
}

// ---------------------------------------------------------------------------
// A visit's programme as its page shows it

/// Everything a visit's page shows: the visit, its meetings, the officials,
/// venues and groups they name (and no others), and the conflicts found.
pub struct Programme {
    pub visit: VisitRecord,
    pub meetings: Vec<MeetingRecord>,
    pub officials: HashMap<i64, OfficialRow>,
    pub venues: HashMap<i64, VenueRow>,
    pub groups: HashMap<i64, GroupRow>,
    pub found: VisitConflicts,
}

/// Loads a visit's programme in a fixed number of queries, however many
/// meetings it has.
pub fn load(conn: &mut DbConn, visit_id: i64, engine: EngineSettings) -> ServiceResult<Programme> {
    let visit = visits::get(conn, visit_id)?;
    let meetings = meetings::of_visit(conn, visit_id)?;
    let ids = |each: &dyn Fn(&MeetingRecord) -> Vec<i64>| -> Vec<i64> {
        let mut ids: Vec<i64> = meetings.iter().flat_map(each).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let mut official_ids = ids(&|m| m.official_ids.clone());
    official_ids.extend(&visit.official_ids);
    official_ids.sort_unstable();
    official_ids.dedup();
    let venue_ids = ids(&|m| m.row.venue_id.into_iter().collect());
    let group_ids = ids(&|m| m.group_ids.clone());
    let officials = by_id(repo::officials_by_ids(conn, &official_ids)?, |o| o.id);
    let venues = by_id(repo::venues_by_ids(conn, &venue_ids)?, |v| v.id);
    let groups = by_id(repo::groups_by_ids(conn, &group_ids)?, |g| g.id);
    let found = conflicts::of_visit(conn, visit_id, engine)?;
    Ok(Programme {
        visit,
        meetings,
        officials,
        venues,
        groups,
        found,
    })
}

fn by_id<T>(rows: Vec<T>, id: impl Fn(&T) -> i64) -> HashMap<i64, T> {
    rows.into_iter().map(|row| (id(&row), row)).collect()
}

impl Programme {
    pub fn visit_zone(&self) -> Tz {
        self.visit.zone()
    }

    /// The zone a meeting is shown in (its venue's, else the visit's).
    pub fn zone_of(&self, meeting: &MeetingRecord) -> Tz {
        let venue = meeting
            .row
            .venue_id
            .and_then(|v| self.venues.get(&v))
            .map(|v| v.timezone);
        display_zone(venue, self.visit_zone())
    }

    /// Officials in protocol order: precedence, then name.
    pub fn in_precedence(&self, ids: &[i64]) -> Vec<&OfficialRow> {
        let mut list: Vec<&OfficialRow> =
            ids.iter().filter_map(|id| self.officials.get(id)).collect();
        list.sort_by(|a, b| (a.precedence, &a.full_name).cmp(&(b.precedence, &b.full_name)));
        list
    }

    /// The local days (visit's zone) of the visit and of its meetings, each
    /// with the meetings that start on it.
    pub fn days(&self) -> BTreeMap<NaiveDate, Vec<&MeetingRecord>> {
        let zone = self.visit_zone();
        let mut days: BTreeMap<NaiveDate, Vec<&MeetingRecord>> = BTreeMap::new();
        // Visits are days, not seasons: a stored span of centuries (old data)
        // shows its first days, and a span at chrono's last day still ends.
        let visit_days = self.visit.row.first_day.iter_days();
        for day in visit_days
            .take_while(|d| *d <= self.visit.row.last_day)
            .take(VISIT_DAYS_SHOWN)
        {
            days.entry(day).or_default();
        }
        for meeting in &self.meetings {
            let start = meeting.row.starts_at.and_utc().with_timezone(&zone);
            days.entry(start.date_naive()).or_default().push(meeting);
        }
        days
    }
}
