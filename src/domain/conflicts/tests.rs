//! Each rule and its edges, on small programmes written by hand. Times are
//! local to Almaty (UTC+5) in February 2026 unless a test says otherwise.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::*;
use crate::domain::values::TimeRange;

pub(crate) const ALMATY: Tz = chrono_tz::Asia::Almaty;
pub(crate) const MOSCOW: Tz = chrono_tz::Europe::Moscow;
pub(crate) const VISIT: i64 = 1;

// Officials, venues, groups and participants of the fixtures.
pub(crate) const ASHIMBAYEV: i64 = 3;
pub(crate) const SERIKOVA: i64 = 4;
pub(crate) const DAIRY: i64 = 10;
pub(crate) const FRIENDSHIP_HOUSE: i64 = 11;
pub(crate) const UNIVERSITY: i64 = 12;
pub(crate) const DEPUTIES: i64 = 20;
pub(crate) const STUDENTS: i64 = 21;
pub(crate) const NURLAN: i64 = 100;
pub(crate) const AIGERIM: i64 = 101;
pub(crate) const DANIYAR: i64 = 102;

pub(crate) fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 2, d).unwrap()
}

pub(crate) fn hm(s: &str) -> NaiveTime {
    NaiveTime::parse_from_str(s, "%H:%M").unwrap()
}

/// February `d`, 2026, at `time` in `tz`.
pub(crate) fn at_in(tz: Tz, d: u32, time: &str) -> DateTime<Utc> {
    tz.from_local_datetime(&day(d).and_time(hm(time)))
        .unwrap()
        .with_timezone(&Utc)
}

pub(crate) fn at(d: u32, time: &str) -> DateTime<Utc> {
    at_in(ALMATY, d, time)
}

pub(crate) fn slot(d: u32, from: &str, to: &str) -> TimeRange {
    TimeRange::new(at(d, from), at(d, to)).unwrap()
}

/// A meeting of the visit on February 25th.
pub(crate) fn meeting(id: i64, title: &str, from: &str, to: &str) -> Meeting {
    Meeting::new(id, VISIT, title, slot(25, from, to))
}

/// A three-day visit (25–27 February) in Almaty's zone, with its people and places.
pub(crate) fn programme(meetings: Vec<Meeting>) -> Snapshot {
    Snapshot {
        meetings,
        officials: vec![
            Official::new(ASHIMBAYEV, "Ashimbayev M."),
            Official::new(SERIKOVA, "Serikova A."),
        ],
        venues: vec![
            Venue::new(DAIRY, "Dairy", ALMATY),
            Venue::new(FRIENDSHIP_HOUSE, "House of Friendship", ALMATY),
            Venue::new(UNIVERSITY, "University", ALMATY),
        ],
        groups: vec![
            Group::new(DEPUTIES, "Deputies", 12, [NURLAN, AIGERIM]),
            Group::new(STUDENTS, "Students", 30, [AIGERIM]),
        ],
        participants: vec![
            Participant::new(NURLAN, "Nurlan B."),
            Participant::new(AIGERIM, "Aigerim K."),
            Participant::new(DANIYAR, "Daniyar S."),
        ],
        visits: vec![Visit::new(VISIT, ALMATY, day(25), day(27))],
        ..Snapshot::default()
    }
}

pub(crate) fn travel(from: i64, to: i64, minutes: i32) -> TravelTime {
    TravelTime {
        from_venue_id: from,
        to_venue_id: to,
        minutes,
    }
}

fn of_kind(conflicts: &[Conflict], kind: ConflictKind) -> Vec<&Conflict> {
    conflicts.iter().filter(|c| c.kind == kind).collect()
}

/// The conflicts with their suggested slots, as a page that shows them all
/// gets them.
fn with_slots(snapshot: &Snapshot) -> Vec<Conflict> {
    let mut conflicts = find_conflicts(snapshot, None);
    suggest_slots(snapshot, &mut conflicts);
    conflicts
}

fn summary(conflicts: &[Conflict]) -> Vec<(ConflictKind, Vec<i64>, Option<Subject>)> {
    conflicts
        .iter()
        .map(|c| (c.kind, c.meeting_ids.to_vec(), c.subject))
        .collect()
}

// ---------------------------------------------------------------------------
// Double bookings

#[test]
fn touching_meetings_do_not_clash() {
    let snapshot = programme(vec![
        meeting(1, "Meeting with deputies", "09:00", "10:00")
            .at_venue(DAIRY)
            .with_officials([ASHIMBAYEV])
            .with_groups([DEPUTIES]),
        meeting(2, "Tour of the plant", "10:00", "11:00")
            .at_venue(DAIRY)
            .with_officials([ASHIMBAYEV])
            .with_groups([DEPUTIES]),
    ]);
    assert_eq!(find_conflicts(&snapshot, None), vec![]);
}

#[test]
fn overlapping_meetings_that_share_an_official_are_an_error() {
    let snapshot = programme(vec![
        meeting(1, "Meeting with deputies", "10:00", "11:00").with_officials([ASHIMBAYEV]),
        meeting(2, "University visit", "10:30", "11:30").with_officials([ASHIMBAYEV, SERIKOVA]),
    ]);
    let conflicts = find_conflicts(&snapshot, None);
    assert_eq!(
        summary(&conflicts),
        [(
            ConflictKind::OfficialDoubleBooked,
            vec![1, 2],
            Some(Subject::Official(ASHIMBAYEV))
        )]
    );
    assert_eq!(conflicts[0].severity, Severity::Error);
    assert_eq!(
        conflicts[0].details,
        ConflictDetails::Overlap {
            overlap: slot(25, "10:30", "11:00")
        }
    );
}

#[test]
fn three_overlapping_meetings_for_one_official_are_three_conflicts() {
    let snapshot = programme(vec![
        meeting(1, "A", "10:00", "12:00").with_officials([ASHIMBAYEV]),
        meeting(2, "B", "10:30", "11:30").with_officials([ASHIMBAYEV]),
        meeting(3, "C", "11:00", "12:30").with_officials([ASHIMBAYEV]),
    ]);
    let pairs: Vec<Vec<i64>> = find_conflicts(&snapshot, None)
        .into_iter()
        .map(|c| c.meeting_ids.to_vec())
        .collect();
    assert_eq!(pairs, [vec![1, 2], vec![1, 3], vec![2, 3]]);
}

#[test]
fn two_meetings_that_share_two_officials_are_two_conflicts() {
    let snapshot = programme(vec![
        meeting(1, "A", "10:00", "11:00").with_officials([ASHIMBAYEV, SERIKOVA]),
        meeting(2, "B", "10:30", "11:30").with_officials([SERIKOVA, ASHIMBAYEV]),
    ]);
    let subjects: Vec<_> = find_conflicts(&snapshot, None)
        .into_iter()
        .map(|c| c.subject)
        .collect();
    assert_eq!(
        subjects,
        [
            Some(Subject::Official(ASHIMBAYEV)),
            Some(Subject::Official(SERIKOVA))
        ]
    );
}

#[test]
fn an_official_listed_twice_in_one_meeting_does_not_clash_with_themself() {
    let snapshot = programme(vec![
        meeting(1, "A", "10:00", "11:00").with_officials([ASHIMBAYEV, ASHIMBAYEV])
    ]);
    assert_eq!(find_conflicts(&snapshot, None), vec![]);
}

#[test]
fn cancelled_meetings_never_conflict() {
    let mut snapshot = programme(vec![
        meeting(1, "A", "10:00", "11:00")
            .at_venue(DAIRY)
            .with_officials([ASHIMBAYEV]),
        meeting(2, "B", "10:30", "11:30")
            .at_venue(DAIRY)
            .with_officials([ASHIMBAYEV])
            .cancel(),
        // Outside the visit, the venue's hours and its capacity, but cancelled.
        Meeting::new(3, VISIT, "C", slot(28, "06:00", "07:00"))
            .at_venue(UNIVERSITY)
            .with_groups([STUDENTS])
            .cancel(),
    ]);
    snapshot.venues[2] = Venue::new(UNIVERSITY, "University", ALMATY)
        .open(hm("09:00"), hm("18:00"))
        .holding(5);
    snapshot.unavailability.push(Unavailability {
        who: Unavailable::Venue(UNIVERSITY),
        time: slot(28, "00:00", "12:00"),
        reason: None,
    });
    assert_eq!(find_conflicts(&snapshot, None), vec![]);
}

#[test]
fn a_shared_venue_and_a_shared_group_are_each_a_conflict() {
    let snapshot = programme(vec![
        meeting(1, "A", "10:00", "11:00")
            .at_venue(DAIRY)
            .with_groups([DEPUTIES]),
        meeting(2, "B", "10:30", "11:30")
            .at_venue(DAIRY)
            .with_groups([DEPUTIES]),
    ]);
    assert_eq!(
        summary(&find_conflicts(&snapshot, None)),
        [
            (
                ConflictKind::VenueDoubleBooked,
                vec![1, 2],
                Some(Subject::Venue(DAIRY))
            ),
            (
                ConflictKind::GroupDoubleBooked,
                vec![1, 2],
                Some(Subject::Group(DEPUTIES))
            ),
        ]
    );
}

#[test]
fn members_of_a_group_both_meetings_invite_are_covered_by_the_group_conflict() {
    // Nurlan is a deputy and is also named in person in B: still one group conflict.
    let snapshot = programme(vec![
        meeting(1, "A", "10:00", "11:00").with_groups([DEPUTIES]),
        meeting(2, "B", "10:30", "11:30")
            .with_groups([DEPUTIES])
            .with_participants([NURLAN]),
    ]);
    assert_eq!(
        summary(&find_conflicts(&snapshot, None)),
        [(
            ConflictKind::GroupDoubleBooked,
            vec![1, 2],
            Some(Subject::Group(DEPUTIES))
        )]
    );
}

#[test]
fn a_participant_invited_in_person_and_through_a_group_is_a_warning() {
    let snapshot = programme(vec![
        meeting(1, "A", "10:00", "11:00").with_groups([DEPUTIES]),
        meeting(2, "B", "10:30", "11:30").with_participants([NURLAN, DANIYAR]),
    ]);
    let conflicts = find_conflicts(&snapshot, None);
    assert_eq!(
        summary(&conflicts),
        [(
            ConflictKind::ParticipantDoubleBooked,
            vec![1, 2],
            Some(Subject::Participant(NURLAN))
        )]
    );
    assert_eq!(conflicts[0].severity, Severity::Warning);
}

#[test]
fn a_participant_reached_through_several_routes_is_reported_once_per_pair() {
    // Aigerim is a deputy and a student, and named in person in both meetings.
    let snapshot = programme(vec![
        meeting(1, "A", "10:00", "11:00")
            .with_groups([DEPUTIES])
            .with_participants([AIGERIM]),
        meeting(2, "B", "10:30", "11:30")
            .with_groups([STUDENTS])
            .with_participants([AIGERIM]),
    ]);
    assert_eq!(
        summary(&find_conflicts(&snapshot, None)),
        [(
            ConflictKind::ParticipantDoubleBooked,
            vec![1, 2],
            Some(Subject::Participant(AIGERIM))
        )]
    );
}

#[test]
fn a_participant_in_two_groups_clashes_when_the_meetings_invite_different_ones() {
    let snapshot = programme(vec![
        meeting(1, "A", "10:00", "11:00").with_groups([DEPUTIES]),
        meeting(2, "B", "10:30", "11:30").with_groups([STUDENTS]),
    ]);
    assert_eq!(
        summary(&find_conflicts(&snapshot, None)),
        [(
            ConflictKind::ParticipantDoubleBooked,
            vec![1, 2],
            Some(Subject::Participant(AIGERIM))
        )]
    );
}

#[test]
fn an_official_booked_by_two_visits_is_found_from_either_visit() {
    let mut snapshot = programme(vec![
        meeting(1, "Meeting with deputies", "10:00", "11:00").with_officials([ASHIMBAYEV]),
        Meeting::new(2, 2, "Forum in Oskemen", slot(25, "10:30", "11:30"))
            .with_officials([ASHIMBAYEV]),
        // A clash within visit 2 only.
        Meeting::new(3, 2, "Press", slot(26, "15:00", "16:00")).with_officials([SERIKOVA]),
        Meeting::new(4, 2, "Lunch", slot(26, "15:30", "16:30")).with_officials([SERIKOVA]),
    ]);
    snapshot
        .visits
        .push(Visit::new(2, ALMATY, day(24), day(27)));
    let first = find_conflicts(&snapshot, Some(VISIT));
    let second = find_conflicts(&snapshot, Some(2));
    let everything = find_conflicts(&snapshot, None);
    let ids = |c: &[Conflict]| c.iter().map(|c| c.meeting_ids.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&first), [vec![1, 2]]);
    assert_eq!(ids(&second), [vec![1, 2], vec![3, 4]]);
    assert_eq!(everything, second);
}

#[test]
fn asking_for_a_visit_without_meetings_finds_nothing() {
    let snapshot = programme(vec![
        meeting(1, "A", "10:00", "11:00").with_officials([ASHIMBAYEV]),
        meeting(2, "B", "10:30", "11:30").with_officials([ASHIMBAYEV]),
    ]);
    assert_eq!(find_conflicts(&snapshot, Some(99)), vec![]);
}

#[test]
fn sparse_and_large_ids_work_like_small_ones() {
    let (official, venue) = (9_007_199_254_740_993_i64, -42_i64);
    let snapshot = Snapshot {
        meetings: vec![
            Meeting::new(i64::MAX, 7, "A", slot(25, "10:00", "11:00"))
                .at_venue(venue)
                .with_officials([official]),
            Meeting::new(i64::MIN, 7, "B", slot(25, "10:30", "11:30"))
                .at_venue(venue)
                .with_officials([official]),
        ],
        ..Snapshot::default()
    };
    assert_eq!(
        summary(&find_conflicts(&snapshot, Some(7))),
        [
            (
                ConflictKind::OfficialDoubleBooked,
                vec![i64::MIN, i64::MAX],
                Some(Subject::Official(official))
            ),
            (
                ConflictKind::VenueDoubleBooked,
                vec![i64::MIN, i64::MAX],
                Some(Subject::Venue(venue))
            ),
        ]
    );
}

// ---------------------------------------------------------------------------
// Travel

fn two_stops(first: (&str, &str), second: (&str, &str)) -> Snapshot {
    programme(vec![
        meeting(1, "A", first.0, first.1)
            .at_venue(DAIRY)
            .with_officials([ASHIMBAYEV]),
        meeting(2, "B", second.0, second.1)
            .at_venue(FRIENDSHIP_HOUSE)
            .with_officials([ASHIMBAYEV]),
    ])
}

fn travel_details(c: &Conflict) -> (i64, i64, TravelEstimate) {
    match c.details {
        ConflictDetails::Travel {
            gap_minutes,
            needed_minutes,
            estimate,
            ..
        } => (gap_minutes, needed_minutes, estimate),
        _ => panic!("not a travel conflict: {c:?}"),
    }
}

#[test]
fn a_zero_gap_between_two_venues_is_a_travel_error() {
    let mut snapshot = two_stops(("09:00", "10:00"), ("10:00", "11:00"));
    snapshot
        .travel_times
        .push(travel(DAIRY, FRIENDSHIP_HOUSE, 25));
    let conflicts = find_conflicts(&snapshot, None);
    assert_eq!(
        summary(&conflicts),
        [(
            ConflictKind::TravelTime,
            vec![1, 2],
            Some(Subject::Official(ASHIMBAYEV))
        )]
    );
    assert_eq!(conflicts[0].severity, Severity::Error);
    assert_eq!(
        travel_details(&conflicts[0]),
        (0, 25, TravelEstimate::Explicit)
    );
}

#[test]
fn a_gap_within_the_buffer_is_a_travel_warning_and_a_longer_one_is_fine() {
    let mut snapshot = two_stops(("09:00", "10:00"), ("10:30", "11:00"));
    snapshot
        .travel_times
        .push(travel(DAIRY, FRIENDSHIP_HOUSE, 25));
    let conflicts = find_conflicts(&snapshot, None);
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].severity, Severity::Warning);
    assert_eq!(travel_details(&conflicts[0]).0, 30);

    let mut relaxed = two_stops(("09:00", "10:00"), ("10:35", "11:00"));
    relaxed
        .travel_times
        .push(travel(DAIRY, FRIENDSHIP_HOUSE, 25));
    assert_eq!(find_conflicts(&relaxed, None), vec![]);
}

#[test]
fn a_travel_time_entered_one_way_serves_the_way_back() {
    let mut snapshot = two_stops(("09:00", "10:00"), ("10:20", "11:00"));
    snapshot
        .travel_times
        .push(travel(FRIENDSHIP_HOUSE, DAIRY, 25));
    let conflicts = find_conflicts(&snapshot, None);
    assert_eq!(
        travel_details(&conflicts[0]),
        (20, 25, TravelEstimate::Explicit)
    );
}

#[test]
fn without_an_entered_time_the_transfer_is_estimated_from_the_distance() {
    // A tenth of a degree of latitude is 11.12 km: 16.7 minutes at 40 km/h,
    // rounded up to 17, plus 10 for boarding.
    let mut snapshot = two_stops(("09:00", "10:00"), ("10:00", "11:00"));
    snapshot.venues[0] = Venue::new(DAIRY, "Dairy", ALMATY).located(49.90, 82.60);
    snapshot.venues[1] =
        Venue::new(FRIENDSHIP_HOUSE, "House of Friendship", ALMATY).located(50.00, 82.60);
    let conflicts = find_conflicts(&snapshot, None);
    assert_eq!(
        travel_details(&conflicts[0]),
        (0, 27, TravelEstimate::Distance)
    );
}

#[test]
fn an_entered_time_counts_over_a_shorter_distance() {
    // 1.1 km apart (12 minutes by the distance), but the road is entered as
    // 40: a 30-minute gap is an error, a 60-minute one is fine, with or
    // without a longer entry for another way.
    let near = |gap_to: &str, longer_elsewhere: bool| {
        let mut snapshot = two_stops(("09:00", "10:00"), (gap_to, "11:30"));
        snapshot.venues[0] = Venue::new(DAIRY, "Dairy", ALMATY).located(49.99, 82.60);
        snapshot.venues[1] =
            Venue::new(FRIENDSHIP_HOUSE, "House of Friendship", ALMATY).located(50.00, 82.60);
        snapshot
            .travel_times
            .push(travel(DAIRY, FRIENDSHIP_HOUSE, 40));
        if longer_elsewhere {
            snapshot.travel_times.push(travel(DAIRY, UNIVERSITY, 90));
        }
        snapshot
    };
    for longer_elsewhere in [false, true] {
        let conflicts = find_conflicts(&near("10:30", longer_elsewhere), None);
        assert_eq!(
            travel_details(&conflicts[0]),
            (30, 40, TravelEstimate::Explicit)
        );
        assert_eq!(conflicts[0].severity, Severity::Error);
        assert_eq!(
            find_conflicts(&near("11:00", longer_elsewhere), None),
            vec![]
        );
    }
}

#[test]
fn without_a_time_or_coordinates_the_default_transfer_applies() {
    let snapshot = two_stops(("09:00", "10:00"), ("10:29", "11:00"));
    let conflicts = find_conflicts(&snapshot, None);
    assert_eq!(
        travel_details(&conflicts[0]),
        (29, 30, TravelEstimate::Default)
    );
    assert_eq!(conflicts[0].severity, Severity::Error);
}

#[test]
fn the_same_venue_needs_no_transfer() {
    let snapshot = programme(vec![
        meeting(1, "A", "09:00", "10:00")
            .at_venue(DAIRY)
            .with_officials([ASHIMBAYEV]),
        meeting(2, "B", "10:00", "11:00")
            .at_venue(DAIRY)
            .with_officials([ASHIMBAYEV]),
    ]);
    assert_eq!(find_conflicts(&snapshot, None), vec![]);
}

#[test]
fn overlapping_meetings_at_two_venues_are_a_double_booking_not_a_transfer() {
    let snapshot = two_stops(("09:00", "10:00"), ("09:30", "11:00"));
    let kinds: Vec<_> = find_conflicts(&snapshot, None)
        .into_iter()
        .map(|c| c.kind)
        .collect();
    assert_eq!(kinds, [ConflictKind::OfficialDoubleBooked]);
}

#[test]
fn a_meeting_without_a_venue_does_not_hide_the_transfer_around_it() {
    let mut snapshot = two_stops(("09:00", "10:00"), ("10:10", "11:00"));
    snapshot
        .meetings
        .push(meeting(3, "Phone call", "10:00", "10:05").with_officials([ASHIMBAYEV]));
    let travel = of_kind(&find_conflicts(&snapshot, None), ConflictKind::TravelTime)
        .into_iter()
        .map(|c| c.meeting_ids.clone())
        .collect::<Vec<_>>();
    assert_eq!(travel, [vec![1, 2]]);
}

#[test]
fn the_transfers_shown_are_the_ones_the_travel_rule_judges() {
    let mut snapshot = two_stops(("09:00", "10:00"), ("10:10", "11:00"));
    snapshot
        .meetings
        .push(meeting(3, "Phone call", "10:00", "10:05").with_officials([ASHIMBAYEV]));
    let transfers = official_transfers(&snapshot, Some(VISIT));
    let shown: Vec<_> = transfers
        .iter()
        .map(|t| {
            (
                t.official_id,
                t.from_meeting_id,
                t.to_meeting_id,
                t.too_short(),
            )
        })
        .collect();
    assert_eq!(shown, [(ASHIMBAYEV, 1, 2, true)]);
    let t = &transfers[0];
    assert_eq!((t.from_end, t.to_start), (at(25, "10:00"), at(25, "10:10")));
    assert_eq!(t.gap_minutes(), 10);

    let conflicts = find_conflicts(&snapshot, None);
    let travel = of_kind(&conflicts, ConflictKind::TravelTime);
    assert_eq!(travel.len(), 1);
    assert_eq!(
        travel[0].details,
        ConflictDetails::Travel {
            from_venue_id: t.from_venue_id,
            to_venue_id: t.to_venue_id,
            gap_minutes: t.gap_minutes(),
            needed_minutes: t.needed_minutes,
            buffer_minutes: snapshot.settings.warning_buffer_minutes,
            estimate: t.estimate,
        }
    );

    // A transfer with time to spare is still one to draw, though no conflict.
    let relaxed = two_stops(("09:00", "10:00"), ("13:00", "14:00"));
    assert_eq!(find_conflicts(&relaxed, None), vec![]);
    let transfers = official_transfers(&relaxed, None);
    assert_eq!(transfers.len(), 1);
    assert!(!transfers[0].too_short());
}

#[test]
fn a_group_that_moves_between_venues_needs_its_transfer_too() {
    let snapshot = programme(vec![
        meeting(1, "A", "09:00", "10:00")
            .at_venue(DAIRY)
            .with_groups([DEPUTIES]),
        meeting(2, "B", "10:10", "11:00")
            .at_venue(FRIENDSHIP_HOUSE)
            .with_groups([DEPUTIES]),
    ]);
    assert_eq!(
        summary(&find_conflicts(&snapshot, None)),
        [(
            ConflictKind::TravelTime,
            vec![1, 2],
            Some(Subject::Group(DEPUTIES))
        )]
    );
}

// ---------------------------------------------------------------------------
// Venue hours, capacity, visit dates

#[test]
fn a_venue_in_moscow_keeps_its_hours_in_its_own_zone() {
    // Moscow is two hours behind Almaty: 09:00–18:00 there is 11:00–20:00 here.
    let mut snapshot = programme(vec![
        meeting(1, "Too early for Moscow", "10:00", "11:00").at_venue(UNIVERSITY),
        meeting(2, "Fine", "11:00", "12:00").at_venue(UNIVERSITY),
        meeting(3, "Runs late", "19:30", "20:30").at_venue(UNIVERSITY),
    ]);
    snapshot.venues[2] =
        Venue::new(UNIVERSITY, "Moscow State University", MOSCOW).open(hm("09:00"), hm("18:00"));
    let conflicts = find_conflicts(&snapshot, None);
    assert_eq!(
        summary(&conflicts),
        [
            (
                ConflictKind::OutsideVenueHours,
                vec![1],
                Some(Subject::Venue(UNIVERSITY))
            ),
            (
                ConflictKind::OutsideVenueHours,
                vec![3],
                Some(Subject::Venue(UNIVERSITY))
            ),
        ]
    );
    assert_eq!(conflicts[0].severity, Severity::Warning);
    // The message shows Moscow time, where the hours are.
    assert_eq!(Lookup::new(&snapshot).shown(1).zone, MOSCOW);
}

#[test]
fn visit_dates_are_checked_in_the_visit_zone_even_at_a_venue_elsewhere() {
    // 01:00 in Almaty on the 25th is still the 24th in Moscow: inside the visit.
    // 00:30 on the 28th in Almaty is the 27th in Moscow: outside it.
    let mut snapshot = programme(vec![
        Meeting::new(1, VISIT, "Early", slot(25, "01:00", "02:00")).at_venue(UNIVERSITY),
        Meeting::new(2, VISIT, "Late", slot(28, "00:30", "01:30")).at_venue(UNIVERSITY),
    ]);
    snapshot.venues[2] = Venue::new(UNIVERSITY, "Moscow State University", MOSCOW);
    assert_eq!(
        summary(&find_conflicts(&snapshot, None)),
        [(
            ConflictKind::OutsideVisitDates,
            vec![2],
            Some(Subject::Venue(UNIVERSITY))
        )]
    );
}

#[test]
fn a_meeting_across_midnight_is_outside_hours_unless_they_cover_it() {
    let late = |id, venue| {
        Meeting::new(
            id,
            VISIT,
            "Reception",
            TimeRange::new(at(25, "22:30"), at(26, "00:30")).unwrap(),
        )
        .at_venue(venue)
    };
    let mut snapshot = programme(vec![
        late(1, DAIRY),
        late(2, FRIENDSHIP_HOUSE),
        meeting(3, "After midnight", "01:00", "01:30").at_venue(FRIENDSHIP_HOUSE),
        meeting(4, "Too late even for the club", "03:00", "04:00").at_venue(FRIENDSHIP_HOUSE),
    ]);
    snapshot.venues[0] = Venue::new(DAIRY, "Dairy", ALMATY).open(hm("08:00"), hm("23:00"));
    // Open 18:00 to 02:00 the next morning.
    snapshot.venues[1] =
        Venue::new(FRIENDSHIP_HOUSE, "House of Friendship", ALMATY).open(hm("18:00"), hm("02:00"));
    let outside: Vec<_> = of_kind(
        &find_conflicts(&snapshot, None),
        ConflictKind::OutsideVenueHours,
    )
    .into_iter()
    .map(|c| c.meeting_ids.clone())
    .collect();
    assert_eq!(outside, [vec![4], vec![1]]);
}

#[test]
fn a_multi_day_visit_accepts_each_of_its_days_and_midnight_after_the_last() {
    let snapshot = programme(vec![
        Meeting::new(1, VISIT, "First day", slot(25, "00:00", "01:00"))
            .with_officials([ASHIMBAYEV]),
        Meeting::new(2, VISIT, "Second day", slot(26, "10:00", "11:00")),
        Meeting::new(
            3,
            VISIT,
            "Until midnight",
            TimeRange::new(at(27, "23:00"), at(28, "00:00")).unwrap(),
        ),
        Meeting::new(
            4,
            VISIT,
            "Past midnight",
            TimeRange::new(at(27, "23:30"), at(28, "00:30")).unwrap(),
        )
        .with_groups([STUDENTS, DEPUTIES]),
        Meeting::new(5, VISIT, "The day before", slot(24, "23:00", "23:59"))
            .with_officials([SERIKOVA, ASHIMBAYEV]),
        Meeting::new(6, VISIT, "Nobody", slot(28, "10:00", "11:00")),
    ]);
    let conflicts = with_slots(&snapshot);
    assert_eq!(
        summary(&conflicts),
        [
            (
                ConflictKind::OutsideVisitDates,
                vec![5],
                Some(Subject::Official(ASHIMBAYEV))
            ),
            (
                ConflictKind::OutsideVisitDates,
                vec![4],
                Some(Subject::Group(DEPUTIES))
            ),
            (ConflictKind::OutsideVisitDates, vec![6], None),
        ]
    );
    assert!(conflicts
        .iter()
        .all(|c| c.is_error() && c.suggestion.is_none()));
}

#[test]
fn capacity_counts_groups_people_outside_them_and_officials() {
    // Deputies (12) + Daniyar (Nurlan is a deputy already) + two officials = 15.
    let at_university = |capacity| {
        let mut snapshot = programme(vec![meeting(1, "Round table", "10:00", "11:00")
            .at_venue(UNIVERSITY)
            .with_officials([ASHIMBAYEV, SERIKOVA])
            .with_groups([DEPUTIES])
            .with_participants([NURLAN, DANIYAR])]);
        snapshot.venues[2] = Venue::new(UNIVERSITY, "University", ALMATY).holding(capacity);
        with_slots(&snapshot)
    };
    assert_eq!(at_university(15), vec![]);
    let conflicts = at_university(14);
    assert_eq!(
        summary(&conflicts),
        [(
            ConflictKind::OverCapacity,
            vec![1],
            Some(Subject::Venue(UNIVERSITY))
        )]
    );
    assert_eq!(
        conflicts[0].details,
        ConflictDetails::Capacity {
            expected: 15,
            capacity: 14
        }
    );
    assert_eq!(conflicts[0].suggestion, None);
}

// ---------------------------------------------------------------------------
// Unavailability and breaks

#[test]
fn a_meeting_inside_an_unavailability_window_is_an_error_and_touching_one_is_not() {
    let mut snapshot = programme(vec![
        meeting(1, "A", "09:00", "10:00")
            .at_venue(DAIRY)
            .with_officials([ASHIMBAYEV]),
        meeting(2, "B", "11:30", "12:30")
            .at_venue(DAIRY)
            .with_officials([ASHIMBAYEV]),
        meeting(3, "C", "14:00", "15:00")
            .at_venue(DAIRY)
            .with_officials([SERIKOVA]),
    ]);
    snapshot.venues[0] = Venue::new(DAIRY, "Dairy", ALMATY).open(hm("09:00"), hm("18:00"));
    snapshot.unavailability = vec![
        Unavailability {
            who: Unavailable::Official(ASHIMBAYEV),
            time: slot(25, "10:00", "12:00"),
            reason: Some("Flight".into()),
        },
        Unavailability {
            who: Unavailable::Venue(DAIRY),
            time: slot(25, "14:30", "18:00"),
            reason: None,
        },
    ];
    let conflicts = with_slots(&snapshot);
    assert_eq!(
        summary(&conflicts),
        [
            (
                ConflictKind::OfficialUnavailable,
                vec![2],
                Some(Subject::Official(ASHIMBAYEV))
            ),
            (
                ConflictKind::VenueUnavailable,
                vec![3],
                Some(Subject::Venue(DAIRY))
            ),
        ]
    );
    assert!(conflicts.iter().all(Conflict::is_error));
    // B moves to just after the window; C to the first hour the venue is free.
    assert_eq!(conflicts[0].suggestion, Some(slot(25, "12:00", "13:00")));
    assert_eq!(conflicts[1].suggestion, Some(slot(25, "10:00", "11:00")));
}

#[test]
fn more_than_four_hours_without_a_half_hour_break_is_one_warning_per_stretch() {
    let day_of = |last_gap_start: &str| {
        programme(vec![
            meeting(1, "A", "09:00", "10:00").with_officials([ASHIMBAYEV]),
            meeting(2, "B", "10:20", "11:30").with_officials([ASHIMBAYEV]),
            meeting(3, "C", "11:50", "13:00").with_officials([ASHIMBAYEV]),
            meeting(4, "D", last_gap_start, "13:40").with_officials([ASHIMBAYEV]),
        ])
    };
    let conflicts = with_slots(&day_of("13:10"));
    assert_eq!(
        summary(&conflicts),
        [(
            ConflictKind::NoBreak,
            vec![1, 2, 3, 4],
            Some(Subject::Official(ASHIMBAYEV))
        )]
    );
    assert_eq!(conflicts[0].severity, Severity::Warning);
    // A thirty-minute gap is a break: 09:00–13:00 is exactly four hours.
    assert_eq!(with_slots(&day_of("13:30")), vec![]);
}

// ---------------------------------------------------------------------------
// Suggestions

#[test]
fn the_suggestion_is_the_first_free_slot_of_the_day_for_the_later_meeting() {
    let mut snapshot = programme(vec![
        meeting(1, "A", "09:00", "10:00")
            .at_venue(DAIRY)
            .with_officials([ASHIMBAYEV]),
        meeting(2, "B", "10:00", "11:00")
            .at_venue(DAIRY)
            .with_officials([ASHIMBAYEV]),
        meeting(3, "C", "10:30", "11:30")
            .at_venue(DAIRY)
            .with_officials([ASHIMBAYEV]),
    ]);
    snapshot.venues[0] = Venue::new(DAIRY, "Dairy", ALMATY).open(hm("09:00"), hm("18:00"));
    let conflicts = with_slots(&snapshot);
    let official = of_kind(&conflicts, ConflictKind::OfficialDoubleBooked);
    assert_eq!(official[0].meeting_ids, [2, 3]);
    assert_eq!(official[0].suggestion, Some(slot(25, "11:00", "12:00")));
}

#[test]
fn the_suggestion_leaves_time_for_the_transfer() {
    // B must start 25 minutes of road and 10 of buffer after A ends at 10:00.
    let mut snapshot = two_stops(("09:00", "10:00"), ("10:00", "11:00"));
    snapshot
        .travel_times
        .push(travel(DAIRY, FRIENDSHIP_HOUSE, 25));
    snapshot.venues[1] =
        Venue::new(FRIENDSHIP_HOUSE, "House of Friendship", ALMATY).open(hm("09:00"), hm("18:00"));
    let conflicts = with_slots(&snapshot);
    assert_eq!(conflicts[0].suggestion, Some(slot(25, "10:35", "11:35")));

    // With the venue open from 07:00, B fits before A, its transfer included.
    snapshot.venues[1] =
        Venue::new(FRIENDSHIP_HOUSE, "House of Friendship", ALMATY).open(hm("07:00"), hm("18:00"));
    let conflicts = with_slots(&snapshot);
    assert_eq!(conflicts[0].suggestion, Some(slot(25, "07:00", "08:00")));
}

#[test]
fn the_suggestion_leaves_time_for_a_long_transfer_from_the_evening_before() {
    // The evening before (day 25, a visit day), a dinner at the House of
    // Friendship ends at 22:00; the road to the dairy takes 12 hours.
    let evening = Meeting::new(1, VISIT, "Dinner", slot(25, "21:00", "22:00"))
        .at_venue(FRIENDSHIP_HOUSE)
        .with_officials([ASHIMBAYEV]);
    let morning = |id, from, to| {
        Meeting::new(id, VISIT, "Tour", slot(26, from, to))
            .at_venue(DAIRY)
            .with_officials([ASHIMBAYEV])
    };
    let mut snapshot = programme(vec![
        evening,
        morning(2, "11:30", "12:30"),
        morning(3, "12:00", "13:00"),
    ]);
    snapshot
        .travel_times
        .push(travel(FRIENDSHIP_HOUSE, DAIRY, 12 * 60));
    let conflicts = with_slots(&snapshot);
    let official = of_kind(&conflicts, ConflictKind::OfficialDoubleBooked);
    // 22:00 + 12 h of road + 10 min of buffer.
    assert_eq!(official[0].suggestion, Some(slot(26, "10:10", "11:10")));

    // A venue some 3,000 km away (Moscow) the evening before: no slot that day.
    let mut far = programme(vec![
        Meeting::new(1, VISIT, "Dinner", slot(25, "21:00", "22:00"))
            .at_venue(FRIENDSHIP_HOUSE)
            .with_officials([ASHIMBAYEV]),
        morning(2, "11:00", "12:00"),
        morning(3, "11:30", "12:30"),
    ]);
    far.venues[0] = Venue::new(DAIRY, "Dairy", ALMATY).located(49.95, 82.61);
    far.venues[1] =
        Venue::new(FRIENDSHIP_HOUSE, "House of Friendship", MOSCOW).located(55.75, 37.62);
    let conflicts = with_slots(&far);
    let official = of_kind(&conflicts, ConflictKind::OfficialDoubleBooked);
    assert_eq!(official[0].suggestion, None);
}

#[test]
fn a_full_day_has_no_suggestion() {
    let mut snapshot = programme(vec![
        meeting(1, "A", "09:00", "11:00").at_venue(DAIRY),
        meeting(2, "B", "09:00", "11:00").at_venue(DAIRY),
    ]);
    snapshot.venues[0] = Venue::new(DAIRY, "Dairy", ALMATY).open(hm("09:00"), hm("11:00"));
    let conflicts = with_slots(&snapshot);
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].suggestion, None);
}

#[test]
fn suggestions_can_be_kept_to_working_hours() {
    let snapshot = programme(vec![
        meeting(1, "A", "09:00", "10:00").with_officials([ASHIMBAYEV]),
        meeting(2, "B", "09:30", "10:30").with_officials([ASHIMBAYEV]),
    ])
    .with_settings(EngineSettings {
        suggestion_hours: Some(OpeningHours {
            opens: hm("08:00"),
            closes: hm("20:00"),
        }),
        ..EngineSettings::default()
    });
    let conflicts = with_slots(&snapshot);
    assert_eq!(conflicts[0].suggestion, Some(slot(25, "08:00", "09:00")));
}

#[test]
fn the_suggestion_for_a_venue_outside_its_hours_is_its_opening() {
    let mut snapshot = programme(vec![meeting(1, "A", "07:00", "08:00").at_venue(DAIRY)]);
    snapshot.venues[0] = Venue::new(DAIRY, "Dairy", ALMATY).open(hm("09:00"), hm("18:00"));
    let conflicts = with_slots(&snapshot);
    assert_eq!(conflicts[0].kind, ConflictKind::OutsideVenueHours);
    assert_eq!(conflicts[0].suggestion, Some(slot(25, "09:00", "10:00")));
}

#[test]
fn slots_are_worked_out_only_for_the_conflicts_asked_about() {
    let snapshot = programme(vec![
        meeting(1, "A", "10:00", "11:00").with_officials([ASHIMBAYEV]),
        meeting(2, "B", "10:30", "11:30").with_officials([ASHIMBAYEV]),
        meeting(3, "C", "14:00", "15:00").with_officials([SERIKOVA]),
        meeting(4, "D", "14:30", "15:30").with_officials([SERIKOVA]),
    ]);
    let mut conflicts = find_conflicts(&snapshot, None);
    assert_eq!(conflicts.len(), 2);
    assert!(conflicts.iter().all(|c| c.suggestion.is_none()));
    suggest_slots(&snapshot, &mut conflicts[1..]);
    assert_eq!(conflicts[0].suggestion, None);
    // D moves to the first free hour of the day.
    assert_eq!(conflicts[1].suggestion, Some(slot(25, "00:00", "01:00")));
}

// ---------------------------------------------------------------------------
// Order, JSON and messages

#[test]
fn conflicts_come_by_first_meeting_then_kind() {
    let mut snapshot = programme(vec![
        meeting(5, "Late clash", "15:00", "16:00").with_officials([SERIKOVA]),
        meeting(6, "Late clash too", "15:30", "16:30").with_officials([SERIKOVA]),
        meeting(1, "A", "09:00", "10:00")
            .at_venue(DAIRY)
            .with_officials([ASHIMBAYEV]),
        meeting(2, "B", "09:30", "11:00")
            .at_venue(DAIRY)
            .with_officials([ASHIMBAYEV]),
    ]);
    snapshot.venues[0] = Venue::new(DAIRY, "Dairy", ALMATY).open(hm("09:15"), hm("18:00"));
    let order: Vec<_> = find_conflicts(&snapshot, None)
        .into_iter()
        .map(|c| (c.kind, c.meeting_ids.to_vec()))
        .collect();
    assert_eq!(
        order,
        [
            (ConflictKind::OfficialDoubleBooked, vec![1, 2]),
            (ConflictKind::VenueDoubleBooked, vec![1, 2]),
            (ConflictKind::OutsideVenueHours, vec![1]),
            (ConflictKind::OfficialDoubleBooked, vec![5, 6]),
        ]
    );
}

#[test]
fn a_conflict_serializes_as_the_contract_says() {
    let snapshot = programme(vec![
        meeting(1, "A", "10:00", "11:00").with_officials([ASHIMBAYEV]),
        meeting(2, "B", "10:30", "11:30").with_officials([ASHIMBAYEV]),
    ]);
    let conflicts = with_slots(&snapshot);
    let json = serde_json::to_value(&conflicts[0]).unwrap();
    assert_eq!(json["kind"], "official_double_booked");
    assert_eq!(json["severity"], "error");
    assert_eq!(json["meeting_ids"], serde_json::json!([1, 2]));
    assert_eq!(
        json["subject"],
        serde_json::json!({"type": "official", "id": 3})
    );
    assert_eq!(
        json["suggestion"],
        // Midnight in Almaty, the first free hour of the day.
        serde_json::json!({"starts_at": "2026-02-24T19:00:00Z", "ends_at": "2026-02-24T20:00:00Z"})
    );
    for kind in ConflictKind::ALL {
        assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
    }
}

/// A year of a large office, drawn at random but the same every run: enough
/// meetings for the engine to share its work between two threads.
fn large_office(meetings: usize) -> Snapshot {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut below = |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    let mut snapshot = Snapshot::new();
    snapshot.venues = (0..120)
        .map(|v| {
            let venue = Venue::new(v, format!("Venue {v}"), ALMATY).holding(30);
            match v % 4 {
                0 => venue,
                1 => venue.open(hm("08:00"), hm("20:00")),
                _ => venue.located(49.9 + (v % 7) as f64 * 0.01, 82.6 + (v % 5) as f64 * 0.01),
            }
        })
        .collect();
    snapshot.groups = (0..300)
        .map(|g| {
            Group::new(
                g,
                format!("Group {g}"),
                10,
                (0..4).map(|_| below(2_000) as i64),
            )
        })
        .collect();
    snapshot.visits = (0..400)
        .map(|v| {
            Visit::new(
                v,
                ALMATY,
                day(1) + chrono::Days::new(v as u64),
                day(1) + chrono::Days::new(v as u64 + 2),
            )
        })
        .collect();
    snapshot.travel_times = (0..200)
        .map(|_| travel(below(120) as i64, below(120) as i64, below(60) as i32))
        .collect();
    snapshot.meetings = (0..meetings)
        .map(|i| {
            let visit = below(400) as i64;
            let start = at(1, "08:00")
                + chrono::Duration::days(visit + below(3) as i64)
                + chrono::Duration::minutes(5 * below(150) as i64);
            let time = TimeRange::new(
                start,
                start + chrono::Duration::minutes(15 * (1 + below(8) as i64)),
            )
            .unwrap();
            let mut m = Meeting::new(i as i64, visit, format!("Meeting {i}"), time)
                .with_officials((0..below(3)).map(|_| below(300) as i64))
                .with_groups((0..below(2)).map(|_| below(300) as i64))
                .with_participants((0..below(2)).map(|_| below(2_000) as i64));
            if below(10) > 0 {
                m = m.at_venue(below(120) as i64);
            }
            m.cancelled = below(40) == 0;
            m
        })
        .collect();
    snapshot.unavailability = (0..100)
        .map(|n| {
            let start = at(1, "09:00") + chrono::Duration::days(below(400) as i64);
            Unavailability {
                who: if n % 3 == 0 {
                    Unavailable::Venue(below(120) as i64)
                } else {
                    Unavailable::Official(below(300) as i64)
                },
                time: TimeRange::new(start, start + chrono::Duration::hours(3)).unwrap(),
                reason: None,
            }
        })
        .collect();
    snapshot
}

#[test]
fn two_threads_find_exactly_what_one_finds() {
    let snapshot = large_office(25_000.max(index::PARALLEL_FROM + 1_000));
    let one = engine::find(&snapshot, None, false);
    assert!(one.len() > 1_000, "a busy office: {} conflicts", one.len());
    assert_eq!(engine::find(&snapshot, None, true), one);
    assert_eq!(
        engine::find(&snapshot, Some(7), true),
        engine::find(&snapshot, Some(7), false)
    );
}

#[test]
fn a_conflicts_meetings_read_as_a_list_however_they_are_kept() {
    let pair = MeetingIds::two(1, 2);
    let stretch = MeetingIds::from(vec![1, 2, 3]);
    assert_eq!(pair, MeetingIds::from(vec![1, 2]));
    assert_eq!(pair, [1, 2]);
    assert_eq!(stretch, vec![1, 2, 3]);
    assert_eq!(MeetingIds::one(7).len(), 1);
    assert!(pair < stretch && MeetingIds::one(2) > stretch);
    assert!(pair.contains(&2) && !pair.contains(&0));
    assert_eq!(format!("{stretch:?}"), "[1, 2, 3]");
    assert_eq!(
        serde_json::to_value(&stretch).unwrap(),
        serde_json::json!([1, 2, 3])
    );
    assert!(MeetingIds::from(Vec::new()).is_empty());
}
