//! Personal calendar feeds through the API, feeds made only of what was
//! published, and who a briefing pack may go to, over real HTTP on both
//! backends. Every feed read here is also written to `target/ics/` for the
//! Python check in CI (`tests/ics_check.py`).

use chrono::Duration;
use reqwest::Method;
use serde_json::{json, Value};

use sapar::config::{DatabaseTarget, MailDomains, Settings};
use sapar::domain::model::MeetingInput;
use sapar::domain::Language;
use sapar::services::accounts::{self, NewUserInput, Password};
use sapar::services::calendars::{self, Subscriber};
use sapar::services::catalogue::{officials, participants, venues};
use sapar::services::programme::meetings;
use sapar::services::publishing::{self, MAX_BRIEFING_RECIPIENTS};
use sapar::web::api::views::meeting_input;

use crate::support::{actor, load_demo, run_async, spawn_app, spawn_app_with, TestApp, TestDb};

const SPEAKER: &str = "Ашимбаев Маулен Сагатханулы";

fn backend(db: &TestDb) -> &'static str {
    match db.target {
        DatabaseTarget::Sqlite(_) => "sqlite",
        DatabaseTarget::Postgres(_) => "postgres",
    }
}

/// Keeps a feed for the Python check in CI.
fn keep(name: &str, ics: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/ics");
    std::fs::create_dir_all(&dir).expect("target/ics");
    std::fs::write(dir.join(format!("{name}.ics")), ics).expect("an .ics written");
}

/// The text of a calendar as a person reads it: folding undone, escapes
/// removed.
fn readable(ics: &str) -> String {
    ics.replace("\r\n ", "")
        .replace("\\n", "\n")
        .replace("\\,", ",")
        .replace("\\;", ";")
        .replace("\\\\", "\\")
}

/// The value of `name` in each event, in order.
fn values(ics: &str, name: &str) -> Vec<String> {
    let prefix = format!("{name}:");
    ics.replace("\r\n ", "")
        .split("\r\n")
        .filter_map(|l| l.strip_prefix(&prefix).map(str::to_owned))
        .collect()
}

fn token_for(db: &TestDb, email: &str, role: &str) -> String {
    let conn = &mut db.conn();
    accounts::create_user(
        conn,
        &actor(),
        &NewUserInput {
            email,
            full_name: "",
            role,
            language: Language::Ru,
            password: &Password::new("a password for tests"),
        },
    )
    .unwrap();
    accounts::create_token(conn, &actor(), email).unwrap()
}

async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = app
        .client
        .request(method, format!("{}/api/v1{path}", app.address))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let value = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("{path}: non-JSON {text}"))
    };
    (status, value)
}

/// GETs a feed by the path of its link, without signing in.
async fn fetch_feed(app: &TestApp, url: &str) -> (u16, String) {
    let path = url
        .strip_prefix("webcal://127.0.0.1:8080")
        .unwrap_or_else(|| panic!("a link under the base URL: {url}"));
    let response = app
        .client
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .unwrap();
    (
        response.status().as_u16(),
        response.text().await.unwrap_or_default(),
    )
}

fn official_named(db: &TestDb, name: &str) -> i64 {
    officials::list(&mut db.conn())
        .unwrap()
        .into_iter()
        .find(|o| o.full_name == name)
        .unwrap_or_else(|| panic!("a demo official {name}"))
        .id
}

fn publish(db: &TestDb, visit_id: i64) {
    publishing::publish(&mut db.conn(), &actor(), visit_id, true, &db.settings())
        .expect("the visit is published");
}

fn outbox_size(db: &TestDb) -> usize {
    publishing::outbox(&mut db.conn(), None).unwrap().len()
}

// ---------------------------------------------------------------------------

fn planners_make_list_and_end_calendar_feeds_through_the_api(db: &TestDb) {
    let visit = load_demo(db);
    publish(db, visit);
    let speaker = official_named(db, SPEAKER);
    let participant = participants::list(&mut db.conn()).unwrap()[0].row.id;
    let planner = token_for(db, "planner@sapar.test", "planner");
    let other = token_for(db, "other@sapar.test", "planner");
    let viewer = token_for(db, "viewer@sapar.test", "viewer");
    run_async(async {
        let app = spawn_app(db);
        let (status, made) = call(
            &app,
            Method::POST,
            "/calendar-feeds",
            &planner,
            Some(json!({ "official_id": speaker })),
        )
        .await;
        assert_eq!(status, 201, "{made}");
        let keys: Vec<&String> = made.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["id", "url"]);
        let url = made["url"].as_str().unwrap().to_owned();
        let token = url
            .strip_prefix("webcal://127.0.0.1:8080/calendar/")
            .and_then(|rest| rest.strip_suffix(".ics"))
            .unwrap_or_else(|| panic!("a webcal link: {url}"))
            .to_owned();
        assert!(calendars::looks_like_token(&token), "{token}");
        let (status, ics) = fetch_feed(&app, &url).await;
        assert_eq!(status, 200);
        keep(&format!("api-feed-speaker-{}", backend(db)), &ics);
        assert_eq!(values(&ics, "SUMMARY").len(), 10, "the Speaker's meetings");

        let (status, second) = call(
            &app,
            Method::POST,
            "/calendar-feeds",
            &planner,
            Some(json!({ "participant_id": participant })),
        )
        .await;
        assert_eq!(status, 201, "{second}");

        // The list names whom each feed is for, never the secret.
        let (status, list) = call(&app, Method::GET, "/calendar-feeds", &planner, None).await;
        assert_eq!(status, 200);
        let feeds = list["calendar_feeds"].as_array().unwrap();
        assert_eq!(feeds.len(), 2, "{list}");
        assert!(!list.to_string().contains(&token), "no secret in {list}");
        assert!(!list.to_string().contains("webcal"), "no link in {list}");
        let speakers = feeds
            .iter()
            .find(|f| f["id"] == made["id"])
            .expect("the Speaker's feed");
        assert_eq!(speakers["official_id"], json!(speaker));
        assert_eq!(speakers["participant_id"], Value::Null);
        assert_eq!(speakers["name"], json!(SPEAKER));
        assert!(speakers["created_at"].as_str().unwrap().ends_with('Z'));
        let participants = feeds.iter().find(|f| f["id"] == second["id"]).unwrap();
        assert_eq!(participants["participant_id"], json!(participant));
        assert_eq!(participants["official_id"], Value::Null);

        // Another planner sees none of them and cannot end them.
        let (status, theirs) = call(&app, Method::GET, "/calendar-feeds", &other, None).await;
        assert_eq!((status, theirs), (200, json!({ "calendar_feeds": [] })));
        let path = format!("/calendar-feeds/{}", made["id"]);
        let (status, answer) = call(&app, Method::DELETE, &path, &other, None).await;
        assert_eq!(status, 404, "{answer}");
        assert_eq!(answer["error"]["code"], "not_found");
        let (status, _) = call(
            &app,
            Method::DELETE,
            "/calendar-feeds/999999",
            &planner,
            None,
        )
        .await;
        assert_eq!(status, 404);
        assert_eq!(fetch_feed(&app, &url).await.0, 200, "still live");

        // A viewer may do none of it.
        for (method, path, body) in [
            (
                Method::POST,
                "/calendar-feeds".to_owned(),
                Some(json!({ "official_id": speaker })),
            ),
            (Method::GET, "/calendar-feeds".to_owned(), None),
            (Method::DELETE, path.clone(), None),
        ] {
            let (status, answer) = call(&app, method.clone(), &path, &viewer, body).await;
            assert_eq!(status, 403, "{method} {path}: {answer}");
        }
        let (status, _) = call(&app, Method::GET, "/calendar-feeds", "not-a-token", None).await;
        assert_eq!(status, 401);

        // Bad bodies name the field, and make nothing.
        for (body, fields) in [
            (json!({}), &["official_id", "participant_id"][..]),
            (
                json!({ "official_id": speaker, "participant_id": participant }),
                &["official_id", "participant_id"],
            ),
            (json!({ "official_id": 999_999 }), &["official_id"]),
            (json!({ "participant_id": 999_999 }), &["participant_id"]),
            (json!({ "official_id": "the Speaker" }), &["official_id"]),
            (json!({ "person": speaker }), &["person"]),
        ] {
            let (status, answer) = call(
                &app,
                Method::POST,
                "/calendar-feeds",
                &planner,
                Some(body.clone()),
            )
            .await;
            assert_eq!(status, 422, "{body}: {answer}");
            assert_eq!(answer["error"]["code"], "validation");
            for field in fields {
                assert!(
                    answer["error"]["fields"][field].is_string(),
                    "{body}: {field} in {answer}"
                );
            }
        }
        let (_, list) = call(&app, Method::GET, "/calendar-feeds", &planner, None).await;
        assert_eq!(list["calendar_feeds"].as_array().unwrap().len(), 2);

        // The owner ends it: the link is gone, and so is the feed from the list.
        let (status, answer) = call(&app, Method::DELETE, &path, &planner, None).await;
        assert_eq!((status, answer), (204, Value::Null));
        let (status, body) = fetch_feed(&app, &url).await;
        assert_eq!(status, 404);
        assert!(!body.contains("BEGIN:VCALENDAR"));
        let (_, list) = call(&app, Method::GET, "/calendar-feeds", &planner, None).await;
        let left = list["calendar_feeds"].as_array().unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0]["id"], second["id"]);
        let (status, _) = call(&app, Method::DELETE, &path, &planner, None).await;
        assert_eq!(status, 404, "ended once");
    });
}

/// Moves a meeting by `by` and gives it a new title, on the live programme.
fn change_meeting(db: &TestDb, id: i64, by: Duration, title: &str) {
    let record = meetings::get(&mut db.conn(), id).unwrap();
    let mut input: MeetingInput = meeting_input(&record, chrono_tz::UTC);
    input.starts_at = input.starts_at.map(|t| t + by);
    input.ends_at = input.ends_at.map(|t| t + by);
    input.title = Some(title.to_owned());
    meetings::update(&mut db.conn(), &actor(), id, &input).expect("the meeting changed");
}

fn a_feed_shows_a_draft_change_only_once_it_is_published(db: &TestDb) {
    let visit = load_demo(db);
    let speaker = official_named(db, SPEAKER);
    let token = calendars::create_token(&mut db.conn(), &actor(), Subscriber::Official(speaker))
        .unwrap()
        .token;
    let feed = || {
        calendars::feed_ics(&mut db.conn(), &token, "https://sapar.example.kz")
            .unwrap()
            .expect("a live token")
    };
    let never_published = feed();
    assert!(never_published.starts_with("BEGIN:VCALENDAR"));
    assert!(
        values(&never_published, "SUMMARY").is_empty(),
        "a visit never published adds nothing"
    );

    publish(db, visit);
    let first = feed();
    assert_eq!(values(&first, "SUMMARY").len(), 10);

    // The draft changes: one meeting moves and is renamed, one more is added.
    let programme = meetings::of_visit(&mut db.conn(), visit).unwrap();
    let moved = programme[0].row.id;
    change_meeting(
        db,
        moved,
        Duration::minutes(20),
        "Встреча в аэропорту (перенесена)",
    );
    let mut added = meeting_input(&programme[9], chrono_tz::UTC);
    added.title = Some("Итоговый брифинг делегации".into());
    added.version = None;
    meetings::create(&mut db.conn(), &actor(), visit, &added).expect("a new meeting");
    let staff = calendars::visit_ics(
        &mut db.conn(),
        visit,
        Language::Ru,
        "https://sapar.example.kz",
    )
    .unwrap();
    assert!(
        readable(&staff).contains("Итоговый брифинг делегации"),
        "the draft has it"
    );

    let unpublished = feed();
    assert_eq!(
        values(&unpublished, "SUMMARY"),
        values(&first, "SUMMARY"),
        "nothing of the draft"
    );
    assert_eq!(values(&unpublished, "DTSTART"), values(&first, "DTSTART"));
    assert!(!readable(&unpublished).contains("перенесена"));
    assert!(!readable(&unpublished).contains("Итоговый брифинг делегации"));

    publish(db, visit);
    let second = feed();
    keep(&format!("feed-republished-{}", backend(db)), &second);
    let text = readable(&second);
    assert_eq!(values(&second, "SUMMARY").len(), 11);
    assert!(text.contains("Встреча в аэропорту (перенесена)"), "{text}");
    assert!(text.contains("Итоговый брифинг делегации"));
    let uid = format!("meeting-{moved}@sapar.example.kz");
    let (was, now) = (event(&first, &uid), event(&second, &uid));
    assert_ne!(values(&was, "DTSTART"), values(&now, "DTSTART"), "moved");
    assert_eq!(values(&was, "SEQUENCE"), ["0"]);
    assert_eq!(values(&now, "SEQUENCE"), ["1"], "a higher sequence");
}

/// The lines of the event with this UID, as `.ics` text.
fn event(ics: &str, uid: &str) -> String {
    ics.replace("\r\n ", "")
        .split("BEGIN:VEVENT\r\n")
        .find(|e| e.contains(&format!("UID:{uid}\r\n")))
        .unwrap_or_else(|| panic!("{uid} in the feed"))
        .to_owned()
}

/// Gives every demo meeting a briefing note, so the feeds have one to leave out.
fn add_briefing_notes(db: &TestDb, visit: i64) {
    for record in meetings::of_visit(&mut db.conn(), visit).unwrap() {
        let mut input = meeting_input(&record, chrono_tz::UTC);
        input.briefing_notes = Some(format!(
            "Только для аппарата: позиция по встрече {}",
            record.row.id
        ));
        meetings::update(&mut db.conn(), &actor(), record.row.id, &input).unwrap();
    }
}

fn no_personal_feed_of_the_demo_shows_phones_notes_briefing_notes_or_logistics(db: &TestDb) {
    let visit = load_demo(db);
    add_briefing_notes(db, visit);
    publish(db, visit);
    let speaker = Subscriber::Official(official_named(db, SPEAKER));
    let conn = &mut db.conn();
    let mut forbidden: Vec<String> = Vec::new();
    for venue in venues::list(conn).unwrap() {
        forbidden.extend(venue.contact_phone.clone());
        forbidden.extend(
            venue
                .notes
                .iter()
                .flat_map(|n| n.lines().map(str::to_owned)),
        );
    }
    let officials = officials::list(conn).unwrap();
    for official in &officials {
        forbidden.extend(official.phone.clone());
        forbidden.extend(official.notes.clone());
    }
    let participants = participants::list(conn).unwrap();
    for participant in &participants {
        forbidden.extend(participant.row.phone.clone());
    }
    for meeting in meetings::of_visit(conn, visit).unwrap() {
        for text in [&meeting.row.briefing_notes, &meeting.row.logistics] {
            forbidden.extend(text.iter().flat_map(|n| n.lines().map(str::to_owned)));
        }
    }
    forbidden.retain(|f| f.trim().chars().count() >= 6);
    assert!(
        forbidden.iter().any(|f| f.starts_with("+7"))
            && forbidden
                .iter()
                .any(|f| f.starts_with("Только для аппарата")),
        "the demo has phones and briefing notes to leave out: {forbidden:?}"
    );

    let people = officials.iter().map(|o| Subscriber::Official(o.id)).chain(
        participants
            .iter()
            .map(|p| Subscriber::Participant(p.row.id)),
    );
    let mut events = 0;
    for person in people {
        let calendar =
            calendars::person_calendar(conn, person, "https://sapar.example.kz").unwrap();
        let ics = sapar::render::calendar::render(&calendar);
        events += values(&ics, "SUMMARY").len();
        let text = readable(&ics);
        for secret in &forbidden {
            assert!(!text.contains(secret.trim()), "{person:?} reads {secret:?}");
        }
        if person == speaker {
            keep(&format!("feed-speaker-public-{}", backend(db)), &ics);
            assert!(text.contains("LOCATION:"), "where, still");
        }
    }
    assert!(
        events >= 10,
        "the feeds hold the programme: {events} events"
    );
}

/// Test settings that allow one more mail domain.
fn allowing(db: &TestDb, domains: &str) -> Settings {
    let mut settings = db.settings();
    settings.mail_allowed_domains = MailDomains::parse(domains).unwrap();
    settings
}

fn a_briefing_pack_goes_only_to_known_people_and_allowed_domains(db: &TestDb) {
    let visit = load_demo(db);
    let speaker = official_named(db, SPEAKER);
    let deputy = participants::list(&mut db.conn())
        .unwrap()
        .into_iter()
        .find_map(|p| p.row.email)
        .expect("a demo participant's address");
    let planner = token_for(db, "planner@sapar.test", "planner");
    let before = outbox_size(db);
    run_async(async {
        let app = spawn_app_with(db, allowing(db, "Partner.KZ"));
        let path = format!("/visits/{visit}/briefing-pack");
        let (status, answer) = call(
            &app,
            Method::POST,
            &path,
            &planner,
            Some(json!({
                "official_ids": [speaker],
                "emails": ["stranger@example.com", "aide@partner.kz", "someone@mail.partner.kz"],
            })),
        )
        .await;
        assert_eq!(status, 422, "{answer}");
        let refused = answer["error"]["fields"]["emails"].as_str().unwrap();
        assert!(refused.contains("stranger@example.com"), "{refused}");
        assert!(refused.contains("someone@mail.partner.kz"), "{refused}");
        assert!(!refused.contains("aide@partner.kz"), "{refused}");
        assert_eq!(outbox_size(db), before, "nothing queued");

        // Staff, officials and participants are known whatever the case.
        let emails = json!([
            "Aide@Partner.kz",
            "PLANNER@sapar.test",
            deputy.to_uppercase()
        ]);
        let (status, answer) = call(
            &app,
            Method::POST,
            &path,
            &planner,
            Some(json!({ "official_ids": [speaker], "emails": emails })),
        )
        .await;
        assert_eq!((status, &answer), (200, &json!({ "queued": 4 })));
        assert_eq!(outbox_size(db), before + 4);

        // One recipient too many, the Speaker's own address counted.
        let many: Vec<String> = (0..MAX_BRIEFING_RECIPIENTS)
            .map(|n| format!("guest{n}@partner.kz"))
            .collect();
        let (status, answer) = call(
            &app,
            Method::POST,
            &path,
            &planner,
            Some(json!({ "official_ids": [speaker], "emails": many })),
        )
        .await;
        assert_eq!(status, 422, "{answer}");
        assert!(answer["error"]["fields"]["emails"]
            .as_str()
            .unwrap()
            .contains(&MAX_BRIEFING_RECIPIENTS.to_string()));
        assert_eq!(outbox_size(db), before + 4, "nothing queued");
    });

    // The audit entry of the send names whom it went to.
    let audit = sapar::db::repo::audit_events_of(&mut db.conn(), "briefing_pack", visit).unwrap();
    assert_eq!(audit.len(), 1, "only the send that was made");
    let after: Value = serde_json::from_str(audit[0].after.as_deref().unwrap()).unwrap();
    let recipients: Vec<String> = serde_json::from_value(after["recipients"].clone()).unwrap();
    assert_eq!(recipients.len(), 4, "{after}");
    let speaker_email = officials::list(&mut db.conn())
        .unwrap()
        .into_iter()
        .find(|o| o.id == speaker)
        .and_then(|o| o.email)
        .unwrap();
    for address in [
        speaker_email,
        "Aide@partner.kz".into(),
        "PLANNER@sapar.test".into(),
    ] {
        assert!(
            recipients.iter().any(|r| r.eq_ignore_ascii_case(&address)),
            "{address} in {recipients:?}"
        );
    }
}

fn without_allowed_domains_only_known_people_receive_a_briefing_pack(db: &TestDb) {
    let visit = load_demo(db);
    let before = outbox_size(db);
    let refused = publishing::briefing_pack(
        &mut db.conn(),
        &actor(),
        visit,
        &[],
        &["aide@partner.kz".to_owned()],
        &db.settings(),
    )
    .expect_err("an unknown address with no domain allowed");
    assert!(refused.to_string().contains("aide@partner.kz"), "{refused}");
    assert_eq!(outbox_size(db), before);
    let exactly_enough: Vec<String> = (0..MAX_BRIEFING_RECIPIENTS)
        .map(|n| format!("guest{n}@partner.kz"))
        .collect();
    let queued = publishing::briefing_pack(
        &mut db.conn(),
        &actor(),
        visit,
        &[],
        &exactly_enough,
        &allowing(db, "partner.kz"),
    )
    .expect("a hundred recipients are allowed");
    assert_eq!(queued, MAX_BRIEFING_RECIPIENTS);
    assert_eq!(outbox_size(db), before + MAX_BRIEFING_RECIPIENTS);
}

crate::on_both_backends!(
    planners_make_list_and_end_calendar_feeds_through_the_api,
    a_feed_shows_a_draft_change_only_once_it_is_published,
    no_personal_feed_of_the_demo_shows_phones_notes_briefing_notes_or_logistics,
    a_briefing_pack_goes_only_to_known_people_and_allowed_domains,
    without_allowed_domains_only_known_people_receive_a_briefing_pack,
);
