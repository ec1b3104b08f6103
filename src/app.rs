//! Starting Sapar: preparing the database (migrations, demo, first admin) and
//! building the server. `main` and the tests start it the same way.

use std::net::{SocketAddr, TcpListener};

use actix_web::dev::Server;

use crate::config::Settings;
use crate::db::{self, DbError, DbPool};
use crate::services::accounts::{self, NewUserInput, Password};
use crate::services::{demo, Actor, ServiceError};
use crate::web::{self, AppState};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Database(#[from] DbError),
    #[error(transparent)]
    Service(#[from] ServiceError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
}

/// What the first start of an empty database did.
#[derive(Debug, Default)]
pub struct Prepared {
    pub migrations_run: usize,
    pub demo_visit_id: Option<i64>,
    /// The first admin's email and, when generated, the password to print once.
    pub first_admin: Option<(String, Option<String>)>,
}

/// Opens the pool and runs migrations; on an empty database loads the demo
/// (when asked) and creates the first admin.
pub fn prepare(settings: &Settings, load_demo: bool) -> Result<(DbPool, Prepared), StartError> {
    let pool = db::pool(&settings.database)?;
    let mut conn = pool.get().map_err(DbError::Pool)?;
    let mut prepared = Prepared {
        migrations_run: db::run_migrations(&mut conn)?,
        ..Prepared::default()
    };
    if load_demo && db::repo::count_visits(&mut conn).map_err(DbError::Query)? == 0 {
        if let demo::DemoOutcome::Loaded { visit_id } = demo::load(&mut conn)? {
            prepared.demo_visit_id = Some(visit_id);
        }
    }
    if accounts::count_users(&mut conn)? == 0 {
        let email = settings
            .admin_email
            .clone()
            .unwrap_or_else(|| "admin@localhost".to_owned());
        let (password, generated) = match &settings.admin_password {
            Some(p) => (Password::new(p.expose()), false),
            None => (Password::generate(), true),
        };
        accounts::create_user(
            &mut conn,
            &Actor::system("first start"),
            &NewUserInput {
                email: &email,
                full_name: "",
                role: "admin",
                language: settings.default_language,
                password: &password,
            },
        )?;
        prepared.first_admin = Some((email, generated.then(|| password.expose().to_owned())));
    }
    Ok((pool, prepared))
}

/// A bound, not yet awaited server and the address it listens on.
pub struct Application {
    pub addr: SocketAddr,
    pub server: Server,
}

/// Takes the address first, so a taken port is reported before any other work.
pub fn listen(bind: &str) -> Result<TcpListener, StartError> {
    web::listen(bind).map_err(|source| StartError::Bind {
        addr: bind.to_owned(),
        source,
    })
}

impl Application {
    pub fn build(
        settings: Settings,
        pool: DbPool,
        listener: TcpListener,
    ) -> Result<Self, StartError> {
        let addr = listener.local_addr().map_err(|source| StartError::Bind {
            addr: settings.bind.clone(),
            source,
        })?;
        let bind_error = |source| StartError::Bind {
            addr: addr.to_string(),
            source,
        };
        let state = AppState::new(pool, settings);
        let server = web::server(state, listener).map_err(bind_error)?;
        Ok(Self { addr, server })
    }
}
