//! Travel times between venues, one row per direction.

use diesel::prelude::*;

use super::QResult;
use crate::db::rows::*;
use crate::db::schema::*;
use crate::db::DbConn;

pub fn find_travel_time(conn: &mut DbConn, from: i64, to: i64) -> QResult<Option<TravelTimeRow>> {
    travel_times::table
        .find((from, to))
        .select(TravelTimeRow::as_select())
        .first(conn)
        .optional()
}

pub fn list_travel_times(conn: &mut DbConn) -> QResult<Vec<TravelTimeRow>> {
    travel_times::table
        .select(TravelTimeRow::as_select())
        .order((travel_times::from_venue_id, travel_times::to_venue_id))
        .load(conn)
}

/// Sets the minutes for one direction, replacing an earlier entry. A delete and
/// an insert rather than an upsert: both backends run it as written.
pub fn put_travel_time(conn: &mut DbConn, row: &TravelTimeRow) -> QResult<()> {
    delete_travel_time(conn, row.from_venue_id, row.to_venue_id)?;
    diesel::insert_into(travel_times::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn delete_travel_time(conn: &mut DbConn, from: i64, to: i64) -> QResult<usize> {
    diesel::delete(travel_times::table.find((from, to))).execute(conn)
}

/// Travel times among the given venues.
pub fn travel_times_among(conn: &mut DbConn, venue_ids: &[i64]) -> QResult<Vec<TravelTimeRow>> {
    travel_times::table
        .filter(travel_times::from_venue_id.eq_any(venue_ids))
        .filter(travel_times::to_venue_id.eq_any(venue_ids))
        .select(TravelTimeRow::as_select())
        .load(conn)
}
