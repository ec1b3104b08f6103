//! The `sapar` command: parse the command line, load the settings, run the command.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};

use sapar::app::{self, Application};
use sapar::config::{DatabaseTarget, LogFormat, Settings};
use sapar::db;
use sapar::mail::transport::Transport;
use sapar::services::accounts::{self, NewUserInput, Password};
use sapar::services::outbox as worker;
use sapar::services::{demo, tokens, users, Actor};

#[derive(Parser)]
#[command(
    name = "sapar",
    version,
    about = "Sapar: planning official regional visits"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run migrations, load the demo on an empty database, and serve the web app.
    Serve {
        /// Address to listen on (overrides SAPAR_BIND).
        #[arg(long)]
        bind: Option<String>,
        /// Do not load the demo visit into an empty database.
        #[arg(long)]
        no_demo: bool,
    },
    /// Run pending migrations and exit.
    Migrate,
    /// Load the demo visit into the configured database (once).
    Demo,
    /// Manage staff users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Print a visit's conflicts; exit status 1 if any is an error.
    Conflicts {
        #[arg(long)]
        visit: i64,
    },
    /// The email outbox.
    Outbox {
        #[command(subcommand)]
        command: OutboxCommand,
    },
    /// Copy the SQLite database to FILE while the server runs (on PostgreSQL,
    /// use pg_dump).
    Backup {
        /// Where to write the copy; must not exist yet.
        file: std::path::PathBuf,
    },
    /// Print the API's OpenAPI 3 document (as served at /api/v1/openapi.json).
    Openapi,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a staff user; prints a generated password unless --password-stdin.
    Add {
        #[arg(long)]
        email: String,
        /// admin, planner or viewer
        #[arg(long)]
        role: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        #[arg(long, default_value = "")]
        name: String,
    },
    /// Disable a user: their sessions end and their API tokens stop at once.
    Disable {
        #[arg(long)]
        email: String,
    },
    /// Enable a disabled user again.
    Enable {
        #[arg(long)]
        email: String,
    },
    /// Set a user's password and end every session of theirs; prints a
    /// generated password unless --password-stdin.
    Password {
        #[arg(long)]
        email: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Subcommand)]
enum OutboxCommand {
    /// Send every due message once and exit.
    Send,
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Print a new API token for the user, alone on one line.
    Create {
        #[arg(long)]
        email: String,
        /// The token expires after this many days (default: until revoked).
        #[arg(long)]
        days: Option<i64>,
        /// A name for the token, to tell it apart from the user's others.
        #[arg(long, default_value = "")]
        label: String,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // clap explains over several lines; the first paragraph, on one line.
            let text = e.to_string();
            let line = text
                .lines()
                .take_while(|l| !l.trim().is_empty())
                .map(str::trim)
                .collect::<Vec<_>>()
                .join(" ");
            eprintln!(
                "sapar: {} (see sapar --help)",
                line.trim_start_matches("error: ")
            );
            return ExitCode::from(2);
        }
    };
    match LogFormat::from_env() {
        Ok(format) => sapar::logging::init(format),
        Err(e) => {
            eprintln!("sapar: {e}");
            return ExitCode::FAILURE;
        }
    }
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sapar: {}", one_line(&e));
            ExitCode::FAILURE
        }
    }
}

/// The whole cause chain on one line, each cause said once: an error that
/// already quotes its cause's text (as "invalid input: …" does) does not get it
/// again.
fn one_line(error: &anyhow::Error) -> String {
    let mut message = error.to_string();
    for cause in error.chain().skip(1) {
        let cause = cause.to_string();
        if !message.contains(&cause) {
            message = format!("{message}: {cause}");
        }
    }
    message.replace(['\r', '\n'], " ")
}

fn settings() -> anyhow::Result<Settings> {
    let mut settings = Settings::from_env()?;
    settings.ensure_data_dir()?;
    Ok(settings)
}

fn connect(settings: &Settings) -> anyhow::Result<db::DbConn> {
    let mut conn = db::establish(&settings.database)?;
    db::run_migrations(&mut conn)?;
    Ok(conn)
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve {
        bind: None,
        no_demo: false,
    }) {
        Command::Serve { bind, no_demo } => serve(settings()?, bind, !no_demo),
        Command::Migrate => {
            let settings = settings()?;
            let mut conn = db::establish(&settings.database)?;
            let ran = db::run_migrations(&mut conn)?;
            println!("{ran} migration(s) applied to {}", settings.database);
            Ok(())
        }
        Command::Demo => {
            let mut conn = connect(&settings()?)?;
            match demo::load(&mut conn)? {
                demo::DemoOutcome::Loaded { visit_id } => {
                    println!("demo visit loaded (visit {visit_id})")
                }
                demo::DemoOutcome::AlreadyLoaded => {
                    println!("the demo visit is already loaded; nothing changed")
                }
            }
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Add {
                    email,
                    role,
                    password_stdin,
                    name,
                },
        } => {
            let settings = settings()?;
            let password = password_from(password_stdin)?;
            let mut conn = connect(&settings)?;
            let user = accounts::create_user(
                &mut conn,
                &Actor::system("command line"),
                &NewUserInput {
                    email: &email,
                    full_name: &name,
                    role: &role,
                    language: settings.default_language,
                    password: &password,
                },
            )?;
            println!("user {} created ({})", user.email, user.role);
            if !password_stdin {
                println!("password: {}", password.expose());
            }
            Ok(())
        }
        Command::User {
            command: UserCommand::Disable { email },
        } => {
            let mut conn = connect(&settings()?)?;
            let user = users::by_email(&mut conn, &email)?;
            users::disable(&mut conn, &Actor::system("command line"), user.id)?;
            println!("user {} disabled", user.email);
            Ok(())
        }
        Command::User {
            command: UserCommand::Enable { email },
        } => {
            let mut conn = connect(&settings()?)?;
            let user = users::by_email(&mut conn, &email)?;
            users::enable(&mut conn, &Actor::system("command line"), user.id)?;
            println!("user {} enabled", user.email);
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Password {
                    email,
                    password_stdin,
                },
        } => {
            let password = password_from(password_stdin)?;
            let mut conn = connect(&settings()?)?;
            let user = users::by_email(&mut conn, &email)?;
            let ended = users::set_password(
                &mut conn,
                &Actor::system("command line"),
                user.id,
                &password,
            )?;
            println!("password of {} set; {ended} session(s) ended", user.email);
            if !password_stdin {
                println!("password: {}", password.expose());
            }
            Ok(())
        }
        Command::Conflicts { visit } => {
            let settings = settings()?;
            let mut conn = connect(&settings)?;
            let found =
                sapar::services::conflicts::of_visit(&mut conn, visit, settings.engine.clone())?;
            let words = found.describe(settings.default_language);
            let mut out = std::io::stdout().lock();
            for (conflict, sentence) in found.conflicts.iter().zip(&words) {
                let ids: Vec<String> = conflict
                    .meeting_ids
                    .iter()
                    .map(|id| id.to_string())
                    .collect();
                writeln!(
                    out,
                    "{:<7} {:<26} meetings {:<12} {sentence}",
                    conflict.severity.as_str(),
                    conflict.kind.as_str(),
                    ids.join(",")
                )?;
            }
            writeln!(
                out,
                "visit {visit}: {} error(s), {} warning(s)",
                found.errors(),
                found.warnings()
            )?;
            if found.errors() > 0 {
                // Scripts read the status: 1 when the programme cannot run as planned.
                out.flush()?;
                std::process::exit(1);
            }
            Ok(())
        }
        Command::Outbox {
            command: OutboxCommand::Send,
        } => {
            let settings = settings()?;
            let pool = db::pool(&settings.database)?;
            let mut conn = pool.get().map_err(db::DbError::Pool)?;
            db::run_migrations(&mut conn)?;
            drop(conn);
            let transport = Transport::from_settings(&settings)?;
            let round = worker::send_due(&pool, &transport, &settings.mail_from)?;
            println!(
                "{} sent, {} to retry later, {} failed",
                round.sent, round.retrying, round.failed
            );
            Ok(())
        }
        Command::Backup { file } => backup(&file),
        Command::Openapi => {
            let document = serde_json::to_string_pretty(&sapar::web::api::openapi_json())?;
            println!("{document}");
            Ok(())
        }
        Command::Token {
            command: TokenCommand::Create { email, days, label },
        } => {
            let mut conn = connect(&settings()?)?;
            let made = tokens::create_for_email(
                &mut conn,
                &Actor::system("command line"),
                &email,
                &tokens::TokenRequest { label, days },
            )?;
            let mut out = std::io::stdout().lock();
            writeln!(out, "{}", made.secret)?;
            Ok(())
        }
    }
}

/// `sapar backup FILE`: a consistent copy of the SQLite database, made with
/// `VACUUM INTO` while the server may be writing. PostgreSQL has its own tool,
/// said so with exit status 2.
fn backup(file: &std::path::Path) -> anyhow::Result<()> {
    let settings = Settings::from_env()?;
    let DatabaseTarget::Sqlite(database) = &settings.database else {
        eprintln!(
            "sapar: the database is PostgreSQL: back it up with pg_dump \
             (pg_dump -Fc \"$SAPAR_DATABASE_URL\" > sapar.dump; restore with pg_restore)"
        );
        // Scripts read the status: 2, nothing was done and nothing failed.
        std::process::exit(2);
    };
    if !database.exists() {
        bail!("no database at {} to back up", database.display());
    }
    if file.exists() || file.is_symlink() {
        bail!("{} already exists; choose a new file name", file.display());
    }
    let mut conn = db::establish(&settings.database)?;
    db::vacuum_into(&mut conn, file)
        .with_context(|| format!("cannot write the backup to {}", file.display()))?;
    let bytes = std::fs::metadata(file)?.len();
    println!(
        "backed up {} to {} ({bytes} bytes)",
        database.display(),
        file.display()
    );
    Ok(())
}

/// The first line of standard input, or a generated password.
fn password_from(stdin: bool) -> anyhow::Result<Password> {
    if !stdin {
        return Ok(Password::generate());
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    let line = line.trim_end_matches(['\r', '\n']);
    if line.is_empty() {
        bail!("no password on standard input");
    }
    Ok(Password::new(line))
}

fn serve(settings: Settings, bind: Option<String>, load_demo: bool) -> anyhow::Result<()> {
    let bind = bind.unwrap_or_else(|| settings.bind.clone());
    let listener = app::listen(&bind)?;
    let (pool, prepared) = app::prepare(&settings, load_demo)?;
    tracing::info!(
        database = %settings.database,
        migrations = prepared.migrations_run,
        "database ready"
    );
    if let Some(visit_id) = prepared.demo_visit_id {
        println!("Loaded the demo visit (visit {visit_id}).");
    }
    if let Some((email, password)) = &prepared.first_admin {
        match password {
            Some(password) => println!(
                "Created the first admin: {email}, password {password} (shown once; keep it safe)."
            ),
            None => println!("Created the first admin: {email}."),
        }
    }
    let transport = Transport::from_settings(&settings)?;
    worker::spawn(
        pool.clone(),
        transport,
        settings.mail_from.clone(),
        std::time::Duration::from_millis(settings.outbox_poll_ms),
    );
    actix_web::rt::System::new().block_on(async move {
        let application = Application::build(settings, pool, listener)?;
        println!("Sapar is running at http://{}/", application.addr);
        let _ = std::io::stdout().flush();
        application.server.await.context("the web server stopped")
    })
}
