//! What an operator watches: `/healthz` with the outbox backlog; on both
//! backends.

use chrono::{Duration, Utc};
use sapar::db::outbox_repo::{self, NewOutboxMessage};

use crate::support::{run_async, spawn_app, TestApp, TestDb};

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

crate::on_both_backends!(health_reports_the_outbox_backlog,);
