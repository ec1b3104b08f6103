//! Participants and their group memberships, seen from the participant.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::QResult;
use crate::db::rows::*;
use crate::db::schema::*;
use crate::db::DbConn;
use crate::{insert_batch, insert_returning_id};

pub fn existing_participant_ids(conn: &mut DbConn, ids: &[i64]) -> QResult<Vec<i64>> {
    existing_ids!(conn, participants, ids)
}

pub fn find_participant(conn: &mut DbConn, id: i64) -> QResult<Option<ParticipantRow>> {
    participants::table
        .find(id)
        .select(ParticipantRow::as_select())
        .first(conn)
        .optional()
}

pub fn list_participants(conn: &mut DbConn) -> QResult<Vec<ParticipantRow>> {
    participants::table
        .select(ParticipantRow::as_select())
        .order((participants::full_name, participants::id))
        .load(conn)
}

pub fn insert_participant(
    conn: &mut DbConn,
    changes: &ParticipantChanges,
    now: NaiveDateTime,
) -> QResult<i64> {
    insert_returning_id!(
        conn,
        participants,
        (changes, participants::created_at.eq(now))
    )
}

pub fn update_participant(
    conn: &mut DbConn,
    id: i64,
    changes: &ParticipantChanges,
) -> QResult<usize> {
    diesel::update(participants::table.find(id))
        .set(changes)
        .execute(conn)
}

pub fn delete_participant(conn: &mut DbConn, id: i64) -> QResult<usize> {
    diesel::delete(participants::table.find(id)).execute(conn)
}

pub fn meetings_of_participant(conn: &mut DbConn, id: i64) -> QResult<i64> {
    meeting_participants::table
        .filter(meeting_participants::participant_id.eq(id))
        .count()
        .get_result(conn)
}

/// `(group_id, participant_id)` pairs for the given participants (all when `None`).
pub fn memberships_of_participants(
    conn: &mut DbConn,
    participant_ids: Option<&[i64]>,
) -> QResult<Vec<(i64, i64)>> {
    let mut query = group_members::table
        .select((group_members::group_id, group_members::participant_id))
        .order((group_members::participant_id, group_members::group_id))
        .into_boxed();
    if let Some(ids) = participant_ids {
        query = query.filter(group_members::participant_id.eq_any(ids.to_vec()));
    }
    query.load(conn)
}

pub fn set_participant_groups(
    conn: &mut DbConn,
    participant_id: i64,
    group_ids: &[i64],
) -> QResult<()> {
    diesel::delete(group_members::table.filter(group_members::participant_id.eq(participant_id)))
        .execute(conn)?;
    let rows: Vec<_> = group_ids
        .iter()
        .map(|g| {
            (
                group_members::group_id.eq(*g),
                group_members::participant_id.eq(participant_id),
            )
        })
        .collect();
    insert_batch!(conn, group_members, rows)?;
    Ok(())
}

pub fn participants_by_ids(conn: &mut DbConn, ids: &[i64]) -> QResult<Vec<ParticipantRow>> {
    participants::table
        .filter(participants::id.eq_any(ids))
        .select(ParticipantRow::as_select())
        .load(conn)
}
