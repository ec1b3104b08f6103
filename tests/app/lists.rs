//! Paged, searchable lists over real HTTP on both backends: the API's
//! `limit`, `offset`, `q` and `total`, the pages' 50 a page with links that
//! keep the search, and Cyrillic found in any case.

use diesel::prelude::*;
use reqwest::Method;
use serde_json::Value;

use sapar::db::outbox_repo::{self, NewOutboxMessage};
use sapar::domain::model::ParticipantInput;
use sapar::domain::Language;
use sapar::services::accounts::{self, NewUserInput, Password};
use sapar::services::catalogue::{officials, participants};
use sapar::services::ListQuery;

use crate::support::client::{browser, sign_in, ADMIN};
use crate::support::{actor, load_demo, run_async, spawn_app, TestApp, TestDb};

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

async fn get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    let response = app
        .client
        .request(Method::GET, format!("{}/api/v1{path}", app.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("{path}: {text}"));
    (status, value)
}

/// 120 participants "Участник 001"… and one "Ашимбаева Айгерим".
fn many_participants(db: &TestDb) {
    let conn = &mut db.conn();
    for n in 1..=120 {
        participants::create(
            conn,
            &actor(),
            &ParticipantInput {
                full_name: Some(format!("Участник {n:03}")),
                ..Default::default()
            },
        )
        .unwrap();
    }
    participants::create(
        conn,
        &actor(),
        &ParticipantInput {
            full_name: Some("Ашимбаева Айгерим".into()),
            organization: Some("Сенат".into()),
            ..Default::default()
        },
    )
    .unwrap();
}

fn names(list: &Value, key: &str, field: &str) -> Vec<String> {
    list[key]
        .as_array()
        .unwrap_or_else(|| panic!("{list}"))
        .iter()
        .map(|item| item[field].as_str().unwrap().to_owned())
        .collect()
}

fn api_lists_answer_a_page_and_the_total(db: &TestDb) {
    many_participants(db);
    let token = planner_token(db);
    run_async(async {
        let app = spawn_app(db);
        let (status, all) = get(&app, &token, "/participants").await;
        assert_eq!(status, 200);
        assert_eq!(all["total"], 121);
        assert_eq!(all["participants"].as_array().unwrap().len(), 121);

        let (_, first) = get(&app, &token, "/participants?limit=50").await;
        assert_eq!(first["total"], 121);
        let first = names(&first, "participants", "full_name");
        assert_eq!(first.len(), 50);
        assert_eq!(first[0], "Ашимбаева Айгерим");
        assert_eq!(first[49], "Участник 049");

        let (_, last) = get(&app, &token, "/participants?limit=50&offset=100").await;
        let last = names(&last, "participants", "full_name");
        assert_eq!(last.len(), 21);
        assert_eq!(last[0], "Участник 100");
        assert_eq!(last[20], "Участник 120");

        let (_, beyond) = get(&app, &token, "/participants?offset=500").await;
        assert_eq!(beyond["total"], 121);
        assert!(beyond["participants"].as_array().unwrap().is_empty());

        // Cyrillic in another case, and the count follows the search.
        for q in [
            "%D0%B0%D1%88%D0%B8%D0%BC%D0%B1",
            "%D0%90%D0%A8%D0%98%D0%9C%D0%91",
        ] {
            let (_, found) = get(&app, &token, &format!("/participants?q={q}")).await;
            assert_eq!(found["total"], 1, "{q}: {found}");
            assert_eq!(
                names(&found, "participants", "full_name"),
                ["Ашимбаева Айгерим"]
            );
        }
        let (_, found) = get(
            &app,
            &token,
            "/participants?q=%D0%A3%D0%A7%D0%90%D0%A1%D0%A2%D0%9D%D0%98%D0%9A%2011&limit=5",
        )
        .await;
        assert_eq!(found["total"], 10, "УЧАСТНИК 11: 110 to 119");
        assert_eq!(found["participants"].as_array().unwrap().len(), 5);
        // A wildcard is searched for as itself.
        let (_, none) = get(&app, &token, "/participants?q=%25").await;
        assert_eq!(none["total"], 0);
    });
}

fn bad_paging_is_a_422_naming_the_parameter(db: &TestDb) {
    load_demo(db);
    let token = planner_token(db);
    let visit: i64 = sapar::db::schema::visits::table
        .select(sapar::db::schema::visits::id)
        .first(&mut db.conn())
        .unwrap();
    run_async(async {
        let app = spawn_app(db);
        let lists = [
            "/officials".to_owned(),
            "/venues".into(),
            "/groups".into(),
            "/participants".into(),
            "/visits".into(),
            "/unavailability".into(),
            "/outbox".into(),
            "/travel-times".into(),
            format!("/visits/{visit}/meetings"),
        ];
        for list in &lists {
            for (query, field) in [
                ("limit=0", "limit"),
                ("limit=1001", "limit"),
                ("limit=ten", "limit"),
                ("limit=-5", "limit"),
                ("offset=-1", "offset"),
                ("offset=x", "offset"),
            ] {
                let (status, body) = get(&app, &token, &format!("{list}?{query}")).await;
                assert_eq!(status, 422, "{list}?{query}: {body}");
                assert!(
                    body["error"]["fields"][field].is_string(),
                    "{list}?{query}: {body}"
                );
            }
            let (status, body) = get(&app, &token, &format!("{list}?limit=1000&offset=0")).await;
            assert_eq!(status, 200, "{list}: {body}");
            let (status, one) = get(&app, &token, &format!("{list}?limit=1")).await;
            assert_eq!(status, 200, "{list}: {one}");
            let total = one["total"]
                .as_i64()
                .unwrap_or_else(|| panic!("{list}: {one}"));
            let key = one
                .as_object()
                .unwrap()
                .keys()
                .find(|k| *k != "total")
                .unwrap()
                .clone();
            let items = one[&key].as_array().unwrap().len() as i64;
            assert_eq!(items, total.min(1), "{list}: {one}");
        }
    });
}

fn searching_ashimb_finds_the_speaker(db: &TestDb) {
    let visit = load_demo(db);
    let token = planner_token(db);
    run_async(async {
        let app = spawn_app(db);
        let (_, found) = get(&app, &token, "/officials?q=%D0%B0%D1%88%D0%B8%D0%BC%D0%B1").await;
        assert_eq!(found["total"], 1, "{found}");
        assert!(names(&found, "officials", "full_name")[0].starts_with("Ашимбаев"));
        // Unavailability is found by the official's or venue's name.
        let (_, all) = get(&app, &token, "/unavailability").await;
        let (_, his) = get(
            &app,
            &token,
            "/unavailability?q=%D0%B0%D1%88%D0%B8%D0%BC%D0%B1",
        )
        .await;
        assert!(his["total"].as_i64().unwrap() <= all["total"].as_i64().unwrap());
        // A visit's meetings are searched by title, in any case.
        let (_, meetings) = get(&app, &token, &format!("/visits/{visit}/meetings")).await;
        let title = names(&meetings, "meetings", "title")[0].to_uppercase();
        let (_, found) = get(
            &app,
            &token,
            &format!("/visits/{visit}/meetings?q={}", urlencode(&title)),
        )
        .await;
        assert!(found["total"].as_i64().unwrap() >= 1, "{title}: {found}");
    });
}

fn urlencode(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

/// Rows written before the search text existed (or by other tools) are found
/// once the migrations have run again.
fn rows_without_search_text_are_filled_after_migrating(db: &TestDb) {
    load_demo(db);
    let conn = &mut db.conn();
    diesel::update(sapar::db::schema::officials::table)
        .set(sapar::db::schema::officials::search_text.eq(""))
        .execute(conn)
        .unwrap();
    let query = ListQuery::parse(Some("АШИМБ"), None, None).unwrap();
    assert_eq!(officials::page(conn, &query).unwrap().total, 0);
    sapar::db::run_migrations(conn).unwrap();
    assert_eq!(officials::page(conn, &query).unwrap().total, 1);
}

async fn page_of(client: &reqwest::Client, url: String) -> String {
    let response = client.get(url).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    response.text().await.unwrap()
}

/// Rows in a list page: each has its edit link.
fn rows(body: &str, slug: &str) -> usize {
    body.matches(&format!("href=\"/{slug}/")).count()
        - usize::from(body.contains(&format!("href=\"/{slug}/new\"")))
}

fn list_pages_show_fifty_with_links_that_keep_the_search(db: &TestDb) {
    many_participants(db);
    load_demo(db);
    run_async(async {
        let app = spawn_app(db);
        let client = browser();
        sign_in(&client, &app.address, ADMIN.0, ADMIN.1).await;
        let base = format!("{}/participants", app.address);

        let first = page_of(&client, base.clone()).await;
        assert_eq!(rows(&first, "participants"), 50);
        assert!(
            first.contains("rel=\"next\" href=\"/participants?offset=50\""),
            "{first}"
        );
        assert!(!first.contains("rel=\"prev\""));
        assert!(first.contains("1–50 из"), "{first}");
        assert!(first.contains("name=\"q\""));

        let last = page_of(&client, format!("{base}?offset=100")).await;
        assert!(
            last.contains("rel=\"prev\" href=\"/participants?offset=50\""),
            "{last}"
        );
        assert!(!last.contains("rel=\"next\""));
        assert!(last.contains("Участник 120"));
        let on_last = rows(&last, "participants");
        assert!(
            (1..50).contains(&on_last),
            "{on_last} rows on the last page"
        );

        // The search keeps to the links; its case does not matter.
        let searched = page_of(
            &client,
            format!("{base}?q=%D0%A3%D0%A7%D0%90%D0%A1%D0%A2%D0%9D%D0%98%D0%9A"),
        )
        .await;
        assert_eq!(rows(&searched, "participants"), 50);
        assert!(!searched.contains("Ашимбаева"));
        assert!(
            searched.contains("rel=\"next\" href=\"/participants?q=%D0%A3%D0%A7%D0%90%D0%A1%D0%A2%D0%9D%D0%98%D0%9A&#38;offset=50\""),
            "{searched}"
        );

        let speaker = page_of(
            &client,
            format!("{}/officials?q=%D0%B0%D1%88%D0%B8%D0%BC%D0%B1", app.address),
        )
        .await;
        assert_eq!(rows(&speaker, "officials"), 1, "{speaker}");
        assert!(speaker.contains("Ашимбаев Маулен"));

        let nothing = page_of(&client, format!("{base}?q=zzz-nobody")).await;
        assert_eq!(rows(&nothing, "participants"), 0);
        assert!(!nothing.contains("rel=\"next\""));
    });
}

/// 60 waiting messages of the demo visit, one of them to "Ашимбаев".
fn many_messages(db: &TestDb) -> i64 {
    let visit = load_demo(db);
    let now = chrono::Utc::now().naive_utc();
    let messages: Vec<NewOutboxMessage> = (1..=60)
        .map(|n| NewOutboxMessage {
            visit_id: Some(visit),
            schedule_version: None,
            recipient_email: format!("person{n}@outbox.test"),
            recipient_name: if n == 7 {
                "Ашимбаев".into()
            } else {
                format!("Получатель {n}")
            },
            kind: "change".into(),
            subject: format!("Изменения в программе {n}"),
            body_text: String::new(),
            body_html: String::new(),
            attachments: "[]".into(),
            status: "pending".into(),
            attempts: 0,
            next_attempt_at: now,
            message_id: format!("<{n}@outbox.test>"),
            created_at: now,
        })
        .collect();
    outbox_repo::queue(&mut db.conn(), &messages).unwrap();
    visit
}

fn the_outbox_is_paged_and_searched_keeping_its_visit(db: &TestDb) {
    let visit = many_messages(db);
    let token = planner_token(db);
    run_async(async {
        let app = spawn_app(db);
        let (_, found) = get(&app, &token, "/outbox?q=%D0%B0%D1%88%D0%B8%D0%BC%D0%B1").await;
        assert_eq!(found["total"], 1, "{found}");
        assert_eq!(found["messages"][0]["to"], "person7@outbox.test");
        let (_, page) = get(
            &app,
            &token,
            &format!("/outbox?visit={visit}&limit=20&offset=50"),
        )
        .await;
        assert_eq!(page["total"], 60);
        assert_eq!(page["messages"].as_array().unwrap().len(), 10);

        let client = browser();
        sign_in(&client, &app.address, ADMIN.0, ADMIN.1).await;
        let first = page_of(&client, format!("{}/outbox?visit={visit}", app.address)).await;
        assert_eq!(first.matches("@outbox.test</small>").count(), 50);
        let next = format!("rel=\"next\" href=\"/outbox?visit={visit}&#38;offset=50\"");
        assert!(first.contains(&next), "{first}");
        assert!(first.contains(&format!("name=\"visit\" value=\"{visit}\"")));
        let searched = page_of(
            &client,
            format!(
                "{}/outbox?visit={visit}&q=%D0%90%D0%A8%D0%98%D0%9C%D0%91",
                app.address
            ),
        )
        .await;
        assert_eq!(searched.matches("@outbox.test</small>").count(), 1);
        assert!(searched.contains("person7@outbox.test"));
    });
}

crate::on_both_backends!(
    the_outbox_is_paged_and_searched_keeping_its_visit,
    list_pages_show_fifty_with_links_that_keep_the_search,
    api_lists_answer_a_page_and_the_total,
    bad_paging_is_a_422_naming_the_parameter,
    searching_ashimb_finds_the_speaker,
    rows_without_search_text_are_filled_after_migrating,
);
