//! Test fixtures: a fresh database per test on either backend, a running app,
//! and the `sapar` binary; in the submodules, a signed-in HTTP client, a real
//! SMTP server, the mailroom over it and a reader of the MIME messages it keeps.

pub mod browser;
pub mod client;
pub mod mailroom;
pub mod mime;
pub mod skips;
pub mod smtp;

use std::path::PathBuf;

use diesel::connection::SimpleConnection;
use diesel::Connection;
use sapar::app::{self, Application};
use sapar::config::{DatabaseTarget, Settings};
use sapar::db::{DbConn, DbPool, PooledConn};
use sapar::services::demo::{self, DemoOutcome};
use sapar::services::Actor;
use skips::{in_ci, Kind};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Where the tests find PostgreSQL: a server they may create databases on.
pub fn postgres_admin_url() -> String {
    std::env::var("SAPAR_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// A database of its own for one test, dropped afterwards.
pub struct TestDb {
    pub target: DatabaseTarget,
    pub dir: tempfile::TempDir,
    pool: Option<DbPool>,
    postgres_name: Option<String>,
}

impl TestDb {
    /// A migrated, empty database; `None` (after saying why) when PostgreSQL
    /// is not reachable outside CI. In CI a missing PostgreSQL fails the test.
    pub fn new(backend: Backend) -> Option<Self> {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let (target, postgres_name) = match backend {
            Backend::Sqlite => (DatabaseTarget::Sqlite(dir.path().join("sapar.db")), None),
            Backend::Postgres => {
                let admin_url = postgres_admin_url();
                let mut admin = match diesel::PgConnection::establish(&admin_url) {
                    Ok(conn) => conn,
                    Err(e) if !in_ci() => {
                        eprintln!("cannot connect to {admin_url}: {e}");
                        skips::skip(Kind::Postgres, &format!("cannot connect to {admin_url}"));
                        return None;
                    }
                    Err(e) => panic!("CI=true and PostgreSQL is unreachable at {admin_url}: {e}"),
                };
                let name = format!("sapar_test_{}", random_suffix());
                admin
                    .batch_execute(&format!("CREATE DATABASE {name}"))
                    .expect("create a test database");
                let (base, _) = admin_url.rsplit_once('/').expect("a database in the URL");
                (
                    DatabaseTarget::Postgres(format!("{base}/{name}")),
                    Some(name),
                )
            }
        };
        let settings = settings_for(&target, dir.path().to_owned());
        let (pool, _) = app::prepare(&settings, false).expect("migrated database");
        Some(Self {
            target,
            dir,
            pool: Some(pool),
            postgres_name,
        })
    }

    pub fn conn(&self) -> PooledConn {
        self.pool().get().expect("a pooled connection")
    }

    pub fn pool(&self) -> &DbPool {
        self.pool.as_ref().expect("pool open")
    }

    /// A new connection outside the pool, as a restarted process would make.
    pub fn fresh_connection(&self) -> DbConn {
        sapar::db::establish(&self.target).expect("a fresh connection")
    }

    pub fn settings(&self) -> Settings {
        settings_for(&self.target, self.dir.path().to_owned())
    }

    /// Environment for running the `sapar` binary against this database.
    pub fn env(&self) -> Vec<(String, String)> {
        let url = match &self.target {
            DatabaseTarget::Sqlite(path) => format!("sqlite://{}", path.display()),
            DatabaseTarget::Postgres(url) => url.clone(),
        };
        vec![
            (
                "SAPAR_DATA_DIR".into(),
                self.dir.path().display().to_string(),
            ),
            ("SAPAR_DATABASE_URL".into(), url),
        ]
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        drop(self.pool.take());
        if let Some(name) = &self.postgres_name {
            if let Ok(mut admin) = diesel::PgConnection::establish(&postgres_admin_url()) {
                let _ =
                    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}

fn random_suffix() -> String {
    use rand::Rng;
    let mut rng = rand::thread_rng();
    (0..12)
        .map(|_| (b'a' + rng.gen_range(0..26u8)) as char)
        .collect()
}

pub fn settings_for(target: &DatabaseTarget, data_dir: PathBuf) -> Settings {
    let mut settings = Settings::from_lookup(|_| None).expect("default settings");
    settings.data_dir = data_dir;
    settings.database = target.clone();
    settings.admin_email = Some("admin@sapar.test".into());
    settings.admin_password = Some(sapar::config::Secret::new("admin-password-for-tests"));
    settings.ensure_data_dir().expect("a writable data folder");
    settings
}

pub fn actor() -> Actor {
    Actor::system("test")
}

/// Loads the demo visit into a fresh database and gives its id.
pub fn load_demo(db: &TestDb) -> i64 {
    match demo::load(&mut db.conn()).expect("the demo loads") {
        DemoOutcome::Loaded { visit_id } => visit_id,
        DemoOutcome::AlreadyLoaded => panic!("a fresh database"),
    }
}

/// The app, listening on a free port over a test database.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
}

/// Starts the real server on port 0 inside the current actix system.
pub fn spawn_app(db: &TestDb) -> TestApp {
    spawn_app_with(db, db.settings())
}

/// `spawn_app` with settings of the test's own (say, allowed mail domains or
/// trusted proxies).
pub fn spawn_app_with(db: &TestDb, settings: Settings) -> TestApp {
    let listener = app::listen("127.0.0.1:0").expect("a free port");
    let application =
        Application::build(settings, db.pool().clone(), listener).expect("server starts");
    let address = format!("http://{}", application.addr);
    actix_web::rt::spawn(application.server);
    TestApp {
        address,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("an HTTP client"),
    }
}

/// Runs an async test body in an actix system (the server and the client share it).
pub fn run_async<F: std::future::Future<Output = ()>>(body: F) {
    actix_web::rt::System::new().block_on(body);
}

/// Declares each named test function `fn(&TestDb)` once per backend.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[test]
                fn $name() {
                    let db = $crate::support::TestDb::new($crate::support::Backend::Sqlite)
                        .expect("SQLite is always available");
                    super::$name(&db);
                }
            )+
        }
        mod postgres {
            $(
                #[test]
                fn $name() {
                    if let Some(db) = $crate::support::TestDb::new($crate::support::Backend::Postgres) {
                        super::$name(&db);
                    }
                }
            )+
        }
    };
}

/// Runs an async block to completion and gives its value.
pub fn run_async_value<T, F: std::future::Future<Output = T>>(body: F) -> T {
    actix_web::rt::System::new().block_on(body)
}
