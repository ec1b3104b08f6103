//! The outbox and schedule versions: queries for publishing and for the
//! worker that sends mail. Claiming matches on the backend, since PostgreSQL
//! takes rows with `FOR UPDATE SKIP LOCKED` (several workers, no message sent
//! twice) and SQLite serialises writers by itself.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Timestamp};
use serde::Serialize;

use super::rows::VisitRow;
use super::schema::{outbox_messages, schedule_versions, visits};
use super::DbConn;
use crate::domain::listing::{search_text, ListQuery, Page};
use crate::{insert_batch, insert_returning_id};

#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Serialize)]
#[diesel(table_name = outbox_messages)]
pub struct OutboxRow {
    pub id: i64,
    pub visit_id: Option<i64>,
    pub schedule_version: Option<i32>,
    pub recipient_email: String,
    pub recipient_name: String,
    pub kind: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub attachments: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub lease_until: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub message_id: String,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = outbox_messages)]
pub struct NewOutboxMessage {
    pub visit_id: Option<i64>,
    pub schedule_version: Option<i32>,
    pub recipient_email: String,
    pub recipient_name: String,
    pub kind: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub attachments: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub message_id: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = schedule_versions)]
pub struct ScheduleVersionRow {
    pub id: i64,
    pub visit_id: i64,
    pub number: i32,
    #[diesel(deserialize_as = super::rows::InstantColumn)]
    pub published_at: NaiveDateTime,
    pub published_by: Option<i64>,
    pub snapshot: String,
}

pub fn queue(conn: &mut DbConn, messages: &[NewOutboxMessage]) -> QueryResult<usize> {
    // Large publications go in slices, well under every backend's limit on
    // bound parameters.
    let mut queued = 0;
    for slice in messages.chunks(500) {
        let rows: Vec<_> = slice
            .iter()
            .map(|m| (m, outbox_messages::search_text.eq(m.search_text())))
            .collect();
        queued += insert_batch!(conn, outbox_messages, rows)?;
    }
    Ok(queued)
}

impl NewOutboxMessage {
    /// What the outbox list is searched in: the recipient and the subject,
    /// lower-cased as every list's search text is.
    fn search_text(&self) -> String {
        search_text([
            Some(self.recipient_name.as_str()),
            Some(self.recipient_email.as_str()),
            Some(self.subject.as_str()),
        ])
    }
}

/// One page of the messages, newest first, of one visit or of all, narrowed by
/// the query's search (recipients and subjects), and the total.
pub fn page(
    conn: &mut DbConn,
    visit_id: Option<i64>,
    query: &ListQuery,
) -> QueryResult<Page<OutboxRow>> {
    let pattern = query.pattern();
    let narrowed = || {
        let mut select = outbox_messages::table.into_boxed();
        if let Some(visit) = visit_id {
            select = select.filter(outbox_messages::visit_id.eq(visit));
        }
        if let Some(pattern) = &pattern {
            select = select.filter(
                outbox_messages::search_text
                    .like(pattern.clone())
                    .escape('\\'),
            );
        }
        select
    };
    let total = narrowed().count().get_result::<i64>(conn)?;
    let items = narrowed()
        .select(OutboxRow::as_select())
        .order(outbox_messages::id.desc())
        .limit(query.limit)
        .offset(query.offset)
        .load(conn)?;
    Ok(Page { items, total })
}

/// Fills the search text of messages queued before it existed.
pub fn backfill_search_text(conn: &mut DbConn) -> QueryResult<usize> {
    let rows: Vec<(i64, String, String, String)> = outbox_messages::table
        .filter(outbox_messages::search_text.eq(""))
        .select((
            outbox_messages::id,
            outbox_messages::recipient_name,
            outbox_messages::recipient_email,
            outbox_messages::subject,
        ))
        .load(conn)?;
    let mut filled = 0;
    for (id, name, email, subject) in rows {
        let text = search_text([
            Some(name.as_str()),
            Some(email.as_str()),
            Some(subject.as_str()),
        ]);
        filled += diesel::update(outbox_messages::table.find(id))
            .set(outbox_messages::search_text.eq(text))
            .execute(conn)?;
    }
    Ok(filled)
}

/// Claims up to `limit` due messages for one worker until `lease_until`: each
/// claim counts as an attempt, so a worker that dies mid-send leaves the
/// message due again when the lease runs out.
pub fn claim_due(
    conn: &mut DbConn,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<OutboxRow>> {
    const POSTGRES: &str = "UPDATE outbox_messages SET lease_until = $1, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM outbox_messages \
             WHERE status = 'pending' AND next_attempt_at <= $2 AND (lease_until IS NULL OR lease_until <= $2) \
             ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) \
         RETURNING *";
    const SQLITE: &str = "UPDATE outbox_messages SET lease_until = ?1, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM outbox_messages \
             WHERE status = 'pending' AND next_attempt_at <= ?2 AND (lease_until IS NULL OR lease_until <= ?2) \
             ORDER BY next_attempt_at, id LIMIT ?3) \
         RETURNING *";
    let mut claimed: Vec<OutboxRow> = match conn {
        DbConn::Postgres(c) => diesel::sql_query(POSTGRES)
            .bind::<Timestamp, _>(lease_until)
            .bind::<Timestamp, _>(now)
            .bind::<BigInt, _>(limit)
            .load(c)?,
        DbConn::Sqlite(c) => diesel::sql_query(SQLITE)
            .bind::<Timestamp, _>(lease_until)
            .bind::<Timestamp, _>(now)
            .bind::<BigInt, _>(limit)
            .load(c)?,
    };
    claimed.sort_by_key(|m| m.id);
    Ok(claimed)
}

pub fn mark_sent(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(outbox_messages::table.find(id))
        .set((
            outbox_messages::status.eq("sent"),
            outbox_messages::sent_at.eq(Some(now)),
            outbox_messages::lease_until.eq(None::<NaiveDateTime>),
            outbox_messages::last_error.eq(None::<String>),
        ))
        .execute(conn)
}

/// Records a failed attempt: due again at `next_attempt_at`, or failed for good.
pub fn mark_attempt_failed(
    conn: &mut DbConn,
    id: i64,
    error: &str,
    next_attempt_at: Option<NaiveDateTime>,
) -> QueryResult<usize> {
    let status = if next_attempt_at.is_some() {
        "pending"
    } else {
        "failed"
    };
    let mut update = diesel::update(outbox_messages::table.find(id))
        .set((
            outbox_messages::status.eq(status),
            outbox_messages::last_error.eq(Some(error)),
            outbox_messages::lease_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    if let Some(at) = next_attempt_at {
        update = diesel::update(outbox_messages::table.find(id))
            .set(outbox_messages::next_attempt_at.eq(at))
            .execute(conn)?;
    }
    Ok(update)
}

/// Makes a failed message due now, with its attempts counted afresh.
pub fn retry(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        outbox_messages::table
            .find(id)
            .filter(outbox_messages::status.eq("failed")),
    )
    .set((
        outbox_messages::status.eq("pending"),
        outbox_messages::attempts.eq(0),
        outbox_messages::next_attempt_at.eq(now),
        outbox_messages::lease_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<OutboxRow>> {
    outbox_messages::table
        .find(id)
        .select(OutboxRow::as_select())
        .first(conn)
        .optional()
}

/// Messages, newest first, of one visit or of all.
pub fn list(conn: &mut DbConn, visit_id: Option<i64>, limit: i64) -> QueryResult<Vec<OutboxRow>> {
    let mut query = outbox_messages::table
        .select(OutboxRow::as_select())
        .order(outbox_messages::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(visit) = visit_id {
        query = query.filter(outbox_messages::visit_id.eq(visit));
    }
    query.load(conn)
}

/// The messages waiting to be sent and the ones given up on, and when the
/// longest-waiting due message became due (`None`: nothing is due).
pub fn backlog(
    conn: &mut DbConn,
    now: NaiveDateTime,
) -> QueryResult<(i64, i64, Option<NaiveDateTime>)> {
    let count = |conn: &mut DbConn, status: &str| {
        outbox_messages::table
            .filter(outbox_messages::status.eq(status.to_owned()))
            .count()
            .get_result::<i64>(conn)
    };
    let pending = count(conn, "pending")?;
    let failed = count(conn, "failed")?;
    let oldest_due = outbox_messages::table
        .filter(outbox_messages::status.eq("pending"))
        .filter(outbox_messages::next_attempt_at.le(now))
        .select(diesel::dsl::min(outbox_messages::next_attempt_at))
        .get_result::<Option<NaiveDateTime>>(conn)?;
    Ok((pending, failed, oldest_due))
}

/// How many messages of one publication are in one status.
pub type ProgressCount = (Option<i64>, Option<i32>, String, i64);

/// `(visit_id, schedule_version, status, count)` for the delivery progress of publications.
pub fn progress(conn: &mut DbConn, visit_id: Option<i64>) -> QueryResult<Vec<ProgressCount>> {
    let mut query = outbox_messages::table
        .group_by((
            outbox_messages::visit_id,
            outbox_messages::schedule_version,
            outbox_messages::status,
        ))
        .select((
            outbox_messages::visit_id,
            outbox_messages::schedule_version,
            outbox_messages::status,
            diesel::dsl::count_star(),
        ))
        .into_boxed();
    if let Some(visit) = visit_id {
        query = query.filter(outbox_messages::visit_id.eq(visit));
    }
    query.load(conn)
}

pub fn latest_version(conn: &mut DbConn, visit_id: i64) -> QueryResult<Option<ScheduleVersionRow>> {
    schedule_versions::table
        .filter(schedule_versions::visit_id.eq(visit_id))
        .order(schedule_versions::number.desc())
        .select(ScheduleVersionRow::as_select())
        .first(conn)
        .optional()
}

/// The version each visit last published (the one its `published_version`
/// names), with the visit as it is now; visits never published have none.
pub fn published_versions(conn: &mut DbConn) -> QueryResult<Vec<(ScheduleVersionRow, VisitRow)>> {
    schedule_versions::table
        .inner_join(
            visits::table.on(visits::id
                .eq(schedule_versions::visit_id)
                .and(visits::published_version.eq(schedule_versions::number.nullable()))),
        )
        .select((ScheduleVersionRow::as_select(), VisitRow::as_select()))
        .order(schedule_versions::visit_id)
        .load(conn)
}

pub fn versions(conn: &mut DbConn, visit_id: i64) -> QueryResult<Vec<ScheduleVersionRow>> {
    schedule_versions::table
        .filter(schedule_versions::visit_id.eq(visit_id))
        .order(schedule_versions::number.desc())
        .select(ScheduleVersionRow::as_select())
        .load(conn)
}

pub fn insert_version(
    conn: &mut DbConn,
    visit_id: i64,
    number: i32,
    at: NaiveDateTime,
    by: Option<i64>,
    snapshot: &str,
) -> QueryResult<i64> {
    insert_returning_id!(
        conn,
        schedule_versions,
        (
            schedule_versions::visit_id.eq(visit_id),
            schedule_versions::number.eq(number),
            schedule_versions::published_at.eq(at),
            schedule_versions::published_by.eq(by),
            schedule_versions::snapshot.eq(snapshot),
        )
    )
}

pub fn set_published(
    conn: &mut DbConn,
    visit_id: i64,
    number: i32,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(visits::table.find(visit_id))
        .set((
            visits::published_version.eq(Some(number)),
            visits::status.eq("published"),
            visits::updated_at.eq(at),
        ))
        .execute(conn)
}

/// The addresses (lower case) that were already sent, or are waiting to be
/// sent, a message of `kind` about the visit.
pub fn already_written(
    conn: &mut DbConn,
    visit_id: i64,
    kind: &str,
) -> QueryResult<std::collections::BTreeSet<String>> {
    Ok(outbox_messages::table
        .filter(outbox_messages::visit_id.eq(visit_id))
        .filter(outbox_messages::kind.eq(kind))
        .select(outbox_messages::recipient_email)
        .load::<String>(conn)?
        .into_iter()
        .map(|e| e.to_lowercase())
        .collect())
}
