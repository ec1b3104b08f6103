//! Calendar subscriptions: the tokens behind `webcal://` feeds, and the
//! venues and visits of the meetings a staff calendar is made of (each one
//! query, however many meetings it holds).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::rows::{MeetingRow, VenueRow, VisitRow};
use super::schema::*;
use super::DbConn;
use crate::insert_returning_id;

type QResult<T> = QueryResult<T>;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, Serialize)]
#[diesel(table_name = calendar_tokens)]
pub struct CalendarTokenRow {
    pub id: i64,
    /// The SHA-256 digest of the secret (the secret itself is shown once, when
    /// it is made, and kept nowhere). Never audited or logged.
    #[serde(skip)]
    pub token_hash: String,
    pub official_id: Option<i64>,
    pub participant_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    /// The user who made it; none for a feed made from the command line or
    /// before feeds had owners.
    pub created_by: Option<i64>,
}

/// A token with the name of the person it is for.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarTokenListing {
    pub row: CalendarTokenRow,
    pub person: String,
}

/// Exactly one of `official_id` and `participant_id` is set (the table checks it too).
pub fn insert_calendar_token(
    conn: &mut DbConn,
    token_hash: &str,
    official_id: Option<i64>,
    participant_id: Option<i64>,
    created_by: Option<i64>,
    now: NaiveDateTime,
) -> QResult<i64> {
    insert_returning_id!(
        conn,
        calendar_tokens,
        (
            calendar_tokens::token_hash.eq(token_hash),
            calendar_tokens::official_id.eq(official_id),
            calendar_tokens::participant_id.eq(participant_id),
            calendar_tokens::created_by.eq(created_by),
            calendar_tokens::created_at.eq(now)
        )
    )
}

pub fn find_calendar_token(conn: &mut DbConn, id: i64) -> QResult<Option<CalendarTokenRow>> {
    calendar_tokens::table
        .find(id)
        .select(CalendarTokenRow::as_select())
        .first(conn)
        .optional()
}

/// The row of the token with this digest if it exists and has not been revoked.
pub fn live_calendar_token(
    conn: &mut DbConn,
    token_hash: &str,
) -> QResult<Option<CalendarTokenRow>> {
    calendar_tokens::table
        .filter(calendar_tokens::token_hash.eq(token_hash))
        .filter(calendar_tokens::revoked_at.is_null())
        .select(CalendarTokenRow::as_select())
        .first(conn)
        .optional()
}

/// Marks a live token revoked; 0 when it is gone or already revoked.
pub fn revoke_calendar_token(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QResult<usize> {
    diesel::update(
        calendar_tokens::table
            .filter(calendar_tokens::id.eq(id))
            .filter(calendar_tokens::revoked_at.is_null()),
    )
    .set(calendar_tokens::revoked_at.eq(now))
    .execute(conn)
}

/// Every token, newest first, with the name of its official or participant.
pub fn list_calendar_tokens(conn: &mut DbConn) -> QResult<Vec<CalendarTokenListing>> {
    listed(conn, None)
}

/// The live tokens one user made, newest first, with their person's name.
pub fn live_calendar_tokens_of(
    conn: &mut DbConn,
    user_id: i64,
) -> QResult<Vec<CalendarTokenListing>> {
    listed(conn, Some(user_id))
}

fn listed(conn: &mut DbConn, owner: Option<i64>) -> QResult<Vec<CalendarTokenListing>> {
    let mut query = calendar_tokens::table
        .left_join(officials::table)
        .left_join(participants::table)
        .select((
            CalendarTokenRow::as_select(),
            officials::full_name.nullable(),
            participants::full_name.nullable(),
        ))
        .order((
            calendar_tokens::created_at.desc(),
            calendar_tokens::id.desc(),
        ))
        .into_boxed();
    if let Some(user_id) = owner {
        query = query
            .filter(calendar_tokens::created_by.eq(user_id))
            .filter(calendar_tokens::revoked_at.is_null());
    }
    let rows: Vec<(CalendarTokenRow, Option<String>, Option<String>)> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(row, official, participant)| CalendarTokenListing {
            person: official.or(participant).unwrap_or_default(),
            row,
        })
        .collect())
}

/// The venues of the given meetings (one query, duplicates collapsed).
pub fn venues_of(conn: &mut DbConn, meetings: &[MeetingRow]) -> QResult<Vec<VenueRow>> {
    let mut ids: Vec<i64> = meetings.iter().filter_map(|m| m.venue_id).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    venues::table
        .filter(venues::id.eq_any(ids))
        .select(VenueRow::as_select())
        .load(conn)
}

/// The visits of the given meetings (one query, duplicates collapsed).
pub fn visits_of(conn: &mut DbConn, meetings: &[MeetingRow]) -> QResult<Vec<VisitRow>> {
    let mut ids: Vec<i64> = meetings.iter().map(|m| m.visit_id).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    visits::table
        .filter(visits::id.eq_any(ids))
        .select(VisitRow::as_select())
        .load(conn)
}
