//! "We are running 20 minutes late", on both backends: the API's preview
//! changes nothing and its apply moves the day's later items of the same
//! officials in one transaction (versions raised, one audit entry each); bad
//! shifts are 422 naming the field and nothing moves; the pages preview,
//! mark bad minutes, apply, and apply and publish (change notices through
//! the outbox to a real SMTP server); and the day view on a phone.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{json, Value};

use sapar::db::repo;
use sapar::domain::Language;
use sapar::services::accounts::{self, NewUserInput, Password};
use sapar::services::catalogue::officials;
use sapar::services::programme::{meetings, MeetingRecord};

use crate::support::client::{csrf_of, page, signed_in_as_admin};
use crate::support::mailroom::Mailroom;
use crate::support::mime::Mail;
use crate::support::{actor, load_demo, run_async, spawn_app, spawn_app_with, TestApp, TestDb};

const ARRIVAL: &str = "Прибытие в Усть-Каменогорск. Встреча в аэропорту";
const DEPUTIES: &str = "Встреча с депутатами маслихатов области";
const UNIVERSITY: &str = "Встреча с коллективом ВКТУ им. Д. Серикбаева";
const DEPARTURE: &str = "Отъезд. Проводы в аэропорту";
const FRIENDSHIP: &str =
    "Встреча с общественностью, представителями этнокультурных объединений и активной молодежью";
const SPEAKER: &str = "Ашимбаев Маулен Сагатханулы";

fn programme(db: &TestDb, visit: i64) -> Vec<MeetingRecord> {
    meetings::of_visit(&mut db.conn(), visit).expect("the programme")
}

fn titled(db: &TestDb, visit: i64, title: &str) -> MeetingRecord {
    programme(db, visit)
        .into_iter()
        .find(|m| m.row.title == title)
        .unwrap_or_else(|| panic!("a meeting titled {title}"))
}

/// Each meeting's start, end and version, by id.
fn times(db: &TestDb, visit: i64) -> BTreeMap<i64, (i64, i64, i32)> {
    programme(db, visit)
        .into_iter()
        .map(|m| {
            (
                m.row.id,
                (
                    m.row.starts_at.and_utc().timestamp(),
                    m.row.ends_at.and_utc().timestamp(),
                    m.row.version,
                ),
            )
        })
        .collect()
}

fn token(db: &TestDb, email: &str, role: &str) -> String {
    let conn = &mut db.conn();
    accounts::create_user(
        conn,
        &actor(),
        &NewUserInput {
            email,
            full_name: "",
            role,
            language: Language::En,
            password: &Password::new("a password for tests"),
        },
    )
    .expect("a user");
    accounts::create_token(conn, &actor(), email).expect("a token")
}

async fn shift(app: &TestApp, token: &str, visit: i64, body: Value) -> (u16, Value) {
    let answer = app
        .client
        .post(format!("{}/api/v1/visits/{visit}/shift", app.address))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("an answer");
    let status = answer.status().as_u16();
    (status, answer.json().await.unwrap_or(Value::Null))
}

// ---------------------------------------------------------------------------
// The API

fn a_preview_changes_nothing_and_apply_moves_the_rest_of_the_day_once(db: &TestDb) {
    let visit = load_demo(db);
    let planner = token(db, "planner@sapar.test", "planner");
    let deputies = titled(db, visit, DEPUTIES);
    let arrival = titled(db, visit, ARRIVAL);
    let before = times(db, visit);
    let conflicts_before = run_async_conflicts(db, visit, &planner);
    run_async(async {
        let app = spawn_app(db);
        let request = json!({ "meeting_id": deputies.row.id, "minutes": 20, "preview": true });
        let (status, preview) = shift(&app, &planner, visit, request).await;
        assert_eq!(status, 200, "{preview}");
        let moved = preview["moved"].as_array().expect("moved");
        // Every later item shares the Speaker: the deputies and eight more.
        assert_eq!(moved.len(), 9, "{preview}");
        assert_eq!(moved[0]["meeting_id"], deputies.row.id);
        assert_eq!(moved[0]["starts_at"], "2026-02-25T09:50:00+05:00");
        assert_eq!(moved[0]["ends_at"], "2026-02-25T11:05:00+05:00");
        assert!(moved.iter().all(|m| m["meeting_id"] != arrival.row.id));
        assert!(preview["conflicts"].is_array());
        let notify = preview["notify"].as_array().expect("notify");
        assert!(!notify.is_empty(), "{preview}");
        assert!(notify
            .iter()
            .all(|n| n["email"].is_string() && n["meeting_ids"].is_array()));
        assert_eq!(times(db, visit), before, "a preview changes nothing");

        let request = json!({ "meeting_id": deputies.row.id, "minutes": 20, "preview": false });
        let (status, applied) = shift(&app, &planner, visit, request).await;
        assert_eq!(status, 200, "{applied}");
        assert_eq!(applied["moved"], preview["moved"]);
        assert_eq!(applied["conflicts"], preview["conflicts"]);

        let after = times(db, visit);
        let moved_ids: Vec<i64> = moved
            .iter()
            .map(|m| m["meeting_id"].as_i64().unwrap())
            .collect();
        for (id, (start, end, version)) in &before {
            let (new_start, new_end, new_version) = after[id];
            if moved_ids.contains(id) {
                assert_eq!(new_start - start, 20 * 60);
                assert_eq!(new_end - end, 20 * 60, "durations kept");
                assert_eq!(new_version, version + 1);
            } else {
                assert_eq!((new_start, new_end, new_version), (*start, *end, *version));
            }
        }
        for id in &moved_ids {
            let audit = repo::audit_events_of(&mut db.conn(), "meeting", *id).expect("audit");
            let last = audit.last().expect("an audit entry");
            assert_eq!(last.action, "update");
            let (was, now): (Value, Value) = (
                serde_json::from_str(last.before.as_deref().unwrap()).unwrap(),
                serde_json::from_str(last.after.as_deref().unwrap()).unwrap(),
            );
            assert_ne!(was["starts_at"], now["starts_at"]);
        }

        // The conflicts after the move are the visit's conflicts now.
        let (_, now) = get_conflicts(&app, &planner, visit).await;
        assert_eq!(now["conflicts"], applied["conflicts"]);

        // Back by 20: the programme as it was, versions on.
        let request = json!({ "meeting_id": deputies.row.id, "minutes": -20 });
        let (status, _) = shift(&app, &planner, visit, request).await;
        assert_eq!(status, 200);
        let back = times(db, visit);
        for (id, (start, end, _)) in &before {
            assert_eq!((back[id].0, back[id].1), (*start, *end));
        }
        let (_, now) = get_conflicts(&app, &planner, visit).await;
        assert_eq!(now["conflicts"], conflicts_before["conflicts"]);
    });
}

async fn get_conflicts(app: &TestApp, token: &str, visit: i64) -> (u16, Value) {
    let answer = app
        .client
        .get(format!("{}/api/v1/visits/{visit}/conflicts", app.address))
        .bearer_auth(token)
        .send()
        .await
        .expect("an answer");
    (answer.status().as_u16(), answer.json().await.expect("JSON"))
}

fn run_async_conflicts(db: &TestDb, visit: i64, token: &str) -> Value {
    crate::support::run_async_value(async {
        let app = spawn_app(db);
        get_conflicts(&app, token, visit).await.1
    })
}

fn bad_shifts_are_refused_naming_the_field_and_move_nothing(db: &TestDb) {
    let visit = load_demo(db);
    let planner = token(db, "planner@sapar.test", "planner");
    let viewer = token(db, "viewer@sapar.test", "viewer");
    let deputies = titled(db, visit, DEPUTIES).row.id;
    let departure = titled(db, visit, DEPARTURE).row.id;
    let arrival = titled(db, visit, ARRIVAL).row.id;
    let before = times(db, visit);
    run_async(async {
        let app = spawn_app(db);
        let other = app
            .client
            .post(format!("{}/api/v1/visits", app.address))
            .bearer_auth(&planner)
            .json(&json!({ "title": "Другой визит", "timezone": "Asia/Almaty",
                "first_day": "2026-03-10", "last_day": "2026-03-10" }))
            .send()
            .await
            .expect("an answer");
        assert_eq!(other.status().as_u16(), 201);
        let other: Value = other.json().await.expect("JSON");
        let other = other["id"].as_i64().expect("an id");

        for (target, meeting, minutes, field) in [
            (visit, deputies, 0, "minutes"),
            (visit, deputies, 721, "minutes"),
            (visit, deputies, -721, "minutes"),
            // 19:55 + 5 h ends after midnight.
            (visit, departure, 300, "minutes"),
            // 08:30 − 9 h starts the day before.
            (visit, arrival, -540, "minutes"),
            (visit, 999_999, 20, "meeting_id"),
            (other, deputies, 20, "meeting_id"),
        ] {
            for preview in [true, false] {
                let request =
                    json!({ "meeting_id": meeting, "minutes": minutes, "preview": preview });
                let (status, body) = shift(&app, &planner, target, request).await;
                assert_eq!(status, 422, "{meeting} {minutes}: {body}");
                assert!(
                    body["error"]["fields"][field].is_string(),
                    "{meeting} {minutes}: {body}"
                );
            }
        }
        let request = json!({ "meeting_id": deputies, "minutes": 20 });
        let (status, _) = shift(&app, &viewer, visit, request.clone()).await;
        assert_eq!(status, 403);
        let (status, _) = shift(&app, &planner, 999_999, request).await;
        assert_eq!(status, 404);
        let (status, _) = shift(&app, &planner, visit, json!({ "minutes": 20 })).await;
        assert!(status == 400 || status == 422, "{status}");
        let (status, _) = shift(
            &app,
            &planner,
            visit,
            json!({ "meeting_id": deputies, "minutes": "x" }),
        )
        .await;
        assert!(status == 400 || status == 422, "{status}");
    });
    assert_eq!(times(db, visit), before, "nothing moved");
}

// ---------------------------------------------------------------------------
// The pages

async fn post(client: &reqwest::Client, url: String, form: &[(&str, &str)]) -> reqwest::Response {
    client.post(url).form(form).send().await.expect("an answer")
}

/// A hidden field's value on a page.
fn hidden(page: &str, name: &str) -> String {
    page.split(&format!("name=\"{name}\" value=\""))
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no hidden {name}"))
        .to_owned()
}

fn the_pages_preview_mark_bad_minutes_and_apply_and_publish(db: &TestDb) {
    let visit = load_demo(db);
    let Some(mail) = Mailroom::open(db) else {
        return;
    };
    // A first publication: what follows is a change to it.
    mail.publish(db, visit);
    mail.deliver(db);
    mail.sink.clear();
    let deputies = titled(db, visit, DEPUTIES);
    let departure = titled(db, visit, DEPARTURE).row.id;
    let before = times(db, visit);
    run_async(async {
        let app = spawn_app_with(db, mail.settings.clone());
        let client = signed_in_as_admin(&app).await;
        let (_, visit_page) = page(&client, format!("{}/visits/{visit}", app.address)).await;
        let link = format!("/meetings/{}/late", deputies.row.id);
        assert!(visit_page.contains(&link), "a Running late link per item");
        assert!(visit_page.contains(&format!("/visits/{visit}/today")));

        let (status, form) = page(&client, format!("{}{link}", app.address)).await;
        assert_eq!(status, 200);
        for quick in ["10", "15", "20", "30"] {
            assert!(form.contains(&format!("name=\"quick\" value=\"{quick}\"")));
        }
        let csrf = csrf_of(&form);
        let url = format!("{}{link}", app.address);

        // Bad minutes: the form again, the field marked.
        for bad in ["", "abc", "0", "9999"] {
            let answer = post(&client, url.clone(), &[("csrf", &csrf), ("minutes", bad)]).await;
            assert_eq!(answer.status().as_u16(), 422, "{bad:?}");
            let text = answer.text().await.unwrap();
            assert!(text.contains("aria-invalid=\"true\""), "{bad:?}");
            assert!(text.contains("id=\"p-minutes\""), "{bad:?}");
        }
        // Past the day's end, from the departure's own form.
        let answer = post(
            &client,
            format!("{}/meetings/{departure}/late", app.address),
            &[("csrf", &csrf), ("minutes", "300")],
        )
        .await;
        assert_eq!(answer.status().as_u16(), 422);
        assert!(answer.text().await.unwrap().contains("полночь"));
        // A form without the token is refused.
        let answer = post(&client, url.clone(), &[("quick", "20")]).await;
        assert_eq!(answer.status().as_u16(), 403);
        assert_eq!(times(db, visit), before, "nothing moved yet");

        // The Friendship House 20 minutes later: the transfer from the dairy
        // fits, its error disappears; an hour later at the deputies, the
        // dairy runs past its closing time.
        let friendship = titled(db, visit, FRIENDSHIP).row.id;
        let answer = post(
            &client,
            format!("{}/meetings/{friendship}/late", app.address),
            &[("csrf", &csrf), ("quick", "20")],
        )
        .await;
        let text = answer.text().await.unwrap();
        assert!(text.contains("Исчезнут конфликты"), "a conflict disappears");
        assert!(!text.contains("Появятся конфликты"));
        let answer = post(&client, url.clone(), &[("csrf", &csrf), ("minutes", "+60")]).await;
        let text = answer.text().await.unwrap();
        assert!(text.contains("Появятся конфликты"), "a conflict appears");

        // +20: the preview.
        let answer = post(&client, url.clone(), &[("csrf", &csrf), ("quick", "20")]).await;
        assert_eq!(answer.status().as_u16(), 200);
        let preview = answer.text().await.unwrap();
        assert!(preview.contains("+20"), "the minutes shown");
        assert!(preview.contains("09:30–10:45"), "before");
        assert!(preview.contains("→ 09:50–11:05"), "after");
        assert!(preview.contains(SPEAKER), "who is told, by name");
        assert!(preview.contains("value=\"publish\""));
        assert_eq!(times(db, visit), before, "a preview changes nothing");

        // Apply and publish: the move, a new version, the change notices.
        let (errors_shown, seen) = (hidden(&preview, "errors_shown"), hidden(&preview, "seen"));
        let answer = post(
            &client,
            format!("{url}/apply"),
            &[
                ("csrf", &csrf),
                ("minutes", "20"),
                ("errors_shown", &errors_shown),
                ("seen", &seen),
                ("then", "publish"),
            ],
        )
        .await;
        assert_eq!(answer.status().as_u16(), 303);
        let location = answer.headers()["location"].to_str().unwrap().to_owned();
        assert_eq!(location, format!("/outbox?visit={visit}&published=2"));
    });
    let after = times(db, visit);
    assert_eq!(
        after[&deputies.row.id].0 - before[&deputies.row.id].0,
        20 * 60
    );

    mail.deliver(db);
    let received = mail.sink.wait_for(1, Duration::from_secs(20));
    assert!(!received.is_empty(), "change notices reach the SMTP server");
    let notices: Vec<Mail> = received.iter().map(Mail::parse).collect();
    assert!(
        notices.iter().any(|m| m.text().contains("09:50")),
        "a notice gives the new time"
    );
}

fn plain_apply_returns_to_the_programme(db: &TestDb) {
    let visit = load_demo(db);
    let university = titled(db, visit, UNIVERSITY);
    run_async(async {
        let app = spawn_app(db);
        let client = signed_in_as_admin(&app).await;
        let link = format!("{}/meetings/{}/late", app.address, university.row.id);
        let (_, form) = page(&client, link.clone()).await;
        let csrf = csrf_of(&form);
        let preview = post(
            &client,
            link.clone(),
            &[("csrf", &csrf), ("minutes", "-10")],
        )
        .await
        .text()
        .await
        .unwrap();
        let seen = hidden(&preview, "seen");
        // Publishing over errors other than those the preview showed: the
        // preview again, and nothing moved or published.
        let answer = post(
            &client,
            format!("{link}/apply"),
            &[
                ("csrf", &csrf),
                ("minutes", "-10"),
                ("errors_shown", "999"),
                ("seen", &seen),
                ("then", "publish"),
            ],
        )
        .await;
        assert_eq!(answer.status().as_u16(), 409);
        assert!(answer.text().await.unwrap().contains("ничего не сохранено"));
        assert_eq!(titled(db, visit, UNIVERSITY), university);
        // A form that is not the preview's (no record of what it showed)
        // moves nothing either.
        let answer = post(
            &client,
            format!("{link}/apply"),
            &[("csrf", &csrf), ("minutes", "-10"), ("then", "apply")],
        )
        .await;
        assert_eq!(answer.status().as_u16(), 409);
        assert_eq!(titled(db, visit, UNIVERSITY), university);

        let answer = post(
            &client,
            format!("{link}/apply"),
            &[
                ("csrf", &csrf),
                ("minutes", "-10"),
                ("seen", &seen),
                ("then", "apply"),
            ],
        )
        .await;
        assert_eq!(answer.status().as_u16(), 303);
        let location = answer.headers()["location"].to_str().unwrap().to_owned();
        assert!(location.starts_with(&format!("/visits/{visit}?day=2026-02-25#m")));
    });
    let moved = titled(db, visit, UNIVERSITY);
    assert_eq!(
        (university.row.starts_at - moved.row.starts_at).num_minutes(),
        10
    );
    assert_eq!(moved.row.version, university.row.version + 1);
}

/// A preview another planner overtakes: the university meeting moves in
/// between, so applying the older preview would move it from a time its
/// reader never saw. Nothing is written; the preview comes again, as it is now.
fn apply_refuses_a_preview_the_programme_has_overtaken(db: &TestDb) {
    let visit = load_demo(db);
    let planner = token(db, "planner@sapar.test", "planner");
    let deputies = titled(db, visit, DEPUTIES);
    run_async(async {
        let app = spawn_app(db);
        let client = signed_in_as_admin(&app).await;
        let link = format!("{}/meetings/{}/late", app.address, deputies.row.id);
        let (_, form) = page(&client, link.clone()).await;
        let csrf = csrf_of(&form);
        let preview = post(&client, link.clone(), &[("csrf", &csrf), ("quick", "20")])
            .await
            .text()
            .await
            .unwrap();
        let seen = hidden(&preview, "seen");

        let university = titled(db, visit, UNIVERSITY).row.id;
        let (status, _) = shift(
            &app,
            &planner,
            visit,
            json!({"meeting_id": university, "minutes": 5, "preview": false}),
        )
        .await;
        assert_eq!(status, 200);
        let before = times(db, visit);

        let answer = post(
            &client,
            format!("{link}/apply"),
            &[
                ("csrf", &csrf),
                ("minutes", "20"),
                ("seen", &seen),
                ("then", "apply"),
            ],
        )
        .await;
        assert_eq!(answer.status().as_u16(), 409);
        let again = answer.text().await.unwrap();
        assert!(again.contains("ничего не сохранено"));
        assert_ne!(hidden(&again, "seen"), seen, "the preview as it is now");
        assert_eq!(times(db, visit), before, "nothing moved");
    });
}

// ---------------------------------------------------------------------------
// The day view

fn the_day_view_shows_now_next_and_when_to_leave(db: &TestDb) {
    let visit = load_demo(db);
    let speaker = officials::list(&mut db.conn())
        .expect("officials")
        .into_iter()
        .find(|o| o.full_name == SPEAKER)
        .expect("the Speaker")
        .id;
    run_async(async {
        let app = spawn_app(db);
        let client = signed_in_as_admin(&app).await;
        let base = format!("{}/visits/{visit}/today", app.address);

        let at = "2026-02-25T10:00:00%2B05:00";
        let (status, body) = page(&client, format!("{base}?official={speaker}&at={at}")).await;
        assert_eq!(status, 200);
        // It keeps itself current with its own script, which the reader can stop.
        assert!(body.contains("<script src=\"/static/today.js\" defer></script>"));
        assert!(body.contains("id=\"auto-update\""));
        assert!(
            body.contains(&format!(
                "<a href=\"/visits/{visit}/today?official={speaker}&#38;at={at}\">Обновить</a>"
            )),
            "Update now, to this very view"
        );
        let (now, rest) = body.split_once("id=\"next-h\"").expect("a next section");
        assert!(now.contains(DEPUTIES), "now: the deputies");
        assert!(now.contains("45 мин"), "time left");
        let (next, later) = rest.split_once("id=\"rest-h\"").expect("the rest");
        assert!(next.contains(UNIVERSITY));
        // 11:10 at the university, 15 minutes from the maslikhat.
        assert!(next.contains("10:55"), "when to leave: {next}");
        assert!(next.contains("ул. Серикбаева, 19"), "the address");
        assert!(next.contains("href=\"tel:"), "the host's phone");
        assert!(later.contains(DEPARTURE));
        // The demo's transfer too short for the dairy → the Friendship House.
        assert!(
            body.contains("class=\"day-conflicts\""),
            "the day's conflicts on top"
        );

        // An unencoded "+" of an offset arrives as a space: still read.
        let (status, _) = page(&client, format!("{base}?at=2026-02-25T10:00:00+05:00")).await;
        assert_eq!(status, 200);
        let (status, body) = page(&client, base.clone()).await;
        assert_eq!(status, 200, "now, whatever day it is");
        assert!(body.contains("id=\"auto-update\""));

        for (query, expected) in [
            ("at=yesterday", 400),
            ("at=1900-01-01T00:00:00Z", 400),
            ("official=abc", 400),
            ("official=999999", 404),
        ] {
            let (status, body) = page(&client, format!("{base}?{query}")).await;
            assert_eq!(status, expected, "{query}");
            assert!(body.contains("role=\"alert\""), "{query}");
        }
        let (status, _) = page(&client, format!("{}/visits/999999/today", app.address)).await;
        assert_eq!(status, 404);
    });
}

crate::on_both_backends!(
    a_preview_changes_nothing_and_apply_moves_the_rest_of_the_day_once,
    bad_shifts_are_refused_naming_the_field_and_move_nothing,
    the_pages_preview_mark_bad_minutes_and_apply_and_publish,
    plain_apply_returns_to_the_programme,
    apply_refuses_a_preview_the_programme_has_overtaken,
    the_day_view_shows_now_next_and_when_to_leave,
);
