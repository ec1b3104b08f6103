//! What an operator watches: `/healthz` with the outbox backlog, `/metrics`
//! behind its token; on both backends.

use chrono::{Duration, Utc};
use sapar::config::Secret;
use sapar::db::outbox_repo::{self, NewOutboxMessage};

use crate::support::{load_demo, run_async, spawn_app, spawn_app_with, TestApp, TestDb};

const TOKEN: &str = "metrics-token-for-tests-0123";

/// A pending message due `minutes_ago` minutes ago (negative: not yet due).
fn queue_due(db: &TestDb, minutes_ago: i64) {
    let due = (Utc::now() - Duration::minutes(minutes_ago)).naive_utc();
    let message = NewOutboxMessage {
        visit_id: None,
        schedule_version: None,
        recipient_email: "aide@senate.gov.kz".into(),
        recipient_name: "Aide".into(),
        kind: "change".into(),
        subject: "Programme changed".into(),
        body_text: "text".into(),
        body_html: String::new(),
        attachments: "[]".into(),
        status: "pending".into(),
        attempts: 0,
        next_attempt_at: due,
        message_id: format!("<{minutes_ago}.{}@sapar.test>", rand_id()),
        created_at: due,
    };
    outbox_repo::queue(&mut db.conn(), &[message]).unwrap();
}

fn rand_id() -> u64 {
    use rand::Rng;
    rand::thread_rng().gen()
}

async fn health(app: &TestApp) -> serde_json::Value {
    let response = app
        .client
        .get(format!("{}/healthz", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    response.json().await.unwrap()
}

fn health_reports_the_outbox_backlog(db: &TestDb) {
    run_async(async {
        let app = spawn_app(db);
        let empty = health(&app).await;
        assert_eq!(empty["status"], "ok");
        assert_eq!(empty["outbox"]["pending"], 0);
        assert_eq!(empty["outbox"]["failed"], 0);
        assert!(empty["outbox"]["oldest_due_seconds"].is_null());

        queue_due(db, -60); // due in an hour: waiting, not late
        queue_due(db, 5);
        let busy = health(&app).await;
        assert_eq!(busy["status"], "ok", "{busy}");
        assert_eq!(busy["outbox"]["pending"], 2);
        let age = busy["outbox"]["oldest_due_seconds"].as_i64().unwrap();
        assert!((290..=360).contains(&age), "{busy}");

        queue_due(db, 16);
        let late = health(&app).await;
        assert_eq!(late["status"], "degraded", "{late}");
        assert_eq!(late["database"], "ok");
        assert_eq!(late["outbox"]["pending"], 3);
        assert!(late["outbox"]["oldest_due_seconds"].as_i64().unwrap() > 15 * 60);
    });
}

fn metrics_are_off_without_a_token(db: &TestDb) {
    run_async(async {
        let app = spawn_app(db);
        let response = app
            .client
            .get(format!("{}/metrics", app.address))
            .bearer_auth("anything-at-all-0123456789")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 404);
    });
}

fn metrics_need_the_token_and_count_by_route_pattern(db: &TestDb) {
    let visit = load_demo(db);
    queue_due(db, 3);
    let mut settings = db.settings();
    settings.metrics_token = Some(Secret::new(TOKEN));
    run_async(async {
        let app = spawn_app_with(db, settings);
        let url = format!("{}/metrics", app.address);
        for wrong in [
            None,
            Some("Bearer wrong-token-0123456789"),
            Some("Basic bWV0cmljczp4"),
            Some(&format!("Bearer {TOKEN}x")[..]),
        ] {
            let mut request = app.client.get(&url);
            if let Some(header) = wrong {
                request = request.header("Authorization", header);
            }
            let response = request.send().await.unwrap();
            assert_eq!(response.status().as_u16(), 401, "{wrong:?}");
        }
        // Two calls to one route with different ids, one unknown path.
        for path in [
            format!("/api/v1/visits/{visit}/conflicts"),
            "/api/v1/visits/999999/conflicts".to_owned(),
            "/no/such/page/123".to_owned(),
            "/healthz".to_owned(),
        ] {
            app.client
                .get(format!("{}{path}", app.address))
                .send()
                .await
                .unwrap();
        }
        let response = app
            .client
            .get(&url)
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(
            response.headers()["content-type"],
            "text/plain; version=0.0.4; charset=utf-8"
        );
        let text = response.text().await.unwrap();
        let value = |line_start: &str| -> f64 {
            text.lines()
                .find_map(|l| l.strip_prefix(line_start)?.strip_prefix(' '))
                .unwrap_or_else(|| panic!("no {line_start} in\n{text}"))
                .parse()
                .unwrap()
        };
        assert_eq!(
            value(
                r#"sapar_http_requests_total{route="/api/v1/visits/{id}/conflicts",method="GET",status="401"}"#
            ),
            2.0
        );
        assert_eq!(
            value(r#"sapar_http_requests_total{route="/healthz",method="GET",status="200"}"#),
            1.0
        );
        assert_eq!(
            value(r#"sapar_http_requests_total{route="(unmatched)",method="GET",status="404"}"#),
            1.0
        );
        assert_eq!(
            value(
                r#"sapar_http_request_duration_seconds_count{route="/api/v1/visits/{id}/conflicts"}"#
            ),
            2.0
        );
        assert_eq!(
            value(r#"sapar_http_request_duration_seconds_bucket{route="/healthz",le="+Inf"}"#),
            1.0
        );
        // Routes are labelled by pattern: no id or unknown path becomes a
        // label (the figures may hold any digits).
        let routes: Vec<&str> = text
            .split("route=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        assert!(!routes.is_empty());
        assert!(
            routes
                .iter()
                .all(|r| !r.contains("999999") && !r.contains("/no/such")),
            "{routes:?}"
        );
        assert_eq!(value(r#"sapar_outbox_messages{status="pending"}"#), 1.0);
        assert_eq!(value(r#"sapar_outbox_messages{status="failed"}"#), 0.0);
        let age = value("sapar_outbox_oldest_due_seconds");
        assert!((170.0..=260.0).contains(&age), "{age}");
        assert!(value("sapar_db_pool_max_connections") >= 1.0);
        assert!(value("sapar_db_pool_connections") >= value("sapar_db_pool_idle_connections"));
        value("sapar_conflict_engine_seconds_sum");
        value("sapar_conflict_engine_seconds_count");
        // Every sample line is a name, optional labels and a number.
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let (_, number) = line.rsplit_once(' ').unwrap();
            assert!(number.parse::<f64>().is_ok(), "{line}");
        }
    });
}

/// The conflict engine's time grows as a visit's conflicts are found.
fn the_engine_time_counts_runs(db: &TestDb) {
    let visit = load_demo(db);
    let before = sapar::services::conflicts::engine_time();
    sapar::services::conflicts::of_visit(&mut db.conn(), visit, Default::default()).unwrap();
    let after = sapar::services::conflicts::engine_time();
    assert!(after.runs > before.runs);
    assert!(after.seconds >= before.seconds);
}

crate::on_both_backends!(
    health_reports_the_outbox_backlog,
    metrics_are_off_without_a_token,
    metrics_need_the_token_and_count_by_route_pattern,
    the_engine_time_counts_runs,
);
