//! Access that can be taken away, over real HTTP, the real binary and a real
//! SMTP server, on both backends: disabling, password changes and resets and
//! role changes end sessions and stop tokens at once; the last active admin
//! stays; `/account` shows and ends one's sessions and makes tokens.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use chrono::{Duration, Utc};
use diesel::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};

use sapar::db::repo;
use sapar::db::schema::{outbox_messages, password_resets};
use sapar::domain::{Language, Role};
use sapar::i18n::Translator;
use sapar::services::accounts::{self, NewUserInput, Password};
use sapar::services::{password_resets as resets, users};

use crate::support::client::{browser, csrf_of, page, sign_in, ADMIN};
use crate::support::mailroom::Mailroom;
use crate::support::{actor, run_async, spawn_app, TestApp, TestDb};

const PASSWORD: &str = "a password for tests";

fn user(db: &TestDb, email: &str, role: &str, language: Language) -> i64 {
    accounts::create_user(
        &mut db.conn(),
        &actor(),
        &NewUserInput {
            email,
            full_name: "",
            role,
            language,
            password: &Password::new(PASSWORD),
        },
    )
    .unwrap()
    .id
}

fn admin_id(db: &TestDb) -> i64 {
    accounts::user_by_email(&mut db.conn(), ADMIN.0)
        .unwrap()
        .expect("the first admin")
        .id
}

fn token_of(db: &TestDb, email: &str) -> String {
    accounts::create_token(&mut db.conn(), &actor(), email).unwrap()
}

async fn api(
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
    let value = serde_json::from_str(&text).unwrap_or(Value::Null);
    (status, value)
}

/// Posts a form with the CSRF token of `from` (a page of the same session).
async fn post(
    client: &reqwest::Client,
    url: String,
    from: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let csrf = csrf_of(from);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    client.post(url).form(&form).send().await.unwrap()
}

fn location(response: &reqwest::Response) -> String {
    response.headers()[reqwest::header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned()
}

/// A browser signed in as `email`, and its session cookie as a copy would
/// carry it.
async fn signed_in(app: &TestApp, email: &str, password: &str) -> (reqwest::Client, String) {
    let client = browser();
    let response = sign_in(&client, &app.address, email, password).await;
    assert_eq!(response.status(), 303, "{email} signs in");
    let cookie = response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("sapar_session="))
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_owned();
    (client, cookie)
}

/// Whether a copied session cookie still opens a page (or is sent to sign in).
async fn cookie_works(app: &TestApp, cookie: &str) -> bool {
    let response = app
        .client
        .get(format!("{}/visits", app.address))
        .header(reqwest::header::COOKIE, cookie)
        .send()
        .await
        .unwrap();
    match response.status().as_u16() {
        200 => true,
        303 => {
            assert!(location(&response).starts_with("/login"));
            false
        }
        other => panic!("a page answered {other}"),
    }
}

/// Whether this email and password sign in.
async fn password_works(app: &TestApp, email: &str, password: &str) -> bool {
    let response = sign_in(&browser(), &app.address, email, password).await;
    match response.status().as_u16() {
        303 => true,
        401 => false,
        other => panic!("sign-in answered {other}"),
    }
}

fn sapar(db: &TestDb, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sapar"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("RUST_LOG", "warn")
        .envs(db.env())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn assert_succeeds(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// A failure told on one line of stderr, without a panic.
fn assert_one_line_failure(output: &Output, expected: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "expected a failure: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains(expected), "{expected:?} in {stderr:?}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

// ---------------------------------------------------------------------------
// Disabling

fn disabling_on_the_users_page_ends_the_session_and_stops_the_token_at_once(db: &TestDb) {
    let planner = user(db, "planner@sapar.test", "planner", Language::En);
    let token = token_of(db, "planner@sapar.test");
    run_async(async {
        let app = spawn_app(db);
        let (_, cookie) = signed_in(&app, "planner@sapar.test", PASSWORD).await;
        let (admin, _) = signed_in(&app, ADMIN.0, ADMIN.1).await;
        assert!(cookie_works(&app, &cookie).await);
        assert_eq!(api(&app, Method::GET, "/me", &token, None).await.0, 200);

        let (_, list) = page(&admin, format!("{}/users", app.address)).await;
        let answer = post(
            &admin,
            format!("{}/users/{planner}/disable", app.address),
            &list,
            &[],
        )
        .await;
        assert_eq!(answer.status(), 303);
        assert!(!cookie_works(&app, &cookie).await, "signed out at once");
        let (status, body) = api(&app, Method::GET, "/me", &token, None).await;
        assert_eq!(
            (status, &body["error"]["code"]),
            (401, &json!("unauthorized"))
        );
        assert!(!password_works(&app, "planner@sapar.test", PASSWORD).await);
        let (_, list) = page(&admin, format!("{}/users", app.address)).await;
        assert!(
            list.contains(&format!("id=\"user-{planner}\" class=\"disabled\"")),
            "shown as disabled"
        );
        let events = repo::audit_events_of(&mut db.conn(), "user", planner).unwrap();
        let last = events.last().expect("an audit event");
        assert!(last.after.as_deref().unwrap().contains("\"disabled\":true"));
        assert_eq!(last.actor, ADMIN.0);

        let answer = post(
            &admin,
            format!("{}/users/{planner}/enable", app.address),
            &list,
            &[],
        )
        .await;
        assert_eq!(answer.status(), 303);
        assert_eq!(api(&app, Method::GET, "/me", &token, None).await.0, 200);
        assert!(
            !cookie_works(&app, &cookie).await,
            "the old session stays ended"
        );
        assert!(password_works(&app, "planner@sapar.test", PASSWORD).await);
    });
}

fn disabling_through_the_api_stops_the_token_at_the_next_request(db: &TestDb) {
    let planner = user(db, "planner@sapar.test", "planner", Language::En);
    let token = token_of(db, "planner@sapar.test");
    let admin_token = token_of(db, ADMIN.0);
    run_async(async {
        let app = spawn_app(db);
        let (_, cookie) = signed_in(&app, "planner@sapar.test", PASSWORD).await;
        let path = format!("/users/{planner}");
        let (status, body) = api(
            &app,
            Method::PATCH,
            &path,
            &admin_token,
            Some(json!({"disabled": true})),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["disabled"], true);
        assert_eq!(api(&app, Method::GET, "/visits", &token, None).await.0, 401);
        assert!(!cookie_works(&app, &cookie).await);

        let (status, body) = api(
            &app,
            Method::PATCH,
            &path,
            &admin_token,
            Some(json!({"disabled": false})),
        )
        .await;
        assert_eq!((status, &body["disabled"]), (200, &json!(false)));
        assert_eq!(api(&app, Method::GET, "/visits", &token, None).await.0, 200);
    });
}

fn disabling_on_the_command_line_ends_sessions_and_stops_tokens(db: &TestDb) {
    user(db, "planner@sapar.test", "planner", Language::En);
    let token = token_of(db, "planner@sapar.test");
    run_async(async {
        let app = spawn_app(db);
        let (_, cookie) = signed_in(&app, "planner@sapar.test", PASSWORD).await;
        let out = assert_succeeds(&sapar(
            db,
            &["user", "disable", "--email", "planner@sapar.test"],
            None,
        ));
        assert!(out.contains("disabled"), "{out}");
        assert!(!cookie_works(&app, &cookie).await);
        assert_eq!(api(&app, Method::GET, "/me", &token, None).await.0, 401);

        assert_succeeds(&sapar(
            db,
            &["user", "enable", "--email", "planner@sapar.test"],
            None,
        ));
        assert_eq!(api(&app, Method::GET, "/me", &token, None).await.0, 200);

        for command in ["disable", "enable", "password"] {
            let refused = sapar(
                db,
                &["user", command, "--email", "nobody@sapar.test"],
                Some("whatever password\n"),
            );
            assert_one_line_failure(&refused, "no user has this email");
        }
    });
}

// ---------------------------------------------------------------------------
// Passwords

fn changing_ones_own_password_ends_the_other_sessions(db: &TestDb) {
    user(db, "planner@sapar.test", "planner", Language::En);
    run_async(async {
        let app = spawn_app(db);
        let (here, here_cookie) = signed_in(&app, "planner@sapar.test", PASSWORD).await;
        let (_, elsewhere) = signed_in(&app, "planner@sapar.test", PASSWORD).await;
        let url = format!("{}/account/password", app.address);
        let (status, account) = page(&here, format!("{}/account", app.address)).await;
        assert_eq!(status, 200);

        let new = "a brand new password";
        for (fields, problem) in [
            (
                [
                    ("current_password", "not my password"),
                    ("new_password", new),
                    ("again", new),
                ],
                "This is not your current password.",
            ),
            (
                [
                    ("current_password", PASSWORD),
                    ("new_password", new),
                    ("again", "a different one"),
                ],
                "The two passwords differ.",
            ),
            (
                [
                    ("current_password", PASSWORD),
                    ("new_password", "short"),
                    ("again", "short"),
                ],
                "At least 10",
            ),
        ] {
            let answer = post(&here, url.clone(), &account, &fields).await;
            assert_eq!(answer.status(), 422);
            let body = answer.text().await.unwrap();
            assert!(body.contains(problem), "{problem}");
            assert!(body.contains("has-problem"));
        }
        assert!(cookie_works(&app, &elsewhere).await, "nothing changed");
        assert!(password_works(&app, "planner@sapar.test", PASSWORD).await);

        let answer = post(
            &here,
            url,
            &account,
            &[
                ("current_password", PASSWORD),
                ("new_password", new),
                ("again", new),
            ],
        )
        .await;
        assert_eq!(answer.status(), 303);
        assert_eq!(location(&answer), "/account?done=password");
        let (status, account) = page(&here, format!("{}/account?done=password", app.address)).await;
        assert_eq!(status, 200, "this session stays");
        assert!(account.contains("Your password has been changed."));
        assert!(cookie_works(&app, &here_cookie).await);
        assert!(!cookie_works(&app, &elsewhere).await, "the other one ended");
        assert!(!password_works(&app, "planner@sapar.test", PASSWORD).await);
        assert!(password_works(&app, "planner@sapar.test", new).await);
    });
}

/// The secret of the reset link in a message.
fn secret_in(text: &str) -> String {
    let at = text.find("/reset/").expect("a reset link") + "/reset/".len();
    let secret: String = text[at..].chars().take(64).collect();
    assert!(resets::looks_like_secret(&secret), "{secret}");
    secret
}

fn an_admins_reset_link_arrives_by_email_and_works_once(db: &TestDb) {
    let Some(mail) = Mailroom::open(db) else {
        return;
    };
    let planner = user(db, "planner@sapar.test", "planner", Language::Kk);
    run_async(async {
        let app = spawn_app(db);
        let (_, cookie) = signed_in(&app, "planner@sapar.test", PASSWORD).await;
        let (admin, _) = signed_in(&app, ADMIN.0, ADMIN.1).await;
        let (_, list) = page(&admin, format!("{}/users", app.address)).await;
        let answer = post(
            &admin,
            format!("{}/users/{planner}/reset", app.address),
            &list,
            &[],
        )
        .await;
        assert_eq!(answer.status(), 303);
        let (_, list) = page(&admin, format!("{}{}", app.address, location(&answer))).await;
        assert!(
            list.contains("role=\"status\""),
            "the page says it was sent"
        );
        assert!(
            cookie_works(&app, &cookie).await,
            "sending changes nothing yet"
        );

        assert_eq!(mail.deliver(db).sent, 1);
        let mails = mail.mails();
        assert_eq!(mails.len(), 1);
        let message = &mails[0];
        assert_eq!(message.to().addr, "planner@sapar.test");
        let kk = Translator(Language::Kk);
        assert_eq!(message.subject(), kk.get("mail-reset-subject"));
        assert!(message.text().contains(kk.get("mail-reset-once")));
        let secret = secret_in(message.text());
        assert_eq!(secret_in(message.html()), secret);
        let stored: Vec<String> = password_resets::table
            .select(password_resets::token_hash)
            .load(&mut db.conn())
            .unwrap();
        assert_eq!(stored, [sapar::services::tokens::digest(&secret)]);

        let visitor = browser();
        let url = format!("{}/reset/{secret}", app.address);
        let (status, form) = page(&visitor, url.clone()).await;
        assert_eq!(status, 200);
        assert!(form.contains("lang=\"kk\"") && form.contains("planner@sapar.test"));
        let answer = post(
            &visitor,
            url.clone(),
            &form,
            &[("new_password", "a reset password"), ("again", "another")],
        )
        .await;
        assert_eq!(answer.status(), 422, "typed twice differently");
        assert!(cookie_works(&app, &cookie).await);

        let answer = post(
            &visitor,
            url.clone(),
            &form,
            &[
                ("new_password", "a reset password"),
                ("again", "a reset password"),
            ],
        )
        .await;
        assert_eq!(answer.status(), 303);
        assert_eq!(location(&answer), "/login?done=password");
        let (_, login) = page(&visitor, format!("{}/login?done=password", app.address)).await;
        assert!(login.contains("class=\"notice\""));
        assert!(!cookie_works(&app, &cookie).await, "every session ended");
        assert!(!password_works(&app, "planner@sapar.test", PASSWORD).await);
        assert!(password_works(&app, "planner@sapar.test", "a reset password").await);

        // Once only.
        let (status, gone) = page(&visitor, url.clone()).await;
        assert_eq!(status, 410);
        assert!(!gone.contains("new_password"), "no form for a used link");
        let answer = post(
            &visitor,
            url,
            &form,
            &[
                ("new_password", "a third password"),
                ("again", "a third password"),
            ],
        )
        .await;
        assert_eq!(answer.status(), 410);
        assert!(password_works(&app, "planner@sapar.test", "a reset password").await);

        let unknown = format!("{}/reset/{}", app.address, "0".repeat(64));
        assert_eq!(page(&visitor, unknown).await.0, 404);
        assert_eq!(
            page(&visitor, format!("{}/reset/x", app.address)).await.0,
            404
        );
    });
}

fn a_reset_link_does_not_work_after_its_hour(db: &TestDb) {
    let planner = user(db, "planner@sapar.test", "planner", Language::Ru);
    let settings = db.settings();
    resets::send_link(&mut db.conn(), &actor(), planner, &settings).unwrap();
    let body: String = outbox_messages::table
        .filter(outbox_messages::kind.eq("password_reset"))
        .select(outbox_messages::body_text)
        .first(&mut db.conn())
        .unwrap();
    let secret = secret_in(&body);
    diesel::update(password_resets::table)
        .set(password_resets::expires_at.eq(Utc::now().naive_utc() - Duration::seconds(1)))
        .execute(&mut db.conn())
        .unwrap();
    run_async(async {
        let app = spawn_app(db);
        let visitor = browser();
        let url = format!("{}/reset/{secret}", app.address);
        let (_, login) = page(&visitor, format!("{}/login", app.address)).await;
        let (status, gone) = page(&visitor, url.clone()).await;
        assert_eq!(status, 410);
        assert!(gone.contains(Translator(Language::Ru).get("reset-gone")));
        let answer = post(
            &visitor,
            url,
            &login,
            &[
                ("new_password", "too late a password"),
                ("again", "too late a password"),
            ],
        )
        .await;
        assert_eq!(answer.status(), 410);
        assert!(password_works(&app, "planner@sapar.test", PASSWORD).await);
    });
}

fn the_command_line_sets_a_password_and_ends_every_session(db: &TestDb) {
    user(db, "planner@sapar.test", "planner", Language::En);
    run_async(async {
        let app = spawn_app(db);
        let (_, cookie) = signed_in(&app, "planner@sapar.test", PASSWORD).await;
        let out = assert_succeeds(&sapar(
            db,
            &[
                "user",
                "password",
                "--email",
                "planner@sapar.test",
                "--password-stdin",
            ],
            Some("typed on standard input\n"),
        ));
        assert!(out.contains("1 session(s) ended"), "{out}");
        assert!(!out.contains("typed on standard input"));
        assert!(!cookie_works(&app, &cookie).await);
        assert!(!password_works(&app, "planner@sapar.test", PASSWORD).await);
        assert!(password_works(&app, "planner@sapar.test", "typed on standard input").await);

        let out = assert_succeeds(&sapar(
            db,
            &["user", "password", "--email", "planner@sapar.test"],
            None,
        ));
        let generated = out
            .lines()
            .find_map(|l| l.strip_prefix("password: "))
            .expect("the generated password, printed once");
        assert!(password_works(&app, "planner@sapar.test", generated).await);
        assert!(!password_works(&app, "planner@sapar.test", "typed on standard input").await);

        let refused = sapar(
            db,
            &[
                "user",
                "password",
                "--email",
                "planner@sapar.test",
                "--password-stdin",
            ],
            Some("short\n"),
        );
        assert_one_line_failure(&refused, "password");
        assert!(password_works(&app, "planner@sapar.test", generated).await);
    });
}

// ---------------------------------------------------------------------------
// Roles and the last active admin

fn a_role_change_ends_the_users_sessions(db: &TestDb) {
    let planner = user(db, "planner@sapar.test", "planner", Language::En);
    run_async(async {
        let app = spawn_app(db);
        let (_, cookie) = signed_in(&app, "planner@sapar.test", PASSWORD).await;
        let (admin, admin_cookie) = signed_in(&app, ADMIN.0, ADMIN.1).await;
        let (_, list) = page(&admin, format!("{}/users", app.address)).await;
        let answer = post(
            &admin,
            format!("{}/users/{planner}/role", app.address),
            &list,
            &[("role", "viewer")],
        )
        .await;
        assert_eq!(answer.status(), 303);
        assert!(!cookie_works(&app, &cookie).await);
        assert!(cookie_works(&app, &admin_cookie).await, "only theirs end");
        let changed = accounts::get_user(&mut db.conn(), planner).unwrap();
        assert_eq!(changed.role, Role::Viewer);
    });
}

fn the_last_active_admin_can_be_neither_disabled_nor_demoted(db: &TestDb) {
    let admin = admin_id(db);
    // A disabled admin is no admin to fall back on.
    let chief = user(db, "chief@sapar.test", "admin", Language::En);
    users::disable(&mut db.conn(), &actor(), chief).unwrap();
    let admin_token = token_of(db, ADMIN.0);
    run_async(async {
        let app = spawn_app(db);
        let (browser_, cookie) = signed_in(&app, ADMIN.0, ADMIN.1).await;
        let (_, list) = page(&browser_, format!("{}/users", app.address)).await;
        let refusal = Translator(Language::Ru).get("users-last_admin");
        for (action, fields) in [("disable", vec![]), ("role", vec![("role", "planner")])] {
            let answer = post(
                &browser_,
                format!("{}/users/{admin}/{action}", app.address),
                &list,
                &fields,
            )
            .await;
            assert_eq!(answer.status(), 409, "{action}");
            assert!(answer.text().await.unwrap().contains(refusal), "{action}");
        }
        for patch in [json!({"disabled": true}), json!({"role": "viewer"})] {
            let (status, body) = api(
                &app,
                Method::PATCH,
                &format!("/users/{admin}"),
                &admin_token,
                Some(patch),
            )
            .await;
            assert_eq!(status, 409, "{body}");
            assert_eq!(body["error"]["code"], "last_active_admin");
            assert!(body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("last active admin"));
        }
        let refused = sapar(db, &["user", "disable", "--email", ADMIN.0], None);
        assert_one_line_failure(&refused, "last active admin");

        let unchanged = accounts::get_user(&mut db.conn(), admin).unwrap();
        assert_eq!((unchanged.role, unchanged.disabled_at), (Role::Admin, None));
        assert!(cookie_works(&app, &cookie).await, "still signed in");
        assert_eq!(
            api(&app, Method::GET, "/users", &admin_token, None).await.0,
            200
        );

        // With another active admin, the first may step down.
        users::enable(&mut db.conn(), &actor(), chief).unwrap();
        let (status, body) = api(
            &app,
            Method::PATCH,
            &format!("/users/{admin}"),
            &admin_token,
            Some(json!({"role": "planner"})),
        )
        .await;
        assert_eq!((status, &body["role"]), (200, &json!("planner")), "{body}");
        assert!(!cookie_works(&app, &cookie).await);
    });
}

// ---------------------------------------------------------------------------
// /account

/// The session rows of the account page: (id, is this one).
fn session_rows(page: &str) -> Vec<(i64, bool)> {
    page.split("<tr id=\"session-")
        .skip(1)
        .map(|row| {
            let id = row.split('"').next().unwrap().parse().unwrap();
            let row = row.split("</tr>").next().unwrap();
            (id, row.contains("this session"))
        })
        .collect()
}

fn the_account_page_lists_sessions_and_signs_them_out(db: &TestDb) {
    user(db, "viewer@sapar.test", "viewer", Language::En);
    run_async(async {
        let app = spawn_app(db);
        let (here, here_cookie) = signed_in(&app, "viewer@sapar.test", PASSWORD).await;
        let (_, other) = signed_in(&app, "viewer@sapar.test", PASSWORD).await;
        let (status, account) = page(&here, format!("{}/account", app.address)).await;
        assert_eq!(status, 200);
        let rows = session_rows(&account);
        assert_eq!(rows.len(), 2, "{account}");
        assert_eq!(rows.iter().filter(|(_, this)| *this).count(), 1);
        let (other_id, _) = *rows.iter().find(|(_, this)| !this).unwrap();
        let (_, visits) = page(&here, format!("{}/visits", app.address)).await;
        assert!(
            visits.contains("href=\"/account\""),
            "the header links here"
        );

        let answer = post(
            &here,
            format!("{}/account/sessions/{other_id}/end", app.address),
            &account,
            &[],
        )
        .await;
        assert_eq!(
            (answer.status().as_u16(), location(&answer)),
            (303, "/account".into())
        );
        assert!(!cookie_works(&app, &other).await, "the copy is signed out");
        assert!(cookie_works(&app, &here_cookie).await);
        let (_, account) = page(&here, format!("{}/account", app.address)).await;
        assert_eq!(session_rows(&account).len(), 1);

        let (_, again) = signed_in(&app, "viewer@sapar.test", PASSWORD).await;
        let answer = post(
            &here,
            format!("{}/account/sessions/end-all", app.address),
            &account,
            &[],
        )
        .await;
        assert_eq!(
            (answer.status().as_u16(), location(&answer)),
            (303, "/login".into())
        );
        assert!(!cookie_works(&app, &here_cookie).await, "this one too");
        assert!(!cookie_works(&app, &again).await);
        let (status, _) = page(&here, format!("{}/account", app.address)).await;
        assert_eq!(status, 303);
    });
}

fn tokens_made_on_the_account_page_work_until_revoked(db: &TestDb) {
    user(db, "viewer@sapar.test", "viewer", Language::En);
    run_async(async {
        let app = spawn_app(db);
        let (client, _) = signed_in(&app, "viewer@sapar.test", PASSWORD).await;
        let url = format!("{}/account/tokens", app.address);
        let (_, account) = page(&client, format!("{}/account", app.address)).await;
        for days in ["0", "soon"] {
            let answer = post(
                &client,
                url.clone(),
                &account,
                &[("label", "laptop"), ("days", days)],
            )
            .await;
            assert_eq!(answer.status(), 422, "{days}");
            let body = answer.text().await.unwrap();
            assert!(body.contains("has-problem") && body.contains(&format!("value=\"{days}\"")));
        }
        let answer = post(
            &client,
            url,
            &account,
            &[("label", "laptop"), ("days", "30")],
        )
        .await;
        assert_eq!(answer.status(), 200);
        let shown = answer.text().await.unwrap();
        let at = shown.find("<code>sapar_").expect("the secret, shown once") + "<code>".len();
        let secret = shown[at..].split('<').next().unwrap().to_owned();

        let (status, me) = api(&app, Method::GET, "/me", &secret, None).await;
        assert_eq!(status, 200, "{me}");
        assert_eq!(
            (&me["email"], &me["role"]),
            (&json!("viewer@sapar.test"), &json!("viewer"))
        );
        let (_, account) = page(&client, format!("{}/account", app.address)).await;
        assert!(!account.contains(&secret), "never shown again");
        let id = account
            .split("<tr id=\"token-")
            .nth(1)
            .and_then(|row| row.split('"').next())
            .expect("the token is listed")
            .to_owned();
        assert!(account.contains("laptop"));

        let answer = post(
            &client,
            format!("{}/account/tokens/{id}/revoke", app.address),
            &account,
            &[],
        )
        .await;
        assert_eq!(answer.status(), 303);
        assert_eq!(api(&app, Method::GET, "/me", &secret, None).await.0, 401);
    });
}

// ---------------------------------------------------------------------------
// The API

fn me_and_the_users_list_answer_by_role(db: &TestDb) {
    let planner = user(db, "planner@sapar.test", "planner", Language::Kk);
    let token = token_of(db, "planner@sapar.test");
    let admin_token = token_of(db, ADMIN.0);
    run_async(async {
        let app = spawn_app(db);
        let (status, me) = api(&app, Method::GET, "/me", &token, None).await;
        assert_eq!(status, 200);
        assert_eq!(
            me,
            json!({"id": planner, "email": "planner@sapar.test", "role": "planner",
                   "language": "kk", "disabled": false})
        );
        assert_eq!(
            api(&app, Method::GET, "/me", "not a token", None).await.0,
            401
        );

        let (status, body) = api(&app, Method::GET, "/users", &token, None).await;
        assert_eq!((status, &body["error"]["code"]), (403, &json!("forbidden")));
        let patch = Some(json!({"role": "admin"}));
        let path = format!("/users/{planner}");
        assert_eq!(api(&app, Method::PATCH, &path, &token, patch).await.0, 403);
        let (status, body) = api(&app, Method::GET, "/users", &admin_token, None).await;
        assert_eq!(status, 200);
        let emails: Vec<&str> = body["users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["email"].as_str().unwrap())
            .collect();
        assert_eq!(emails, [ADMIN.0, "planner@sapar.test"]);

        for (patch, field) in [
            (json!({"role": "root"}), "role"),
            (json!({"role": "viewer", "password": "x"}), "password"),
            (json!({"disabled": "yes"}), "disabled"),
        ] {
            let (status, body) = api(&app, Method::PATCH, &path, &admin_token, Some(patch)).await;
            assert_eq!(status, 422, "{body}");
            assert!(body["error"]["fields"][field].is_string(), "{body}");
        }
        assert_eq!(
            accounts::get_user(&mut db.conn(), planner).unwrap().role,
            Role::Planner,
            "nothing changed"
        );
        let (status, _) = api(
            &app,
            Method::PATCH,
            "/users/999999",
            &admin_token,
            Some(json!({"role": "viewer"})),
        )
        .await;
        assert_eq!(status, 404);

        let (status, body) = api(
            &app,
            Method::PATCH,
            &path,
            &admin_token,
            Some(json!({"role": "viewer"})),
        )
        .await;
        assert_eq!((status, &body["role"]), (200, &json!("viewer")), "{body}");

        let (_, document) = api(&app, Method::GET, "/openapi.json", &admin_token, None).await;
        assert!(document["paths"]["/me"]["get"].is_object());
        assert!(document["paths"]["/users"]["get"].is_object());
        assert!(document["paths"]["/users/{id}"]["patch"].is_object());
    });
}

crate::on_both_backends!(
    disabling_on_the_users_page_ends_the_session_and_stops_the_token_at_once,
    disabling_through_the_api_stops_the_token_at_the_next_request,
    disabling_on_the_command_line_ends_sessions_and_stops_tokens,
    changing_ones_own_password_ends_the_other_sessions,
    an_admins_reset_link_arrives_by_email_and_works_once,
    a_reset_link_does_not_work_after_its_hour,
    the_command_line_sets_a_password_and_ends_every_session,
    a_role_change_ends_the_users_sessions,
    the_last_active_admin_can_be_neither_disabled_nor_demoted,
    the_account_page_lists_sessions_and_signs_them_out,
    tokens_made_on_the_account_page_work_until_revoked,
    me_and_the_users_list_answer_by_role,
);
