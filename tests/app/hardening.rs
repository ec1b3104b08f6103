//! Trust at the edges: dates bounded on the way in, and no stored value, however
//! odd, that makes a page or a call answer 500; on both backends.

use serde_json::{json, Value};

use sapar::domain::Language;
use sapar::services::accounts::{self, NewUserInput, Password};

use crate::support::{actor, run_async, spawn_app, TestDb};

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

crate::on_both_backends!(dates_outside_2000_to_2099_answer_422_naming_the_field,);
