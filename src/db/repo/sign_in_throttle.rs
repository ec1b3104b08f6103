//! Counters of failed sign-ins, one row per key.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::QResult;
use crate::db::schema::sign_in_throttle;
use crate::db::DbConn;

/// The failures counted for a key, and when the last one was.
pub fn sign_in_failures(
    conn: &mut DbConn,
    scope: &str,
    subject: &str,
) -> QResult<Option<(i64, NaiveDateTime)>> {
    sign_in_throttle::table
        .find((scope, subject))
        .select((
            sign_in_throttle::failures,
            sign_in_throttle::last_failure_at,
        ))
        .first(conn)
        .optional()
}

/// Counts one more failure for a key and gives the new count, in one
/// statement, so that two instances failing the same key at once both count.
/// (`RETURNING` runs on the concrete connection; see `insert_returning_id!`.)
pub fn count_sign_in_failure(
    conn: &mut DbConn,
    scope: &str,
    subject: &str,
    at: NaiveDateTime,
) -> QResult<i64> {
    use sign_in_throttle::{failures, last_failure_at};
    let upsert = diesel::insert_into(sign_in_throttle::table)
        .values((
            sign_in_throttle::scope.eq(scope),
            sign_in_throttle::subject.eq(subject),
            failures.eq(1),
            last_failure_at.eq(at),
        ))
        .on_conflict((sign_in_throttle::scope, sign_in_throttle::subject))
        .do_update()
        .set((failures.eq(failures + 1), last_failure_at.eq(at)))
        .returning(failures);
    match conn {
        DbConn::Postgres(c) => upsert.get_result(c),
        DbConn::Sqlite(c) => upsert.get_result(c),
    }
}

/// Forgets one key's failures (after a correct sign-in).
pub fn forget_sign_in_failures(conn: &mut DbConn, scope: &str, subject: &str) -> QResult<usize> {
    diesel::delete(sign_in_throttle::table.find((scope, subject))).execute(conn)
}

/// Forgets the keys whose last failure was before `before`.
pub fn forget_sign_in_failures_before(conn: &mut DbConn, before: NaiveDateTime) -> QResult<usize> {
    diesel::delete(sign_in_throttle::table.filter(sign_in_throttle::last_failure_at.lt(before)))
        .execute(conn)
}
