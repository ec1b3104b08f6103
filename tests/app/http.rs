//! The served pages, over real HTTP, on both backends.

use sapar::services::demo;

use crate::support::client::{browser, csrf_of, sign_in, ADMIN};
use crate::support::{run_async, spawn_app, TestDb};

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
        let health: serde_json::Value = response.json().await.unwrap();
        assert_eq!(health["status"], "ok");
        assert_eq!(health["database"], "ok");
    });
}

fn pages_need_a_signed_in_user(db: &TestDb) {
    run_async(async {
        let app = spawn_app(db);
        let client = browser();
        let response = client
            .get(format!("{}/visits", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 303);
        assert_eq!(response.headers()["location"], "/login?next=/visits");

        let wrong = sign_in(&client, &app.address, ADMIN.0, "not the password").await;
        assert_eq!(wrong.status().as_u16(), 401);
        assert!(wrong
            .text()
            .await
            .unwrap()
            .contains("Неверная почта или пароль"));

        let signed_in = sign_in(&client, &app.address, ADMIN.0, ADMIN.1).await;
        assert_eq!(signed_in.status().as_u16(), 303);
        let cookie = signed_in
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .find(|c| c.starts_with("sapar_session="))
            .expect("a session cookie");
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        let page = client
            .get(format!("{}/visits", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status().as_u16(), 200);

        // Signing out ends it.
        let body = page.text().await.unwrap();
        let out = client
            .post(format!("{}/logout", app.address))
            .form(&[("csrf", csrf_of(&body))])
            .send()
            .await
            .unwrap();
        assert_eq!(out.status().as_u16(), 303);
        let after = client
            .get(format!("{}/visits", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(after.status().as_u16(), 303);
    });
}

fn failed_sign_ins_past_the_free_ones_say_when_to_try_again(db: &TestDb) {
    run_async(async {
        let app = spawn_app(db);
        let client = browser();
        for _ in 0..3 {
            let wrong = sign_in(&client, &app.address, ADMIN.0, "guess").await;
            assert_eq!(wrong.status().as_u16(), 401);
            assert!(!wrong.text().await.unwrap().contains("Попробуйте снова"));
        }
        let wrong = sign_in(&client, &app.address, ADMIN.0, "guess").await;
        assert_eq!(wrong.status().as_u16(), 401);
        assert!(wrong
            .text()
            .await
            .unwrap()
            .contains("Неверная почта или пароль. Попробуйте снова через 1 секунду."));
    });
}

fn the_visits_page_lists_the_demo_visit_in_the_users_language(db: &TestDb) {
    demo::load(&mut db.conn()).unwrap();
    run_async(async {
        let app = spawn_app(db);
        let client = browser();
        sign_in(&client, &app.address, ADMIN.0, ADMIN.1).await;
        let response = client
            .get(format!("{}/visits", app.address))
            .send()
            .await
            .unwrap();
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
        // Clashes, as the visit page counts them: the one transfer three
        // officials make together is one error.
        assert!(
            body.contains("1 ошибка") && body.contains("1 предупреждение"),
            "error and warning counts"
        );

        // The language follows the user.
        let switched = client
            .post(format!("{}/language", app.address))
            .form(&[
                ("csrf", csrf_of(&body).as_str()),
                ("language", "en"),
                ("next", "/visits"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(switched.status().as_u16(), 303);
        let english = client
            .get(format!("{}/visits", app.address))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(english.contains("<h1>Visits</h1>") && english.contains("Draft"));

        // A form without the session's token is refused.
        let forged = client
            .post(format!("{}/language", app.address))
            .form(&[("csrf", "forged"), ("language", "kk"), ("next", "/visits")])
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status().as_u16(), 403);
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
    pages_need_a_signed_in_user,
    failed_sign_ins_past_the_free_ones_say_when_to_try_again,
    the_visits_page_lists_the_demo_visit_in_the_users_language,
    unknown_pages_are_a_plain_404,
);
