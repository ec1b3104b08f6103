//! Random and hostile requests at every route of the API: whatever arrives,
//! the answer is never a 5xx, and every error is the error JSON.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use reqwest::Method;
use serde_json::{json, Value};

use sapar::domain::Language;
use sapar::services::accounts::{self, NewUserInput, Password};
use sapar::services::demo;

use crate::support::{actor, load_demo, run_async, spawn_app, TestApp, TestDb};

const ROUTES: &[(&str, &str)] = &[
    ("POST", "/officials"),
    ("GET", "/officials"),
    ("GET", "/officials/{id}"),
    ("PATCH", "/officials/{id}"),
    ("DELETE", "/officials/{id}"),
    ("POST", "/venues"),
    ("GET", "/venues"),
    ("GET", "/venues/{id}"),
    ("PATCH", "/venues/{id}"),
    ("DELETE", "/venues/{id}"),
    ("POST", "/groups"),
    ("GET", "/groups/{id}"),
    ("PATCH", "/groups/{id}"),
    ("DELETE", "/groups/{id}"),
    ("POST", "/participants"),
    ("PATCH", "/participants/{id}"),
    ("DELETE", "/participants/{id}"),
    ("POST", "/visits"),
    ("GET", "/visits/{id}"),
    ("PATCH", "/visits/{id}"),
    ("DELETE", "/visits/{id}"),
    ("POST", "/visits/{id}/meetings"),
    ("GET", "/visits/{id}/meetings"),
    ("GET", "/meetings/{id}"),
    ("PATCH", "/meetings/{id}"),
    ("DELETE", "/meetings/{id}"),
    ("POST", "/unavailability"),
    ("GET", "/unavailability"),
    ("DELETE", "/unavailability/{id}"),
    ("PUT", "/travel-times"),
    ("GET", "/travel-times"),
    ("GET", "/openapi.json"),
    ("GET", "/visits/{id}/conflicts"),
    ("POST", "/visits/{id}/publish"),
    ("POST", "/visits/{id}/briefing-pack"),
    ("GET", "/outbox"),
    ("PUT", "/officials"),
    ("POST", "/meetings/{id}"),
    ("OPTIONS", "/visits"),
];

const FIELDS: &[&str] = &[
    "full_name",
    "name",
    "title",
    "timezone",
    "starts_at",
    "ends_at",
    "first_day",
    "last_day",
    "venue_id",
    "official_ids",
    "official_roles",
    "group_ids",
    "participant_ids",
    "capacity",
    "latitude",
    "longitude",
    "opens",
    "closes",
    "email",
    "precedence",
    "version",
    "status",
    "kind",
    "minutes",
    "from_venue_id",
    "to_venue_id",
    "official_id",
    "headcount",
    "lead_official_id",
    "acknowledge_errors",
    "emails",
    "id",
];

const EXTREME_DAYS: &[&str] = &[
    "9999-12-31",
    "+262142-12-31",
    "-262143-01-01",
    "0000-01-01",
    "-0001-12-31",
    "1999-12-31",
    "2100-01-01",
];

const EXTREME_INSTANTS: &[&str] = &[
    "9999-12-31T23:59:59+14:00",
    "+262142-12-31T23:59:59Z",
    "-262143-01-01T00:00:00-12:00",
    "0000-01-01T00:00:00Z",
    "1999-12-31T23:59:59Z",
    "2100-01-01T00:00:00+05:00",
];

fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<script>alert(1)</script>".to_owned()),
        Just("'; DROP TABLE meetings; --".to_owned()),
        Just("Asia/Almaty".to_owned()),
        Just("2026-02-25T10:00:00+05:00".to_owned()),
        Just("2026-02-30".to_owned()),
        Just("25:61".to_owned()),
        Just("әғқңөұүһі ӘҒҚҢӨҰҮҺІ".to_owned()),
        Just("\u{0}\u{1f}\r\n".to_owned()),
        Just("x".repeat(25_000)),
        Just("9223372036854775808".to_owned()),
        // Days and instants at and past every edge: the contract's, the
        // four-digit year's, chrono's.
        prop::sample::select(EXTREME_DAYS).prop_map(str::to_owned),
        prop::sample::select(EXTREME_INSTANTS).prop_map(str::to_owned),
        ".{0,40}",
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        prop_oneof![
            Just(-1i64),
            Just(0),
            Just(1),
            Just(2),
            Just(i64::MAX),
            Just(i64::MIN),
            Just(1 << 31),
            Just(i64::from(i32::MAX)),
            Just(i64::from(i32::MIN) - 1),
        ]
        .prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null)),
        hostile_text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(FIELDS), inner), 0..8).prop_map(|pairs| {
                Value::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            }),
        ]
    })
}

fn body() -> impl Strategy<Value = Option<Vec<u8>>> {
    prop_oneof![
        Just(None),
        json_value().prop_map(|v| Some(serde_json::to_vec(&v).unwrap())),
        // Objects made only of known fields, so validation (not parsing) is exercised.
        prop::collection::vec((prop::sample::select(FIELDS), json_value()), 1..10).prop_map(
            |pairs| {
                let object: serde_json::Map<String, Value> =
                    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
                Some(serde_json::to_vec(&object).unwrap())
            }
        ),
        prop::collection::vec(any::<u8>(), 0..64).prop_map(Some),
        Just(Some(b"{\"title\": \"\\ud800\"}".to_vec())),
        Just(Some(b"{\"title\": 1e999}".to_vec())),
        Just(Some(vec![b'['; 10_000])),
    ]
}

fn id() -> impl Strategy<Value = String> {
    prop_oneof![
        (1i64..20).prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        Just("99999999999999999999".to_owned()),
        Just("-0".to_owned()),
        Just("%2e%2e".to_owned()),
        Just("1%00".to_owned()),
        Just("%D3%99".to_owned()),
        "[a-z0-9]{0,8}",
    ]
}

#[derive(Debug, Clone)]
enum Auth {
    Planner,
    Viewer,
    None,
    Raw(String),
}

fn auth() -> impl Strategy<Value = Auth> {
    prop_oneof![
        6 => Just(Auth::Planner),
        1 => Just(Auth::Viewer),
        1 => Just(Auth::None),
        1 => "[ -~]{0,80}".prop_map(Auth::Raw),
        1 => Just(Auth::Raw(format!("Bearer sapar_{}", "0".repeat(64)))),
    ]
}

fn content_type() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(Some("application/json".to_owned())),
        Just(None),
        Just(Some("text/plain; charset=koi8-r".to_owned())),
        "[ -~]{0,30}".prop_map(Some),
    ]
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
            language: Language::Ru,
            password: &Password::new("a password for tests"),
        },
    )
    .unwrap();
    accounts::create_token(conn, &actor(), email).unwrap()
}

fn hostile_requests_never_get_a_server_error(db: &TestDb) {
    demo::load(&mut db.conn()).unwrap();
    let planner = token(db, "planner@sapar.test", "planner");
    let viewer = token(db, "viewer@sapar.test", "viewer");
    let case = (
        prop::sample::select(ROUTES),
        id(),
        body(),
        auth(),
        content_type(),
    );
    let mut runner = TestRunner::new(Config {
        cases: 400,
        ..Config::default()
    });
    let cases: Vec<_> = (0..400)
        .map(|_| {
            case.new_tree(&mut runner)
                .expect("a generated case")
                .current()
        })
        .collect();

    run_async(async {
        let app = spawn_app(db);
        let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
        for ((method, path), id, body, auth, content_type) in cases {
            let url = format!("{}/api/v1{}", app.address, path.replace("{id}", &id));
            let mut request = app
                .client
                .request(Method::from_bytes(method.as_bytes()).unwrap(), &url);
            request = match &auth {
                Auth::Planner => request.bearer_auth(&planner),
                Auth::Viewer => request.bearer_auth(&viewer),
                Auth::None => request,
                Auth::Raw(value) => request.header("Authorization", value.as_str()),
            };
            if let Some(content_type) = &content_type {
                request = request.header("Content-Type", content_type.as_str());
            }
            if let Some(body) = &body {
                request = request.body(body.clone());
            }
            let response = request.send().await.expect("the server answers");
            let status = response.status().as_u16();
            *statuses.entry(status).or_default() += 1;
            let text = response.text().await.unwrap_or_default();
            let shown_body = body
                .as_ref()
                .map(|b| String::from_utf8_lossy(&b[..b.len().min(300)]).into_owned());
            assert!(
                status < 500,
                "{method} {url} with {auth:?}, {content_type:?}, body {shown_body:?} answered {status}: {text}"
            );
            if status >= 400 {
                let error: Value = serde_json::from_str(&text).unwrap_or_else(|_| {
                    panic!("{method} {url} answered {status} without JSON: {text}")
                });
                assert!(error["error"]["code"].is_string(), "{method} {url}: {text}");
            }
        }
        // The run reached past authentication and parsing, not only the front door.
        for reached in [200, 401, 404, 422] {
            assert!(
                statuses.contains_key(&reached),
                "no {reached} among {statuses:?}"
            );
        }
        // The server is still healthy afterwards.
        let health = app
            .client
            .get(format!("{}/healthz", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(health.status().as_u16(), 200);
    });
}

/// Sends one call; its answer must be a 4xx with the error JSON. Gives the
/// status and the error.
async fn refused(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = app
        .client
        .request(method.clone(), format!("{}/api/v1{path}", app.address))
        .bearer_auth(token);
    if let Some(body) = &body {
        request = request.json(body);
    }
    let answer = request.send().await.expect("the server answers");
    let status = answer.status().as_u16();
    let text = answer.text().await.unwrap_or_default();
    assert!(
        (400..500).contains(&status),
        "{method} {path} with {body:?} answered {status}: {text}"
    );
    let error: Value = serde_json::from_str(&text)
        .unwrap_or_else(|_| panic!("{method} {path} answered {status} without JSON: {text}"));
    assert!(
        error["error"]["code"].is_string(),
        "{method} {path}: {text}"
    );
    (status, error)
}

/// A 422 must name the field that is wrong.
fn names_field(status: u16, error: &Value, field: &str) {
    if status == 422 {
        assert!(
            error["error"]["fields"][field].is_string(),
            "{field}: {error}"
        );
    }
}

fn extreme_dates_and_numbers_are_refused_with_the_error_json(db: &TestDb) {
    let visit_id = load_demo(db);
    let planner = token(db, "planner@sapar.test", "planner");
    run_async(async {
        let app = spawn_app(db);
        let token = planner.as_str();
        for day in EXTREME_DAYS {
            for (first, last, field) in [
                (*day, "2026-02-25", "first_day"),
                ("2026-02-25", *day, "last_day"),
            ] {
                let body = json!({"title": "Визит", "timezone": "Asia/Almaty",
                                  "first_day": first, "last_day": last});
                let (status, error) =
                    refused(&app, token, Method::POST, "/visits", Some(body.clone())).await;
                names_field(status, &error, field);
                let (status, error) = refused(
                    &app,
                    token,
                    Method::PATCH,
                    &format!("/visits/{visit_id}"),
                    Some(json!({ field: day })),
                )
                .await;
                names_field(status, &error, field);
            }
        }
        for at in EXTREME_INSTANTS {
            let meeting = json!({"title": "Встреча", "kind": "meeting",
                                 "starts_at": at, "ends_at": "2026-02-25T11:00:00+05:00"});
            let (status, error) = refused(
                &app,
                token,
                Method::POST,
                &format!("/visits/{visit_id}/meetings"),
                Some(meeting),
            )
            .await;
            names_field(status, &error, "starts_at");
            let away =
                json!({"official_id": 1, "starts_at": "2026-02-25T10:00:00+05:00", "ends_at": at});
            let (status, error) =
                refused(&app, token, Method::POST, "/unavailability", Some(away)).await;
            names_field(status, &error, "ends_at");
        }
        let beyond = || [json!(-1), json!(1u64 << 31), json!(i64::MAX), json!(1e300)];
        for capacity in beyond().into_iter().chain([json!(0)]) {
            let venue = json!({"name": "Зал", "kind": "other", "timezone": "Asia/Almaty",
                               "capacity": capacity});
            let (status, error) = refused(&app, token, Method::POST, "/venues", Some(venue)).await;
            names_field(status, &error, "capacity");
        }
        for minutes in beyond() {
            let travel = json!({"from_venue_id": 1, "to_venue_id": 2, "minutes": minutes});
            let (status, error) =
                refused(&app, token, Method::PUT, "/travel-times", Some(travel)).await;
            names_field(status, &error, "minutes");
        }
        for headcount in beyond() {
            let group = json!({"name": "Группа", "headcount": headcount});
            let (status, error) = refused(&app, token, Method::POST, "/groups", Some(group)).await;
            names_field(status, &error, "headcount");
        }
        // Lists longer than a change may name: more ids than SQLite takes in
        // one statement once was a 500.
        let many: Vec<i64> = (1..=40_000).collect();
        for (method, path, body, field) in [
            (
                Method::POST,
                "/groups".to_owned(),
                json!({"name": "Весь город", "headcount": 50_000, "participant_ids": many}),
                "participant_ids",
            ),
            (
                Method::POST,
                format!("/visits/{visit_id}/meetings"),
                json!({"title": "Митинг", "kind": "meeting",
                       "starts_at": "2026-02-25T10:00:00+05:00",
                       "ends_at": "2026-02-25T11:00:00+05:00", "participant_ids": many}),
                "participant_ids",
            ),
            (
                Method::PATCH,
                format!("/visits/{visit_id}"),
                json!({"official_ids": many}),
                "official_ids",
            ),
        ] {
            let (status, error) = refused(&app, token, method, &path, Some(body)).await;
            assert_eq!(status, 422, "{path}: {error}");
            names_field(status, &error, field);
        }
        for id in [
            i64::MAX.to_string(),
            "-1".into(),
            "0".into(),
            "9223372036854775808".into(),
        ] {
            for (method, path) in [
                (Method::GET, format!("/visits/{id}")),
                (Method::PATCH, format!("/visits/{id}")),
                (Method::DELETE, format!("/meetings/{id}")),
                (Method::GET, format!("/visits/{id}/conflicts")),
                (Method::POST, format!("/visits/{id}/publish")),
            ] {
                let (status, _) = refused(&app, token, method, &path, Some(json!({}))).await;
                assert_eq!(status, 404, "{path}");
            }
        }
    });
}

crate::on_both_backends!(
    hostile_requests_never_get_a_server_error,
    extreme_dates_and_numbers_are_refused_with_the_error_json,
);
