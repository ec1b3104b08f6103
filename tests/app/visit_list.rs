//! The visits list at scale: current and upcoming visits first, past ones by
//! year, a search in any letter case, pages, and conflict counts that match
//! what the engine finds for each visit, over real HTTP on both backends.

use chrono::{DateTime, Datelike, Days, FixedOffset, NaiveDate, Utc};

use sapar::domain::conflicts::EngineSettings;
use sapar::domain::model::{MeetingInput, OfficialInput, VenueInput, VisitInput};
use sapar::domain::Language;
use sapar::i18n::Translator;
use sapar::services::catalogue::{officials, venues};
use sapar::services::conflicts;
use sapar::services::programme::{meetings, visits};

use crate::support::client::{browser, sign_in, ADMIN};
use crate::support::{actor, run_async, spawn_app, TestDb};

fn today() -> NaiveDate {
    Utc::now().date_naive()
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

fn visit(
    db: &TestDb,
    title: &str,
    region: &str,
    first_day: NaiveDate,
    days: u64,
    official_ids: Vec<i64>,
) -> i64 {
    visits::create(
        &mut db.conn(),
        &actor(),
        &VisitInput {
            title: Some(title.into()),
            region: Some(region.into()),
            timezone: Some("Asia/Almaty".into()),
            first_day: Some(first_day),
            last_day: Some(first_day + Days::new(days - 1)),
            official_ids,
            ..Default::default()
        },
    )
    .unwrap()
    .row
    .id
}

/// A meeting on `day` from `hour` for `minutes`, in Almaty's time.
fn meeting(
    db: &TestDb,
    visit_id: i64,
    day: NaiveDate,
    (hour, minutes): (u32, i64),
    venue_id: Option<i64>,
    official_ids: Vec<i64>,
) {
    let zone = FixedOffset::east_opt(5 * 3600).unwrap();
    let start: DateTime<FixedOffset> = day
        .and_hms_opt(hour, 0, 0)
        .unwrap()
        .and_local_timezone(zone)
        .unwrap();
    meetings::create(
        &mut db.conn(),
        &actor(),
        visit_id,
        &MeetingInput {
            title: Some(format!("Meeting at {hour}")),
            starts_at: Some(start),
            ends_at: Some(start + chrono::Duration::minutes(minutes)),
            venue_id,
            official_ids,
            ..Default::default()
        },
    )
    .unwrap();
}

async fn get(client: &reqwest::Client, url: String) -> String {
    let response = client.get(url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.text().await.unwrap()
}

fn position(html: &str, needle: &str) -> usize {
    html.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} on the page"))
}

/// The visits listed, in page order: `(id, the HTML of its row)`.
fn rows(html: &str) -> Vec<(i64, &str)> {
    html.split("<tr>")
        .filter_map(|row| {
            let at = row.find("<a href=\"/visits/")? + 17;
            let id = row[at..].split('"').next()?.parse().ok()?;
            Some((id, row.split("</tr>").next().unwrap()))
        })
        .collect()
}

/// The page's own link to the next page, unescaped.
fn next_link(html: &str) -> Option<String> {
    let at = html.find("rel=\"next\" href=\"")? + 17;
    let href = html[at..].split('"').next()?;
    Some(href.replace("&amp;", "&").replace("&#38;", "&"))
}

fn current_and_upcoming_come_first_then_past_by_year(db: &TestDb) {
    let today = today();
    let days_ago = |n: u64| today - Days::new(n);
    let ids = [
        visit(db, "Upcoming", "A", today + Days::new(20), 2, vec![]),
        visit(db, "Current", "A", days_ago(1), 3, vec![]),
        visit(db, "Two years back", "A", days_ago(800), 2, vec![]),
        visit(db, "Last month", "A", days_ago(30), 2, vec![]),
        visit(db, "A year back", "A", days_ago(400), 2, vec![]),
    ];
    run_async(async {
        let app = spawn_app(db);
        let client = browser();
        sign_in(&client, &app.address, ADMIN.0, ADMIN.1).await;
        let html = get(&client, format!("{}/visits", app.address)).await;
        let order: Vec<i64> = rows(&html).into_iter().map(|(id, _)| id).collect();
        assert_eq!(order, [ids[1], ids[0], ids[3], ids[4], ids[2]]);
        // Each past visit sits under the heading of its own year, latest first.
        let past = position(&html, "<h2>");
        let past = past + html[past + 1..].find("<h2>").unwrap();
        for (title, first_day) in [
            ("Last month", days_ago(30)),
            ("A year back", days_ago(400)),
            ("Two years back", days_ago(800)),
        ] {
            let at = position(&html, title);
            assert!(at > past, "{title} is listed with the past visits");
            let heading = html[..at].rfind("<h3 class=\"year\">").unwrap() + 17;
            assert_eq!(
                html[heading..].split('<').next().unwrap(),
                first_day.year().to_string(),
                "{title}"
            );
        }
        assert_eq!(html.matches("<h3 class=\"year\">").count(), {
            let mut years = vec![
                days_ago(30).year(),
                days_ago(400).year(),
                days_ago(800).year(),
            ];
            years.dedup();
            years.len()
        });
    });
}

fn the_search_finds_cyrillic_words_in_another_case(db: &TestDb) {
    let ashimbaev = official(db, "Ашимбаев Нурлан Сауытбекович");
    let other = official(db, "Smith John");
    let day = today() + Days::new(5);
    let by_official = visit(
        db,
        "Рабочая поездка",
        "Абайская область",
        day,
        2,
        vec![ashimbaev],
    );
    let by_title = visit(db, "Визит в Усть-Каменогорск", "ВКО", day, 2, vec![other]);
    let by_region = visit(db, "Working trip", "Восточно-Казахстанская", day, 2, vec![]);
    let none = visit(db, "Rural clinics", "Жетісу", day, 2, vec![other]);
    run_async(async {
        let app = spawn_app(db);
        let client = browser();
        sign_in(&client, &app.address, ADMIN.0, ADMIN.1).await;
        let found = |q: &'static str| {
            let client = client.clone();
            let url = format!("{}/visits", app.address);
            async move {
                let html = client
                    .get(url)
                    .query(&[("q", q)])
                    .send()
                    .await
                    .unwrap()
                    .text()
                    .await
                    .unwrap();
                let mut ids: Vec<i64> = rows(&html).into_iter().map(|(id, _)| id).collect();
                ids.sort();
                (ids, html)
            }
        };
        assert_eq!(found("ашимб").await.0, [by_official]);
        assert_eq!(found("УСТЬ-КАМЕН").await.0, [by_title]);
        assert_eq!(found("восточно").await.0, [by_region]);
        assert_eq!(found("  рабочая ").await.0, [by_official]);
        let (ids, html) = found("Усть").await;
        assert_eq!(ids, [by_title]);
        assert!(
            html.contains("value=\"Усть\""),
            "the search stays in its box"
        );
        let (ids, _) = found("").await;
        assert_eq!(ids, [by_official, by_title, by_region, none]);
        let (ids, html) = found("нет такого").await;
        assert!(ids.is_empty());
        assert!(!html.contains("<table"));
    });
}

fn pages_hold_thirty_and_their_links_keep_the_search(db: &TestDb) {
    let first = today() + Days::new(1);
    for i in 0..65 {
        visit(
            db,
            &format!("Поездка {i:02}"),
            "Алматы",
            first + Days::new(i),
            1,
            vec![],
        );
    }
    for i in 0..3 {
        visit(db, &format!("Other {i}"), "Алматы", first, 1, vec![]);
    }
    run_async(async {
        let app = spawn_app(db);
        let client = browser();
        sign_in(&client, &app.address, ADMIN.0, ADMIN.1).await;
        let mut url = format!(
            "{}/visits?q=%D0%9F%D0%9E%D0%95%D0%97%D0%94%D0%9A%D0%90",
            app.address
        );
        let mut seen = Vec::new();
        let mut pages = 0;
        loop {
            let html = get(&client, url).await;
            pages += 1;
            assert!(!html.contains("Other"), "page {pages} keeps to the search");
            let titles: Vec<&str> = rows(&html)
                .into_iter()
                .map(|(_, row)| {
                    row.split("</a>")
                        .next()
                        .unwrap()
                        .rsplit('>')
                        .next()
                        .unwrap()
                })
                .collect();
            seen.extend(titles.iter().map(|t| t.to_string()));
            match next_link(&html) {
                Some(next) => {
                    assert_eq!(titles.len(), 30, "a full page before the last");
                    assert!(next.starts_with("/visits?q="), "{next}");
                    url = format!("{}{next}", app.address);
                }
                None => {
                    assert!(html.contains("rel=\"prev\""));
                    break;
                }
            }
        }
        assert_eq!(pages, 3);
        let expected: Vec<String> = (0..65).map(|i| format!("Поездка {i:02}")).collect();
        assert_eq!(seen, expected);
        // A page past the end shows the last one; a page that is no number the first.
        let last = get(&client, format!("{}/visits?q=поездка&page=99", app.address)).await;
        assert_eq!(rows(&last).len(), 5);
        let first = get(&client, format!("{}/visits?q=поездка&page=x", app.address)).await;
        assert_eq!(rows(&first).len(), 30);
        assert!(!first.contains("rel=\"prev\""));
    });
}

fn forty_visits_show_the_counts_the_engine_gives_each(db: &TestDb) {
    let people: Vec<i64> = (0..3)
        .map(|i| official(db, &format!("Official {i}")))
        .collect();
    let venue = venues::create(
        &mut db.conn(),
        &actor(),
        &VenueInput {
            name: Some("Akimat".into()),
            timezone: Some("Asia/Almaty".into()),
            opens: Some("08:00".into()),
            closes: Some("20:00".into()),
            ..Default::default()
        },
    )
    .unwrap()
    .id;
    let start = today() - Days::new(20);
    let mut ids = Vec::new();
    // Two-day visits a day apart, so each shares a day (and an official) with
    // the next: clashes inside a visit and across two.
    for i in 0..40u64 {
        let first = start + Days::new(i);
        let who = people[(i % 3) as usize];
        let id = visit(db, &format!("Visit {i:02}"), "Region", first, 2, vec![who]);
        meeting(db, id, first, (10, 60), Some(venue), vec![who]);
        if i % 2 == 0 {
            meeting(db, id, first, (10, 90), None, vec![who]);
        }
        if i % 5 == 0 {
            meeting(
                db,
                id,
                first + Days::new(1),
                (21, 60),
                Some(venue),
                vec![people[0]],
            );
        }
        meeting(
            db,
            id,
            first + Days::new(1),
            (15, 60),
            None,
            vec![people[0]],
        );
        ids.push(id);
    }
    run_async(async {
        let app = spawn_app(db);
        let client = browser();
        sign_in(&client, &app.address, ADMIN.0, ADMIN.1).await;
        let one = get(&client, format!("{}/visits", app.address)).await;
        let two = get(&client, format!("{}/visits?page=2", app.address)).await;
        let lang = position(&one, "<html lang=\"") + 12;
        let t = Translator(Language::parse(&one[lang..lang + 2]).unwrap());
        let listed: Vec<(i64, &str)> = rows(&one).into_iter().chain(rows(&two)).collect();
        assert_eq!(listed.len(), 40);
        let (mut errors, mut warnings) = (0, 0);
        for (id, row) in listed {
            let found = conflicts::of_visit(&mut db.conn(), id, EngineSettings::default()).unwrap();
            let meetings = found
                .snapshot
                .meetings
                .iter()
                .filter(|m| m.visit_id == id)
                .count();
            assert!(
                row.contains(&format!("<td class=\"count\">{meetings}</td>")),
                "{id}: {row}"
            );
            // Counted as the visit page counts them: clashes, not the
            // engine's one conflict per pair and subject.
            let clashes = found.clashes(chrono_tz::Asia::Almaty);
            let clash_errors = clashes.iter().filter(|(c, _)| c.is_error()).count();
            let clash_warnings = clashes.len() - clash_errors;
            for (class, key, n) in [
                ("error", "conflicts-errors", clash_errors),
                ("warning", "conflicts-warnings", clash_warnings),
            ] {
                if n == 0 {
                    assert!(!row.contains(&format!("badge {class}")), "{id}: {row}");
                } else {
                    let badge = format!("<span class=\"badge {class}\">{}</span>", t.count(key, n));
                    assert!(row.contains(&badge), "{id}: {badge} in {row}");
                }
            }
            errors += clash_errors;
            warnings += clash_warnings;
        }
        assert!(
            errors >= 20 && warnings > 0,
            "{errors} errors, {warnings} warnings"
        );
    });
}

crate::on_both_backends!(
    current_and_upcoming_come_first_then_past_by_year,
    the_search_finds_cyrillic_words_in_another_case,
    pages_hold_thirty_and_their_links_keep_the_search,
    forty_visits_show_the_counts_the_engine_gives_each,
);
