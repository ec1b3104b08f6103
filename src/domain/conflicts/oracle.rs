//! The engine against a brute-force oracle on random programmes: every pair of
//! meetings against every other, every minute of the day for suggestions. Slow
//! and plainly right; the fast code must agree with it exactly.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Days, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use proptest::collection::{btree_map, btree_set, vec};
use proptest::prelude::*;

use super::*;
use crate::domain::values::TimeRange;

const ALMATY: Tz = chrono_tz::Asia::Almaty;
const MOSCOW: Tz = chrono_tz::Europe::Moscow;
/// Five-minute slots over two days.
const SLOTS: u32 = 2 * 24 * 12;
const OFFICIALS: u8 = 4;
const VENUES: u8 = 3;
const GROUPS: u8 = 3;
const PEOPLE: u8 = 6;

#[derive(Clone, Debug)]
struct RawMeeting {
    start: u32,
    length: u32,
    venue: Option<u8>,
    officials: BTreeSet<u8>,
    groups: BTreeSet<u8>,
    participants: BTreeSet<u8>,
    cancelled: bool,
    second_visit: bool,
}

#[derive(Clone, Debug)]
struct RawVenue {
    in_moscow: bool,
    hours: Option<(u32, u32)>,
    capacity: Option<i32>,
    place: Option<(u8, u8)>,
}

#[derive(Clone, Debug)]
struct RawProgramme {
    meetings: Vec<RawMeeting>,
    venues: Vec<RawVenue>,
    groups: Vec<(BTreeSet<u8>, i32)>,
    travel: BTreeMap<(u8, u8), i32>,
    /// (an official rather than a venue, whose, start slot, length in slots)
    windows: Vec<(bool, u8, u32, u32)>,
}

fn raw_meeting() -> impl Strategy<Value = RawMeeting> {
    (
        (0..SLOTS, 1u32..=36, proptest::option::of(0..VENUES)),
        btree_set(0..OFFICIALS, 0..=2),
        btree_set(0..GROUPS, 0..=2),
        btree_set(0..PEOPLE, 0..=2),
        proptest::bool::weighted(0.1),
        any::<bool>(),
    )
        .prop_map(
            |((start, length, venue), officials, groups, participants, cancelled, second_visit)| {
                RawMeeting {
                    start,
                    length,
                    venue,
                    officials,
                    groups,
                    participants,
                    cancelled,
                    second_visit,
                }
            },
        )
}

fn raw_venue() -> impl Strategy<Value = RawVenue> {
    (
        proptest::bool::weighted(0.3),
        proptest::option::weighted(0.4, (0u32..24, 0u32..24)),
        proptest::option::of(1i32..8),
        proptest::option::of((0u8..10, 0u8..10)),
    )
        .prop_map(|(in_moscow, hours, capacity, place)| RawVenue {
            in_moscow,
            hours,
            capacity,
            place,
        })
}

fn raw_programme() -> impl Strategy<Value = RawProgramme> {
    (
        vec(raw_meeting(), 0..40),
        vec(raw_venue(), VENUES as usize),
        vec((btree_set(0..PEOPLE, 0..=3), 0i32..3), GROUPS as usize),
        btree_map((0..VENUES, 0..VENUES), 0i32..60, 0..4),
        vec((any::<bool>(), 0u8..4, 0..SLOTS, 1u32..48), 0..4),
    )
        .prop_map(|(meetings, venues, groups, travel, windows)| RawProgramme {
            meetings,
            venues,
            groups,
            travel,
            windows,
        })
}

// Sparse, large ids, so nothing can lean on them being small or dense.
fn meeting_id(i: usize) -> i64 {
    1_000_000_007 * (i as i64 + 1)
}
fn official_id(o: u8) -> i64 {
    7_000_000_000 + i64::from(o) * 1009
}
fn venue_id(v: u8) -> i64 {
    -3_000 - i64::from(v) * 17
}
fn group_id(g: u8) -> i64 {
    900 + i64::from(g) * 11
}
fn participant_id(p: u8) -> i64 {
    44_000_000_000 + i64::from(p) * 3
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 2, d).unwrap()
}

fn base() -> DateTime<Utc> {
    ALMATY
        .from_local_datetime(&day(25).and_time(NaiveTime::MIN))
        .unwrap()
        .with_timezone(&Utc)
}

fn at_slot(slot: u32) -> DateTime<Utc> {
    base() + Duration::minutes(5 * i64::from(slot))
}

fn hour(h: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, 0, 0).unwrap()
}

fn build(raw: &RawProgramme) -> Snapshot {
    let meetings = raw
        .meetings
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let time = TimeRange::new(at_slot(m.start), at_slot(m.start + m.length)).unwrap();
            let visit = if m.second_visit { 2 } else { 1 };
            let mut meeting = Meeting::new(meeting_id(i), visit, format!("Meeting {i}"), time)
                .with_officials(m.officials.iter().map(|&o| official_id(o)))
                .with_groups(m.groups.iter().map(|&g| group_id(g)))
                .with_participants(m.participants.iter().map(|&p| participant_id(p)));
            meeting.venue_id = m.venue.map(venue_id);
            meeting.cancelled = m.cancelled;
            meeting
        })
        .collect();
    let venues = raw
        .venues
        .iter()
        .enumerate()
        .map(|(v, r)| {
            let zone = if r.in_moscow { MOSCOW } else { ALMATY };
            let mut venue = Venue::new(venue_id(v as u8), format!("Venue {v}"), zone);
            if let Some((opens, closes)) = r.hours {
                venue = venue.open(hour(opens), hour(closes));
            }
            if let Some(capacity) = r.capacity {
                venue = venue.holding(capacity);
            }
            if let Some((a, b)) = r.place {
                venue = venue.located(49.9 + f64::from(a) * 0.05, 82.6 + f64::from(b) * 0.05);
            }
            venue
        })
        .collect();
    let groups = raw
        .groups
        .iter()
        .enumerate()
        .map(|(g, (members, extra))| {
            Group::new(
                group_id(g as u8),
                format!("Group {g}"),
                members.len() as i32 + extra,
                members.iter().map(|&p| participant_id(p)),
            )
        })
        .collect();
    let travel_times = raw
        .travel
        .iter()
        .filter(|((a, b), _)| a != b)
        .map(|(&(a, b), &minutes)| TravelTime {
            from_venue_id: venue_id(a),
            to_venue_id: venue_id(b),
            minutes,
        })
        .collect();
    let unavailability = raw
        .windows
        .iter()
        .map(|&(official, who, start, length)| Unavailability {
            who: if official {
                Unavailable::Official(official_id(who % OFFICIALS))
            } else {
                Unavailable::Venue(venue_id(who % VENUES))
            },
            time: TimeRange::new(at_slot(start), at_slot(start + length)).unwrap(),
            reason: None,
        })
        .collect();
    Snapshot {
        meetings,
        officials: (0..OFFICIALS)
            .map(|o| Official::new(official_id(o), format!("Official {o}")))
            .collect(),
        venues,
        groups,
        participants: (0..PEOPLE)
            .map(|p| Participant::new(participant_id(p), format!("Participant {p}")))
            .collect(),
        travel_times,
        unavailability,
        // Visit 2 starts a day later: its meetings on the 25th are outside it.
        visits: vec![
            Visit::new(1, ALMATY, day(25), day(26)),
            Visit::new(2, ALMATY, day(26), day(27)),
        ],
        settings: EngineSettings::default(),
    }
}

// ---------------------------------------------------------------------------
// The oracle

type Key = (ConflictKind, Vec<i64>, Option<Subject>, Severity);

struct Oracle<'s> {
    snapshot: &'s Snapshot,
    live: Vec<&'s Meeting>,
    visit: Option<i64>,
    members: HashMap<i64, BTreeSet<i64>>,
}

fn set(ids: &[i64]) -> BTreeSet<i64> {
    ids.iter().copied().collect()
}

fn pair(a: &Meeting, b: &Meeting) -> Vec<i64> {
    let mut ids = vec![a.id, b.id];
    ids.sort();
    ids
}

impl<'s> Oracle<'s> {
    fn new(snapshot: &'s Snapshot, visit: Option<i64>) -> Self {
        Self {
            snapshot,
            live: snapshot.meetings.iter().filter(|m| !m.cancelled).collect(),
            visit,
            members: snapshot
                .groups
                .iter()
                .map(|g| (g.id, set(&g.participant_ids)))
                .collect(),
        }
    }

    fn in_scope(&self, m: &Meeting) -> bool {
        self.visit.is_none_or(|v| m.visit_id == v)
    }

    fn venue(&self, id: Option<i64>) -> Option<&'s Venue> {
        id.and_then(|id| self.snapshot.venues.iter().find(|v| v.id == id))
    }

    fn reach(&self, m: &Meeting) -> BTreeSet<i64> {
        let mut people = set(&m.participant_ids);
        for g in &m.group_ids {
            people.extend(self.members.get(g).into_iter().flatten());
        }
        people
    }

    fn travel_minutes(&self, from: i64, to: i64) -> i64 {
        let entered = |a, b| {
            self.snapshot
                .travel_times
                .iter()
                .rev()
                .find(|t| t.from_venue_id == a && t.to_venue_id == b)
                .map(|t| i64::from(t.minutes))
        };
        if let Some(minutes) = entered(from, to).or_else(|| entered(to, from)) {
            return minutes;
        }
        let place = |id| self.venue(Some(id)).and_then(|v| v.coordinates);
        match (place(from), place(to)) {
            (Some(a), Some(b)) => {
                let (p1, p2) = (a.latitude.to_radians(), b.latitude.to_radians());
                let dp = p2 - p1;
                let dl = (b.longitude - a.longitude).to_radians();
                let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
                let km = 2.0 * 6371.0 * h.sqrt().asin();
                (km / 40.0 * 60.0).ceil() as i64 + 10
            }
            _ => 30,
        }
    }

    fn conflicts(&self) -> Vec<Key> {
        let mut found = Vec::new();
        self.double_bookings(&mut found);
        self.travel(&mut found);
        self.single_meetings(&mut found);
        self.breaks(&mut found);
        found.sort();
        found
    }

    fn double_bookings(&self, found: &mut Vec<Key>) {
        use ConflictKind as K;
        for (i, a) in self.live.iter().enumerate() {
            for b in &self.live[i + 1..] {
                if !a.time.overlaps(&b.time) || !(self.in_scope(a) || self.in_scope(b)) {
                    continue;
                }
                let ids = pair(a, b);
                let error = |kind, subject| (kind, ids.clone(), Some(subject), Severity::Error);
                for o in set(&a.official_ids).intersection(&set(&b.official_ids)) {
                    found.push(error(K::OfficialDoubleBooked, Subject::Official(*o)));
                }
                if let (Some(v), Some(w)) = (a.venue_id, b.venue_id) {
                    if v == w {
                        found.push(error(K::VenueDoubleBooked, Subject::Venue(v)));
                    }
                }
                let shared_groups: BTreeSet<i64> = set(&a.group_ids)
                    .intersection(&set(&b.group_ids))
                    .copied()
                    .collect();
                let mut covered: BTreeSet<i64> = BTreeSet::new();
                for g in &shared_groups {
                    found.push(error(K::GroupDoubleBooked, Subject::Group(*g)));
                    covered.extend(self.members.get(g).into_iter().flatten());
                }
                for p in self.reach(a).intersection(&self.reach(b)) {
                    if !covered.contains(p) {
                        found.push((
                            K::ParticipantDoubleBooked,
                            ids.clone(),
                            Some(Subject::Participant(*p)),
                            Severity::Warning,
                        ));
                    }
                }
            }
        }
    }

    fn travel(&self, found: &mut Vec<Key>) {
        let mut subjects: BTreeSet<Subject> = BTreeSet::new();
        for m in &self.live {
            subjects.extend(m.official_ids.iter().map(|&o| Subject::Official(o)));
            subjects.extend(m.group_ids.iter().map(|&g| Subject::Group(g)));
        }
        for subject in subjects {
            let mut route: Vec<&Meeting> = self
                .live
                .iter()
                .copied()
                .filter(|m| m.venue_id.is_some())
                .filter(|m| match subject {
                    Subject::Official(o) => m.official_ids.contains(&o),
                    Subject::Group(g) => m.group_ids.contains(&g),
                    _ => false,
                })
                .collect();
            route.sort_by_key(|m| (m.time.start(), m.time.end(), m.id));
            for w in route.windows(2) {
                let (a, b) = (w[0], w[1]);
                let (from, to) = (a.venue_id.unwrap(), b.venue_id.unwrap());
                let gap = (b.time.start() - a.time.end()).num_seconds();
                if from == to || gap < 0 || !(self.in_scope(a) || self.in_scope(b)) {
                    continue;
                }
                let needed = self.travel_minutes(from, to) * 60;
                let severity = if gap < needed {
                    Severity::Error
                } else if gap < needed + 600 {
                    Severity::Warning
                } else {
                    continue;
                };
                found.push((
                    ConflictKind::TravelTime,
                    pair(a, b),
                    Some(subject),
                    severity,
                ));
            }
        }
    }

    fn single_meetings(&self, found: &mut Vec<Key>) {
        use ConflictKind as K;
        for m in self.live.iter().filter(|m| self.in_scope(m)) {
            let one = vec![m.id];
            if let Some(venue) = self.venue(m.venue_id) {
                if let Some(hours) = venue.hours {
                    if !inside_hours(venue.timezone, hours, m.time) {
                        found.push((
                            K::OutsideVenueHours,
                            one.clone(),
                            Some(Subject::Venue(venue.id)),
                            Severity::Warning,
                        ));
                    }
                }
                if let Some(capacity) = venue.capacity {
                    let groups: i64 = m
                        .group_ids
                        .iter()
                        .map(|g| {
                            self.snapshot
                                .groups
                                .iter()
                                .find(|x| x.id == *g)
                                .map_or(0, |x| i64::from(x.headcount))
                        })
                        .sum();
                    let in_groups: BTreeSet<i64> = m
                        .group_ids
                        .iter()
                        .flat_map(|g| self.members.get(g).into_iter().flatten().copied())
                        .collect();
                    let individuals = set(&m.participant_ids).difference(&in_groups).count() as i64;
                    let expected = groups + individuals + set(&m.official_ids).len() as i64;
                    if expected > i64::from(capacity) {
                        found.push((
                            K::OverCapacity,
                            one.clone(),
                            Some(Subject::Venue(venue.id)),
                            Severity::Warning,
                        ));
                    }
                }
            }
            if let Some(visit) = self.snapshot.visits.iter().find(|v| v.id == m.visit_id) {
                let start = m.time.start().with_timezone(&visit.timezone).naive_local();
                let end = m.time.end().with_timezone(&visit.timezone).naive_local();
                let midnight_after = (visit.last_day + Days::new(1)).and_time(NaiveTime::MIN);
                let starts_inside =
                    start.date() >= visit.first_day && start.date() <= visit.last_day;
                let ends_inside = end.date() <= visit.last_day || end == midnight_after;
                if !(starts_inside && ends_inside) {
                    let subject = m
                        .venue_id
                        .map(Subject::Venue)
                        .or(m.official_ids.iter().min().map(|&o| Subject::Official(o)))
                        .or(m.group_ids.iter().min().map(|&g| Subject::Group(g)))
                        .or(m
                            .participant_ids
                            .iter()
                            .min()
                            .map(|&p| Subject::Participant(p)));
                    found.push((K::OutsideVisitDates, one.clone(), subject, Severity::Error));
                }
            }
            for w in &self.snapshot.unavailability {
                if !w.time.overlaps(&m.time) {
                    continue;
                }
                match w.who {
                    Unavailable::Official(o) if m.official_ids.contains(&o) => found.push((
                        K::OfficialUnavailable,
                        one.clone(),
                        Some(Subject::Official(o)),
                        Severity::Error,
                    )),
                    Unavailable::Venue(v) if m.venue_id == Some(v) => found.push((
                        K::VenueUnavailable,
                        one.clone(),
                        Some(Subject::Venue(v)),
                        Severity::Error,
                    )),
                    _ => {}
                }
            }
        }
    }

    fn breaks(&self, found: &mut Vec<Key>) {
        let officials: BTreeSet<i64> = self
            .live
            .iter()
            .flat_map(|m| m.official_ids.iter().copied())
            .collect();
        for o in officials {
            let mut day: Vec<&Meeting> = self
                .live
                .iter()
                .copied()
                .filter(|m| m.official_ids.contains(&o))
                .collect();
            day.sort_by_key(|m| m.time.start());
            let mut stretches: Vec<(Vec<&Meeting>, DateTime<Utc>)> = Vec::new();
            for m in day {
                match stretches.last_mut() {
                    Some((members, end)) if m.time.start() < *end + Duration::minutes(30) => {
                        members.push(m);
                        *end = (*end).max(m.time.end());
                    }
                    _ => stretches.push((vec![m], m.time.end())),
                }
            }
            for (members, end) in stretches {
                let long = end - members[0].time.start() > Duration::hours(4);
                if long && members.iter().any(|m| self.in_scope(m)) {
                    let mut ids: Vec<i64> = members.iter().map(|m| m.id).collect();
                    ids.sort();
                    found.push((
                        ConflictKind::NoBreak,
                        ids,
                        Some(Subject::Official(o)),
                        Severity::Warning,
                    ));
                }
            }
        }
    }

    /// The first minute of the meeting's day from which it fits everyone.
    fn first_free_slot(&self, target: &Meeting) -> Option<TimeRange> {
        let visit = self
            .snapshot
            .visits
            .iter()
            .find(|v| v.id == target.visit_id)?;
        let today = target
            .time
            .start()
            .with_timezone(&visit.timezone)
            .date_naive();
        if today < visit.first_day || today > visit.last_day {
            return None;
        }
        let midnight = |d: NaiveDate| {
            visit
                .timezone
                .from_local_datetime(&d.and_time(NaiveTime::MIN))
                .unwrap()
                .with_timezone(&Utc)
        };
        let (day_start, day_end) = (midnight(today), midnight(today + Days::new(1)));
        let venue = self.venue(target.venue_id);
        let length = target.time.duration();
        let mut start = day_start;
        while start + length <= day_end {
            let slot = TimeRange::new(start, start + length).unwrap();
            let open = venue
                .and_then(|v| v.hours.map(|h| (v.timezone, h)))
                .is_none_or(|(tz, hours)| inside_hours(tz, hours, slot));
            if open && self.free(target, slot) {
                return Some(slot);
            }
            start += Duration::minutes(1);
        }
        None
    }

    fn free(&self, target: &Meeting, slot: TimeRange) -> bool {
        for b in self.live.iter().filter(|b| b.id != target.id) {
            let shares_people = b
                .official_ids
                .iter()
                .any(|o| target.official_ids.contains(o))
                || b.group_ids.iter().any(|g| target.group_ids.contains(g));
            if shares_people {
                let (mut from, mut to) = (b.time.start(), b.time.end());
                if let (Some(here), Some(there)) = (target.venue_id, b.venue_id) {
                    if here != there {
                        from -= Duration::minutes(self.travel_minutes(here, there) + 10);
                        to += Duration::minutes(self.travel_minutes(there, here) + 10);
                    }
                }
                if slot.overlaps(&TimeRange::new(from, to).unwrap()) {
                    return false;
                }
            }
            if target.venue_id.is_some() && b.venue_id == target.venue_id && slot.overlaps(&b.time)
            {
                return false;
            }
        }
        self.snapshot.unavailability.iter().all(|w| {
            let blocks = match w.who {
                Unavailable::Official(o) => target.official_ids.contains(&o),
                Unavailable::Venue(v) => target.venue_id == Some(v),
            };
            !(blocks && w.time.overlaps(&slot))
        })
    }
}

/// Inside the hours that opened on the start's local day or, for hours past
/// midnight, the day before.
fn inside_hours(tz: Tz, hours: OpeningHours, time: TimeRange) -> bool {
    let start = time.start().with_timezone(&tz).naive_local();
    let end = time.end().with_timezone(&tz).naive_local();
    [start.date() - Days::new(1), start.date()]
        .into_iter()
        .any(|d| {
            let opens = d.and_time(hours.opens);
            let closes = if hours.closes > hours.opens {
                d.and_time(hours.closes)
            } else {
                (d + Days::new(1)).and_time(hours.closes)
            };
            start >= opens && end <= closes
        })
}

fn key(c: &Conflict) -> Key {
    (c.kind, c.meeting_ids.to_vec(), c.subject, c.severity)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn the_engine_agrees_with_brute_force_on_random_programmes(
        raw in raw_programme(),
        visit in proptest::option::of(1i64..=2),
    ) {
        let snapshot = build(&raw);
        let mut conflicts = find_conflicts(&snapshot, visit);
        // Slots are a step of their own, for the conflicts a caller shows.
        prop_assert!(conflicts.iter().all(|c| c.suggestion.is_none()));
        suggest_slots(&snapshot, &mut conflicts);
        let oracle = Oracle::new(&snapshot, visit);

        // The double bookings, exactly: same pairs, same subjects, no repeats.
        let double = |k: ConflictKind| matches!(
            k,
            ConflictKind::OfficialDoubleBooked
                | ConflictKind::VenueDoubleBooked
                | ConflictKind::GroupDoubleBooked
                | ConflictKind::ParticipantDoubleBooked
        );
        let mut got: Vec<Key> = conflicts.iter().map(key).collect();
        got.sort();
        let expected = oracle.conflicts();
        let doubles = |keys: &[Key]| keys.iter().filter(|k| double(k.0)).cloned().collect::<Vec<_>>();
        prop_assert_eq!(doubles(&got), doubles(&expected));
        // And every other kind too.
        prop_assert_eq!(&got, &expected);

        // In order: by the first meeting's start, then kind, meetings, subject.
        let start_of = |id: i64| snapshot.meetings.iter().find(|m| m.id == id).unwrap().time.start();
        let order = |c: &Conflict| (
            c.meeting_ids.iter().map(|&id| start_of(id)).min(),
            c.kind,
            c.meeting_ids.clone(),
            c.subject,
        );
        prop_assert!(conflicts.windows(2).all(|w| order(&w[0]) <= order(&w[1])));

        // Suggestions: the first free minute of the day for the later meeting.
        let mut slots: HashMap<i64, Option<TimeRange>> = HashMap::new();
        for c in &conflicts {
            let expected = match c.kind {
                ConflictKind::OverCapacity
                | ConflictKind::OutsideVisitDates
                | ConflictKind::NoBreak => None,
                _ => {
                    let target = c
                        .meeting_ids
                        .iter()
                        .map(|&id| snapshot.meetings.iter().find(|m| m.id == id).unwrap())
                        .max_by_key(|m| (m.time.start(), m.time.end(), m.id))
                        .unwrap();
                    *slots
                        .entry(target.id)
                        .or_insert_with(|| oracle.first_free_slot(target))
                }
            };
            prop_assert_eq!(c.suggestion, expected, "{:?}", c);
        }
    }
}
