//! API tokens that expire and can be revoked, over real HTTP on both backends.

use chrono::{Duration, Utc};
use diesel::prelude::*;
use reqwest::Method;
use serde_json::Value;

use sapar::db::schema::api_tokens;
use sapar::domain::Language;
use sapar::services::accounts::{self, NewUserInput, Password};
use sapar::services::tokens::{self, TokenRequest};

use crate::support::{actor, run_async, spawn_app, TestApp, TestDb};

fn user(db: &TestDb, email: &str, role: &str) -> i64 {
    accounts::create_user(
        &mut db.conn(),
        &actor(),
        &NewUserInput {
            email,
            full_name: "",
            role,
            language: Language::En,
            password: &Password::new("a password for tests"),
        },
    )
    .unwrap()
    .id
}

fn token(db: &TestDb, user_id: i64, label: &str, days: Option<i64>) -> (i64, String) {
    let made = tokens::create(
        &mut db.conn(),
        &actor(),
        user_id,
        &TokenRequest {
            label: label.into(),
            days,
        },
    )
    .unwrap();
    (made.row.id, made.secret)
}

async fn call(app: &TestApp, method: Method, path: &str, token: &str) -> (u16, Value) {
    let response = app
        .client
        .request(method, format!("{}/api/v1{path}", app.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let value = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("{path}: non-JSON {text}"))
    };
    (status, value)
}

fn tokens_can_expire_and_expired_ones_answer_401(db: &TestDb) {
    let planner = user(db, "planner@sapar.test", "planner");
    let (lasting, lasting_secret) = token(db, planner, "laptop", Some(30));
    let (expiring, expiring_secret) = token(db, planner, "script", Some(1));
    let stored: Option<chrono::NaiveDateTime> = api_tokens::table
        .find(lasting)
        .select(api_tokens::expires_at)
        .first(&mut db.conn())
        .unwrap();
    let in_thirty_days = Utc::now().naive_utc() + Duration::days(30);
    assert!((stored.unwrap() - in_thirty_days).num_seconds().abs() < 60);

    run_async(async {
        let app = spawn_app(db);
        assert_eq!(
            call(&app, Method::GET, "/visits", &expiring_secret).await.0,
            200
        );
        diesel::update(api_tokens::table.find(expiring))
            .set(api_tokens::expires_at.eq(Some(Utc::now().naive_utc() - Duration::seconds(1))))
            .execute(&mut db.conn())
            .unwrap();
        let (status, body) = call(&app, Method::GET, "/visits", &expiring_secret).await;
        assert_eq!(status, 401, "{body}");
        assert_eq!(body["error"]["code"], "unauthorized");
        assert_eq!(
            call(&app, Method::GET, "/visits", &lasting_secret).await.0,
            200
        );
    });
}

fn a_tokens_use_is_written_at_most_once_a_minute(db: &TestDb) {
    let planner = user(db, "planner@sapar.test", "planner");
    let (id, secret) = token(db, planner, "", None);
    let last_used = |db: &TestDb| -> Option<chrono::NaiveDateTime> {
        api_tokens::table
            .find(id)
            .select(api_tokens::last_used_at)
            .first(&mut db.conn())
            .unwrap()
    };
    assert_eq!(last_used(db), None);
    run_async(async {
        let app = spawn_app(db);
        assert_eq!(call(&app, Method::GET, "/visits", &secret).await.0, 200);
        let first = last_used(db).expect("the first use is written");
        // Pretend that use was 30 seconds ago: another use now leaves it be.
        let earlier = first - Duration::seconds(30);
        diesel::update(api_tokens::table.find(id))
            .set(api_tokens::last_used_at.eq(Some(earlier)))
            .execute(&mut db.conn())
            .unwrap();
        assert_eq!(call(&app, Method::GET, "/visits", &secret).await.0, 200);
        assert_eq!(
            last_used(db),
            Some(earlier),
            "not written again within a minute"
        );
        // Two minutes ago: the next use is written.
        let long_ago = first - Duration::seconds(120);
        diesel::update(api_tokens::table.find(id))
            .set(api_tokens::last_used_at.eq(Some(long_ago)))
            .execute(&mut db.conn())
            .unwrap();
        assert_eq!(call(&app, Method::GET, "/visits", &secret).await.0, 200);
        assert!(last_used(db).unwrap() >= first);
    });
}

fn the_caller_lists_their_tokens_without_secrets(db: &TestDb) {
    let planner = user(db, "planner@sapar.test", "planner");
    let other = user(db, "other@sapar.test", "viewer");
    let admin = user(db, "chief@sapar.test", "admin");
    let (mine, secret) = token(db, planner, "laptop", Some(7));
    let (_, other_secret) = token(db, other, "phone", None);
    let (_, admin_secret) = token(db, admin, "", None);
    run_async(async {
        let app = spawn_app(db);
        let (status, body) = call(&app, Method::GET, "/tokens", &secret).await;
        assert_eq!(status, 200, "{body}");
        let listed = body["tokens"].as_array().unwrap();
        assert_eq!(listed.len(), 1, "{body}");
        let only = listed[0].as_object().unwrap();
        let mut keys: Vec<_> = only.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            ["created_at", "expires_at", "id", "label", "last_used_at"]
        );
        assert_eq!(only["id"], mine);
        assert_eq!(only["label"], "laptop");
        assert!(only["expires_at"].as_str().unwrap().ends_with('Z'));
        assert!(only["last_used_at"].is_string(), "this very call used it");
        assert!(!body.to_string().contains(&secret[6..]), "never the secret");

        // Someone else's list is an admin's business only.
        let path = format!("/tokens?user_id={other}");
        assert_eq!(call(&app, Method::GET, &path, &secret).await.0, 403);
        let (status, body) = call(&app, Method::GET, &path, &admin_secret).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["tokens"][0]["label"], "phone");
        let (status, body) = call(&app, Method::GET, "/tokens?user_id=x", &secret).await;
        assert_eq!(
            (status, &body["error"]["code"]),
            (400, &Value::from("bad_request")),
            "{body}"
        );
        let _ = other_secret;
    });
}

fn a_revoked_token_answers_401_at_once(db: &TestDb) {
    let planner = user(db, "planner@sapar.test", "planner");
    let other = user(db, "other@sapar.test", "planner");
    let admin = user(db, "chief@sapar.test", "admin");
    let (mine, secret) = token(db, planner, "laptop", None);
    let (spare, spare_secret) = token(db, planner, "spare", None);
    let (theirs, their_secret) = token(db, other, "", None);
    let (_, admin_secret) = token(db, admin, "", None);
    run_async(async {
        let app = spawn_app(db);
        // Another planner's token is not mine to revoke, nor to know of.
        let (status, body) =
            call(&app, Method::DELETE, &format!("/tokens/{theirs}"), &secret).await;
        assert_eq!(status, 404, "{body}");
        assert_eq!(
            call(&app, Method::GET, "/visits", &their_secret).await.0,
            200
        );

        // My own, with itself: 204, then 401.
        let (status, body) = call(&app, Method::DELETE, &format!("/tokens/{mine}"), &secret).await;
        assert_eq!(status, 204, "{body}");
        let (status, body) = call(&app, Method::GET, "/visits", &secret).await;
        assert_eq!(
            (status, &body["error"]["code"]),
            (401, &Value::from("unauthorized"))
        );
        assert_eq!(
            call(&app, Method::GET, "/visits", &spare_secret).await.0,
            200
        );
        let (_, listed) = call(&app, Method::GET, "/tokens", &spare_secret).await;
        assert_eq!(listed["tokens"].as_array().unwrap().len(), 1, "{listed}");
        assert_eq!(listed["tokens"][0]["id"], spare);
        // Twice: it is gone.
        let again = call(
            &app,
            Method::DELETE,
            &format!("/tokens/{mine}"),
            &spare_secret,
        )
        .await;
        assert_eq!(again.0, 404);

        // An admin may revoke anyone's.
        let (status, _) = call(
            &app,
            Method::DELETE,
            &format!("/tokens/{theirs}"),
            &admin_secret,
        )
        .await;
        assert_eq!(status, 204);
        assert_eq!(
            call(&app, Method::GET, "/visits", &their_secret).await.0,
            401
        );
        assert_eq!(
            call(&app, Method::DELETE, "/tokens/999999", &admin_secret)
                .await
                .0,
            404
        );
        let (_, document) = call(&app, Method::GET, "/openapi.json", &admin_secret).await;
        assert!(document["paths"]["/tokens"]["get"].is_object());
        assert!(document["paths"]["/tokens/{id}"]["delete"].is_object());
    });
}

fn bad_token_requests_are_refused_with_the_field(db: &TestDb) {
    let planner = user(db, "planner@sapar.test", "planner");
    for (request, field) in [
        (
            TokenRequest {
                label: String::new(),
                days: Some(0),
            },
            "days",
        ),
        (
            TokenRequest {
                label: String::new(),
                days: Some(100_000),
            },
            "days",
        ),
        (
            TokenRequest {
                label: "x".repeat(101),
                days: None,
            },
            "label",
        ),
    ] {
        let refused = tokens::create(&mut db.conn(), &actor(), planner, &request);
        match refused {
            Err(sapar::services::ServiceError::Validation(errors)) => {
                assert!(format!("{errors:?}").contains(field), "{errors:?}")
            }
            other => panic!("{request:?} was not refused: {:?}", other.is_ok()),
        }
    }
}

fn the_command_line_makes_tokens_with_a_lifetime_and_label(db: &TestDb) {
    let planner = user(db, "planner@sapar.test", "planner");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_sapar"))
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("RUST_LOG", "warn")
            .envs(db.env())
            .output()
            .unwrap()
    };
    let made = run(&[
        "token",
        "create",
        "--email",
        "planner@sapar.test",
        "--days",
        "3",
        "--label",
        "ci",
    ]);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let secret = String::from_utf8(made.stdout).unwrap();
    assert_eq!(secret.lines().count(), 1);
    let listed = tokens::of_user(&mut db.conn(), planner).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].label, "ci");
    let in_three_days = Utc::now().naive_utc() + Duration::days(3);
    assert!(
        (listed[0].expires_at.unwrap() - in_three_days)
            .num_seconds()
            .abs()
            < 60
    );
    assert!(accounts::user_by_token(&mut db.conn(), secret.trim())
        .unwrap()
        .is_some());

    let refused = run(&[
        "token",
        "create",
        "--email",
        "planner@sapar.test",
        "--days",
        "0",
    ]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("days"), "{stderr}");
}

crate::on_both_backends!(
    tokens_can_expire_and_expired_ones_answer_401,
    a_tokens_use_is_written_at_most_once_a_minute,
    the_caller_lists_their_tokens_without_secrets,
    a_revoked_token_answers_401_at_once,
    bad_token_requests_are_refused_with_the_field,
    the_command_line_makes_tokens_with_a_lifetime_and_label,
);
