//! The served pages, over real HTTP, on both backends.

use sapar::services::demo;

use crate::helpers::{run_async, spawn_app, TestDb};

fn health_answers_when_the_database_does(db: &TestDb) {
    run_async(async {
        let app = spawn_app(db);
        let response = app
            .client
            .get(format!("{}/healthz", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(response.text().await.unwrap(), "ok");
    });
}

fn the_visits_page_lists_the_demo_visit_in_the_asked_language(db: &TestDb) {
    demo::load(&mut db.conn()).unwrap();
    run_async(async {
        let app = spawn_app(db);
        let page = |query: &'static str, accept: &'static str| {
            let request = app
                .client
                .get(format!("{}/visits{query}", app.address))
                .header("Accept-Language", accept);
            async move { request.send().await.unwrap() }
        };

        let response = page("", "ru-RU,ru;q=0.9").await;
        assert_eq!(response.status().as_u16(), 200);
        let headers = response.headers().clone();
        assert_eq!(headers["x-frame-options"], "DENY");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert!(headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'"));
        let body = response.text().await.unwrap();
        assert!(
            body.contains("Рабочая поездка Председателя Сената в Восточно-Казахстанскую область")
        );
        assert!(body.contains("25.02.2026"));
        assert!(body.contains("<h1>Визиты</h1>"));

        let english = page("?lang=en", "ru").await.text().await.unwrap();
        assert!(english.contains("<h1>Visits</h1>") && english.contains("Draft"));
        let kazakh = page("", "kk-KZ, ru;q=0.5").await.text().await.unwrap();
        assert!(kazakh.contains("<h1>Сапарлар</h1>"));
    });
}

fn unknown_pages_are_a_plain_404(db: &TestDb) {
    run_async(async {
        let app = spawn_app(db);
        let response = app
            .client
            .get(format!("{}/no/such/page", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 404);
        assert!(response
            .text()
            .await
            .unwrap()
            .contains("Страница не найдена"));
        let root = app.client.get(&app.address).send().await.unwrap();
        assert_eq!(root.status().as_u16(), 303);
        assert_eq!(root.headers()["location"], "/visits");
    });
}

crate::on_both_backends!(
    health_answers_when_the_database_does,
    the_visits_page_lists_the_demo_visit_in_the_asked_language,
    unknown_pages_are_a_plain_404,
);
