//! Headless Chromium driven over WebDriver, for the tests of what only a
//! browser shows (`browser.rs`) and of what outside checkers find in a page
//! (`conformance.rs`).
//!
//! Each test starts its own chromedriver on a free port and its own app over
//! its database. Without Chromium or chromedriver (Debian's `chromium` and
//! `chromium-driver`) a test says "skipping a browser test: …" and passes,
//! counted in the line `support::skips` prints at the end, except with
//! CI=true, where it fails. `SAPAR_CHROMIUM` and `SAPAR_CHROMEDRIVER` point at
//! other binaries.

use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::pin::pin;
use std::process::{Child, Command, Stdio};
use std::task::Poll;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

use sapar::config::Settings;

use crate::support::skips::{self, in_ci, Kind};
use crate::support::{run_async, spawn_app_with, TestApp, TestDb};

pub const CHROME_ARGS: [&str; 6] = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--window-size=1400,1000",
];
pub const WINDOW: (u32, u32) = (1400, 1000);
/// A phone held upright.
pub const PHONE: (u32, u32) = (390, 844);
/// How long a page may take to arrive after a click.
pub const PATIENCE: Duration = Duration::from_secs(15);

pub struct BrowserTools {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
}

/// Chromium and chromedriver, or `None` after saying which is missing
/// (outside CI; in CI a missing one fails the test).
pub fn browser_tools() -> Option<BrowserTools> {
    let path = |variable: &str, default: &str| {
        std::env::var_os(variable)
            .filter(|v| !v.is_empty())
            .map_or_else(|| PathBuf::from(default), PathBuf::from)
    };
    let tools = BrowserTools {
        chromium: path("SAPAR_CHROMIUM", "/usr/bin/chromium"),
        chromedriver: path("SAPAR_CHROMEDRIVER", "/usr/bin/chromedriver"),
    };
    let missing: Vec<String> = [&tools.chromium, &tools.chromedriver]
        .into_iter()
        .filter(|p| !p.is_file())
        .map(|p| p.display().to_string())
        .collect();
    if missing.is_empty() {
        return Some(tools);
    }
    let why = format!("no {}", missing.join(" and "));
    let hint =
        "Debian packages chromium and chromium-driver; or set SAPAR_CHROMIUM / SAPAR_CHROMEDRIVER";
    if in_ci() {
        panic!("CI=true and {why} ({hint})");
    }
    eprintln!("{hint}");
    skips::skip(Kind::Browser, &why);
    None
}

/// A chromedriver of this test's own, killed when dropped.
pub struct Chromedriver {
    process: Child,
    url: String,
}

impl Chromedriver {
    /// Starts chromedriver on a free port and waits until it says it is ready.
    /// A port taken between choosing and binding it means another try.
    pub async fn start(binary: &Path) -> Self {
        let http = reqwest::Client::new();
        for _ in 0..3 {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .expect("a free port")
                .port();
            let process = Command::new(binary)
                .arg(format!("--port={port}"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
            let mut driver = Self {
                process,
                url: format!("http://127.0.0.1:{port}"),
            };
            let deadline = Instant::now() + Duration::from_secs(20);
            while Instant::now() < deadline {
                let status = http.get(format!("{}/status", driver.url)).send().await;
                if let Ok(answer) = status {
                    let ready = answer
                        .json::<Value>()
                        .await
                        .ok()
                        .and_then(|v| v["value"]["ready"].as_bool());
                    if ready == Some(true) {
                        return driver;
                    }
                }
                if let Ok(Some(_)) = driver.process.try_wait() {
                    break;
                }
                actix_web::rt::time::sleep(Duration::from_millis(50)).await;
            }
        }
        panic!("{} never answered on its port", binary.display());
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// Runs `scenario` against the app over `db` in a fresh headless Chromium, and
/// closes the browser whatever happens (a panic is raised again afterwards).
pub fn in_browser(db: &TestDb, scenario: impl AsyncFnOnce(&Browser)) {
    in_browser_with(db, db.settings(), scenario);
}

/// [`in_browser`] with the app's settings of the test's own (an SMTP server);
/// `false` when the test is skipped (no Chromium), so it checks nothing more.
pub fn in_browser_with(
    db: &TestDb,
    settings: Settings,
    scenario: impl AsyncFnOnce(&Browser),
) -> bool {
    let Some(tools) = browser_tools() else {
        return false;
    };
    run_async(async {
        let driver = Chromedriver::start(&tools.chromedriver).await;
        let capabilities = json!({
            "browserName": "chrome",
            // An alert left open stays open, so a test can see that one fired.
            "unhandledPromptBehavior": "ignore",
            "goog:chromeOptions": {
                "binary": tools.chromium,
                "args": CHROME_ARGS,
            },
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!("an object literal")
        };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&driver.url)
            .await
            .expect("a Chromium session");
        let browser = Browser {
            client,
            app: spawn_app_with(db, settings),
        };
        let outcome = catching(scenario(&browser)).await;
        // Closing the session is what stops Chromium; killing chromedriver would orphan it.
        let _ = browser.client.clone().close().await;
        drop(driver);
        if let Err(panic) = outcome {
            panic::resume_unwind(panic);
        }
    });
    true
}

/// `body`'s panic as an `Err`, so the browser can be closed before it goes on.
pub async fn catching<F: Future>(body: F) -> std::thread::Result<F::Output> {
    let mut body = pin!(body);
    std::future::poll_fn(move |cx| {
        match panic::catch_unwind(AssertUnwindSafe(|| body.as_mut().poll(cx))) {
            Ok(Poll::Ready(value)) => Poll::Ready(Ok(value)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(panic) => Poll::Ready(Err(panic)),
        }
    })
    .await
}

/// A browser pointed at the app, with the steps a person takes.
pub struct Browser {
    pub client: Client,
    pub app: TestApp,
}

impl Browser {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.app.address)
    }

    pub async fn visit(&self, path: &str) {
        self.client
            .goto(&self.url(path))
            .await
            .unwrap_or_else(|e| panic!("open {path}: {e}"));
    }

    pub async fn path(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("the current URL")
            .path()
            .to_owned()
    }

    pub async fn find(&self, css: &str) -> Element {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css} on the page: {e}"))
    }

    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        self.client
            .find_all(Locator::Css(css))
            .await
            .expect("a search")
    }

    pub async fn has(&self, css: &str) -> bool {
        !self.find_all(css).await.is_empty()
    }

    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.expect("text")
    }

    pub async fn value(&self, css: &str) -> String {
        self.find(css)
            .await
            .prop("value")
            .await
            .expect("a value")
            .unwrap_or_default()
    }

    pub async fn attr(&self, css: &str, name: &str) -> Option<String> {
        self.find(css).await.attr(name).await.expect("an attribute")
    }

    pub async fn script(&self, js: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(js, args)
            .await
            .unwrap_or_else(|e| panic!("script {js}: {e}"))
    }

    /// Types into a field, replacing what it held.
    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field.clear().await.expect("a field to clear");
        field.send_keys(text).await.expect("a field to type into");
    }

    /// A `datetime-local` or `time` field's value. Typed keys go through
    /// Chromium's segmented editor, whose order and AM/PM follow the browser's
    /// locale, so the value is set as the field's own picker would set it.
    pub async fn set_clock_value(&self, css: &str, value: &str) {
        let field = self.find(css).await;
        let field = serde_json::to_value(&field).expect("an element reference");
        self.script(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
            vec![field, json!(value)],
        )
        .await;
        assert_eq!(self.value(css).await, value, "{css} takes {value}");
    }

    /// Clicks, and waits until the page the click leads to has loaded.
    pub async fn click_and_load(&self, target: &Element) {
        self.script("document.documentElement.dataset.leaving = 'yes';", vec![])
            .await;
        target.click().await.expect("a click");
        self.wait_for_next_page().await;
    }

    /// Types into a field and presses Enter, and waits for the page that leads to.
    pub async fn type_and_enter(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field.clear().await.expect("a field to clear");
        self.script("document.documentElement.dataset.leaving = 'yes';", vec![])
            .await;
        field
            .send_keys(&format!("{text}\u{E007}"))
            .await
            .expect("a field to type into");
        self.wait_for_next_page().await;
    }

    /// Waits until the page marked as being left has given way to a new one.
    pub async fn wait_for_next_page(&self) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let arrived = self
                .client
                .execute(
                    "return document.readyState === 'complete' && !document.documentElement.dataset.leaving;",
                    vec![],
                )
                .await
                .is_ok_and(|v| v == Value::Bool(true));
            if arrived {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "no new page after a click or Enter"
            );
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Presses the form's submit button (not a picker's find button).
    pub async fn submit(&self, form: &str) {
        let button = self
            .find(&format!("{form} button[type=submit]:not([name=_find])"))
            .await;
        self.click_and_load(&button).await;
    }

    /// Signs in through the form the app redirected to.
    pub async fn sign_in(&self, (email, password): (&str, &str)) {
        assert_eq!(self.path().await, "/login");
        self.fill("#email", email).await;
        self.fill("#password", password).await;
        self.submit("form[action='/login']").await;
        assert_ne!(self.path().await, "/login", "signed in as {email}");
    }

    /// Adds a venue through its form, as a planner would.
    pub async fn add_venue(
        &self,
        name: &str,
        timezone: &str,
        capacity: &str,
        hours: Option<(&str, &str)>,
    ) {
        self.visit("/venues").await;
        self.click_and_load(&self.find("a[href='/venues/new']").await)
            .await;
        self.fill("#f-name", name).await;
        self.fill("#f-timezone", timezone).await;
        self.fill("#f-capacity", capacity).await;
        if let Some((opens, closes)) = hours {
            self.set_clock_value("#f-opens", opens).await;
            self.set_clock_value("#f-closes", closes).await;
        }
        self.submit("form.entity").await;
        assert_eq!(self.path().await, "/venues", "the venue {name} is saved");
    }

    /// The first element matching `css` whose text mentions `text`.
    pub async fn row_of(&self, css: &str, text: &str) -> Element {
        for element in self.find_all(css).await {
            if element.text().await.expect("text").contains(text) {
                return element;
            }
        }
        panic!("no {css} mentions {text:?}");
    }

    /// Leaves only `name` ticked among the meeting form's officials.
    pub async fn only_official(&self, name: &str) {
        let mut found = false;
        for choice in self.find_all("#f-official_ids label.choice").await {
            let label = choice.text().await.expect("label text");
            let checkbox = choice
                .find(Locator::Css("input[name=official_ids]"))
                .await
                .expect("a checkbox");
            let wanted = label.contains(name);
            found |= wanted;
            if checkbox.is_selected().await.expect("checked or not") != wanted {
                checkbox.click().await.expect("a tick");
            }
        }
        assert!(found, "{name} is among the officials to choose");
        assert_eq!(
            self.find_all("input[name=official_ids]:checked")
                .await
                .len(),
            1
        );
    }

    /// The meeting a save redirected to: `/visits/1#m42` gives 42.
    pub async fn meeting_in_fragment(&self) -> i64 {
        let url = self.client.current_url().await.expect("the current URL");
        url.fragment()
            .and_then(|f| f.strip_prefix('m'))
            .and_then(|id| id.parse().ok())
            .unwrap_or_else(|| panic!("a meeting anchor in {url}"))
    }

    /// The stroke of every timeline bar whose tooltip starts with `title`.
    pub async fn bar_strokes(&self, title: &str) -> Vec<String> {
        let strokes = self
            .script(
                r#"return [...document.querySelectorAll('figure.timeline g')]
                    .filter(g => g.querySelector(':scope > title')?.textContent.startsWith(arguments[0]))
                    .map(g => g.querySelector(':scope > rect')?.getAttribute('stroke'));"#,
                vec![json!(title)],
            )
            .await;
        serde_json::from_value(strokes).expect("a list of strokes")
    }

    /// No alert is open and no element the page was given as text became a script.
    pub async fn assert_nothing_ran(&self) {
        match self.client.get_alert_text().await {
            Err(e) if e.is_no_such_alert() => {}
            Ok(text) => panic!("an alert fired: {text:?}"),
            Err(e) => panic!("asking for an alert: {e}"),
        }
        let counts = self
            .script(
                "return ['script', 'img', '[onerror]', '[onmouseover]'].map(s => document.querySelectorAll(s).length);",
                vec![],
            )
            .await;
        assert_eq!(
            counts,
            json!([0, 0, 0, 0]),
            "script, img and handler elements on the page"
        );
    }

    /// A picture of the whole page (the window stretched to its height) in `target/screenshots/`.
    pub async fn photograph_page(&self, file: &str) {
        let height = self
            .script(
                "return document.documentElement.scrollHeight + (window.outerHeight - window.innerHeight);",
                vec![],
            )
            .await
            .as_u64()
            .expect("a page height");
        let height = u32::try_from(height)
            .unwrap_or(u32::MAX)
            .clamp(WINDOW.1, 16_000);
        self.client
            .set_window_size(WINDOW.0, height)
            .await
            .expect("a taller window");
        let png = self.client.screenshot().await.expect("a screenshot");
        self.client
            .set_window_size(WINDOW.0, WINDOW.1)
            .await
            .expect("the window back");
        save_screenshot(file, &png);
    }

    /// A picture of what a phone held upright shows (390×844), in `target/screenshots/`.
    pub async fn photograph_phone(&self, file: &str) {
        self.client
            .set_window_size(PHONE.0, PHONE.1)
            .await
            .expect("a phone-sized window");
        // The window's frame takes from the page: make the page itself 390×844.
        let inner = self
            .script("return [window.innerWidth, window.innerHeight];", vec![])
            .await;
        let (w, h) = (
            inner[0].as_u64().unwrap_or(u64::from(PHONE.0)) as u32,
            inner[1].as_u64().unwrap_or(u64::from(PHONE.1)) as u32,
        );
        self.client
            .set_window_size(PHONE.0 * 2 - w, PHONE.1 * 2 - h)
            .await
            .expect("a phone-sized page");
        let png = self.client.screenshot().await.expect("a screenshot");
        self.client
            .set_window_size(WINDOW.0, WINDOW.1)
            .await
            .expect("the window back");
        save_screenshot(file, &png);
    }

    /// A picture of one element in `target/screenshots/`.
    pub async fn photograph(&self, css: &str, file: &str) {
        let png = self
            .find(css)
            .await
            .screenshot()
            .await
            .expect("a screenshot");
        save_screenshot(file, &png);
    }
}

pub fn save_screenshot(file: &str, png: &[u8]) {
    assert!(png.starts_with(b"\x89PNG"), "{file} is a PNG");
    // CARGO_TARGET_TMPDIR is `<target>/tmp`: the pictures go beside it.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("a target folder");
    let folder = target.join("screenshots");
    std::fs::create_dir_all(&folder).expect("a screenshots folder");
    std::fs::write(folder.join(file), png).expect("a screenshot saved");
}
