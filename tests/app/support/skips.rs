//! Tests that cannot run here (no PostgreSQL, no Chromium or chromedriver, no
//! poppler-utils) pass without doing anything; each says why in its captured
//! output and is counted here, and when the test binary ends one line on
//! standard error names them all, e.g.
//!
//! `skipped: 117 PostgreSQL tests (cannot connect to postgres://…), 8 browser tests (no /usr/bin/chromedriver)`
//!
//! libtest captures what the tests print and offers no hook after the last
//! test, so the line is written by a C `atexit` handler, registered with the
//! first skip: it runs after libtest's own summary, whether the run passed or
//! failed. Under `CI=true` nothing may skip: the callers panic instead.

use std::io::Write;
use std::sync::{Mutex, Once};

/// What kind of test was skipped, and why, in the order first seen.
static SKIPPED: Mutex<Vec<(Kind, String, usize)>> = Mutex::new(Vec::new());
static AT_EXIT: Once = Once::new();

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Postgres,
    Browser,
    Print,
    Checker,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Postgres => "PostgreSQL",
            Kind::Browser => "browser",
            Kind::Print => "PDF printing",
            Kind::Checker => "HTML or accessibility checker",
        }
    }
}

extern "C" {
    fn atexit(callback: extern "C" fn()) -> std::ffi::c_int;
}

/// Whether the tests run under CI, where nothing may skip.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Records that one test of `kind` did not run because of `why` (short: it
/// is repeated in the summary line), and says so in the test's own output.
pub fn skip(kind: Kind, why: &str) {
    eprintln!("skipping a {} test: {why}", kind.name());
    AT_EXIT.call_once(|| {
        // SAFETY: `atexit` only stores the pointer of a function that lives as
        // long as the program; the handler touches nothing torn down before it.
        unsafe {
            atexit(print_summary);
        }
    });
    let mut skipped = SKIPPED.lock().unwrap_or_else(|p| p.into_inner());
    match skipped.iter_mut().find(|(k, w, _)| *k == kind && w == why) {
        Some((_, _, count)) => *count += 1,
        None => skipped.push((kind, why.to_owned(), 1)),
    }
}

/// The summary line, `None` when nothing was skipped.
pub fn summary() -> Option<String> {
    let skipped = SKIPPED.lock().unwrap_or_else(|p| p.into_inner());
    if skipped.is_empty() {
        return None;
    }
    let parts: Vec<String> = skipped
        .iter()
        .map(|(kind, why, count)| {
            let tests = if *count == 1 { "test" } else { "tests" };
            format!("{count} {} {tests} ({why})", kind.name())
        })
        .collect();
    Some(format!("skipped: {}", parts.join(", ")))
}

extern "C" fn print_summary() {
    if let Some(line) = summary() {
        let _ = writeln!(std::io::stderr(), "\n{line}\n");
    }
}
