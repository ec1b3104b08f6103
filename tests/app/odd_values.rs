//! Values no form would accept, written straight into the database (old data,
//! another tool): every page and call that shows them answers, promptly and
//! without a 500; on both backends.

use std::time::Duration;

use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use reqwest::Method;

use sapar::db::schema::{
    attendee_groups, meeting_officials, meetings, travel_times, unavailability, venues, visits,
};
use sapar::services::accounts;
use sapar::services::calendars::{self, Subscriber};

use crate::support::client::{browser, sign_in, ADMIN};
use crate::support::{actor, load_demo, run_async, spawn_app, TestDb};

/// Enough cases to meet every odd value a few times, few enough to stay fast.
const CASES: usize = 16;

/// A request that takes longer than this is a hang, not a slow page.
const PATIENCE: Duration = Duration::from_secs(20);

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real day")
}

/// Days around the demo visit, and days at and past every edge.
fn odd_day() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        2 => (0u64..30).prop_map(|n| day(2026, 2, 10) + Days::new(n)),
        1 => prop::sample::select(vec![
            day(9999, 12, 31),
            day(1, 1, 1),
            day(0, 1, 1),
            day(-1, 12, 31),
            day(1999, 12, 31),
            day(2100, 1, 1),
            day(262_142, 12, 31),
            NaiveDate::MIN,
            NaiveDate::MAX,
        ]),
    ]
}

fn odd_instant() -> impl Strategy<Value = NaiveDateTime> {
    (
        odd_day(),
        prop_oneof![
            Just(NaiveTime::MIN),
            Just(NaiveTime::from_hms_opt(23, 59, 59).unwrap()),
            (0u32..24).prop_map(|h| NaiveTime::from_hms_opt(h, 30, 0).unwrap()),
        ],
    )
        .prop_map(|(d, t)| d.and_time(t))
}

fn odd_number() -> impl Strategy<Value = i32> {
    prop_oneof![
        2 => 1i32..200,
        1 => prop::sample::select(vec![0, -1, i32::MIN, i32::MAX, 1 << 30]),
    ]
}

fn odd_zone() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        3 => Just("Asia/Almaty"),
        1 => prop::sample::select(vec!["UTC", "Pacific/Kiritimati", "Mars/Olympus", "", " "]),
    ]
}

/// One set of odd values, laid over the demo visit's rows.
#[derive(Debug, Clone)]
struct Stored {
    first_day: NaiveDate,
    last_day: NaiveDate,
    visit_zone: &'static str,
    /// A meeting's start and end: possibly reversed, equal, or at the edges.
    meeting: (NaiveDateTime, NaiveDateTime),
    /// Another meeting, moved next to the first (or anywhere).
    other_meeting: (NaiveDateTime, NaiveDateTime),
    unavailable: (NaiveDateTime, NaiveDateTime),
    venue_zone: &'static str,
    capacity: Option<i32>,
    headcount: i32,
    minutes: i32,
    /// Text no day can be read from, in a day and an instant column (SQLite
    /// keeps whatever text it is given; PostgreSQL refuses it).
    unreadable: Option<&'static str>,
}

/// Two instants, the earlier first (the database refuses a meeting that ends
/// before it starts, but not one that lasts centuries).
fn span() -> impl Strategy<Value = (NaiveDateTime, NaiveDateTime)> {
    (odd_instant(), odd_instant()).prop_map(|(a, b)| (a.min(b), a.max(b)))
}

fn stored() -> impl Strategy<Value = Stored> {
    (
        (odd_day(), odd_day(), odd_zone()).prop_map(|(a, b, zone)| (a.min(b), a.max(b), zone)),
        span(),
        span(),
        span(),
        odd_zone(),
        prop::option::of(odd_number()),
        odd_number(),
        odd_number(),
    )
        .prop_map(
            |(
                (first_day, last_day, visit_zone),
                meeting,
                other_meeting,
                unavailable,
                venue_zone,
                capacity,
                headcount,
                minutes,
            )| Stored {
                first_day,
                last_day,
                visit_zone,
                meeting,
                other_meeting,
                unavailable,
                venue_zone,
                capacity,
                headcount,
                minutes,
                unreadable: None,
            },
        )
}

/// The cases once reported: a visit that runs to year 9999 with a meeting on
/// its last day (the visits page took over a minute), and spans from one
/// edge of chrono's calendar to the other.
fn known_cases() -> Vec<Stored> {
    let normal = Stored {
        first_day: day(2026, 2, 24),
        last_day: day(2026, 2, 26),
        visit_zone: "Asia/Almaty",
        meeting: (
            day(2026, 2, 25).and_hms_opt(10, 0, 0).unwrap(),
            day(2026, 2, 25).and_hms_opt(11, 0, 0).unwrap(),
        ),
        other_meeting: (
            day(2026, 2, 25).and_hms_opt(10, 30, 0).unwrap(),
            day(2026, 2, 25).and_hms_opt(12, 0, 0).unwrap(),
        ),
        unavailable: (
            day(2026, 2, 25).and_hms_opt(0, 0, 0).unwrap(),
            day(2026, 2, 26).and_hms_opt(0, 0, 0).unwrap(),
        ),
        venue_zone: "Asia/Almaty",
        capacity: Some(50),
        headcount: 10,
        minutes: 30,
        unreadable: None,
    };
    let at = |d: NaiveDate, h| d.and_hms_opt(h, 0, 0).unwrap();
    vec![
        Stored {
            last_day: day(9999, 12, 31),
            meeting: (at(day(9999, 12, 31), 10), at(day(9999, 12, 31), 11)),
            ..normal.clone()
        },
        Stored {
            first_day: NaiveDate::MIN,
            last_day: NaiveDate::MAX,
            meeting: (NaiveDate::MIN.and_time(NaiveTime::MIN), NaiveDateTime::MAX),
            other_meeting: (at(NaiveDate::MAX, 10), at(NaiveDate::MAX, 11)),
            unavailable: (NaiveDate::MIN.and_time(NaiveTime::MIN), NaiveDateTime::MAX),
            ..normal.clone()
        },
        Stored {
            first_day: day(1, 1, 1),
            last_day: day(9999, 12, 31),
            meeting: (at(day(1, 1, 1), 0), at(day(9999, 12, 31), 23)),
            capacity: Some(i32::MAX),
            headcount: i32::MAX,
            minutes: i32::MAX,
            ..normal.clone()
        },
        Stored {
            unreadable: Some(""),
            ..normal.clone()
        },
        Stored {
            unreadable: Some("soon"),
            ..normal.clone()
        },
        normal,
    ]
}

/// Writes the values over the demo's rows, one statement each. A value the
/// database itself refuses (its CHECK constraints; PostgreSQL keeps dates from
/// 4713 BC on) cannot be stored, so it cannot be shown either: that statement
/// is skipped.
fn store(db: &TestDb, visit_id: i64, values: &Stored) {
    let conn = &mut db.conn();
    let meeting_ids: Vec<i64> = meetings::table
        .filter(meetings::visit_id.eq(visit_id))
        .order(meetings::id)
        .select(meetings::id)
        .load(conn)
        .unwrap();
    let _ = diesel::update(visits::table.find(visit_id))
        .set((
            visits::first_day.eq(values.first_day),
            visits::last_day.eq(values.last_day),
        ))
        .execute(conn);
    let _ = diesel::update(visits::table.find(visit_id))
        .set(visits::timezone.eq(values.visit_zone))
        .execute(conn);
    for (id, (starts_at, ends_at)) in meeting_ids
        .iter()
        .zip([values.meeting, values.other_meeting])
    {
        let _ = diesel::update(meetings::table.find(id))
            .set((
                meetings::starts_at.eq(starts_at),
                meetings::ends_at.eq(ends_at),
            ))
            .execute(conn);
    }
    if let Some(text) = values.unreadable {
        // Raw SQL: diesel would not write text into a date column.
        let first_meeting = meeting_ids.first().copied().unwrap_or_default();
        for statement in [
            format!("UPDATE visits SET first_day = '{text}' WHERE id = {visit_id}"),
            format!("UPDATE meetings SET starts_at = '{text}' WHERE id = {first_meeting}"),
        ] {
            let _ = diesel::sql_query(statement).execute(conn);
        }
    }
    let _ = diesel::update(unavailability::table)
        .set((
            unavailability::starts_at.eq(values.unavailable.0),
            unavailability::ends_at.eq(values.unavailable.1),
        ))
        .execute(conn);
    let first_venue = venues::table
        .order(venues::id)
        .select(venues::id)
        .first::<i64>(conn)
        .unwrap();
    let _ = diesel::update(venues::table.find(first_venue))
        .set(venues::timezone.eq(values.venue_zone))
        .execute(conn);
    let _ = diesel::update(venues::table.find(first_venue))
        .set(venues::capacity.eq(values.capacity))
        .execute(conn);
    let _ = diesel::update(attendee_groups::table)
        .set(attendee_groups::headcount.eq(values.headcount))
        .execute(conn);
    let _ = diesel::update(travel_times::table)
        .set(travel_times::minutes.eq(values.minutes))
        .execute(conn);
}

/// What is wrong with the answer to `request`, if anything: no answer within
/// [`PATIENCE`], or a server error.
async fn answer_of(request: reqwest::RequestBuilder, values: &Stored) -> Option<String> {
    match request.timeout(PATIENCE).send().await {
        Err(e) => Some(format!("no answer with {values:?}: {e}")),
        Ok(answer) if answer.status().is_server_error() => {
            let status = answer.status();
            let text = answer.text().await.unwrap_or_default();
            let start: String = text.chars().take(300).collect();
            Some(format!("{status} with {values:?}: {start}"))
        }
        Ok(_) => None,
    }
}

fn stored_values_never_take_a_page_down(db: &TestDb) {
    let visit_id = load_demo(db);
    let (token, feed, official, group) = {
        let conn = &mut db.conn();
        let official = meeting_officials::table
            .select(meeting_officials::official_id)
            .first::<i64>(conn)
            .unwrap();
        let group = attendee_groups::table
            .select(attendee_groups::id)
            .first::<i64>(conn)
            .unwrap();
        let feed = calendars::create_token(conn, &actor(), Subscriber::Official(official))
            .unwrap()
            .token;
        let token = accounts::create_token(conn, &actor(), ADMIN.0).unwrap();
        (token, feed, official, group)
    };
    let meeting_id = meetings::table
        .filter(meetings::visit_id.eq(visit_id))
        .select(meetings::id)
        .first::<i64>(&mut db.conn())
        .unwrap();
    let pages = [
        "/visits".to_owned(),
        format!("/visits/{visit_id}"),
        format!("/visits/{visit_id}/edit"),
        format!("/visits/{visit_id}/itinerary"),
        format!("/visits/{visit_id}/itinerary?view=public"),
        format!("/visits/{visit_id}/itinerary?official={official}"),
        format!("/visits/{visit_id}/itinerary?group={group}"),
        format!("/visits/{visit_id}/itinerary?day=2026-02-25"),
        format!("/visits/{visit_id}/itinerary?day=9999-12-31&view=public"),
        format!("/visits/{visit_id}/calendar.ics"),
        format!("/calendar/{feed}.ics"),
        format!("/visits/{visit_id}/publish"),
        format!("/visits/{visit_id}/changelog"),
        format!("/visits/{visit_id}/audit"),
        format!("/meetings/{meeting_id}/edit"),
        format!("/meetings/{meeting_id}/late"),
        format!("/visits/{visit_id}/today"),
        format!("/visits/{visit_id}/today?official={official}&at=2026-02-25T05:00:00Z"),
        "/venues".to_owned(),
        "/groups".to_owned(),
        "/unavailability".to_owned(),
        "/travel-times".to_owned(),
    ];
    let calls = [
        (Method::GET, "/visits".to_owned()),
        (Method::GET, format!("/visits/{visit_id}")),
        (Method::GET, format!("/visits/{visit_id}/meetings")),
        (Method::GET, format!("/visits/{visit_id}/conflicts")),
        (Method::GET, format!("/meetings/{meeting_id}")),
        (Method::GET, "/venues".to_owned()),
        (Method::GET, "/groups".to_owned()),
        (Method::GET, "/unavailability".to_owned()),
        (Method::GET, "/travel-times".to_owned()),
        (Method::POST, format!("/visits/{visit_id}/publish")),
    ];

    let mut runner = TestRunner::new(Config {
        cases: CASES as u32,
        ..Config::default()
    });
    let strategy = stored();
    let cases: Vec<Stored> = known_cases()
        .into_iter()
        .chain((0..CASES).map(|_| strategy.new_tree(&mut runner).unwrap().current()))
        .collect();

    run_async(async {
        let app = spawn_app(db);
        let client = browser();
        sign_in(&client, &app.address, ADMIN.0, ADMIN.1).await;
        let mut failures = Vec::new();
        for values in &cases {
            store(db, visit_id, values);
            for path in &pages {
                let request = client.get(format!("{}{path}", app.address));
                if let Some(failure) = answer_of(request, values).await {
                    failures.push(format!("GET {path}: {failure}"));
                }
            }
            for (method, path) in &calls {
                let request = app
                    .client
                    .request(method.clone(), format!("{}/api/v1{path}", app.address))
                    .bearer_auth(&token)
                    .json(&serde_json::json!({"acknowledge_errors": true}));
                if let Some(failure) = answer_of(request, values).await {
                    failures.push(format!("{method} /api/v1{path}: {failure}"));
                }
            }
            // Running late, previewed both ways.
            for minutes in [20, -20] {
                let request = app
                    .client
                    .post(format!("{}/api/v1/visits/{visit_id}/shift", app.address))
                    .bearer_auth(&token)
                    .json(&serde_json::json!({
                        "meeting_id": meeting_id, "minutes": minutes, "preview": true
                    }));
                if let Some(failure) = answer_of(request, values).await {
                    failures.push(format!("POST shift {minutes}: {failure}"));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    });
}

crate::on_both_backends!(stored_values_never_take_a_page_down);
