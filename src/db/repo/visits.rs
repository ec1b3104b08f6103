//! Visits and the officials of their delegations.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::QResult;
use crate::db::rows::*;
use crate::db::schema::*;
use crate::db::DbConn;
use crate::{insert_batch, insert_returning_id};

pub fn find_visit(conn: &mut DbConn, id: i64) -> QResult<Option<VisitRow>> {
    visits::table
        .find(id)
        .select(VisitRow::as_select())
        .first(conn)
        .optional()
}

/// Upcoming first: by first day, then title.
pub fn list_visits(conn: &mut DbConn) -> QResult<Vec<VisitRow>> {
    visits::table
        .select(VisitRow::as_select())
        .order((visits::first_day, visits::title, visits::id))
        .load(conn)
}

pub fn insert_visit(conn: &mut DbConn, changes: &VisitChanges, now: NaiveDateTime) -> QResult<i64> {
    insert_returning_id!(conn, visits, (changes, visits::created_at.eq(now)))
}

pub fn update_visit(conn: &mut DbConn, id: i64, changes: &VisitChanges) -> QResult<usize> {
    diesel::update(visits::table.find(id))
        .set(changes)
        .execute(conn)
}

pub fn delete_visit(conn: &mut DbConn, id: i64) -> QResult<usize> {
    diesel::delete(visits::table.find(id)).execute(conn)
}

/// `(visit_id, official_id)` pairs for the given visits (all when `None`).
pub fn visit_officials_of(
    conn: &mut DbConn,
    visit_ids: Option<&[i64]>,
) -> QResult<Vec<(i64, i64)>> {
    let mut query = visit_officials::table
        .select((visit_officials::visit_id, visit_officials::official_id))
        .order((visit_officials::visit_id, visit_officials::official_id))
        .into_boxed();
    if let Some(ids) = visit_ids {
        query = query.filter(visit_officials::visit_id.eq_any(ids.to_vec()));
    }
    query.load(conn)
}

/// One page of the visits list: `limit` visits from `offset` on, of the
/// current and upcoming ones (last day `today` or later, soonest first) and
/// then the past ones (latest first), narrowed by the search `pattern` (a
/// `LIKE` pattern over the lower-cased search text of the visit's title,
/// region and theme, or of a delegation member's name); with how many current
/// and past visits the narrowed list holds. Four queries, whatever the count.
pub fn page_visit_list(
    conn: &mut DbConn,
    today: NaiveDate,
    pattern: Option<&str>,
    offset: i64,
    limit: i64,
) -> QResult<(Vec<VisitRow>, i64, i64)> {
    let narrowed = || {
        let mut select = visits::table.into_boxed();
        if let Some(pattern) = pattern {
            let named = officials::table
                .filter(officials::search_text.like(pattern).escape('\\'))
                .select(officials::id);
            let delegations = visit_officials::table
                .filter(visit_officials::official_id.eq_any(named))
                .select(visit_officials::visit_id);
            select = select.filter(
                visits::search_text
                    .like(pattern)
                    .escape('\\')
                    .or(visits::id.eq_any(delegations)),
            );
        }
        select
    };
    let current_total: i64 = narrowed()
        .filter(visits::last_day.ge(today))
        .count()
        .get_result(conn)?;
    let past_total: i64 = narrowed()
        .filter(visits::last_day.lt(today))
        .count()
        .get_result(conn)?;
    let mut rows = narrowed()
        .filter(visits::last_day.ge(today))
        .select(VisitRow::as_select())
        .order((visits::first_day, visits::title, visits::id))
        .limit(limit.min((current_total - offset).max(0)))
        .offset(offset.min(current_total))
        .load(conn)?;
    let rest = limit - rows.len() as i64;
    rows.extend(
        narrowed()
            .filter(visits::last_day.lt(today))
            .select(VisitRow::as_select())
            .order((
                visits::first_day.desc(),
                visits::title.desc(),
                visits::id.desc(),
            ))
            .limit(rest)
            .offset((offset - current_total).max(0))
            .load::<VisitRow>(conn)?,
    );
    Ok((rows, current_total, past_total))
}

pub fn set_visit_officials(conn: &mut DbConn, visit_id: i64, official_ids: &[i64]) -> QResult<()> {
    diesel::delete(visit_officials::table.filter(visit_officials::visit_id.eq(visit_id)))
        .execute(conn)?;
    let rows: Vec<_> = official_ids
        .iter()
        .map(|o| {
            (
                visit_officials::visit_id.eq(visit_id),
                visit_officials::official_id.eq(*o),
            )
        })
        .collect();
    insert_batch!(conn, visit_officials, rows)?;
    Ok(())
}

pub fn count_visits(conn: &mut DbConn) -> QResult<i64> {
    visits::table.count().get_result(conn)
}

pub fn visits_by_ids(conn: &mut DbConn, ids: &[i64]) -> QResult<Vec<VisitRow>> {
    visits::table
        .filter(visits::id.eq_any(ids))
        .select(VisitRow::as_select())
        .load(conn)
}
