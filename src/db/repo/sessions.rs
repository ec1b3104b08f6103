//! Staff sessions kept on the server, found by the digest of their secret.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::QResult;
use crate::db::rows::*;
use crate::db::schema::*;
use crate::db::DbConn;
use crate::insert_returning_id;

pub struct NewSession<'a> {
    pub user_id: i64,
    pub secret_hash: &'a str,
    pub csrf: &'a str,
    pub now: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub seen_from: &'a str,
}

pub fn insert_session(conn: &mut DbConn, new: &NewSession<'_>) -> QResult<i64> {
    insert_returning_id!(
        conn,
        sessions,
        (
            sessions::user_id.eq(new.user_id),
            sessions::secret_hash.eq(new.secret_hash),
            sessions::csrf.eq(new.csrf),
            sessions::created_at.eq(new.now),
            sessions::last_seen_at.eq(new.now),
            sessions::expires_at.eq(new.expires_at),
            sessions::seen_from.eq(new.seen_from),
        )
    )
}

/// The live session with this secret digest and its user, in one query; a
/// disabled user's sessions are not live.
pub fn live_session(
    conn: &mut DbConn,
    secret_hash: &str,
    now: NaiveDateTime,
) -> QResult<Option<(SessionRow, UserRow)>> {
    sessions::table
        .inner_join(users::table)
        .filter(sessions::secret_hash.eq(secret_hash))
        .filter(sessions::expires_at.gt(now))
        .filter(users::disabled_at.is_null())
        .select((SessionRow::as_select(), UserRow::as_select()))
        .first(conn)
        .optional()
}

pub fn touch_session(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QResult<usize> {
    diesel::update(sessions::table.find(id))
        .set(sessions::last_seen_at.eq(now))
        .execute(conn)
}

pub fn delete_session_by_hash(conn: &mut DbConn, secret_hash: &str) -> QResult<usize> {
    diesel::delete(sessions::table.filter(sessions::secret_hash.eq(secret_hash))).execute(conn)
}

pub fn delete_sessions_of_user(conn: &mut DbConn, user_id: i64) -> QResult<usize> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)
}

/// Every session of the user except the one with this id.
pub fn delete_other_sessions(conn: &mut DbConn, user_id: i64, keep: i64) -> QResult<usize> {
    diesel::delete(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::id.ne(keep)),
    )
    .execute(conn)
}

pub fn delete_expired_sessions(conn: &mut DbConn, now: NaiveDateTime) -> QResult<usize> {
    diesel::delete(sessions::table.filter(sessions::expires_at.le(now))).execute(conn)
}

/// The user's live sessions, most recently seen first.
pub fn sessions_of_user(
    conn: &mut DbConn,
    user_id: i64,
    now: NaiveDateTime,
) -> QResult<Vec<SessionRow>> {
    sessions::table
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::expires_at.gt(now))
        .select(SessionRow::as_select())
        .order((sessions::last_seen_at.desc(), sessions::id.desc()))
        .load(conn)
}

/// The user's session with this id (another user's is left alone).
pub fn delete_session_of_user(conn: &mut DbConn, user_id: i64, id: i64) -> QResult<usize> {
    diesel::delete(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::id.eq(id)),
    )
    .execute(conn)
}
