//! The app in a real browser: headless Chromium driven over WebDriver, for what
//! only a browser shows. Forms are filled in and submitted by clicking, redirects
//! are followed, the timeline is drawn (and photographed into
//! `target/screenshots/`), the language switches from the header, a viewer finds
//! nothing to press, and names full of markup stay text.
//!
//! Each test starts its own chromedriver on a free port and its own app over a
//! fresh SQLite file. Without Chromium or chromedriver (Debian's `chromium` and
//! `chromium-driver`) a test says "skipping a browser test: …" and passes,
//! counted in the line `support::skips` prints at the end, except with
//! CI=true, where it fails. `SAPAR_CHROMIUM` and
//! `SAPAR_CHROMEDRIVER` point at other binaries.

use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::pin::pin;
use std::process::{Child, Command, Stdio};
use std::task::Poll;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

use sapar::domain::model::{GroupInput, MeetingInput, OfficialInput, ParticipantInput};
use sapar::domain::Language;
use sapar::i18n::Translator;
use sapar::services::accounts::{self, NewUserInput, Password};
use sapar::services::catalogue::{groups, officials, participants};
use sapar::services::demo::{self, DemoOutcome};
use sapar::services::programme::meetings;

use sapar::config::Settings;

use crate::support::mailroom::Mailroom;
use crate::support::mime::Mail;
use crate::support::skips::{self, in_ci, Kind};
use crate::support::{actor, run_async, spawn_app_with, Backend, TestApp, TestDb};

const ADMIN: (&str, &str) = ("admin@sapar.test", "admin-password-for-tests");
const VIEWER: (&str, &str) = ("viewer@sapar.test", "viewer-password-for-tests");
const DEMO_TITLE: &str = "Рабочая поездка Председателя Сената в Восточно-Казахстанскую область";
const SECRETARY: &str = "Касымова Гульнара Токтаровна";
const DEPUTIES: &str = "Встреча с депутатами маслихатов области";
/// How the timeline draws a meeting in a conflict.
const CLASH_STROKE: &str = "#b42318";
const CHROME_ARGS: [&str; 6] = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--window-size=1400,1000",
];
const WINDOW: (u32, u32) = (1400, 1000);
/// A phone held upright.
const PHONE: (u32, u32) = (390, 844);
/// How long a page may take to arrive after a click.
const PATIENCE: Duration = Duration::from_secs(15);

// ---------------------------------------------------------------------------
// The scenarios

#[test]
fn a_planner_signs_in_and_finds_the_demo_visit_with_its_problems() {
    let db = test_db();
    demo_visit(&db);
    in_browser(&db, async |b: &Browser| {
        b.visit("/visits").await;
        assert_eq!(b.path().await, "/login", "the list needs a signed-in user");
        b.sign_in(ADMIN).await;

        assert_eq!(b.path().await, "/visits");
        assert_eq!(b.text("h1").await, "Визиты");
        assert_eq!(b.text("header.site .who").await, ADMIN.0);
        let row = b.row_of("table.visits tbody tr", DEMO_TITLE).await;
        let errors = row
            .find(Locator::Css(".badge.error"))
            .await
            .expect("an error badge");
        let warnings = row
            .find(Locator::Css(".badge.warning"))
            .await
            .expect("a warning badge");
        // The word agrees with its number: «1 ошибка», «3 ошибки», «5 ошибок».
        let russian = Translator(Language::Ru);
        for (badge, key) in [
            (errors, "conflicts-errors"),
            (warnings, "conflicts-warnings"),
        ] {
            let text = badge.text().await.expect("badge text");
            let count = text.split_once(' ').map_or("", |(count, _)| count);
            let n = count.parse::<u32>().unwrap_or(0);
            assert!(
                n > 0 && text == russian.count(key, n),
                "a badge like {:?}, got {text:?}",
                russian.count(key, 3)
            );
        }
    });
}

#[test]
fn a_planner_adds_a_venue_and_a_bad_time_zone_comes_back_marked() {
    let db = test_db();
    in_browser(&db, async |b: &Browser| {
        b.visit("/visits").await;
        b.sign_in(ADMIN).await;
        b.visit("/venues").await;
        let add = b.find("a.button.primary[href='/venues/new']").await;
        assert_eq!(add.text().await.expect("link text"), "Добавить");
        b.click_and_load(&add).await;
        assert_eq!(b.path().await, "/venues/new");

        let name = "Конференц-зал гостиницы «Шыгыс»";
        b.fill("#f-name", name).await;
        b.fill("#f-timezone", "Asia/Ust-Kamenogorsk").await;
        b.fill("#f-capacity", "40").await;
        b.submit("form.entity").await;

        // Refused: the same form again, the values kept, the zone field marked.
        assert_eq!(b.value("#f-name").await, name);
        assert_eq!(b.value("#f-timezone").await, "Asia/Ust-Kamenogorsk");
        assert_eq!(b.value("#f-capacity").await, "40");
        let marked = b.find(".field.has-problem").await;
        assert!(
            marked.find(Locator::Css("#f-timezone")).await.is_ok(),
            "the marked field is the time zone"
        );
        assert_eq!(
            b.find_all(".field.has-problem").await.len(),
            1,
            "only the zone is marked"
        );
        let problem = marked
            .find(Locator::Css(".problem"))
            .await
            .expect("a problem message");
        assert!(problem.is_displayed().await.expect("visibility"));
        assert!(!problem
            .text()
            .await
            .expect("problem text")
            .trim()
            .is_empty());
        assert_eq!(
            problem.attr("id").await.expect("id").as_deref(),
            Some("p-timezone")
        );
        assert_eq!(
            b.find("#f-timezone")
                .await
                .attr("aria-describedby")
                .await
                .expect("attribute")
                .as_deref(),
            Some("p-timezone")
        );

        b.fill("#f-timezone", "Asia/Almaty").await;
        b.submit("form.entity").await;
        assert_eq!(b.path().await, "/venues");
        let row = b.row_of("table.list tbody tr", name).await;
        assert!(
            row.text().await.expect("row text").contains("40"),
            "the capacity is listed"
        );
    });
}

#[test]
fn a_planner_resolves_a_clash_with_the_suggested_slot() {
    let db = test_db();
    let visit_id = demo_visit(&db);
    in_browser(&db, async |b: &Browser| {
        b.visit("/visits").await;
        b.sign_in(ADMIN).await;
        let hall = "Малый зал акимата";
        b.add_venue(hall, "Asia/Almaty", "30", Some(("08:00", "20:00")))
            .await;

        // A talk with the maslikhat secretary while she hosts the deputies (09:30–10:45).
        let title = "Беседа с секретарем маслихата";
        b.visit(&format!("/visits/{visit_id}")).await;
        let add = b
            .find(&format!("a[href='/visits/{visit_id}/meetings/new']"))
            .await;
        assert_eq!(add.text().await.expect("link text"), "Добавить мероприятие");
        b.click_and_load(&add).await;
        b.fill("#f-title", title).await;
        b.find("#f-kind")
            .await
            .select_by_value("meeting")
            .await
            .expect("a meeting kind");
        b.set_clock_value("#f-starts_at", "2026-02-25T10:00").await;
        b.set_clock_value("#f-ends_at", "2026-02-25T10:30").await;
        b.find("#f-venue_id")
            .await
            .select_by_label(hall)
            .await
            .expect("the new hall");
        b.only_official(SECRETARY).await;
        b.submit("form.entity").await;

        assert_eq!(b.path().await, format!("/visits/{visit_id}"));
        let meeting_id = b.meeting_in_fragment().await;
        let clash = b.row_of("li.conflict.error", title).await;
        let message = clash
            .find(Locator::Css(".message"))
            .await
            .expect("a message");
        assert!(
            message
                .text()
                .await
                .expect("message text")
                .contains("Касымова"),
            "the clash names the secretary"
        );
        let strokes = b.bar_strokes(title).await;
        assert!(
            strokes.iter().any(|s| s == CLASH_STROKE),
            "the new meeting is drawn red on the timeline, strokes: {strokes:?}"
        );
        b.photograph_page("visit-page.png").await;
        b.photograph("figure.timeline", "timeline.png").await;

        // The suggestion moves the new meeting, not the deputies' one.
        let suggestion = clash
            .find(Locator::Css(".suggestion"))
            .await
            .expect("a suggestion");
        assert_eq!(
            suggestion
                .find(Locator::Css("strong"))
                .await
                .expect("the slot")
                .text()
                .await
                .expect("slot text"),
            "25.02 08:00–08:30"
        );
        let moved = suggestion
            .find(Locator::Css("input[name=meeting_id]"))
            .await
            .expect("the meeting");
        assert_eq!(
            moved.attr("value").await.expect("value"),
            Some(meeting_id.to_string())
        );
        let apply = suggestion
            .find(Locator::Css("button.apply"))
            .await
            .expect("the apply button");
        assert_eq!(apply.text().await.expect("button text"), "Перенести");
        b.click_and_load(&apply).await;

        assert_eq!(b.path().await, format!("/visits/{visit_id}"));
        for line in b.find_all("li.conflict").await {
            let text = line.text().await.expect("conflict text");
            assert!(!text.contains(title), "the clash is gone, yet: {text}");
        }
        assert_eq!(
            b.text(&format!("tr#m{meeting_id} td.time")).await,
            "08:00–08:30"
        );
        let strokes = b.bar_strokes(title).await;
        assert!(
            !strokes.is_empty() && strokes.iter().all(|s| s != CLASH_STROKE),
            "{strokes:?}"
        );
    });
}

#[test]
fn a_planner_runs_twenty_minutes_late_and_publishes_the_change() {
    let db = test_db();
    let visit_id = demo_visit(&db);
    let Some(mail) = Mailroom::open(&db) else {
        return;
    };
    // Published once already: the shift is a change to that version.
    mail.publish(&db, visit_id);
    mail.deliver(&db);
    mail.sink.clear();
    let deputies = meetings::of_visit(&mut db.conn(), visit_id)
        .expect("the programme")
        .into_iter()
        .find(|m| m.row.title == DEPUTIES)
        .expect("the deputies' meeting");
    let speaker = officials::list(&mut db.conn())
        .expect("officials")
        .into_iter()
        .find(|o| o.full_name.starts_with("Ашимбаев"))
        .expect("the Speaker")
        .id;
    let settings = mail.settings.clone();
    let ran = in_browser_with(&db, settings, async |b: &Browser| {
        b.visit(&format!("/visits/{visit_id}")).await;
        b.sign_in(ADMIN).await;
        b.visit(&format!("/visits/{visit_id}")).await;
        let late = b.find(&format!("tr#m{} a.late", deputies.row.id)).await;
        assert_eq!(late.text().await.expect("link text"), "Задерживаемся…");
        b.click_and_load(&late).await;
        assert_eq!(
            b.path().await,
            format!("/meetings/{}/late", deputies.row.id)
        );

        let plus_twenty = b.find("button[name=quick][value='20']").await;
        b.click_and_load(&plus_twenty).await;
        let moved = b.text("ol.moved li:first-child").await;
        assert!(moved.contains("09:30–10:45"), "{moved}");
        assert!(moved.contains("→ 09:50–11:05"), "{moved}");
        assert!(b.text("ul.told").await.contains("Ашимбаев"));
        b.photograph_page("late-preview.png").await;
        b.photograph_phone("late-preview-phone.png").await;

        let publish = b.find("button[name=then][value=publish]").await;
        assert_eq!(
            publish.text().await.expect("button text"),
            "Применить и опубликовать"
        );
        b.click_and_load(&publish).await;
        assert_eq!(b.path().await, "/outbox");
        assert!(
            b.text("table.outbox").await.contains("Изменения"),
            "the change notices are in the outbox"
        );

        // The day on a phone: at 10:00 the deputies (now 09:50–11:05) are on.
        b.visit(&format!(
            "/visits/{visit_id}/today?official={speaker}&at=2026-02-25T05:00:00Z"
        ))
        .await;
        assert!(b.text("section.now").await.contains(DEPUTIES));
        assert!(
            b.text("section.next").await.contains("11:15"),
            "when to leave"
        );
        b.photograph_phone("late-today-phone.png").await;
    });
    if !ran {
        return;
    }
    let moved = meetings::get(&mut db.conn(), deputies.row.id).expect("the meeting");
    assert_eq!(
        (moved.row.starts_at - deputies.row.starts_at).num_minutes(),
        20
    );
    mail.deliver(&db);
    let received = mail.sink.wait_for(1, Duration::from_secs(20));
    let notices: Vec<Mail> = received.iter().map(Mail::parse).collect();
    assert!(
        notices.iter().any(|m| m.text().contains("09:50")),
        "a change notice with the new time reaches the SMTP server"
    );
}

#[test]
fn the_header_buttons_switch_the_interface_to_kazakh_and_english() {
    let db = test_db();
    let visit_id = demo_visit(&db);
    in_browser(&db, async |b: &Browser| {
        b.visit("/visits").await;
        b.sign_in(ADMIN).await;
        assert_eq!(b.text("h1").await, "Визиты");

        b.click_and_load(&b.find("form.languages button[value=kk]").await)
            .await;
        assert_eq!(b.path().await, "/visits", "the switch stays on the page");
        assert_eq!(b.text("h1").await, "Сапарлар");
        assert_eq!(b.attr("html", "lang").await.as_deref(), Some("kk"));
        assert_eq!(
            b.attr("form.languages button[value=kk]", "aria-current")
                .await
                .as_deref(),
            Some("true")
        );

        b.click_and_load(&b.find("form.languages button[value=en]").await)
            .await;
        assert_eq!(b.text("h1").await, "Visits");

        // The choice is the user's: it holds on the next page too.
        b.visit(&format!("/visits/{visit_id}")).await;
        assert!(b.text("#conflicts-h").await.starts_with("Conflicts"));
        let add = b
            .find(&format!("a[href='/visits/{visit_id}/meetings/new']"))
            .await;
        assert_eq!(add.text().await.expect("link text"), "Add an item");
    });
}

#[test]
fn a_viewer_finds_no_edit_controls_and_a_direct_post_is_refused() {
    let db = test_db();
    let visit_id = demo_visit(&db);
    accounts::create_user(
        &mut db.conn(),
        &actor(),
        &NewUserInput {
            email: VIEWER.0,
            full_name: "Наблюдатель Аппарата",
            role: "viewer",
            language: Language::Ru,
            password: &Password::new(VIEWER.1),
        },
    )
    .expect("a viewer");
    // A double booking of the secretary, so there is a suggestion to apply.
    meetings::create(
        &mut db.conn(),
        &actor(),
        visit_id,
        &MeetingInput {
            title: Some("Беседа с секретарем маслихата".into()),
            kind: Some("meeting".into()),
            starts_at: demo_time("10:00"),
            ends_at: demo_time("10:30"),
            official_ids: vec![secretary_id(&db)],
            ..MeetingInput::default()
        },
    )
    .expect("a clashing meeting");
    let meetings_before = meetings::of_visit(&mut db.conn(), visit_id)
        .expect("meetings")
        .len();
    in_browser(&db, async |b: &Browser| {
        b.visit("/visits").await;
        b.sign_in(VIEWER).await;
        assert_eq!(b.path().await, "/visits");
        assert!(!b.has("a[href='/visits/new']").await, "no new visit");

        b.visit(&format!("/visits/{visit_id}")).await;
        assert!(
            b.has(".suggestion strong").await,
            "suggestions are shown to read"
        );
        for control in [
            "a[href$='/meetings/new']",
            "a[href$='/edit'].button",
            "button.apply",
            "form[action$='/apply']",
        ] {
            assert!(!b.has(control).await, "a viewer sees no {control}");
        }
        let page = b.text("body").await;
        assert!(!page.contains("Добавить мероприятие") && !page.contains("Перенести"));
        let meeting = b
            .attr("table.programme td a[href^='/meetings/']", "href")
            .await
            .expect("a link to the first meeting");

        b.visit("/venues").await;
        assert!(!b.has("a[href='/venues/new']").await, "no new venue");
        // The forms open to read, with nothing to save or delete.
        for form in [meeting.as_str(), "/venues/1/edit", "/officials/1/edit"] {
            b.visit(form).await;
            assert!(
                b.has("form.entity #f-title, form.entity #f-name, form.entity #f-full_name")
                    .await,
                "{form} opens to read"
            );
            assert!(
                !b.has("form.entity button[type=submit]").await,
                "no save on {form}"
            );
            assert!(!b.has("form.danger-zone").await, "no delete on {form}");
        }

        // Around the missing button: the viewer's own session and token, straight to the server.
        let cookie = b
            .client
            .get_named_cookie("sapar_session")
            .await
            .expect("a session cookie");
        let csrf = b.value("input[name=csrf]").await;
        let response = b
            .app
            .client
            .post(b.url(&format!("/visits/{visit_id}/meetings")))
            .header("cookie", format!("sapar_session={}", cookie.value()))
            .form(&[
                ("csrf", csrf.as_str()),
                ("title", "Не должно появиться"),
                ("kind", "meeting"),
                ("starts_at", "2026-02-25T07:00"),
                ("ends_at", "2026-02-25T07:30"),
                ("status", "tentative"),
            ])
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status().as_u16(), 403);
    });
    let meetings_after = meetings::of_visit(&mut db.conn(), visit_id)
        .expect("meetings")
        .len();
    assert_eq!(meetings_after, meetings_before, "nothing was created");
}

#[test]
fn names_full_of_markup_show_as_text_and_never_run() {
    let db = test_db();
    let visit_id = demo_visit(&db);
    let name = r#"<script>alert("x")</script> Әбілқасымова Құралай ғңөұүһі"#;
    let title = r#"Брифинг <img src=x onerror=alert(2)> «&amp;»"#;
    {
        let conn = &mut db.conn();
        let official = officials::create(
            conn,
            &actor(),
            &OfficialInput {
                full_name: Some(name.into()),
                position: Some(r#"<b onmouseover="alert(3)">советник</b>"#.into()),
                precedence: Some(40),
                ..OfficialInput::default()
            },
        )
        .expect("an official");
        meetings::create(
            conn,
            &actor(),
            visit_id,
            &MeetingInput {
                title: Some(title.into()),
                kind: Some("meeting".into()),
                starts_at: demo_time("07:00"),
                ends_at: demo_time("07:30"),
                official_ids: vec![official.id],
                ..MeetingInput::default()
            },
        )
        .expect("a meeting");
    }
    in_browser(&db, async |b: &Browser| {
        b.visit("/visits").await;
        b.sign_in(ADMIN).await;

        b.visit(&format!("/visits/{visit_id}")).await;
        b.assert_nothing_ran().await;
        let page = b.text("body").await;
        assert!(page.contains(title), "the title reads as typed");
        // The programme prints surname and initials: the "surname" here is the tag.
        assert!(
            page.contains(r#"<script>alert("x")</script> Ә. Қ. ғ."#),
            "{page}"
        );
        let drawn = b
            .script(
                "return document.querySelector('figure.timeline svg').textContent",
                vec![],
            )
            .await;
        assert!(
            drawn
                .as_str()
                .is_some_and(|text| text.contains(name) && text.contains(title)),
            "the timeline writes the name and the title as text"
        );

        b.visit("/officials").await;
        b.assert_nothing_ran().await;
        let row = b.row_of("table.list tbody tr", name).await;
        let cells = row.text().await.expect("row text");
        assert!(cells.contains("Әбілқасымова Құралай ғңөұүһі"), "{cells}");
        assert!(
            cells.contains(r#"<b onmouseover="alert(3)">советник</b>"#),
            "{cells}"
        );
    });
}

#[test]
fn enter_in_a_pickers_search_box_finds_and_saves_nothing() {
    const NEWCOMER: &str = "Серикбаева Алтынай";
    let db = test_db();
    let mut conn = db.conn();
    let mut office = Vec::new();
    for n in 1..=300 {
        let person = ParticipantInput {
            full_name: Some(format!("Участник {n:03}")),
            organization: Some("Аппарат акимата".into()),
            ..ParticipantInput::default()
        };
        office.push(participants::create(&mut conn, &actor(), &person).expect("a participant"));
    }
    for (name, organization) in [
        (NEWCOMER, "Маслихат области"),
        ("Серикбаев Нурлан", "Молодёжный ресурсный центр"),
    ] {
        let person = ParticipantInput {
            full_name: Some(name.into()),
            organization: Some(organization.into()),
            ..ParticipantInput::default()
        };
        participants::create(&mut conn, &actor(), &person).expect("a namesake");
    }
    let members: Vec<i64> = office[..6].iter().map(|p| p.row.id).collect();
    let group = groups::create(
        &mut conn,
        &actor(),
        &GroupInput {
            name: Some("Активная молодёжь".into()),
            description: Some("Встреча Председателя Сената с молодёжью".into()),
            participant_ids: members.clone(),
            ..GroupInput::default()
        },
    )
    .expect("a group")
    .row
    .id;
    drop(conn);
    let members_now = |db: &TestDb| {
        let mut ids = groups::get(&mut db.conn(), group)
            .expect("the group")
            .participant_ids;
        ids.sort();
        ids
    };
    in_browser(&db, async |b: &Browser| {
        b.visit("/groups").await;
        b.sign_in(ADMIN).await;
        let edit = format!("/groups/{group}/edit");
        for (language, found) in [("ru", "Найти"), ("en", "Find")] {
            b.visit(&edit).await;
            if language == "en" {
                b.click_and_load(&b.find("form.languages button[value=en]").await)
                    .await;
            }
            assert_eq!(
                b.find_all("#f-participant_ids .chosen input:checked")
                    .await
                    .len(),
                6
            );
            b.fill("#f-name", "Молодёжь области").await;
            b.type_and_enter("#find-participant_ids", "СЕРИКБ").await;
            // The same form, the namesakes offered unticked, the name kept, nothing saved.
            assert_eq!(b.text("#f-participant_ids button.find").await, found);
            let offered = b.find_all("#f-participant_ids .found label.choice").await;
            assert_eq!(offered.len(), 2, "both namesakes are offered");
            assert!(b
                .text("#f-participant_ids .found")
                .await
                .contains(&format!("{NEWCOMER} — Маслихат области")));
            assert!(!b.has("#f-participant_ids .found input:checked").await);
            assert_eq!(b.value("#f-name").await, "Молодёжь области");
            assert_eq!(b.value("#find-participant_ids").await, "СЕРИКБ");
            assert!(b.has("p.pending").await, "the form says it is not saved");
            assert_eq!(members_now(&db), members, "Enter saved nothing");
            b.photograph_page(&format!("picker-group-{language}.png"))
                .await;
        }

        // Ticking the newcomer and saving makes her a member.
        b.row_of("#f-participant_ids .found label.choice", NEWCOMER)
            .await
            .find(Locator::Css("input"))
            .await
            .expect("her checkbox")
            .click()
            .await
            .expect("a tick");
        b.fill("#f-headcount", "30").await;
        b.submit("form.entity").await;
        assert_eq!(b.path().await, "/groups");
        let saved = members_now(&db);
        assert_eq!(saved.len(), 7);
        let newcomer = participants::by_ids(&mut db.conn(), &saved)
            .expect("the members")
            .into_iter()
            .any(|p| p.full_name == NEWCOMER);
        assert!(newcomer, "the newcomer is a member");
        b.assert_nothing_ran().await;
    });
}

// ---------------------------------------------------------------------------
// The world of one test

fn test_db() -> TestDb {
    TestDb::new(Backend::Sqlite).expect("SQLite is always available")
}

fn demo_visit(db: &TestDb) -> i64 {
    match demo::load(&mut db.conn()).expect("the demo loads") {
        DemoOutcome::Loaded { visit_id } => visit_id,
        DemoOutcome::AlreadyLoaded => panic!("a fresh database has no demo yet"),
    }
}

/// A time on the demo day, local time in Ust-Kamenogorsk (UTC+5).
fn demo_time(hhmm: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    chrono::DateTime::parse_from_rfc3339(&format!("2026-02-25T{hhmm}:00+05:00")).ok()
}

fn secretary_id(db: &TestDb) -> i64 {
    officials::list(&mut db.conn())
        .expect("officials")
        .into_iter()
        .find(|o| o.full_name == SECRETARY)
        .expect("the demo's maslikhat secretary")
        .id
}

struct BrowserTools {
    chromium: PathBuf,
    chromedriver: PathBuf,
}

/// Chromium and chromedriver, or `None` after saying which is missing
/// (outside CI; in CI a missing one fails the test).
fn browser_tools() -> Option<BrowserTools> {
    let path = |variable: &str, default: &str| {
        std::env::var_os(variable)
            .filter(|v| !v.is_empty())
            .map_or_else(|| PathBuf::from(default), PathBuf::from)
    };
    let tools = BrowserTools {
        chromium: path("SAPAR_CHROMIUM", "/usr/bin/chromium"),
        chromedriver: path("SAPAR_CHROMEDRIVER", "/usr/bin/chromedriver"),
    };
    let missing: Vec<String> = [&tools.chromium, &tools.chromedriver]
        .into_iter()
        .filter(|p| !p.is_file())
        .map(|p| p.display().to_string())
        .collect();
    if missing.is_empty() {
        return Some(tools);
    }
    let why = format!("no {}", missing.join(" and "));
    let hint =
        "Debian packages chromium and chromium-driver; or set SAPAR_CHROMIUM / SAPAR_CHROMEDRIVER";
    if in_ci() {
        panic!("CI=true and {why} ({hint})");
    }
    eprintln!("{hint}");
    skips::skip(Kind::Browser, &why);
    None
}

/// A chromedriver of this test's own, killed when dropped.
struct Chromedriver {
    process: Child,
    url: String,
}

impl Chromedriver {
    /// Starts chromedriver on a free port and waits until it says it is ready.
    /// A port taken between choosing and binding it means another try.
    async fn start(binary: &Path) -> Self {
        let http = reqwest::Client::new();
        for _ in 0..3 {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .expect("a free port")
                .port();
            let process = Command::new(binary)
                .arg(format!("--port={port}"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
            let mut driver = Self {
                process,
                url: format!("http://127.0.0.1:{port}"),
            };
            let deadline = Instant::now() + Duration::from_secs(20);
            while Instant::now() < deadline {
                let status = http.get(format!("{}/status", driver.url)).send().await;
                if let Ok(answer) = status {
                    let ready = answer
                        .json::<Value>()
                        .await
                        .ok()
                        .and_then(|v| v["value"]["ready"].as_bool());
                    if ready == Some(true) {
                        return driver;
                    }
                }
                if let Ok(Some(_)) = driver.process.try_wait() {
                    break;
                }
                actix_web::rt::time::sleep(Duration::from_millis(50)).await;
            }
        }
        panic!("{} never answered on its port", binary.display());
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// Runs `scenario` against the app over `db` in a fresh headless Chromium, and
/// closes the browser whatever happens (a panic is raised again afterwards).
fn in_browser(db: &TestDb, scenario: impl AsyncFnOnce(&Browser)) {
    in_browser_with(db, db.settings(), scenario);
}

/// [`in_browser`] with the app's settings of the test's own (an SMTP server);
/// `false` when the test is skipped (no Chromium), so it checks nothing more.
fn in_browser_with(db: &TestDb, settings: Settings, scenario: impl AsyncFnOnce(&Browser)) -> bool {
    let Some(tools) = browser_tools() else {
        return false;
    };
    run_async(async {
        let driver = Chromedriver::start(&tools.chromedriver).await;
        let capabilities = json!({
            "browserName": "chrome",
            // An alert left open stays open, so a test can see that one fired.
            "unhandledPromptBehavior": "ignore",
            "goog:chromeOptions": {
                "binary": tools.chromium,
                "args": CHROME_ARGS,
            },
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!("an object literal")
        };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&driver.url)
            .await
            .expect("a Chromium session");
        let browser = Browser {
            client,
            app: spawn_app_with(db, settings),
        };
        let outcome = catching(scenario(&browser)).await;
        // Closing the session is what stops Chromium; killing chromedriver would orphan it.
        let _ = browser.client.clone().close().await;
        drop(driver);
        if let Err(panic) = outcome {
            panic::resume_unwind(panic);
        }
    });
    true
}

/// `body`'s panic as an `Err`, so the browser can be closed before it goes on.
async fn catching<F: Future>(body: F) -> std::thread::Result<F::Output> {
    let mut body = pin!(body);
    std::future::poll_fn(move |cx| {
        match panic::catch_unwind(AssertUnwindSafe(|| body.as_mut().poll(cx))) {
            Ok(Poll::Ready(value)) => Poll::Ready(Ok(value)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(panic) => Poll::Ready(Err(panic)),
        }
    })
    .await
}

/// A browser pointed at the app, with the steps a person takes.
struct Browser {
    client: Client,
    app: TestApp,
}

impl Browser {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.app.address)
    }

    async fn visit(&self, path: &str) {
        self.client
            .goto(&self.url(path))
            .await
            .unwrap_or_else(|e| panic!("open {path}: {e}"));
    }

    async fn path(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("the current URL")
            .path()
            .to_owned()
    }

    async fn find(&self, css: &str) -> Element {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css} on the page: {e}"))
    }

    async fn find_all(&self, css: &str) -> Vec<Element> {
        self.client
            .find_all(Locator::Css(css))
            .await
            .expect("a search")
    }

    async fn has(&self, css: &str) -> bool {
        !self.find_all(css).await.is_empty()
    }

    async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.expect("text")
    }

    async fn value(&self, css: &str) -> String {
        self.find(css)
            .await
            .prop("value")
            .await
            .expect("a value")
            .unwrap_or_default()
    }

    async fn attr(&self, css: &str, name: &str) -> Option<String> {
        self.find(css).await.attr(name).await.expect("an attribute")
    }

    async fn script(&self, js: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(js, args)
            .await
            .unwrap_or_else(|e| panic!("script {js}: {e}"))
    }

    /// Types into a field, replacing what it held.
    async fn fill(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field.clear().await.expect("a field to clear");
        field.send_keys(text).await.expect("a field to type into");
    }

    /// A `datetime-local` or `time` field's value. Typed keys go through
    /// Chromium's segmented editor, whose order and AM/PM follow the browser's
    /// locale, so the value is set as the field's own picker would set it.
    async fn set_clock_value(&self, css: &str, value: &str) {
        let field = self.find(css).await;
        let field = serde_json::to_value(&field).expect("an element reference");
        self.script(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
            vec![field, json!(value)],
        )
        .await;
        assert_eq!(self.value(css).await, value, "{css} takes {value}");
    }

    /// Clicks, and waits until the page the click leads to has loaded.
    async fn click_and_load(&self, target: &Element) {
        self.script("document.documentElement.dataset.leaving = 'yes';", vec![])
            .await;
        target.click().await.expect("a click");
        self.wait_for_next_page().await;
    }

    /// Types into a field and presses Enter, and waits for the page that leads to.
    async fn type_and_enter(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field.clear().await.expect("a field to clear");
        self.script("document.documentElement.dataset.leaving = 'yes';", vec![])
            .await;
        field
            .send_keys(&format!("{text}\u{E007}"))
            .await
            .expect("a field to type into");
        self.wait_for_next_page().await;
    }

    /// Waits until the page marked as being left has given way to a new one.
    async fn wait_for_next_page(&self) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let arrived = self
                .client
                .execute(
                    "return document.readyState === 'complete' && !document.documentElement.dataset.leaving;",
                    vec![],
                )
                .await
                .is_ok_and(|v| v == Value::Bool(true));
            if arrived {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "no new page after a click or Enter"
            );
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Presses the form's submit button (not a picker's find button).
    async fn submit(&self, form: &str) {
        let button = self
            .find(&format!("{form} button[type=submit]:not([name=_find])"))
            .await;
        self.click_and_load(&button).await;
    }

    /// Signs in through the form the app redirected to.
    async fn sign_in(&self, (email, password): (&str, &str)) {
        assert_eq!(self.path().await, "/login");
        self.fill("#email", email).await;
        self.fill("#password", password).await;
        self.submit("form[action='/login']").await;
        assert_ne!(self.path().await, "/login", "signed in as {email}");
    }

    /// Adds a venue through its form, as a planner would.
    async fn add_venue(
        &self,
        name: &str,
        timezone: &str,
        capacity: &str,
        hours: Option<(&str, &str)>,
    ) {
        self.visit("/venues").await;
        self.click_and_load(&self.find("a[href='/venues/new']").await)
            .await;
        self.fill("#f-name", name).await;
        self.fill("#f-timezone", timezone).await;
        self.fill("#f-capacity", capacity).await;
        if let Some((opens, closes)) = hours {
            self.set_clock_value("#f-opens", opens).await;
            self.set_clock_value("#f-closes", closes).await;
        }
        self.submit("form.entity").await;
        assert_eq!(self.path().await, "/venues", "the venue {name} is saved");
    }

    /// The first element matching `css` whose text mentions `text`.
    async fn row_of(&self, css: &str, text: &str) -> Element {
        for element in self.find_all(css).await {
            if element.text().await.expect("text").contains(text) {
                return element;
            }
        }
        panic!("no {css} mentions {text:?}");
    }

    /// Leaves only `name` ticked among the meeting form's officials.
    async fn only_official(&self, name: &str) {
        let mut found = false;
        for choice in self.find_all("#f-official_ids label.choice").await {
            let label = choice.text().await.expect("label text");
            let checkbox = choice
                .find(Locator::Css("input[name=official_ids]"))
                .await
                .expect("a checkbox");
            let wanted = label.contains(name);
            found |= wanted;
            if checkbox.is_selected().await.expect("checked or not") != wanted {
                checkbox.click().await.expect("a tick");
            }
        }
        assert!(found, "{name} is among the officials to choose");
        assert_eq!(
            self.find_all("input[name=official_ids]:checked")
                .await
                .len(),
            1
        );
    }

    /// The meeting a save redirected to: `/visits/1#m42` gives 42.
    async fn meeting_in_fragment(&self) -> i64 {
        let url = self.client.current_url().await.expect("the current URL");
        url.fragment()
            .and_then(|f| f.strip_prefix('m'))
            .and_then(|id| id.parse().ok())
            .unwrap_or_else(|| panic!("a meeting anchor in {url}"))
    }

    /// The stroke of every timeline bar whose tooltip starts with `title`.
    async fn bar_strokes(&self, title: &str) -> Vec<String> {
        let strokes = self
            .script(
                r#"return [...document.querySelectorAll('figure.timeline g')]
                    .filter(g => g.querySelector(':scope > title')?.textContent.startsWith(arguments[0]))
                    .map(g => g.querySelector(':scope > rect')?.getAttribute('stroke'));"#,
                vec![json!(title)],
            )
            .await;
        serde_json::from_value(strokes).expect("a list of strokes")
    }

    /// No alert is open and no element the page was given as text became a script.
    async fn assert_nothing_ran(&self) {
        match self.client.get_alert_text().await {
            Err(e) if e.is_no_such_alert() => {}
            Ok(text) => panic!("an alert fired: {text:?}"),
            Err(e) => panic!("asking for an alert: {e}"),
        }
        let counts = self
            .script(
                "return ['script', 'img', '[onerror]', '[onmouseover]'].map(s => document.querySelectorAll(s).length);",
                vec![],
            )
            .await;
        assert_eq!(
            counts,
            json!([0, 0, 0, 0]),
            "script, img and handler elements on the page"
        );
    }

    /// A picture of the whole page (the window stretched to its height) in `target/screenshots/`.
    async fn photograph_page(&self, file: &str) {
        let height = self
            .script(
                "return document.documentElement.scrollHeight + (window.outerHeight - window.innerHeight);",
                vec![],
            )
            .await
            .as_u64()
            .expect("a page height");
        let height = u32::try_from(height)
            .unwrap_or(u32::MAX)
            .clamp(WINDOW.1, 16_000);
        self.client
            .set_window_size(WINDOW.0, height)
            .await
            .expect("a taller window");
        let png = self.client.screenshot().await.expect("a screenshot");
        self.client
            .set_window_size(WINDOW.0, WINDOW.1)
            .await
            .expect("the window back");
        save_screenshot(file, &png);
    }

    /// A picture of what a phone held upright shows (390×844), in `target/screenshots/`.
    async fn photograph_phone(&self, file: &str) {
        self.client
            .set_window_size(PHONE.0, PHONE.1)
            .await
            .expect("a phone-sized window");
        // The window's frame takes from the page: make the page itself 390×844.
        let inner = self
            .script("return [window.innerWidth, window.innerHeight];", vec![])
            .await;
        let (w, h) = (
            inner[0].as_u64().unwrap_or(u64::from(PHONE.0)) as u32,
            inner[1].as_u64().unwrap_or(u64::from(PHONE.1)) as u32,
        );
        self.client
            .set_window_size(PHONE.0 * 2 - w, PHONE.1 * 2 - h)
            .await
            .expect("a phone-sized page");
        let png = self.client.screenshot().await.expect("a screenshot");
        self.client
            .set_window_size(WINDOW.0, WINDOW.1)
            .await
            .expect("the window back");
        save_screenshot(file, &png);
    }

    /// A picture of one element in `target/screenshots/`.
    async fn photograph(&self, css: &str, file: &str) {
        let png = self
            .find(css)
            .await
            .screenshot()
            .await
            .expect("a screenshot");
        save_screenshot(file, &png);
    }
}

fn save_screenshot(file: &str, png: &[u8]) {
    assert!(png.starts_with(b"\x89PNG"), "{file} is a PNG");
    // CARGO_TARGET_TMPDIR is `<target>/tmp`: the pictures go beside it.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("a target folder");
    let folder = target.join("screenshots");
    std::fs::create_dir_all(&folder).expect("a screenshots folder");
    std::fs::write(folder.join(file), png).expect("a screenshot saved");
}
