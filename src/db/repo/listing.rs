//! Pages of the lists planners keep, counted and cut in SQL, and the search
//! text those lists are narrowed by.

use diesel::prelude::*;

use super::QResult;
use crate::db::rows::*;
use crate::db::schema::*;
use crate::db::DbConn;
use crate::domain::listing::{search_text, ListQuery, Page};

/// One page of `$table` in `$order`, narrowed by the query's search, and the
/// count of the whole narrowed list: two queries, whatever the list's length.
macro_rules! page_of {
    ($conn:expr, $table:ident, $row:ty, $order:expr, $query:expr) => {{
        let query: &ListQuery = $query;
        let pattern = query.pattern();
        let narrowed = || {
            let mut select = $table::table.into_boxed();
            if let Some(pattern) = &pattern {
                select = select.filter($table::search_text.like(pattern.clone()).escape('\\'));
            }
            select
        };
        let total = narrowed().count().get_result::<i64>($conn)?;
        let items = narrowed()
            .select(<$row>::as_select())
            .order($order)
            .limit(query.limit)
            .offset(query.offset)
            .load::<$row>($conn)?;
        Ok(Page { items, total })
    }};
}

/// In protocol order: precedence, then name.
pub fn page_officials(conn: &mut DbConn, query: &ListQuery) -> QResult<Page<OfficialRow>> {
    page_of!(
        conn,
        officials,
        OfficialRow,
        (officials::precedence, officials::full_name, officials::id),
        query
    )
}

pub fn page_venues(conn: &mut DbConn, query: &ListQuery) -> QResult<Page<VenueRow>> {
    page_of!(
        conn,
        venues,
        VenueRow,
        (venues::city, venues::name, venues::id),
        query
    )
}

pub fn page_participants(conn: &mut DbConn, query: &ListQuery) -> QResult<Page<ParticipantRow>> {
    page_of!(
        conn,
        participants,
        ParticipantRow,
        (participants::full_name, participants::id),
        query
    )
}

pub fn page_groups(conn: &mut DbConn, query: &ListQuery) -> QResult<Page<GroupRow>> {
    page_of!(
        conn,
        attendee_groups,
        GroupRow,
        (attendee_groups::name, attendee_groups::id),
        query
    )
}

pub fn page_visits(conn: &mut DbConn, query: &ListQuery) -> QResult<Page<VisitRow>> {
    page_of!(
        conn,
        visits,
        VisitRow,
        (visits::first_day, visits::title, visits::id),
        query
    )
}

/// By start; a search finds the windows of the officials and venues it names.
pub fn page_unavailability(
    conn: &mut DbConn,
    query: &ListQuery,
) -> QResult<Page<UnavailabilityRow>> {
    let pattern = query.pattern();
    let narrowed = || {
        let mut select = unavailability::table.into_boxed();
        if let Some(pattern) = &pattern {
            let officials = officials::table
                .filter(officials::search_text.like(pattern.clone()).escape('\\'))
                .select(officials::id);
            let venues = venues::table
                .filter(venues::search_text.like(pattern.clone()).escape('\\'))
                .select(venues::id);
            select = select.filter(
                unavailability::official_id
                    .eq_any(officials.nullable())
                    .or(unavailability::venue_id.eq_any(venues.nullable())),
            );
        }
        select
    };
    let total = narrowed().count().get_result::<i64>(conn)?;
    let items = narrowed()
        .select(UnavailabilityRow::as_select())
        .order((unavailability::starts_at, unavailability::id))
        .limit(query.limit)
        .offset(query.offset)
        .load(conn)?;
    Ok(Page { items, total })
}

/// Fills the search text of rows written before it existed (or by other
/// tools); returns how many. Rows are read in one query per table and only
/// those without the text are touched, so after the first start it reads
/// nothing.
pub fn backfill_search_text(conn: &mut DbConn) -> QResult<usize> {
    let mut filled = 0;
    let rows: Vec<(i64, String, Option<String>, Option<String>)> = officials::table
        .filter(officials::search_text.eq(""))
        .select((
            officials::id,
            officials::full_name,
            officials::position,
            officials::organization,
        ))
        .load(conn)?;
    for (id, name, position, organization) in rows {
        let text = search_text([
            Some(name.as_str()),
            position.as_deref(),
            organization.as_deref(),
        ]);
        filled += diesel::update(officials::table.find(id))
            .set(officials::search_text.eq(text))
            .execute(conn)?;
    }
    let rows: Vec<(i64, String, Option<String>, Option<String>)> = venues::table
        .filter(venues::search_text.eq(""))
        .select((venues::id, venues::name, venues::city, venues::address))
        .load(conn)?;
    for (id, name, city, address) in rows {
        let text = search_text([Some(name.as_str()), city.as_deref(), address.as_deref()]);
        filled += diesel::update(venues::table.find(id))
            .set(venues::search_text.eq(text))
            .execute(conn)?;
    }
    let rows: Vec<(i64, String, Option<String>, Option<String>)> = participants::table
        .filter(participants::search_text.eq(""))
        .select((
            participants::id,
            participants::full_name,
            participants::organization,
            participants::email,
        ))
        .load(conn)?;
    for (id, name, organization, email) in rows {
        let text = search_text([
            Some(name.as_str()),
            organization.as_deref(),
            email.as_deref(),
        ]);
        filled += diesel::update(participants::table.find(id))
            .set(participants::search_text.eq(text))
            .execute(conn)?;
    }
    let rows: Vec<(i64, String, Option<String>)> = attendee_groups::table
        .filter(attendee_groups::search_text.eq(""))
        .select((
            attendee_groups::id,
            attendee_groups::name,
            attendee_groups::description,
        ))
        .load(conn)?;
    for (id, name, description) in rows {
        let text = search_text([Some(name.as_str()), description.as_deref()]);
        filled += diesel::update(attendee_groups::table.find(id))
            .set(attendee_groups::search_text.eq(text))
            .execute(conn)?;
    }
    let rows: Vec<(i64, String, Option<String>, Option<String>)> = visits::table
        .filter(visits::search_text.eq(""))
        .select((visits::id, visits::title, visits::region, visits::theme))
        .load(conn)?;
    for (id, title, region, theme) in rows {
        let text = search_text([Some(title.as_str()), region.as_deref(), theme.as_deref()]);
        filled += diesel::update(visits::table.find(id))
            .set(visits::search_text.eq(text))
            .execute(conn)?;
    }
    Ok(filled)
}
