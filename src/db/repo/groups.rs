//! Attendee groups and their members, seen from the group.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::QResult;
use crate::db::rows::*;
use crate::db::schema::*;
use crate::db::DbConn;
use crate::{insert_batch, insert_returning_id};

pub fn existing_group_ids(conn: &mut DbConn, ids: &[i64]) -> QResult<Vec<i64>> {
    existing_ids!(conn, attendee_groups, ids)
}

pub fn find_group(conn: &mut DbConn, id: i64) -> QResult<Option<GroupRow>> {
    attendee_groups::table
        .find(id)
        .select(GroupRow::as_select())
        .first(conn)
        .optional()
}

pub fn list_groups(conn: &mut DbConn) -> QResult<Vec<GroupRow>> {
    attendee_groups::table
        .select(GroupRow::as_select())
        .order((attendee_groups::name, attendee_groups::id))
        .load(conn)
}

pub fn insert_group(conn: &mut DbConn, changes: &GroupChanges, now: NaiveDateTime) -> QResult<i64> {
    insert_returning_id!(
        conn,
        attendee_groups,
        (changes, attendee_groups::created_at.eq(now))
    )
}

pub fn update_group(conn: &mut DbConn, id: i64, changes: &GroupChanges) -> QResult<usize> {
    diesel::update(attendee_groups::table.find(id))
        .set(changes)
        .execute(conn)
}

pub fn delete_group(conn: &mut DbConn, id: i64) -> QResult<usize> {
    diesel::delete(attendee_groups::table.find(id)).execute(conn)
}

pub fn meetings_of_group(conn: &mut DbConn, id: i64) -> QResult<i64> {
    meeting_groups::table
        .filter(meeting_groups::group_id.eq(id))
        .count()
        .get_result(conn)
}

/// `(group_id, participant_id)` pairs for the given groups (all groups when `None`).
pub fn memberships_of_groups(
    conn: &mut DbConn,
    group_ids: Option<&[i64]>,
) -> QResult<Vec<(i64, i64)>> {
    let mut query = group_members::table
        .select((group_members::group_id, group_members::participant_id))
        .order((group_members::group_id, group_members::participant_id))
        .into_boxed();
    if let Some(ids) = group_ids {
        query = query.filter(group_members::group_id.eq_any(ids.to_vec()));
    }
    query.load(conn)
}

pub fn set_group_members(conn: &mut DbConn, group_id: i64, participant_ids: &[i64]) -> QResult<()> {
    diesel::delete(group_members::table.filter(group_members::group_id.eq(group_id)))
        .execute(conn)?;
    let rows: Vec<_> = participant_ids
        .iter()
        .map(|p| {
            (
                group_members::group_id.eq(group_id),
                group_members::participant_id.eq(*p),
            )
        })
        .collect();
    insert_batch!(conn, group_members, rows)?;
    Ok(())
}

pub fn groups_by_ids(conn: &mut DbConn, ids: &[i64]) -> QResult<Vec<GroupRow>> {
    attendee_groups::table
        .filter(attendee_groups::id.eq_any(ids))
        .select(GroupRow::as_select())
        .load(conn)
}
