//! The day of the visit as a phone shows it: what is on now, what is next
//! (and when to leave for it), and the rest of the day.

use chrono::{DateTime, Duration, Utc};

use crate::domain::values::TimeRange;

/// An item of the day as this view needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot {
    pub id: i64,
    pub time: TimeRange,
    pub cancelled: bool,
}

/// The day at one moment, by item id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Moment {
    /// Items under way (started, not ended); cancelled ones are not.
    pub now: Vec<i64>,
    /// The first item not cancelled that starts after the moment.
    pub next: Option<i64>,
    /// Every later item, cancelled ones too (to be shown struck out).
    pub rest: Vec<i64>,
}

/// What is on at `at` among `slots` (the items of one day).
pub fn at_moment(slots: &[Slot], at: DateTime<Utc>) -> Moment {
    let mut sorted: Vec<&Slot> = slots.iter().collect();
    sorted.sort_by_key(|s| (s.time.start(), s.id));
    let now = sorted
        .iter()
        .filter(|s| !s.cancelled && s.time.start() <= at && at < s.time.end())
        .map(|s| s.id)
        .collect();
    let next = sorted
        .iter()
        .find(|s| !s.cancelled && s.time.start() > at)
        .map(|s| s.id);
    let rest = sorted
        .iter()
        .filter(|s| s.time.start() > at && Some(s.id) != next)
        .map(|s| s.id)
        .collect();
    Moment { now, next, rest }
}

/// Whole minutes from `from` to `to`, a started minute counted (0 when `to`
/// is not later).
pub fn minutes_until(from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    let seconds = (to - from).num_seconds().max(0);
    (seconds + 59) / 60
}

/// When to set off for an item starting at `start` with a transfer of
/// `transfer_minutes` before it.
pub fn leave_at(start: DateTime<Utc>, transfer_minutes: i64) -> DateTime<Utc> {
    start
        .checked_sub_signed(Duration::minutes(transfer_minutes.max(0)))
        .unwrap_or(start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(hour: u32, minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 2, 25, hour, minute, 0).unwrap()
    }

    fn slot(id: i64, from: u32, to: u32, cancelled: bool) -> Slot {
        Slot {
            id,
            time: TimeRange::new(at(from, 0), at(to, 0)).unwrap(),
            cancelled,
        }
    }

    #[test]
    fn now_next_and_the_rest() {
        let day = [
            slot(3, 12, 13, false),
            slot(1, 9, 10, false),
            slot(2, 10, 11, true),
            slot(4, 11, 12, false),
            slot(5, 14, 15, false),
        ];
        let moment = at_moment(&day, at(9, 30));
        assert_eq!(moment.now, vec![1]);
        assert_eq!(moment.next, Some(4), "the cancelled item is passed over");
        assert_eq!(moment.rest, vec![2, 3, 5]);
        // Half-open: at 10:00 the first item is over.
        let moment = at_moment(&day, at(10, 0));
        assert!(moment.now.is_empty());
        assert_eq!(moment.next, Some(4));
        let evening = at_moment(&day, at(16, 0));
        assert_eq!(evening, Moment::default());
    }

    #[test]
    fn minutes_are_counted_up_and_leaving_is_before_the_transfer() {
        assert_eq!(minutes_until(at(9, 0), at(9, 30)), 30);
        assert_eq!(
            minutes_until(at(9, 0), at(9, 30) + Duration::seconds(1)),
            31
        );
        assert_eq!(minutes_until(at(10, 0), at(9, 0)), 0);
        assert_eq!(leave_at(at(11, 0), 25), at(10, 35));
        assert_eq!(leave_at(at(11, 0), -5), at(11, 0));
    }
}
