//! The JSON API over real HTTP, on both backends: every route, every error code,
//! times in any offset, and hostile input that must never produce a 5xx.

use reqwest::Method;
use serde_json::{json, Value};

use sapar::domain::Language;
use sapar::services::accounts::{self, NewUserInput, Password};
use sapar::services::demo;

use crate::support::{actor, run_async, spawn_app, TestApp, TestDb};

struct Api {
    app: TestApp,
    planner: String,
    viewer: String,
}

fn token_for(db: &TestDb, email: &str, role: &str) -> String {
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

impl Api {
    fn new(db: &TestDb) -> Self {
        Self {
            planner: token_for(db, "planner@sapar.test", "planner"),
            viewer: token_for(db, "viewer@sapar.test", "viewer"),
            app: spawn_app(db),
        }
    }

    async fn raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Vec<u8>>,
    ) -> (u16, Value) {
        let mut request = self
            .app
            .client
            .request(method, format!("{}/api/v1{path}", self.app.address));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request
                .header("Content-Type", "application/json")
                .body(body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text)
                .unwrap_or_else(|_| panic!("{path} answered non-JSON: {text}"))
        };
        (status, value)
    }

    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let body = body.map(|b| serde_json::to_vec(&b).unwrap());
        self.raw(method, path, Some(&self.planner), body).await
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        self.call(Method::GET, path, None).await
    }

    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(Method::POST, path, Some(body)).await
    }

    async fn patch(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(Method::PATCH, path, Some(body)).await
    }

    async fn delete(&self, path: &str) -> (u16, Value) {
        self.call(Method::DELETE, path, None).await
    }

    /// Creates a resource, expecting 201, and gives its id.
    async fn create(&self, path: &str, body: Value) -> i64 {
        let (status, created) = self.post(path, body).await;
        assert_eq!(status, 201, "POST {path}: {created}");
        created["id"].as_i64().unwrap()
    }
}

fn assert_error(answer: &(u16, Value), status: u16, code: &str) {
    assert_eq!(answer.0, status, "{}", answer.1);
    assert_eq!(answer.1["error"]["code"], code, "{}", answer.1);
    assert!(answer.1["error"]["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
    assert!(answer.1["error"]["fields"].is_object());
}

fn every_resource_can_be_created_read_updated_listed_and_deleted(db: &TestDb) {
    run_async(async {
        let api = Api::new(db);

        // Officials
        let speaker = api
            .create(
                "/officials",
                json!({"full_name": "Ашимбаев Маулен", "precedence": 1, "language": "kk"}),
            )
            .await;
        let (status, read) = api.get(&format!("/officials/{speaker}")).await;
        assert_eq!(status, 200);
        assert_eq!(read["full_name"], "Ашимбаев Маулен");
        assert_eq!(read["language"], "kk");
        let (status, patched) = api
            .patch(
                &format!("/officials/{speaker}"),
                json!({"position": "Председатель Сената"}),
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(
            (patched["position"].as_str(), patched["precedence"].as_i64()),
            (Some("Председатель Сената"), Some(1))
        );
        let aide = api
            .create("/officials", json!({"full_name": "Жумабекова"}))
            .await;
        let (_, list) = api.get("/officials").await;
        assert_eq!(list["officials"].as_array().unwrap().len(), 2);
        assert_eq!(api.delete(&format!("/officials/{aide}")).await.0, 204);
        assert_error(
            &api.get(&format!("/officials/{aide}")).await,
            404,
            "not_found",
        );

        // Venues
        let plant = api
            .create(
                "/venues",
                json!({"name": "УКТМК", "kind": "plant", "timezone": "Asia/Almaty", "capacity": 60,
                       "opens": "08:00", "closes": "18:00", "latitude": 49.92, "longitude": 82.7}),
            )
            .await;
        let moscow = api
            .create("/venues", json!({"name": "Совет Федерации", "kind": "government", "timezone": "Europe/Moscow"}))
            .await;
        let (_, venue) = api
            .patch(
                &format!("/venues/{plant}"),
                json!({"capacity": 80, "opens": null, "closes": null}),
            )
            .await;
        assert_eq!(
            (venue["capacity"].as_i64(), venue["opens"].is_null()),
            (Some(80), true)
        );
        assert_eq!(
            api.get("/venues").await.1["venues"]
                .as_array()
                .unwrap()
                .len(),
            2
        );

        // Participants and groups
        let member = api
            .create(
                "/participants",
                json!({"full_name": "Петров Андрей", "email": "a.petrov@uktmp.kz"}),
            )
            .await;
        let group = api
            .create(
                "/groups",
                json!({"name": "Трудовой коллектив", "headcount": 80, "participant_ids": [member]}),
            )
            .await;
        let (_, read) = api.get(&format!("/participants/{member}")).await;
        assert_eq!(read["group_ids"], json!([group]));
        let (_, read) = api
            .patch(
                &format!("/groups/{group}"),
                json!({"description": "Инженеры"}),
            )
            .await;
        assert_eq!(read["participant_ids"], json!([member]));
        assert_eq!(
            api.get("/groups").await.1["groups"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            api.get("/participants").await.1["participants"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        let (_, renamed) = api
            .patch(
                &format!("/participants/{member}"),
                json!({"phone": "+7 701 600 00 01"}),
            )
            .await;
        assert_eq!(
            renamed["group_ids"],
            json!([group]),
            "a patch keeps what it does not name"
        );

        // Visits and meetings
        let visit = api
            .create(
                "/visits",
                json!({"title": "Поездка в ВКО", "timezone": "Asia/Almaty", "first_day": "2026-02-25",
                       "last_day": "2026-02-25", "lead_official_id": speaker}),
            )
            .await;
        let (_, read) = api.get(&format!("/visits/{visit}")).await;
        assert_eq!(
            (read["official_ids"].clone(), read["status"].clone()),
            (json!([speaker]), json!("draft"))
        );
        let (_, read) = api
            .patch(&format!("/visits/{visit}"), json!({"region": "ВКО"}))
            .await;
        assert_eq!(read["region"], "ВКО");
        assert_eq!(
            api.get("/visits").await.1["visits"]
                .as_array()
                .unwrap()
                .len(),
            1
        );

        let meeting = api
            .create(
                &format!("/visits/{visit}/meetings"),
                json!({"title": "Встреча с коллективом", "kind": "site_visit", "venue_id": plant,
                       "starts_at": "2026-02-25T14:20:00+05:00", "ends_at": "2026-02-25T15:30:00+05:00",
                       "official_ids": [speaker], "group_ids": [group]}),
            )
            .await;
        let (_, read) = api.get(&format!("/meetings/{meeting}")).await;
        assert_eq!(read["version"], 1);
        assert_eq!(read["visit_id"], visit);
        assert_eq!(read["official_roles"][speaker.to_string()], "principal");
        let (status, moved) = api
            .patch(
                &format!("/meetings/{meeting}"),
                json!({"starts_at": "2026-02-25T14:30:00+05:00", "version": 1}),
            )
            .await;
        assert_eq!(status, 200, "{moved}");
        assert_eq!(
            (moved["version"].as_i64(), moved["group_ids"].clone()),
            (Some(2), json!([group]))
        );
        assert_eq!(
            api.get(&format!("/visits/{visit}/meetings")).await.1["meetings"]
                .as_array()
                .unwrap()
                .len(),
            1
        );

        // Unavailability and travel times
        let window = api
            .create(
                "/unavailability",
                json!({"venue_id": moscow, "starts_at": "2026-02-26T09:00:00Z", "ends_at": "2026-02-26T12:00:00Z", "reason": "Пленарное заседание"}),
            )
            .await;
        let (_, windows) = api.get("/unavailability").await;
        assert_eq!(
            windows["unavailability"][0]["starts_at"], "2026-02-26T12:00:00+03:00",
            "shown in the venue's zone"
        );
        assert_eq!(
            api.delete(&format!("/unavailability/{window}")).await.0,
            204
        );
        let (status, travel) = api
            .call(
                Method::PUT,
                "/travel-times",
                Some(json!({"from_venue_id": plant, "to_venue_id": moscow, "minutes": 240})),
            )
            .await;
        assert_eq!((status, travel["minutes"].as_i64()), (200, Some(240)));
        assert_eq!(
            api.get("/travel-times").await.1["travel_times"]
                .as_array()
                .unwrap()
                .len(),
            1
        );

        // Deletes, in an order that orphans nothing.
        assert_eq!(api.delete(&format!("/meetings/{meeting}")).await.0, 204);
        assert_eq!(api.delete(&format!("/visits/{visit}")).await.0, 204);
        assert_eq!(api.delete(&format!("/groups/{group}")).await.0, 204);
        assert_eq!(api.delete(&format!("/participants/{member}")).await.0, 204);
        assert_eq!(api.delete(&format!("/venues/{moscow}")).await.0, 204);
        assert_error(
            &api.get(&format!("/meetings/{meeting}")).await,
            404,
            "not_found",
        );
    });
}

fn every_error_has_its_code_and_shape(db: &TestDb) {
    demo::load(&mut db.conn()).unwrap();
    run_async(async {
        let api = Api::new(db);
        let (_, meetings) = api.get("/visits/1/meetings").await;
        let first = meetings["meetings"][0].clone();
        let id = first["id"].as_i64().unwrap();

        // 400: unreadable bodies.
        let answer = api
            .raw(
                Method::POST,
                "/officials",
                Some(&api.planner),
                Some(b"{\"full_name\": ".to_vec()),
            )
            .await;
        assert_error(&answer, 400, "bad_request");
        let answer = api
            .raw(
                Method::PATCH,
                &format!("/meetings/{id}"),
                Some(&api.planner),
                Some(b"\xff\xfe".to_vec()),
            )
            .await;
        assert_error(&answer, 400, "bad_request");

        // 401: no token, a forged one, another scheme.
        assert_error(
            &api.raw(Method::GET, "/visits", None, None).await,
            401,
            "unauthorized",
        );
        assert_error(
            &api.raw(Method::GET, "/visits", Some("sapar_forged"), None)
                .await,
            401,
            "unauthorized",
        );
        let basic = api
            .app
            .client
            .get(format!("{}/api/v1/visits", api.app.address))
            .header("Authorization", "Basic YWRtaW46YWRtaW4=")
            .send()
            .await
            .unwrap();
        assert_eq!(basic.status().as_u16(), 401);

        // 403: a viewer reads but may not write.
        assert_eq!(
            api.raw(Method::GET, "/visits", Some(&api.viewer), None)
                .await
                .0,
            200
        );
        let answer = api
            .raw(
                Method::POST,
                "/officials",
                Some(&api.viewer),
                Some(br#"{"full_name": "X"}"#.to_vec()),
            )
            .await;
        assert_error(&answer, 403, "forbidden");
        assert_error(
            &api.raw(
                Method::DELETE,
                &format!("/meetings/{id}"),
                Some(&api.viewer),
                None,
            )
            .await,
            403,
            "forbidden",
        );

        // 404: unknown ids, ids that are not numbers, unknown routes.
        assert_error(&api.get("/venues/424242").await, 404, "not_found");
        assert_error(&api.get("/venues/abc").await, 404, "not_found");
        assert_error(
            &api.get("/venues/99999999999999999999999").await,
            404,
            "not_found",
        );
        assert_error(&api.get("/no-such-thing").await, 404, "not_found");
        let valid = json!({"title": "M", "starts_at": "2026-02-25T10:00:00+05:00", "ends_at": "2026-02-25T11:00:00+05:00"});
        assert_error(
            &api.post("/visits/4242/meetings", valid).await,
            404,
            "not_found",
        );

        // 409: a stale version, and a delete that would orphan data.
        let answer = api
            .patch(
                &format!("/meetings/{id}"),
                json!({"title": "Другое", "version": 0}),
            )
            .await;
        assert_error(&answer, 409, "stale_version");
        assert_eq!(
            api.get(&format!("/meetings/{id}")).await.1,
            first,
            "the refused patch changed nothing"
        );
        let venue = first["venue_id"].as_i64().unwrap();
        assert_error(
            &api.delete(&format!("/venues/{venue}")).await,
            409,
            "in_use",
        );

        // 413: a body over the limit.
        let huge = format!("{{\"full_name\": \"{}\"}}", "x".repeat(300 * 1024));
        assert_error(
            &api.raw(
                Method::POST,
                "/officials",
                Some(&api.planner),
                Some(huge.into_bytes()),
            )
            .await,
            413,
            "payload_too_large",
        );

        // 422: validation, unknown fields, wrong types, each naming the field.
        let cases = [
            (
                "/venues",
                json!({"name": "A", "timezone": "Asia/Oskemen"}),
                "timezone",
            ),
            (
                "/venues",
                json!({"name": "A", "timezone": "Asia/Almaty", "latitude": 91, "longitude": 1}),
                "latitude",
            ),
            (
                "/venues",
                json!({"name": "A", "timezone": "Asia/Almaty", "capacity": -1}),
                "capacity",
            ),
            (
                "/officials",
                json!({"full_name": "A", "email": "not an email"}),
                "email",
            ),
            ("/officials", json!({"full_name": "A", "rank": 1}), "rank"),
            (
                "/officials",
                json!({"full_name": "A", "precedence": "first"}),
                "precedence",
            ),
            (
                "/officials",
                json!({"full_name": "ә".repeat(201)}),
                "full_name",
            ),
            ("/officials", json!({}), "full_name"),
            ("/officials", json!([]), "body"),
            (
                "/visits",
                json!({"title": "V", "timezone": "Asia/Almaty", "first_day": "2026-02-26", "last_day": "2026-02-25"}),
                "last_day",
            ),
            (
                "/visits",
                json!({"title": "V", "timezone": "Asia/Almaty", "first_day": "25.02.2026", "last_day": "2026-02-25"}),
                "first_day",
            ),
            (
                "/visits/1/meetings",
                json!({"title": "M", "starts_at": "2026-02-25T11:00:00+05:00", "ends_at": "2026-02-25T10:00:00+05:00"}),
                "ends_at",
            ),
            (
                "/visits/1/meetings",
                json!({"title": "M", "starts_at": "2026-02-25 10:00", "ends_at": "2026-02-25T11:00:00+05:00"}),
                "starts_at",
            ),
            (
                "/visits/1/meetings",
                json!({"title": "M", "starts_at": "2026-02-25T10:00:00+05:00", "ends_at": "2026-02-25T11:00:00+05:00", "venue_id": 9999}),
                "venue_id",
            ),
            (
                "/groups",
                json!({"name": "G", "participant_ids": [1, "two"]}),
                "participant_ids[1]",
            ),
            (
                "/unavailability",
                json!({"starts_at": "2026-02-25T10:00:00Z", "ends_at": "2026-02-25T11:00:00Z"}),
                "official_id",
            ),
        ];
        for (path, body, field) in cases {
            let answer = api.post(path, body.clone()).await;
            assert_error(&answer, 422, "validation");
            assert!(
                answer.1["error"]["fields"][field].is_string(),
                "{path} {body}: expected {field} in {}",
                answer.1
            );
        }
        let answer = api
            .call(
                Method::PUT,
                "/travel-times",
                Some(json!({"from_venue_id": 1, "to_venue_id": 1, "minutes": 5})),
            )
            .await;
        assert_error(&answer, 422, "validation");
        let answer = api
            .patch(&format!("/meetings/{id}"), json!({"status": "maybe"}))
            .await;
        assert!(answer.1["error"]["fields"]["status"].is_string());

        // Nothing above changed the data.
        assert_eq!(
            api.get("/officials").await.1["officials"]
                .as_array()
                .unwrap()
                .len(),
            5
        );
        assert_eq!(
            api.get("/visits/1/meetings").await.1["meetings"]
                .as_array()
                .unwrap()
                .len(),
            10
        );
    });
}

fn any_offset_is_accepted_and_answers_come_in_the_venues_zone(db: &TestDb) {
    run_async(async {
        let api = Api::new(db);
        let almaty = api
            .create(
                "/venues",
                json!({"name": "Маслихат", "timezone": "Asia/Almaty"}),
            )
            .await;
        let moscow = api
            .create(
                "/venues",
                json!({"name": "Совет Федерации", "timezone": "Europe/Moscow"}),
            )
            .await;
        let visit = api
            .create("/visits", json!({"title": "V", "timezone": "Asia/Almaty", "first_day": "2026-02-25", "last_day": "2026-02-26"}))
            .await;
        // The same instant, 05:00 UTC, in three spellings.
        let mut ids = Vec::new();
        for (venue, starts, ends) in [
            (Some(almaty), "2026-02-25T05:00:00Z", "2026-02-25T06:00:00Z"),
            (
                Some(moscow),
                "2026-02-25T10:00:00+05:00",
                "2026-02-25T11:00:00+05:00",
            ),
            (
                None,
                "2026-02-25T08:00:00+03:00",
                "2026-02-25T09:00:00+03:00",
            ),
        ] {
            ids.push(
                api.create(
                    &format!("/visits/{visit}/meetings"),
                    json!({"title": "M", "venue_id": venue, "starts_at": starts, "ends_at": ends}),
                )
                .await,
            );
        }
        let shown: Vec<String> = {
            let mut shown = Vec::new();
            for id in &ids {
                shown.push(
                    api.get(&format!("/meetings/{id}")).await.1["starts_at"]
                        .as_str()
                        .unwrap()
                        .to_owned(),
                );
            }
            shown
        };
        assert_eq!(
            shown,
            [
                "2026-02-25T10:00:00+05:00",
                "2026-02-25T08:00:00+03:00",
                "2026-02-25T10:00:00+05:00"
            ],
            "venue's zone, else the visit's"
        );
        for text in &shown {
            let instant = chrono::DateTime::parse_from_rfc3339(text).unwrap();
            assert_eq!(instant.to_utc().to_rfc3339(), "2026-02-25T05:00:00+00:00");
        }
    });
}

fn the_openapi_document_lists_every_route(db: &TestDb) {
    run_async(async {
        let api = Api::new(db);
        let (status, document) = api.raw(Method::GET, "/openapi.json", None, None).await;
        assert_eq!(status, 200);
        assert!(document["openapi"].as_str().unwrap().starts_with("3."));
        let paths = document["paths"].as_object().unwrap();
        for (path, methods) in [
            ("/officials", &["get", "post"][..]),
            ("/officials/{id}", &["get", "patch", "delete"]),
            ("/venues", &["get", "post"]),
            ("/venues/{id}", &["get", "patch", "delete"]),
            ("/groups", &["get", "post"]),
            ("/groups/{id}", &["get", "patch", "delete"]),
            ("/participants", &["get", "post"]),
            ("/participants/{id}", &["get", "patch", "delete"]),
            ("/visits", &["get", "post"]),
            ("/visits/{id}", &["get", "patch", "delete"]),
            ("/visits/{id}/meetings", &["get", "post"]),
            ("/meetings/{id}", &["get", "patch", "delete"]),
            ("/unavailability", &["get", "post"]),
            ("/unavailability/{id}", &["delete"]),
            ("/travel-times", &["get", "put"]),
            ("/visits/{id}/conflicts", &["get"]),
            ("/calendar-feeds", &["get", "post"]),
            ("/calendar-feeds/{id}", &["delete"]),
        ] {
            for method in methods {
                assert!(
                    paths[path][method].is_object(),
                    "{method} {path} is documented"
                );
            }
        }
        assert_eq!(
            document["components"]["securitySchemes"]["bearer"]["scheme"],
            "bearer"
        );
    });
}

fn conflicts_are_listed_with_messages_and_a_suggestion_that_works(db: &TestDb) {
    demo::load(&mut db.conn()).unwrap();
    run_async(async {
        let api = Api::new(db);
        let (status, found) = api.get("/visits/1/conflicts").await;
        assert_eq!(status, 200);
        let conflicts = found["conflicts"].as_array().unwrap();
        let kinds: Vec<(&str, &str)> = conflicts
            .iter()
            .map(|c| (c["kind"].as_str().unwrap(), c["severity"].as_str().unwrap()))
            .collect();
        // The demo's two deliberate flaws: the plant's hall is too small, and the
        // transfer from the dairy is too short for the three who make it.
        assert_eq!(
            kinds,
            [
                ("over_capacity", "warning"),
                ("travel_time", "error"),
                ("travel_time", "error"),
                ("travel_time", "error")
            ]
        );
        let travel = &conflicts[1];
        assert_eq!(travel["subject"]["type"], "official");
        assert!(
            travel["message"].as_str().unwrap().contains("25 минут"),
            "{travel}"
        );

        // A clash of our own: the maslikhat's secretary, who hosts the 09:30
        // meeting, is also booked for an interview at 10:00 in the same hall.
        let (_, meetings) = api.get("/visits/1/meetings").await;
        let maslikhat = &meetings["meetings"][1];
        let secretary: i64 = maslikhat["official_roles"]
            .as_object()
            .unwrap()
            .iter()
            .find(|(_, role)| *role == "host")
            .map(|(id, _)| id.parse().unwrap())
            .unwrap();
        let venue = maslikhat["venue_id"].as_i64().unwrap();
        let extra = api
            .create(
                "/visits/1/meetings",
                json!({"title": "Интервью региональному телеканалу", "kind": "press", "venue_id": venue,
                       "starts_at": "2026-02-25T10:00:00+05:00", "ends_at": "2026-02-25T10:30:00+05:00",
                       "official_ids": [secretary]}),
            )
            .await;
        let (_, found) = api.get("/visits/1/conflicts").await;
        let clash = found["conflicts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["kind"] == "official_double_booked")
            .expect("the double booking is reported")
            .clone();
        assert_eq!(clash["meeting_ids"], json!([maslikhat["id"], extra]));
        assert_eq!(
            clash["subject"],
            json!({"type": "official", "id": secretary})
        );
        let slot = &clash["suggestion"];
        assert_eq!(slot["meeting_id"], extra);
        // The hall opens at 08:00 and is free until 09:30; so is the secretary.
        assert_eq!(slot["starts_at"], "2026-02-25T08:00:00+05:00");
        assert_eq!(slot["ends_at"], "2026-02-25T08:30:00+05:00");

        let (status, moved) = api
            .patch(
                &format!("/meetings/{extra}"),
                json!({"starts_at": slot["starts_at"], "ends_at": slot["ends_at"]}),
            )
            .await;
        assert_eq!(status, 200, "{moved}");
        let (_, after) = api.get("/visits/1/conflicts").await;
        let remaining: Vec<_> = after["conflicts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["meeting_ids"].as_array().unwrap().contains(&json!(extra)))
            .collect();
        assert!(
            remaining.is_empty(),
            "the suggested slot fits everyone: {remaining:?}"
        );
        assert_error(&api.get("/visits/999/conflicts").await, 404, "not_found");
    });
}

crate::on_both_backends!(
    conflicts_are_listed_with_messages_and_a_suggestion_that_works,
    every_resource_can_be_created_read_updated_listed_and_deleted,
    every_error_has_its_code_and_shape,
    any_offset_is_accepted_and_answers_come_in_the_venues_zone,
    the_openapi_document_lists_every_route,
);
