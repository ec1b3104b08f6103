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

use super::index::{instant, local_to_utc, overlapping, utc_to_local, Index, DAY_SECONDS, NONE};
use crate::domain::model::OpeningHours;
use crate::domain::values::TimeRange;

#[derive(Default)]
pub(super) struct SlotFinder {
    busy: Vec<(i64, i64)>,
    allowed: Vec<(i64, i64)>,
    open: Vec<(i64, i64)>,
    both: Vec<(i64, i64)>,
}

impl SlotFinder {
    pub fn earliest(&mut self, ix: &Index, m: u32) -> Option<TimeRange> {
        let mi = m as usize;
        let length = ix.end[mi] - ix.start[mi];
        let venue = ix.venue(m);
        let days = ix.visit_days(m);
        let zone = days
            .map(|d| d.timezone)
            .or(venue.map(|v| v.timezone))
            .unwrap_or(Tz::UTC);
        let day = utc_to_local(zone, ix.start[mi]).date();
        if days.is_some_and(|d| day < d.first_day || day > d.last_day) {
            return None;
        }
        let next_day = day.checked_add_days(Days::new(1))?;
        let day_start = local_to_utc(zone, day.and_time(NaiveTime::MIN));
        let day_end = local_to_utc(zone, next_day.and_time(NaiveTime::MIN));

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
                return TimeRange::new(instant(cursor)?, instant(cursor + length)?).ok();
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
        let padded = |b: u32| {
            let (mut s, mut e) = (ix.start[b as usize], ix.end[b as usize]);
            let there = ix.venue[b as usize];
            if here != NONE && there != NONE && here != there {
                s -= (ix.travel_minutes(here, there).0 + buffer) * 60;
                e += (ix.travel_minutes(there, here).0 + buffer) * 60;
            }
            (s, e)
        };
        let windows = |row: &[u32], busy: &mut Vec<(i64, i64)>| {
            busy.extend(
                row.iter()
                    .map(|&w| (ix.window_start[w as usize], ix.window_end[w as usize]))
                    .filter(|&(s, e)| s < to && e > from),
            );
        };

        self.busy.clear();
        for &o in ix.officials_of.row(mi) {
            let o = o as usize;
            let row = ix.by_official.row(o);
            let longest = ix.official_longest[o];
            self.busy.extend(
                overlapping(row, &ix.start, &ix.end, longest, from, to)
                    .filter(|&b| b != m)
                    .map(padded),
            );
            windows(ix.official_windows.row(o), &mut self.busy);
        }
        for &g in ix.groups_of.row(mi) {
            let g = g as usize;
            let row = ix.by_group.row(g);
            let longest = ix.group_longest[g];
            self.busy.extend(
                overlapping(row, &ix.start, &ix.end, longest, from, to)
                    .filter(|&b| b != m)
                    .map(padded),
            );
        }
        if here != NONE {
            let v = here as usize;
            let row = ix.by_venue.row(v);
            self.busy.extend(
                overlapping(row, &ix.start, &ix.end, ix.venue_longest[v], from, to)
                    .filter(|&b| b != m)
                    .map(|b| (ix.start[b as usize], ix.end[b as usize])),
            );
            windows(ix.venue_windows.row(v), &mut self.busy);
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
                    local_to_utc(tz, d.and_time(hours.opens)),
                    local_to_utc(tz, closing_day.and_time(hours.closes)),
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
