//! Meetings of a visit and who attends them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::QResult;
use crate::db::rows::*;
use crate::db::schema::*;
use crate::db::DbConn;
use crate::{insert_batch, insert_returning_id};

pub fn find_meeting(conn: &mut DbConn, id: i64) -> QResult<Option<MeetingRow>> {
    meetings::table
        .find(id)
        .select(MeetingRow::as_select())
        .first(conn)
        .optional()
}

pub fn meetings_of_visit(conn: &mut DbConn, visit_id: i64) -> QResult<Vec<MeetingRow>> {
    meetings::table
        .filter(meetings::visit_id.eq(visit_id))
        .select(MeetingRow::as_select())
        .order((meetings::starts_at, meetings::ends_at, meetings::id))
        .load(conn)
}

pub fn insert_meeting(
    conn: &mut DbConn,
    visit_id: i64,
    changes: &MeetingChanges,
    now: NaiveDateTime,
) -> QResult<i64> {
    insert_returning_id!(
        conn,
        meetings,
        (
            changes,
            meetings::visit_id.eq(visit_id),
            meetings::version.eq(1),
            meetings::created_at.eq(now)
        )
    )
}

/// Writes the change and raises the version; with `expected_version`, only if
/// the row is still at that version. Returns the rows changed (0: stale or gone).
pub fn update_meeting(
    conn: &mut DbConn,
    id: i64,
    expected_version: Option<i32>,
    changes: &MeetingChanges,
) -> QResult<usize> {
    let bump = (changes, meetings::version.eq(meetings::version + 1));
    match expected_version {
        Some(version) => diesel::update(
            meetings::table
                .filter(meetings::id.eq(id))
                .filter(meetings::version.eq(version)),
        )
        .set(bump)
        .execute(conn),
        None => diesel::update(meetings::table.find(id))
            .set(bump)
            .execute(conn),
    }
}

/// Moves a meeting to new times and raises its version (a shift of the
/// programme: nothing else about it changes). Returns the rows changed.
pub fn move_meeting(
    conn: &mut DbConn,
    id: i64,
    starts_at: NaiveDateTime,
    ends_at: NaiveDateTime,
    now: NaiveDateTime,
) -> QResult<usize> {
    diesel::update(meetings::table.find(id))
        .set((
            meetings::starts_at.eq(starts_at),
            meetings::ends_at.eq(ends_at),
            meetings::updated_at.eq(now),
            meetings::version.eq(meetings::version + 1),
        ))
        .execute(conn)
}

pub fn delete_meeting(conn: &mut DbConn, id: i64) -> QResult<usize> {
    diesel::delete(meetings::table.find(id)).execute(conn)
}

pub fn meeting_officials_of(
    conn: &mut DbConn,
    meeting_ids: &[i64],
) -> QResult<Vec<MeetingOfficialRow>> {
    meeting_officials::table
        .filter(meeting_officials::meeting_id.eq_any(meeting_ids.to_vec()))
        .select(MeetingOfficialRow::as_select())
        .order((
            meeting_officials::meeting_id,
            meeting_officials::official_id,
        ))
        .load(conn)
}

pub fn meeting_groups_of(conn: &mut DbConn, meeting_ids: &[i64]) -> QResult<Vec<(i64, i64)>> {
    meeting_groups::table
        .filter(meeting_groups::meeting_id.eq_any(meeting_ids.to_vec()))
        .select((meeting_groups::meeting_id, meeting_groups::group_id))
        .order((meeting_groups::meeting_id, meeting_groups::group_id))
        .load(conn)
}

pub fn meeting_participants_of(conn: &mut DbConn, meeting_ids: &[i64]) -> QResult<Vec<(i64, i64)>> {
    meeting_participants::table
        .filter(meeting_participants::meeting_id.eq_any(meeting_ids.to_vec()))
        .select((
            meeting_participants::meeting_id,
            meeting_participants::participant_id,
        ))
        .order((
            meeting_participants::meeting_id,
            meeting_participants::participant_id,
        ))
        .load(conn)
}

/// Replaces who attends a meeting.
pub fn set_meeting_people(
    conn: &mut DbConn,
    meeting_id: i64,
    officials: &[MeetingOfficialRow],
    group_ids: &[i64],
    participant_ids: &[i64],
) -> QResult<()> {
    diesel::delete(meeting_officials::table.filter(meeting_officials::meeting_id.eq(meeting_id)))
        .execute(conn)?;
    diesel::delete(meeting_groups::table.filter(meeting_groups::meeting_id.eq(meeting_id)))
        .execute(conn)?;
    diesel::delete(
        meeting_participants::table.filter(meeting_participants::meeting_id.eq(meeting_id)),
    )
    .execute(conn)?;
    insert_batch!(conn, meeting_officials, officials)?;
    {
        let rows: Vec<_> = group_ids
            .iter()
            .map(|g| {
                (
                    meeting_groups::meeting_id.eq(meeting_id),
                    meeting_groups::group_id.eq(*g),
                )
            })
            .collect();
        insert_batch!(conn, meeting_groups, rows)?;
    }
    {
        let rows: Vec<_> = participant_ids
            .iter()
            .map(|p| {
                (
                    meeting_participants::meeting_id.eq(meeting_id),
                    meeting_participants::participant_id.eq(*p),
                )
            })
            .collect();
        insert_batch!(conn, meeting_participants, rows)?;
    }
    Ok(())
}

/// How many meetings each visit has, by visit id.
pub fn meeting_counts(conn: &mut DbConn) -> QResult<Vec<(i64, i64)>> {
    meetings::table
        .group_by(meetings::visit_id)
        .select((meetings::visit_id, diesel::dsl::count_star()))
        .load(conn)
}
