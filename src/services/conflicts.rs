//! A visit's conflicts: load the snapshot the engine needs in a fixed number of
//! queries (however many meetings), run the engine, word the result.

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use chrono::{DateTime, Days, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
use chrono_tz::Tz;
use serde::Serialize;

use super::programme::visits;
use super::ServiceResult;
use crate::db::rows::VisitRow;
use crate::db::{repo, DbConn};
use crate::domain::conflicts::{
    self, Clash, Conflict, Coordinates, EngineSettings, Lookup, OpeningHours, Snapshot, Subject,
    TravelTime, Unavailability, Unavailable,
};
use crate::domain::{Language, MeetingStatus, TimeRange};

/// Runs of the conflict engine and the time they took, in nanoseconds, since
/// the process started: read by `/metrics`. Two counters, no lock.
static ENGINE_RUNS: AtomicU64 = AtomicU64::new(0);
static ENGINE_NANOS: AtomicU64 = AtomicU64::new(0);

/// How often the conflict engine ran and the seconds it spent, in all.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct EngineTime {
    pub runs: u64,
    pub seconds: f64,
}

/// The engine's time so far.
pub fn engine_time() -> EngineTime {
    EngineTime {
        runs: ENGINE_RUNS.load(Ordering::Relaxed),
        seconds: ENGINE_NANOS.load(Ordering::Relaxed) as f64 / 1e9,
    }
}

/// `conflicts::find_conflicts`, timed: every use case runs the engine
/// through here.
pub(super) fn find_timed(snapshot: &Snapshot, visit_id: Option<i64>) -> Vec<Conflict> {
    let started = Instant::now();
    let found = conflicts::find_conflicts(snapshot, visit_id);
    let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
    ENGINE_NANOS.fetch_add(nanos, Ordering::Relaxed);
    ENGINE_RUNS.fetch_add(1, Ordering::Relaxed);
    found
}

/// One conflict as staff and integrations see it: worded in a language, the
/// suggested slot in the zone of the meeting it would move.
#[derive(Clone, Debug, Serialize)]
pub struct ConflictReport {
    pub kind: &'static str,
    pub severity: &'static str,
    pub meeting_ids: Vec<i64>,
    pub subject: Option<SubjectRef>,
    pub message: String,
    pub suggestion: Option<Slot>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SubjectRef {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub id: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Slot {
    /// The meeting the slot is for (the later one of a pair).
    pub meeting_id: i64,
    pub starts_at: DateTime<FixedOffset>,
    pub ends_at: DateTime<FixedOffset>,
}

/// A visit's conflicts with the snapshot they were found in (which words them).
pub struct VisitConflicts {
    pub snapshot: Snapshot,
    pub conflicts: Vec<Conflict>,
}

impl VisitConflicts {
    pub fn errors(&self) -> usize {
        self.conflicts.iter().filter(|c| c.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.conflicts.len() - self.errors()
    }

    pub fn describe(&self, language: Language) -> Vec<String> {
        let words = crate::i18n::conflicts::Describer::new(&self.snapshot);
        self.conflicts
            .iter()
            .map(|c| words.describe(c, language))
            .collect()
    }

    /// Every conflict worded, each with its suggested slot.
    pub fn reports(&self, language: Language) -> Vec<ConflictReport> {
        let lookup = Lookup::new(&self.snapshot);
        let mut suggested = self.conflicts.clone();
        conflicts::suggest_slots(&self.snapshot, &mut suggested);
        suggested
            .iter()
            .zip(self.describe(language))
            .map(|(conflict, message)| report(&lookup, conflict, message))
            .collect()
    }

    /// The clashes a planner sees (one per problem, naming everyone it
    /// touches), each with the local day in `zone` its first meeting starts.
    pub fn clashes(&self, zone: Tz) -> Vec<(Clash, Option<NaiveDate>)> {
        let lookup = Lookup::new(&self.snapshot);
        conflicts::group_clashes(&self.conflicts)
            .into_iter()
            .map(|clash| {
                let day = clash
                    .meeting_ids
                    .iter()
                    .filter_map(|&id| lookup.shown(id).time.map(|t| t.start()))
                    .min()
                    .map(|start| start.with_timezone(&zone).date_naive());
                (clash, day)
            })
            .collect()
    }

    /// The given clashes worded: each carries its first conflict's suggestion
    /// and subject, and a sentence naming everyone it touches. Only the
    /// clashes shown are worded, however many the visit has.
    pub fn clash_reports(&self, clashes: &[&Clash], language: Language) -> Vec<ConflictReport> {
        let lookup = Lookup::new(&self.snapshot);
        let words = crate::i18n::conflicts::Describer::new(&self.snapshot);
        let shown: Vec<&Clash> = clashes
            .iter()
            .copied()
            .filter(|clash| {
                clash
                    .members
                    .first()
                    .is_some_and(|&c| c < self.conflicts.len())
            })
            .collect();
        // Slots only for the conflicts that word a shown clash.
        let mut firsts: Vec<Conflict> = shown
            .iter()
            .map(|clash| self.conflicts[clash.members[0]].clone())
            .collect();
        conflicts::suggest_slots(&self.snapshot, &mut firsts);
        shown
            .iter()
            .zip(&firsts)
            .map(|(clash, first)| {
                let message = words.describe_clash(clash, &self.conflicts, language);
                report(&lookup, first, message)
            })
            .collect()
    }
}

/// One conflict as a report, its suggestion for the meeting it would move:
/// the later one (by start, then id), in that meeting's zone.
fn report(lookup: &Lookup, conflict: &Conflict, message: String) -> ConflictReport {
    let moved = conflict
        .meeting_ids
        .iter()
        .filter_map(|&id| lookup.shown(id).time.map(|t| (t.start(), id)))
        .max()
        .map(|(_, id)| id);
    ConflictReport {
        kind: conflict.kind.as_str(),
        severity: conflict.severity.as_str(),
        meeting_ids: conflict.meeting_ids.to_vec(),
        subject: conflict.subject.map(|s| SubjectRef {
            kind: s.type_name(),
            id: s.id(),
        }),
        message,
        suggestion: conflict.suggestion.zip(moved).map(|(slot, meeting_id)| {
            let zone = lookup.shown(meeting_id).zone;
            Slot {
                meeting_id,
                starts_at: slot.start().with_timezone(&zone).fixed_offset(),
                ends_at: slot.end().with_timezone(&zone).fixed_offset(),
            }
        }),
    }
}

/// The first start and last end of some stretches (none: an empty one).
fn hull(windows: &[(NaiveDateTime, NaiveDateTime)]) -> (NaiveDateTime, NaiveDateTime) {
    let from = windows.iter().map(|w| w.0).min();
    let to = windows.iter().map(|w| w.1).max();
    from.zip(to).unwrap_or_default()
}

fn range(start: NaiveDateTime, end: NaiveDateTime) -> Option<TimeRange> {
    TimeRange::from_naive_utc(start, end).ok()
}

/// The stretch whose meetings a visit's own may clash with: its days, give or
/// take two (for zones and overnight travel). A stored day at chrono's very
/// edge (a bad import) widens to the edge rather than overflowing.
fn window(first_day: NaiveDate, last_day: NaiveDate) -> (NaiveDateTime, NaiveDateTime) {
    let from = first_day
        .checked_sub_days(Days::new(2))
        .unwrap_or(NaiveDate::MIN)
        .and_time(NaiveTime::MIN);
    let to = last_day
        .checked_add_days(Days::new(3))
        .unwrap_or(NaiveDate::MAX)
        .and_time(NaiveTime::MIN);
    (from, to)
}

/// Everything the engine needs to judge one visit: its meetings, every other
/// meeting in its days (give or take two, for zones and overnight travel), and
/// the people, venues, travel times and unavailability they name.
pub fn snapshot_for_visit(
    conn: &mut DbConn,
    visit_id: i64,
    settings: EngineSettings,
) -> ServiceResult<Snapshot> {
    let visit = visits::get(conn, visit_id)?.row;
    let stretch = window(visit.first_day, visit.last_day);
    snapshot_for_visits(conn, &[visit_id], &[stretch], settings)
}

/// Everything the engine needs to judge several visits in one pass: their
/// meetings, every meeting overlapping one of `windows`, and what those name.
/// The same fixed number of queries however many visits. People are known by
/// id only: their names are read for the conflicts worded ([`name_subjects`]),
/// not for the thousands a visit's groups may hold.
fn snapshot_for_visits(
    conn: &mut DbConn,
    visit_ids: &[i64],
    windows: &[(NaiveDateTime, NaiveDateTime)],
    settings: EngineSettings,
) -> ServiceResult<Snapshot> {
    let stretch = repo::Stretch::new(conn, visit_ids, windows)?;
    let (from, to) = hull(windows);
    let rows = repo::meetings_for_conflicts(conn, &stretch)?;
    let meeting_ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let links = repo::links_for_conflicts(conn, &meeting_ids)?;
    let (official_links, group_links, participant_links) =
        (links.officials, links.groups, links.participants);

    let mut by_meeting: HashMap<i64, conflicts::Meeting> = HashMap::with_capacity(rows.len());
    let mut visit_ids: BTreeSet<i64> = visit_ids.iter().copied().collect();
    let mut venue_ids = BTreeSet::new();
    for row in &rows {
        let Some(time) = range(row.starts_at, row.ends_at) else {
            continue;
        };
        let mut meeting = conflicts::Meeting::new(row.id, row.visit_id, row.title.clone(), time);
        meeting.venue_id = row.venue_id;
        meeting.cancelled = row.status == MeetingStatus::Cancelled;
        visit_ids.insert(row.visit_id);
        venue_ids.extend(row.venue_id);
        by_meeting.insert(row.id, meeting);
    }
    let mut official_ids = BTreeSet::new();
    for link in &official_links {
        if let Some(m) = by_meeting.get_mut(&link.meeting_id) {
            m.official_ids.push(link.official_id);
            official_ids.insert(link.official_id);
        }
    }
    let mut group_ids = BTreeSet::new();
    for (meeting_id, group_id) in &group_links {
        if let Some(m) = by_meeting.get_mut(meeting_id) {
            m.group_ids.push(*group_id);
            group_ids.insert(*group_id);
        }
    }
    for (meeting_id, participant_id) in &participant_links {
        if let Some(m) = by_meeting.get_mut(meeting_id) {
            m.participant_ids.push(*participant_id);
        }
    }

    let ids = |set: &BTreeSet<i64>| set.iter().copied().collect::<Vec<_>>();
    let (official_ids, group_ids, venue_ids) =
        (ids(&official_ids), ids(&group_ids), ids(&venue_ids));
    let mut members: HashMap<i64, Vec<i64>> = HashMap::with_capacity(group_ids.len());
    for (group, participant) in repo::memberships_of_groups(conn, Some(&group_ids))? {
        members.entry(group).or_default().push(participant);
    }

    let mut snapshot = Snapshot::new().with_settings(settings);
    let mut meetings: Vec<conflicts::Meeting> = by_meeting.into_values().collect();
    meetings.sort_by_key(|m| (m.time.start(), m.id));
    snapshot.meetings = meetings;
    snapshot.venues = repo::venues_by_ids(conn, &venue_ids)?
        .into_iter()
        .map(|v| conflicts::Venue {
            id: v.id,
            timezone: v.timezone,
            coordinates: v
                .latitude
                .zip(v.longitude)
                .map(|(latitude, longitude)| Coordinates {
                    latitude,
                    longitude,
                }),
            capacity: v.capacity,
            hours: v
                .opens
                .zip(v.closes)
                .map(|(opens, closes)| OpeningHours { opens, closes }),
            name: v.name,
        })
        .collect();
    snapshot.groups = repo::groups_by_ids(conn, &group_ids)?
        .into_iter()
        .map(|g| {
            let members = members.remove(&g.id).unwrap_or_default();
            conflicts::Group::new(g.id, g.name, g.headcount, members)
        })
        .collect();
    snapshot.travel_times = repo::travel_times_among(conn, &venue_ids)?
        .into_iter()
        .map(|t| TravelTime {
            from_venue_id: t.from_venue_id,
            to_venue_id: t.to_venue_id,
            minutes: t.minutes,
        })
        .collect();
    snapshot.unavailability = repo::unavailability_for(conn, &official_ids, &venue_ids, from, to)?
        .into_iter()
        .filter_map(|u| {
            let who = match (u.official_id, u.venue_id) {
                (Some(id), _) => Unavailable::Official(id),
                (None, Some(id)) => Unavailable::Venue(id),
                (None, None) => return None,
            };
            Some(Unavailability {
                who,
                time: range(u.starts_at, u.ends_at)?,
                reason: u.reason,
            })
        })
        .collect();
    snapshot.visits = repo::visits_by_ids(conn, &ids(&visit_ids))?
        .into_iter()
        .map(|v| conflicts::Visit::new(v.id, v.timezone, v.first_day, v.last_day))
        .collect();
    Ok(snapshot)
}

/// The conflicts that involve a visit's meetings.
pub fn of_visit(
    conn: &mut DbConn,
    visit_id: i64,
    settings: EngineSettings,
) -> ServiceResult<VisitConflicts> {
    let mut snapshot = snapshot_for_visit(conn, visit_id, settings)?;
    let conflicts = find_timed(&snapshot, Some(visit_id));
    name_subjects(conn, &mut snapshot, &conflicts)?;
    Ok(VisitConflicts {
        snapshot,
        conflicts,
    })
}

/// Reads the names of the officials and participants `found` is about into
/// the snapshot, which words them: a handful, where the snapshot may know
/// thousands of group members by id.
pub(super) fn name_subjects(
    conn: &mut DbConn,
    snapshot: &mut Snapshot,
    found: &[Conflict],
) -> ServiceResult<()> {
    let (mut officials, mut participants) = (BTreeSet::new(), BTreeSet::new());
    for subject in found.iter().filter_map(|c| c.subject) {
        match subject {
            Subject::Official(id) => officials.insert(id),
            Subject::Participant(id) => participants.insert(id),
            Subject::Venue(_) | Subject::Group(_) => false,
        };
    }
    let ids = |set: BTreeSet<i64>| set.into_iter().collect::<Vec<_>>();
    if !officials.is_empty() {
        snapshot.officials = repo::officials_by_ids(conn, &ids(officials))?
            .into_iter()
            .map(|o| conflicts::Official::new(o.id, o.full_name))
            .collect();
    }
    if !participants.is_empty() {
        snapshot.participants = repo::participants_by_ids(conn, &ids(participants))?
            .into_iter()
            .map(|p| conflicts::Participant::new(p.id, p.full_name))
            .collect();
    }
    Ok(())
}

/// What the visits list shows of a visit's programme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VisitCounts {
    pub meetings: usize,
    pub errors: usize,
    pub warnings: usize,
}

/// The meetings, errors and warnings of each of `shown`, from one snapshot of
/// all their days and one run of the engine. Errors and warnings are clashes,
/// as the visit page counts them (one 15-minute transfer three officials make
/// together is one error); a clash counts for every shown visit one of its
/// meetings belongs to, as `of_visit` would find it.
pub fn counts_of_visits(
    conn: &mut DbConn,
    shown: &[&VisitRow],
    settings: EngineSettings,
) -> ServiceResult<HashMap<i64, VisitCounts>> {
    let mut counts: HashMap<i64, VisitCounts> = shown
        .iter()
        .map(|v| (v.id, VisitCounts::default()))
        .collect();
    if shown.is_empty() {
        return Ok(counts);
    }
    let ids: Vec<i64> = shown.iter().map(|v| v.id).collect();
    let windows: Vec<_> = shown
        .iter()
        .map(|v| window(v.first_day, v.last_day))
        .collect();
    let snapshot = snapshot_for_visits(conn, &ids, &windows, settings)?;
    let visit_of: HashMap<i64, i64> = snapshot
        .meetings
        .iter()
        .map(|m| (m.id, m.visit_id))
        .collect();
    for meeting in &snapshot.meetings {
        if let Some(c) = counts.get_mut(&meeting.visit_id) {
            c.meetings += 1;
        }
    }
    let found = find_timed(&snapshot, None);
    for clash in conflicts::group_clashes(&found) {
        let involved: BTreeSet<i64> = clash
            .meeting_ids
            .iter()
            .filter_map(|id| visit_of.get(id).copied())
            .collect();
        for visit in involved {
            if let Some(c) = counts.get_mut(&visit) {
                if clash.is_error() {
                    c.errors += 1;
                } else {
                    c.warnings += 1;
                }
            }
        }
    }
    Ok(counts)
}
