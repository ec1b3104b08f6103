//! The snapshot turned into dense vectors once, so the rules can sweep without
//! hashing: meetings get indices in (start, end, id) order, every official,
//! venue, group and participant a small index, and each resource a timeline of
//! its meetings, already sorted by start, with the times kept inline so sweeps
//! and searches read memory in order.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use chrono::{DateTime, Days, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::buffer::{shelved, Buffer};
use super::conflict::TravelEstimate;
use super::snapshot::{EngineSettings, Group, Meeting, Snapshot, Venue, Visit};
use crate::domain::model::{Coordinates, Unavailable};
use crate::domain::values::TimeRange;

/// "No venue", "no visit": the absent index.
pub(super) const NONE: u32 = u32::MAX;

pub(super) const DAY_SECONDS: i64 = 24 * 60 * 60;

/// From this many meetings on, the engine shares its work between two
/// threads. Measured on two cores (best of 200 runs of the conflicts
/// bench's programmes): at 1,000 meetings two threads took 0.44 ms against
/// 0.30 ms on one, at 2,000 about the same (0.61–0.66 ms), at 5,000 1.29 ms
/// against 1.64 ms, at 10,000 2.15 ms against 2.90 ms.
pub(super) const PARALLEL_FROM: usize = 4_000;

/// `(a(), b())`, the two worked out side by side on two threads when
/// `parallel`, one after the other otherwise.
pub(super) fn join<A: Send, B>(
    parallel: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B,
) -> (A, B) {
    if !parallel {
        return (a(), b());
    }
    std::thread::scope(|threads| {
        let other = threads.spawn(a);
        let second = b();
        let first = other
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (first, second)
    })
}

/// A fast hash for integer ids. The ids come from our own database, not from an
/// adversary, so SipHash's protection buys nothing here.
#[derive(Clone, Copy, Default)]
pub(super) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        let h = (self.0.rotate_left(5) ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = h ^ (h >> 29);
    }

    fn write_i64(&mut self, n: i64) {
        self.write_u64(n as u64);
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

pub(super) type IdMap<V> = HashMap<i64, V, BuildHasherDefault<IdHasher>>;
pub(super) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

/// Ids to dense indices, in order of first appearance. Database ids mostly
/// fill a narrow range, so ids within the range of those the snapshot lists
/// are looked up in a plain table by offset, which costs no hashing; any
/// other id (one the snapshot does not list, or a range too sparse for a
/// table) goes to a map.
#[derive(Default)]
struct Interner {
    /// For `base + k`, its index, or `NONE` before it is seen.
    table: Buffer<u32>,
    base: i64,
    map: IdMap<u32>,
    ids: Buffer<i64>,
}

impl Interner {
    /// An interner with a table over the range of `listed`, unless that range
    /// is far wider than the list (a table must stay about as small as it).
    fn over(listed: impl Iterator<Item = i64>) -> Self {
        let (mut low, mut high, mut count) = (i64::MAX, i64::MIN, 0u64);
        for id in listed {
            (low, high, count) = (low.min(id), high.max(id), count + 1);
        }
        let span = (high as i128 - low as i128 + 1).max(0) as u64;
        let table = if count > 0 && span <= 16 * count + 4096 {
            Buffer::filled(NONE, span as usize)
        } else {
            Buffer::new()
        };
        Self {
            table,
            base: low,
            ..Self::default()
        }
    }

    /// The table slot of `id`, if it has one.
    #[inline]
    fn slot(&self, id: i64) -> Option<usize> {
        let k = id.wrapping_sub(self.base) as u64;
        (k < self.table.len() as u64).then_some(k as usize)
    }

    #[inline]
    fn intern(&mut self, id: i64) -> u32 {
        let next = self.ids.len() as u32;
        match self.slot(id) {
            Some(k) => match self.table[k] {
                NONE => self.table[k] = next,
                known => return known,
            },
            None => match self.map.get(&id) {
                Some(&known) => return known,
                None => {
                    self.map.insert(id, next);
                }
            },
        }
        self.ids.push(id);
        next
    }

    fn get(&self, id: i64) -> Option<u32> {
        match self.slot(id) {
            Some(k) => Some(self.table[k]).filter(|&i| i != NONE),
            None => self.map.get(&id).copied(),
        }
    }
}

/// Rows of small integer lists in one allocation (compressed sparse rows).
#[derive(Clone, Debug)]
pub(super) struct Csr {
    offsets: Buffer<usize>,
    items: Buffer<u32>,
}

impl Default for Csr {
    fn default() -> Self {
        Self::new()
    }
}

impl Csr {
    pub fn new() -> Self {
        Self {
            offsets: Buffer::filled(0, 1),
            items: Buffer::new(),
        }
    }

    /// Appends a row; `row` is sorted and deduplicated in place first.
    pub fn push_set(&mut self, row: &mut Vec<u32>) {
        let len = sort_set(row);
        row.truncate(len);
        self.items.extend_from_slice(row);
        self.offsets.push(self.items.len());
    }

    /// Column to rows: for each of `columns`, the rows it appears in, in order.
    pub fn transpose(&self, columns: usize) -> Self {
        let mut offsets = Buffer::filled(0usize, columns + 1);
        for &c in &self.items {
            offsets[c as usize + 1] += 1;
        }
        for i in 0..columns {
            offsets[i + 1] += offsets[i];
        }
        let mut next: Buffer<usize> = offsets[..columns].iter().copied().collect();
        let mut items = Buffer::filled(0, self.items.len());
        for r in 0..self.rows() {
            for &c in self.row(r) {
                items[next[c as usize]] = r as u32;
                next[c as usize] += 1;
            }
        }
        Self { offsets, items }
    }

    pub fn rows(&self) -> usize {
        self.offsets.len() - 1
    }

    pub fn row(&self, i: usize) -> &[u32] {
        &self.items[self.offsets[i]..self.offsets[i + 1]]
    }
}

/// One meeting on a resource's timeline, with what the sweeps read, so a
/// search or a sweep reads memory in one place.
#[derive(Clone, Copy, Debug)]
pub(super) struct Entry {
    pub start: i64,
    pub end: i64,
    pub meeting: u32,
    pub venue: u32,
}

shelved!(Entry, Shape, Facts);

/// Each resource's meetings, sorted by start.
#[derive(Clone, Debug)]
pub(super) struct Timeline {
    offsets: Buffer<usize>,
    entries: Buffer<Entry>,
    /// The longest meeting of each row, to bound searches by time.
    longest: Buffer<i64>,
}

/// One resource's meetings, sorted by start.
#[derive(Clone, Copy)]
pub(super) struct Row<'a> {
    pub entries: &'a [Entry],
    pub longest: i64,
}

/// A timeline being filled: each resource's number of meetings is known
/// first, then the meetings are placed in start order.
struct Filling {
    offsets: Buffer<usize>,
    entries: Buffer<Entry>,
    /// Each row's next free place and its longest meeting so far, side by
    /// side, so placing a meeting reads and writes one spot besides the entry.
    rows: Buffer<(usize, i64)>,
}

shelved!((usize, i64));

impl Filling {
    fn new(counts: &[u32]) -> Self {
        let mut offsets = Buffer::with_capacity(counts.len() + 1);
        let mut total = 0usize;
        offsets.push(0);
        for &c in counts {
            total += c as usize;
            offsets.push(total);
        }
        let blank = Entry {
            start: 0,
            end: 0,
            meeting: NONE,
            venue: NONE,
        };
        Self {
            rows: offsets[..counts.len()].iter().map(|&at| (at, 0)).collect(),
            offsets,
            entries: Buffer::filled(blank, total),
        }
    }

    #[inline]
    fn place(&mut self, resource: u32, entry: Entry) {
        let (next, longest) = &mut self.rows[resource as usize];
        self.entries[*next] = entry;
        *next += 1;
        *longest = (*longest).max(entry.end - entry.start);
    }

    fn done(self) -> Timeline {
        Timeline {
            offsets: self.offsets,
            entries: self.entries,
            longest: self.rows.iter().map(|&(_, longest)| longest).collect(),
        }
    }
}

impl Timeline {
    /// From meetings → resources (`by_meeting`, for each meeting in start
    /// order) to resources → meetings, each row in start order; `counts`
    /// holds each resource's number of meetings.
    fn new<'r>(
        counts: &[u32],
        (start, end, venue): (&[i64], &[i64], &[u32]),
        by_meeting: impl Fn(usize) -> &'r [u32],
    ) -> Self {
        let mut filling = Filling::new(counts);
        let meetings = start.iter().zip(end).zip(venue).enumerate();
        for (m, ((&start, &end), &venue)) in meetings {
            let entry = Entry {
                start,
                end,
                meeting: m as u32,
                venue,
            };
            for &r in by_meeting(m) {
                filling.place(r, entry);
            }
        }
        filling.done()
    }

    pub fn rows(&self) -> usize {
        self.offsets.len() - 1
    }

    pub fn row(&self, r: usize) -> Row<'_> {
        Row {
            entries: &self.entries[self.offsets[r]..self.offsets[r + 1]],
            longest: self.longest[r],
        }
    }
}

impl<'a> Row<'a> {
    /// The meetings that overlap `[from, to)`.
    pub fn overlapping(self, from: i64, to: i64) -> impl Iterator<Item = &'a Entry> + 'a {
        let lo = self
            .entries
            .partition_point(|e| e.start <= from - self.longest);
        self.overlapping_after(lo, from, to)
    }

    /// The same, for searches that mostly move forward in time: `cursor`
    /// remembers where the last one began, and is walked forward from there
    /// (reading memory in order) rather than searched for afresh.
    pub fn overlapping_near(
        self,
        cursor: &mut u32,
        from: i64,
        to: i64,
    ) -> impl Iterator<Item = &'a Entry> + 'a {
        let before = from - self.longest;
        let mut lo = (*cursor as usize).min(self.entries.len());
        if lo > 0 && self.entries[lo - 1].start > before {
            lo = self.entries[..lo].partition_point(|e| e.start <= before);
        }
        while lo < self.entries.len() && self.entries[lo].start <= before {
            lo += 1;
        }
        *cursor = lo as u32;
        self.overlapping_after(lo, from, to)
    }

    fn overlapping_after(
        self,
        lo: usize,
        from: i64,
        to: i64,
    ) -> impl Iterator<Item = &'a Entry> + 'a {
        self.entries[lo..]
            .iter()
            .take_while(move |e| e.start < to)
            .filter(move |e| e.end > from)
    }
}

/// A visit's days as UTC instants: `[first_day 00:00, last_day + 1 00:00)` local.
#[derive(Clone, Copy, Debug)]
pub(super) struct VisitDays {
    pub id: i64,
    pub timezone: Tz,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub starts: i64,
    pub ends: i64,
}

/// A visit's days with the instant each begins (and the day after the last),
/// so finding a meeting's day needs no zone lookup.
#[derive(Clone, Debug)]
pub(super) struct VisitCalendar {
    pub days: VisitDays,
    pub midnights: Vec<i64>,
}

impl VisitCalendar {
    /// A visit's calendar; `None` for one whose days are past chrono's.
    fn of(v: &Visit, clock: &mut LocalClock) -> Option<Self> {
        let day_after = v.last_day.checked_add_days(Days::new(1))?;
        // Visits are days, not seasons: a longer span is not a visit's calendar.
        let midnights: Vec<i64> = v
            .first_day
            .iter_days()
            .take_while(|d| *d <= day_after)
            .take(400)
            .map(|d| clock.utc(v.timezone, d.and_time(NaiveTime::MIN)))
            .collect();
        let days = VisitDays {
            id: v.id,
            timezone: v.timezone,
            first_day: v.first_day,
            last_day: v.last_day,
            starts: clock.utc(v.timezone, v.first_day.and_time(NaiveTime::MIN)),
            ends: clock.utc(v.timezone, day_after.and_time(NaiveTime::MIN)),
        };
        Some(Self { days, midnights })
    }

    /// The visit's day that `instant` falls on, if any, with its bounds.
    pub fn day_of(&self, instant: i64) -> Option<(NaiveDate, i64, i64)> {
        let i = self
            .midnights
            .partition_point(|&m| m <= instant)
            .checked_sub(1)?;
        let day = self.days.first_day.checked_add_days(Days::new(i as u64))?;
        Some((day, self.midnights[i], *self.midnights.get(i + 1)?))
    }

    /// The local date of `instant` in `tz`, from the calendar when `tz` is
    /// the visit's zone (no zone lookup), else from the zone.
    pub fn local_date(calendar: Option<&Self>, tz: Tz, instant: i64) -> NaiveDate {
        calendar
            .filter(|c| c.days.timezone == tz)
            .and_then(|c| c.day_of(instant))
            .map_or_else(|| utc_to_local(tz, instant).date(), |(day, _, _)| day)
    }
}

pub(super) struct Index<'s> {
    pub snapshot: &'s Snapshot,
    pub settings: &'s EngineSettings,

    // Non-cancelled meetings, by dense index in (start, end, id) order.
    pub id: Buffer<i64>,
    pub start: Buffer<i64>,
    pub end: Buffer<i64>,
    pub venue: Buffer<u32>,
    pub visit: Buffer<u32>,
    /// Where each meeting's lists are in `official_lists` and `lists`.
    shapes: Buffer<Shape>,
    /// Each meeting's officials, sorted, in the snapshot's order.
    official_lists: Buffer<u32>,
    /// Each meeting's groups and participants invited directly, one list
    /// after the other, each sorted, in the snapshot's order.
    lists: Buffer<u32>,

    pub official_ids: Buffer<i64>,
    pub venue_ids: Buffer<i64>,
    pub group_ids: Buffer<i64>,
    pub participant_ids: Buffer<i64>,
    visit_map: Interner,

    pub by_official: Timeline,
    pub by_venue: Timeline,
    pub by_group: Timeline,
    /// Participants invited directly (members of the groups invited are
    /// reached through `by_group`); a row for every participant.
    pub by_participant: Timeline,

    /// Each group's members, sorted.
    pub members: Csr,
    pub headcount: Buffer<i64>,
    pub venues: Vec<Option<&'s Venue>>,
    pub visits: Vec<Option<VisitCalendar>>,
    /// The travel times entered, each way.
    roads: Roads,
    /// Converts spare minutes into the chord a road that short surely
    /// spans at most (see [`Self::travel_within`]); 0 when no speed makes
    /// that bound.
    chord_per_minute: f64,
    /// Each venue's position as a point on the unit sphere, for distances.
    places: Vec<Option<[f64; 3]>>,

    /// Unavailability windows (positions in `snapshot.unavailability`) of each
    /// official and venue, sorted by start.
    pub official_windows: Csr,
    pub venue_windows: Csr,
    pub window_start: Vec<i64>,
    pub window_end: Vec<i64>,
}

impl<'s> Index<'s> {
    pub fn build(snapshot: &'s Snapshot) -> Self {
        Self::build_with(snapshot, snapshot.meetings.len() >= PARALLEL_FROM)
    }

    /// The index, built in part on two threads when `parallel`.
    pub fn build_with(snapshot: &'s Snapshot, parallel: bool) -> Self {
        // First in the snapshot's own order, which reads memory in sequence,
        // on one thread the times and the officials, on the other the groups
        // and participants: ids interned, each meeting's lists kept one after
        // the other, each resource's meetings counted; then the meetings put
        // in time order.
        let (listed, times) = join(
            parallel,
            || Listed::scan(snapshot),
            || Times::scan(snapshot),
        );
        let Listed {
            groups,
            participants,
            shapes: listed_shapes,
            items,
            counts: [mut per_group, mut per_participant],
            members,
            headcount,
        } = listed;
        let Times {
            venues,
            visits,
            facts,
            counts: mut per_venue,
            officials,
            official_items,
            official_at,
            mut per_official,
            order,
            calendars: visit_facts,
        } = times;
        per_official.resize(officials.ids.len(), 0);
        per_venue.resize(venues.ids.len(), 0);
        per_group.resize(groups.ids.len(), 0);
        per_participant.resize(participants.ids.len(), 0);

        // Then each meeting's facts are gathered into time order, and where
        // its lists are (they stay where the scans wrote them).
        let n = order.len();
        let ((id, start, end, venue, visit), shapes) = join(
            parallel,
            || {
                let (mut id, mut start, mut end) = (
                    Buffer::with_capacity(n),
                    Buffer::with_capacity(n),
                    Buffer::with_capacity(n),
                );
                let (mut venue, mut visit) = (Buffer::with_capacity(n), Buffer::with_capacity(n));
                for &k in &order {
                    let f = &facts[k as usize];
                    id.push(f.id);
                    start.push(f.start);
                    end.push(f.end);
                    venue.push(f.venue);
                    visit.push(f.visit);
                }
                (id, start, end, venue, visit)
            },
            || {
                order
                    .iter()
                    .map(|&k| {
                        let k = k as usize;
                        let (from, to) = (official_at[k], official_at[k + 1]);
                        Shape {
                            officials_at: from,
                            officials: to - from,
                            ..listed_shapes[k]
                        }
                    })
                    .collect::<Buffer<Shape>>()
            },
        );
        drop((facts, listed_shapes, order, official_at));

        // A timeline at a time, so the rows being written stay in cache.
        let columns = (&start[..], &end[..], &venue[..]);
        let lists = Lists {
            shapes: &shapes,
            officials: &official_items,
            others: &items,
        };
        // Officials' timelines hold about as many entries as the others.
        // The rest of the index, small, on the side of the officials.
        let ((by_official, around), (by_venue, by_group, by_participant)) = join(
            parallel,
            || {
                let by_official = Timeline::new(&per_official, columns, |m| lists.officials(m));
                (by_official, Surroundings::of(snapshot, &venues, &officials))
            },
            || {
                let by_venue = Timeline::new(&per_venue, columns, |m| match venue[m] {
                    NONE => &[],
                    _ => std::slice::from_ref(&venue[m]),
                });
                let by_group = Timeline::new(&per_group, columns, |m| lists.groups(m));
                let by_participant =
                    Timeline::new(&per_participant, columns, |m| lists.participants(m));
                (by_venue, by_group, by_participant)
            },
        );

        let Surroundings {
            venues: venue_facts,
            places,
            roads,
            chord_per_minute,
            official_windows,
            venue_windows,
            window_start,
            window_end,
        } = around;
        Self {
            snapshot,
            settings: &snapshot.settings,
            id,
            start,
            end,
            venue,
            visit,
            shapes,
            official_lists: official_items,
            lists: items,
            official_ids: officials.ids,
            venue_ids: venues.ids,
            group_ids: groups.ids,
            participant_ids: participants.ids,
            visit_map: visits,
            by_official,
            by_venue,
            by_group,
            by_participant,
            members,
            headcount,
            venues: venue_facts,
            visits: visit_facts,
            roads,
            chord_per_minute,
            places,
            official_windows,
            venue_windows,
            window_start,
            window_end,
        }
    }

    pub fn len(&self) -> usize {
        self.start.len()
    }

    /// A meeting's officials, sorted by their index.
    pub fn officials_of(&self, m: u32) -> &[u32] {
        self.lists().officials(m as usize)
    }

    /// A meeting's groups, sorted by their index.
    pub fn groups_of(&self, m: u32) -> &[u32] {
        self.lists().groups(m as usize)
    }

    /// The participants a meeting invites in their own name, sorted.
    pub fn participants_of(&self, m: u32) -> &[u32] {
        self.lists().participants(m as usize)
    }

    fn lists(&self) -> Lists<'_> {
        Lists {
            shapes: &self.shapes,
            officials: &self.official_lists,
            others: &self.lists,
        }
    }

    pub fn meeting_id(&self, m: u32) -> i64 {
        self.id[m as usize]
    }

    pub fn visit_index(&self, id: i64) -> Option<u32> {
        self.visit_map.get(id)
    }

    pub fn venue(&self, m: u32) -> Option<&'s Venue> {
        match self.venue[m as usize] {
            NONE => None,
            v => self.venues[v as usize],
        }
    }

    pub fn visit_days(&self, m: u32) -> Option<&VisitDays> {
        self.calendar(m).map(|c| &c.days)
    }

    pub fn calendar(&self, m: u32) -> Option<&VisitCalendar> {
        self.visits[self.visit[m as usize] as usize].as_ref()
    }

    /// Minutes needed there and back between two venues. Entries are
    /// mirrored, so without one either way both are the same estimate.
    pub fn travel_both_ways(&self, here: u32, there: u32) -> (i64, i64) {
        match self.roads.get(here, there) {
            Some(out) => (out, self.travel_minutes(there, here).0),
            None => {
                let (minutes, _) = self.estimate(here, there);
                (minutes, minutes)
            }
        }
    }

    /// A bound on [`Self::travel_minutes`] either way between two venues,
    /// cheaper to work out: the longest entry, the default, or the distance
    /// with the arc taken at its longest for the chord.
    pub fn travel_at_most(&self, a: u32, b: u32) -> i64 {
        let s = self.settings;
        let by_distance = match (self.places[a as usize], self.places[b as usize]) {
            (Some(a), Some(b)) => road_minutes_at_most(chord(a, b), s.road_speed_kmh)
                .saturating_add(s.boarding_margin_minutes),
            _ => 0,
        };
        self.roads
            .longest
            .max(s.default_travel_minutes)
            .max(by_distance)
    }

    /// Whether the road from one venue to another surely takes no more than
    /// `minutes`. Cheaper than [`Self::travel_minutes`] when the answer is
    /// plain: for two far-off places or a long gap it compares squared
    /// distances, with no square root, arcsine or rounding. `false` means
    /// "work it out".
    pub fn travel_within(&self, from: u32, to: u32, minutes: i64) -> bool {
        // No entry is longer than `minutes`: whether or not there is one,
        // a road the distance proves short enough is within them, and the
        // entries need not be searched.
        if minutes >= self.roads.longest && self.distance_within(from, to, minutes) {
            return true;
        }
        if let Some(entered) = self.roads.get(from, to) {
            return entered <= minutes;
        }
        self.distance_within(from, to, minutes)
    }

    /// Whether the road from one venue to another, estimated from the
    /// distance (else the default), surely takes no more than `minutes`.
    #[inline]
    fn distance_within(&self, from: u32, to: u32, minutes: i64) -> bool {
        let s = self.settings;
        match (self.places[from as usize], self.places[to as usize]) {
            // The bound of `road_minutes_at_most`: a chord of length c takes
            // at most ⌊c·k⌋ + 2 minutes, which is within `allowed` when
            // c·k < allowed − 1.
            (Some(a), Some(b)) => {
                let room = (minutes - s.boarding_margin_minutes - 1) as f64 * self.chord_per_minute;
                room > 0.0 && chord_squared(a, b) < room * room
            }
            _ => s.default_travel_minutes <= minutes,
        }
    }

    /// Minutes needed from one venue to another, and how we know.
    pub fn travel_minutes(&self, from: u32, to: u32) -> (i64, TravelEstimate) {
        match self.roads.get(from, to) {
            Some(minutes) => (minutes, TravelEstimate::Explicit),
            None => self.estimate(from, to),
        }
    }

    /// From the distance, else the default.
    fn estimate(&self, from: u32, to: u32) -> (i64, TravelEstimate) {
        let s = self.settings;
        if let (Some(a), Some(b)) = (self.places[from as usize], self.places[to as usize]) {
            if let Some(minutes) = road_minutes(chord(a, b), s.road_speed_kmh) {
                return (
                    minutes + s.boarding_margin_minutes,
                    TravelEstimate::Distance,
                );
            }
        }
        (s.default_travel_minutes, TravelEstimate::Default)
    }
}

/// What the rules need besides the meetings: the venues' facts and places,
/// the travel times entered, and the unavailability windows by official
/// and venue.
struct Surroundings<'s> {
    venues: Vec<Option<&'s Venue>>,
    places: Vec<Option<[f64; 3]>>,
    roads: Roads,
    chord_per_minute: f64,
    official_windows: Csr,
    venue_windows: Csr,
    window_start: Vec<i64>,
    window_end: Vec<i64>,
}

impl<'s> Surroundings<'s> {
    fn of(snapshot: &'s Snapshot, venues: &Interner, officials: &Interner) -> Self {
        let venue_source: IdMap<&Venue> = snapshot.venues.iter().map(|v| (v.id, v)).collect();
        let venue_facts: Vec<Option<&Venue>> = venues
            .ids
            .iter()
            .map(|id| venue_source.get(id).copied())
            .collect();

        let places = venue_facts
            .iter()
            .map(|v: &Option<&Venue>| v.and_then(|v| v.coordinates).map(unit_vector))
            .collect();
        let roads = Roads::new(
            snapshot.travel_times.iter().filter_map(|t| {
                let (a, b) = (venues.get(t.from_venue_id)?, venues.get(t.to_venue_id)?);
                Some((a, b, i64::from(t.minutes.max(0))))
            }),
            venues.ids.len(),
        );
        // A chord of length c takes at most ⌊c·k⌋ + 2 minutes (the bound of
        // `road_minutes_at_most`).
        let k =
            EARTH_RADIUS_KM * std::f64::consts::FRAC_PI_2 / snapshot.settings.road_speed_kmh * 60.0;
        let chord_per_minute = match k.is_finite() && k > 0.0 {
            true => (1.0 - 1e-9) / k,
            false => 0.0,
        };

        let mut window_start = Vec::with_capacity(snapshot.unavailability.len());
        let mut window_end = Vec::with_capacity(snapshot.unavailability.len());
        let mut official_pairs = Vec::new();
        let mut venue_pairs = Vec::new();
        for (i, w) in snapshot.unavailability.iter().enumerate() {
            let (s, e) = seconds(&w.time);
            window_start.push(s);
            window_end.push(e);
            match w.who {
                Unavailable::Official(id) => {
                    if let Some(o) = officials.get(id) {
                        official_pairs.push((o, s, i as u32));
                    }
                }
                Unavailable::Venue(id) => {
                    if let Some(v) = venues.get(id) {
                        venue_pairs.push((v, s, i as u32));
                    }
                }
            }
        }
        let official_windows = grouped(official_pairs, officials.ids.len());
        let venue_windows = grouped(venue_pairs, venues.ids.len());
        Self {
            venues: venue_facts,
            places,
            roads,
            chord_per_minute,
            official_windows,
            venue_windows,
            window_start,
            window_end,
        }
    }
}

/// The meetings' groups and participants, in the snapshot's order of live
/// meetings: each meeting's two lists interned and kept one after the
/// other, each group's and participant's meetings counted; and the members
/// of the groups invited.
struct Listed {
    groups: Interner,
    participants: Interner,
    shapes: Buffer<Shape>,
    items: Buffer<u32>,
    /// Meetings per group and participant.
    counts: [Buffer<u32>; 2],
    /// Each group's members, sorted, and its headcount.
    members: Csr,
    headcount: Buffer<i64>,
}

impl Listed {
    fn scan(snapshot: &Snapshot) -> Self {
        let mut groups = Interner::over(snapshot.groups.iter().map(|g| g.id));
        let mut participants = Interner::over(snapshot.participants.iter().map(|p| p.id));
        let most = snapshot.meetings.len();
        let mut shapes = Buffer::with_capacity(most);
        let mut items = Buffer::with_capacity(2 * most);
        let mut counts: [Buffer<u32>; 2] = Default::default();
        let [per_group, per_participant] = &mut counts;
        for m in live(snapshot) {
            shapes.push(Shape {
                officials_at: 0,
                officials: 0,
                at: items.len() as u32,
                groups: list_into(&mut items, &m.group_ids, &mut groups, per_group),
                participants: list_into(
                    &mut items,
                    &m.participant_ids,
                    &mut participants,
                    per_participant,
                ),
            });
        }

        // Groups: members and headcount, for the groups meetings invite.
        // Each invited group's facts by its index (of two with one id, the
        // later), found through the interner rather than a map of its own.
        let mut group_source: Vec<Option<&Group>> = vec![None; groups.ids.len()];
        for group in &snapshot.groups {
            if let Some(g) = groups.get(group.id) {
                group_source[g as usize] = Some(group);
            }
        }
        let mut members = Csr::new();
        let mut headcount = Buffer::with_capacity(groups.ids.len());
        let mut row = Vec::new();
        for group in group_source {
            row.clear();
            if let Some(group) = group {
                row.extend(
                    group
                        .participant_ids
                        .iter()
                        .map(|&p| participants.intern(p)),
                );
            }
            members.push_set(&mut row);
            headcount.push(group.map_or(0, |g| i64::from(g.headcount)));
        }
        Self {
            groups,
            participants,
            shapes,
            items,
            counts,
            members,
            headcount,
        }
    }
}

/// The meetings' times, venues, visits and officials, in the snapshot's
/// order of live meetings, each venue's and official's meetings counted,
/// and the order of the meetings in time; with the calendar of each visit.
struct Times {
    venues: Interner,
    visits: Interner,
    facts: Buffer<Facts>,
    counts: Buffer<u32>,
    officials: Interner,
    /// Each meeting's officials, from `official_at[k]` to `official_at[k + 1]`.
    official_items: Buffer<u32>,
    official_at: Buffer<u32>,
    per_official: Buffer<u32>,
    order: Buffer<u32>,
    calendars: Vec<Option<VisitCalendar>>,
}

impl Times {
    fn scan(snapshot: &Snapshot) -> Self {
        let mut venues = Interner::over(snapshot.venues.iter().map(|v| v.id));
        let mut visits = Interner::over(snapshot.visits.iter().map(|v| v.id));
        let mut facts = Buffer::with_capacity(snapshot.meetings.len());
        let mut counts = Buffer::new();
        let mut officials = Interner::over(snapshot.officials.iter().map(|o| o.id));
        let mut official_items = Buffer::with_capacity(2 * snapshot.meetings.len());
        let mut official_at = Buffer::with_capacity(snapshot.meetings.len() + 1);
        official_at.push(0);
        let mut per_official = Buffer::new();
        for m in live(snapshot) {
            list_into(
                &mut official_items,
                &m.official_ids,
                &mut officials,
                &mut per_official,
            );
            official_at.push(official_items.len() as u32);
            let (start, end) = seconds(&m.time);
            let venue = m.venue_id.map_or(NONE, |v| venues.intern(v));
            if venue != NONE {
                bump(&mut counts, venue);
            }
            facts.push(Facts {
                start,
                end,
                id: m.id,
                venue,
                visit: visits.intern(m.visit_id),
            });
        }
        let order = time_order(&facts);
        let visit_source: IdMap<&Visit> = snapshot.visits.iter().map(|v| (v.id, v)).collect();
        // Visits share days and zones: each midnight is looked up once.
        let mut clock = LocalClock::default();
        let calendars = visits
            .ids
            .iter()
            .map(|id| VisitCalendar::of(visit_source.get(id)?, &mut clock))
            .collect();
        Self {
            venues,
            visits,
            facts,
            counts,
            officials,
            official_items,
            official_at,
            per_official,
            order,
            calendars,
        }
    }
}

/// What the rules read of a meeting, gathered in time order.
#[derive(Clone, Copy, Debug)]
struct Facts {
    start: i64,
    end: i64,
    id: i64,
    venue: u32,
    visit: u32,
}

/// Where a meeting's lists are kept: its officials from `officials_at`,
/// in the officials' lists; from `at`, in the other lists, its groups, then
/// the participants it invites directly.
#[derive(Clone, Copy, Debug)]
pub(super) struct Shape {
    officials_at: u32,
    officials: u32,
    at: u32,
    groups: u32,
    participants: u32,
}

/// The meetings' lists, by meeting in time order, where the scans left
/// them (in the snapshot's order): gathered by their places, not copied.
#[derive(Clone, Copy)]
struct Lists<'a> {
    shapes: &'a [Shape],
    officials: &'a [u32],
    others: &'a [u32],
}

impl<'a> Lists<'a> {
    #[inline]
    fn officials(self, m: usize) -> &'a [u32] {
        let s = self.shapes[m];
        &self.officials[s.officials_at as usize..][..s.officials as usize]
    }

    #[inline]
    fn groups(self, m: usize) -> &'a [u32] {
        let s = self.shapes[m];
        &self.others[s.at as usize..][..s.groups as usize]
    }

    #[inline]
    fn participants(self, m: usize) -> &'a [u32] {
        let s = self.shapes[m];
        &self.others[(s.at + s.groups) as usize..][..s.participants as usize]
    }
}

/// The meetings that count (not cancelled), in the snapshot's order: both
/// scans number them alike, by position in this sequence.
fn live(snapshot: &Snapshot) -> impl Iterator<Item = &Meeting> {
    snapshot.meetings.iter().filter(|m| !m.cancelled)
}

/// A meeting's list of `ids` interned, sorted, without repeats, put at the
/// end of `items` and counted in `count`; its length.
#[inline]
fn list_into(
    items: &mut Vec<u32>,
    ids: &[i64],
    interner: &mut Interner,
    count: &mut Vec<u32>,
) -> u32 {
    let from = items.len();
    items.extend(ids.iter().map(|&id| interner.intern(id)));
    let len = sort_set(&mut items[from..]);
    items.truncate(from + len);
    for &i in &items[from..] {
        bump(count, i);
    }
    len as u32
}

/// One more meeting for resource `i`.
#[inline]
fn bump(counts: &mut Vec<u32>, i: u32) {
    let i = i as usize;
    if i >= counts.len() {
        counts.resize(i + 1, 0);
    }
    counts[i] += 1;
}

/// Sorts `items` and moves each value's first copy to the front; the number
/// of distinct values. Most lists (a meeting's officials or groups) hold one
/// or two items: two are put in order without a call into the sort.
fn sort_set(items: &mut [u32]) -> usize {
    match items.len() {
        0 | 1 => items.len(),
        2 => match items[0].cmp(&items[1]) {
            std::cmp::Ordering::Less => 2,
            std::cmp::Ordering::Equal => 1,
            std::cmp::Ordering::Greater => {
                items.swap(0, 1);
                2
            }
        },
        _ => {
            items.sort_unstable();
            let mut kept = 1;
            for i in 1..items.len() {
                if items[i] != items[kept - 1] {
                    items[kept] = items[i];
                    kept += 1;
                }
            }
            kept
        }
    }
}

/// Positions in `facts` sorted by start, end and id.
///
/// Meetings often share a start (a programme runs on the quarter hour), so
/// where the start, the length and the position fit one 64-bit key, one
/// radix sort puts them in start and end order at once; only meetings with
/// the same start and end are then compared, by id, and not even those
/// when the ids already rise with the position, as a snapshot read in id
/// order has them. Otherwise by start, then comparing ends and ids.
fn time_order(facts: &[Facts]) -> Buffer<u32> {
    let n = facts.len();
    let by_start_then_compare = || {
        order_by_start(
            n,
            |k| facts[k].start,
            |a, b| {
                let (x, y) = (&facts[a as usize], &facts[b as usize]);
                (x.end, x.id).cmp(&(y.end, y.id))
            },
        )
    };
    let (mut low, mut high, mut longest, mut backwards) = (i64::MAX, i64::MIN, 0u64, false);
    for f in facts {
        (low, high) = (low.min(f.start), high.max(f.start));
        longest = longest.max(f.end.abs_diff(f.start));
        backwards |= f.end < f.start;
    }
    let width = |x: u64| u64::BITS - x.leading_zeros();
    let (start_bits, length_bits, position_bits) =
        (width(high.abs_diff(low)), width(longest), width(n as u64));
    if n == 0
        || n > u32::MAX as usize
        || start_bits + length_bits + position_bits > u64::BITS
        || backwards
    {
        return by_start_then_compare();
    }
    let mut keys: Buffer<u64> = facts
        .iter()
        .zip(0u64..)
        .map(|(f, k)| {
            let start = f.start.abs_diff(low) << (length_bits + position_bits);
            start | (f.end.abs_diff(f.start) << position_bits) | k
        })
        .collect();
    radix_sort_bits(
        &mut keys,
        position_bits,
        position_bits + start_bits + length_bits,
    );
    let position = (1u64 << position_bits) - 1;
    let mut order: Buffer<u32> = keys.iter().map(|&key| (key & position) as u32).collect();
    if facts.windows(2).any(|w| w[0].id > w[1].id) {
        for_each_tie(&keys, position_bits, &mut order, |tied| {
            tied.sort_unstable_by_key(|&k| (facts[k as usize].id, k))
        });
    }
    order
}

/// The positions `0..n` sorted by `start`, then by `tie` among equal starts,
/// then by position. Most of the work is a radix sort of packed integer keys
/// (start, position), a pass per byte of the starts' spread; only runs with
/// equal starts are compared.
pub(super) fn order_by_start(
    n: usize,
    start: impl Fn(usize) -> i64,
    tie: impl Fn(u32, u32) -> Ordering,
) -> Buffer<u32> {
    let (low, high) = (0..n)
        .map(&start)
        .fold((i64::MAX, i64::MIN), |(l, h), s| (l.min(s), h.max(s)));
    let tie = |a: &u32, b: &u32| tie(*a, *b).then(a.cmp(b));
    // Starts spread over more than 136 years are not a programme; sort
    // those the plain way (as every empty list is).
    if high.abs_diff(low) > u64::from(u32::MAX) || n > u32::MAX as usize {
        let mut order: Buffer<u32> = (0..n as u32).collect();
        order.sort_unstable_by(|a, b| start(*a as usize).cmp(&start(*b as usize)).then(tie(a, b)));
        return order;
    }
    let mut keys: Buffer<u64> = (0..n)
        .map(|k| (start(k).abs_diff(low) << 32) | k as u64)
        .collect();
    radix_sort_bits(&mut keys, 32, 64);
    let mut order: Buffer<u32> = keys.iter().map(|&key| key as u32).collect();
    for_each_tie(&keys, 32, &mut order, |tied| tied.sort_unstable_by(tie));
    order
}

/// Calls `settle` for each run of two or more positions in `order` whose
/// `keys` (sorted alike) agree above bit `shift`.
fn for_each_tie(keys: &[u64], shift: u32, order: &mut [u32], mut settle: impl FnMut(&mut [u32])) {
    let mut i = 0;
    while i < keys.len() {
        let same = keys[i] >> shift;
        let j = i + keys[i..]
            .iter()
            .take_while(|&&k| k >> shift == same)
            .count();
        if j - i > 1 {
            settle(&mut order[i..j]);
        }
        i = j;
    }
}

/// Sorts `keys` by their bits `from..to` (counted from the lowest), keeping
/// the order of keys equal in those: one counting pass per byte, least
/// significant first, skipping bytes all keys share.
fn radix_sort_bits(keys: &mut Vec<u64>, from: u32, to: u32) {
    let passes = (to.saturating_sub(from)).div_ceil(8) as usize;
    let mut counts = vec![[0usize; 256]; passes];
    let digit = |key: u64, pass: usize| -> usize {
        let shift = from + 8 * pass as u32;
        let byte = (key >> shift) as usize & 0xff;
        // The last pass may reach past `to`: those bits are not the key's.
        match to - shift {
            bits if bits >= 8 => byte,
            bits => byte & ((1 << bits) - 1),
        }
    };
    for &key in keys.iter() {
        for (pass, count) in counts.iter_mut().enumerate() {
            count[digit(key, pass)] += 1;
        }
    }
    let mut spare = Buffer::filled(0u64, keys.len());
    for (pass, count) in counts.iter_mut().enumerate() {
        if count.contains(&keys.len()) {
            continue;
        }
        let mut next = 0;
        for c in count.iter_mut() {
            (*c, next) = (next, next + *c);
        }
        for &key in keys.iter() {
            let slot = &mut count[digit(key, pass)];
            spare[*slot] = key;
            *slot += 1;
        }
        std::mem::swap(keys, &mut *spare);
    }
}

/// `(resource, start, item)` triples as rows of items sorted by start.
fn grouped(mut triples: Vec<(u32, i64, u32)>, rows: usize) -> Csr {
    triples.sort_unstable();
    let mut csr = Csr::new();
    let mut row = Vec::new();
    let mut next = triples.iter().peekable();
    for r in 0..rows as u32 {
        row.clear();
        while let Some(&(_, _, item)) = next.next_if(|t| t.0 == r) {
            row.push(item);
        }
        // Keep the start order: not `push_set`, which would sort by position.
        csr.items.extend_from_slice(&row);
        csr.offsets.push(csr.items.len());
    }
    csr
}

/// The travel times entered, by the venue they leave from: each venue's
/// destinations sorted, so a look-up is a search of a few entries, with no
/// hashing. An entry for B→A serves A→B unless A→B has its own, and of two
/// entries for the same way the later counts.
struct Roads {
    offsets: Vec<u32>,
    to: Vec<u32>,
    minutes: Vec<i64>,
    /// The longest entered.
    longest: i64,
}

impl Roads {
    /// From `(from, to, minutes)` in the order entered, for `venues` venues.
    fn new(entered: impl Iterator<Item = (u32, u32, i64)>, venues: usize) -> Self {
        // (from, to, mirrored, the later first, minutes): after sorting, the
        // first of each way is the one that counts.
        let mut ways: Vec<(u32, u32, bool, std::cmp::Reverse<usize>, i64)> = Vec::new();
        for (at, (a, b, minutes)) in entered.enumerate() {
            ways.push((a, b, false, std::cmp::Reverse(at), minutes));
            ways.push((b, a, true, std::cmp::Reverse(at), minutes));
        }
        ways.sort_unstable();
        ways.dedup_by_key(|w| (w.0, w.1));
        let mut offsets = vec![0u32; venues + 1];
        for w in &ways {
            offsets[w.0 as usize + 1] += 1;
        }
        for v in 0..venues {
            offsets[v + 1] += offsets[v];
        }
        Self {
            offsets,
            to: ways.iter().map(|w| w.1).collect(),
            longest: ways.iter().map(|w| w.4).max().unwrap_or(0),
            minutes: ways.into_iter().map(|w| w.4).collect(),
        }
    }

    /// The minutes entered from one venue to another, either way.
    #[inline]
    fn get(&self, from: u32, to: u32) -> Option<i64> {
        let (lo, hi) = (
            self.offsets[from as usize] as usize,
            self.offsets[from as usize + 1] as usize,
        );
        let at = self.to[lo..hi].binary_search(&to).ok()?;
        Some(self.minutes[lo + at])
    }
}

/// A range as whole UTC seconds (the precision the database keeps); never empty.
pub(super) fn seconds(range: &TimeRange) -> (i64, i64) {
    let start = range.start().timestamp();
    (start, range.end().timestamp().max(start + 1))
}

pub(super) fn instant(seconds: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(seconds, 0)
}

/// `[start, end)` in UTC seconds as a range, if it is one.
pub(super) fn range(start: i64, end: i64) -> Option<TimeRange> {
    TimeRange::new(instant(start)?, instant(end)?).ok()
}

/// Local wall-clock times as UTC instants, remembered: the same midnights and
/// opening hours come up for many meetings, and each costs a zone lookup.
#[derive(Default)]
pub(super) struct LocalClock {
    /// By zone and the wall-clock time written as if it were UTC.
    known: FastMap<(Tz, i64), i64>,
}

impl LocalClock {
    pub fn utc(&mut self, tz: Tz, local: NaiveDateTime) -> i64 {
        *self
            .known
            .entry((tz, local.and_utc().timestamp()))
            .or_insert_with(|| local_to_utc(tz, local))
    }
}

pub(super) fn utc_to_local(tz: Tz, seconds: i64) -> NaiveDateTime {
    match instant(seconds) {
        Some(t) => t.with_timezone(&tz).naive_local(),
        None => NaiveDateTime::MIN,
    }
}

/// A local wall-clock time as a UTC instant. In a spring-forward gap the first
/// instant after it; in a fall-back fold the earlier one.
pub(super) fn local_to_utc(tz: Tz, local: NaiveDateTime) -> i64 {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.timestamp(),
        LocalResult::None => {
            // Gaps are at most a few hours: step to the first minute after one.
            // At chrono's last minute there is no next one: the loop ends there.
            let mut probe = local;
            for _ in 0..(6 * 60) {
                let Some(next) = probe.checked_add_signed(chrono::Duration::minutes(1)) else {
                    break;
                };
                probe = next;
                if let Some(t) = tz.from_local_datetime(&probe).earliest() {
                    return t.timestamp();
                }
            }
            local.and_utc().timestamp()
        }
    }
}

const EARTH_RADIUS_KM: f64 = 6371.0;

/// A point given in degrees, on the unit sphere.
pub(super) fn unit_vector(c: Coordinates) -> [f64; 3] {
    let (lat, lon) = (c.latitude.to_radians(), c.longitude.to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

/// The straight line between two points on the unit sphere.
pub(super) fn chord(a: [f64; 3], b: [f64; 3]) -> f64 {
    chord_squared(a, b).sqrt()
}

fn chord_squared(a: [f64; 3], b: [f64; 3]) -> f64 {
    (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)
}

/// The great-circle distance that a chord of the unit sphere spans.
fn arc_km(chord: f64) -> f64 {
    2.0 * EARTH_RADIUS_KM * (chord / 2.0).min(1.0).asin()
}

/// Whole minutes, rounded up, to drive the arc of `chord` at `speed_kmh`:
/// `⌈arc_km(chord) / speed_kmh · 60⌉`, or `None` when that is not a number
/// of minutes (a speed of zero, say).
///
/// Most transfers are short, and for those the arcsine is not needed: since
/// `x ≤ asin x ≤ x + x³ / (6 (1 − x²))`, bounds on the minutes follow from the
/// chord alone, and when both round up to the same whole minute (widened by
/// far more than any rounding error) that minute is the answer. Only when
/// they straddle a whole minute is the arcsine worked out.
pub(super) fn road_minutes(chord: f64, speed_kmh: f64) -> Option<i64> {
    let half = (chord / 2.0).min(1.0);
    let scale = 2.0 * EARTH_RADIUS_KM * 60.0 / speed_kmh;
    if (0.0..=0.25).contains(&half) && scale.is_finite() && scale > 0.0 && scale < 1e9 {
        let low = half * scale * (1.0 - 1e-9);
        let high = (half + half.powi(3) / (6.0 * (1.0 - half * half))) * scale * (1.0 + 1e-9);
        let (low, high) = (ceil_small(low), ceil_small(high));
        if low == high {
            return Some(low);
        }
    }
    let minutes = arc_km(chord) / speed_kmh * 60.0;
    (minutes.is_finite() && minutes >= 0.0).then(|| minutes.ceil() as i64)
}

/// At least [`road_minutes`], without the arcsine: `asin x ≤ x · π/2` on
/// `[0, 1]`, and two minutes more cover rounding up and rounding errors.
fn road_minutes_at_most(chord: f64, speed_kmh: f64) -> i64 {
    let minutes = chord * EARTH_RADIUS_KM * std::f64::consts::FRAC_PI_2 / speed_kmh * 60.0;
    if minutes.is_finite() && (0.0..1e12).contains(&minutes) {
        minutes as i64 + 2
    } else {
        i64::MAX / 4
    }
}

/// `v.ceil()` for `0 ≤ v < 2⁵³`, without a call into the maths library.
fn ceil_small(v: f64) -> i64 {
    let whole = v as i64;
    if (whole as f64) < v {
        whole + 1
    } else {
        whole
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The great-circle distance between two places as the engine works it
    /// out: from the chord between their points on the unit sphere.
    fn haversine_km(a: Coordinates, b: Coordinates) -> f64 {
        arc_km(chord(unit_vector(a), unit_vector(b)))
    }

    /// The textbook haversine formula, to check the chord form against.
    fn textbook_km(a: Coordinates, b: Coordinates) -> f64 {
        let (lat1, lat2) = (a.latitude.to_radians(), b.latitude.to_radians());
        let dlat = lat2 - lat1;
        let dlon = (b.longitude - a.longitude).to_radians();
        let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * h.sqrt().asin()
    }

    #[test]
    fn a_search_from_a_cursor_finds_what_a_fresh_search_finds_either_way_in_time() {
        // Meetings of one resource: (start, end), sorted by start, one long.
        let times = [(0, 10), (5, 100), (20, 30), (40, 50), (60, 70), (80, 90)];
        let entries: Vec<Entry> = times
            .iter()
            .enumerate()
            .map(|(i, &(start, end))| Entry {
                start,
                end,
                meeting: i as u32,
                venue: NONE,
            })
            .collect();
        let row = Row {
            entries: &entries,
            longest: 95,
        };
        let found =
            |it: &mut dyn Iterator<Item = &Entry>| it.map(|e| e.meeting).collect::<Vec<_>>();
        let mut cursor = 0;
        // Forward, then back, then forward again past the end.
        for (from, to) in [(25, 45), (65, 85), (1, 22), (95, 200), (0, 3), (30, 31)] {
            assert_eq!(
                found(&mut row.overlapping_near(&mut cursor, from, to)),
                found(&mut row.overlapping(from, to)),
                "[{from}, {to})"
            );
        }
    }

    #[test]
    fn ids_in_the_table_and_ids_outside_it_get_the_same_indices() {
        // Listed ids make a table over 10..=40; 5, 41 and -3 fall outside
        // it, and a range far wider than the list makes no table at all.
        let seen = [10, 5, 40, 10, 41, -3, 5, 25, 40];
        let wanted = [0, 1, 2, 0, 3, 4, 1, 5, 2];
        for listed in [vec![10, 25, 40], vec![i64::MIN, i64::MAX], vec![]] {
            let mut interner = Interner::over(listed.iter().copied());
            let got: Vec<u32> = seen.iter().map(|&id| interner.intern(id)).collect();
            assert_eq!(got, wanted, "listed {listed:?}");
            assert_eq!(interner.ids[..], [10, 5, 40, 41, -3, 25]);
            assert_eq!(interner.get(41), Some(3));
            assert_eq!((interner.get(11), interner.get(1000)), (None, None));
        }
    }

    #[test]
    fn an_entry_serves_both_ways_unless_the_other_way_has_its_own_and_the_later_counts() {
        let roads = Roads::new(
            [
                (0, 1, 10),
                (2, 1, 30),
                (1, 2, 25),
                (0, 1, 12),
                (3, 3, 5),
                (0, 4, 7),
            ]
            .into_iter(),
            5,
        );
        assert_eq!(roads.get(0, 1), Some(12), "the later entry for 0→1");
        assert_eq!(roads.get(1, 0), Some(12), "0→1 serves 1→0");
        assert_eq!((roads.get(1, 2), roads.get(2, 1)), (Some(25), Some(30)));
        assert_eq!((roads.get(3, 3), roads.get(4, 0)), (Some(5), Some(7)));
        assert_eq!(
            (roads.get(0, 2), roads.get(4, 1), roads.get(2, 2)),
            (None, None, None)
        );
        assert_eq!(roads.longest, 30);
        let none = Roads::new(std::iter::empty(), 3);
        assert_eq!((none.get(0, 1), none.longest), (None, 0));
    }

    fn facts(times: &[(i64, i64, i64)]) -> Vec<Facts> {
        times
            .iter()
            .map(|&(start, end, id)| Facts {
                start,
                end,
                id,
                venue: NONE,
                visit: NONE,
            })
            .collect()
    }

    /// `(start, end, id)` triples in the order `time_order` gives.
    fn in_time_order(times: &[(i64, i64, i64)]) -> Vec<(i64, i64, i64)> {
        time_order(&facts(times))
            .iter()
            .map(|&k| times[k as usize])
            .collect()
    }

    #[test]
    fn meetings_are_put_in_start_end_and_id_order() {
        // Equal starts, equal ends, negative instants, ids out of order,
        // starts apart by more than a byte, by more than three.
        let times = [
            (100, 200, 9),
            (100, 200, -4),
            (-50, 10, 3),
            (100, 150, 7),
            (1 << 30, (1 << 30) + 5, 4),
            (100, 200, 1),
            (-50, 10, -8),
            (0, 1, 2),
            (70_000, 70_100, 5),
            (300, 400, 6),
        ];
        let mut plain = times.to_vec();
        plain.sort_unstable();
        assert_eq!(in_time_order(&times), plain);
        // Starts too far apart to pack are sorted the plain way.
        let far = [(1 << 40, (1 << 40) + 1, 1), (-5, 0, 2)];
        assert_eq!(time_order(&facts(&far))[..], [1, 0]);
    }

    proptest::proptest! {
        #[test]
        fn the_radix_sort_keeps_equal_keys_in_order(
            starts in proptest::collection::vec(0u64..(1 << 26), 0..300),
        ) {
            let mut keys: Vec<u64> = starts.iter().zip(0u64..).map(|(s, k)| s << 32 | k).collect();
            let mut plain = keys.clone();
            plain.sort_unstable();
            radix_sort_bits(&mut keys, 32, 64);
            proptest::prop_assert_eq!(keys, plain);
        }

        #[test]
        fn a_radix_sort_of_some_bits_orders_by_those_alone(
            keys in proptest::collection::vec(proptest::num::u64::ANY, 0..300),
            from in 0u32..64,
            span in 0u32..65,
        ) {
            let to = (from + span).min(64);
            let mask = |k: u64| ((k >> from) as u128 & ((1u128 << (to - from)) - 1)) as u64;
            let mut sorted = keys.clone();
            radix_sort_bits(&mut sorted, from, to);
            let mut plain = keys.clone();
            plain.sort_by_key(|&k| mask(k));
            proptest::prop_assert_eq!(sorted, plain);
        }

        #[test]
        fn meetings_in_time_order_whatever_their_ids_and_times(
            times in proptest::collection::vec((-3i64..40, 0i64..6, -5i64..20), 0..200),
            scale in proptest::sample::select(vec![1i64, 900, 1 << 40]),
        ) {
            let times: Vec<(i64, i64, i64)> = times
                .iter()
                .map(|&(start, length, id)| (start * scale, start * scale + length * scale.min(900), id))
                .collect();
            // Ids rising with the position leave equal starts and ends in place.
            let rising: Vec<(i64, i64, i64)> =
                times.iter().zip(0i64..).map(|(&(s, e, _), id)| (s, e, id)).collect();
            for times in [times, rising] {
                let mut plain = times.clone();
                plain.sort_unstable();
                proptest::prop_assert_eq!(in_time_order(&times), plain);
            }
        }
    }

    /// Minutes the plain way: the arcsine, divided, rounded up.
    fn plain_minutes(chord: f64, speed_kmh: f64) -> Option<i64> {
        let minutes = arc_km(chord) / speed_kmh * 60.0;
        (minutes.is_finite() && minutes >= 0.0).then(|| minutes.ceil() as i64)
    }

    proptest::proptest! {
        #[test]
        fn road_minutes_are_the_plain_minutes(chord in 0.0f64..2.0, speed in 0.5f64..300.0) {
            proptest::prop_assert_eq!(road_minutes(chord, speed), plain_minutes(chord, speed));
        }

        /// Chords whose drive is a whole number of minutes, give or take a
        /// few units in the last place: where rounding up is decided.
        #[test]
        fn road_minutes_agree_on_whole_minutes(
            minutes in 0u32..5_000,
            speed in proptest::sample::select(vec![5.0, 30.0, 40.0, 60.0, 90.0, 37.3]),
            ulps in -4i64..=4,
        ) {
            let angle = f64::from(minutes) / 60.0 * speed / EARTH_RADIUS_KM;
            let exact = 2.0 * (angle / 2.0).sin();
            let chord = f64::from_bits((exact.to_bits() as i64 + ulps).max(0) as u64);
            proptest::prop_assert_eq!(road_minutes(chord, speed), plain_minutes(chord, speed));
        }
    }

    proptest::proptest! {
        #[test]
        fn the_cheap_bound_is_never_below_the_minutes(chord in 0.0f64..2.0, speed in 0.5f64..300.0) {
            let minutes = road_minutes(chord, speed).expect("a drive");
            proptest::prop_assert!(road_minutes_at_most(chord, speed) >= minutes);
        }
    }

    proptest::proptest! {
        /// When the quick test says the road fits in `minutes`, working the
        /// road out agrees; it may only be unsure, never wrong.
        #[test]
        fn a_road_said_to_fit_does_fit(
            places in proptest::collection::vec((40.0f64..55.0, 50.0f64..90.0, proptest::bool::weighted(0.8)), 2..6),
            entered in proptest::collection::vec((0usize..6, 0usize..6, 0i32..200), 0..4),
            speed in proptest::sample::select(vec![0.0, 5.0, 40.0, 90.0]),
            margin in 0i64..30,
            minutes in -5i64..600,
        ) {
            use super::super::snapshot::{Meeting, Venue};
            use crate::domain::model::TravelTime;
            let venues: Vec<Venue> = places
                .iter()
                .enumerate()
                .map(|(i, &(lat, lon, known))| {
                    let venue = Venue::new(i as i64 + 1, "v", chrono_tz::UTC);
                    if known { venue.located(lat, lon) } else { venue }
                })
                .collect();
            let meetings = (0..venues.len())
                .map(|i| {
                    let at = chrono::DateTime::from_timestamp(i as i64 * 3600, 0).expect("an instant");
                    let time = TimeRange::new(at, at + chrono::Duration::minutes(30)).expect("a range");
                    Meeting::new(i as i64 + 1, 1, "m", time).at_venue(i as i64 + 1)
                })
                .collect();
            let mut snapshot = Snapshot {
                meetings,
                travel_times: entered
                    .iter()
                    .filter(|&&(a, b, _)| a < venues.len() && b < venues.len())
                    .map(|&(a, b, minutes)| TravelTime {
                        from_venue_id: a as i64 + 1,
                        to_venue_id: b as i64 + 1,
                        minutes,
                    })
                    .collect(),
                venues,
                ..Snapshot::default()
            };
            snapshot.settings.road_speed_kmh = speed;
            snapshot.settings.boarding_margin_minutes = margin;
            let ix = Index::build(&snapshot);
            for a in 0..ix.venue_ids.len() as u32 {
                for b in 0..ix.venue_ids.len() as u32 {
                    if ix.travel_within(a, b, minutes) {
                        proptest::prop_assert!(ix.travel_minutes(a, b).0 <= minutes, "{a} → {b}");
                    }
                }
            }
        }
    }

    #[test]
    fn road_minutes_refuse_a_speed_of_zero() {
        assert_eq!(road_minutes(0.01, 0.0), None);
        assert_eq!(road_minutes(0.0, 40.0), Some(0));
    }

    #[test]
    fn the_chord_gives_the_haversine_distance() {
        let place = |latitude, longitude| Coordinates {
            latitude,
            longitude,
        };
        let pairs = [
            (place(49.95, 82.61), place(49.95, 82.61)),
            (place(49.95, 82.61), place(50.41, 80.25)),
            (place(43.24, 76.89), place(51.13, 71.43)),
            (place(55.75, 37.62), place(43.24, 76.89)),
            (place(-33.9, 151.2), place(51.5, -0.1)),
        ];
        for (a, b) in pairs {
            let (chord, textbook) = (haversine_km(a, b), textbook_km(a, b));
            assert!((chord - textbook).abs() < 1e-6, "{chord} vs {textbook}");
        }
    }
}
