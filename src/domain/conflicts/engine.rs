//! The rules of DESIGN.md as sweeps over the dense index. Each resource's
//! meetings are already sorted by start; a sweep keeps the meetings still
//! running (the active set) and pairs each new meeting with them only, so the
//! work is the meetings plus the clashes found, never all pairs of a programme.

use std::sync::atomic::{self, AtomicUsize};

use chrono::{Datelike, Days, NaiveDate, NaiveTime, Timelike};
use chrono_tz::Tz;

use super::buffer::{shelved, Buffer};
use super::conflict::{
    Conflict, ConflictDetails, ConflictKind, MeetingIds, Severity, Subject, TravelEstimate,
};
use super::index::{
    join, order_by_start, range, Entry, FastMap, IdMap, Index, LocalClock, Row, Timeline,
    VisitCalendar, NONE, PARALLEL_FROM,
};
use super::snapshot::Snapshot;
use super::suggest::SlotFinder;
use super::travel::{consecutive_transfers, Transfer};
use crate::domain::model::OpeningHours;
use crate::domain::values::TimeRange;

/// Every conflict in the snapshot, or with `Some(visit)` those that involve at
/// least one of that visit's meetings (the other visits' meetings still count:
/// an official booked by two visits clashes). Sorted by the start of the
/// earliest meeting involved, then kind, meetings and subject.
pub fn find_conflicts(snapshot: &Snapshot, visit_id: Option<i64>) -> Vec<Conflict> {
    find(snapshot, visit_id, snapshot.meetings.len() >= PARALLEL_FROM)
}

/// [`find_conflicts`], on two threads or on one.
pub(super) fn find(snapshot: &Snapshot, visit_id: Option<i64>, parallel: bool) -> Vec<Conflict> {
    let index = Index::build_with(snapshot, parallel);
    let Some(scope) = Scope::of(&index, visit_id) else {
        return Vec::new();
    };
    // The rules read the index and nothing else: on a large snapshot two
    // threads share them, each taking the next rule not yet taken, heaviest
    // first, so neither waits long for the other whatever the programme
    // makes heavy. Each rule's findings are kept apart and put back in rule
    // order, so the result is the same.
    let next = AtomicUsize::new(0);
    let take = || {
        let mut runs = Vec::new();
        while let Some(&rule) = Rule::BY_WEIGHT.get(next.fetch_add(1, atomic::Ordering::Relaxed)) {
            runs.push(Run::new(&index, &scope, rule).apply());
        }
        runs
    };
    let (theirs, mut runs): (Vec<Run>, Vec<Run>) = join(parallel, take, take);
    runs.extend(theirs);
    runs.sort_by_key(|run| run.rule);
    // The runs' findings are merged and written out as conflicts, each once
    // and in its final place: the earlier half (by first start) on one
    // thread, the later half on the other.
    let total = runs.iter().map(|r| r.found.len()).sum();
    let (earlier, later) = Run::halves(&runs);
    let write = |parts: Vec<&[Finding]>, into: &mut Vec<Conflict>| {
        merge(parts, |f| into.push(f.conflict(&index)));
    };
    let mut conflicts = Vec::with_capacity(total);
    let (rest, ()) = join(
        parallel,
        || {
            let mut rest = Vec::with_capacity(later.iter().map(|part| part.len()).sum());
            write(later, &mut rest);
            rest
        },
        || write(earlier, &mut conflicts),
    );
    conflicts.extend(rest);
    conflicts
}

/// The rules of DESIGN.md, in the order their findings are put together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Rule {
    DoubleBookings,
    ParticipantDoubleBookings,
    Travel,
    VenueHours,
    SingleMeetings,
    Unavailability,
    Breaks,
}

impl Rule {
    /// Every rule, the heaviest first (at 100,000 meetings of the conflicts
    /// bench, on 2 December 2026: travel about 8 ms with its findings
    /// sorted, participants 8, double bookings 2.8, single meetings 1.8,
    /// breaks 1.5, venue hours 0.9, unavailability 0.3), so that the last
    /// rules taken are short.
    const BY_WEIGHT: [Rule; 7] = [
        Rule::Travel,
        Rule::ParticipantDoubleBookings,
        Rule::DoubleBookings,
        Rule::SingleMeetings,
        Rule::Breaks,
        Rule::VenueHours,
        Rule::Unavailability,
    ];
}

/// The transfers the engine weighs for each official (the ones its travel
/// rule judges, whether or not they are too short), with `Some(visit)` those
/// that involve one of that visit's meetings. In each official's time order,
/// officials in order of first appearance.
pub fn official_transfers(snapshot: &Snapshot, visit_id: Option<i64>) -> Vec<Transfer> {
    let index = Index::build(snapshot);
    let Some(scope) = Scope::of(&index, visit_id) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for o in 0..index.by_official.rows() {
        if !scope.resource(Resource::Official, o) {
            continue;
        }
        let official_id = index.official_ids[o];
        consecutive_transfers(index.by_official.row(o).entries, |from, to| {
            if scope.pair(from.meeting, to.meeting) {
                found.push(Transfer::between(&index, official_id, from, to));
            }
        });
    }
    found
}

#[derive(Clone, Copy)]
enum Resource {
    Official,
    Venue,
    Group,
}

/// Which meetings and resources a run reports on.
struct Scope {
    /// `None`: all of them.
    in_visit: Option<Vec<bool>>,
    officials: Option<Vec<bool>>,
    venues: Option<Vec<bool>>,
    groups: Option<Vec<bool>>,
}

impl Scope {
    /// Everything, or the part that involves one visit; `None` for a visit
    /// the snapshot does not have.
    fn of(index: &Index, visit_id: Option<i64>) -> Option<Self> {
        match visit_id {
            None => Some(Self::everything()),
            Some(id) => index.visit_index(id).map(|visit| Self::visit(index, visit)),
        }
    }

    fn everything() -> Self {
        Self {
            in_visit: None,
            officials: None,
            venues: None,
            groups: None,
        }
    }

    fn visit(index: &Index, visit: u32) -> Self {
        let in_visit: Vec<bool> = index.visit.iter().map(|&v| v == visit).collect();
        // Resources no meeting of the visit uses cannot produce a conflict for it.
        let flags = |by: &Timeline| -> Vec<bool> {
            (0..by.rows())
                .map(|r| {
                    by.row(r)
                        .entries
                        .iter()
                        .any(|e| in_visit[e.meeting as usize])
                })
                .collect()
        };
        Self {
            officials: Some(flags(&index.by_official)),
            venues: Some(flags(&index.by_venue)),
            groups: Some(flags(&index.by_group)),
            in_visit: Some(in_visit),
        }
    }

    fn meeting(&self, m: u32) -> bool {
        self.in_visit.as_ref().is_none_or(|v| v[m as usize])
    }

    fn pair(&self, a: u32, b: u32) -> bool {
        self.in_visit
            .as_ref()
            .is_none_or(|v| v[a as usize] || v[b as usize])
    }

    fn resource(&self, which: Resource, r: usize) -> bool {
        let flags = match which {
            Resource::Official => &self.officials,
            Resource::Venue => &self.venues,
            Resource::Group => &self.groups,
        };
        flags.as_ref().is_none_or(|f| f[r])
    }
}

/// Who a finding is about, by place in the index.
#[derive(Clone, Copy, Debug)]
enum Whom {
    Official(u32),
    Venue(u32),
    Group(u32),
    Participant(u32),
    /// A meeting outside the visit's days: its venue, else its first
    /// official, group or participant by id (worked out when written out).
    OfMeeting,
}

/// A conflict as a rule finds it: its meetings and subject by their places
/// in the index, and the one number its details need that the index cannot
/// give back. Small, so that putting findings in order moves little memory;
/// each is written out as a [`Conflict`] once, in its final place.
#[derive(Clone, Copy, Debug)]
struct Finding {
    /// The start of the earliest meeting involved: what conflicts are
    /// sorted by first.
    start: i64,
    kind: ConflictKind,
    severity: Severity,
    whom: Whom,
    /// Two meetings, or one with `b == NONE`; for a stretch without a break,
    /// the positions `a..b` in the official's timeline.
    a: u32,
    b: u32,
    /// Travel: the minutes needed; capacity: the people expected;
    /// unavailability: the window (its position in the snapshot).
    value: i64,
    estimate: TravelEstimate,
}

shelved!(Finding);

impl Finding {
    fn pair(
        kind: ConflictKind,
        severity: Severity,
        start: i64,
        a: u32,
        b: u32,
        whom: Whom,
    ) -> Self {
        Self {
            start,
            kind,
            severity,
            whom,
            a,
            b,
            value: 0,
            estimate: TravelEstimate::Default,
        }
    }

    fn single(kind: ConflictKind, severity: Severity, start: i64, m: u32, whom: Whom) -> Self {
        Self::pair(kind, severity, start, m, NONE, whom)
    }

    fn with_value(self, value: i64) -> Self {
        Self { value, ..self }
    }

    fn ids(&self, ix: &Index) -> MeetingIds {
        match (self.kind, self.b) {
            (ConflictKind::NoBreak, _) => {
                let Whom::Official(o) = self.whom else {
                    unreachable!("a stretch without a break is an official's")
                };
                let row = ix.by_official.row(o as usize).entries;
                let mut ids: Vec<i64> = row[self.a as usize..self.b as usize]
                    .iter()
                    .map(|e| ix.meeting_id(e.meeting))
                    .collect();
                ids.sort_unstable();
                MeetingIds::from(ids)
            }
            (_, NONE) => MeetingIds::one(ix.meeting_id(self.a)),
            (_, b) => {
                let (x, y) = (ix.meeting_id(self.a), ix.meeting_id(b));
                MeetingIds::two(x.min(y), x.max(y))
            }
        }
    }

    fn subject(&self, ix: &Index) -> Option<Subject> {
        Some(match self.whom {
            Whom::Official(o) => Subject::Official(ix.official_ids[o as usize]),
            Whom::Venue(v) => Subject::Venue(ix.venue_ids[v as usize]),
            Whom::Group(g) => Subject::Group(ix.group_ids[g as usize]),
            Whom::Participant(p) => Subject::Participant(ix.participant_ids[p as usize]),
            Whom::OfMeeting => return dates_subject(ix, self.a),
        })
    }

    /// What orders findings of the same start and kind: their meetings,
    /// subject, and for unavailability the window's start.
    fn rest(&self, ix: &Index) -> (MeetingIds, Option<Subject>, i64) {
        let tiebreak = match self.kind {
            ConflictKind::OfficialUnavailable | ConflictKind::VenueUnavailable => {
                ix.window_start[self.value as usize]
            }
            _ => 0,
        };
        (self.ids(ix), self.subject(ix), tiebreak)
    }

    /// The order of conflicts: the first meeting's start, kind, meetings,
    /// subject, and the window's start.
    fn cmp(&self, other: &Self, ix: &Index) -> std::cmp::Ordering {
        (self.start, self.kind)
            .cmp(&(other.start, other.kind))
            .then_with(|| {
                let ((x, s, t), (y, u, v)) = (self.rest(ix), other.rest(ix));
                (x, s, t).cmp(&(y, u, v))
            })
    }

    /// The finding as the engine reports it.
    fn conflict(&self, ix: &Index) -> Conflict {
        let (a, b) = (self.a as usize, self.b as usize);
        let overlap = || {
            let (from, to) = (ix.start[a].max(ix.start[b]), ix.end[a].min(ix.end[b]));
            ConflictDetails::Overlap {
                overlap: range(from, to).expect("the findings of overlaps overlap"),
            }
        };
        let venue_of = |m: usize| ix.venues[ix.venue[m] as usize].expect("a venue in the snapshot");
        let details = match self.kind {
            ConflictKind::OfficialDoubleBooked
            | ConflictKind::VenueDoubleBooked
            | ConflictKind::GroupDoubleBooked
            | ConflictKind::ParticipantDoubleBooked => overlap(),
            ConflictKind::TravelTime => ConflictDetails::Travel {
                from_venue_id: ix.venue_ids[ix.venue[a] as usize],
                to_venue_id: ix.venue_ids[ix.venue[b] as usize],
                gap_minutes: (ix.start[b] - ix.end[a]) / 60,
                needed_minutes: self.value,
                buffer_minutes: ix.settings.warning_buffer_minutes,
                estimate: self.estimate,
            },
            ConflictKind::OutsideVenueHours => {
                let hours = venue_of(a).hours.expect("hours the meeting was held to");
                ConflictDetails::OpeningHours {
                    opens: hours.opens,
                    closes: hours.closes,
                }
            }
            ConflictKind::OverCapacity => ConflictDetails::Capacity {
                expected: self.value,
                capacity: venue_of(a).capacity.map_or(0, i64::from),
            },
            ConflictKind::OutsideVisitDates => {
                let days = ix.visit_days(self.a).expect("the visit's days");
                ConflictDetails::VisitDates {
                    visit_id: days.id,
                    first_day: days.first_day,
                    last_day: days.last_day,
                }
            }
            ConflictKind::OfficialUnavailable | ConflictKind::VenueUnavailable => {
                let window = &ix.snapshot.unavailability[self.value as usize];
                ConflictDetails::Unavailable {
                    window: window.time,
                    reason: window.reason.clone(),
                }
            }
            ConflictKind::NoBreak => {
                let Whom::Official(o) = self.whom else {
                    unreachable!("a stretch without a break is an official's")
                };
                let row = &ix.by_official.row(o as usize).entries[a..b];
                let end = row.iter().map(|e| e.end).max().unwrap_or(self.start);
                ConflictDetails::NoBreak {
                    stretch: range(self.start, end).expect("a stretch longer than allowed"),
                    max_stretch_minutes: ix.settings.max_stretch_minutes,
                    min_break_minutes: ix.settings.min_break_minutes,
                }
            }
        };
        let meeting_ids = self.ids(ix);
        Conflict {
            kind: self.kind,
            severity: self.severity,
            meeting_ids,
            subject: self.subject(ix),
            details,
            suggestion: None,
        }
    }
}

struct Run<'i, 's> {
    index: &'i Index<'s>,
    scope: &'i Scope,
    /// The rule this run applies (the order runs are put together in).
    rule: Rule,
    found: Buffer<Finding>,
}

/// Calls `clash(earlier, later)` for every overlapping pair of a timeline row.
/// `active` holds the meetings still running at the current start, with their end.
fn sweep(entries: &[Entry], active: &mut Vec<(i64, u32)>, mut clash: impl FnMut(u32, u32)) {
    active.clear();
    for e in entries {
        active.retain(|&(end, _)| end > e.start);
        for &(_, a) in active.iter() {
            clash(a, e.meeting);
        }
        active.push((e.end, e.meeting));
    }
}

/// Calls `clash(a, b)`, `a < b`, for every meeting of one row that
/// overlaps a different meeting of the other. Rows of about the same length
/// are walked forward together; a short row searches the long one.
fn overlaps_between(one: Row, other: Row, mut clash: impl FnMut(u32, u32)) {
    let (short, long) = match one.entries.len() <= other.entries.len() {
        true => (one, other),
        false => (other, one),
    };
    let mut pair = |e: &Entry, f: &Entry| match e.meeting.cmp(&f.meeting) {
        std::cmp::Ordering::Less => clash(e.meeting, f.meeting),
        std::cmp::Ordering::Greater => clash(f.meeting, e.meeting),
        std::cmp::Ordering::Equal => {}
    };
    if short.entries.len() * 4 >= long.entries.len() {
        let mut cursor = 0;
        for e in short.entries {
            long.overlapping_near(&mut cursor, e.start, e.end)
                .for_each(|f| pair(e, f));
        }
    } else {
        for e in short.entries {
            long.overlapping(e.start, e.end).for_each(|f| pair(e, f));
        }
    }
}

impl<'i, 's> Run<'i, 's> {
    fn new(index: &'i Index<'s>, scope: &'i Scope, rule: Rule) -> Self {
        Self {
            index,
            scope,
            rule,
            found: Buffer::new(),
        }
    }

    /// Applies the run's rule, and puts what it found in order.
    fn apply(mut self) -> Self {
        match self.rule {
            Rule::DoubleBookings => self.double_bookings(),
            Rule::ParticipantDoubleBookings => self.participant_double_bookings(),
            Rule::Travel => self.travel_times(),
            Rule::VenueHours => self.venue_hours(),
            Rule::SingleMeetings => self.single_meetings(),
            Rule::Unavailability => self.unavailability(),
            Rule::Breaks => self.breaks(),
        }
        self.sort();
        self
    }

    /// The findings sorted by the first meeting's start, kind, meetings,
    /// subject and the order they were found in: by start with a radix
    /// sort, and only findings with the same start compared.
    fn sort(&mut self) {
        let (found, ix) = (&mut self.found, self.index);
        let order = order_by_start(
            found.len(),
            |k| found[k].start,
            |a, b| found[a as usize].cmp(&found[b as usize], ix),
        );
        *found = order.iter().map(|&k| found[k as usize]).collect();
    }

    /// Each run's findings split where the first start passes the middle
    /// one of the largest run: all findings before the split sort before
    /// all those after it.
    fn halves(runs: &[Self]) -> (Vec<&[Finding]>, Vec<&[Finding]>) {
        let largest = runs.iter().map(|r| &r.found).max_by_key(|f| f.len());
        let Some(middle) = largest.and_then(|f| f.get(f.len() / 2)) else {
            return (runs.iter().map(|r| &r.found[..]).collect(), Vec::new());
        };
        runs.iter()
            .map(|r| {
                r.found
                    .split_at(r.found.partition_point(|f| f.start < middle.start))
            })
            .unzip()
    }

    /// Two overlapping meetings, `a` before `b` in index order.
    fn report_pair(&mut self, kind: ConflictKind, severity: Severity, a: u32, b: u32, whom: Whom) {
        let ix = self.index;
        let (i, j) = (a as usize, b as usize);
        if ix.start[i].max(ix.start[j]) < ix.end[i].min(ix.end[j]) {
            self.found
                .push(Finding::pair(kind, severity, ix.start[i], a, b, whom));
        }
    }

    fn double_bookings(&mut self) {
        let ix = self.index;
        let mut active = Vec::new();
        let mut pairs = Vec::new();
        let resources = [
            (
                Resource::Official,
                &ix.by_official,
                ConflictKind::OfficialDoubleBooked,
            ),
            (
                Resource::Venue,
                &ix.by_venue,
                ConflictKind::VenueDoubleBooked,
            ),
            (
                Resource::Group,
                &ix.by_group,
                ConflictKind::GroupDoubleBooked,
            ),
        ];
        for (which, by, kind) in resources {
            for r in 0..by.rows() {
                if !self.scope.resource(which, r) {
                    continue;
                }
                let scope = &self.scope;
                sweep(by.row(r).entries, &mut active, |a, b| {
                    if scope.pair(a, b) {
                        pairs.push((a, b));
                    }
                });
                let whom = match which {
                    Resource::Official => Whom::Official(r as u32),
                    Resource::Venue => Whom::Venue(r as u32),
                    Resource::Group => Whom::Group(r as u32),
                };
                for (a, b) in pairs.drain(..) {
                    self.report_pair(kind, Severity::Error, a, b, whom);
                }
            }
        }
    }

    /// Participants reached directly or through groups. Two meetings that
    /// reach a participant through one group are that group's conflict, not
    /// theirs, so a participant reached only ever through one group is left
    /// out (this is what keeps large groups cheap), and the meetings of one
    /// group's timeline are never paired with each other. What is left: their
    /// own meetings with each other, and each of their timelines (their own,
    /// each group's) with each other one, by searching the longer for the
    /// meetings of the shorter.
    fn participant_double_bookings(&mut self) {
        let ix = self.index;
        let people = ix.participant_ids.len();
        let groups_of_person = ix.members.transpose(people);

        let mut rows: Vec<Row> = Vec::new();
        let mut active = Vec::new();
        let mut pairs = Vec::new();
        for p in 0..people {
            let groups = groups_of_person.row(p);
            let own = ix.by_participant.row(p);
            if own.entries.is_empty() && groups.len() < 2 {
                continue;
            }
            rows.clear();
            if !own.entries.is_empty() {
                rows.push(own);
                sweep(own.entries, &mut active, |a, b| pairs.push((a, b)));
            }
            rows.extend(groups.iter().map(|&g| ix.by_group.row(g as usize)));
            for (i, &one) in rows.iter().enumerate() {
                for &other in &rows[i + 1..] {
                    overlaps_between(one, other, |a, b| pairs.push((a, b)));
                }
            }
            if pairs.is_empty() {
                continue;
            }
            // A pair met through two routes is one conflict.
            pairs.sort_unstable();
            pairs.dedup();
            let whom = Whom::Participant(p as u32);
            for &(a, b) in &pairs {
                if self.scope.pair(a, b) && !share_group_with(ix, a, b, p as u32) {
                    self.report_pair(
                        ConflictKind::ParticipantDoubleBooked,
                        Severity::Warning,
                        a,
                        b,
                        whom,
                    );
                }
            }
            pairs.clear();
        }
    }

    /// Consecutive meetings (among those with a venue) of each official and
    /// group, at different venues, with a gap shorter than the transfer.
    fn travel_times(&mut self) {
        let ix = self.index;
        for o in 0..ix.by_official.rows() {
            if self.scope.resource(Resource::Official, o) {
                self.travel_for(ix.by_official.row(o), Whom::Official(o as u32));
            }
        }
        for g in 0..ix.by_group.rows() {
            if self.scope.resource(Resource::Group, g) {
                self.travel_for(ix.by_group.row(g), Whom::Group(g as u32));
            }
        }
    }

    fn travel_for(&mut self, row: Row, whom: Whom) {
        let ix = self.index;
        let buffer = ix.settings.warning_buffer_minutes;
        consecutive_transfers(row.entries, |from_entry, to_entry| {
            let (prev, m) = (from_entry.meeting, to_entry.meeting);
            if !self.scope.pair(prev, m) {
                return;
            }
            let (from, to) = (from_entry.venue, to_entry.venue);
            let gap = to_entry.start - from_entry.end;
            // Most gaps are plainly long enough: no need to work the road out.
            if ix.travel_within(from, to, gap.div_euclid(60) - buffer) {
                return;
            }
            let (needed, estimate) = ix.travel_minutes(from, to);
            let severity = if gap < needed * 60 {
                Severity::Error
            } else if gap < (needed + buffer) * 60 {
                Severity::Warning
            } else {
                return;
            };
            let start = from_entry.start;
            let kind = ConflictKind::TravelTime;
            self.found.push(Finding {
                estimate,
                ..Finding::pair(kind, severity, start, prev, m, whom).with_value(needed)
            });
        });
    }

    /// Each meeting at a venue with hours, in time order, against the hours
    /// of its local day. Venues with the same zone and hours (most venues of
    /// a region share them) share their days: each such kind of venue keeps
    /// the day it last worked out, which the meetings that follow in time
    /// mostly fall on, and each day's openings are worked out once.
    fn venue_hours(&mut self) {
        let ix = self.index;
        let mut clock = LocalClock::default();
        // A kind of venue's days, by the number of the day.
        let mut days: FastMap<(u32, i64), OpeningDay> = FastMap::default();
        let mut kinds: Vec<(Tz, OpeningHours)> = Vec::new();
        let mut kind_index: FastMap<(Tz, u64), u32> = FastMap::default();
        let kind_of: Vec<u32> = ix
            .venues
            .iter()
            .map(|venue| {
                let Some((tz, hours)) = venue.and_then(|v| Some((v.timezone, v.hours?))) else {
                    return NONE;
                };
                *kind_index.entry((tz, hours_key(hours))).or_insert_with(|| {
                    kinds.push((tz, hours));
                    kinds.len() as u32 - 1
                })
            })
            .collect();
        let mut current: Vec<Option<OpeningDay>> = vec![None; kinds.len()];
        for m in 0..ix.len() as u32 {
            let v = ix.venue[m as usize];
            let kind = match v {
                NONE => continue,
                v => kind_of[v as usize],
            };
            if kind == NONE || !self.scope.meeting(m) {
                continue;
            }
            let (start, end) = (ix.start[m as usize], ix.end[m as usize]);
            let today = match current[kind as usize] {
                Some(day) if day.covers(start) => day,
                _ => {
                    let (tz, hours) = kinds[kind as usize];
                    let date = VisitCalendar::local_date(ix.calendar(m), tz, start);
                    let opening = *days
                        .entry((kind, i64::from(date.num_days_from_ce())))
                        .or_insert_with(|| OpeningDay::of(tz, hours, date, &mut clock));
                    *current[kind as usize].insert(opening)
                }
            };
            if today.fits(start, end) {
                continue;
            }
            self.found.push(Finding::single(
                ConflictKind::OutsideVenueHours,
                Severity::Warning,
                start,
                m,
                Whom::Venue(v),
            ));
        }
    }

    /// Capacity and visit dates: one meeting at a time, against each
    /// venue's capacity and each visit's days laid out by index first.
    fn single_meetings(&mut self) {
        let ix = self.index;
        let capacities: Vec<i64> = ix
            .venues
            .iter()
            .map(|v| v.and_then(|v| v.capacity).map_or(i64::MAX, i64::from))
            .collect();
        let visit_days: Vec<(i64, i64)> = ix
            .visits
            .iter()
            .map(|c| {
                c.as_ref()
                    .map_or((i64::MIN, i64::MAX), |c| (c.days.starts, c.days.ends))
            })
            .collect();
        for m in 0..ix.len() as u32 {
            if !self.scope.meeting(m) {
                continue;
            }
            let (start, end) = (ix.start[m as usize], ix.end[m as usize]);
            let venue = ix.venue[m as usize];
            if venue != NONE {
                let capacity = capacities[venue as usize];
                if let Some(expected) = headcount_over(ix, m, capacity) {
                    let kind = ConflictKind::OverCapacity;
                    self.found.push(
                        Finding::single(kind, Severity::Warning, start, m, Whom::Venue(venue))
                            .with_value(expected),
                    );
                }
            }
            let (starts, ends) = visit_days[ix.visit[m as usize] as usize];
            if start < starts || end > ends {
                let kind = ConflictKind::OutsideVisitDates;
                self.found.push(Finding::single(
                    kind,
                    Severity::Error,
                    start,
                    m,
                    Whom::OfMeeting,
                ));
            }
        }
    }

    fn unavailability(&mut self) {
        let ix = self.index;
        let resources = [
            (
                Resource::Official,
                &ix.official_windows,
                &ix.by_official,
                ConflictKind::OfficialUnavailable,
            ),
            (
                Resource::Venue,
                &ix.venue_windows,
                &ix.by_venue,
                ConflictKind::VenueUnavailable,
            ),
        ];
        let mut hits = Vec::new();
        for (which, windows, by, kind) in resources {
            for r in 0..windows.rows() {
                if !self.scope.resource(which, r) {
                    continue;
                }
                for &w in windows.row(r) {
                    let (ws, we) = (ix.window_start[w as usize], ix.window_end[w as usize]);
                    hits.extend(
                        by.row(r)
                            .overlapping(ws, we)
                            .map(|e| e.meeting)
                            .filter(|&m| self.scope.meeting(m)),
                    );
                    let whom = match which {
                        Resource::Venue => Whom::Venue(r as u32),
                        _ => Whom::Official(r as u32),
                    };
                    for m in hits.drain(..) {
                        let start = ix.start[m as usize];
                        self.found.push(
                            Finding::single(kind, Severity::Error, start, m, whom)
                                .with_value(i64::from(w)),
                        );
                    }
                }
            }
        }
    }

    /// An official's meetings merged while the gaps between them are shorter
    /// than a break; a merged stretch longer than allowed is one warning.
    fn breaks(&mut self) {
        let ix = self.index;
        let longest = ix.settings.max_stretch_minutes * 60;
        let min_break = ix.settings.min_break_minutes * 60;
        for o in 0..ix.by_official.rows() {
            if !self.scope.resource(Resource::Official, o) {
                continue;
            }
            let row = ix.by_official.row(o).entries;
            let mut i = 0;
            while i < row.len() {
                let first = i;
                let stretch_start = row[i].start;
                let mut stretch_end = row[i].end;
                i += 1;
                while i < row.len() && row[i].start - stretch_end < min_break {
                    stretch_end = stretch_end.max(row[i].end);
                    i += 1;
                }
                let stretch = &row[first..i];
                if stretch_end - stretch_start <= longest
                    || !stretch.iter().any(|e| self.scope.meeting(e.meeting))
                {
                    continue;
                }
                if range(stretch_start, stretch_end).is_none() {
                    continue;
                }
                self.found.push(Finding {
                    b: i as u32,
                    ..Finding::single(
                        ConflictKind::NoBreak,
                        Severity::Warning,
                        stretch_start,
                        first as u32,
                        Whom::Official(o as u32),
                    )
                });
            }
        }
    }
}

/// Fills in the suggested slot of each conflict of a kind that has one: the
/// earliest slot on the same day where the later of its meetings (by start,
/// end, id) fits everyone involved. A step apart from [`find_conflicts`], so
/// callers work slots out only for the conflicts they show; `snapshot` is the
/// one the conflicts were found in (meetings it does not hold get no slot).
///
/// Slots are worked out once per meeting to move and in time order: each
/// resource's timeline is then read forward, from memory close at hand,
/// rather than jumping about a large programme.
pub fn suggest_slots(snapshot: &Snapshot, conflicts: &mut [Conflict]) {
    let wanted = |c: &Conflict| {
        !matches!(
            c.kind,
            ConflictKind::OverCapacity | ConflictKind::OutsideVisitDates | ConflictKind::NoBreak
        )
    };
    if !conflicts.iter().any(wanted) {
        return;
    }
    let ix = Index::build(snapshot);
    let position: IdMap<u32> = ix.id.iter().copied().zip(0u32..).collect();
    let mut targets: Vec<(u32, usize)> = conflicts
        .iter()
        .enumerate()
        .filter(|(_, c)| wanted(c))
        .filter_map(|(i, c)| {
            let later = c.meeting_ids.iter().filter_map(|id| position.get(id)).max();
            later.map(|&m| (m, i))
        })
        .collect();
    targets.sort_unstable();
    let mut finder = SlotFinder::default();
    let mut last: Option<(u32, Option<TimeRange>)> = None;
    for (m, i) in targets {
        let slot = match last {
            Some((done, slot)) if done == m => slot,
            _ => finder.earliest(&ix, m),
        };
        last = Some((m, slot));
        conflicts[i].suggestion = slot;
    }
}

/// Calls `each` for the findings of `runs`, each run already in order, in
/// the order of them all. No kind is found by two rules, so the first start
/// and the kind decide between runs; given in rule order, of two that sort
/// alike the earlier rule's would come first.
fn merge<'f>(mut runs: Vec<&'f [Finding]>, mut each: impl FnMut(&'f Finding)) {
    runs.retain(|run| !run.is_empty());
    let key = |run: &[Finding]| (run[0].start, run[0].kind);
    while !runs.is_empty() {
        let mut first = 0;
        for r in 1..runs.len() {
            if key(runs[r]) < key(runs[first]) {
                first = r;
            }
        }
        let (head, rest) = runs[first].split_first().expect("runs left are not empty");
        each(head);
        runs[first] = rest;
        if rest.is_empty() {
            runs.remove(first);
        }
    }
}

/// Whether `p` reaches both meetings through a group they both invite.
fn share_group_with(ix: &Index, a: u32, b: u32, p: u32) -> bool {
    let (mut ga, mut gb) = (
        ix.groups_of(a).iter().peekable(),
        ix.groups_of(b).iter().peekable(),
    );
    while let (Some(&&x), Some(&&y)) = (ga.peek(), gb.peek()) {
        match x.cmp(&y) {
            std::cmp::Ordering::Less => {
                ga.next();
            }
            std::cmp::Ordering::Greater => {
                gb.next();
            }
            std::cmp::Ordering::Equal => {
                if ix.members.row(x as usize).binary_search(&p).is_ok() {
                    return true;
                }
                ga.next();
                gb.next();
            }
        }
    }
    false
}

/// The people a meeting expects, when more than `capacity`: groups by
/// headcount, participants invited in their own name who are not already
/// members of an invited group, and the officials. Whether the individuals
/// are members is only looked up when counting them all would exceed it.
fn headcount_over(ix: &Index, m: u32, capacity: i64) -> Option<i64> {
    let groups = ix.groups_of(m);
    let participants = ix.participants_of(m);
    let sure: i64 = groups
        .iter()
        .map(|&g| ix.headcount[g as usize])
        .sum::<i64>()
        + ix.officials_of(m).len() as i64;
    if sure + participants.len() as i64 <= capacity {
        return None;
    }
    let individuals = participants
        .iter()
        .filter(|&&p| {
            !groups
                .iter()
                .any(|&g| ix.members.row(g as usize).binary_search(&p).is_ok())
        })
        .count() as i64;
    Some(sure + individuals).filter(|&expected| expected > capacity)
}

/// For a meeting outside the visit's days: its venue, else its first official,
/// group or participant by id.
fn dates_subject(ix: &Index, m: u32) -> Option<Subject> {
    let m = m as usize;
    let lowest = |row: &[u32], ids: &[i64]| row.iter().map(|&r| ids[r as usize]).min();
    match ix.venue[m] {
        NONE => lowest(ix.officials_of(m as u32), &ix.official_ids)
            .map(Subject::Official)
            .or_else(|| lowest(ix.groups_of(m as u32), &ix.group_ids).map(Subject::Group))
            .or_else(|| {
                lowest(ix.participants_of(m as u32), &ix.participant_ids).map(Subject::Participant)
            }),
        v => Some(Subject::Venue(ix.venue_ids[v as usize])),
    }
}

/// Daily hours as one number: their opening and closing second after
/// midnight (17 bits each).
fn hours_key(hours: OpeningHours) -> u64 {
    let seconds = |t: NaiveTime| u64::from(t.num_seconds_from_midnight());
    (seconds(hours.opens) << 17) | seconds(hours.closes)
}

/// A venue's local day: its bounds and its opening windows as UTC instants,
/// the one that opened that day and, for hours past midnight, the one that
/// opened the day before.
#[derive(Clone, Copy)]
struct OpeningDay {
    from: i64,
    to: i64,
    today: (i64, i64),
    yesterday: Option<(i64, i64)>,
}

impl OpeningDay {
    fn of(tz: Tz, hours: OpeningHours, day: NaiveDate, clock: &mut LocalClock) -> Self {
        let after = |d: NaiveDate, n| d.checked_add_days(Days::new(n)).unwrap_or(d);
        let overnight = hours.closes <= hours.opens;
        let mut window = |d: NaiveDate| {
            let closing = if overnight { after(d, 1) } else { d };
            (
                clock.utc(tz, d.and_time(hours.opens)),
                clock.utc(tz, closing.and_time(hours.closes)),
            )
        };
        let today = window(day);
        let yesterday = match day.checked_sub_days(Days::new(1)) {
            Some(before) if overnight => Some(window(before)),
            _ => None,
        };
        Self {
            from: clock.utc(tz, day.and_time(NaiveTime::MIN)),
            to: clock.utc(tz, after(day, 1).and_time(NaiveTime::MIN)),
            today,
            yesterday,
        }
    }

    /// Whether `instant` falls on this local day.
    fn covers(&self, instant: i64) -> bool {
        self.from <= instant && instant < self.to
    }

    /// Whether `[start, end)` (starting on this day) lies inside one opening.
    fn fits(&self, start: i64, end: i64) -> bool {
        let inside = |(opens, closes): (i64, i64)| start >= opens && end <= closes;
        inside(self.today) || self.yesterday.is_some_and(inside)
    }
}
