//! "We are running 20 minutes late": which items of a day move when one of
//! them slips, and where they land. The Speaker stays longer with the
//! deputies, so every later item of the same local day that shares an
//! official with that meeting, or with an item already moved, moves by the
//! same minutes. Cancelled items stay where they are. A move that would push
//! an item past the end of that day (or, ahead of time, before its start) is
//! refused as a whole: the planner then moves items one by one.
//!
//! Pure: the conflicts after the move come from the same engine, run on the
//! snapshot with [`apply`] done to it.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::domain::conflicts::Meeting;
use crate::domain::values::TimeRange;

/// The most minutes one shift moves items, either way: half a day. More is
/// not running late but a new programme.
pub const MAX_SHIFT_MINUTES: i64 = 720;

/// Why a shift was refused. Each names the field of the request at fault.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ShiftError {
    #[error("moving by 0 minutes changes nothing")]
    Zero,
    #[error("at most {MAX_SHIFT_MINUTES} minutes either way")]
    TooFar,
    #[error("meeting {0} is not an item of this visit")]
    UnknownMeeting(i64),
    #[error("meeting {0} is cancelled")]
    Cancelled(i64),
    /// The meeting named would end after midnight of its local day.
    #[error("meeting {meeting_id} would end after the end of its day")]
    PastDayEnd { meeting_id: i64 },
    /// The meeting named would start before midnight of its local day.
    #[error("meeting {meeting_id} would start before the start of its day")]
    BeforeDayStart { meeting_id: i64 },
}

impl ShiftError {
    /// The request's field the refusal is about.
    pub fn field(&self) -> &'static str {
        match self {
            Self::UnknownMeeting(_) | Self::Cancelled(_) => "meeting_id",
            Self::Zero | Self::TooFar | Self::PastDayEnd { .. } | Self::BeforeDayStart { .. } => {
                "minutes"
            }
        }
    }
}

impl ShiftError {
    /// The refusal as a field problem, for the form or the request.
    pub fn problem(&self) -> crate::domain::FieldProblem {
        use crate::domain::FieldProblem;
        match self {
            Self::Zero => FieldProblem::ShiftByZero,
            Self::TooFar => FieldProblem::OutOfRange {
                min: (-MAX_SHIFT_MINUTES).to_string(),
                max: MAX_SHIFT_MINUTES.to_string(),
            },
            Self::UnknownMeeting(id) => FieldProblem::UnknownId { id: *id },
            Self::Cancelled(_) => FieldProblem::MeetingCancelled,
            Self::PastDayEnd { .. } => FieldProblem::ShiftPastDayEnd,
            Self::BeforeDayStart { .. } => FieldProblem::ShiftBeforeDayStart,
        }
    }
}

impl From<ShiftError> for crate::domain::ValidationErrors {
    fn from(e: ShiftError) -> Self {
        Self::single(e.field(), e.problem())
    }
}

/// One item moved: where it was and where it goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Moved {
    pub meeting_id: i64,
    pub before: TimeRange,
    pub after: TimeRange,
}

/// A number of minutes a shift may move by: not 0, at most
/// [`MAX_SHIFT_MINUTES`] either way.
pub fn check_minutes(minutes: i64) -> Result<(), ShiftError> {
    if minutes == 0 {
        Err(ShiftError::Zero)
    } else if minutes.abs() > MAX_SHIFT_MINUTES {
        Err(ShiftError::TooFar)
    } else {
        Ok(())
    }
}

/// The first instant of a local day in `zone` (the earliest, where a clock
/// change makes midnight ambiguous; the first hour that exists, where it
/// skips midnight).
fn day_start(day: NaiveDate, zone: Tz) -> Option<DateTime<Utc>> {
    (0..=3)
        .filter_map(|hour| NaiveTime::from_hms_opt(hour, 0, 0))
        .find_map(|time| zone.from_local_datetime(&day.and_time(time)).earliest())
        .map(|at| at.with_timezone(&Utc))
}

/// The local day in `zone` that `at` falls on, as the instants `[start, end)`.
pub fn local_day(at: DateTime<Utc>, zone: Tz) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let day = at.with_timezone(&zone).date_naive();
    Some((day_start(day, zone)?, day_start(day.succ_opt()?, zone)?))
}

/// The items that move when `meeting_id` slips by `minutes`, in time order,
/// that meeting first. `meetings` may hold other visits' meetings (a conflict
/// snapshot does): only the meeting's own visit moves. `zone` is the zone the
/// meeting is shown in (its venue's, else its visit's): its local day there
/// bounds what moves and where to.
pub fn shift(
    meetings: &[Meeting],
    meeting_id: i64,
    minutes: i64,
    zone: Tz,
) -> Result<Vec<Moved>, ShiftError> {
    check_minutes(minutes)?;
    let first = meetings
        .iter()
        .find(|m| m.id == meeting_id)
        .ok_or(ShiftError::UnknownMeeting(meeting_id))?;
    if first.cancelled {
        return Err(ShiftError::Cancelled(meeting_id));
    }
    let beyond = ShiftError::PastDayEnd { meeting_id };
    let (day_start, day_end) = local_day(first.time.start(), zone).ok_or(beyond.clone())?;

    let mut later: Vec<&Meeting> = meetings
        .iter()
        .filter(|m| m.visit_id == first.visit_id && !m.cancelled && m.id != first.id)
        .filter(|m| m.time.start() > first.time.start() && m.time.start() < day_end)
        .collect();
    later.sort_by_key(|m| (m.time.start(), m.id));

    let mut officials: BTreeSet<i64> = first.official_ids.iter().copied().collect();
    let mut chosen = vec![first];
    for m in later {
        if m.official_ids.iter().any(|o| officials.contains(o)) {
            officials.extend(m.official_ids.iter().copied());
            chosen.push(m);
        }
    }

    let by = Duration::minutes(minutes);
    chosen
        .into_iter()
        .map(|m| {
            let past_end = ShiftError::PastDayEnd { meeting_id: m.id };
            let before_start = ShiftError::BeforeDayStart { meeting_id: m.id };
            let refused = if minutes > 0 { past_end } else { before_start };
            let start = m.time.start().checked_add_signed(by);
            let end = m.time.end().checked_add_signed(by);
            let after = start
                .zip(end)
                .and_then(|(s, e)| TimeRange::new(s, e).ok())
                .ok_or(refused.clone())?;
            if (minutes > 0 && after.end() > day_end) || (minutes < 0 && after.start() < day_start)
            {
                return Err(refused);
            }
            Ok(Moved {
                meeting_id: m.id,
                before: m.time,
                after,
            })
        })
        .collect()
}

/// The meetings with the moves done to them (a snapshot's, before the engine
/// judges it again).
pub fn apply(meetings: &mut [Meeting], moved: &[Moved]) {
    for m in meetings.iter_mut() {
        if let Some(found) = moved.iter().find(|x| x.meeting_id == m.id) {
            m.time = found.after;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALMATY: Tz = chrono_tz::Asia::Almaty;

    /// An instant given as local time in Almaty on 2026-02-25 (UTC+5).
    fn at(hour: u32, minute: u32) -> DateTime<Utc> {
        ALMATY
            .with_ymd_and_hms(2026, 2, 25, hour, minute, 0)
            .single()
            .expect("a plain time")
            .with_timezone(&Utc)
    }

    fn meeting(id: i64, from: (u32, u32), to: (u32, u32), officials: &[i64]) -> Meeting {
        let time = TimeRange::new(at(from.0, from.1), at(to.0, to.1)).expect("a range");
        Meeting::new(id, 1, format!("item {id}"), time).with_officials(officials.iter().copied())
    }

    fn ids(moved: &[Moved]) -> Vec<i64> {
        moved.iter().map(|m| m.meeting_id).collect()
    }

    #[test]
    fn the_later_items_of_the_same_officials_move_and_the_others_stay() {
        let programme = vec![
            meeting(1, (9, 0), (10, 0), &[100]),
            meeting(2, (10, 0), (11, 0), &[100]),
            // Another official's item: stays.
            meeting(3, (10, 30), (11, 30), &[200]),
            // Earlier than the item that slipped: stays.
            meeting(4, (8, 0), (8, 30), &[100]),
            meeting(5, (12, 0), (13, 0), &[100, 300]),
            // Shares an official with item 5 only, which moved: moves too.
            meeting(6, (14, 0), (15, 0), &[300]),
        ];
        let moved = shift(&programme, 1, 20, ALMATY).unwrap();
        assert_eq!(ids(&moved), vec![1, 2, 5, 6]);
        assert_eq!(moved[0].after.start(), at(9, 20));
        assert_eq!(moved[3].after.end(), at(15, 20));
    }

    #[test]
    fn cancelled_items_other_visits_and_the_next_day_stay() {
        let mut programme = vec![
            meeting(1, (9, 0), (10, 0), &[100]),
            meeting(2, (11, 0), (12, 0), &[100]).cancel(),
            meeting(3, (13, 0), (14, 0), &[100]),
        ];
        let mut other_visit = meeting(4, (15, 0), (16, 0), &[100]);
        other_visit.visit_id = 2;
        programme.push(other_visit);
        let next_day = Meeting::new(
            5,
            1,
            "tomorrow",
            TimeRange::new(at(9, 0) + Duration::days(1), at(10, 0) + Duration::days(1)).unwrap(),
        )
        .with_officials([100]);
        programme.push(next_day);
        assert_eq!(ids(&shift(&programme, 1, 15, ALMATY).unwrap()), vec![1, 3]);
    }

    #[test]
    fn a_cancelled_official_does_not_carry_the_move_on() {
        let programme = vec![
            meeting(1, (9, 0), (10, 0), &[100]),
            meeting(2, (11, 0), (12, 0), &[100, 200]).cancel(),
            meeting(3, (13, 0), (14, 0), &[200]),
        ];
        assert_eq!(ids(&shift(&programme, 1, 15, ALMATY).unwrap()), vec![1]);
    }

    #[test]
    fn a_move_past_midnight_or_before_it_is_refused() {
        let programme = vec![
            meeting(1, (20, 0), (21, 0), &[100]),
            meeting(2, (22, 0), (23, 30), &[100]),
        ];
        assert_eq!(
            shift(&programme, 1, 31, ALMATY),
            Err(ShiftError::PastDayEnd { meeting_id: 2 })
        );
        assert_eq!(ids(&shift(&programme, 1, 30, ALMATY).unwrap()), vec![1, 2]);
        let early = vec![meeting(1, (0, 30), (1, 0), &[100])];
        assert_eq!(
            shift(&early, 1, -31, ALMATY),
            Err(ShiftError::BeforeDayStart { meeting_id: 1 })
        );
        assert_eq!(ids(&shift(&early, 1, -30, ALMATY).unwrap()), vec![1]);
    }

    #[test]
    fn the_minutes_and_the_meeting_are_checked() {
        let programme = vec![meeting(1, (9, 0), (10, 0), &[100])];
        assert_eq!(shift(&programme, 1, 0, ALMATY), Err(ShiftError::Zero));
        assert_eq!(shift(&programme, 1, 721, ALMATY), Err(ShiftError::TooFar));
        assert_eq!(shift(&programme, 1, -721, ALMATY), Err(ShiftError::TooFar));
        assert_eq!(
            shift(&programme, 9, 10, ALMATY),
            Err(ShiftError::UnknownMeeting(9))
        );
        assert_eq!(ShiftError::UnknownMeeting(9).field(), "meeting_id");
        assert_eq!(ShiftError::TooFar.field(), "minutes");
        let cancelled = vec![meeting(1, (9, 0), (10, 0), &[100]).cancel()];
        assert_eq!(
            shift(&cancelled, 1, 10, ALMATY),
            Err(ShiftError::Cancelled(1))
        );
    }

    #[test]
    fn the_day_is_the_local_day_of_the_zone_given() {
        // 23:00 in Almaty is 21:00 in Moscow: an hour more room there.
        let programme = vec![meeting(1, (22, 0), (23, 0), &[100])];
        assert!(shift(&programme, 1, 90, ALMATY).is_err());
        assert!(shift(&programme, 1, 90, chrono_tz::Europe::Moscow).is_ok());
    }

    /// A small deterministic generator (xorshift), so every run sees the same
    /// programmes.
    struct Dice(u64);

    impl Dice {
        fn next(&mut self, below: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % below
        }
    }

    fn random_programme(dice: &mut Dice) -> Vec<Meeting> {
        let count = 1 + dice.next(14) as usize;
        (0..count)
            .map(|i| {
                let start = at(0, 0) + Duration::minutes(5 * dice.next(24 * 12) as i64);
                let length = Duration::minutes(5 * (1 + dice.next(36)) as i64);
                let officials: Vec<i64> = (0..dice.next(3)).map(|_| dice.next(4) as i64).collect();
                let mut m = Meeting::new(
                    1_000_003 * (i as i64 + 1),
                    1 + dice.next(4) as i64 / 3,
                    "random",
                    TimeRange::new(start, start + length).unwrap(),
                )
                .with_officials(officials);
                m.cancelled = dice.next(10) == 0;
                m
            })
            .collect()
    }

    /// The oracle: what moves is decided here the slow way (a fixed point
    /// over every pair), and a shift moves exactly that, each item by the
    /// minutes, durations kept, nothing else; `+N` then `-N` gives the
    /// programme back.
    #[test]
    fn shifts_of_random_programmes_agree_with_the_slow_way_and_undo() {
        let mut dice = Dice(0x5eed_1234_abcd_9876);
        let mut checked = 0;
        for _ in 0..3000 {
            let programme = random_programme(&mut dice);
            let first = &programme[dice.next(programme.len() as u64) as usize];
            let minutes = [-60, -20, -5, 5, 10, 15, 20, 30, 90, 240][dice.next(10) as usize];
            let Ok(moved) = shift(&programme, first.id, minutes, ALMATY) else {
                continue;
            };
            checked += 1;

            let (_, day_end) = local_day(first.time.start(), ALMATY).unwrap();
            let mut expected: BTreeSet<i64> = [first.id].into();
            loop {
                let officials: BTreeSet<i64> = programme
                    .iter()
                    .filter(|m| expected.contains(&m.id))
                    .flat_map(|m| m.official_ids.iter().copied())
                    .collect();
                let more: Vec<i64> = programme
                    .iter()
                    .filter(|m| !expected.contains(&m.id) && !m.cancelled)
                    .filter(|m| m.visit_id == first.visit_id)
                    .filter(|m| m.time.start() > first.time.start() && m.time.start() < day_end)
                    .filter(|m| m.official_ids.iter().any(|o| officials.contains(o)))
                    // Only an item moved before this one carries the move on.
                    .filter(|m| {
                        programme.iter().any(|earlier| {
                            expected.contains(&earlier.id)
                                && (earlier.id == first.id
                                    || (earlier.time.start(), earlier.id) < (m.time.start(), m.id))
                                && earlier
                                    .official_ids
                                    .iter()
                                    .any(|o| m.official_ids.contains(o))
                        })
                    })
                    .map(|m| m.id)
                    .collect();
                if more.is_empty() {
                    break;
                }
                expected.extend(more);
            }
            let got: BTreeSet<i64> = moved.iter().map(|m| m.meeting_id).collect();
            assert_eq!(got, expected, "{programme:?} {} {minutes}", first.id);

            for m in &moved {
                assert_eq!(m.after.duration(), m.before.duration());
                assert_eq!(
                    m.after.start() - m.before.start(),
                    Duration::minutes(minutes)
                );
            }
            let mut after = programme.clone();
            apply(&mut after, &moved);
            for (old, new) in programme.iter().zip(&after) {
                if !got.contains(&old.id) {
                    assert_eq!(old, new, "an item that should stay moved");
                }
            }
            if minutes < 0 {
                // Ahead of time then back may pick up items the first move
                // passed over (they now lie after the item): not an undo.
                continue;
            }
            // Late by N, then back by N: the programme as it was.
            let back = shift(&after, first.id, -minutes, ALMATY).unwrap();
            let back_ids: BTreeSet<i64> = back.iter().map(|m| m.meeting_id).collect();
            assert_eq!(back_ids, got);
            apply(&mut after, &back);
            assert_eq!(after, programme);
        }
        assert!(checked > 500, "only {checked} shifts were possible");
    }
}
