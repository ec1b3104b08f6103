//! Every route has an access decision, held against every role: the routes
//! come from the registration itself (`sapar::web::route_table`), so a route
//! added without a line in [`DECISIONS`] fails this test; on both backends.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};

use sapar::domain::Language;
use sapar::services::accounts::{self, NewUserInput, Password};
use sapar::services::calendars::{self, Subscriber};
use sapar::web::routing::RouteEntry;

use crate::support::client::{browser, csrf_of, sign_in, ADMIN};
use crate::support::{actor, load_demo, run_async, spawn_app, TestApp, TestDb};

/// Who may use a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    /// No sign-in: the sign-in page, health, the stylesheet, the API
    /// document, and a personal feed (whose secret path is its key).
    Anyone,
    /// Any signed-in user, viewers included: reading.
    Staff,
    /// Planners and admins: changing the plan.
    Planner,
    /// Admins only: managing users.
    Admin,
}

use Who::*;

/// The decision for every route, pages then API. A new route needs a line here.
const DECISIONS: &[(&str, &str, Who)] = &[
    // Pages.
    ("GET", "/healthz", Anyone),
    // Guarded by its own token (SAPAR_METRICS_TOKEN); off, a 404, without one.
    ("GET", "/metrics", Anyone),
    ("GET", "/", Anyone),
    ("GET", "/static/app.css", Anyone),
    ("GET", "/static/today.js", Anyone),
    ("GET", "/login", Anyone),
    ("POST", "/login", Anyone),
    ("POST", "/logout", Staff),
    ("POST", "/language", Staff),
    ("GET", "/visits", Staff),
    ("GET", "/officials", Staff),
    ("GET", "/officials/new", Planner),
    ("POST", "/officials", Planner),
    ("GET", "/officials/{id}/edit", Staff),
    ("POST", "/officials/{id}", Planner),
    ("POST", "/officials/{id}/delete", Planner),
    ("GET", "/venues", Staff),
    ("GET", "/venues/new", Planner),
    ("POST", "/venues", Planner),
    ("GET", "/venues/{id}/edit", Staff),
    ("POST", "/venues/{id}", Planner),
    ("POST", "/venues/{id}/delete", Planner),
    ("GET", "/groups", Staff),
    ("GET", "/groups/new", Planner),
    ("POST", "/groups", Planner),
    ("GET", "/groups/{id}/edit", Staff),
    ("POST", "/groups/{id}", Planner),
    ("POST", "/groups/{id}/delete", Planner),
    ("GET", "/participants", Staff),
    ("GET", "/participants/new", Planner),
    ("POST", "/participants", Planner),
    ("GET", "/participants/{id}/edit", Staff),
    ("POST", "/participants/{id}", Planner),
    ("POST", "/participants/{id}/delete", Planner),
    ("GET", "/unavailability", Staff),
    ("GET", "/unavailability/new", Planner),
    ("POST", "/unavailability", Planner),
    ("GET", "/unavailability/{id}/edit", Staff),
    ("POST", "/unavailability/{id}", Planner),
    ("POST", "/unavailability/{id}/delete", Planner),
    ("GET", "/visits/new", Planner),
    ("POST", "/visits", Planner),
    ("GET", "/visits/{id}/edit", Staff),
    ("POST", "/visits/{id}", Planner),
    ("POST", "/visits/{id}/delete", Planner),
    ("GET", "/visits/{id}", Staff),
    ("POST", "/visits/{id}/apply", Planner),
    ("GET", "/visits/{id}/meetings/new", Planner),
    ("POST", "/visits/{id}/meetings", Planner),
    ("GET", "/meetings/{id}/edit", Staff),
    ("POST", "/meetings/{id}", Planner),
    ("POST", "/meetings/{id}/delete", Planner),
    ("GET", "/users", Admin),
    ("POST", "/users", Admin),
    ("POST", "/users/{id}/role", Admin),
    ("POST", "/users/{id}/disable", Admin),
    ("POST", "/users/{id}/enable", Admin),
    ("POST", "/users/{id}/reset", Admin),
    ("GET", "/account", Staff),
    ("POST", "/account/password", Staff),
    ("POST", "/account/sessions/end-all", Staff),
    ("POST", "/account/sessions/{id}/end", Staff),
    ("POST", "/account/tokens", Staff),
    ("POST", "/account/tokens/{id}/revoke", Staff),
    ("GET", "/reset/{secret}", Anyone),
    ("POST", "/reset/{secret}", Anyone),
    ("GET", "/visits/{id}/audit", Staff),
    ("GET", "/travel-times", Staff),
    ("POST", "/travel-times", Planner),
    ("POST", "/travel-times/delete", Planner),
    ("GET", "/visits/{id}/itinerary", Staff),
    ("GET", "/visits/{id}/publish", Planner),
    ("POST", "/visits/{id}/publish", Planner),
    ("GET", "/visits/{id}/changelog", Staff),
    ("GET", "/meetings/{id}/late", Planner),
    ("POST", "/meetings/{id}/late", Planner),
    ("POST", "/meetings/{id}/late/apply", Planner),
    ("GET", "/visits/{id}/today", Staff),
    ("GET", "/outbox", Staff),
    ("POST", "/outbox/{id}/retry", Planner),
    ("GET", "/visits/{id}/calendar.ics", Staff),
    ("GET", "/visits/{id}/programme.docx", Staff),
    ("GET", "/visits/{id}/access-list.csv", Staff),
    ("GET", "/visits/{id}/access-list.docx", Staff),
    ("GET", "/visits/{id}/access", Staff),
    ("POST", "/visits/{id}/access", Planner),
    ("POST", "/visits/{id}/access-lists/send", Planner),
    ("GET", "/calendar/{token}.ics", Anyone),
    ("GET", "/calendars", Staff),
    ("POST", "/calendars", Planner),
    ("POST", "/calendars/{id}/revoke", Planner),
    // The API.
    ("POST", "/api/v1/officials", Planner),
    ("GET", "/api/v1/officials", Staff),
    ("GET", "/api/v1/officials/{id}", Staff),
    ("PATCH", "/api/v1/officials/{id}", Planner),
    ("DELETE", "/api/v1/officials/{id}", Planner),
    ("POST", "/api/v1/venues", Planner),
    ("GET", "/api/v1/venues", Staff),
    ("GET", "/api/v1/venues/{id}", Staff),
    ("PATCH", "/api/v1/venues/{id}", Planner),
    ("DELETE", "/api/v1/venues/{id}", Planner),
    ("POST", "/api/v1/groups", Planner),
    ("GET", "/api/v1/groups", Staff),
    ("GET", "/api/v1/groups/{id}", Staff),
    ("PATCH", "/api/v1/groups/{id}", Planner),
    ("DELETE", "/api/v1/groups/{id}", Planner),
    ("POST", "/api/v1/participants", Planner),
    ("GET", "/api/v1/participants", Staff),
    ("GET", "/api/v1/participants/{id}", Staff),
    ("PATCH", "/api/v1/participants/{id}", Planner),
    ("DELETE", "/api/v1/participants/{id}", Planner),
    ("POST", "/api/v1/visits", Planner),
    ("GET", "/api/v1/visits", Staff),
    ("GET", "/api/v1/visits/{id}", Staff),
    ("PATCH", "/api/v1/visits/{id}", Planner),
    ("DELETE", "/api/v1/visits/{id}", Planner),
    ("POST", "/api/v1/visits/{id}/meetings", Planner),
    ("GET", "/api/v1/visits/{id}/meetings", Staff),
    ("GET", "/api/v1/visits/{id}/conflicts", Staff),
    ("POST", "/api/v1/visits/{id}/publish", Planner),
    ("POST", "/api/v1/visits/{id}/shift", Planner),
    ("POST", "/api/v1/visits/{id}/briefing-pack", Planner),
    ("POST", "/api/v1/visits/{id}/access-lists/send", Planner),
    ("GET", "/api/v1/outbox", Staff),
    ("GET", "/api/v1/meetings/{id}", Staff),
    ("PATCH", "/api/v1/meetings/{id}", Planner),
    ("DELETE", "/api/v1/meetings/{id}", Planner),
    ("POST", "/api/v1/unavailability", Planner),
    ("GET", "/api/v1/unavailability", Staff),
    ("DELETE", "/api/v1/unavailability/{id}", Planner),
    ("PUT", "/api/v1/travel-times", Planner),
    ("GET", "/api/v1/travel-times", Staff),
    ("GET", "/api/v1/tokens", Staff),
    ("DELETE", "/api/v1/tokens/{id}", Staff),
    ("GET", "/api/v1/me", Staff),
    ("GET", "/api/v1/users", Admin),
    ("PATCH", "/api/v1/users/{id}", Admin),
    ("POST", "/api/v1/calendar-feeds", Planner),
    ("GET", "/api/v1/calendar-feeds", Planner),
    ("DELETE", "/api/v1/calendar-feeds/{id}", Planner),
    ("GET", "/api/v1/openapi.json", Anyone),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Admin,
    Planner,
    Viewer,
}

impl Role {
    fn may(self, who: Who) -> bool {
        match who {
            Anyone | Staff => true,
            Planner => self != Role::Viewer,
            Admin => self == Role::Admin,
        }
    }
}

fn key(method: &str, pattern: &str) -> (String, String) {
    (method.to_owned(), pattern.to_owned())
}

#[test]
fn every_registered_route_has_a_decision_and_every_decision_a_route() {
    let registered: BTreeSet<(String, String)> = sapar::web::route_table()
        .iter()
        .map(|RouteEntry { method, pattern }| key(method.as_str(), pattern))
        .collect();
    let decided: BTreeSet<(String, String)> = DECISIONS
        .iter()
        .map(|(method, pattern, _)| key(method, pattern))
        .collect();
    assert_eq!(decided.len(), DECISIONS.len(), "a route decided twice");
    let undecided: Vec<_> = registered.difference(&decided).collect();
    let unregistered: Vec<_> = decided.difference(&registered).collect();
    assert!(
        undecided.is_empty() && unregistered.is_empty(),
        "routes without an access decision: {undecided:?}; decisions without a route: {unregistered:?}"
    );
}

/// A route's path with its placeholders filled: existing records for reading
/// (the demo's first of each), records that do not exist for changing, so
/// that trying every route as every role changes nothing.
fn path_of(method: &str, pattern: &str, feed: &str) -> String {
    let id = if method == "GET" { "1" } else { "999999" };
    pattern.replace("{id}", id).replace("{token}", feed)
}

/// What is wrong with `status` (and where it sends) as the answer to a route
/// decided `who`, for `role` (`None`: signed out).
fn judge(
    who: Who,
    role: Option<Role>,
    api: bool,
    status: StatusCode,
    location: &str,
) -> Option<String> {
    let to_sign_in = status == StatusCode::SEE_OTHER && location.starts_with("/login?next=");
    let refused =
        status == StatusCode::FORBIDDEN || status == StatusCode::UNAUTHORIZED || to_sign_in;
    let expected = match role {
        _ if status.is_server_error() => return Some("a server error".into()),
        None if who == Anyone => return refused.then(|| "refused to anyone".into()),
        None if api => StatusCode::UNAUTHORIZED,
        None => return (!to_sign_in).then(|| "not sent to sign in".into()),
        Some(role) if role.may(who) => {
            return refused.then(|| "refused to a role that may".into());
        }
        Some(_) => StatusCode::FORBIDDEN,
    };
    (status != expected).then(|| format!("expected {expected}"))
}

/// A signed-in browser for a role, with its form token.
async fn signed_in(app: &TestApp, email: &str, password: &str) -> Browser {
    let client = browser();
    let visitor_csrf = visitor_token(app, &client).await;
    sign_in(&client, &app.address, email, password).await;
    let csrf = csrf_of(&page(app, &client, "/visits").await);
    Browser {
        client,
        csrf,
        visitor_csrf,
    }
}

/// A browser, with the form tokens it posts: its session's, and the
/// signed-out one that the sign-in and password-reset forms carry.
struct Browser {
    client: reqwest::Client,
    csrf: String,
    visitor_csrf: String,
}

async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    client
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// The signed-out form token, as the sign-in page hands it (and sets its cookie).
async fn visitor_token(app: &TestApp, client: &reqwest::Client) -> String {
    csrf_of(&page(app, client, "/login").await)
}

const PASSWORD: &str = "a password for tests";

/// Signing out, here or everywhere.
fn ends_the_session(method: &str, pattern: &str) -> bool {
    method == "POST" && matches!(pattern, "/logout" | "/account/sessions/end-all")
}

/// A signed-out browser and one signed in for each role, with their form tokens.
async fn browsers_of_every_role(app: &TestApp) -> Vec<(Option<Role>, Browser)> {
    let client = browser();
    let visitor_csrf = visitor_token(app, &client).await;
    let visitor = Browser {
        client,
        csrf: String::new(),
        visitor_csrf,
    };
    let mut browsers = vec![(None, visitor)];
    for (role, email, password) in [
        (Role::Admin, ADMIN.0, ADMIN.1),
        (Role::Planner, "planner@sapar.test", PASSWORD),
        (Role::Viewer, "viewer@sapar.test", PASSWORD),
    ] {
        browsers.push((Some(role), signed_in(app, email, password).await));
    }
    browsers
}

fn user_with_token(db: &TestDb, email: &str, role: &str) -> String {
    let conn = &mut db.conn();
    accounts::create_user(
        conn,
        &actor(),
        &NewUserInput {
            email,
            full_name: "",
            role,
            language: Language::En,
            password: &Password::new(PASSWORD),
        },
    )
    .unwrap();
    accounts::create_token(conn, &actor(), email).unwrap()
}

fn every_route_answers_every_role_as_decided(db: &TestDb) {
    load_demo(db);
    let tokens = [
        (
            Role::Admin,
            accounts::create_token(&mut db.conn(), &actor(), ADMIN.0).unwrap(),
        ),
        (
            Role::Planner,
            user_with_token(db, "planner@sapar.test", "planner"),
        ),
        (
            Role::Viewer,
            user_with_token(db, "viewer@sapar.test", "viewer"),
        ),
    ];
    let feed = calendars::create_token(&mut db.conn(), &actor(), Subscriber::Official(1))
        .unwrap()
        .token;
    let mut routes: Vec<(&str, &str, Who)> = DECISIONS.to_vec();
    // The routes that end the session the others are tried with go last, and
    // each is followed by signing in again.
    routes.sort_by_key(|(method, pattern, _)| ends_the_session(method, pattern));

    run_async(async {
        let app = spawn_app(db);
        let mut wrong = Vec::new();
        let mut browsers = browsers_of_every_role(&app).await;
        let mut callers = vec![(None, None)];
        callers.extend(
            tokens
                .iter()
                .map(|(role, token)| (Some(*role), Some(token))),
        );

        for &(method, pattern, who) in &routes {
            let url = format!("{}{}", app.address, path_of(method, pattern, &feed));
            let method = Method::from_bytes(method.as_bytes()).unwrap();
            if pattern.starts_with("/api/") {
                for (role, token) in &callers {
                    let mut request = app.client.request(method.clone(), &url);
                    if let Some(token) = token {
                        request = request.bearer_auth(token);
                    }
                    let status = request.send().await.unwrap().status();
                    if let Some(problem) = judge(who, *role, true, status, "") {
                        wrong.push(format!(
                            "{method} {pattern} as {role:?}: {status}, {problem}"
                        ));
                    }
                }
            } else {
                for (role, browser) in &browsers {
                    let mut request = browser.client.request(method.clone(), &url);
                    if method != Method::GET {
                        let csrf = match who {
                            Anyone => &browser.visitor_csrf,
                            _ => &browser.csrf,
                        };
                        request = request.form(&[("csrf", csrf.as_str())]);
                    }
                    let answer = request.send().await.unwrap();
                    let status = answer.status();
                    let location = answer
                        .headers()
                        .get("location")
                        .and_then(|l| l.to_str().ok())
                        .unwrap_or("")
                        .to_owned();
                    if let Some(problem) = judge(who, *role, false, status, &location) {
                        wrong.push(format!(
                            "{method} {pattern} as {role:?}: {status} {location}, {problem}"
                        ));
                    }
                }
                if ends_the_session(method.as_str(), pattern) {
                    browsers = browsers_of_every_role(&app).await;
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    });
}

crate::on_both_backends!(every_route_answers_every_role_as_decided);
