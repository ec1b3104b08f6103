//! Calendars: the visit's `.ics` for staff, each person's `webcal://` feed
//! (of what was published) behind a revocable token, and the page that
//! manages the tokens, on both backends. Every `.ics` made here is also written to `target/ics/`, where CI
//! parses it with Python's `icalendar` (`tests/ics_check.py`).

use chrono::{DateTime, NaiveDate};
use chrono_tz::Tz;

use sapar::config::DatabaseTarget;
use sapar::domain::model::*;
use sapar::domain::Language;
use sapar::services::accounts::{self, NewUserInput, Password};
use sapar::services::calendars::{self, Subscriber};
use sapar::services::catalogue::{groups, officials, participants, venues};
use sapar::services::demo::{self, DemoOutcome};
use sapar::services::programme::{meetings, visits, MeetingRecord};
use sapar::services::publishing;
use sapar::web::api::views;

use crate::support::client::{browser, csrf_of, sign_in, ADMIN};
use crate::support::{actor, run_async, spawn_app, TestDb};

const LAB_VISIT: &str =
    "Ознакомление с лабораторией «SMART-технологии автомобилей» мастерской Лу Бань";
const PLANT_VISIT: &str = "Посещение Усть-Каменогорского титано-магниевого комбината";
const LUNCH: &str = "Рабочий обед";
const PRESS: &str = "Подход к прессе";
const BASE: &str = "https://sapar.example.kz";

fn text(s: &str) -> Option<String> {
    Some(s.to_owned())
}

fn backend(db: &TestDb) -> &'static str {
    match db.target {
        DatabaseTarget::Sqlite(_) => "sqlite",
        DatabaseTarget::Postgres(_) => "postgres",
    }
}

/// Keeps a produced calendar for the Python check in CI.
fn keep(name: &str, ics: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/ics");
    std::fs::create_dir_all(&dir).expect("target/ics");
    std::fs::write(dir.join(format!("{name}.ics")), ics).expect("an .ics written");
}

/// The content lines with folding undone.
fn unfolded(ics: &str) -> Vec<String> {
    ics.replace("\r\n ", "")
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The unfolded lines of each event, in order.
fn events(ics: &str) -> Vec<Vec<String>> {
    let mut all = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for line in unfolded(ics) {
        match line.as_str() {
            "BEGIN:VEVENT" => current = Some(Vec::new()),
            "END:VEVENT" => all.extend(current.take()),
            _ => {
                if let Some(event) = current.as_mut() {
                    event.push(line);
                }
            }
        }
    }
    all
}

fn property<'a>(event: &'a [String], name: &str) -> Option<&'a str> {
    event
        .iter()
        .find_map(|l| l.strip_prefix(name).and_then(|r| r.strip_prefix(':')))
}

/// The summaries of a calendar, unescaped enough to compare with titles.
fn summaries(ics: &str) -> Vec<String> {
    events(ics)
        .iter()
        .filter_map(|e| property(e, "SUMMARY"))
        .map(|s| {
            s.replace("\\,", ",")
                .replace("\\;", ";")
                .replace("\\\\", "\\")
        })
        .collect()
}

/// CRLF after every line, no bare LF or CR, no physical line over 75 octets.
fn assert_well_formed(ics: &str) {
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    let physical: Vec<&str> = ics.split("\r\n").collect();
    for line in &physical {
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "a bare line break in {line:?}"
        );
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
}

/// Publishes a visit: personal feeds show only what was published.
fn publish(db: &TestDb, visit_id: i64) {
    publishing::publish(&mut db.conn(), &actor(), visit_id, true, &db.settings())
        .expect("the visit is published");
}

fn demo_visit(db: &TestDb) -> i64 {
    match demo::load(&mut db.conn()).expect("the demo loads") {
        DemoOutcome::Loaded { visit_id } => visit_id,
        DemoOutcome::AlreadyLoaded => panic!("a fresh database"),
    }
}

fn group_named(db: &TestDb, prefix: &str) -> i64 {
    groups::list(&mut db.conn())
        .unwrap()
        .into_iter()
        .find(|g| g.row.name.starts_with(prefix))
        .unwrap_or_else(|| panic!("a demo group {prefix}"))
        .row
        .id
}

fn official_named(db: &TestDb, prefix: &str) -> i64 {
    officials::list(&mut db.conn())
        .unwrap()
        .into_iter()
        .find(|o| o.full_name.starts_with(prefix))
        .unwrap_or_else(|| panic!("a demo official {prefix}"))
        .id
}

fn new_participant(db: &TestDb, name: &str, group_ids: Vec<i64>) -> i64 {
    participants::create(
        &mut db.conn(),
        &actor(),
        &ParticipantInput {
            full_name: text(name),
            email: text("someone@example.kz"),
            language: text("ru"),
            group_ids,
            ..Default::default()
        },
    )
    .expect("a participant")
    .row
    .id
}

fn meeting_titled(db: &TestDb, visit_id: i64, prefix: &str) -> MeetingRecord {
    meetings::of_visit(&mut db.conn(), visit_id)
        .unwrap()
        .into_iter()
        .find(|m| m.row.title.starts_with(prefix))
        .unwrap_or_else(|| panic!("a meeting {prefix}"))
}

// ---------------------------------------------------------------------------

fn the_visit_calendar_has_every_demo_meeting_at_its_utc_instant(db: &TestDb) {
    let visit_id = demo_visit(db);
    run_async(async {
        let app = spawn_app(db);
        let url = format!("{}/visits/{visit_id}/calendar.ics", app.address);

        // Staff only.
        let anonymous = app.client.get(&url).send().await.unwrap();
        assert_eq!(anonymous.status().as_u16(), 303);

        let client = browser();
        sign_in(&client, &app.address, ADMIN.0, ADMIN.1).await;
        let response = client.get(&url).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(content_type.starts_with("text/calendar"), "{content_type}");
        let ics = response.text().await.unwrap();
        keep(&format!("demo-visit-{}", backend(db)), &ics);
        assert_well_formed(&ics);

        let all = events(&ics);
        assert_eq!(all.len(), 10, "every demo meeting");
        assert!(ics.contains("METHOD:PUBLISH\r\n"));
        assert!(ics.contains("X-WR-TIMEZONE:Asia/Almaty\r\n"));
        // 08:30 in Ust-Kamenogorsk (UTC+5 since 2024) is 03:30 UTC.
        assert_eq!(property(&all[0], "DTSTART"), Some("20260225T033000Z"));
        assert_eq!(property(&all[0], "DTEND"), Some("20260225T035000Z"));
        assert_eq!(property(&all[9], "DTSTART"), Some("20260225T145500Z"));
        assert_eq!(property(&all[9], "DTEND"), Some("20260225T151500Z"));
        for event in &all {
            for name in ["UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "SUMMARY"] {
                assert!(property(event, name).is_some(), "{name} in {event:?}");
            }
            let uid = property(event, "UID").unwrap();
            assert!(
                uid.starts_with("meeting-") && uid.ends_with("@127.0.0.1"),
                "{uid}"
            );
            assert_eq!(property(event, "SEQUENCE"), Some("0"));
            assert_eq!(property(event, "STATUS"), Some("CONFIRMED"));
            assert!(property(event, "GEO").is_some());
            assert!(
                property(event, "URL").is_some_and(|u| u.ends_with(&format!("/visits/{visit_id}")))
            );
        }
        // Staff read the logistics and the dress code.
        let first = all[0].join("\n");
        assert!(first.contains("Логистика: Кортеж: 3 автомобиля"), "{first}");
        assert!(first.contains("Форма одежды: Деловой") || first.contains("Деловой"));
        assert!(first.contains("LOCATION:Аэропорт Усть-Каменогорск\\, VIP-зал\\, ул. Бажова\\, 1"));

        let missing = client
            .get(format!("{}/visits/999/calendar.ics", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status().as_u16(), 404);
    });
}

/// The token in a `webcal://` link of the calendars page.
fn tokens_on(page: &str) -> Vec<String> {
    page.match_indices("webcal://")
        .filter_map(|(at, _)| {
            let link = page[at..].split('"').next()?;
            let token = link.rsplit('/').next()?.strip_suffix(".ics")?;
            Some(token.to_owned())
        })
        .collect()
}

fn a_participants_feed_holds_only_the_meetings_of_their_group(db: &TestDb) {
    let visit_id = demo_visit(db);
    let lab = group_named(db, "Студенты мастерской");
    let plant = group_named(db, "Трудовой коллектив УКТМК");
    let student = new_participant(db, "Студент Лаборатории", vec![lab]);
    let worker = new_participant(db, "Рабочий Комбината", vec![plant]);
    publish(db, visit_id);
    run_async(async {
        let app = spawn_app(db);
        let client = browser();
        sign_in(&client, &app.address, ADMIN.0, ADMIN.1).await;
        let page = client
            .get(format!("{}/calendars", app.address))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("<a href=\"/calendars\">"),
            "the nav links here"
        );
        let csrf = csrf_of(&page);
        let mut feeds = Vec::new();
        for person in [student, worker] {
            let made = client
                .post(format!("{}/calendars", app.address))
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("person", &format!("participant:{person}")),
                ])
                .send()
                .await
                .unwrap();
            // The link is shown once, in the answer to the planner who made it.
            assert_eq!(made.status().as_u16(), 201);
            let page = made.text().await.unwrap();
            let token = tokens_on(&page).into_iter().next().expect("a webcal link");
            assert_eq!(token.len(), 64);
            assert!(page.contains(&format!("webcal://127.0.0.1:8080/calendar/{token}.ics")));
            assert!(page.contains(&format!("http://127.0.0.1:8080/calendar/{token}.ics")));
            let later = client
                .get(format!("{}/calendars", app.address))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert!(!later.contains(&token), "never shown again");
            assert!(tokens_on(&later).is_empty());
            // No sign-in: the token is the key.
            let response = app
                .client
                .get(format!("{}/calendar/{token}.ics", app.address))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status().as_u16(), 200);
            assert!(response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/calendar"));
            feeds.push(response.text().await.unwrap());
        }
        let (students, workers) = (&feeds[0], &feeds[1]);
        keep(&format!("participant-lab-{}", backend(db)), students);
        keep(&format!("participant-plant-{}", backend(db)), workers);
        for feed in &feeds {
            assert_well_formed(feed);
            assert!(!feed.contains("URL:"), "no staff links in a person's feed");
            for other in [LUNCH, PRESS] {
                assert!(!feed.contains(other), "{other} is not theirs");
            }
        }
        assert_eq!(summaries(students), vec![LAB_VISIT.to_owned()]);
        assert!(!students.contains(PLANT_VISIT));
        assert_eq!(summaries(workers).len(), 1);
        assert!(summaries(workers)[0].starts_with(PLANT_VISIT));
        assert!(!workers.contains(LAB_VISIT));
        // A feed's link may be forwarded: where and when, but no host's
        // phone, no venue notes and no staff logistics.
        let lab_event = events(students).remove(0).join("\n");
        assert!(
            lab_event.contains("LOCATION:") && lab_event.contains("DTSTART:"),
            "{lab_event}"
        );
        assert!(!lab_event.contains("+7 705 111 22 33"), "{lab_event}");
        assert!(!lab_event.contains("Фото- и видеосъемка"), "{lab_event}");
        assert!(
            !lab_event.contains("пресса — только общий план"),
            "logistics stay internal"
        );
    });
}

fn a_revoked_token_answers_404_and_viewers_cannot_manage_tokens(db: &TestDb) {
    demo_visit(db);
    let secretary = official_named(db, "Касымова");
    let token = calendars::create_token(&mut db.conn(), &actor(), Subscriber::Official(secretary))
        .expect("a token");
    // Only the digest is kept.
    assert_eq!(
        token.row.token_hash,
        sapar::services::tokens::digest(&token.token)
    );
    assert!(
        !format!("{:?}", calendars::list_tokens(&mut db.conn()).unwrap()).contains(&token.token)
    );
    accounts::create_user(
        &mut db.conn(),
        &actor(),
        &NewUserInput {
            email: "viewer@sapar.test",
            full_name: "Viewer",
            role: "viewer",
            language: Language::Ru,
            password: &Password::new("viewer-password-for-tests"),
        },
    )
    .expect("a viewer");
    run_async(async {
        let app = spawn_app(db);
        let feed = format!("{}/calendar/{}.ics", app.address, token.token);
        assert_eq!(
            app.client
                .get(&feed)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16(),
            200
        );

        // A viewer sees the list, but nothing to press, and may not post.
        let viewer = browser();
        sign_in(
            &viewer,
            &app.address,
            "viewer@sapar.test",
            "viewer-password-for-tests",
        )
        .await;
        let page = viewer
            .get(format!("{}/calendars", app.address))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("Касымова Гульнара Токтаровна"));
        assert!(
            !page.contains("action=\"/calendars"),
            "no forms for a viewer"
        );
        assert!(
            !page.contains("/calendar/") && !page.contains(&token.token),
            "no feed links for a viewer"
        );
        let csrf = csrf_of(&page);
        let refused = viewer
            .post(format!("{}/calendars/{}/revoke", app.address, token.id))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status().as_u16(), 403);
        let refused = viewer
            .post(format!("{}/calendars", app.address))
            .form(&[
                ("csrf", csrf.as_str()),
                ("person", &format!("official:{secretary}")),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status().as_u16(), 403);
        assert_eq!(
            app.client
                .get(&feed)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16(),
            200
        );

        // A planner's revocation needs the form's token, then ends the feed.
        let admin = browser();
        sign_in(&admin, &app.address, ADMIN.0, ADMIN.1).await;
        let page = admin
            .get(format!("{}/calendars", app.address))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains(&format!("action=\"/calendars/{}/revoke\"", token.id)));
        let forged = admin
            .post(format!("{}/calendars/{}/revoke", app.address, token.id))
            .form(&[("csrf", "forged")])
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status().as_u16(), 403);
        let revoked = admin
            .post(format!("{}/calendars/{}/revoke", app.address, token.id))
            .form(&[("csrf", csrf_of(&page).as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(revoked.status().as_u16(), 303);

        let gone = app.client.get(&feed).send().await.unwrap();
        assert_eq!(gone.status().as_u16(), 404);
        let body = gone.text().await.unwrap();
        assert!(!body.contains("Касымова") && !body.contains("BEGIN:VCALENDAR"));
        let unknown = format!("{}/calendar/{}.ics", app.address, "0".repeat(64));
        assert_eq!(
            app.client
                .get(&unknown)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16(),
            404
        );
        let odd = format!("{}/calendar/not-a-token.ics", app.address);
        assert_eq!(
            app.client.get(&odd).send().await.unwrap().status().as_u16(),
            404
        );

        let page = admin
            .get(format!("{}/calendars", app.address))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("Отозвана"));
        assert!(!page.contains(&format!("/calendars/{}/revoke", token.id)));
    });
    // Both changes are in the audit log, without the secret.
    let events = sapar::db::repo::audit_events_of(&mut db.conn(), "calendar_token", token.id)
        .expect("audit events");
    assert_eq!(
        events.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["create", "update"]
    );
    assert!(events.iter().all(|e| {
        let all = format!("{:?}{:?}", e.before, e.after);
        !all.contains(&token.token)
    }));
}

fn a_cancelled_meeting_is_cancelled_in_every_feed_with_a_higher_sequence(db: &TestDb) {
    let visit_id = demo_visit(db);
    let speaker = official_named(db, "Ашимбаев");
    let akim = official_named(db, "Нуржанов");
    let speaker_token =
        calendars::create_token(&mut db.conn(), &actor(), Subscriber::Official(speaker)).unwrap();
    let akim_token =
        calendars::create_token(&mut db.conn(), &actor(), Subscriber::Official(akim)).unwrap();
    let feed = |token: &str| {
        calendars::feed_ics(&mut db.conn(), token, BASE)
            .expect("a feed")
            .expect("a live token")
    };
    publish(db, visit_id);

    // An official's feed has the meetings that name them, nobody else's.
    let speakers = feed(&speaker_token.token);
    assert_eq!(events(&speakers).len(), 10);
    let akims = feed(&akim_token.token);
    assert_eq!(events(&akims).len(), 7, "{:?}", summaries(&akims));
    assert!(!akims.contains(PRESS) && !summaries(&akims).iter().any(|s| s == LAB_VISIT));

    let lab = meeting_titled(db, visit_id, "Ознакомление с лабораторией");
    let uid = format!("meeting-{}@sapar.example.kz", lab.row.id);
    let event_of = |ics: &str| {
        events(ics)
            .into_iter()
            .find(|e| property(e, "UID") == Some(uid.as_str()))
            .expect("the lab visit")
    };
    let before = event_of(&speakers);
    assert_eq!(property(&before, "SEQUENCE"), Some("0"));
    assert_eq!(property(&before, "STATUS"), Some("CONFIRMED"));

    let mut input = views::meeting_input(&lab, Tz::UTC);
    input.status = text("cancelled");
    meetings::update(&mut db.conn(), &actor(), lab.row.id, &input).expect("cancelled");
    assert_eq!(
        property(&event_of(&feed(&speaker_token.token)), "STATUS"),
        Some("CONFIRMED"),
        "the feed waits for the next publication"
    );
    publish(db, visit_id);

    let speakers = feed(&speaker_token.token);
    keep(&format!("official-cancelled-{}", backend(db)), &speakers);
    assert_well_formed(&speakers);
    let after = event_of(&speakers);
    assert_eq!(property(&after, "STATUS"), Some("CANCELLED"));
    assert_eq!(property(&after, "SEQUENCE"), Some("1"));
    assert_eq!(property(&after, "TRANSP"), Some("TRANSPARENT"));
    // Still there, so clients remove it rather than keep a stale copy.
    assert_eq!(events(&speakers).len(), 10);
    let staff = calendars::visit_ics(&mut db.conn(), visit_id, Language::En, BASE).unwrap();
    let in_staff = event_of(&staff);
    assert_eq!(property(&in_staff, "STATUS"), Some("CANCELLED"));
    assert_eq!(property(&in_staff, "SEQUENCE"), Some("1"));
    assert!(
        in_staff.iter().any(|l| l.contains("Logistics: ")),
        "labels in the reader's language"
    );

    // A cancelled visit calls off all of its published meetings at once.
    let visit = visits::get(&mut db.conn(), visit_id).unwrap();
    let input = VisitInput {
        title: Some(visit.row.title.clone()),
        theme: visit.row.theme.clone(),
        region: visit.row.region.clone(),
        timezone: Some(visit.row.timezone.name().to_owned()),
        first_day: Some(visit.row.first_day),
        last_day: Some(visit.row.last_day),
        official_ids: visit.official_ids.clone(),
        lead_official_id: visit.row.lead_official_id,
        status: text("cancelled"),
    };
    visits::update(&mut db.conn(), &actor(), visit_id, &input).expect("the visit cancelled");
    let akims = feed(&akim_token.token);
    assert!(events(&akims)
        .iter()
        .all(|e| property(e, "STATUS") == Some("CANCELLED")));
}

/// A small programme of fixed data, so the snapshot says only what the
/// feed's code decides: one venue with rules and a host, a group, a meeting
/// the participant attends through the group, one they are invited to by
/// name, and one that is not theirs. Gives the visit and the participant.
fn fixed_programme(db: &TestDb) -> (i64, i64) {
    let conn = &mut db.conn();
    let official = officials::create(
        conn,
        &actor(),
        &OfficialInput {
            full_name: text("Сапарова Әлия"),
            precedence: Some(1),
            ..Default::default()
        },
    )
    .unwrap()
    .id;
    let venue = venues::create(
        conn,
        &actor(),
        &VenueInput {
            name: text("Зауыт, мәжіліс залы"),
            kind: text("plant"),
            address: text("ул. Промышленная, 1; корпус Б"),
            latitude: Some(49.9242),
            longitude: Some(82.7081),
            timezone: text("Asia/Almaty"),
            contact_name: text("Петров Андрей"),
            contact_phone: text("+7 7232 29 00 00"),
            notes: text(
                "Каска и очки обязательны, выдаются на КПП-1.\nФотосъемка в цехах запрещена.",
            ),
            ..Default::default()
        },
    )
    .unwrap()
    .id;
    let participant = participants::create(
        conn,
        &actor(),
        &ParticipantInput {
            full_name: text("Омарова Жанар"),
            language: text("kk"),
            ..Default::default()
        },
    )
    .unwrap()
    .row
    .id;
    let group = groups::create(
        conn,
        &actor(),
        &GroupInput {
            name: text("Еңбек ұжымы"),
            headcount: Some(40),
            participant_ids: vec![participant],
            ..Default::default()
        },
    )
    .unwrap()
    .row
    .id;
    let visit = visits::create(
        conn,
        &actor(),
        &VisitInput {
            title: text("Сапар"),
            timezone: text("Asia/Almaty"),
            first_day: NaiveDate::from_ymd_opt(2026, 2, 25),
            last_day: NaiveDate::from_ymd_opt(2026, 2, 25),
            official_ids: vec![official],
            lead_official_id: Some(official),
            ..Default::default()
        },
    )
    .unwrap()
    .row
    .id;
    let at = |hhmm: &str| DateTime::parse_from_rfc3339(&format!("2026-02-25T{hhmm}:00+05:00")).ok();
    let meeting =
        |title: &str, starts: &str, ends: &str, groups: Vec<i64>, people: Vec<i64>| MeetingInput {
            title: text(title),
            kind: text("meeting"),
            starts_at: at(starts),
            ends_at: at(ends),
            venue_id: Some(venue),
            official_ids: vec![official],
            group_ids: groups,
            participant_ids: people,
            agenda: text("1. Цех губки; 2. Встреча, вопросы и ответы"),
            logistics: text("Кортеж у КПП-1"),
            status: text("confirmed"),
            ..Default::default()
        };
    for input in [
        meeting(
            "Еңбек ұжымымен кездесу",
            "14:35",
            "15:45",
            vec![group],
            vec![],
        ),
        meeting(
            "Беседа с профкомом",
            "16:00",
            "16:30",
            vec![],
            vec![participant],
        ),
        meeting("Рабочий обед", "13:15", "14:00", vec![], vec![]),
    ] {
        meetings::create(conn, &actor(), visit, &input).unwrap();
    }
    (visit, participant)
}

fn a_participant_feed_reads_as_the_snapshot_says(db: &TestDb) {
    let (visit, participant) = fixed_programme(db);
    publish(db, visit);
    let calendar =
        calendars::person_calendar(&mut db.conn(), Subscriber::Participant(participant), BASE)
            .unwrap();
    let ics = sapar::render::calendar::render(&calendar);
    keep(&format!("participant-fixed-{}", backend(db)), &ics);
    assert_well_formed(&ics);
    // When a row was written changes with every run; the rest may not.
    let redacted: String = ics
        .split_inclusive("\r\n")
        .map(|line| match line.split_once(':') {
            Some(("DTSTAMP" | "LAST-MODIFIED", _)) => {
                format!("{}:[instant]\n", line.split(':').next().unwrap_or(""))
            }
            _ => line.replace("\r\n", "\n"),
        })
        .collect();
    insta::assert_snapshot!("participant_feed", redacted);
}

/// The people a subscription may be made for are searched, not listed
/// whole: an office of thousands gets a bounded list and a search.
fn the_calendars_page_searches_the_people_it_offers(db: &TestDb) {
    let conn = &mut db.conn();
    demo::load(conn).expect("the demo");
    let everyone = officials::list(conn).unwrap();
    let (speaker, other) = (&everyone[0], &everyone[1]);
    run_async(async {
        let app = spawn_app(db);
        let client = browser();
        sign_in(&client, &app.address, ADMIN.0, ADMIN.1).await;
        let open = |url: String| {
            let client = client.clone();
            async move { client.get(url).send().await.unwrap().text().await.unwrap() }
        };
        let all = open(format!("{}/calendars", app.address)).await;
        assert!(all.contains(&format!("value=\"official:{}\"", speaker.id)));
        assert!(all.contains(&format!("value=\"official:{}\"", other.id)));
        assert!(all.contains("name=\"find\""), "a search box");

        let surname = speaker.full_name.split(' ').next().unwrap();
        let url = format!("{}/calendars?find={surname}", app.address);
        let found = open(url).await;
        assert!(found.contains(&format!("value=\"official:{}\"", speaker.id)));
        assert!(!found.contains(&format!("value=\"official:{}\"", other.id)));
        assert!(
            found.contains(&format!("value=\"{surname}\"")),
            "the search kept"
        );
    });
}

crate::on_both_backends!(
    the_calendars_page_searches_the_people_it_offers,
    the_visit_calendar_has_every_demo_meeting_at_its_utc_instant,
    a_participants_feed_holds_only_the_meetings_of_their_group,
    a_revoked_token_answers_404_and_viewers_cannot_manage_tokens,
    a_cancelled_meeting_is_cancelled_in_every_feed_with_a_higher_sequence,
    a_participant_feed_reads_as_the_snapshot_says,
);
