//! Writes a protocol office with years of history to a new SQLite file, for
//! `sapar serve` to serve under load (`scripts/load.sh`):
//!
//! ```text
//! cargo run --release --example office -- /path/sapar.db 1000
//! cargo run --release --example office -- postgres://postgres@127.0.0.1/office 1000
//! ```
//!
//! The file (or the empty PostgreSQL database) is migrated and filled as the `visit_list` benchmark fills its
//! office (1,000 visits of 30 meetings, 5,000 officials, 20,000 participants
//! in 1,000 groups, 200 venues), and gets a planner with a generated password
//! and an API token. Their credentials are printed on standard output as
//! shell assignments (`SAPAR_LOAD_EMAIL=…`, `SAPAR_LOAD_PASSWORD=…`,
//! `SAPAR_LOAD_TOKEN=…`), the only time they are shown.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};

use sapar::config::DatabaseTarget;
use sapar::db;
use sapar::domain::Language;
use sapar::services::accounts::{self, NewUserInput, Password};
use sapar::services::{tokens, Actor};

#[path = "../benches/support/office.rs"]
mod office;

/// The planner the load signs in as.
const EMAIL: &str = "load@localhost";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("office: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(path), visits) = (args.next(), args.next()) else {
        bail!("usage: office PATH/sapar.db|postgres://… [VISITS (default 1000)]");
    };
    let visits: usize = match visits {
        None => 1_000,
        Some(n) => n.parse().ok().filter(|n| *n > 0).with_context(|| {
            format!("the number of visits must be a positive number, not {n:?}")
        })?,
    };
    let target = if path.starts_with("postgres://") || path.starts_with("postgresql://") {
        DatabaseTarget::parse(&path)?
    } else {
        let path = PathBuf::from(path);
        if path.exists() {
            bail!(
                "{} exists already; the office goes into a new file",
                path.display()
            );
        }
        DatabaseTarget::Sqlite(path)
    };

    let started = std::time::Instant::now();
    let mut conn = db::establish(&target)?;
    db::run_migrations(&mut conn)?;
    if !sapar::services::programme::visits::list(&mut conn)?.is_empty() {
        bail!("{target} holds visits already; the office goes into an empty database");
    }
    office::fill_office(&mut conn, visits);

    let actor = Actor::system("office generator");
    let password = Password::generate();
    accounts::create_user(
        &mut conn,
        &actor,
        &NewUserInput {
            email: EMAIL,
            full_name: "Load",
            role: "planner",
            language: Language::Ru,
            password: &password,
        },
    )?;
    let token = tokens::create_for_email(
        &mut conn,
        &actor,
        EMAIL,
        &tokens::TokenRequest {
            label: "load".into(),
            days: None,
        },
    )?;
    eprintln!(
        "an office of {visits} visits written to {target} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    println!("SAPAR_LOAD_EMAIL={EMAIL}");
    println!("SAPAR_LOAD_PASSWORD={}", password.expose());
    println!("SAPAR_LOAD_TOKEN={}", token.secret);
    Ok(())
}
