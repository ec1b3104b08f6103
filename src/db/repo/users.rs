//! Users.

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

/// Sets or clears when the user was disabled.
pub fn set_user_disabled(
    conn: &mut DbConn,
    user_id: i64,
    disabled_at: Option<NaiveDateTime>,
) -> QResult<usize> {
    diesel::update(users::table.find(user_id))
        .set(users::disabled_at.eq(disabled_at))
        .execute(conn)
}

pub fn set_user_password(conn: &mut DbConn, user_id: i64, password_hash: &str) -> QResult<usize> {
    diesel::update(users::table.find(user_id))
        .set(users::password_hash.eq(password_hash))
        .execute(conn)
}

/// Locks the rows of the admins until the transaction ends (a write that
/// changes nothing). Two admins demoting or disabling each other at once then
/// take turns, and the second sees the first's change before counting who is
/// left; on SQLite the transaction holds the write lock already.
pub fn lock_admins(conn: &mut DbConn) -> QResult<usize> {
    diesel::update(users::table.filter(users::role.eq("admin")))
        .set(users::role.eq(users::role))
        .execute(conn)
}

/// Admins who are not disabled, other than `except`.
pub fn count_other_active_admins(conn: &mut DbConn, except: i64) -> QResult<i64> {
    users::table
        .filter(users::role.eq("admin"))
        .filter(users::disabled_at.is_null())
        .filter(users::id.ne(except))
        .count()
        .get_result(conn)
}
