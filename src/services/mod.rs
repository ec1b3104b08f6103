//! The use cases. Each one loads through `db`, decides through `domain`, and
//! writes its change together with its audit event in one transaction.

/// Declares a kind of record as [`Catalogued`] through the functions of its
/// service module.
macro_rules! catalogued {
    ($kind:ident, $module:ident, $input:ty, $record:ty, |$r:ident| $id:expr) => {
        /// The records of this kind, as the API and the pages keep them.
        pub struct $kind;

        impl $crate::services::Catalogued for $kind {
            type Input = $input;
            type Record = $record;
            const ENTITY: &'static str = stringify!($module);

            fn id($r: &$record) -> i64 {
                $id
            }
            fn get(conn: &mut Conn, id: i64) -> ServiceResult<$record> {
                $module::get(conn, id)
            }
            fn list(conn: &mut Conn) -> ServiceResult<Vec<$record>> {
                $module::list(conn)
            }
            fn page(conn: &mut Conn, query: &ListQuery) -> ServiceResult<Page<$record>> {
                $module::page(conn, query)
            }
            fn create(conn: &mut Conn, actor: &Actor, input: &$input) -> ServiceResult<$record> {
                $module::create(conn, actor, input)
            }
            fn update(
                conn: &mut Conn,
                actor: &Actor,
                id: i64,
                input: &$input,
            ) -> ServiceResult<$record> {
                $module::update(conn, actor, id, input)
            }
            fn delete(conn: &mut Conn, actor: &Actor, id: i64) -> ServiceResult<()> {
                $module::delete(conn, actor, id)
            }
        }
    };
}

pub mod accounts;
pub mod calendars;
pub mod catalogue;
pub mod conflicts;
pub mod demo;
pub mod documents;
pub mod itinerary;
pub mod outbox;
pub mod password_resets;
pub mod programme;
pub mod publishing;
pub mod running_late;
pub mod sessions;
pub mod throttle;
pub mod tokens;
pub mod users;
pub mod visit_list;

use chrono::{NaiveDateTime, Utc};
use serde::Serialize;

use crate::db::rows::NewAuditEvent;
use crate::db::{repo, DbError};
pub use crate::domain::listing::{ListQuery, Page};

/// What the use cases read back: rows whose vocabularies, zones and languages
/// are typed at the database edge.
pub use crate::db::outbox_repo::OutboxRow;
pub use crate::db::rows::{
    AuditEventRow, GroupRow, MeetingRow, OfficialRow, ParticipantRow, SessionRow, TravelTimeRow,
    UnavailabilityRow, UserRow, VenueRow, VisitRow,
};
/// The connection a use case works on, and the pool it comes from. The web
/// layer holds and passes these without reaching what is behind them.
pub use crate::db::{DbConn as Conn, DbPool as Pool};

/// A kind of record planners keep a list of (officials, venues, groups,
/// participants, visits, unavailability). The JSON API and the pages create,
/// read, change, delete and list every kind through this one description, so
/// a rule added to a use case holds for both.
pub trait Catalogued: 'static {
    /// What a form or a request body says about one record.
    type Input: Send + 'static;
    /// A record as it is read back.
    type Record: Send + 'static;
    /// The entity's name in errors and the audit log.
    const ENTITY: &'static str;

    fn id(record: &Self::Record) -> i64;
    fn get(conn: &mut Conn, id: i64) -> ServiceResult<Self::Record>;
    fn list(conn: &mut Conn) -> ServiceResult<Vec<Self::Record>>;
    /// One page of the list, narrowed by the query's search, with the count
    /// of the whole narrowed list (counted and cut in SQL).
    fn page(conn: &mut Conn, query: &ListQuery) -> ServiceResult<Page<Self::Record>>;
    fn create(conn: &mut Conn, actor: &Actor, input: &Self::Input) -> ServiceResult<Self::Record>;
    fn update(
        conn: &mut Conn,
        actor: &Actor,
        id: i64,
        input: &Self::Input,
    ) -> ServiceResult<Self::Record>;
    fn delete(conn: &mut Conn, actor: &Actor, id: i64) -> ServiceResult<()>;
}

/// Runs `work` on a connection from `pool` (blocking: call it off the async
/// executor).
pub fn with_connection<T>(
    pool: &Pool,
    work: impl FnOnce(&mut Conn) -> ServiceResult<T>,
) -> ServiceResult<T> {
    let mut conn = pool
        .get()
        .map_err(|e| ServiceError::Database(DbError::Pool(e)))?;
    work(&mut conn)
}

/// The pool's connections: open, idle, and at most.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolUse {
    pub connections: u32,
    pub idle: u32,
    pub max: u32,
}

/// How many of the pool's connections are open and idle now.
pub fn pool_use(pool: &Pool) -> PoolUse {
    let state = pool.state();
    PoolUse {
        connections: state.connections,
        idle: state.idle_connections,
        max: pool.max_size(),
    }
}

/// True when the database answers.
pub fn database_answers(pool: &Pool) -> bool {
    pool.get()
        .map(|mut c| crate::db::ping(&mut c))
        .unwrap_or(false)
}
use crate::domain::values::to_the_second;
use crate::domain::{FieldProblem, Language, ValidationErrors};
use crate::i18n::Translator;

/// Why a use case did not happen. No HTTP here: the web layer maps these.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("invalid input: {0}")]
    Validation(#[from] ValidationErrors),
    #[error("{entity} {id} does not exist")]
    NotFound { entity: &'static str, id: i64 },
    #[error("{entity} {id} was changed by someone else (now at version {current})")]
    StaleVersion {
        entity: &'static str,
        id: i64,
        current: i32,
    },
    #[error("{entity} {id} cannot be deleted: {reason}")]
    InUse {
        entity: &'static str,
        id: i64,
        reason: InUse,
    },
    #[error("{0}")]
    Refused(Refusal),
    #[error("{}", Translator(Language::En).count("publish-unacknowledged", .0.len()))]
    UnacknowledgedErrors(Vec<conflicts::ConflictReport>),
    #[error(transparent)]
    Database(#[from] DbError),
}

impl From<diesel::result::Error> for ServiceError {
    fn from(e: diesel::result::Error) -> Self {
        Self::Database(DbError::Query(e))
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;

/// Why a change was refused because something else depends on it. Words for
/// people come from the interface catalogue; `Display` is its English, used by
/// the API and the logs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InUse {
    MeetingsAtVenue(i64),
    OfficialNamed { meetings: i64, visits: i64 },
    GroupInvited(i64),
    ParticipantInvited(i64),
    VisitPublished,
}

impl InUse {
    /// The sentence in the reader's language, from the catalogue
    /// (`in_use-<kind>`), with the numbers in their plural forms.
    pub fn words(&self, t: Translator) -> String {
        let number = crate::i18n::number;
        match self {
            Self::MeetingsAtVenue(n) => t.with("in_use-venue", &[("meetings", number(*n))]),
            Self::OfficialNamed { meetings, visits } => t.with(
                "in_use-official",
                &[("meetings", number(*meetings)), ("visits", number(*visits))],
            ),
            Self::GroupInvited(n) => t.with("in_use-group", &[("meetings", number(*n))]),
            Self::ParticipantInvited(n) => {
                t.with("in_use-participant", &[("meetings", number(*n))])
            }
            Self::VisitPublished => t.get("in_use-visit").to_owned(),
        }
    }
}

/// The English sentence, for the API and the logs.
impl std::fmt::Display for InUse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.words(Translator(Language::En)))
    }
}

/// Why a change to someone's access was refused: it would leave Sapar without
/// anyone who can manage users.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The last admin who is not disabled can be neither disabled nor demoted.
    LastActiveAdmin,
}

impl Refusal {
    /// The sentence in the reader's language.
    pub fn words(&self, t: Translator) -> String {
        match self {
            Self::LastActiveAdmin => t.get("users-last_admin").to_owned(),
        }
    }

    /// A stable code for the API's error JSON.
    pub fn code(&self) -> &'static str {
        match self {
            Self::LastActiveAdmin => "last_active_admin",
        }
    }
}

/// The English sentence, for the API and the logs.
impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.words(Translator(Language::En)))
    }
}

/// Who makes a change, for the audit log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub label: String,
}

impl Actor {
    /// A change made by Sapar itself or from the command line.
    pub fn system(label: &str) -> Self {
        Self {
            user_id: None,
            label: label.to_owned(),
        }
    }

    pub fn user(id: i64, email: &str) -> Self {
        Self {
            user_id: Some(id),
            label: email.to_owned(),
        }
    }
}

/// Now, in UTC, to the second (as everything is stored).
pub fn now() -> NaiveDateTime {
    to_the_second(Utc::now()).naive_utc()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditAction {
    Create,
    Update,
    Delete,
    Publish,
    Load,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Delete => "delete",
            Self::Publish => "publish",
            Self::Load => "load",
        }
    }
}

/// One audit record: what an entity looked like before and after a change.
pub struct Audit {
    entity: &'static str,
    entity_id: Option<i64>,
    visit_id: Option<i64>,
    action: AuditAction,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
}

fn snapshot(value: &impl Serialize) -> Option<serde_json::Value> {
    serde_json::to_value(value).ok()
}

impl Audit {
    pub fn created(entity: &'static str, id: i64, after: &impl Serialize) -> Self {
        Self::new(entity, Some(id), AuditAction::Create, None, snapshot(after))
    }

    pub fn updated(
        entity: &'static str,
        id: i64,
        before: &impl Serialize,
        after: &impl Serialize,
    ) -> Self {
        Self::new(
            entity,
            Some(id),
            AuditAction::Update,
            snapshot(before),
            snapshot(after),
        )
    }

    pub fn deleted(entity: &'static str, id: i64, before: &impl Serialize) -> Self {
        Self::new(
            entity,
            Some(id),
            AuditAction::Delete,
            snapshot(before),
            None,
        )
    }

    pub fn new(
        entity: &'static str,
        entity_id: Option<i64>,
        action: AuditAction,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> Self {
        Self {
            entity,
            entity_id,
            visit_id: None,
            action,
            before,
            after,
        }
    }

    /// Files the event under a visit, so the visit's log shows it.
    pub fn in_visit(mut self, visit_id: i64) -> Self {
        self.visit_id = Some(visit_id);
        self
    }

    pub fn write(self, conn: &mut crate::db::DbConn, actor: &Actor) -> ServiceResult<()> {
        repo::insert_audit_event(
            conn,
            &NewAuditEvent {
                user_id: actor.user_id,
                actor: actor.label.clone(),
                entity: self.entity.to_owned(),
                entity_id: self.entity_id,
                visit_id: self.visit_id,
                action: self.action.as_str().to_owned(),
                before: self.before.map(|v| v.to_string()),
                after: self.after.map(|v| v.to_string()),
                at: now(),
            },
        )?;
        Ok(())
    }
}

/// Records `field` as naming ids that do not exist, if any of `wanted` is missing
/// from `found`.
pub(crate) fn check_ids_exist(
    errors: &mut ValidationErrors,
    field: &str,
    wanted: &[i64],
    found: &[i64],
) {
    if let Some(missing) = wanted.iter().find(|id| !found.contains(id)) {
        errors.add(field, FieldProblem::UnknownId { id: *missing });
    }
}
