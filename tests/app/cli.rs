//! The `sapar` binary as an operator meets it.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Output, Stdio};

use sapar::services::accounts;
use sapar::services::programme::visits;

use crate::support::TestDb;

fn sapar(env: &[(String, String)], args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sapar"));
    command
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("RUST_LOG", "warn")
        .envs(env.iter().map(|(k, v)| (k, v)));
    command
}

fn run(env: &[(String, String)], args: &[&str]) -> Output {
    sapar(env, args).output().expect("the sapar binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Asserts a failure explained on exactly one line of stderr, without a panic.
fn assert_one_line_failure(output: &Output, expected: &str) {
    let err = stderr(output);
    assert!(
        !output.status.success(),
        "expected a failure, stderr: {err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1, "one line, got: {err}");
    assert!(err.contains(expected), "expected {expected:?} in {err:?}");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
}

fn sqlite_env(dir: &std::path::Path) -> Vec<(String, String)> {
    vec![("SAPAR_DATA_DIR".into(), dir.display().to_string())]
}

#[test]
fn migrate_twice_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let env = sqlite_env(dir.path());
    let first = run(&env, &["migrate"]);
    assert!(first.status.success(), "{}", stderr(&first));
    // Every migration of the backend, on an empty database.
    let applied: usize = stdout(&first).split(' ').next().unwrap().parse().unwrap();
    let folders = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite"));
    assert_eq!(applied, folders.unwrap().count(), "{}", stdout(&first));
    let second = run(&env, &["migrate"]);
    assert!(second.status.success());
    assert!(stdout(&second).starts_with("0 migration(s) applied"));
    assert!(dir.path().join("sapar.db").exists());
    assert!(dir.path().join("secret.key").exists());
}

fn demo_twice_does_not_duplicate(db: &TestDb) {
    let env = db.env();
    let first = run(&env, &["demo"]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stdout(&first).contains("demo visit loaded"));
    let second = run(&env, &["demo"]);
    assert!(second.status.success());
    assert!(stdout(&second).contains("already loaded"));
    assert_eq!(visits::list(&mut db.conn()).unwrap().len(), 1);
}

fn users_and_tokens_from_the_command_line(db: &TestDb) {
    let env = db.env();
    let mut child = sapar(
        &env,
        &[
            "user",
            "add",
            "--email",
            "aide@senate.example.kz",
            "--role",
            "planner",
            "--password-stdin",
        ],
    )
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a long enough password\n")
        .unwrap();
    let added = child.wait_with_output().unwrap();
    assert!(added.status.success(), "{}", stderr(&added));
    assert!(!stdout(&added).contains("a long enough password"));

    let token = run(
        &env,
        &["token", "create", "--email", "aide@senate.example.kz"],
    );
    assert!(token.status.success(), "{}", stderr(&token));
    let printed = stdout(&token);
    assert_eq!(printed.lines().count(), 1, "the token alone on one line");
    let user = accounts::user_by_token(&mut db.conn(), printed.trim())
        .unwrap()
        .unwrap();
    assert_eq!(
        (user.email.as_str(), user.role.as_str()),
        ("aide@senate.example.kz", "planner")
    );

    // A generated password is printed once.
    let viewer = run(
        &env,
        &[
            "user",
            "add",
            "--email",
            "viewer@senate.example.kz",
            "--role",
            "viewer",
        ],
    );
    assert!(viewer.status.success());
    let password = stdout(&viewer)
        .lines()
        .find_map(|l| l.strip_prefix("password: ").map(str::to_owned))
        .expect("a generated password");
    let signed_in = accounts::authenticate(
        &mut db.conn(),
        "viewer@senate.example.kz",
        &accounts::Password::new(password),
    )
    .unwrap();
    assert!(signed_in.is_some());

    assert_one_line_failure(
        &run(
            &env,
            &["user", "add", "--email", "x@y.kz", "--role", "owner"],
        ),
        "role must be one of: admin, planner, viewer",
    );
    assert_one_line_failure(
        &run(&env, &["token", "create", "--email", "nobody@y.kz"]),
        "no user has this email",
    );
}

crate::on_both_backends!(
    demo_twice_does_not_duplicate,
    users_and_tokens_from_the_command_line
);

/// A running `sapar serve` and the address it printed.
struct Served {
    child: Child,
    address: String,
    printed: Vec<String>,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(env: &[(String, String)]) -> Served {
    let mut child = sapar(env, &["serve", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut printed = Vec::new();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let address = loop {
        let line = lines.next().expect("sapar serve printed its URL").unwrap();
        if let Some(url) = line.strip_prefix("Sapar is running at ") {
            break url.trim_end_matches('/').to_owned();
        }
        printed.push(line);
    };
    Served {
        child,
        address,
        printed,
    }
}

fn get(url: &str) -> (u16, String) {
    crate::support::run_async_value(async move {
        let response = reqwest::get(url).await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    })
}

#[test]
fn first_start_loads_the_demo_and_a_restart_keeps_all_data() {
    let dir = tempfile::tempdir().unwrap();
    let env = sqlite_env(dir.path());

    let first = serve(&env);
    let said = first.printed.join("\n");
    assert!(said.contains("Loaded the demo visit"), "{said}");
    assert!(
        said.contains("Created the first admin: admin@localhost, password "),
        "{said}"
    );
    assert_eq!(get(&format!("{}/healthz", first.address)).0, 200);
    let conflicts = run(&env, &["conflicts", "--visit", "1"]);
    let printed = stdout(&conflicts);
    assert_eq!(
        conflicts.status.code(),
        Some(1),
        "the demo has errors: {printed}"
    );
    assert!(
        printed.ends_with("visit 1: 3 error(s), 1 warning(s)\n"),
        "{printed}"
    );
    drop(first);

    let second = serve(&env);
    assert!(
        second.printed.is_empty(),
        "nothing to load or create: {:?}",
        second.printed
    );
    assert_eq!(get(&format!("{}/healthz", second.address)).0, 200);
    let again = run(&env, &["conflicts", "--visit", "1"]);
    assert_eq!(
        stdout(&again),
        printed,
        "the same programme after a restart"
    );
    assert_one_line_failure(
        &run(&env, &["conflicts", "--visit", "42"]),
        "visit 42 does not exist",
    );
}

#[test]
fn no_demo_starts_empty() {
    let dir = tempfile::tempdir().unwrap();
    let mut env = sqlite_env(dir.path());
    env.push(("SAPAR_ADMIN_EMAIL".into(), "chief@senate.example.kz".into()));
    env.push(("SAPAR_ADMIN_PASSWORD".into(), "chief-of-protocol".into()));
    let running = {
        let mut env = env.clone();
        env.push(("SAPAR_BIND".into(), "127.0.0.1:0".into()));
        let mut child = sapar(&env, &["serve", "--no-demo"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let lines: Vec<String> = BufReader::new(child.stdout.take().unwrap())
            .lines()
            .map_while(Result::ok)
            .take_while(|l| !l.starts_with("Sapar is running at"))
            .collect();
        let _ = child.kill();
        let _ = child.wait();
        lines
    };
    assert_eq!(
        running,
        ["Created the first admin: chief@senate.example.kz."]
    );
}

#[test]
fn bad_configuration_exits_with_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let base = sqlite_env(dir.path());
    let with = |extra: &[(&str, &str)]| {
        let mut env = base.clone();
        env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        env
    };

    assert_one_line_failure(
        &run(
            &with(&[("SAPAR_DATABASE_URL", "mysql://root@127.0.0.1/sapar")]),
            &["migrate"],
        ),
        "SAPAR_DATABASE_URL: unknown scheme 'mysql'",
    );

    assert_one_line_failure(
        &run(
            &with(&[("SAPAR_MAIL_ALLOWED_DOMAINS", "senate.gov.kz, @akimat")]),
            &["migrate"],
        ),
        "SAPAR_MAIL_ALLOWED_DOMAINS: '@akimat' is not a domain",
    );

    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, "x").unwrap();
    let unwritable = file.join("data");
    assert_one_line_failure(
        &run(
            &[("SAPAR_DATA_DIR".into(), unwritable.display().to_string())],
            &["migrate"],
        ),
        "data folder",
    );

    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    assert_one_line_failure(
        &run(&base, &["serve", "--bind", &addr]),
        &format!("cannot listen on {addr}"),
    );

    assert_one_line_failure(
        &run(
            &with(&[(
                "SAPAR_DATABASE_URL",
                "postgres://nobody:secret@127.0.0.1:1/sapar",
            )]),
            &["migrate"],
        ),
        "cannot connect to the database",
    );
    let refused = stderr(&run(
        &with(&[(
            "SAPAR_DATABASE_URL",
            "postgres://nobody:secret@127.0.0.1:1/sapar",
        )]),
        &["migrate"],
    ));
    assert!(
        !refused.contains("secret"),
        "the password never shows: {refused}"
    );

    assert_one_line_failure(
        &run(&with(&[("SAPAR_DEFAULT_LANG", "fr")]), &["migrate"]),
        "SAPAR_DEFAULT_LANG",
    );
    assert_one_line_failure(&run(&base, &["frobnicate"]), "unrecognized subcommand");
    assert_one_line_failure(&run(&base, &["user", "add", "--email", "a@b.kz"]), "--role");
}

#[test]
fn a_backup_is_consistent_while_another_connection_writes() {
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;
    use diesel::sql_types::{BigInt, Text};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    #[derive(QueryableByName)]
    struct Check {
        #[diesel(sql_type = Text)]
        integrity_check: String,
    }

    let db = TestDb::new(crate::support::Backend::Sqlite).unwrap();
    db.fresh_connection()
        .batch_execute("CREATE TABLE backup_probe (n INTEGER PRIMARY KEY, note TEXT NOT NULL)")
        .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        let target = db.target.clone();
        std::thread::spawn(move || {
            let mut conn = sapar::db::establish(&target).unwrap();
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) || n < 200 {
                n += 1;
                conn.batch_execute(&format!(
                    "INSERT INTO backup_probe (n, note) VALUES ({n}, '{}')",
                    "x".repeat(200)
                ))
                .unwrap();
            }
            n
        })
    };
    // Let the writer get going, then copy while it writes.
    let written_so_far = || {
        diesel::sql_query("SELECT COUNT(*) AS n FROM backup_probe")
            .get_result::<Count>(&mut db.fresh_connection())
            .unwrap()
            .n
    };
    while written_so_far() < 50 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let copy = db.dir.path().join("copy.db");
    let env = db.env();
    let made = run(&env, &["backup", copy.to_str().unwrap()]);
    stop.store(true, Ordering::Relaxed);
    let written = writer.join().unwrap();
    assert!(made.status.success(), "{}", stderr(&made));
    assert!(stdout(&made).starts_with("backed up "), "{}", stdout(&made));

    let mut copied = diesel::SqliteConnection::establish(copy.to_str().unwrap()).unwrap();
    let check: Vec<Check> = diesel::sql_query("PRAGMA integrity_check")
        .load(&mut copied)
        .unwrap();
    assert_eq!(check.len(), 1);
    assert_eq!(check[0].integrity_check, "ok");
    // Every row up to some point, none missing before it.
    let rows = diesel::sql_query("SELECT COUNT(*) AS n FROM backup_probe")
        .get_result::<Count>(&mut copied)
        .unwrap()
        .n;
    let highest = diesel::sql_query("SELECT COALESCE(MAX(n), 0) AS n FROM backup_probe")
        .get_result::<Count>(&mut copied)
        .unwrap()
        .n;
    assert!(rows >= 50, "{rows} rows");
    assert_eq!(rows, highest, "rows 1..={highest} with none missing");
    assert!(rows <= written);
    let migrations = diesel::sql_query("SELECT COUNT(*) AS n FROM __diesel_schema_migrations")
        .get_result::<Count>(&mut copied)
        .unwrap()
        .n;
    let folders = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite"))
        .unwrap()
        .count();
    assert_eq!(migrations as usize, folders);
    // The copy is a Sapar database: the binary opens it as one.
    let restored = vec![
        (
            "SAPAR_DATA_DIR".to_owned(),
            db.dir.path().display().to_string(),
        ),
        (
            "SAPAR_DATABASE_URL".to_owned(),
            format!("sqlite://{}", copy.display()),
        ),
    ];
    let migrated = run(&restored, &["migrate"]);
    assert!(
        stdout(&migrated).starts_with("0 migration(s) applied"),
        "{}",
        stderr(&migrated)
    );

    // An existing file is never overwritten.
    let before = std::fs::read(&copy).unwrap();
    let again = run(&env, &["backup", copy.to_str().unwrap()]);
    assert_one_line_failure(&again, "already exists");
    assert_eq!(std::fs::read(&copy).unwrap(), before);
    // Nor written into a folder that is not there.
    let nowhere = db.dir.path().join("missing/copy.db");
    assert_one_line_failure(
        &run(&env, &["backup", nowhere.to_str().unwrap()]),
        "cannot write the backup",
    );
    assert!(!nowhere.exists());
}

#[test]
fn a_postgres_backup_points_to_pg_dump() {
    let Some(db) = TestDb::new(crate::support::Backend::Postgres) else {
        return;
    };
    let file = db.dir.path().join("copy.db");
    let said = run(&db.env(), &["backup", file.to_str().unwrap()]);
    assert_eq!(said.status.code(), Some(2));
    assert!(stderr(&said).contains("pg_dump"), "{}", stderr(&said));
    assert!(stderr(&said).contains("pg_restore"), "{}", stderr(&said));
    assert!(!file.exists());
}

#[test]
fn json_logs_are_one_object_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut env = sqlite_env(dir.path());
    env.push(("SAPAR_LOG_FORMAT".into(), "json".into()));
    env.push(("RUST_LOG".into(), "info".into()));
    let mut child = sapar(&env, &["serve", "--bind", "127.0.0.1:0", "--no-demo"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let address = loop {
        let line = lines.next().expect("sapar serve printed its URL").unwrap();
        if let Some(url) = line.strip_prefix("Sapar is running at ") {
            break url.trim_end_matches('/').to_owned();
        }
    };
    assert_eq!(get(&format!("{address}/healthz")).0, 200);
    let _ = child.kill();
    let output = child.wait_with_output().unwrap();
    let logged = String::from_utf8_lossy(&output.stderr).into_owned();
    let objects: Vec<serde_json::Value> = logged
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    for object in &objects {
        for key in ["timestamp", "level", "target", "message"] {
            assert!(object.get(key).is_some(), "{key} in {object}");
        }
    }
    let request = objects
        .iter()
        .find(|o| o["target"] == "sapar::http")
        .unwrap_or_else(|| panic!("a request line in {logged}"));
    assert_eq!(request["method"], "GET");
    assert_eq!(request["path"], "/healthz");
    assert_eq!(request["status"], 200);
    assert!(request["ms"].is_number());
}

#[test]
fn an_unknown_log_format_stops_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let mut env = sqlite_env(dir.path());
    env.push(("SAPAR_LOG_FORMAT".into(), "xml".into()));
    assert_one_line_failure(
        &run(&env, &["migrate"]),
        "SAPAR_LOG_FORMAT: 'xml' is not text or json",
    );
    assert!(!dir.path().join("sapar.db").exists());
}
