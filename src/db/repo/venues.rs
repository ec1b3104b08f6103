//! Venues: where meetings take place.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::QResult;
use crate::db::rows::*;
use crate::db::schema::*;
use crate::db::DbConn;
use crate::insert_returning_id;

pub fn existing_venue_ids(conn: &mut DbConn, ids: &[i64]) -> QResult<Vec<i64>> {
    existing_ids!(conn, venues, ids)
}

pub fn find_venue(conn: &mut DbConn, id: i64) -> QResult<Option<VenueRow>> {
    venues::table
        .find(id)
        .select(VenueRow::as_select())
        .first(conn)
        .optional()
}

pub fn list_venues(conn: &mut DbConn) -> QResult<Vec<VenueRow>> {
    venues::table
        .select(VenueRow::as_select())
        .order((venues::city, venues::name, venues::id))
        .load(conn)
}

pub fn insert_venue(conn: &mut DbConn, changes: &VenueChanges, now: NaiveDateTime) -> QResult<i64> {
    insert_returning_id!(conn, venues, (changes, venues::created_at.eq(now)))
}

pub fn update_venue(conn: &mut DbConn, id: i64, changes: &VenueChanges) -> QResult<usize> {
    diesel::update(venues::table.find(id))
        .set(changes)
        .execute(conn)
}

pub fn delete_venue(conn: &mut DbConn, id: i64) -> QResult<usize> {
    diesel::delete(venues::table.find(id)).execute(conn)
}

pub fn meetings_at_venue(conn: &mut DbConn, id: i64) -> QResult<i64> {
    meetings::table
        .filter(meetings::venue_id.eq(id))
        .count()
        .get_result(conn)
}

pub fn venues_by_ids(conn: &mut DbConn, ids: &[i64]) -> QResult<Vec<VenueRow>> {
    venues::table
        .filter(venues::id.eq_any(ids))
        .select(VenueRow::as_select())
        .load(conn)
}
