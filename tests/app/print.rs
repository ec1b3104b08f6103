//! The printable itinerary as paper would show it: the page is fetched over
//! HTTP, printed to PDF by headless Chromium with the app's own stylesheet,
//! and read back with poppler's `pdfinfo` and `pdftotext`. Checks the
//! Speaker's working programme (every item of his day, in order, with local
//! times, nothing of another official's day alone, Kazakh letters intact) and
//! the guest programme (no phones, no logistics, no venue rules).
//!
//! Without Chromium or poppler-utils the test says "skipping a PDF printing
//! test: …" and passes, counted in the line `support::skips` prints at the
//! end, except with CI=true, where it fails. `SAPAR_CHROMIUM` points at
//! another Chromium.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::DateTime;
use chrono_tz::Tz;

use sapar::domain::model::MeetingInput;
use sapar::services::catalogue::officials;
use sapar::services::demo::{self, DemoOutcome};
use sapar::services::programme::meetings;
use sapar::web::api::views;

use crate::support::client::{browser, sign_in, ADMIN};
use crate::support::skips::{self, in_ci, Kind};
use crate::support::{actor, run_async, spawn_app, Backend, TestDb};

const AKIMS_OWN: &str = "Совещание акима с руководителями районов";
const KAZAKH_TITLE: &str = "Жұмыс түскі асы: әкіммен әңгіме";

/// A program on the `PATH`.
fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

struct Tools {
    chromium: PathBuf,
    pdfinfo: PathBuf,
    pdftotext: PathBuf,
}

/// The programs the test needs, or `None` after saying which are missing
/// (outside CI; in CI a missing one fails the test).
fn tools() -> Option<Tools> {
    let chromium = std::env::var_os("SAPAR_CHROMIUM")
        .map(PathBuf::from)
        .filter(|p| p.is_file())
        .or_else(|| on_path("chromium"))
        .or_else(|| on_path("chromium-browser"));
    let (pdfinfo, pdftotext) = (on_path("pdfinfo"), on_path("pdftotext"));
    match (chromium, pdfinfo, pdftotext) {
        (Some(chromium), Some(pdfinfo), Some(pdftotext)) => Some(Tools {
            chromium,
            pdfinfo,
            pdftotext,
        }),
        (chromium, pdfinfo, pdftotext) => {
            let missing: Vec<&str> = [
                (chromium.is_none(), "chromium"),
                (pdfinfo.is_none(), "pdfinfo"),
                (pdftotext.is_none(), "pdftotext"),
            ]
            .into_iter()
            .filter(|(gone, _)| *gone)
            .map(|(_, name)| name)
            .collect();
            let why = format!("no {}", missing.join(", "));
            let hint = "Debian packages chromium and poppler-utils; or set SAPAR_CHROMIUM";
            if in_ci() {
                panic!("CI=true and {why} ({hint})");
            }
            eprintln!("{hint}");
            skips::skip(Kind::Print, &why);
            None
        }
    }
}

/// Runs a program to its end (at most `limit`), and gives its stdout.
fn run(program: &Path, args: &[String], limit: Duration) -> String {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{} starts: {e}", program.display()));
    let started = Instant::now();
    loop {
        match child.try_wait().expect("the program's state") {
            Some(_) => break,
            None if started.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{} took longer than {limit:?}", program.display());
            }
            None => std::thread::sleep(Duration::from_millis(100)),
        }
    }
    let output = child.wait_with_output().expect("the program's output");
    assert!(
        output.status.success(),
        "{} {args:?} failed: {}",
        program.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// A page of the app printed to PDF: its page count and its text.
struct Printed {
    pages: u32,
    text: String,
}

async fn print(tools: &Tools, client: &reqwest::Client, address: &str, path: &str) -> Printed {
    let response = client.get(format!("{address}{path}")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200, "{path}");
    let html = response.text().await.unwrap();
    assert!(
        html.contains("href=\"/static/app.css\""),
        "the page links the stylesheet"
    );
    // The file is opened from disk: the stylesheet comes from the running app.
    let html = html.replace(
        "href=\"/static/app.css\"",
        &format!("href=\"{address}/static/app.css\""),
    );
    let dir = tempfile::tempdir().expect("a temporary folder");
    let page = dir.path().join("itinerary.html");
    let pdf = dir.path().join("itinerary.pdf");
    std::fs::write(&page, html).expect("the page saved");
    let chromium_args: Vec<String> = vec![
        "--headless".into(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-background-networking".into(),
        "--disable-dev-shm-usage".into(),
        "--no-pdf-header-footer".into(),
        // A profile of its own, so parallel tests do not share one.
        format!("--user-data-dir={}", dir.path().join("profile").display()),
        format!("--print-to-pdf={}", pdf.display()),
        format!("file://{}", page.display()),
    ];
    let (chromium, pdfinfo, pdftotext) = (
        tools.chromium.clone(),
        tools.pdfinfo.clone(),
        tools.pdftotext.clone(),
    );
    let pdf_path = pdf.clone();
    // Blocking work off the runtime that serves the stylesheet.
    let (info, text) = actix_web::rt::task::spawn_blocking(move || {
        run(&chromium, &chromium_args, Duration::from_secs(120));
        assert!(pdf_path.is_file(), "Chromium wrote no PDF");
        let info = run(
            &pdfinfo,
            &[pdf_path.display().to_string()],
            Duration::from_secs(30),
        );
        let text = run(
            &pdftotext,
            &[
                "-layout".into(),
                "-enc".into(),
                "UTF-8".into(),
                pdf_path.display().to_string(),
                "-".into(),
            ],
            Duration::from_secs(30),
        );
        (info, text)
    })
    .await
    .expect("the printing finished");
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("a page count in {info}"));
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/pdf");
    let name = path.replace(['/', '?', '&', '='], "_");
    if std::fs::create_dir_all(&target).is_ok() {
        let _ = std::fs::copy(&pdf, target.join(format!("{name}.pdf")));
    }
    Printed { pages, text }
}

/// Whitespace collapsed, so titles wrapped over two lines read as one.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_speakers_itinerary_prints_his_day_in_order_and_the_guest_version_keeps_secrets() {
    let Some(tools) = tools() else {
        return;
    };
    let db = TestDb::new(Backend::Sqlite).expect("SQLite is always available");
    let visit_id = match demo::load(&mut db.conn()).expect("the demo") {
        DemoOutcome::Loaded { visit_id } => visit_id,
        DemoOutcome::AlreadyLoaded => panic!("a fresh database"),
    };
    let all_officials = officials::list(&mut db.conn()).unwrap();
    let id_of = |prefix: &str| {
        all_officials
            .iter()
            .find(|o| o.full_name.starts_with(prefix))
            .map(|o| o.id)
            .unwrap_or_else(|| panic!("the demo's {prefix}"))
    };
    let (speaker, akim) = (id_of("Ашимбаев"), id_of("Нуржанов"));

    // The akim's own meeting, which the Speaker does not attend.
    let at = |hhmm: &str| DateTime::parse_from_rfc3339(&format!("2026-02-25T{hhmm}:00+05:00")).ok();
    meetings::create(
        &mut db.conn(),
        &actor(),
        visit_id,
        &MeetingInput {
            title: Some(AKIMS_OWN.into()),
            kind: Some("meeting".into()),
            starts_at: at("16:30"),
            ends_at: at("17:00"),
            official_ids: vec![akim],
            status: Some("confirmed".into()),
            ..Default::default()
        },
    )
    .expect("the akim's meeting");
    // A Kazakh title, to see that its letters reach the paper.
    let lunch = meetings::of_visit(&mut db.conn(), visit_id)
        .unwrap()
        .into_iter()
        .find(|m| m.row.title == "Рабочий обед")
        .expect("the demo's lunch");
    let mut input = views::meeting_input(&lunch, Tz::UTC);
    input.title = Some(KAZAKH_TITLE.into());
    meetings::update(&mut db.conn(), &actor(), lunch.row.id, &input).expect("renamed");

    // What the Speaker's day holds, in time order, with local times.
    let zone: Tz = "Asia/Almaty".parse().unwrap();
    let day: Vec<(String, String)> = meetings::of_visit(&mut db.conn(), visit_id)
        .unwrap()
        .into_iter()
        .filter(|m| m.official_ids.contains(&speaker))
        .map(|m| {
            let local = |t: chrono::NaiveDateTime| {
                t.and_utc().with_timezone(&zone).format("%H:%M").to_string()
            };
            (
                m.row.title.clone(),
                format!("{}–{}", local(m.row.starts_at), local(m.row.ends_at)),
            )
        })
        .collect();
    assert_eq!(day.len(), 10);
    assert_eq!(day[0].1, "08:30–08:50");
    assert_eq!(day[9].1, "19:55–20:15");

    run_async(async {
        let app = spawn_app(&db);
        let client = browser();
        sign_in(&client, &app.address, ADMIN.0, ADMIN.1).await;

        let working = print(
            &tools,
            &client,
            &app.address,
            &format!("/visits/{visit_id}/itinerary?official={speaker}"),
        )
        .await;
        assert!((1..=6).contains(&working.pages), "{} pages", working.pages);
        let text = flat(&working.text);
        // Each item's times, then its title, each after the item before.
        let mut last = 0;
        for (title, times) in &day {
            let times_at = text[last..]
                .find(times.as_str())
                .map(|i| i + last)
                .unwrap_or_else(|| panic!("{times} is printed after the item before:\n{text}"));
            let title_at = text[times_at..]
                .find(&flat(title))
                .map(|i| i + times_at)
                .unwrap_or_else(|| panic!("{title} is printed after {times}:\n{text}"));
            assert!(
                title_at - times_at < 200,
                "{title} is printed beside {times}"
            );
            last = title_at;
        }
        assert!(text.contains(KAZAKH_TITLE), "the Kazakh letters survive");
        assert!(text.contains("әкіммен әңгіме"));
        assert!(!text.contains(AKIMS_OWN), "nothing of the akim's day alone");
        assert!(
            text.contains("Логистика") && text.contains("+7 7"),
            "the working programme is complete"
        );

        let guest = print(
            &tools,
            &client,
            &app.address,
            &format!("/visits/{visit_id}/itinerary?official={speaker}&view=public"),
        )
        .await;
        assert!((1..=6).contains(&guest.pages), "{} pages", guest.pages);
        let text = flat(&guest.text);
        for (title, _) in &day {
            assert!(
                text.contains(&flat(title)),
                "{title} in the guest programme"
            );
        }
        for secret in ["+7 7", "Логистика", "Правила объекта"] {
            assert!(
                !text.contains(secret),
                "{secret} in the guest programme:\n{text}"
            );
        }
        assert!(!text.contains(AKIMS_OWN));
    });
}
