//! What the conflict engine needs: the meetings a visit may clash with and who attends them.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::QResult;
use crate::db::rows::*;
use crate::db::schema::*;
use crate::db::DbConn;

/// The meetings a conflict check reads: those of some visits, and every
/// meeting of any visit that overlaps one of some stretches of time (each
/// visit's days, give or take).
///
/// No meeting lasts longer than the longest one stored (the database keeps
/// each one's length, `span_minutes`), so none that starts earlier than
/// that before a stretch can reach into it: the search reads the meetings
/// near each stretch through the index on their start, however many years of
/// meetings lie before, after or between them.
#[derive(Clone, Debug)]
pub struct Stretch<'a> {
    pub visit_ids: &'a [i64],
    /// `(reach, from, to)`: the meetings overlapping `[from, to)`, none of
    /// which starts before `reach`; sorted and apart.
    windows: Vec<(NaiveDateTime, NaiveDateTime, NaiveDateTime)>,
}

impl<'a> Stretch<'a> {
    pub fn new(
        conn: &mut DbConn,
        visit_ids: &'a [i64],
        stretches: &[(NaiveDateTime, NaiveDateTime)],
    ) -> QResult<Self> {
        let longest: Option<i32> = meetings::table
            .select(diesel::dsl::max(meetings::span_minutes))
            .first(conn)?;
        // A minute more than the longest, for its rounding.
        let longest = Duration::minutes(i64::from(longest.unwrap_or(0)) + 1);
        let mut sorted = stretches.to_vec();
        sorted.sort();
        let mut merged: Vec<(NaiveDateTime, NaiveDateTime)> = Vec::with_capacity(sorted.len());
        for (from, to) in sorted {
            match merged.last_mut() {
                Some(last) if from <= last.1 => last.1 = last.1.max(to),
                _ => merged.push((from, to)),
            }
        }
        let windows = merged
            .into_iter()
            .map(|(from, to)| {
                let reach = from
                    .checked_sub_signed(longest)
                    .unwrap_or(NaiveDateTime::MIN);
                (reach, from, to)
            })
            .collect();
        Ok(Self { visit_ids, windows })
    }

    /// The stretch's meetings, as a query to narrow further.
    fn meetings(&self) -> meetings::BoxedQuery<'_, <DbConn as Connection>::Backend> {
        let mut query = meetings::table
            .into_boxed()
            .filter(meetings::visit_id.eq_any(self.visit_ids));
        for &(reach, from, to) in &self.windows {
            query = query.or_filter(
                meetings::starts_at
                    .ge(reach)
                    .and(meetings::starts_at.lt(to))
                    .and(meetings::ends_at.gt(from)),
            );
        }
        query
    }
}

/// The meetings of a stretch, by start.
pub fn meetings_for_conflicts(
    conn: &mut DbConn,
    stretch: &Stretch,
) -> QResult<Vec<TimedMeetingRow>> {
    stretch
        .meetings()
        .select(TimedMeetingRow::as_select())
        .order((meetings::starts_at, meetings::id))
        .load(conn)
}

/// Who attends the meetings of a conflict check: officials with their roles,
/// and `(meeting_id, group_id)` and `(meeting_id, participant_id)` pairs.
pub struct MeetingLinks {
    pub officials: Vec<MeetingOfficialRow>,
    pub groups: Vec<(i64, i64)>,
    pub participants: Vec<(i64, i64)>,
}

/// Ids an `IN` list carries at most, well inside both databases' limits on
/// bound parameters.
const IDS_PER_QUERY: usize = 10_000;

/// The officials, groups and participants of some meetings: three queries for
/// each ten thousand meetings.
pub fn links_for_conflicts(conn: &mut DbConn, meeting_ids: &[i64]) -> QResult<MeetingLinks> {
    let mut links = MeetingLinks {
        officials: Vec::new(),
        groups: Vec::new(),
        participants: Vec::new(),
    };
    for ids in meeting_ids.chunks(IDS_PER_QUERY) {
        links.officials.extend(
            meeting_officials::table
                .filter(meeting_officials::meeting_id.eq_any(ids))
                .select(MeetingOfficialRow::as_select())
                .load(conn)?,
        );
        links.groups.extend(
            meeting_groups::table
                .filter(meeting_groups::meeting_id.eq_any(ids))
                .select((meeting_groups::meeting_id, meeting_groups::group_id))
                .load::<(i64, i64)>(conn)?,
        );
        links.participants.extend(
            meeting_participants::table
                .filter(meeting_participants::meeting_id.eq_any(ids))
                .select((
                    meeting_participants::meeting_id,
                    meeting_participants::participant_id,
                ))
                .load::<(i64, i64)>(conn)?,
        );
    }
    Ok(links)
}
