//! One-time password reset links, found by the SHA-256 digest of their secret.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::QResult;
use crate::db::schema::*;
use crate::db::DbConn;
use crate::insert_returning_id;

/// A reset link as kept: never the secret, only its digest.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = password_resets)]
pub struct PasswordResetRow {
    pub id: i64,
    pub user_id: i64,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
}

pub fn insert_password_reset(
    conn: &mut DbConn,
    user_id: i64,
    token_hash: &str,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> QResult<i64> {
    insert_returning_id!(
        conn,
        password_resets,
        (
            password_resets::user_id.eq(user_id),
            password_resets::token_hash.eq(token_hash),
            password_resets::created_at.eq(now),
            password_resets::expires_at.eq(expires_at)
        )
    )
}

/// The link with this digest, used or not, expired or not.
pub fn find_password_reset(
    conn: &mut DbConn,
    token_hash: &str,
) -> QResult<Option<PasswordResetRow>> {
    password_resets::table
        .filter(password_resets::token_hash.eq(token_hash))
        .select(PasswordResetRow::as_select())
        .first(conn)
        .optional()
}

/// Marks a link used unless it already is; 0 when someone used it first.
pub fn use_password_reset(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QResult<usize> {
    diesel::update(
        password_resets::table
            .find(id)
            .filter(password_resets::used_at.is_null()),
    )
    .set(password_resets::used_at.eq(now))
    .execute(conn)
}

/// Makes every unused link of the user void.
pub fn void_password_resets(conn: &mut DbConn, user_id: i64, now: NaiveDateTime) -> QResult<usize> {
    diesel::update(
        password_resets::table
            .filter(password_resets::user_id.eq(user_id))
            .filter(password_resets::used_at.is_null()),
    )
    .set(password_resets::used_at.eq(now))
    .execute(conn)
}
