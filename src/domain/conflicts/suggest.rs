//! The fix a conflict proposes: the earliest slot on the meeting's own day (in
//! the visit's zone), of the same length, within the visit's days and the
//! venue's hours, where every official, group and the venue of the meeting is
//! free, transfers to and from their other meetings included, and no
//! unavailability window is in the way.
//!
//! Candidate starts are the start of the allowed time and the ends of busy
//! intervals: the candidate jumps past whatever it overlaps until nothing does,
//! so the search is over the day's busy intervals, not minute by minute. Busy
//! means the other meetings of the meeting's officials and groups, widened by
//! the transfer (plus the warning buffer) between their venue and this one,
//! the venue's other meetings, and unavailability windows; meetings up to a
//! day either side are looked at, so transfers of up to a day are respected.
//!
//! The engine asks for all its slots at the end, in time order, so each
//! timeline is walked forward from a cursor rather than searched afresh.

use chrono::{Days, NaiveTime};
use chrono_tz::Tz;

use super::index::{
    range, utc_to_local, FastMap, Index, LocalClock, Row, VisitCalendar, DAY_SECONDS, NONE,
};
use crate::domain::model::OpeningHours;
use crate::domain::values::TimeRange;

#[derive(Default)]
pub(super) struct SlotFinder {
    busy: Vec<(i64, i64)>,
    allowed: Vec<(i64, i64)>,
    open: Vec<(i64, i64)>,
    both: Vec<(i64, i64)>,
    /// Per other venue: seconds kept free before and after its meetings.
    pads: Vec<(u32, i64, i64)>,
    /// The allowed time of a venue's day (no venue: `NONE`), by the day's
    /// start and zone.
    days: FastMap<(u32, i64, Tz), Allowed>,
    /// Where the last search began in each official's, group's and venue's
    /// timeline: searches come in time order, so they mostly walk forward.
    cursors: Cursors,
    clock: LocalClock,
}

#[derive(Default)]
struct Cursors {
    officials: Vec<u32>,
    groups: Vec<u32>,
    venues: Vec<u32>,
}

/// A day's allowed time, kept without an allocation: a day holds at most a
/// few openings.
#[derive(Clone, Copy)]
struct Allowed {
    len: usize,
    pieces: [(i64, i64); 4],
}

impl Allowed {
    fn of(pieces: &[(i64, i64)]) -> Option<Self> {
        let mut allowed = Self {
            len: pieces.len(),
            pieces: [(0, 0); 4],
        };
        allowed
            .pieces
            .get_mut(..pieces.len())?
            .copy_from_slice(pieces);
        Some(allowed)
    }

    fn pieces(&self) -> &[(i64, i64)] {
        &self.pieces[..self.len]
    }
}

impl SlotFinder {
    pub fn earliest(&mut self, ix: &Index, m: u32) -> Option<TimeRange> {
        let mi = m as usize;
        let length = ix.end[mi] - ix.start[mi];
        let venue = ix.venue(m);
        let calendar = ix.calendar(m);
        let (zone, day_start, day_end) = match calendar {
            // Outside the visit's days there is no day to move the meeting within.
            Some(calendar) => {
                let (_, start, end) = calendar.day_of(ix.start[mi])?;
                (calendar.days.timezone, start, end)
            }
            None => {
                let zone = venue.map_or(Tz::UTC, |v| v.timezone);
                let day = utc_to_local(zone, ix.start[mi]).date();
                let next_day = day.checked_add_days(Days::new(1))?;
                let start = self.clock.utc(zone, day.and_time(NaiveTime::MIN));
                (
                    zone,
                    start,
                    self.clock.utc(zone, next_day.and_time(NaiveTime::MIN)),
                )
            }
        };

        // The same venue's day comes up for many meetings: its allowed time
        // is worked out once.
        let key = (ix.venue[mi], day_start, zone);
        self.allowed.clear();
        match self.days.get(&key) {
            Some(known) => self.allowed.extend_from_slice(known.pieces()),
            None => {
                self.allowed.push((day_start, day_end));
                if let Some(hours) = ix.settings.suggestion_hours {
                    self.keep_within(zone, hours, calendar);
                }
                if let Some(venue) = venue {
                    if let Some(hours) = venue.hours {
                        self.keep_within(venue.timezone, hours, calendar);
                    }
                }
                if let Some(known) = Allowed::of(&self.allowed) {
                    self.days.insert(key, known);
                }
            }
        }
        if self.allowed.is_empty() {
            return None;
        }

        // Only what touches the allowed time can be in the way.
        let (Some(&(lo, _)), Some(&(_, hi))) = (self.allowed.first(), self.allowed.last()) else {
            return None;
        };
        self.collect_busy(ix, m, (lo - DAY_SECONDS, hi + DAY_SECONDS), (lo, hi));
        for &(allowed_from, allowed_to) in &self.allowed {
            // Move the candidate past whatever it overlaps until nothing does:
            // each move lands on the end of a busy interval, never past a free slot.
            let mut start = allowed_from;
            loop {
                if start + length > allowed_to {
                    break;
                }
                let mut moved = false;
                for &(busy_from, busy_to) in &self.busy {
                    if busy_from < start + length && busy_to > start {
                        start = busy_to;
                        moved = true;
                    }
                }
                if !moved {
                    return range(start, start + length);
                }
            }
        }
        None
    }

    /// Everything the meeting's people, groups and venue are doing around the
    /// day, widened by the transfers to and from the meeting's venue.
    fn collect_busy(&mut self, ix: &Index, m: u32, (from, to): (i64, i64), (lo, hi): (i64, i64)) {
        let mi = m as usize;
        let here = ix.venue[mi];
        let buffer = ix.settings.warning_buffer_minutes;
        // The transfers to and from each other venue, worked out once per
        // search: a day's meetings are at a handful of venues.
        let pads = &mut self.pads;
        pads.clear();
        let mut padded = |s: i64, e: i64, there: u32| {
            if here == NONE || there == NONE || here == there {
                return (s, e);
            }
            let (before, after) = match pads.iter().find(|p| p.0 == there) {
                Some(&(_, before, after)) => (before, after),
                None => {
                    let (out, back) = ix.travel_both_ways(here, there);
                    let (before, after) = ((out + buffer) * 60, (back + buffer) * 60);
                    pads.push((there, before, after));
                    (before, after)
                }
            };
            (s - before, e + after)
        };
        let windows = |row: &[u32], busy: &mut Vec<(i64, i64)>| {
            busy.extend(
                row.iter()
                    .map(|&w| (ix.window_start[w as usize], ix.window_end[w as usize]))
                    .filter(|&(s, e)| s < hi && e > lo),
            );
        };

        let cursors = &mut self.cursors;
        if cursors.officials.is_empty() {
            cursors.officials = vec![0; ix.by_official.rows()];
            cursors.groups = vec![0; ix.by_group.rows()];
            cursors.venues = vec![0; ix.by_venue.rows()];
        }
        let busy = &mut self.busy;
        busy.clear();
        let mut people = |row: Row, cursor: &mut u32| {
            for e in row.overlapping_near(cursor, from, to) {
                if e.meeting == m {
                    continue;
                }
                // A meeting clear of the day (the one before, say) is in the
                // way only if the transfer is longer than the time between:
                // most are ruled out without working the transfer out.
                let clear_by = (lo - e.end).max(e.start - hi);
                if clear_by > 0
                    && here != NONE
                    && e.venue != NONE
                    && ix
                        .travel_at_most(here, e.venue)
                        .saturating_add(buffer)
                        .saturating_mul(60)
                        < clear_by
                {
                    continue;
                }
                let (s, e) = padded(e.start, e.end, e.venue);
                if s < hi && e > lo {
                    busy.push((s, e));
                }
            }
        };
        for &o in ix.officials_of(m) {
            let o = o as usize;
            people(ix.by_official.row(o), &mut cursors.officials[o]);
        }
        for &g in ix.groups_of(m) {
            let g = g as usize;
            people(ix.by_group.row(g), &mut cursors.groups[g]);
        }
        for &o in ix.officials_of(m) {
            windows(ix.official_windows.row(o as usize), busy);
        }
        if here != NONE {
            let v = here as usize;
            busy.extend(
                ix.by_venue
                    .row(v)
                    .overlapping_near(&mut cursors.venues[v], from, to)
                    .filter(|e| e.meeting != m && e.start < hi && e.end > lo)
                    .map(|e| (e.start, e.end)),
            );
            windows(ix.venue_windows.row(v), busy);
        }
    }

    /// Narrows the allowed time to daily `hours` local to `tz`.
    fn keep_within(&mut self, tz: Tz, hours: OpeningHours, calendar: Option<&VisitCalendar>) {
        let (Some(&(lo, _)), Some(&(_, hi))) = (self.allowed.first(), self.allowed.last()) else {
            return;
        };
        // From the day before (hours may run past midnight) to the last day touched.
        let first = VisitCalendar::local_date(calendar, tz, lo).checked_sub_days(Days::new(1));
        let last = VisitCalendar::local_date(calendar, tz, hi - 1);
        self.open.clear();
        let mut day = first;
        while let Some(d) = day.filter(|d| *d <= last) {
            let closing_day = if hours.closes > hours.opens {
                Some(d)
            } else {
                d.checked_add_days(Days::new(1))
            };
            if let Some(closing_day) = closing_day {
                self.open.push((
                    self.clock.utc(tz, d.and_time(hours.opens)),
                    self.clock.utc(tz, closing_day.and_time(hours.closes)),
                ));
            }
            day = d.checked_add_days(Days::new(1));
        }
        self.both.clear();
        for &(a, b) in &self.allowed {
            for &(c, d) in &self.open {
                let (s, e) = (a.max(c), b.min(d));
                if s < e {
                    self.both.push((s, e));
                }
            }
        }
        // Pieces stay apart even where they touch: a meeting must fit within one
        // day's hours, not run from one opening into the next.
        self.both.sort_unstable();
        std::mem::swap(&mut self.allowed, &mut self.both);
    }
}
