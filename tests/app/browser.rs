//! The app in a real browser: headless Chromium driven over WebDriver, for what
//! only a browser shows. Forms are filled in and submitted by clicking, redirects
//! are followed, the timeline is drawn (and photographed into
//! `target/screenshots/`), the language switches from the header, a viewer finds
//! nothing to press, and names full of markup stay text. The browser and the
//! steps a person takes are in `support::browser`.

use std::time::Duration;

use fantoccini::Locator;

use sapar::domain::model::{GroupInput, MeetingInput, OfficialInput, ParticipantInput};
use sapar::domain::Language;
use sapar::i18n::Translator;
use sapar::services::accounts::{self, NewUserInput, Password};
use sapar::services::catalogue::{groups, officials, participants};
use sapar::services::demo::{self, DemoOutcome};
use sapar::services::programme::meetings;

use crate::support::browser::{in_browser, in_browser_with, Browser};
use crate::support::mailroom::Mailroom;
use crate::support::mime::Mail;
use crate::support::{actor, Backend, TestDb};

const ADMIN: (&str, &str) = ("admin@sapar.test", "admin-password-for-tests");
const VIEWER: (&str, &str) = ("viewer@sapar.test", "viewer-password-for-tests");
const DEMO_TITLE: &str = "Рабочая поездка Председателя Сената в Восточно-Казахстанскую область";
const SECRETARY: &str = "Касымова Гульнара Токтаровна";
const DEPUTIES: &str = "Встреча с депутатами маслихатов области";
/// How the timeline draws a meeting in a conflict.
const CLASH_STROKE: &str = "#b42318";

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
