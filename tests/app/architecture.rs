//! The dependency rule of STYLE.md, held by a test so that breaking it fails
//! the build: `web → services → {domain, db, mail}`, `db → domain`, `mail`
//! renders what it is handed, `render` and `domain` are pure.

use std::path::{Path, PathBuf};

/// The Rust files under `src/<dir>` (or the file `src/<dir>.rs`).
fn sources(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![root.join(dir)];
    let file = root.join(format!("{dir}.rs"));
    if file.exists() {
        stack.push(file);
    }
    let mut files = Vec::new();
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            let entries = std::fs::read_dir(&path).expect("a readable source folder");
            stack.extend(entries.map(|e| e.expect("a readable entry").path()));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// Every line of code (comments aside) under `src/<dir>` that names one of
/// `forbidden`.
fn offenders(dir: &str, forbidden: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for path in sources(dir) {
        let source = std::fs::read_to_string(&path).expect("a readable source file");
        for (n, line) in source.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if let Some(word) = forbidden.iter().find(|word| code.contains(*word)) {
                found.push(format!(
                    "{}:{}: {word}: {}",
                    path.display(),
                    n + 1,
                    line.trim()
                ));
            }
        }
    }
    found
}

fn assert_layer(dir: &str, rule: &str, forbidden: &[&str]) {
    let found = offenders(dir, forbidden);
    assert!(found.is_empty(), "{rule}:\n{}", found.join("\n"));
}

#[test]
fn the_domain_uses_no_database_http_mail_templates_or_wording() {
    assert_layer(
        "domain",
        "src/domain must stay pure (std, chrono, chrono-tz, serde, thiserror)",
        &[
            "diesel",
            "actix",
            "lettre",
            "askama",
            "crate::db",
            "crate::web",
            "crate::services",
            "crate::mail",
            "crate::render",
            "crate::i18n",
            "crate::config",
        ],
    );
}

#[test]
fn the_render_module_is_pure_too() {
    assert_layer(
        "render",
        "src/render makes documents from domain values only",
        &[
            "diesel",
            "actix",
            "lettre",
            "crate::db",
            "crate::web",
            "crate::services",
            "crate::mail",
            "crate::config",
        ],
    );
}

#[test]
fn the_web_layer_reaches_storage_only_through_the_services() {
    assert_layer(
        "web",
        "src/web must call services, never the database",
        &["crate::db", "diesel"],
    );
}

#[test]
fn nothing_below_the_web_layer_knows_of_it() {
    for dir in ["services", "mail", "db", "domain", "render", "i18n"] {
        assert_layer(
            dir,
            &format!("src/{dir} must not depend on the web layer"),
            &["crate::web", "actix_web", "actix-web"],
        );
    }
}

#[test]
fn the_database_layer_knows_only_the_domain() {
    assert_layer(
        "db",
        "src/db depends on the domain only",
        &[
            "crate::services",
            "crate::mail",
            "crate::i18n",
            "crate::render",
        ],
    );
}

#[test]
fn the_wording_the_documents_and_the_mail_are_handed_what_they_show() {
    for dir in ["i18n", "mail", "render"] {
        assert_layer(
            dir,
            &format!(
                "src/{dir} is handed what it shows; it reads no storage and calls no use case"
            ),
            &["crate::services", "crate::db", "diesel"],
        );
    }
}

/// The rule above can fail: a forbidden word in a scanned file is found.
#[test]
fn the_layer_check_finds_a_forbidden_word() {
    let found = offenders("web", &["actix_web"]);
    assert!(!found.is_empty(), "the web layer does use actix_web");
}

/// A page handler gets a posted form only through `CsrfForm`/`CsrfFields`,
/// which check the session's token, or `VisitorForm`, which checks the
/// pre-session token of a form shown signed out; the sign-in form checks its
/// own.
#[test]
fn page_forms_come_only_through_the_csrf_checked_extractors() {
    let found: Vec<String> = offenders("web/pages", &["web::Form<", "web::Bytes", "Form<"])
        .into_iter()
        .filter(|line| {
            !line.contains("CsrfForm<")
                && !line.contains("VisitorForm<")
                && !line.contains("LoginForm")
        })
        .collect();
    assert!(
        found.is_empty(),
        "take CsrfForm<T> or CsrfFields instead:\n{}",
        found.join("\n")
    );
}
