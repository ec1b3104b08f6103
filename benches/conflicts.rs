//! How the conflict engine scales: synthetic programmes of 1k to 1M meetings
//! (two officials, one venue and up to two groups each, drawn from 5k
//! officials, 2k venues in 20 cities and 5k groups, spread over a year of
//! three-day visits whose delegations go from meeting to meeting with an
//! occasional slip), and, for comparison at 1k and 10k, the naive check of
//! every pair of meetings. The pools stay the same at every size, so the
//! bigger programmes are also denser: 1M meetings is 500 a year per venue,
//! and the conflicts found grow faster than the meetings.
//!
//! The engine is `find_conflicts`, what the app calls to find conflicts;
//! suggested slots are a step of their own (`suggest_slots`), which callers
//! run for the conflicts they show. At 100k the run also measures the engine
//! followed by a slot for every conflict, what a caller pays to show them all.
//!
//! At 100k the same run sorts the same intervals and nothing else, the
//! reference the engine's time is read against; and, a second reference, the
//! sort of every interval a subject is busy (each meeting once per official,
//! venue, group, participant and group member), the least any sweep over
//! subjects' timelines expanded per member would do. On 2 December 2026
//! (night, a quiet machine): the engine 17.9 ms, the bare sort 3.16 ms
//! (5.7×; the target is 3×), the sort of subjects 37.7 ms; the README's
//! Performance section keeps the figures, where the time goes and what was
//! tried. Each run prints a digest of everything the engine said, slots
//! included, so a change meant only to be faster can be checked to say the
//! same.
//!
//! `cargo bench --bench conflicts`; the big sizes take few samples so the whole
//! run stays within a few minutes on two cores.

use std::hint::black_box;
use std::time::Duration;

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};

use sapar::domain::conflicts::{
    find_conflicts, suggest_slots, ConflictKind, Group, Meeting, Official, Participant, Snapshot,
    TravelTime, Unavailability, Unavailable, Venue, Visit,
};
use sapar::domain::values::TimeRange;

const OFFICIALS: u64 = 5_000;
const VENUES: u64 = 2_000;
const GROUPS: u64 = 5_000;
const PARTICIPANTS: u64 = 20_000;
/// Venues sit in cities; a visit stays in one.
const CITIES: u64 = 20;
const MEETINGS_PER_VISIT: usize = 25;
const ALMATY: Tz = chrono_tz::Asia::Almaty;

/// A tiny deterministic generator (xorshift64), so every run sees the same data.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// `count` different ids `k * scale + offset` with `k` below `range`, as the
/// database would hold them (a meeting never lists an official twice).
fn distinct(rng: &mut XorShift, count: u64, range: u64, scale: i64, offset: i64) -> Vec<i64> {
    let mut ids: Vec<i64> = Vec::with_capacity(count as usize);
    while (ids.len() as u64) < count.min(range) {
        let id = rng.below(range) as i64 * scale + offset;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

fn local(day: NaiveDate, minutes: u64) -> chrono::DateTime<Utc> {
    let midnight = ALMATY
        .from_local_datetime(&day.and_time(NaiveTime::MIN))
        .single()
        .expect("Almaty has no daylight saving time");
    (midnight + chrono::Duration::minutes(minutes as i64)).with_timezone(&Utc)
}

fn programme(size: usize) -> Snapshot {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15 ^ size as u64);
    let year = NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date");
    let day = |n: u64| year + chrono::Days::new(n);

    let officials = (0..OFFICIALS)
        .map(|o| Official::new(o as i64 * 7 + 1, format!("Official {o}")))
        .collect();
    let venues = (0..VENUES)
        .map(|v| {
            let city = v % CITIES;
            let (lat, lon) = (43.0 + city as f64 * 0.5, 51.0 + city as f64 * 1.5);
            let mut venue = Venue::new(v as i64 * 13 + 5, format!("Venue {v}"), ALMATY)
                .located(lat + rng.unit() * 0.1, lon + rng.unit() * 0.1)
                .holding(20 + rng.below(400) as i32);
            if v % 3 != 0 {
                let opens = NaiveTime::from_hms_opt(8, 0, 0).expect("a time");
                let closes = NaiveTime::from_hms_opt(20, 0, 0).expect("a time");
                venue = venue.open(opens, closes);
            }
            venue
        })
        .collect();
    let groups = (0..GROUPS)
        .map(|g| {
            let size = 3 + rng.below(4);
            let members = distinct(&mut rng, size, PARTICIPANTS, 11, 2);
            let headcount = members.len() as i32 + rng.below(20) as i32;
            Group::new(g as i64 * 17 + 3, format!("Group {g}"), headcount, members)
        })
        .collect();
    let participants = (0..PARTICIPANTS)
        .map(|p| Participant::new(p as i64 * 11 + 2, format!("Participant {p}")))
        .collect();

    // Three-day visits of 25 meetings, each in one city with a delegation of
    // five officials. An official joins a few visits a year, so two visits can
    // book the same person.
    let visit_count = size.div_ceil(MEETINGS_PER_VISIT) as u64;
    let plans: Vec<(u64, u64, Vec<i64>)> = (0..visit_count)
        .map(|_| {
            let delegation = distinct(&mut rng, 5, OFFICIALS, 7, 1);
            (rng.below(362), rng.below(CITIES), delegation)
        })
        .collect();
    let visits = plans
        .iter()
        .enumerate()
        .map(|(v, (first, _, _))| Visit::new(v as i64 + 1, ALMATY, day(*first), day(first + 2)))
        .collect();

    // Each day the delegation works in two parties (three officials and two),
    // each going from meeting to meeting with a gap for the road; now and then
    // a planner's slip starts a meeting before the previous one ends.
    let mut cursors = [[0u64; 2]; 3];
    let meetings = (0..size)
        .map(|i| {
            let v = (i / MEETINGS_PER_VISIT) as u64;
            let k = i % MEETINGS_PER_VISIT;
            if k == 0 {
                for party in cursors.iter_mut().flatten() {
                    *party = 8 * 60 + 5 * rng.below(12);
                }
            }
            let (first, city, delegation) = &plans[v as usize];
            let (d, party) = (k % 3, (k / 3) % 2);
            let length = 30 + 15 * rng.below(7);
            let mut begins = cursors[d][party];
            if rng.below(20) == 0 {
                begins -= 30;
            }
            cursors[d][party] = begins + length + 20 + 5 * rng.below(10);
            let start = local(day(first + d as u64), begins);
            let time = TimeRange::new(start, start + chrono::Duration::minutes(length as i64))
                .expect("a positive length");
            let venue = city + CITIES * rng.below(VENUES / CITIES);
            let members = if party == 0 {
                &delegation[..3]
            } else {
                &delegation[3..]
            };
            let officials = distinct(&mut rng, 2, members.len() as u64, 1, 0)
                .into_iter()
                .map(|m| members[m as usize]);
            // The city's own groups.
            let invited = rng.below(3);
            let groups = distinct(&mut rng, invited, GROUPS / CITIES, 1, 0)
                .into_iter()
                .map(|g| (city + CITIES * g as u64) as i64 * 17 + 3);
            let mut meeting =
                Meeting::new(i as i64 * 3 + 1, v as i64 + 1, format!("Meeting {i}"), time)
                    .at_venue(venue as i64 * 13 + 5)
                    .with_officials(officials)
                    .with_groups(groups);
            if rng.below(4) == 0 {
                meeting.participant_ids = vec![rng.below(PARTICIPANTS) as i64 * 11 + 2];
            }
            meeting.cancelled = rng.below(50) == 0;
            meeting
        })
        .collect();

    let travel_times = (0..2_000)
        .map(|_| {
            let city = rng.below(CITIES);
            TravelTime {
                from_venue_id: (city + CITIES * rng.below(VENUES / CITIES)) as i64 * 13 + 5,
                to_venue_id: (city + CITIES * rng.below(VENUES / CITIES)) as i64 * 13 + 5,
                minutes: 5 + rng.below(40) as i32,
            }
        })
        .collect();
    let unavailability = (0..1_200)
        .map(|n| {
            let start = local(day(rng.below(365)), 9 * 60);
            let time = TimeRange::new(start, start + chrono::Duration::hours(4)).expect("4 h");
            let who = if n % 6 == 0 {
                Unavailable::Venue(rng.below(VENUES) as i64 * 13 + 5)
            } else {
                Unavailable::Official(rng.below(OFFICIALS) as i64 * 7 + 1)
            };
            Unavailability {
                who,
                time,
                reason: None,
            }
        })
        .collect();

    Snapshot {
        meetings,
        officials,
        venues,
        groups,
        participants,
        travel_times,
        unavailability,
        visits,
        ..Snapshot::default()
    }
}

/// Every interval a subject is busy: `(subject, start, end)`, the subject
/// tagged by kind in its top bits, a meeting once for each of its officials,
/// its venue, its groups, its participants and its groups' members.
fn subjects_busy(snapshot: &Snapshot) -> Vec<(u64, i64, i64)> {
    let members: std::collections::HashMap<i64, &[i64]> = snapshot
        .groups
        .iter()
        .map(|g| (g.id, g.participant_ids.as_slice()))
        .collect();
    let tag = |kind: u64, id: i64| (kind << 60) | id as u64;
    let mut busy = Vec::new();
    for m in &snapshot.meetings {
        let (start, end) = (m.time.start().timestamp(), m.time.end().timestamp());
        let mut add = |subject| busy.push((subject, start, end));
        m.official_ids.iter().for_each(|&o| add(tag(1, o)));
        m.venue_id.iter().for_each(|&v| add(tag(2, v)));
        for g in &m.group_ids {
            add(tag(3, *g));
            members
                .get(g)
                .into_iter()
                .flat_map(|ids| ids.iter())
                .for_each(|&p| add(tag(4, p)));
        }
        m.participant_ids.iter().for_each(|&p| add(tag(4, p)));
    }
    busy
}

/// A fingerprint of everything the engine said, slots included, so a change
/// meant to be faster can be checked to say exactly the same.
fn digest(found: &[sapar::domain::conflicts::Conflict]) -> u64 {
    use std::hash::{DefaultHasher, Hasher};
    let mut hasher = DefaultHasher::new();
    for c in found {
        hasher.write(format!("{c:?}").as_bytes());
    }
    hasher.finish()
}

/// The obvious way: every pair of meetings, compared on officials, venue and groups.
fn naive_double_bookings(snapshot: &Snapshot) -> usize {
    let live: Vec<&Meeting> = snapshot.meetings.iter().filter(|m| !m.cancelled).collect();
    let mut found = 0;
    for (i, a) in live.iter().enumerate() {
        for b in &live[i + 1..] {
            if !a.time.overlaps(&b.time) {
                continue;
            }
            found += a
                .official_ids
                .iter()
                .filter(|o| b.official_ids.contains(o))
                .count();
            found += usize::from(a.venue_id.is_some() && a.venue_id == b.venue_id);
            found += a
                .group_ids
                .iter()
                .filter(|g| b.group_ids.contains(g))
                .count();
        }
    }
    found
}

fn engine(c: &mut Criterion) {
    let mut group = c.benchmark_group("find_conflicts");
    for size in [1_000usize, 10_000, 100_000, 1_000_000] {
        let snapshot = programme(size);
        let mut found = find_conflicts(&snapshot, None);
        suggest_slots(&snapshot, &mut found);
        eprintln!(
            "{size} meetings: {} conflicts, {} with a suggestion, output digest {:016x}",
            found.len(),
            found.iter().filter(|c| c.suggestion.is_some()).count(),
            digest(&found)
        );
        group.throughput(Throughput::Elements(size as u64));
        // The big sizes take few samples of one run each, so the whole bench
        // stays within minutes.
        if size <= 10_000 {
            group
                .sampling_mode(SamplingMode::Auto)
                .sample_size(20)
                .measurement_time(Duration::from_secs(3));
        } else {
            group
                .sampling_mode(SamplingMode::Flat)
                .sample_size(10)
                .measurement_time(Duration::from_secs(if size <= 100_000 { 5 } else { 40 }));
        }
        group.bench_with_input(BenchmarkId::from_parameter(size), &snapshot, |b, s| {
            b.iter(|| find_conflicts(black_box(s), None))
        });
        if size == 100_000 {
            // What a caller pays to show every conflict with its slot: the
            // engine, then the slots (a step of their own) for all of them.
            group.bench_with_input(
                BenchmarkId::new("with_suggestions", size),
                &snapshot,
                |b, s| {
                    b.iter(|| {
                        let mut found = find_conflicts(black_box(s), None);
                        suggest_slots(s, &mut found);
                        found
                    })
                },
            );
            group.bench_with_input(BenchmarkId::new("one_visit", size), &snapshot, |b, s| {
                b.iter(|| find_conflicts(black_box(s), Some(1)))
            });
            // The reference: no rule at all, only the same intervals, in the
            // order the engine receives them, sorted by start and end.
            let intervals: Vec<(i64, i64, i64)> = snapshot
                .meetings
                .iter()
                .map(|m| (m.time.start().timestamp(), m.time.end().timestamp(), m.id))
                .collect();
            group.bench_with_input(
                BenchmarkId::new("bare_sort", size),
                &intervals,
                |b, intervals| {
                    b.iter_batched_ref(
                        || intervals.clone(),
                        |v| v.sort_unstable(),
                        criterion::BatchSize::LargeInput,
                    )
                },
            );
            let busy = subjects_busy(&snapshot);
            eprintln!("{size} meetings: {} busy intervals of subjects", busy.len());
            group.bench_with_input(
                BenchmarkId::new("bare_sort_of_subjects", size),
                &busy,
                |b, busy| {
                    b.iter_batched_ref(
                        || busy.clone(),
                        |v| v.sort_unstable(),
                        criterion::BatchSize::LargeInput,
                    )
                },
            );
        }
    }
    group.finish();
}

fn naive(c: &mut Criterion) {
    let mut group = c.benchmark_group("naive_all_pairs");
    for size in [1_000usize, 10_000] {
        let snapshot = programme(size);
        // Both ways must find the same double bookings, or the comparison is void.
        let by_engine = find_conflicts(&snapshot, None)
            .iter()
            .filter(|c| {
                matches!(
                    c.kind,
                    ConflictKind::OfficialDoubleBooked
                        | ConflictKind::VenueDoubleBooked
                        | ConflictKind::GroupDoubleBooked
                )
            })
            .count();
        assert_eq!(naive_double_bookings(&snapshot), by_engine);
        group.throughput(Throughput::Elements(size as u64));
        group
            .sampling_mode(SamplingMode::Flat)
            .sample_size(10)
            .measurement_time(Duration::from_secs(5));
        group.bench_with_input(BenchmarkId::from_parameter(size), &snapshot, |b, s| {
            b.iter(|| naive_double_bookings(black_box(s)))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1));
    targets = engine, naive
}
criterion_main!(benches);
