//! What the pages ask of the database, watched through diesel's
//! instrumentation on both backends: the same number of statements whatever
//! the office's size (no query per row), and, on SQLite, a plan for each that
//! reads the growing tables through an index rather than whole.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Days, FixedOffset, NaiveDate, Utc};
use diesel::connection::InstrumentationEvent;
use diesel::prelude::*;
use diesel::sql_types::Text;

use sapar::db::DbConn;
use sapar::domain::conflicts::EngineSettings;
use sapar::domain::itinerary::{Audience, Filter};
use sapar::domain::model::{
    GroupInput, MeetingInput, OfficialInput, ParticipantInput, VenueInput, VisitInput,
};
use sapar::services::catalogue::{groups, officials, participants, unavailability, venues};
use sapar::services::programme::{meetings, visits};
use sapar::services::{conflicts, itinerary, programme, publishing, visit_list, ListQuery};

use crate::support::{actor, Backend, TestDb};

/// Statements as diesel sends them (placeholders, not values).
type Log = Arc<Mutex<Vec<String>>>;

fn watch(conn: &mut DbConn) -> Log {
    let log = Log::default();
    let sink = log.clone();
    conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            let text = query.to_string();
            let sql = text.split(" -- binds:").next().unwrap_or(&text).trim();
            sink.lock().unwrap().push(sql.to_owned());
        }
    });
    log
}

/// Adds one visit's worth of office: two officials, a venue, a group of three
/// participants, and a visit `round` days from today with four meetings of
/// both officials, the group and one participant, two of them clashing.
fn grow(conn: &mut DbConn, round: u64) -> i64 {
    let actor = actor();
    let official_ids: Vec<i64> = (0..2)
        .map(|k| {
            officials::create(
                conn,
                &actor,
                &OfficialInput {
                    full_name: Some(format!("Должностное лицо {round}-{k}")),
                    ..Default::default()
                },
            )
            .unwrap()
            .id
        })
        .collect();
    let venue_id = venues::create(
        conn,
        &actor,
        &VenueInput {
            name: Some(format!("Площадка {round}")),
            timezone: Some("Asia/Almaty".into()),
            capacity: Some(10),
            opens: Some("09:00".into()),
            closes: Some("18:00".into()),
            ..Default::default()
        },
    )
    .unwrap()
    .id;
    let participant_ids: Vec<i64> = (0..3)
        .map(|k| {
            participants::create(
                conn,
                &actor,
                &ParticipantInput {
                    full_name: Some(format!("Участник {round}-{k}")),
                    ..Default::default()
                },
            )
            .unwrap()
            .row
            .id
        })
        .collect();
    let group_id = groups::create(
        conn,
        &actor,
        &GroupInput {
            name: Some(format!("Группа {round}")),
            headcount: Some(12),
            participant_ids: participant_ids.clone(),
            ..Default::default()
        },
    )
    .unwrap()
    .row
    .id;
    let day: NaiveDate = Utc::now().date_naive() + Days::new(round);
    let visit_id = visits::create(
        conn,
        &actor,
        &VisitInput {
            title: Some(format!("Рабочая поездка {round}")),
            region: Some("Область".into()),
            timezone: Some("Asia/Almaty".into()),
            first_day: Some(day),
            last_day: Some(day),
            official_ids: official_ids.clone(),
            ..Default::default()
        },
    )
    .unwrap()
    .row
    .id;
    let zone = FixedOffset::east_opt(5 * 3600).unwrap();
    for (hour, minutes) in [(9, 60), (10, 90), (11, 60), (14, 60)] {
        let start: DateTime<FixedOffset> = day
            .and_hms_opt(hour, 0, 0)
            .unwrap()
            .and_local_timezone(zone)
            .unwrap();
        meetings::create(
            conn,
            &actor,
            visit_id,
            &MeetingInput {
                title: Some(format!("Встреча {round} в {hour}")),
                starts_at: Some(start),
                ends_at: Some(start + chrono::Duration::minutes(minutes)),
                venue_id: Some(venue_id),
                official_ids: official_ids.clone(),
                group_ids: vec![group_id],
                participant_ids: vec![participant_ids[0]],
                ..Default::default()
            },
        )
        .unwrap();
    }
    visit_id
}

/// The statements each page's use cases send, by page.
fn statements(conn: &mut DbConn, visit_id: i64) -> BTreeMap<&'static str, Vec<String>> {
    let settings = EngineSettings::default;
    let today = Utc::now().date_naive();
    let searched = ListQuery {
        q: Some("1".into()),
        ..ListQuery::default()
    };
    let log = watch(conn);
    let mut by_page = BTreeMap::new();
    let mut take = |page: &'static str| {
        by_page.insert(page, std::mem::take(&mut *log.lock().unwrap()));
    };
    visit_list::load(conn, "", 1, today, settings()).unwrap();
    take("/visits");
    visit_list::load(conn, "поездка 1", 1, today, settings()).unwrap();
    take("/visits?q=");
    programme::load(conn, visit_id, settings()).unwrap();
    take("/visits/{id}");
    conflicts::of_visit(conn, visit_id, settings()).unwrap();
    take("/api/v1/visits/{id}/conflicts");
    let filter = Filter::default();
    itinerary::of_visit(conn, visit_id, &filter, Audience::Internal, &settings()).unwrap();
    take("/visits/{id}/itinerary");
    let visit = visits::get(conn, visit_id).unwrap();
    publishing::snapshot_now(conn, &visit).unwrap();
    take("/visits/{id}/publish");
    for (page, query) in [("", ListQuery::default()), ("?q=", searched)] {
        officials::page(conn, &query).unwrap();
        take(if page.is_empty() {
            "/officials"
        } else {
            "/officials?q="
        });
        venues::page(conn, &query).unwrap();
        take(if page.is_empty() {
            "/venues"
        } else {
            "/venues?q="
        });
        groups::page(conn, &query).unwrap();
        take(if page.is_empty() {
            "/groups"
        } else {
            "/groups?q="
        });
        participants::page(conn, &query).unwrap();
        take(if page.is_empty() {
            "/participants"
        } else {
            "/participants?q="
        });
        unavailability::page(conn, &query).unwrap();
        take(if page.is_empty() {
            "/unavailability"
        } else {
            "/unavailability?q="
        });
    }
    conn.set_instrumentation(diesel::connection::get_default_instrumentation());
    by_page
}

fn the_pages_send_as_many_statements_for_a_large_office_as_for_a_small_one(db: &TestDb) {
    let conn = &mut db.fresh_connection();
    let first = grow(conn, 1);
    let small = statements(conn, first);
    for round in 2..=12 {
        grow(conn, round);
    }
    let large = statements(conn, first);
    for (page, sent) in &small {
        assert!(!sent.is_empty(), "{page} reads something");
        assert_eq!(
            sent.len(),
            large[page].len(),
            "{page}: {sent:#?} against {:#?}",
            large[page]
        );
    }
}

#[derive(QueryableByName)]
struct PlanStep {
    #[diesel(sql_type = Text)]
    detail: String,
}

/// The tables that grow with the office's years; the rest (users, settings)
/// stay small.
const GROWING: [&str; 12] = [
    "meetings",
    "meeting_officials",
    "meeting_groups",
    "meeting_participants",
    "group_members",
    "visit_officials",
    "visits",
    "officials",
    "participants",
    "attendee_groups",
    "venues",
    "unavailability",
];

/// SQLite reads no growing table whole: every step over one searches an
/// index, or walks one for a page that `LIMIT` ends (a search inside names
/// has no index to use, and says so in its `LIKE`).
#[test]
fn sqlite_reads_growing_tables_through_indexes() {
    let db = TestDb::new(Backend::Sqlite).expect("SQLite is always available");
    let conn = &mut db.fresh_connection();
    let first = grow(conn, 1);
    for round in 2..=4 {
        grow(conn, round);
    }
    let mut full_reads = Vec::new();
    for (page, sent) in statements(conn, first) {
        for sql in sent {
            let plan: Vec<PlanStep> = diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
                .load(conn)
                .unwrap_or_else(|e| panic!("{page}: {e}: {sql}"));
            for step in plan {
                // A scan in an index's order is a whole read too, unless a
                // `LIMIT` stops it after a page.
                let whole = GROWING.iter().any(|table| {
                    step.detail == format!("SCAN {table}")
                        || step.detail.starts_with(&format!("SCAN {table} "))
                            && (!step.detail.contains("INDEX") || !sql.contains(" LIMIT "))
                });
                // Counting a whole table reads its smallest index, the least
                // a total can cost.
                let count_of_all =
                    sql.starts_with("SELECT COUNT(*) FROM") && !sql.contains("WHERE");
                if whole && !sql.contains(" LIKE ") && !count_of_all {
                    full_reads.push(format!("{page}: {}\n    {sql}", step.detail));
                }
            }
        }
    }
    assert!(full_reads.is_empty(), "{}", full_reads.join("\n"));
}

/// The search for the meetings near a visit looks back as far as the longest
/// meeting stored lasts: a five-day item begun before the visit's stretch
/// still clashes with it.
fn a_meeting_begun_days_before_a_visit_still_clashes_with_it(db: &TestDb) {
    let conn = &mut db.fresh_connection();
    let actor = actor();
    let official = officials::create(
        conn,
        &actor,
        &OfficialInput {
            full_name: Some("Ашимбаев М. С.".into()),
            ..Default::default()
        },
    )
    .unwrap()
    .id;
    let day = Utc::now().date_naive() + Days::new(30);
    let zone = FixedOffset::east_opt(5 * 3600).unwrap();
    let at = |day: NaiveDate, hour: u32| {
        day.and_hms_opt(hour, 0, 0)
            .unwrap()
            .and_local_timezone(zone)
            .unwrap()
    };
    let visit = |conn: &mut DbConn, title: &str, first: NaiveDate| {
        visits::create(
            conn,
            &actor,
            &VisitInput {
                title: Some(title.into()),
                timezone: Some("Asia/Almaty".into()),
                first_day: Some(first),
                last_day: Some(day),
                official_ids: vec![official],
                ..Default::default()
            },
        )
        .unwrap()
        .row
        .id
    };
    let long = visit(conn, "Долгая", day - Days::new(5));
    let short = visit(conn, "Короткая", day);
    for (visit_id, starts, ends) in [
        (long, at(day - Days::new(5), 9), at(day, 18)),
        (short, at(day, 10), at(day, 11)),
    ] {
        meetings::create(
            conn,
            &actor,
            visit_id,
            &MeetingInput {
                title: Some("Встреча".into()),
                starts_at: Some(starts),
                ends_at: Some(ends),
                official_ids: vec![official],
                ..Default::default()
            },
        )
        .unwrap();
    }
    let found = conflicts::of_visit(conn, short, EngineSettings::default()).unwrap();
    assert!(
        found
            .conflicts
            .iter()
            .any(|c| c.kind.as_str() == "official_double_booked"),
        "{:?}",
        found.conflicts
    );
}

crate::on_both_backends!(
    the_pages_send_as_many_statements_for_a_large_office_as_for_a_small_one,
    a_meeting_begun_days_before_a_visit_still_clashes_with_it,
);
