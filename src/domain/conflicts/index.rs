//! The snapshot turned into dense vectors once, so the rules can sweep without
//! hashing: meetings get indices in (start, end, id) order, every official,
//! venue, group and participant a small index, and each resource the list of
//! its meetings, already sorted by start.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use chrono::{DateTime, Days, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::conflict::TravelEstimate;
use super::snapshot::{EngineSettings, Snapshot, Venue};
use crate::domain::model::{Coordinates, Unavailable};
use crate::domain::values::TimeRange;

/// "No venue", "no visit": the absent index.
pub(super) const NONE: u32 = u32::MAX;

pub(super) const DAY_SECONDS: i64 = 24 * 60 * 60;

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
}

pub(super) type IdMap<V> = HashMap<i64, V, BuildHasherDefault<IdHasher>>;

/// Ids to dense indices, in order of first appearance.
#[derive(Default)]
struct Interner {
    map: IdMap<u32>,
    ids: Vec<i64>,
}

impl Interner {
    fn intern(&mut self, id: i64) -> u32 {
        if let Some(&i) = self.map.get(&id) {
            return i;
        }
        let i = self.ids.len() as u32;
        self.map.insert(id, i);
        self.ids.push(id);
        i
    }
}

/// Rows of small integer lists in one allocation (compressed sparse rows).
#[derive(Clone, Debug)]
pub(super) struct Csr {
    offsets: Vec<usize>,
    items: Vec<u32>,
}

impl Default for Csr {
    fn default() -> Self {
        Self::new()
    }
}

impl Csr {
    pub fn new() -> Self {
        Self {
            offsets: vec![0],
            items: Vec::new(),
        }
    }

    /// Appends a row; `row` is sorted and deduplicated in place first.
    pub fn push_set(&mut self, row: &mut Vec<u32>) {
        row.sort_unstable();
        row.dedup();
        self.items.extend_from_slice(row);
        self.offsets.push(self.items.len());
    }

    pub fn items(&self) -> &[u32] {
        &self.items
    }

    pub fn rows(&self) -> usize {
        self.offsets.len() - 1
    }

    pub fn row(&self, i: usize) -> &[u32] {
        &self.items[self.offsets[i]..self.offsets[i + 1]]
    }

    /// Column `c` becomes row `c` listing the rows that held it, in row order:
    /// meetings → resources becomes resources → meetings sorted by start.
    pub fn transpose(&self, columns: usize) -> Csr {
        let mut offsets = vec![0usize; columns + 1];
        for &c in &self.items {
            offsets[c as usize + 1] += 1;
        }
        for i in 0..columns {
            offsets[i + 1] += offsets[i];
        }
        let mut next = offsets[..columns].to_vec();
        let mut items = vec![0u32; self.items.len()];
        for row in 0..self.rows() {
            for &c in self.row(row) {
                let slot = &mut next[c as usize];
                items[*slot] = row as u32;
                *slot += 1;
            }
        }
        Csr { offsets, items }
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

pub(super) struct Index<'s> {
    pub snapshot: &'s Snapshot,
    pub settings: &'s EngineSettings,

    // Non-cancelled meetings, by dense index in (start, end, id) order.
    /// Position in `snapshot.meetings`.
    pub source: Vec<u32>,
    pub start: Vec<i64>,
    pub end: Vec<i64>,
    pub venue: Vec<u32>,
    pub visit: Vec<u32>,
    pub officials_of: Csr,
    pub groups_of: Csr,
    /// Participants invited directly.
    pub participants_of: Csr,

    pub official_ids: Vec<i64>,
    pub venue_ids: Vec<i64>,
    pub group_ids: Vec<i64>,
    pub participant_ids: Vec<i64>,
    visit_map: IdMap<u32>,

    // Each resource's meetings, sorted by start, and its longest meeting (to
    // bound a search by time).
    pub by_official: Csr,
    pub by_venue: Csr,
    pub by_group: Csr,
    pub official_longest: Vec<i64>,
    pub venue_longest: Vec<i64>,
    pub group_longest: Vec<i64>,

    /// Each group's members, sorted.
    pub members: Csr,
    pub headcount: Vec<i64>,
    pub venues: Vec<Option<&'s Venue>>,
    pub visits: Vec<Option<VisitDays>>,
    travel: HashMap<u64, i64, BuildHasherDefault<IdHasher>>,

    /// Unavailability windows (positions in `snapshot.unavailability`) of each
    /// official and venue, sorted by start.
    pub official_windows: Csr,
    pub venue_windows: Csr,
    pub window_start: Vec<i64>,
    pub window_end: Vec<i64>,
}

impl<'s> Index<'s> {
    pub fn build(snapshot: &'s Snapshot) -> Self {
        let mut order: Vec<(i64, i64, i64, u32)> = snapshot
            .meetings
            .iter()
            .enumerate()
            .filter(|(_, m)| !m.cancelled)
            .map(|(i, m)| {
                let (start, end) = seconds(&m.time);
                (start, end, m.id, i as u32)
            })
            .collect();
        order.sort_unstable();

        let n = order.len();
        let (mut officials, mut venues, mut groups, mut participants, mut visits) = (
            Interner::default(),
            Interner::default(),
            Interner::default(),
            Interner::default(),
            Interner::default(),
        );
        let mut source = Vec::with_capacity(n);
        let mut start = Vec::with_capacity(n);
        let mut end = Vec::with_capacity(n);
        let mut venue = Vec::with_capacity(n);
        let mut visit = Vec::with_capacity(n);
        let (mut officials_of, mut groups_of, mut participants_of) =
            (Csr::new(), Csr::new(), Csr::new());
        let mut row = Vec::new();
        for &(s, e, _, i) in &order {
            let m = &snapshot.meetings[i as usize];
            source.push(i);
            start.push(s);
            end.push(e);
            venue.push(m.venue_id.map_or(NONE, |v| venues.intern(v)));
            visit.push(visits.intern(m.visit_id));
            row.clear();
            row.extend(m.official_ids.iter().map(|&o| officials.intern(o)));
            officials_of.push_set(&mut row);
            row.clear();
            row.extend(m.group_ids.iter().map(|&g| groups.intern(g)));
            groups_of.push_set(&mut row);
            row.clear();
            row.extend(m.participant_ids.iter().map(|&p| participants.intern(p)));
            participants_of.push_set(&mut row);
        }

        let mut venue_row = Csr::new();
        for &v in &venue {
            row.clear();
            if v != NONE {
                row.push(v);
            }
            venue_row.push_set(&mut row);
        }
        let by_official = officials_of.transpose(officials.ids.len());
        let by_venue = venue_row.transpose(venues.ids.len());
        let by_group = groups_of.transpose(groups.ids.len());
        let longest = |by: &Csr| -> Vec<i64> {
            (0..by.rows())
                .map(|r| {
                    by.row(r)
                        .iter()
                        .map(|&m| end[m as usize] - start[m as usize])
                        .max()
                        .unwrap_or(0)
                })
                .collect()
        };
        let official_longest = longest(&by_official);
        let venue_longest = longest(&by_venue);
        let group_longest = longest(&by_group);

        // Groups: members and headcount, for the groups meetings invite.
        let group_source: IdMap<usize> = snapshot
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.id, i))
            .collect();
        let mut members = Csr::new();
        let mut headcount = Vec::with_capacity(groups.ids.len());
        for &id in &groups.ids {
            row.clear();
            let group = group_source.get(&id).map(|&i| &snapshot.groups[i]);
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

        let venue_source: IdMap<&Venue> = snapshot.venues.iter().map(|v| (v.id, v)).collect();
        let venue_facts = venues
            .ids
            .iter()
            .map(|id| venue_source.get(id).copied())
            .collect();
        let visit_source: IdMap<usize> = snapshot
            .visits
            .iter()
            .enumerate()
            .map(|(i, v)| (v.id, i))
            .collect();
        let visit_facts = visits
            .ids
            .iter()
            .map(|id| {
                let v = &snapshot.visits[*visit_source.get(id)?];
                let day_after = v.last_day.checked_add_days(Days::new(1))?;
                Some(VisitDays {
                    id: v.id,
                    timezone: v.timezone,
                    first_day: v.first_day,
                    last_day: v.last_day,
                    starts: local_to_utc(v.timezone, v.first_day.and_time(NaiveTime::MIN)),
                    ends: local_to_utc(v.timezone, day_after.and_time(NaiveTime::MIN)),
                })
            })
            .collect();

        let mut travel = HashMap::default();
        for t in &snapshot.travel_times {
            if let (Some(&a), Some(&b)) = (
                venues.map.get(&t.from_venue_id),
                venues.map.get(&t.to_venue_id),
            ) {
                travel.insert(pair_key(a, b), i64::from(t.minutes.max(0)));
            }
        }

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
                    if let Some(&o) = officials.map.get(&id) {
                        official_pairs.push((o, s, i as u32));
                    }
                }
                Unavailable::Venue(id) => {
                    if let Some(&v) = venues.map.get(&id) {
                        venue_pairs.push((v, s, i as u32));
                    }
                }
            }
        }
        let official_windows = grouped(official_pairs, officials.ids.len());
        let venue_windows = grouped(venue_pairs, venues.ids.len());

        Self {
            snapshot,
            settings: &snapshot.settings,
            source,
            start,
            end,
            venue,
            visit,
            officials_of,
            groups_of,
            participants_of,
            official_ids: officials.ids,
            venue_ids: venues.ids,
            group_ids: groups.ids,
            participant_ids: participants.ids,
            visit_map: visits.map,
            by_official,
            by_venue,
            by_group,
            official_longest,
            venue_longest,
            group_longest,
            members,
            headcount,
            venues: venue_facts,
            visits: visit_facts,
            travel,
            official_windows,
            venue_windows,
            window_start,
            window_end,
        }
    }

    pub fn len(&self) -> usize {
        self.start.len()
    }

    pub fn meeting_id(&self, m: u32) -> i64 {
        self.snapshot.meetings[self.source[m as usize] as usize].id
    }

    pub fn time(&self, m: u32) -> TimeRange {
        self.snapshot.meetings[self.source[m as usize] as usize].time
    }

    pub fn visit_index(&self, id: i64) -> Option<u32> {
        self.visit_map.get(&id).copied()
    }

    pub fn venue(&self, m: u32) -> Option<&'s Venue> {
        match self.venue[m as usize] {
            NONE => None,
            v => self.venues[v as usize],
        }
    }

    pub fn visit_days(&self, m: u32) -> Option<&VisitDays> {
        self.visits[self.visit[m as usize] as usize].as_ref()
    }

    /// Minutes needed from one venue to another, and how we know.
    pub fn travel_minutes(&self, from: u32, to: u32) -> (i64, TravelEstimate) {
        if let Some(&minutes) = self
            .travel
            .get(&pair_key(from, to))
            .or_else(|| self.travel.get(&pair_key(to, from)))
        {
            return (minutes, TravelEstimate::Explicit);
        }
        let coordinates = |v: u32| self.venues[v as usize].and_then(|v| v.coordinates);
        let s = self.settings;
        if let (Some(a), Some(b)) = (coordinates(from), coordinates(to)) {
            let hours = haversine_km(a, b) / s.road_speed_kmh;
            if hours.is_finite() && hours >= 0.0 {
                let minutes = (hours * 60.0).ceil() as i64 + s.boarding_margin_minutes;
                return (minutes, TravelEstimate::Distance);
            }
        }
        (s.default_travel_minutes, TravelEstimate::Default)
    }
}

/// The meetings of one resource (`list`, sorted by start) that overlap
/// `[from, to)`; `longest` bounds how far back one can start and still reach in.
pub(super) fn overlapping<'a>(
    list: &'a [u32],
    start: &'a [i64],
    end: &'a [i64],
    longest: i64,
    from: i64,
    to: i64,
) -> impl Iterator<Item = u32> + 'a {
    let lo = list.partition_point(|&m| start[m as usize] <= from - longest);
    let hi = list.partition_point(|&m| start[m as usize] < to);
    list[lo..hi.max(lo)]
        .iter()
        .copied()
        .filter(move |&m| end[m as usize] > from)
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

fn pair_key(from: u32, to: u32) -> u64 {
    (u64::from(from) << 32) | u64::from(to)
}

/// A range as whole UTC seconds (the precision the database keeps); never empty.
pub(super) fn seconds(range: &TimeRange) -> (i64, i64) {
    let start = range.start().timestamp();
    (start, range.end().timestamp().max(start + 1))
}

pub(super) fn instant(seconds: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(seconds, 0)
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
            let mut probe = local;
            for _ in 0..(6 * 60) {
                probe += chrono::Duration::minutes(1);
                if let Some(t) = tz.from_local_datetime(&probe).earliest() {
                    return t.timestamp();
                }
            }
            local.and_utc().timestamp()
        }
    }
}

/// Great-circle distance on a spherical Earth.
pub(super) fn haversine_km(a: Coordinates, b: Coordinates) -> f64 {
    const EARTH_RADIUS_KM: f64 = 6371.0;
    let (lat1, lat2) = (a.latitude.to_radians(), b.latitude.to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.longitude - a.longitude).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}
