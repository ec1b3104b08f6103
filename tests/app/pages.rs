//! The planner's pages over real HTTP, on both backends: roles, forms that keep
//! input and mark fields, the stale-save refusal, hostile text, the change log.

use sapar::domain::conflicts::{ConflictKind, EngineSettings, Severity, Subject};
use sapar::domain::model::{MeetingInput, OfficialInput};
use sapar::domain::Language;
use sapar::services::accounts::{self, NewUserInput, Password};
use sapar::services::catalogue::officials;
use sapar::services::conflicts as conflict_service;
use sapar::services::demo;
use sapar::services::programme::meetings;

use crate::support::client::{browser, csrf_of, page, sign_in, ADMIN};
use crate::support::{actor, run_async, spawn_app, TestDb};

fn add_user(db: &TestDb, email: &str, role: &str) {
    accounts::create_user(
        &mut db.conn(),
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
}

async fn post(client: &reqwest::Client, url: String, form: &[(&str, &str)]) -> (u16, String) {
    let response = client.post(url).form(form).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

fn viewers_read_but_cannot_change_anything(db: &TestDb) {
    demo::load(&mut db.conn()).unwrap();
    add_user(db, "viewer@sapar.test", "viewer");
    run_async(async {
        let app = spawn_app(db);
        let viewer = browser();
        sign_in(
            &viewer,
            &app.address,
            "viewer@sapar.test",
            "a password for tests",
        )
        .await;
        let (status, visit) = page(&viewer, format!("{}/visits/1", app.address)).await;
        assert_eq!(status, 200);
        assert!(visit.contains("Председателя Сената"));
        assert!(
            !visit.contains("/meetings/new") && !visit.contains("Перенести"),
            "no edit controls for a viewer"
        );
        let csrf = csrf_of(&visit);
        let (status, _) = post(
            &viewer,
            format!("{}/officials", app.address),
            &[("csrf", &csrf), ("full_name", "X")],
        )
        .await;
        assert_eq!(status, 403);
        let (status, _) = post(
            &viewer,
            format!("{}/visits/1/meetings", app.address),
            &[
                ("csrf", &csrf),
                ("title", "X"),
                ("starts_at", "2026-02-25T10:00"),
                ("ends_at", "2026-02-25T11:00"),
            ],
        )
        .await;
        assert_eq!(status, 403);
        let (status, _) = page(&viewer, format!("{}/users", app.address)).await;
        assert_eq!(status, 403, "only admins manage users");
        assert_eq!(
            meetings::of_visit(&mut db.conn(), 1).unwrap().len(),
            10,
            "nothing was created"
        );
    });
}

fn bad_input_comes_back_with_the_field_marked_and_the_input_kept(db: &TestDb) {
    run_async(async {
        let app = spawn_app(db);
        let client = browser();
        sign_in(&client, &app.address, ADMIN.0, ADMIN.1).await;
        let (_, form) = page(&client, format!("{}/venues/new", app.address)).await;
        let csrf = csrf_of(&form);
        let (status, again) = post(
            &client,
            format!("{}/venues", app.address),
            &[
                ("csrf", &csrf),
                ("name", "Совет Федерации"),
                ("timezone", "Moscow/Kremlin"),
                ("capacity", "много"),
            ],
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            again.contains("value=\"Совет Федерации\""),
            "the input is kept"
        );
        assert!(again.contains("value=\"Moscow/Kremlin\""));
        assert!(
            again.contains("class=\"field has-problem\""),
            "the field is marked"
        );
        assert!(again.contains("Проверьте отмеченные поля"));
        // Switching the language there leads back to the form, not to the
        // list the form was sent to.
        assert!(again.contains("name=\"next\" value=\"/venues/new\""));

        let (status, _) = post(
            &client,
            format!("{}/venues", app.address),
            &[
                ("csrf", &csrf),
                ("name", "Совет Федерации"),
                ("timezone", "Europe/Moscow"),
                ("capacity", "300"),
            ],
        )
        .await;
        assert_eq!(status, 303);
        let (_, list) = page(&client, format!("{}/venues", app.address)).await;
        assert!(list.contains("Совет Федерации"));
        let id = list
            .split("href=\"/venues/")
            .filter_map(|rest| rest.split_once("/edit").map(|(id, _)| id))
            .find(|id| id.parse::<i64>().is_ok())
            .expect("the new venue's link")
            .to_owned();
        let (status, again) = post(
            &client,
            format!("{}/venues/{id}", app.address),
            &[("csrf", &csrf), ("name", ""), ("timezone", "Europe/Moscow")],
        )
        .await;
        assert_eq!(status, 422);
        assert!(again.contains(&format!("name=\"next\" value=\"/venues/{id}/edit\"")));

        // A form without the session's token changes nothing.
        let (status, _) = post(
            &client,
            format!("{}/venues", app.address),
            &[("csrf", "forged"), ("name", "Y"), ("timezone", "UTC")],
        )
        .await;
        assert_eq!(status, 403);
    });
}

fn hostile_text_is_shown_as_text(db: &TestDb) {
    demo::load(&mut db.conn()).unwrap();
    let hostile = "<script>alert(\"x\")</script> O'Brien & «Әбілқасымова Құралай» ғңөұүһі";
    let long = "Ә".repeat(200);
    let official = officials::create(
        &mut db.conn(),
        &actor(),
        &OfficialInput {
            full_name: Some(hostile.to_owned()),
            position: Some(long.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    meetings::create(
        &mut db.conn(),
        &actor(),
        1,
        &MeetingInput {
            title: Some(format!("<img src=x onerror=alert(1)> {hostile}")),
            starts_at: chrono::DateTime::parse_from_rfc3339("2026-02-25T21:00:00+05:00").ok(),
            ends_at: chrono::DateTime::parse_from_rfc3339("2026-02-25T21:30:00+05:00").ok(),
            official_ids: vec![official.id],
            ..Default::default()
        },
    )
    .unwrap();
    run_async(async {
        let app = spawn_app(db);
        let client = browser();
        sign_in(&client, &app.address, ADMIN.0, ADMIN.1).await;
        for path in [
            "/officials",
            "/visits/1",
            "/visits/1/audit",
            "/officials/6/edit",
        ] {
            let (status, body) = page(&client, format!("{}{path}", app.address)).await;
            assert_eq!(status, 200, "{path}");
            assert!(
                !body.contains("<script>") && !body.contains("<img src=x"),
                "{path} lets markup through"
            );
            assert!(
                body.contains("&lt;script&gt;") || body.contains("&#60;script&#62;"),
                "{path} shows the text"
            );
            assert!(body.contains("ғңөұүһі"), "{path} keeps the Kazakh letters");
        }
        let (_, visit) = page(&client, format!("{}/visits/1", app.address)).await;
        assert!(visit.contains(&"Ә".repeat(100)) || visit.contains("Әбілқасымова"));
    });
}

fn a_second_planner_saving_a_stale_meeting_sees_what_changed(db: &TestDb) {
    demo::load(&mut db.conn()).unwrap();
    add_user(db, "second@sapar.test", "planner");
    run_async(async {
        let app = spawn_app(db);
        let (first, second) = (browser(), browser());
        sign_in(&first, &app.address, ADMIN.0, ADMIN.1).await;
        sign_in(
            &second,
            &app.address,
            "second@sapar.test",
            "a password for tests",
        )
        .await;
        let url = format!("{}/meetings/2/edit", app.address);
        let (_, form_one) = page(&first, url.clone()).await;
        let (_, form_two) = page(&second, url).await;
        let fields = |form: &str, title: &str| -> Vec<(String, String)> {
            vec![
                ("csrf".into(), csrf_of(form)),
                ("version".into(), "1".into()),
                ("title".into(), title.into()),
                ("kind".into(), "meeting".into()),
                ("starts_at".into(), "2026-02-25T09:30".into()),
                ("ends_at".into(), "2026-02-25T10:45".into()),
                ("venue_id".into(), "2".into()),
                ("official_ids".into(), "1".into()),
                ("status".into(), "confirmed".into()),
            ]
        };
        let save = |client: &reqwest::Client, form: Vec<(String, String)>| {
            let request = client
                .post(format!("{}/meetings/2", app.address))
                .form(&form);
            async move {
                let response = request.send().await.unwrap();
                (response.status().as_u16(), response.text().await.unwrap())
            }
        };
        let (status, _) = save(
            &first,
            fields(
                &form_one,
                "Встреча с депутатами маслихатов (перенесена в малый зал)",
            ),
        )
        .await;
        assert_eq!(status, 303);
        let (status, refused) = save(&second, fields(&form_two, "Встреча с депутатами")).await;
        assert_eq!(status, 409);
        assert!(refused.contains("Эту запись уже изменил другой пользователь"));
        assert!(
            refused.contains("перенесена в малый зал"),
            "the other person's change is shown"
        );
        assert!(
            refused.contains("value=\"Встреча с депутатами\""),
            "the second planner's input is kept"
        );
        assert!(
            refused.contains("name=\"version\" value=\"2\""),
            "saving again is a deliberate choice"
        );
        let saved = meetings::get(&mut db.conn(), 2).unwrap();
        assert_eq!(
            saved.row.title,
            "Встреча с депутатами маслихатов (перенесена в малый зал)"
        );

        let (_, log) = page(&first, format!("{}/visits/1/audit", app.address)).await;
        assert!(log.contains("Мероприятие: изменено") && log.contains("admin@sapar.test"));
    });
}

fn a_suggested_slot_is_applied_from_the_visit_page(db: &TestDb) {
    demo::load(&mut db.conn()).unwrap();
    let clash = meetings::create(
        &mut db.conn(),
        &actor(),
        1,
        &MeetingInput {
            title: Some("Интервью телеканалу".into()),
            starts_at: chrono::DateTime::parse_from_rfc3339("2026-02-25T10:00:00+05:00").ok(),
            ends_at: chrono::DateTime::parse_from_rfc3339("2026-02-25T10:30:00+05:00").ok(),
            venue_id: Some(2),
            official_ids: vec![3],
            ..Default::default()
        },
    )
    .unwrap();
    run_async(async {
        let app = spawn_app(db);
        let client = browser();
        sign_in(&client, &app.address, ADMIN.0, ADMIN.1).await;
        let (_, visit) = page(&client, format!("{}/visits/1", app.address)).await;
        assert!(
            visit.contains("Интервью телеканалу")
                && visit.contains("назначены на одно и то же время"),
            "the clash is listed"
        );
        let at = visit
            .find("name=\"meeting_id\" value=\"11\"")
            .expect("an apply form for the new meeting");
        let form =
            &visit[visit[..at].rfind("<form").unwrap()..at + visit[at..].find("</form>").unwrap()];
        let value = |name: &str| {
            let key = format!("name=\"{name}\" value=\"");
            let from = form.find(&key).unwrap() + key.len();
            form[from..].split('"').next().unwrap().to_owned()
        };
        let (status, _) = post(
            &client,
            format!("{}/visits/1/apply", app.address),
            &[
                ("csrf", &value("csrf")),
                ("meeting_id", "11"),
                ("starts_at", &value("starts_at")),
                ("ends_at", &value("ends_at")),
                ("version", &value("version")),
            ],
        )
        .await;
        assert_eq!(status, 303);
        let moved = meetings::get(&mut db.conn(), clash.row.id).unwrap();
        assert_eq!(
            moved.row.starts_at.to_string(),
            "2026-02-25 03:00:00",
            "08:00 in Almaty"
        );
        let (_, after) = page(&client, format!("{}/visits/1", app.address)).await;
        assert!(!after.contains("назначены на одно и то же время"));
    });
}

fn a_delete_that_would_orphan_data_is_explained(db: &TestDb) {
    demo::load(&mut db.conn()).unwrap();
    run_async(async {
        let app = spawn_app(db);
        let client = browser();
        sign_in(&client, &app.address, ADMIN.0, ADMIN.1).await;
        let (_, form) = page(&client, format!("{}/venues/1/edit", app.address)).await;
        let (status, body) = post(
            &client,
            format!("{}/venues/1/delete", app.address),
            &[("csrf", &csrf_of(&form))],
        )
        .await;
        assert_eq!(status, 409);
        assert!(
            body.contains("Удаление невозможно") && body.contains("здесь проходят 2 мероприятия"),
            "{}",
            &body[..body.len().min(2000)]
        );
    });
}

/// An official's meeting without a venue between two at different venues: the
/// engine judges the way from the first venue to the second, and the timeline
/// draws that same transfer, red, rather than none.
fn the_timeline_draws_the_transfer_the_conflict_list_reports(db: &TestDb) {
    demo::load(&mut db.conn()).unwrap();
    let official = officials::create(
        &mut db.conn(),
        &actor(),
        &OfficialInput {
            full_name: Some("Тестов Тест Тестович".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let meeting = |title: &str, from: &str, to: &str, venue_id: Option<i64>| {
        let at = |t: &str| {
            chrono::DateTime::parse_from_rfc3339(&format!("2026-02-25T{t}:00+05:00")).ok()
        };
        meetings::create(
            &mut db.conn(),
            &actor(),
            1,
            &MeetingInput {
                title: Some(title.into()),
                starts_at: at(from),
                ends_at: at(to),
                venue_id,
                official_ids: vec![official.id],
                ..Default::default()
            },
        )
        .unwrap()
        .row
        .id
    };
    let a = meeting("Встреча на первой площадке", "19:00", "20:00", Some(1));
    meeting("Звонок без площадки", "20:00", "20:02", None);
    let b = meeting("Встреча на второй площадке", "20:03", "21:00", Some(2));

    let found = conflict_service::of_visit(&mut db.conn(), 1, EngineSettings::default()).unwrap();
    let travel = found
        .conflicts
        .iter()
        .find(|c| {
            c.kind == ConflictKind::TravelTime && c.subject == Some(Subject::Official(official.id))
        })
        .expect("the engine reports the transfer from A to B");
    assert_eq!(travel.meeting_ids, vec![a, b]);
    assert_eq!(travel.severity, Severity::Error);

    run_async(async {
        let app = spawn_app(db);
        let client = browser();
        sign_in(&client, &app.address, ADMIN.0, ADMIN.1).await;
        let (status, visit) = page(&client, format!("{}/visits/1", app.address)).await;
        assert_eq!(status, 200);
        let arrow = visit
            .find(" мин: 20:00–20:03</title>")
            .map(|at| &visit[at..at + visit[at..].find("</g>").unwrap()])
            .expect("an arrow from the end of A to the start of B");
        assert!(
            arrow.contains(r##"stroke="#b42318" stroke-width="1.5" stroke-dasharray="3 2""##),
            "drawn red and dashed: {arrow}"
        );
    });
}

/// Text that reads like a catalogue id (`meeting_status-tentative`,
/// `status.draft`): what the translator shows when a key is missing.
fn looks_like_a_key(text: &str) -> bool {
    let mut parts = text.split(['-', '.']);
    let first = parts.next().unwrap_or("");
    let word = |p: &str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    };
    text.contains(['-', '.'])
        && first.starts_with(|c: char| c.is_ascii_lowercase())
        && word(first)
        && parts.all(word)
}

/// The text between tags of a page, element by element.
fn texts(html: &str) -> Vec<&str> {
    html.split('>')
        .filter_map(|piece| piece.split('<').next())
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect()
}

fn every_page_shows_words_not_catalogue_keys(db: &TestDb) {
    demo::load(&mut db.conn()).unwrap();
    assert!(looks_like_a_key("meeting_status-tentative") && looks_like_a_key("status.draft"));
    assert!(!looks_like_a_key("Asia/Almaty") && !looks_like_a_key("10:00–11:00"));
    run_async(async {
        let app = spawn_app(db);
        let client = browser();
        sign_in(&client, &app.address, ADMIN.0, ADMIN.1).await;
        for language in ["ru", "kk", "en"] {
            let (_, visits) = page(&client, format!("{}/visits", app.address)).await;
            let chosen = client
                .post(format!("{}/language", app.address))
                .form(&[("csrf", csrf_of(&visits).as_str()), ("language", language)])
                .send()
                .await
                .unwrap();
            assert!(chosen.status().is_redirection() || chosen.status().is_success());
            let (_, now) = page(&client, format!("{}/visits", app.address)).await;
            assert!(
                now.contains(&format!("<html lang=\"{language}\"")),
                "{language}"
            );
            for path in [
                "/visits",
                "/visits/1",
                "/visits/new",
                "/visits/1/edit",
                "/visits/1/meetings/new",
                "/meetings/1/edit",
                "/visits/1/itinerary",
                "/visits/1/itinerary?view=public",
                "/visits/1/audit",
                "/visits/1/changelog",
                "/visits/1/publish",
                "/officials",
                "/officials/new",
                "/venues",
                "/venues/new",
                "/groups",
                "/groups/new",
                "/participants",
                "/participants?q=%D0%B0&offset=1",
                "/participants?q=nobody-by-this-name",
                "/participants/new",
                "/unavailability",
                "/unavailability/new",
                "/travel-times",
                "/calendars",
                "/outbox",
                "/outbox?visit=1&q=%D0%B0&offset=1",
                "/users",
                "/account",
            ] {
                let (status, body) = page(&client, format!("{}{path}", app.address)).await;
                assert_eq!(status, 200, "{language} {path}");
                let keys: Vec<&str> = texts(&body)
                    .into_iter()
                    .filter(|t| looks_like_a_key(t))
                    .collect();
                assert!(keys.is_empty(), "{language} {path} shows keys: {keys:?}");
            }
        }
    });
}

/// Instants that belong to no venue are shown in the office's zone (UTC+5),
/// the zone they are typed in: the Speaker's plenary session, entered as
/// 09:00–13:00 without a venue, reads 09:00, not 04:00 UTC; so do the
/// account's sessions.
fn times_without_a_venue_show_in_the_offices_zone(db: &TestDb) {
    demo::load(&mut db.conn()).expect("the demo loads");
    run_async(async {
        let app = spawn_app(db);
        let client = browser();
        sign_in(&client, &app.address, ADMIN.0, ADMIN.1).await;
        let (status, list) = page(&client, format!("{}/unavailability", app.address)).await;
        assert_eq!(status, 200);
        assert!(
            list.contains("26.02.2026 09:00 (UTC+05:00)")
                && list.contains("26.02.2026 13:00 (UTC+05:00)"),
            "the plenary session in the office's zone: {list}"
        );
        assert!(!list.contains("(UTC+00:00)"), "no window in UTC");
        let (_, form) = page(&client, format!("{}/unavailability/1/edit", app.address)).await;
        assert!(
            form.contains("value=\"2026-02-26T09:00\""),
            "the form gives back what was typed"
        );
        let (_, account) = page(&client, format!("{}/account", app.address)).await;
        assert!(account.contains("(UTC+05:00)") && !account.contains(" UTC<"));
    });
}

/// Sessions live on the server: signing out ends the session itself, so a
/// copy of the cookie taken before stops working too.
fn a_copied_session_cookie_stops_working_after_sign_out(db: &TestDb) {
    run_async(async {
        let app = spawn_app(db);
        let client = browser();
        let signed_in = sign_in(&client, &app.address, ADMIN.0, ADMIN.1).await;
        let cookie = signed_in
            .headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("sapar_session="))
            .and_then(|v| v.split(';').next())
            .expect("a session cookie")
            .to_owned();
        let copy = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let visits = |cookie: String| {
            let copy = copy.clone();
            let url = format!("{}/visits", app.address);
            async move {
                copy.get(url)
                    .header(reqwest::header::COOKIE, cookie)
                    .send()
                    .await
                    .unwrap()
            }
        };
        assert_eq!(
            visits(cookie.clone()).await.status(),
            200,
            "the copy works while signed in"
        );

        let (_, page_) = page(&client, format!("{}/visits", app.address)).await;
        let out = client
            .post(format!("{}/logout", app.address))
            .form(&[("csrf", csrf_of(&page_).as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(out.status(), 303);

        let after = visits(cookie).await;
        assert_eq!(after.status(), 303, "the copied cookie no longer signs in");
        let location = after.headers()[reqwest::header::LOCATION].to_str().unwrap();
        assert!(location.starts_with("/login"), "{location}");
    });
}

crate::on_both_backends!(
    times_without_a_venue_show_in_the_offices_zone,
    a_copied_session_cookie_stops_working_after_sign_out,
    every_page_shows_words_not_catalogue_keys,
    the_timeline_draws_the_transfer_the_conflict_list_reports,
    viewers_read_but_cannot_change_anything,
    bad_input_comes_back_with_the_field_marked_and_the_input_kept,
    hostile_text_is_shown_as_text,
    a_second_planner_saving_a_stale_meeting_sees_what_changed,
    a_suggested_slot_is_applied_from_the_visit_page,
    a_delete_that_would_orphan_data_is_explained,
);
