//! Trust at the edges: dates bounded on the way in, no stored value, however
//! odd, that makes a page or a call answer 500, where sign-in sends people
//! on, whose forwarded address is believed, how failed sign-ins slow down,
//! and what cookies and caches are told; on both backends.

use chrono::{Duration, Utc};
use diesel::prelude::*;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{json, Value};

use sapar::config::Settings;
use sapar::db::schema::{sessions, sign_in_throttle};
use sapar::domain::Language;
use sapar::services::accounts::{self, NewUserInput, Password};

use crate::support::client::{browser, csrf_of, sign_in, ADMIN};
use crate::support::{actor, run_async, spawn_app, spawn_app_with, TestApp, TestDb};

fn planner_token(db: &TestDb) -> String {
    let conn = &mut db.conn();
    accounts::create_user(
        conn,
        &actor(),
        &NewUserInput {
            email: "planner@sapar.test",
            full_name: "",
            role: "planner",
            language: Language::Ru,
            password: &Password::new("a password for tests"),
        },
    )
    .unwrap();
    accounts::create_token(conn, &actor(), "planner@sapar.test").unwrap()
}

fn dates_outside_2000_to_2099_answer_422_naming_the_field(db: &TestDb) {
    let token = planner_token(db);
    run_async(async {
        let app = spawn_app(db);
        let post = |path: &str, body: Value| {
            app.client
                .post(format!("{}/api/v1{path}", app.address))
                .bearer_auth(&token)
                .json(&body)
                .send()
        };
        let visit = |first: &str, last: &str| json!({"title": "Визит", "timezone": "Asia/Almaty", "first_day": first, "last_day": last});
        let answer = post("/visits", visit("2026-02-25", "9999-01-01"))
            .await
            .unwrap();
        assert_eq!(answer.status(), 422);
        let body: Value = answer.json().await.unwrap();
        assert!(body["error"]["fields"]["last_day"].is_string(), "{body}");
        let answer = post("/visits", visit("1999-12-31", "2026-02-25"))
            .await
            .unwrap();
        assert_eq!(answer.status(), 422);
        let body: Value = answer.json().await.unwrap();
        assert!(body["error"]["fields"]["first_day"].is_string(), "{body}");

        let answer = post("/visits", visit("2099-12-30", "2099-12-31"))
            .await
            .unwrap();
        assert_eq!(answer.status(), 201);
        let id = answer.json::<Value>().await.unwrap()["id"]
            .as_i64()
            .unwrap();
        let answer = post(
            &format!("/visits/{id}/meetings"),
            json!({"title": "Встреча", "kind": "meeting",
                   "starts_at": "2100-01-01T10:00:00+05:00", "ends_at": "2100-01-01T11:00:00+05:00"}),
        )
        .await
        .unwrap();
        assert_eq!(answer.status(), 422);
        let body: Value = answer.json().await.unwrap();
        assert!(body["error"]["fields"]["starts_at"].is_string(), "{body}");
        assert!(body["error"]["fields"]["ends_at"].is_string(), "{body}");

        let answer = post(
            "/unavailability",
            json!({"official_id": 1, "starts_at": "1970-01-01T00:00:00Z", "ends_at": "2026-01-01T00:00:00Z"}),
        )
        .await
        .unwrap();
        assert_eq!(answer.status(), 422);
        let body: Value = answer.json().await.unwrap();
        assert!(body["error"]["fields"]["starts_at"].is_string(), "{body}");
    });
}

/// Sign-in's form with `next` as posted, for a fresh visitor.
async fn sign_in_with_next(app: &TestApp, next: &str) -> reqwest::Response {
    let client = browser();
    let form = client
        .get(format!("{}/login", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    client
        .post(format!("{}/login", app.address))
        .form(&[
            ("email", ADMIN.0),
            ("password", ADMIN.1),
            ("csrf", &csrf_of(&form)),
            ("next", next),
        ])
        .send()
        .await
        .unwrap()
}

fn sign_in_sends_people_on_only_within_the_site(db: &TestDb) {
    run_async(async {
        let app = spawn_app(db);
        for hostile in [
            "/%09/evil.example",
            "/\t/evil.example",
            "//evil.example",
            "/\\evil.example",
            "https://evil.example/",
            "/%5C%5Cevil.example",
        ] {
            let answer = sign_in_with_next(&app, hostile).await;
            assert_eq!(answer.status(), 303, "{hostile:?}");
            assert_eq!(answer.headers()["location"], "/visits", "{hostile:?}");
        }
        let answer = sign_in_with_next(&app, "/users").await;
        assert_eq!(answer.headers()["location"], "/users");

        // The form does not carry a hostile `next` on either.
        let page = browser()
            .get(format!("{}/login?next=/%2509/evil.example", app.address))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains(r#"name="next" value="/visits""#), "{page}");
    });
}

/// Settings whose only trusted proxy is the loopback the tests connect from.
fn behind_a_proxy(db: &TestDb) -> Settings {
    let mut settings = db.settings();
    settings.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    settings
}

/// A browser-like client whose every request says it was forwarded for `from`.
fn forwarded_for(from: &str) -> reqwest::Client {
    let mut headers = HeaderMap::new();
    headers.insert("x-forwarded-for", HeaderValue::from_str(from).unwrap());
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap()
}

/// Where the newest session says it was started from.
fn last_seen_from(db: &TestDb) -> String {
    sessions::table
        .order(sessions::id.desc())
        .select(sessions::seen_from)
        .first(&mut db.conn())
        .unwrap()
}

fn forwarded_addresses_are_believed_only_from_a_trusted_proxy(db: &TestDb) {
    run_async(async {
        let direct = spawn_app(db);
        let answer = sign_in(
            &forwarded_for("203.0.113.7"),
            &direct.address,
            ADMIN.0,
            ADMIN.1,
        )
        .await;
        assert_eq!(answer.status(), 303);
        assert_eq!(last_seen_from(db), "127.0.0.1");

        let proxied = spawn_app_with(db, behind_a_proxy(db));
        let answer = sign_in(
            &forwarded_for("198.51.100.1, 203.0.113.7, 127.0.0.1"),
            &proxied.address,
            ADMIN.0,
            ADMIN.1,
        )
        .await;
        assert_eq!(answer.status(), 303);
        assert_eq!(last_seen_from(db), "203.0.113.7");

        let answer = sign_in(
            &forwarded_for("unknown"),
            &proxied.address,
            ADMIN.0,
            ADMIN.1,
        )
        .await;
        assert_eq!(answer.status(), 303);
        assert_eq!(last_seen_from(db), "127.0.0.1", "garbage: the peer");
    });
}

/// A sign-in counter's failures, if it has any.
fn failures(db: &TestDb, scope: &str, subject: &str) -> Option<i64> {
    sign_in_throttle::table
        .find((scope, subject))
        .select(sign_in_throttle::failures)
        .first(&mut db.conn())
        .optional()
        .unwrap()
}

/// Moves every counter's last failure to `seconds` ago, as if the test had waited.
fn last_failures_ago(db: &TestDb, seconds: i64) {
    let then = (Utc::now() - Duration::seconds(seconds)).naive_utc();
    diesel::update(sign_in_throttle::table)
        .set(sign_in_throttle::last_failure_at.eq(then))
        .execute(&mut db.conn())
        .unwrap();
}

/// Fails `times` sign-ins as `email` from `client`, each after every wait
/// (the counters moved past the longest cap), so that every one counts.
async fn fail_sign_ins(
    db: &TestDb,
    app: &TestApp,
    client: &reqwest::Client,
    email: &str,
    times: usize,
) {
    for _ in 0..times {
        last_failures_ago(db, 16 * 60);
        let answer = sign_in(client, &app.address, email, "a wrong guess").await;
        assert_eq!(answer.status(), 401);
    }
}

fn failed_sign_ins_slow_down_the_next_try_and_a_right_one_clears_its_count(db: &TestDb) {
    run_async(async {
        let app = spawn_app_with(db, behind_a_proxy(db));
        let guesser = forwarded_for("203.0.113.7");
        let pair = "admin@sapar.test 203.0.113.7";
        fail_sign_ins(db, &app, &guesser, ADMIN.0, 10).await;
        assert_eq!(failures(db, "pair", pair), Some(10));

        // Ten failures of the pair: a wait of 64 s, and the right password is
        // not even looked at.
        let early = sign_in(&guesser, &app.address, ADMIN.0, ADMIN.1).await;
        assert_eq!(early.status(), 429);
        let retry_after: i64 = early.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=64).contains(&retry_after), "{retry_after}");
        let page = early.text().await.unwrap();
        assert!(
            page.contains("Слишком много неудачных попыток входа подряд. Попробуйте снова через"),
            "{page}"
        );
        assert!(page.contains(r#"name="email""#), "the form again");
        assert_eq!(
            failures(db, "pair", pair),
            Some(10),
            "an early try is not counted"
        );

        // Elsewhere the account waits at most 30 s, and then its owner is in.
        let owner = forwarded_for("198.51.100.4");
        let answer = sign_in(&owner, &app.address, ADMIN.0, "a slip of the finger").await;
        assert_eq!(answer.status(), 429, "the account's own short wait");
        last_failures_ago(db, 31);
        let answer = sign_in(&owner, &app.address, ADMIN.0, "a slip of the finger").await;
        assert_eq!(answer.status(), 401);
        last_failures_ago(db, 31);
        assert_eq!(
            failures(db, "pair", "admin@sapar.test 198.51.100.4"),
            Some(1)
        );
        let answer = sign_in(&owner, &app.address, ADMIN.0, ADMIN.1).await;
        assert_eq!(answer.status(), 303);
        assert_eq!(failures(db, "pair", "admin@sapar.test 198.51.100.4"), None);
        assert_eq!(
            failures(db, "account", ADMIN.0),
            Some(11),
            "others' failures still count"
        );

        // The guesser's pair still waits, long after the account's wait.
        let answer = sign_in(&guesser, &app.address, ADMIN.0, ADMIN.1).await;
        assert_eq!(answer.status(), 429);

        // An hour without failures forgets a counter.
        last_failures_ago(db, 61 * 60);
        let answer = sign_in(&guesser, &app.address, ADMIN.0, "a wrong guess").await;
        assert_eq!(answer.status(), 401);
        assert_eq!(failures(db, "pair", pair), Some(1));
        assert_eq!(failures(db, "account", ADMIN.0), Some(1));
    });
}

fn one_address_failing_does_not_hold_up_others_behind_the_same_proxy(db: &TestDb) {
    run_async(async {
        let app = spawn_app_with(db, behind_a_proxy(db));
        let guesser = forwarded_for("203.0.113.7");
        for n in 0..20 {
            let email = format!("nobody{n}@sapar.test");
            fail_sign_ins(db, &app, &guesser, &email, 1).await;
        }
        assert_eq!(failures(db, "address", "203.0.113.7"), Some(20));
        let answer = sign_in(&guesser, &app.address, ADMIN.0, ADMIN.1).await;
        assert_eq!(answer.status(), 429, "the address waits");

        let colleague = forwarded_for("203.0.113.8");
        let answer = sign_in(&colleague, &app.address, ADMIN.0, ADMIN.1).await;
        assert_eq!(answer.status(), 303);
    });
}

/// The `Set-Cookie` header that sets `name`.
fn set_cookie(answer: &reqwest::Response, name: &str) -> String {
    answer
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} cookie in {:?}", answer.headers()))
        .to_owned()
}

/// The `name=value` part of a `Set-Cookie` header, to send back.
fn cookie_pair(set_cookie: &str) -> &str {
    set_cookie.split(';').next().unwrap()
}

fn over_https_cookies_are_host_only_and_secure_and_hsts_is_sent(db: &TestDb) {
    let mut settings = db.settings();
    settings.base_url = "https://sapar.test".into();
    run_async(async {
        let app = spawn_app_with(db, settings);
        // A cookie store would not send Secure cookies over this plain
        // connection: the test carries them by hand.
        let client = &app.client;
        let form = client
            .get(format!("{}/login", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(
            form.headers()["strict-transport-security"],
            "max-age=31536000; includeSubDomains"
        );
        let pre_session = set_cookie(&form, "__Host-sapar_csrf");
        for part in ["Secure", "HttpOnly", "Path=/"] {
            assert!(pre_session.contains(part), "{pre_session}");
        }
        assert!(!pre_session.contains("Domain"), "{pre_session}");
        let page = form.text().await.unwrap();

        let signed_in = client
            .post(format!("{}/login", app.address))
            .header("cookie", cookie_pair(&pre_session))
            .form(&[
                ("email", ADMIN.0),
                ("password", ADMIN.1),
                ("csrf", &csrf_of(&page)),
                ("next", "/visits"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(signed_in.status(), 303);
        let session = set_cookie(&signed_in, "__Host-sapar_session");
        for part in ["Secure", "HttpOnly", "Path=/", "SameSite=Lax"] {
            assert!(session.contains(part), "{session}");
        }
        assert!(!session.contains("Domain"), "{session}");

        let visits = client
            .get(format!("{}/visits", app.address))
            .header("cookie", cookie_pair(&session))
            .send()
            .await
            .unwrap();
        assert_eq!(visits.status(), 200);
        assert_eq!(visits.headers()["cache-control"], "no-store");
        let page = visits.text().await.unwrap();

        let out = client
            .post(format!("{}/logout", app.address))
            .header("cookie", cookie_pair(&session))
            .form(&[("csrf", csrf_of(&page))])
            .send()
            .await
            .unwrap();
        let removal = set_cookie(&out, "__Host-sapar_session");
        assert!(
            removal.contains("Secure") && removal.contains("Path=/"),
            "{removal}"
        );
        assert!(removal.contains("Max-Age=0"), "{removal}");
    });
}

fn signed_in_pages_and_api_answers_are_not_stored(db: &TestDb) {
    let token = planner_token(db);
    run_async(async {
        let app = spawn_app(db);
        let client = browser();
        let login = client
            .get(format!("{}/login", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(login.headers()["cache-control"], "no-store");
        assert!(login.headers().get("strict-transport-security").is_none());
        assert!(set_cookie(&login, "sapar_csrf").starts_with("sapar_csrf="));

        sign_in(&client, &app.address, ADMIN.0, ADMIN.1).await;
        for path in ["/visits", "/users"] {
            let page = client
                .get(format!("{}{path}", app.address))
                .send()
                .await
                .unwrap();
            assert_eq!(page.status(), 200, "{path}");
            assert_eq!(page.headers()["cache-control"], "no-store", "{path}");
        }
        for path in ["/visits", "/no-such-thing"] {
            let answer = app
                .client
                .get(format!("{}/api/v1{path}", app.address))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            assert_eq!(answer.headers()["cache-control"], "no-store", "{path}");
        }
        let stylesheet = client
            .get(format!("{}/static/app.css", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(
            stylesheet.headers()["cache-control"],
            "public, max-age=3600"
        );
    });
}

crate::on_both_backends!(
    dates_outside_2000_to_2099_answer_422_naming_the_field,
    sign_in_sends_people_on_only_within_the_site,
    forwarded_addresses_are_believed_only_from_a_trusted_proxy,
    failed_sign_ins_slow_down_the_next_try_and_a_right_one_clears_its_count,
    one_address_failing_does_not_hold_up_others_behind_the_same_proxy,
    over_https_cookies_are_host_only_and_secure_and_hsts_is_sent,
    signed_in_pages_and_api_answers_are_not_stored,
);
