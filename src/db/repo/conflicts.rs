//! What the conflict engine needs: the meetings a visit may clash with and who attends them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::QResult;
use crate::db::rows::*;
use crate::db::schema::*;
use crate::db::DbConn;

/// The meetings of some visits, and every meeting of any visit that overlaps
/// `[from, to)`: the commitments those visits' people and venues may clash with.
pub fn meetings_for_conflicts(
    conn: &mut DbConn,
    visit_ids: &[i64],
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QResult<Vec<MeetingRow>> {
    // Sorted here rather than in SQL: asked for that order, SQLite walks the
    // whole `meetings_time` index and reads every meeting's row to check its
    // visit (15 ms at 30,000 meetings) instead of searching both indexes.
    let mut rows: Vec<MeetingRow> = meetings::table
        .filter(
            meetings::visit_id
                .eq_any(visit_ids)
                .or(meetings::starts_at.lt(to).and(meetings::ends_at.gt(from))),
        )
        .select(MeetingRow::as_select())
        .load(conn)?;
    rows.sort_by_key(|m| (m.starts_at, m.id));
    Ok(rows)
}

/// The same selection as `meetings_for_conflicts`, as a subquery of ids.
macro_rules! conflict_meeting_ids {
    ($visit_ids:expr, $from:expr, $to:expr) => {
        meetings::table
            .filter(
                meetings::visit_id
                    .eq_any($visit_ids)
                    .or(meetings::starts_at.lt($to).and(meetings::ends_at.gt($from))),
            )
            .select(meetings::id)
    };
}

/// Who attends the meetings of a conflict check: officials with their roles,
/// and `(meeting_id, group_id)` and `(meeting_id, participant_id)` pairs.
pub struct MeetingLinks {
    pub officials: Vec<MeetingOfficialRow>,
    pub groups: Vec<(i64, i64)>,
    pub participants: Vec<(i64, i64)>,
}

/// The officials, groups and participants of those meetings, in three queries.
pub fn links_for_conflicts(
    conn: &mut DbConn,
    visit_ids: &[i64],
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QResult<MeetingLinks> {
    let officials = meeting_officials::table
        .filter(meeting_officials::meeting_id.eq_any(conflict_meeting_ids!(visit_ids, from, to)))
        .select(MeetingOfficialRow::as_select())
        .load(conn)?;
    let groups = meeting_groups::table
        .filter(meeting_groups::meeting_id.eq_any(conflict_meeting_ids!(visit_ids, from, to)))
        .select((meeting_groups::meeting_id, meeting_groups::group_id))
        .load(conn)?;
    let participants = meeting_participants::table
        .filter(meeting_participants::meeting_id.eq_any(conflict_meeting_ids!(visit_ids, from, to)))
        .select((
            meeting_participants::meeting_id,
            meeting_participants::participant_id,
        ))
        .load(conn)?;
    Ok(MeetingLinks {
        officials,
        groups,
        participants,
    })
}
