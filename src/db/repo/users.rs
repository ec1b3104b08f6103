//! Users, their API tokens and failed sign-ins.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::QResult;
use crate::db::rows::*;
use crate::db::schema::*;
use crate::db::DbConn;
use crate::insert_returning_id;

pub fn find_user_by_email(conn: &mut DbConn, email: &str) -> QResult<Option<UserRow>> {
    users::table
        .filter(users::email.eq(email))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_user(conn: &mut DbConn, id: i64) -> QResult<Option<UserRow>> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn list_users(conn: &mut DbConn) -> QResult<Vec<UserRow>> {
    users::table
        .select(UserRow::as_select())
        .order((users::email, users::id))
        .load(conn)
}

pub fn count_users(conn: &mut DbConn) -> QResult<i64> {
    users::table.count().get_result(conn)
}

pub fn insert_user(conn: &mut DbConn, user: &NewUser<'_>) -> QResult<i64> {
    insert_returning_id!(conn, users, user)
}

pub fn insert_api_token(
    conn: &mut DbConn,
    user_id: i64,
    token_hash: &str,
    now: NaiveDateTime,
) -> QResult<i64> {
    insert_returning_id!(
        conn,
        api_tokens,
        (
            api_tokens::user_id.eq(user_id),
            api_tokens::token_hash.eq(token_hash),
            api_tokens::created_at.eq(now)
        )
    )
}

/// The user behind a token that has not been revoked.
pub fn user_by_token_hash(conn: &mut DbConn, token_hash: &str) -> QResult<Option<UserRow>> {
    api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(token_hash))
        .filter(api_tokens::revoked_at.is_null())
        .filter(users::disabled_at.is_null())
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn record_sign_in_failure(
    conn: &mut DbConn,
    email: &str,
    client: &str,
    at: NaiveDateTime,
) -> QResult<()> {
    diesel::insert_into(sign_in_failures::table)
        .values((
            sign_in_failures::email.eq(email),
            sign_in_failures::client.eq(client),
            sign_in_failures::at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Failures since `since` for this email, and for this client address.
pub fn sign_in_failures_since(
    conn: &mut DbConn,
    email: &str,
    client: &str,
    since: NaiveDateTime,
) -> QResult<(i64, i64)> {
    let by_email = sign_in_failures::table
        .filter(sign_in_failures::email.eq(email))
        .filter(sign_in_failures::at.ge(since))
        .count()
        .get_result(conn)?;
    let by_client = sign_in_failures::table
        .filter(sign_in_failures::client.eq(client))
        .filter(sign_in_failures::at.ge(since))
        .count()
        .get_result(conn)?;
    Ok((by_email, by_client))
}

pub fn forget_sign_in_failures(conn: &mut DbConn, email: &str) -> QResult<usize> {
    diesel::delete(sign_in_failures::table.filter(sign_in_failures::email.eq(email))).execute(conn)
}

pub fn set_user_language(conn: &mut DbConn, user_id: i64, language: &str) -> QResult<usize> {
    diesel::update(users::table.find(user_id))
        .set(users::language.eq(language))
        .execute(conn)
}

pub fn set_user_role(conn: &mut DbConn, user_id: i64, role: &str) -> QResult<usize> {
    diesel::update(users::table.find(user_id))
        .set(users::role.eq(role))
        .execute(conn)
}
