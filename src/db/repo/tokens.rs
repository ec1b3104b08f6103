//! API tokens: stored as SHA-256 digests, with a label, an optional expiry,
//! the last time they were used and their revocation.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::QResult;
use crate::db::rows::UserRow;
use crate::db::schema::*;
use crate::db::DbConn;
use crate::insert_returning_id;

/// An API token as kept: never the secret, only its digest.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = api_tokens)]
pub struct ApiTokenRow {
    pub id: i64,
    pub user_id: i64,
    pub label: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub expires_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

pub struct NewApiToken<'a> {
    pub user_id: i64,
    pub token_hash: &'a str,
    pub label: &'a str,
    pub created_at: NaiveDateTime,
    pub expires_at: Option<NaiveDateTime>,
}

pub fn insert_api_token(conn: &mut DbConn, token: &NewApiToken<'_>) -> QResult<i64> {
    insert_returning_id!(
        conn,
        api_tokens,
        (
            api_tokens::user_id.eq(token.user_id),
            api_tokens::token_hash.eq(token.token_hash),
            api_tokens::label.eq(token.label),
            api_tokens::created_at.eq(token.created_at),
            api_tokens::expires_at.eq(token.expires_at)
        )
    )
}

/// The user behind a token that is neither revoked nor expired at `now`, with
/// the token.
pub fn user_by_token_hash(
    conn: &mut DbConn,
    token_hash: &str,
    now: NaiveDateTime,
) -> QResult<Option<(UserRow, ApiTokenRow)>> {
    api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(token_hash))
        .filter(api_tokens::revoked_at.is_null())
        .filter(users::disabled_at.is_null())
        .filter(
            api_tokens::expires_at
                .is_null()
                .or(api_tokens::expires_at.gt(now)),
        )
        .select((UserRow::as_select(), ApiTokenRow::as_select()))
        .first(conn)
        .optional()
}

/// Marks a token used at `now`, unless it was already marked since `since`
/// (so a busy client writes at most once in that span).
pub fn touch_api_token(
    conn: &mut DbConn,
    id: i64,
    now: NaiveDateTime,
    since: NaiveDateTime,
) -> QResult<usize> {
    diesel::update(
        api_tokens::table.find(id).filter(
            api_tokens::last_used_at
                .is_null()
                .or(api_tokens::last_used_at.lt(since)),
        ),
    )
    .set(api_tokens::last_used_at.eq(now))
    .execute(conn)
}

/// A user's tokens that have not been revoked, oldest first.
pub fn api_tokens_of_user(conn: &mut DbConn, user_id: i64) -> QResult<Vec<ApiTokenRow>> {
    api_tokens::table
        .filter(api_tokens::user_id.eq(user_id))
        .filter(api_tokens::revoked_at.is_null())
        .select(ApiTokenRow::as_select())
        .order(api_tokens::id)
        .load(conn)
}

pub fn find_api_token(conn: &mut DbConn, id: i64) -> QResult<Option<ApiTokenRow>> {
    api_tokens::table
        .find(id)
        .select(ApiTokenRow::as_select())
        .first(conn)
        .optional()
}

pub fn revoke_api_token(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QResult<usize> {
    diesel::update(
        api_tokens::table
            .find(id)
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(now))
    .execute(conn)
}
