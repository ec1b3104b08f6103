//! Storage: one diesel code path over SQLite and PostgreSQL.
//!
//! `DbConn` is a `MultiConnection`; queries are written once against it. Only
//! what diesel cannot express portably (`RETURNING`, connection set-up,
//! migrations) matches on the variant, in this module.

pub mod calendar_repo;
pub mod outbox_repo;
pub mod repo;
pub mod rows;
pub mod schema;

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection, R2D2Connection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::config::DatabaseTarget;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Postgres(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

pub type DbPool = r2d2::Pool<DbManager>;
pub type PooledConn = r2d2::PooledConnection<DbManager>;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot connect to the database: {0}")]
    Connect(String),
    #[error("no database connection is free: {0}")]
    Pool(#[from] r2d2::PoolError),
    #[error("migration failed: {0}")]
    Migration(String),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    #[error("{0}")]
    Unsupported(&'static str),
}

/// Opens connections for the pool, choosing the backend from the target rather
/// than from the URL text, so a refused PostgreSQL connection reports its real
/// cause.
#[derive(Debug, Clone)]
pub struct DbManager {
    target: DatabaseTarget,
}

impl DbManager {
    pub fn new(target: DatabaseTarget) -> Self {
        Self { target }
    }
}

impl ManageConnection for DbManager {
    type Connection = DbConn;
    type Error = DbError;

    fn connect(&self) -> Result<DbConn, DbError> {
        establish(&self.target)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), DbError> {
        conn.ping().map_err(DbError::Query)
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        conn.is_broken()
    }
}

/// One connection, set up for Sapar: SQLite gets WAL, a busy timeout and
/// enforced foreign keys; PostgreSQL keeps timestamps in UTC.
pub fn establish(target: &DatabaseTarget) -> Result<DbConn, DbError> {
    match target {
        DatabaseTarget::Sqlite(path) => {
            let url = path.to_string_lossy();
            let mut conn = diesel::SqliteConnection::establish(&url)
                .map_err(|e| DbError::Connect(format!("{}: {e}", path.display())))?;
            conn.batch_execute(
                "PRAGMA journal_mode = WAL;
                 PRAGMA busy_timeout = 10000;
                 PRAGMA foreign_keys = ON;
                 PRAGMA synchronous = NORMAL;",
            )
            .map_err(|e| DbError::Connect(format!("{}: {e}", path.display())))?;
            Ok(DbConn::Sqlite(conn))
        }
        DatabaseTarget::Postgres(url) => {
            // libpq speaks TLS through OpenSSL, which by default frees its state in
            // an exit handler: a process that exits while a pool thread is still
            // connecting (`sapar outbox send` on PostgreSQL) then crashed with
            // SIGSEGV after its work was done. Initialised here first, OpenSSL
            // registers no such handler.
            openssl::init();
            let mut conn = diesel::PgConnection::establish(url)
                .map_err(|e| DbError::Connect(format!("{target}: {}", e.to_string().trim())))?;
            // Sapar's tables are small enough to stay in memory, where reading
            // through an index costs little more than reading in order; with
            // the default (4, for spinning disks) the planner reads a whole link
            // table rather than look up a few hundred meetings' links in its
            // index, at ten times the time.
            conn.batch_execute("SET TIME ZONE 'UTC'; SET random_page_cost = 1.1")?;
            Ok(DbConn::Postgres(conn))
        }
    }
}

/// Writes a consistent copy of a SQLite database to `file` (`VACUUM INTO`,
/// the path bound as a parameter), while other connections go on writing: the
/// copy is the database as one read transaction sees it. SQLite refuses a
/// `file` that already exists and is not empty. Not for PostgreSQL, which
/// has `pg_dump`.
pub fn vacuum_into(conn: &mut DbConn, file: &std::path::Path) -> Result<(), DbError> {
    let DbConn::Sqlite(conn) = conn else {
        return Err(DbError::Unsupported(
            "VACUUM INTO is for SQLite; back PostgreSQL up with pg_dump",
        ));
    };
    let path = file
        .to_str()
        .ok_or(DbError::Unsupported("the backup file's path is not UTF-8"))?;
    diesel::sql_query("VACUUM INTO ?")
        .bind::<diesel::sql_types::Text, _>(path)
        .execute(conn)?;
    Ok(())
}

/// A pool that has proved it can connect (so a bad URL fails at start, clearly).
pub fn pool(target: &DatabaseTarget) -> Result<DbPool, DbError> {
    let size = match target {
        DatabaseTarget::Sqlite(_) => 8,
        DatabaseTarget::Postgres(_) => 10,
    };
    // Fail fast with the real reason rather than r2d2's generic timeout.
    drop(establish(target)?);
    r2d2::Pool::builder()
        .max_size(size)
        .min_idle(Some(1))
        .connection_timeout(Duration::from_secs(10))
        .build(DbManager::new(target.clone()))
        .map_err(DbError::Pool)
}

/// Applies the pending migrations of the connection's backend; returns how many ran.
/// Rows older than the lists' search text get theirs here, after the
/// migrations, since only Rust folds Cyrillic case.
pub fn run_migrations(conn: &mut DbConn) -> Result<usize, DbError> {
    let ran = run_pending(conn)?;
    repo::backfill_search_text(conn)?;
    outbox_repo::backfill_search_text(conn)?;
    Ok(ran)
}

fn run_pending(conn: &mut DbConn) -> Result<usize, DbError> {
    let failed = |e: Box<dyn std::error::Error + Send + Sync>| DbError::Migration(e.to_string());
    match conn {
        DbConn::Sqlite(c) => Ok(c
            .run_pending_migrations(SQLITE_MIGRATIONS)
            .map_err(failed)?
            .len()),
        DbConn::Postgres(c) => {
            // Several instances may start at once on one database: one migrates,
            // the others wait and then find nothing to do.
            c.batch_execute("SELECT pg_advisory_lock(727270001)")?;
            let result = c
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|v| v.len());
            c.batch_execute("SELECT pg_advisory_unlock(727270001)")?;
            result.map_err(failed)
        }
    }
}

/// Runs `f` in one transaction that holds the write lock from its first
/// statement. On SQLite a plain (deferred) transaction that reads first and
/// writes later can fail with "database is locked" when another writer got in
/// between; taking the lock up front lets the busy timeout do its work instead.
pub fn write_transaction<T, E>(
    conn: &mut DbConn,
    f: impl FnOnce(&mut DbConn) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    conn.transaction(|conn| {
        if let DbConn::Sqlite(_) = conn {
            diesel::sql_query("UPDATE app_meta SET value = value WHERE 1 = 0").execute(conn)?;
        }
        f(conn)
    })
}

/// `INSERT … RETURNING id` through the multi-backend, which cannot compile a
/// `RETURNING` clause itself: the same statement, run on the concrete connection.
#[macro_export]
macro_rules! insert_returning_id {
    ($conn:expr, $table:ident, $values:expr) => {{
        use diesel::prelude::*;
        use $crate::db::schema::$table;
        match $conn {
            $crate::db::DbConn::Postgres(c) => diesel::insert_into($table::table)
                .values($values)
                .returning($table::id)
                .get_result::<i64>(c),
            $crate::db::DbConn::Sqlite(c) => diesel::insert_into($table::table)
                .values($values)
                .returning($table::id)
                .get_result::<i64>(c),
        }
    }};
}

/// A multi-row `INSERT`, which the multi-backend cannot compile either (SQLite
/// and PostgreSQL spell a batch's defaults differently): run on the concrete
/// connection. Does nothing for an empty batch.
#[macro_export]
macro_rules! insert_batch {
    ($conn:expr, $table:ident, $rows:expr) => {{
        use diesel::prelude::*;
        use $crate::db::schema::$table;
        let rows = $rows;
        if rows.is_empty() {
            Ok(0)
        } else {
            match $conn {
                $crate::db::DbConn::Postgres(c) => {
                    diesel::insert_into($table::table).values(rows).execute(c)
                }
                $crate::db::DbConn::Sqlite(c) => {
                    diesel::insert_into($table::table).values(rows).execute(c)
                }
            }
        }
    }};
}

/// True when the database answers a trivial query.
pub fn ping(conn: &mut DbConn) -> bool {
    diesel::sql_query("SELECT 1").execute(conn).is_ok()
}
