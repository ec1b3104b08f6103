//! Every page through checkers no one here wrote. The pages are those a
//! signed-out visitor, a viewer, a planner and an admin reach on the demo
//! visit: each list (plain, searched and as its second page), each form (empty,
//! filled and sent back with its fields marked), the visit page, the itinerary
//! in its views, the publish and running-late previews, the changelog, the
//! audit, the outbox, the calendars, the users, the account, the day view and
//! the access lists, in Russian and, for the pages staff use most, in Kazakh
//! and English.
//!
//! - The Nu Html Checker (`vnu.jar`) reads each page as the server sent it: no
//!   errors allowed.
//! - axe-core runs in Chromium on each page as the browser built it: no
//!   serious or critical violations allowed.
//! - Keyboard alone: the programme page and the meeting form are tabbed
//!   through, with the focus always visible, and a meeting is added by keys.
//!
//! Every GET route that answers with a page must be among those checked
//! (`sapar::web::route_table`), so a new page cannot go unchecked.
//!
//! The checkers come from npm: `npm ci --prefix tests/checkers` (CI does it),
//! and vnu.jar needs Java. Without them a test says so and is counted as
//! skipped (failing under CI=true). What each run found is written to
//! `target/conformance/` (the pages, `vnu.json`, `axe.json`, `report.txt`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use fantoccini::key::Key;
use serde_json::{json, Value};

use sapar::domain::model::ParticipantInput;
use sapar::domain::Language;
use sapar::services::accounts::{self, NewUserInput, Password};
use sapar::services::catalogue::participants;
use sapar::services::programme::meetings;
use sapar::services::publishing;
use sapar::services::tokens::{self, TokenRequest};
use sapar::web::routing::RouteEntry;

use crate::support::browser::{in_browser, in_browser_with, Browser};
use crate::support::client::{browser as http_browser, csrf_of, sign_in};
use crate::support::skips::{self, in_ci, Kind};
use crate::support::{actor, load_demo, run_async, spawn_app, TestApp, TestDb};

const ADMIN: (&str, &str) = ("admin@sapar.test", "admin-password-for-tests");
const PLANNER: (&str, &str) = ("planner@sapar.test", "planner-password-for-tests");
const VIEWER: (&str, &str) = ("viewer@sapar.test", "viewer-password-for-tests");

/// Who looks at a page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    SignedOut,
    Viewer,
    Planner,
    Admin,
}

impl Who {
    const ALL: [Who; 4] = [Who::SignedOut, Who::Viewer, Who::Planner, Who::Admin];

    fn name(self) -> &'static str {
        match self {
            Who::SignedOut => "signed-out",
            Who::Viewer => "viewer",
            Who::Planner => "planner",
            Who::Admin => "admin",
        }
    }

    fn account(self) -> Option<(&'static str, &'static str)> {
        match self {
            Who::SignedOut => None,
            Who::Viewer => Some(VIEWER),
            Who::Planner => Some(PLANNER),
            Who::Admin => Some(ADMIN),
        }
    }
}

/// One page to check: who asks, in which language, for what.
#[derive(Clone, Debug)]
struct Page {
    who: Who,
    language: Language,
    /// The route it belongs to, as registered (`/visits/{id}`).
    route: &'static str,
    path: String,
    /// A form sent to `path` (the CSRF token is added), or `None` for a GET.
    form: Option<Vec<(&'static str, String)>>,
    /// The status the page comes with (a form sent back is 422, say).
    status: u16,
}

impl Page {
    fn file_name(&self) -> String {
        let slug: String = self
            .path
            .trim_start_matches('/')
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let slug = if slug.is_empty() { "root".into() } else { slug };
        let sent = if self.form.is_some() { "-sent" } else { "" };
        format!(
            "{}-{}-{slug}{sent}.html",
            self.who.name(),
            self.language.as_str()
        )
    }
}

/// The demo's records the pages are about.
struct World {
    visit: i64,
    meeting: i64,
    /// The demo's first venue (it has items and a security contact).
    venue: i64,
}

/// A fresh SQLite database with the demo visit, sixty more participants, a
/// planner and a viewer, a published version (so the changelog and the outbox have rows) and an API
/// token (so the account lists one).
fn world(db: &TestDb) -> World {
    let visit = load_demo(db);
    for (email, name, role, password) in [
        (PLANNER.0, "Планировщик Аппарата", "planner", PLANNER.1),
        (VIEWER.0, "Наблюдатель Аппарата", "viewer", VIEWER.1),
    ] {
        accounts::create_user(
            &mut db.conn(),
            &actor(),
            &NewUserInput {
                email,
                full_name: name,
                role,
                language: Language::Ru,
                password: &Password::new(password),
            },
        )
        .expect("a staff user");
    }
    // Enough people for the participants list to have a second page.
    for n in 1..=60 {
        participants::create(
            &mut db.conn(),
            &actor(),
            &ParticipantInput {
                full_name: Some(format!("Абенова Айгерим, слушатель {n:02}")),
                organization: Some("ВКТУ им. Д. Серикбаева".into()),
                ..ParticipantInput::default()
            },
        )
        .expect("a participant");
    }
    publishing::publish(&mut db.conn(), &actor(), visit, true, &db.settings())
        .expect("the demo publishes");
    for (email, _) in [ADMIN, PLANNER, VIEWER] {
        tokens::create_for_email(
            &mut db.conn(),
            &actor(),
            email,
            &TokenRequest {
                label: "Скрипт отчётов".into(),
                days: Some(30),
            },
        )
        .expect("a token");
    }
    let meeting = meetings::of_visit(&mut db.conn(), visit)
        .expect("the demo's meetings")
        .first()
        .expect("a meeting")
        .row
        .id;
    World {
        visit,
        meeting,
        venue: 1,
    }
}

/// A page fetched with GET that comes with 200, in Russian.
fn get(who: Who, route: &'static str, path: impl Into<String>) -> Page {
    Page {
        who,
        language: Language::Ru,
        route,
        path: path.into(),
        form: None,
        status: 200,
    }
}

/// A planner's form sent to `path`, and the status the page comes back with.
fn sent(
    route: &'static str,
    path: impl Into<String>,
    status: u16,
    form: &[(&'static str, &str)],
) -> Page {
    Page {
        form: Some(form.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()),
        status,
        ..get(Who::Planner, route, path)
    }
}

/// Every page checked, for every role.
fn pages(w: &World) -> Vec<Page> {
    let (v, m, venue) = (w.visit, w.meeting, w.venue);
    let mut pages = vec![
        // Signed out: signing in, and a password-reset link that has expired.
        get(Who::SignedOut, "/login", "/login"),
        get(Who::SignedOut, "/login", "/login?lang=kk"),
        get(Who::SignedOut, "/login", "/login?lang=en"),
        Page {
            status: 404,
            ..get(
                Who::SignedOut,
                "/reset/{secret}",
                "/reset/sapar_reset_0000000000000000000000000000000000000000",
            )
        },
        // A page that is not there.
        Page {
            status: 404,
            ..get(Who::Viewer, "", "/visits/999999")
        },
    ];

    // Reading, as every signed-in role does.
    for who in [Who::Viewer, Who::Planner] {
        pages.extend([
            get(who, "/visits", "/visits"),
            get(who, "/visits", "/visits?q=%D0%A1%D0%B5%D0%BD%D0%B0%D1%82"),
            get(who, "/visits", "/visits?q=nothing-at-all"),
            get(who, "/visits/{id}", format!("/visits/{v}")),
            get(who, "/visits/{id}", format!("/visits/{v}?severity=error")),
            get(who, "/visits/{id}/edit", format!("/visits/{v}/edit")),
            get(who, "/meetings/{id}/edit", format!("/meetings/{m}/edit")),
            get(
                who,
                "/visits/{id}/itinerary",
                format!("/visits/{v}/itinerary"),
            ),
            get(
                who,
                "/visits/{id}/itinerary",
                format!("/visits/{v}/itinerary?official=1"),
            ),
            get(
                who,
                "/visits/{id}/itinerary",
                format!("/visits/{v}/itinerary?group=1"),
            ),
            get(
                who,
                "/visits/{id}/itinerary",
                format!("/visits/{v}/itinerary?view=public"),
            ),
            get(who, "/visits/{id}/today", format!("/visits/{v}/today")),
            get(
                who,
                "/visits/{id}/today",
                format!("/visits/{v}/today?official=1&at=2026-02-25T14:50:00%2B05:00"),
            ),
            get(who, "/visits/{id}/access", format!("/visits/{v}/access")),
            get(
                who,
                "/visits/{id}/access",
                format!("/visits/{v}/access?venue={venue}"),
            ),
            get(
                who,
                "/visits/{id}/changelog",
                format!("/visits/{v}/changelog"),
            ),
            get(who, "/visits/{id}/audit", format!("/visits/{v}/audit")),
            get(who, "/outbox", "/outbox"),
            get(who, "/calendars", "/calendars"),
            get(who, "/calendars", "/calendars?find=%D0%B0"),
            get(who, "/account", "/account"),
            get(who, "/officials", "/officials"),
            get(who, "/officials", "/officials?q=%D0%9A"),
            get(who, "/officials/{id}/edit", "/officials/1/edit"),
            get(who, "/venues", "/venues"),
            get(who, "/venues/{id}/edit", format!("/venues/{venue}/edit")),
            get(who, "/groups", "/groups"),
            get(who, "/groups/{id}/edit", "/groups/1/edit"),
            get(who, "/participants", "/participants"),
            get(who, "/participants", "/participants?q=%D0%B0&offset=50"),
            get(who, "/participants/{id}/edit", "/participants/1/edit"),
            get(who, "/unavailability", "/unavailability"),
            get(who, "/unavailability/{id}/edit", "/unavailability/1/edit"),
            get(who, "/travel-times", "/travel-times"),
        ]);
    }

    // Planning: the empty forms, the previews, and forms sent back marked.
    let planner = Who::Planner;
    pages.extend([
        get(planner, "/visits/new", "/visits/new"),
        get(
            planner,
            "/visits/{id}/meetings/new",
            format!("/visits/{v}/meetings/new"),
        ),
        get(planner, "/officials/new", "/officials/new"),
        get(planner, "/venues/new", "/venues/new"),
        get(planner, "/groups/new", "/groups/new"),
        get(planner, "/participants/new", "/participants/new"),
        get(planner, "/unavailability/new", "/unavailability/new"),
        get(
            planner,
            "/visits/{id}/publish",
            format!("/visits/{v}/publish"),
        ),
        get(
            planner,
            "/meetings/{id}/late",
            format!("/meetings/{m}/late"),
        ),
        sent(
            "/meetings/{id}/late",
            format!("/meetings/{m}/late"),
            200,
            &[("minutes", "20")],
        ),
        sent(
            "/meetings/{id}/late",
            format!("/meetings/{m}/late"),
            422,
            &[("minutes", "тридцать")],
        ),
        sent(
            "/venues/new",
            "/venues",
            422,
            &[
                ("name", "Конференц-зал"),
                ("timezone", "Asia/Nowhere"),
                ("capacity", "-4"),
            ],
        ),
        sent(
            "/visits/{id}/meetings/new",
            format!("/visits/{v}/meetings"),
            422,
            &[
                ("title", ""),
                ("starts_at", "2026-02-25T18:00"),
                ("ends_at", "2026-02-25T17:00"),
            ],
        ),
        sent(
            "/officials/new",
            "/officials",
            422,
            &[("full_name", ""), ("email", "not-an-address")],
        ),
        sent(
            "/visits/new",
            "/visits",
            422,
            &[("title", ""), ("region", "")],
        ),
        // Pickers after Find: the matches offered to tick, nothing saved.
        sent(
            "/groups/{id}/edit",
            "/groups/1",
            200,
            &[
                ("name", "Депутаты маслихатов"),
                ("headcount", "40"),
                ("find-participant_ids", "а"),
                ("_find", "participant_ids"),
            ],
        ),
        sent(
            "/visits/new",
            "/visits",
            200,
            &[
                ("title", "Рабочая поездка"),
                ("find-official_ids", "а"),
                ("_find", "official_ids"),
            ],
        ),
    ]);

    // Administering, and the pages every role shares as an admin sees them.
    pages.extend([
        get(Who::Admin, "/users", "/users"),
        get(Who::Admin, "/visits", "/visits"),
        get(Who::Admin, "/visits/{id}", format!("/visits/{v}")),
        get(Who::Admin, "/account", "/account"),
        get(Who::Admin, "/outbox", format!("/outbox?visit={v}")),
        Page {
            status: 400,
            ..get(
                Who::Admin,
                "/visits/{id}/today",
                format!("/visits/{v}/today?at=yesterday"),
            )
        },
        Page {
            who: Who::Admin,
            ..sent(
                "/users",
                "/users",
                422,
                &[
                    ("email", "not an address"),
                    ("full_name", ""),
                    ("role", "planner"),
                    ("language", "ru"),
                    ("password", "short"),
                ],
            )
        },
        Page {
            who: Who::Admin,
            ..sent(
                "/account",
                "/account/tokens",
                200,
                &[("label", "Выгрузка в 1С"), ("days", "7")],
            )
        },
    ]);

    // The pages staff use most, in Kazakh and English too.
    for language in [Language::Kk, Language::En] {
        for page in [
            get(planner, "/visits", "/visits"),
            get(planner, "/visits/{id}", format!("/visits/{v}")),
            get(
                planner,
                "/visits/{id}/meetings/new",
                format!("/visits/{v}/meetings/new"),
            ),
            get(
                planner,
                "/visits/{id}/itinerary",
                format!("/visits/{v}/itinerary"),
            ),
            get(planner, "/visits/{id}/today", format!("/visits/{v}/today")),
            get(
                planner,
                "/visits/{id}/publish",
                format!("/visits/{v}/publish"),
            ),
            get(
                planner,
                "/visits/{id}/access",
                format!("/visits/{v}/access?venue={venue}"),
            ),
            get(planner, "/participants", "/participants"),
        ] {
            pages.push(Page { language, ..page });
        }
    }
    pages
}

/// GET routes that answer with something other than a page, or only redirect.
const NOT_PAGES: &[&str] = &[
    "/",
    "/healthz",
    "/metrics",
    "/static/app.css",
    "/static/today.js",
    "/calendar/{token}.ics",
    "/visits/{id}/calendar.ics",
    "/visits/{id}/programme.docx",
    "/visits/{id}/access-list.csv",
    "/visits/{id}/access-list.docx",
];

#[test]
fn every_page_route_is_among_the_pages_checked() {
    let checked: BTreeSet<&str> = pages(&World {
        visit: 1,
        meeting: 1,
        venue: 1,
    })
    .iter()
    .map(|p| p.route)
    .collect();
    let unchecked: Vec<String> = sapar::web::route_table()
        .into_iter()
        .filter(|RouteEntry { method, pattern }| {
            method == "GET"
                && !pattern.starts_with("/api/")
                && !NOT_PAGES.contains(&pattern.as_str())
        })
        .map(|r| r.pattern)
        .filter(|pattern| !checked.contains(pattern.as_str()))
        .collect();
    assert!(
        unchecked.is_empty(),
        "pages no checker looks at: {unchecked:?}"
    );
}

// ---------------------------------------------------------------------------
// The Nu Html Checker

#[test]
fn every_page_is_valid_html() {
    let Some(vnu) = checker("vnu-jar/build/dist/vnu.jar") else {
        return;
    };
    if !java_runs() {
        return;
    }
    let db = TestDb::new(crate::support::Backend::Sqlite).expect("SQLite");
    let world = world(&db);
    let pages = pages(&world);
    let folder = report_folder("html");
    run_async(async {
        let app = spawn_app(&db);
        let mut files = Vec::new();
        for who in Who::ALL {
            let mut session = Session::start(&app, who).await;
            for page in pages.iter().filter(|p| p.who == who) {
                let html = session.fetch(page).await;
                let file = folder.join(page.file_name());
                std::fs::write(&file, html).expect("a page saved");
                files.push((page.clone(), file));
            }
        }
        // The stylesheet the pages share is checked with them.
        let stylesheet = Path::new(env!("CARGO_MANIFEST_DIR")).join("static/app.css");
        let mut checked: Vec<PathBuf> = files.iter().map(|(_, f)| f.clone()).collect();
        checked.push(stylesheet.clone());
        let found = nu_check(&vnu, &checked);
        let errors: Vec<&Message> = found.iter().filter(|m| m.is_error()).collect();
        let warnings = found.len() - errors.len();
        let mut report = format!(
            "Nu Html Checker: {} pages, {} errors, {warnings} warnings\n",
            files.len(),
            errors.len()
        );
        for (page, file) in &files {
            let of_page = found.iter().filter(|m| m.file == *file);
            let (e, w) = of_page.fold(
                (0, 0),
                |(e, w), m| {
                    if m.is_error() {
                        (e + 1, w)
                    } else {
                        (e, w + 1)
                    }
                },
            );
            report.push_str(&format!(
                "{:>3} errors {:>3} warnings  {:<10} {} {}{}\n",
                e,
                w,
                page.who.name(),
                page.language.as_str(),
                page.path,
                if page.form.is_some() {
                    " (form sent)"
                } else {
                    ""
                }
            ));
        }
        let css = found.iter().filter(|m| m.file == stylesheet).count();
        report.push_str(&format!("{css:>3} findings in static/app.css\n"));
        std::fs::write(report_folder("").join("vnu-report.txt"), &report).expect("a report");
        eprintln!("{report}");
        let listed: Vec<String> = errors.iter().take(40).map(|m| m.to_string()).collect();
        assert!(
            errors.is_empty(),
            "{} HTML errors (all in target/conformance/vnu-report.txt):\n{}",
            errors.len(),
            listed.join("\n")
        );
    });
}

/// One finding of the Nu Html Checker.
struct Message {
    file: PathBuf,
    kind: String,
    line: u64,
    text: String,
    extract: String,
}

impl Message {
    fn is_error(&self) -> bool {
        self.kind != "info"
    }
}

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = self.file.file_name().unwrap_or_default().to_string_lossy();
        write!(
            f,
            "{name}:{}: {}: {} [{}]",
            self.line,
            self.kind,
            self.text,
            self.extract.trim()
        )
    }
}

/// Runs vnu.jar once over `files` and gives what it found.
fn nu_check(vnu: &Path, files: &[PathBuf]) -> Vec<Message> {
    let output = Command::new("java")
        .arg("-jar")
        .arg(vnu)
        .args(["--format", "json", "--stdout", "--exit-zero-always"])
        .arg("--also-check-css")
        .args(files)
        .output()
        .expect("java runs vnu.jar");
    let json: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "vnu.jar's answer is not JSON ({e}): {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    std::fs::write(
        report_folder("").join("vnu.json"),
        serde_json::to_vec_pretty(&json).expect("JSON"),
    )
    .expect("vnu.json saved");
    json["messages"]
        .as_array()
        .expect("vnu's messages")
        .iter()
        .map(|m| {
            let url = m["url"].as_str().unwrap_or_default();
            let path = url.strip_prefix("file:").unwrap_or(url);
            Message {
                file: PathBuf::from(percent_decode(path)),
                kind: m["type"].as_str().unwrap_or("error").to_owned(),
                line: m["lastLine"].as_u64().unwrap_or(0),
                text: m["message"].as_str().unwrap_or_default().to_owned(),
                extract: m["extract"].as_str().unwrap_or_default().to_owned(),
            }
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A signed-in HTTP session of one role, in the language it was last asked for.
struct Session<'a> {
    app: &'a TestApp,
    client: reqwest::Client,
    who: Who,
    csrf: String,
    language: Language,
}

impl<'a> Session<'a> {
    async fn start(app: &'a TestApp, who: Who) -> Session<'a> {
        let client = http_browser();
        let mut csrf = String::new();
        if let Some((email, password)) = who.account() {
            let answer = sign_in(&client, &app.address, email, password).await;
            assert_eq!(answer.status(), 303, "{email} signs in");
            let page = client
                .get(format!("{}/account", app.address))
                .send()
                .await
                .expect("the account page")
                .text()
                .await
                .expect("its text");
            csrf = csrf_of(&page);
        }
        Session {
            app,
            client,
            who,
            csrf,
            language: Language::Ru,
        }
    }

    /// The page as the server sends it, its status checked.
    async fn fetch(&mut self, page: &Page) -> String {
        if page.language != self.language {
            let answer = self
                .client
                .post(format!("{}/language", self.app.address))
                .form(&[
                    ("csrf", self.csrf.as_str()),
                    ("language", page.language.as_str()),
                    ("next", "/visits"),
                ])
                .send()
                .await
                .expect("a language");
            assert_eq!(answer.status(), 303, "the language switches");
            self.language = page.language;
        }
        let url = format!("{}{}", self.app.address, page.path);
        let request = match &page.form {
            None => self.client.get(&url),
            Some(fields) => {
                let mut form: Vec<(&str, &str)> = vec![("csrf", self.csrf.as_str())];
                form.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
                self.client.post(&url).form(&form)
            }
        };
        let answer = request.send().await.expect("an answer");
        let status = answer.status().as_u16();
        let html = answer.text().await.expect("a page");
        assert_eq!(
            status,
            page.status,
            "{} {} for {}: {}",
            if page.form.is_some() { "POST" } else { "GET" },
            page.path,
            self.who.name(),
            &html[..html.len().min(400)]
        );
        html
    }
}

// ---------------------------------------------------------------------------
// axe-core in Chromium

/// The impacts that fail the test.
const BLOCKING: [&str; 2] = ["serious", "critical"];

#[test]
fn every_page_passes_axe_in_chromium() {
    let Some(axe) = checker("axe-core/axe.min.js") else {
        return;
    };
    let axe = std::fs::read_to_string(axe).expect("axe.min.js");
    let db = TestDb::new(crate::support::Backend::Sqlite).expect("SQLite");
    let world = world(&db);
    let pages = pages(&world);
    in_browser(&db, async |b: &Browser| {
        let mut found = Vec::new();
        for who in Who::ALL {
            b.client.delete_all_cookies().await.expect("signed out");
            let mut language = Language::Ru;
            if let Some(account) = who.account() {
                b.visit("/login").await;
                b.sign_in(account).await;
            }
            for page in pages.iter().filter(|p| p.who == who) {
                if page.language != language {
                    switch_language(b, page.language).await;
                    language = page.language;
                }
                open(b, page).await;
                let violations = run_axe(b, &axe).await;
                found.push((page.clone(), violations));
            }
        }
        let mut report = String::new();
        let mut blocking = Vec::new();
        let mut counts = std::collections::BTreeMap::<String, usize>::new();
        for (page, violations) in &found {
            let list = violations.as_array().cloned().unwrap_or_default();
            report.push_str(&format!(
                "{:>3} violations  {:<10} {} {}{}\n",
                list.len(),
                page.who.name(),
                page.language.as_str(),
                page.path,
                if page.form.is_some() {
                    " (form sent)"
                } else {
                    ""
                }
            ));
            for v in &list {
                let impact = v["impact"].as_str().unwrap_or("unknown").to_owned();
                *counts.entry(impact.clone()).or_default() += 1;
                report.push_str(&format!("      {impact}: {} {}\n", v["id"], v["nodes"]));
                if BLOCKING.contains(&impact.as_str()) {
                    blocking.push(format!(
                        "{} {} ({}): {impact} {}: {} at {}",
                        page.who.name(),
                        page.path,
                        page.language.as_str(),
                        v["id"],
                        v["help"],
                        v["nodes"]
                    ));
                }
            }
        }
        let summary = format!(
            "axe-core: {} pages, violations by impact {counts:?}\n",
            found.len()
        );
        std::fs::write(
            report_folder("").join("axe-report.txt"),
            format!("{summary}{report}"),
        )
        .expect("a report");
        eprintln!("{summary}{report}");
        assert!(
            blocking.is_empty(),
            "{} serious or critical violations:\n{}",
            blocking.len(),
            blocking.join("\n")
        );
    });
}

/// Opens a page in the browser: a GET, or its form sent from the page before.
async fn open(b: &Browser, page: &Page) {
    match &page.form {
        None => b.visit(&page.path).await,
        Some(fields) => {
            b.visit("/account").await;
            let fields: Vec<Value> = fields.iter().map(|(k, v)| json!([k, v])).collect();
            b.script(
                r#"const [action, fields] = arguments;
                   const form = document.createElement('form');
                   form.method = 'post';
                   form.action = action;
                   const csrf = document.querySelector('input[name=csrf]').value;
                   for (const [name, value] of [['csrf', csrf], ...fields]) {
                     const input = document.createElement('input');
                     input.type = 'hidden';
                     input.name = name;
                     input.value = value;
                     form.append(input);
                   }
                   document.body.append(form);
                   document.documentElement.dataset.leaving = 'yes';
                   form.submit();"#,
                vec![json!(page.path), json!(fields)],
            )
            .await;
            b.wait_for_next_page().await;
        }
    }
}

async fn switch_language(b: &Browser, language: Language) {
    b.visit("/account").await;
    let button = b
        .find(&format!(
            "form.languages button[value={}]",
            language.as_str()
        ))
        .await;
    b.click_and_load(&button).await;
}

/// axe-core's violations on the page the browser shows, each with its nodes.
async fn run_axe(b: &Browser, source: &str) -> Value {
    // Evaluated as a script of the test's own, so the page's
    // Content-Security-Policy has no say.
    b.script(&format!("{source}\nreturn true;"), vec![]).await;
    let answer = b
        .client
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               axe.run(document, { resultTypes: ['violations'] })
                 .then(r => done(r.violations.map(v => ({
                   id: v.id, impact: v.impact, help: v.help,
                   nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
                 }))))
                 .catch(e => done({ error: String(e) }));"#,
            vec![],
        )
        .await
        .expect("axe runs");
    assert!(answer.get("error").is_none(), "axe failed: {answer}");
    answer
}

// ---------------------------------------------------------------------------
// Keyboard alone

/// What has the focus: its tag, its text or name, and whether a ring or
/// outline shows it.
const FOCUSED: &str = r#"
const e = document.activeElement;
const style = getComputedStyle(e);
const rect = e.getBoundingClientRect();
const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
  || style.boxShadow !== 'none';
return {
  tag: e.tagName.toLowerCase(),
  id: e.id,
  name: e.getAttribute('name') || '',
  href: e.getAttribute('href') || '',
  text: (e.innerText || e.value || '').trim().slice(0, 60),
  shown: rect.width > 0 && rect.height > 0,
  ring,
  matches: [':focus', ':focus-visible', ':focus-within'].filter(s => e.matches(s)).join(' '),
  outline: style.outline,
};"#;

async fn focused(b: &Browser) -> Value {
    b.script(FOCUSED, vec![]).await
}

async fn press(b: &Browser, keys: &str) {
    let active = b.client.active_element().await.expect("an active element");
    active.send_keys(keys).await.expect("keys pressed");
}

/// Tabs until `wanted` has the focus, checking every stop is visible and
/// shows its focus; gives the stops passed.
async fn tab_to(b: &Browser, wanted: impl Fn(&Value) -> bool, limit: usize) -> Vec<Value> {
    let mut stops = Vec::new();
    for _ in 0..limit {
        press(b, &Key::Tab.to_string()).await;
        let now = focused(b).await;
        assert_eq!(now["shown"], true, "the focus went somewhere unseen: {now}");
        assert_eq!(now["ring"], true, "the focus does not show on {now}");
        let done = wanted(&now);
        stops.push(now);
        if done {
            return stops;
        }
    }
    panic!("{limit} presses of Tab never reached the element: {stops:#?}");
}

#[test]
fn a_planner_adds_a_meeting_with_the_keyboard_alone() {
    let db = TestDb::new(crate::support::Backend::Sqlite).expect("SQLite");
    let world = world(&db);
    let before = meetings::of_visit(&mut db.conn(), world.visit)
        .expect("meetings")
        .len();
    let visit = world.visit;
    let ran = in_browser_with(&db, db.settings(), async |b: &Browser| {
        b.visit("/login").await;
        b.sign_in(PLANNER).await;
        b.visit(&format!("/visits/{visit}")).await;

        // The first Tab offers the way past the header.
        press(b, &Key::Tab.to_string()).await;
        let first = focused(b).await;
        assert_eq!(first["href"], "#main", "the skip link comes first: {first}");
        assert_eq!(first["shown"], true, "the skip link shows when focused");
        press(b, &Key::Enter.to_string()).await;

        // From the programme's top, Tab reaches "Add an item".
        let new_item = format!("/visits/{visit}/meetings/new");
        let stops = tab_to(b, |f| f["href"] == new_item.as_str(), 200).await;
        assert!(
            stops.iter().all(|s| s["href"] != "/visits"),
            "the skip link jumped past the header's links: {stops:#?}"
        );
        b.script("document.documentElement.dataset.leaving = 'yes';", vec![])
            .await;
        press(b, &Key::Enter.to_string()).await;
        b.wait_for_next_page().await;
        assert_eq!(b.path().await, new_item);

        // The form: to its first field, type, and on through every field.
        tab_to(b, |f| f["name"] == "title", 60).await;
        press(b, "Встреча с ректоратом, набранная с клавиатуры").await;
        let stops = tab_to(
            b,
            |f| f["tag"] == "button" && f["text"] != "" && f["name"] == "",
            120,
        )
        .await;
        let names: Vec<&str> = stops.iter().filter_map(|s| s["name"].as_str()).collect();
        for field in ["starts_at", "ends_at", "venue_id"] {
            assert!(
                names.contains(&field),
                "Tab passes {field} on the way to Save: {names:?}"
            );
        }
        b.script("document.documentElement.dataset.leaving = 'yes';", vec![])
            .await;
        press(b, &Key::Enter.to_string()).await;
        b.wait_for_next_page().await;
        assert_eq!(
            b.path().await,
            format!("/visits/{visit}"),
            "saved, and back on the programme"
        );
        assert!(
            b.text("main")
                .await
                .contains("Встреча с ректоратом, набранная с клавиатуры"),
            "the new item is on the programme"
        );

        // The day view's own script runs under the page's security policy,
        // and its "update every minute" is switched off by keys, for good.
        b.visit(&format!("/visits/{visit}/today")).await;
        assert!(
            b.find(".auto-update")
                .await
                .is_displayed()
                .await
                .expect("shown or not"),
            "the script showed its switch"
        );
        tab_to(b, |f| f["id"] == "auto-update", 30).await;
        press(b, " ").await;
        b.visit(&format!("/visits/{visit}/today")).await;
        let ticked = b
            .find("#auto-update")
            .await
            .is_selected()
            .await
            .expect("ticked or not");
        assert!(!ticked, "the choice is remembered");
    });
    let after = meetings::of_visit(&mut db.conn(), visit)
        .expect("meetings")
        .len();
    if ran {
        assert_eq!(after, before + 1, "one meeting added by keys");
    }
}

// ---------------------------------------------------------------------------
// The tools

/// A checker installed by `npm ci --prefix tests/checkers`, or `None` after
/// saying it is missing (failing under CI).
fn checker(relative: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/checkers/node_modules")
        .join(relative);
    if path.is_file() {
        return Some(path);
    }
    let why = "no tests/checkers/node_modules (npm ci --prefix tests/checkers)";
    if in_ci() {
        panic!("CI=true and {why}");
    }
    skips::skip(Kind::Checker, why);
    None
}

fn java_runs() -> bool {
    let runs = Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !runs {
        let why = "no java (Debian's default-jre-headless) for vnu.jar";
        if in_ci() {
            panic!("CI=true and {why}");
        }
        skips::skip(Kind::Checker, why);
    }
    runs
}

/// `target/conformance/<sub>`, made empty on first use by a test.
fn report_folder(sub: &str) -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("a target folder");
    let folder = target.join("conformance").join(sub);
    if !sub.is_empty() {
        let _ = std::fs::remove_dir_all(&folder);
    }
    std::fs::create_dir_all(&folder).expect("a report folder");
    folder
}
