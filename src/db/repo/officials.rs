//! Officials: the people whose visits are planned.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::QResult;
use crate::db::rows::*;
use crate::db::schema::*;
use crate::db::DbConn;
use crate::insert_returning_id;

pub fn existing_official_ids(conn: &mut DbConn, ids: &[i64]) -> QResult<Vec<i64>> {
    existing_ids!(conn, officials, ids)
}

pub fn find_official(conn: &mut DbConn, id: i64) -> QResult<Option<OfficialRow>> {
    officials::table
        .find(id)
        .select(OfficialRow::as_select())
        .first(conn)
        .optional()
}

/// In protocol order: precedence, then name.
pub fn list_officials(conn: &mut DbConn) -> QResult<Vec<OfficialRow>> {
    officials::table
        .select(OfficialRow::as_select())
        .order((officials::precedence, officials::full_name, officials::id))
        .load(conn)
}

pub fn insert_official(
    conn: &mut DbConn,
    changes: &OfficialChanges,
    now: NaiveDateTime,
) -> QResult<i64> {
    insert_returning_id!(conn, officials, (changes, officials::created_at.eq(now)))
}

pub fn update_official(conn: &mut DbConn, id: i64, changes: &OfficialChanges) -> QResult<usize> {
    diesel::update(officials::table.find(id))
        .set(changes)
        .execute(conn)
}

pub fn delete_official(conn: &mut DbConn, id: i64) -> QResult<usize> {
    diesel::delete(officials::table.find(id)).execute(conn)
}

/// How many meetings and visits name this official.
pub fn official_usage(conn: &mut DbConn, id: i64) -> QResult<(i64, i64)> {
    let meetings = meeting_officials::table
        .filter(meeting_officials::official_id.eq(id))
        .count()
        .get_result::<i64>(conn)?;
    let visits = visit_officials::table
        .filter(visit_officials::official_id.eq(id))
        .count()
        .get_result::<i64>(conn)?
        + visits::table
            .filter(visits::lead_official_id.eq(id))
            .count()
            .get_result::<i64>(conn)?;
    Ok((meetings, visits))
}

pub fn officials_by_ids(conn: &mut DbConn, ids: &[i64]) -> QResult<Vec<OfficialRow>> {
    officials::table
        .filter(officials::id.eq_any(ids))
        .select(OfficialRow::as_select())
        .load(conn)
}
