//! The fix a conflict proposes: the earliest slot on the meeting's own day (in
//! the visit's zone), of the same length, within the visit's days and the
//! venue's hours, where every official, group and the venue of the meeting is
//! free, transfers to and from their other meetings included, and no
//! unavailability window is in the way.
//!
//! Candidate starts are the start of the allowed time and the end of each busy
//! interval, so the search is a sweep over the busy intervals of that day, not
//! a walk minute by minute.

use chrono::{Days, NaiveTime};
use chrono_tz::Tz;

use super::index::{range, utc_to_local, Index, LocalClock, Row, DAY_SECONDS, NONE};
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
    clock: LocalClock,
}

impl SlotFinder {
    pub fn earliest(&mut self, ix: &Index, m: u32) -> Option<TimeRange> {
        let mi = m as usize;
        let length = ix.end[mi] - ix.start[mi];
        let venue = ix.venue(m);
        let (zone, day_start, day_end) = match ix.calendar(m) {
            // Outside the visit's days there is no day to move the meeting within.
            Some(calendar) => {
                let (day, start, end) = calendar.day_of(ix.start[mi])?;
                let _ = day;
                (calendar.days.timezone, start, end)
            }
            None => {
                let zone = venue.map_or(Tz::UTC, |v| v.timezone);
                let day = utc_to_local(zone, ix.start[mi]).date();
                let next_day = day.checked_add_days(Days::new(1))?;
                let start = self.clock.utc(zone, day.and_time(NaiveTime::MIN));
                (zone, start, self.clock.utc(zone, next_day.and_time(NaiveTime::MIN)))
            }
        };

        self.allowed.clear();
        self.allowed.push((day_start, day_end));
        if let Some(hours) = ix.settings.suggestion_hours {
            self.keep_within(zone, hours);
        }
        if let Some(venue) = venue {
            if let Some(hours) = venue.hours {
                self.keep_within(venue.timezone, hours);
            }
        }
        if self.allowed.is_empty() {
            return None;
        }

        self.collect_busy(ix, m, day_start - DAY_SECONDS, day_end + DAY_SECONDS);
        self.busy.sort_unstable();
        for &(allowed_from, allowed_to) in &self.allowed {
            let mut cursor = allowed_from;
            for &(busy_from, busy_to) in &self.busy {
                if busy_to <= cursor {
                    continue;
                }
                if busy_from >= cursor + length || cursor + length > allowed_to {
                    break;
                }
                cursor = busy_to;
            }
            if cursor + length <= allowed_to {
                return range(cursor, cursor + length);
            }
        }
        None
    }

    /// Everything the meeting's people, groups and venue are doing around the
    /// day, widened by the transfers to and from the meeting's venue.
    fn collect_busy(&mut self, ix: &Index, m: u32, from: i64, to: i64) {
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
                    let before = (ix.travel_minutes(here, there).0 + buffer) * 60;
                    let after = (ix.travel_minutes(there, here).0 + buffer) * 60;
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
                    .filter(|&(s, e)| s < to && e > from),
            );
        };

        let busy = &mut self.busy;
        busy.clear();
        let mut people = |row: Row| {
            for (b, s, e, there) in row.overlapping(from, to) {
                if b != m {
                    busy.push(padded(s, e, there));
                }
            }
        };
        for &o in ix.officials_of.row(mi) {
            people(ix.by_official.row(o as usize));
        }
        for &g in ix.groups_of.row(mi) {
            people(ix.by_group.row(g as usize));
        }
        for &o in ix.officials_of.row(mi) {
            windows(ix.official_windows.row(o as usize), busy);
        }
        if here != NONE {
            let v = here as usize;
            busy.extend(
                ix.by_venue
                    .row(v)
                    .overlapping(from, to)
                    .filter(|&(b, ..)| b != m)
                    .map(|(_, s, e, _)| (s, e)),
            );
            windows(ix.venue_windows.row(v), busy);
        }
    }

    /// Narrows the allowed time to daily `hours` local to `tz`.
    fn keep_within(&mut self, tz: Tz, hours: OpeningHours) {
        let (Some(&(lo, _)), Some(&(_, hi))) = (self.allowed.first(), self.allowed.last()) else {
            return;
        };
        // From the day before (hours may run past midnight) to the last day touched.
        let first = utc_to_local(tz, lo).date().checked_sub_days(Days::new(1));
        let last = utc_to_local(tz, hi - 1).date();
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
