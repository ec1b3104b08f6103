//! "We are running 20 minutes late": one meeting slips and the later items of
//! its day that share its officials move with it (`domain::shift`). The plan
//! shows what moves, the visit's conflicts before and after (the same engine,
//! run on the snapshot with the move done) and who would be told; applying it
//! writes every move, its version and its audit entry in one transaction,
//! and may publish in the same one, exactly as publishing does.

use std::collections::{BTreeMap, BTreeSet};

use chrono_tz::Tz;

use super::conflicts::{self as conflict_service, VisitConflicts};
use super::programme::{meetings, visits, MeetingRecord, VisitRecord};
use super::publishing::{self, Published};
use super::{now, Actor, Audit, Conn, ServiceError, ServiceResult};
use crate::config::Settings;
use crate::db::{repo, write_transaction};
use crate::domain::conflicts::{self, EngineSettings};
use crate::domain::shift::{self, Moved};
use crate::domain::{display_zone, FieldProblem, ValidationErrors};

/// One item that moves, as people read it.
#[derive(Clone, Debug)]
pub struct MovedItem {
    pub moved: Moved,
    pub title: String,
    /// The zone the item is shown in (its venue's, else the visit's).
    pub zone: Tz,
}

/// Someone whose items move: an official or a participant (invited by name
/// or through a group), with the items of theirs that move.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ToTell {
    pub name: String,
    pub email: Option<String>,
    pub official: bool,
    pub meeting_ids: Vec<i64>,
}

/// What a shift does: the items that move, the visit's conflicts before and
/// after, and who is told.
pub struct ShiftPlan {
    pub visit: VisitRecord,
    pub meeting_id: i64,
    pub minutes: i64,
    pub moved: Vec<MovedItem>,
    pub before: VisitConflicts,
    pub after: VisitConflicts,
    pub notify: Vec<ToTell>,
}

impl ShiftPlan {
    /// What the plan moves, from where: `id@start` of each moved item (start
    /// in seconds, UTC). A preview carries it, so that applying it can tell
    /// whether the programme changed in between.
    pub fn fingerprint(&self) -> String {
        self.moved
            .iter()
            .map(|item| {
                let start = item.moved.before.start().timestamp();
                format!("{}@{start}", item.moved.meeting_id)
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The addresses to write to, each with the moved items of everyone
    /// reached at it (people without an address are left out).
    pub fn notify_by_email(&self) -> Vec<(String, Vec<i64>)> {
        let mut by_email: BTreeMap<String, BTreeSet<i64>> = BTreeMap::new();
        for person in &self.notify {
            if let Some(email) = &person.email {
                by_email
                    .entry(email.clone())
                    .or_default()
                    .extend(person.meeting_ids.iter().copied());
            }
        }
        by_email
            .into_iter()
            .map(|(email, ids)| (email, ids.into_iter().collect()))
            .collect()
    }
}

/// A meeting with its visit and the zone it is shown in (its venue's, else
/// the visit's).
pub fn meeting_with_zone(
    conn: &mut Conn,
    meeting_id: i64,
) -> ServiceResult<(MeetingRecord, VisitRecord, Tz)> {
    let meeting = meetings::get(conn, meeting_id)?;
    let visit = visits::get(conn, meeting.row.visit_id)?;
    let venue = match meeting.row.venue_id {
        Some(id) => repo::find_venue(conn, id)?.map(|v| v.timezone),
        None => None,
    };
    let zone = display_zone(venue, visit.zone());
    Ok((meeting, visit, zone))
}

/// The plan of moving `meeting_id` of `visit_id` by `minutes`; nothing is
/// written. A meeting of another visit is as unknown as one that does not
/// exist.
pub fn plan(
    conn: &mut Conn,
    visit_id: i64,
    meeting_id: i64,
    minutes: i64,
    engine: EngineSettings,
) -> ServiceResult<ShiftPlan> {
    let visit = visits::get(conn, visit_id)?;
    shift::check_minutes(minutes).map_err(ValidationErrors::from)?;
    let unknown = || {
        ServiceError::Validation(ValidationErrors::single(
            "meeting_id",
            FieldProblem::UnknownId { id: meeting_id },
        ))
    };
    let row = repo::find_meeting(conn, meeting_id)?.ok_or_else(unknown)?;
    if row.visit_id != visit_id {
        return Err(unknown());
    }
    let before = conflict_service::of_visit(conn, visit_id, engine)?;
    let mut snapshot = before.snapshot.clone();
    let zone_of = |venue: Option<i64>| {
        display_zone(
            venue.and_then(|v| {
                snapshot
                    .venues
                    .iter()
                    .find(|x| x.id == v)
                    .map(|x| x.timezone)
            }),
            visit.zone(),
        )
    };
    let zone = zone_of(row.venue_id);
    let moved = shift::shift(&snapshot.meetings, meeting_id, minutes, zone)
        .map_err(ValidationErrors::from)?;
    let items: Vec<MovedItem> = moved
        .iter()
        .filter_map(|m| {
            let meeting = snapshot.meetings.iter().find(|x| x.id == m.meeting_id)?;
            Some(MovedItem {
                moved: *m,
                title: meeting.title.clone(),
                zone: zone_of(meeting.venue_id),
            })
        })
        .collect();
    let notify = to_tell(conn, &snapshot, &moved)?;
    shift::apply(&mut snapshot.meetings, &moved);
    let found = conflict_service::find_timed(&snapshot, Some(visit_id));
    conflict_service::name_subjects(conn, &mut snapshot, &found)?;
    Ok(ShiftPlan {
        visit,
        meeting_id,
        minutes,
        moved: items,
        before,
        after: VisitConflicts {
            snapshot,
            conflicts: found,
        },
        notify,
    })
}

/// The officials and participants of the moved items, officials first in
/// protocol order, then participants by name.
fn to_tell(
    conn: &mut Conn,
    snapshot: &conflicts::Snapshot,
    moved: &[Moved],
) -> ServiceResult<Vec<ToTell>> {
    let mut officials: BTreeMap<i64, BTreeSet<i64>> = BTreeMap::new();
    let mut participants: BTreeMap<i64, BTreeSet<i64>> = BTreeMap::new();
    for m in moved {
        let Some(meeting) = snapshot.meetings.iter().find(|x| x.id == m.meeting_id) else {
            continue;
        };
        for o in &meeting.official_ids {
            officials.entry(*o).or_default().insert(meeting.id);
        }
        let members = snapshot
            .groups
            .iter()
            .filter(|g| meeting.group_ids.contains(&g.id))
            .flat_map(|g| g.participant_ids.iter());
        for p in meeting.participant_ids.iter().chain(members) {
            participants.entry(*p).or_default().insert(meeting.id);
        }
    }
    let ids = |map: &BTreeMap<i64, BTreeSet<i64>>| map.keys().copied().collect::<Vec<_>>();
    let mut found_officials = repo::officials_by_ids(conn, &ids(&officials))?;
    found_officials.sort_by(|a, b| (a.precedence, &a.full_name).cmp(&(b.precedence, &b.full_name)));
    let mut found_participants = repo::participants_by_ids(conn, &ids(&participants))?;
    found_participants.sort_by(|a, b| a.full_name.cmp(&b.full_name));
    let listed = |map: &BTreeMap<i64, BTreeSet<i64>>, id: i64| {
        map.get(&id)
            .map(|s| s.iter().copied().collect())
            .unwrap_or_default()
    };
    let mut people: Vec<ToTell> = found_officials
        .into_iter()
        .map(|o| ToTell {
            meeting_ids: listed(&officials, o.id),
            name: o.full_name,
            email: o.email,
            official: true,
        })
        .collect();
    people.extend(found_participants.into_iter().map(|p| ToTell {
        meeting_ids: listed(&participants, p.id),
        name: p.full_name,
        email: p.email,
        official: false,
    }));
    Ok(people)
}

/// A shift to write: which meeting of which visit slips by how many minutes,
/// and, from a preview, its [`ShiftPlan::fingerprint`]: if the plan now
/// moves other items, or the same from other times, nothing is written and
/// the answer is [`ServiceError::StaleVersion`].
#[derive(Clone, Copy, Debug)]
pub struct Slip<'a> {
    pub visit_id: i64,
    pub meeting_id: i64,
    pub minutes: i64,
    pub seen: Option<&'a str>,
}

/// Moves the items as [`plan`] says, in one transaction: each meeting's new
/// times, its version raised, one audit entry with before and after.
pub fn apply(
    conn: &mut Conn,
    actor: &Actor,
    slip: Slip,
    engine: EngineSettings,
) -> ServiceResult<ShiftPlan> {
    write_transaction(conn, |conn| write(conn, actor, slip, engine))
}

fn write(
    conn: &mut Conn,
    actor: &Actor,
    slip: Slip,
    engine: EngineSettings,
) -> ServiceResult<ShiftPlan> {
    let Slip {
        visit_id,
        meeting_id,
        minutes,
        seen,
    } = slip;
    let plan = plan(conn, visit_id, meeting_id, minutes, engine)?;
    if seen.is_some_and(|seen| seen != plan.fingerprint()) {
        let current = meetings::get(conn, meeting_id)?.row.version;
        return Err(ServiceError::StaleVersion {
            entity: "meeting",
            id: meeting_id,
            current,
        });
    }
    let at = now();
    for item in &plan.moved {
        let id = item.moved.meeting_id;
        let before = meetings::get(conn, id)?;
        let (start, end) = (
            item.moved.after.start().naive_utc(),
            item.moved.after.end().naive_utc(),
        );
        if repo::move_meeting(conn, id, start, end, at)? == 0 {
            return Err(ServiceError::NotFound {
                entity: "meeting",
                id,
            });
        }
        let after = meetings::get(conn, id)?;
        Audit::updated("meeting", id, &before, &after)
            .in_visit(visit_id)
            .write(conn, actor)?;
    }
    Ok(plan)
}

/// Applies the shift and publishes the visit in the same transaction, as
/// publishing does (a new version, the change notices through the outbox).
/// `errors_seen` is how many errors the person saw in the plan: if the visit
/// has a different number after the move, nothing is written and the
/// publication is refused as unacknowledged.
pub fn apply_and_publish(
    conn: &mut Conn,
    actor: &Actor,
    slip: Slip,
    errors_seen: usize,
    settings: &Settings,
) -> ServiceResult<(ShiftPlan, Published)> {
    write_transaction(conn, |conn| {
        let plan = write(conn, actor, slip, settings.engine.clone())?;
        let acknowledged = plan.after.errors() == errors_seen;
        let published = publishing::publish(conn, actor, slip.visit_id, acknowledged, settings)?;
        Ok((plan, published))
    })
}
