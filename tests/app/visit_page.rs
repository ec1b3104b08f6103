//! The programme page of a large visit, over real HTTP on both backends: one
//! day's timeline and meetings at a time with links to the others, and the
//! conflicts as one card per clash, filtered by day and severity, the first 50
//! shown and the rest behind a link.

use chrono::{DateTime, NaiveDate};
use sapar::domain::conflicts::{group_clashes, ConflictKind, EngineSettings, Lookup};
use sapar::domain::model::{MeetingInput, OfficialInput, VisitInput};
use sapar::domain::Language;
use sapar::services::catalogue::officials;
use sapar::services::conflicts as conflict_service;
use sapar::services::demo;
use sapar::services::programme::{meetings, visits};

use crate::support::client::{browser, sign_in, ADMIN};
use crate::support::{actor, run_async, spawn_app, TestDb};

/// The pages at `paths`, as the admin sees them.
fn page(db: &TestDb, paths: &[String]) -> Vec<String> {
    let mut pages = Vec::new();
    run_async(async {
        let app = spawn_app(db);
        let client = browser();
        sign_in(&client, &app.address, ADMIN.0, ADMIN.1).await;
        for path in paths {
            let response = client
                .get(format!("{}{path}", app.address))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status().as_u16(), 200, "{path}");
            pages.push(response.text().await.unwrap());
        }
    });
    pages
}

/// The clash cards on a page.
fn cards(html: &str) -> Vec<&str> {
    html.split("<li class=\"conflict ")
        .skip(1)
        .map(|card| &card[..card.find("</li>").unwrap()])
        .collect()
}

fn official(db: &TestDb, name: &str) -> i64 {
    officials::create(
        &mut db.conn(),
        &actor(),
        &OfficialInput {
            full_name: Some(name.into()),
            ..Default::default()
        },
    )
    .unwrap()
    .id
}

/// A visit in Almaty from `first` to `last` (days of March 2026) for these officials.
fn visit(db: &TestDb, first: u32, last: u32, officials: Vec<i64>) -> i64 {
    visits::create(
        &mut db.conn(),
        &actor(),
        &VisitInput {
            title: Some("Рабочая поездка".into()),
            timezone: Some("Asia/Almaty".into()),
            first_day: NaiveDate::from_ymd_opt(2026, 3, first),
            last_day: NaiveDate::from_ymd_opt(2026, 3, last),
            lead_official_id: officials.first().copied(),
            official_ids: officials,
            ..Default::default()
        },
    )
    .unwrap()
    .row
    .id
}

/// A meeting on a March day, from and to local times in Almaty.
fn meeting(db: &TestDb, visit: i64, title: &str, day: u32, from: &str, to: &str, who: i64) -> i64 {
    let at = |t: &str| DateTime::parse_from_rfc3339(&format!("2026-03-{day:02}T{t}:00+05:00")).ok();
    meetings::create(
        &mut db.conn(),
        &actor(),
        visit,
        &MeetingInput {
            title: Some(title.into()),
            starts_at: at(from),
            ends_at: at(to),
            official_ids: vec![who],
            ..Default::default()
        },
    )
    .unwrap()
    .row
    .id
}

/// Three days: a double booking on the first (an error), a day without a
/// break on the second (a warning), a quiet third day.
fn three_days(db: &TestDb) -> i64 {
    let (a, b) = (
        official(db, "Ашимбаев Маулен Сагатханович"),
        official(db, "Серикова Айгуль Маратовна"),
    );
    let id = visit(db, 10, 12, vec![a, b]);
    meeting(db, id, "Рабочий завтрак", 10, "09:00", "10:00", a);
    meeting(db, id, "Встреча с активом", 10, "09:30", "10:30", a);
    meeting(db, id, "Долгое совещание", 11, "09:00", "14:30", b);
    meeting(db, id, "Прогулка по набережной", 12, "10:00", "11:00", a);
    let found = conflict_service::of_visit(&mut db.conn(), id, EngineSettings::default()).unwrap();
    let kinds: Vec<_> = found
        .conflicts
        .iter()
        .map(|c| (c.kind, c.severity.as_str()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (ConflictKind::OfficialDoubleBooked, "error"),
            (ConflictKind::NoBreak, "warning")
        ],
        "the programme the tests expect"
    );
    id
}

fn the_demo_transfer_is_one_card_naming_every_official_it_touches(db: &TestDb) {
    demo::load(&mut db.conn()).unwrap();
    let found = conflict_service::of_visit(&mut db.conn(), 1, EngineSettings::default()).unwrap();
    let clashes = group_clashes(&found.conflicts);
    let transfer = clashes
        .iter()
        .find(|c| c.kind == ConflictKind::TravelTime && c.subjects.len() > 1)
        .expect("the demo's transfer made by several officials");
    let sentence = found.clash_reports(&[transfer], Language::Ru)[0]
        .message
        .clone();
    let lookup = Lookup::new(&found.snapshot);
    for subject in &transfer.subjects {
        assert!(sentence.contains(&lookup.name(*subject)), "{sentence}");
    }
    let visit = &page(db, &["/visits/1".to_owned()])[0];
    assert_eq!(visit.matches(&sentence).count(), 1, "one card: {sentence}");
    let singles = found.describe(Language::Ru);
    for &member in &transfer.members {
        assert!(
            !visit.contains(&format!("<span class=\"message\">{}", singles[member])),
            "no card per official: {}",
            singles[member]
        );
    }
    let transfers = cards(visit)
        .into_iter()
        .filter(|c| c.contains(&lookup.name(transfer.subjects[0])) && c.contains("время в пути"))
        .count();
    assert_eq!(transfers, 1);
}

fn conflicts_are_filtered_by_day_and_by_severity(db: &TestDb) {
    let id = three_days(db);
    let query = |q: &str| format!("/visits/{id}?{q}");
    let pages = page(
        db,
        &[
            format!("/visits/{id}"),
            query("severity=error"),
            query("severity=warning"),
            query("conflict_day=2026-03-11"),
            query("conflict_day=2026-03-10&severity=warning"),
            query("severity=nonsense&conflict_day=not-a-day"),
        ],
    );
    let titles = |html: &str| -> Vec<(bool, bool)> {
        cards(html)
            .iter()
            .map(|c| {
                (
                    c.contains("Рабочий завтрак"),
                    c.contains("Долгое совещание"),
                )
            })
            .collect()
    };
    assert_eq!(titles(&pages[0]), vec![(true, false), (false, true)]);
    assert_eq!(titles(&pages[1]), vec![(true, false)], "errors only");
    assert!(cards(&pages[1])[0].starts_with("error"));
    assert_eq!(titles(&pages[2]), vec![(false, true)], "warnings only");
    assert!(cards(&pages[2])[0].starts_with("warning"));
    assert_eq!(
        titles(&pages[3]),
        vec![(false, true)],
        "the second day only"
    );
    assert!(cards(&pages[4]).is_empty(), "no warning on the first day");
    assert!(pages[4].contains("Выбранным условиям не отвечает ни один конфликт"));
    assert_eq!(
        titles(&pages[5]).len(),
        2,
        "what is not understood is ignored"
    );
    assert!(pages[3].contains("<option value=\"2026-03-11\" selected>"));
}

fn a_three_day_visit_draws_one_day_and_links_to_the_others(db: &TestDb) {
    let id = three_days(db);
    let pages = page(
        db,
        &[
            format!("/visits/{id}"),
            format!("/visits/{id}?day=2026-03-12"),
        ],
    );
    let (first, third) = (&pages[0], &pages[1]);
    for html in [first, third] {
        assert_eq!(html.matches("<figure class=\"timeline\">").count(), 1);
    }
    // Outside the visit's days today, so the first day is shown.
    assert!(first.contains("id=\"day-2026-03-10\""));
    assert!(first.contains("<td><a href=\"/meetings/"));
    assert!(
        !first.contains("Прогулка по набережной"),
        "the third day is not drawn"
    );
    assert!(!first.contains("id=\"day-2026-03-11\""));
    for day in ["2026-03-11", "2026-03-12"] {
        assert!(
            first.contains(&format!("href=\"/visits/{id}?day={day}\"")),
            "a link to {day}"
        );
    }
    assert!(third.contains("id=\"day-2026-03-12\""));
    assert!(third.contains("Прогулка по набережной"));
    assert!(
        !third.contains("Рабочий завтрак</a>"),
        "the first day's table is not shown"
    );
    assert!(third.contains(&format!("href=\"/visits/{id}?day=2026-03-10\"")));
}

fn beyond_fifty_clashes_the_rest_are_behind_a_link(db: &TestDb) {
    let a = official(db, "Ашимбаев Маулен Сагатханович");
    let id = visit(db, 10, 10, vec![a]);
    meeting(db, id, "Весь день в акимате", 10, "00:00", "23:59", a);
    for n in 0..51 {
        let from = format!("{:02}:{:02}", n * 25 / 60, n * 25 % 60);
        let to = format!("{:02}:{:02}", (n * 25 + 10) / 60, (n * 25 + 10) % 60);
        meeting(db, id, &format!("Звонок №{n}"), 10, &from, &to, a);
    }
    let found = conflict_service::of_visit(&mut db.conn(), id, EngineSettings::default()).unwrap();
    let total = group_clashes(&found.conflicts).len();
    assert!(total > 50, "{total} clashes");
    let all = format!("/visits/{id}?conflicts=all#conflicts");
    let pages = page(
        db,
        &[format!("/visits/{id}"), all.replace("#conflicts", "")],
    );
    assert_eq!(cards(&pages[0]).len(), 50);
    assert!(
        pages[0].contains(&format!("href=\"{all}\"")),
        "a link to the rest"
    );
    assert!(pages[0].contains(&format!("Показано 50 из {total}")));
    assert_eq!(cards(&pages[1]).len(), total);
    assert!(!pages[1].contains("class=\"all-conflicts\""));
}

crate::on_both_backends!(
    the_demo_transfer_is_one_card_naming_every_official_it_touches,
    conflicts_are_filtered_by_day_and_by_severity,
    a_three_day_visit_draws_one_day_and_links_to_the_others,
    beyond_fifty_clashes_the_rest_are_behind_a_link,
);
