//! Windows when an official or a venue cannot be booked.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::QResult;
use crate::db::rows::*;
use crate::db::schema::*;
use crate::db::DbConn;
use crate::insert_returning_id;

pub fn find_unavailability(conn: &mut DbConn, id: i64) -> QResult<Option<UnavailabilityRow>> {
    unavailability::table
        .find(id)
        .select(UnavailabilityRow::as_select())
        .first(conn)
        .optional()
}

pub fn list_unavailability(conn: &mut DbConn) -> QResult<Vec<UnavailabilityRow>> {
    unavailability::table
        .select(UnavailabilityRow::as_select())
        .order((unavailability::starts_at, unavailability::id))
        .load(conn)
}

pub fn insert_unavailability(conn: &mut DbConn, row: &NewUnavailability) -> QResult<i64> {
    insert_returning_id!(conn, unavailability, row)
}

pub fn delete_unavailability(conn: &mut DbConn, id: i64) -> QResult<usize> {
    diesel::delete(unavailability::table.find(id)).execute(conn)
}

/// Unavailability of the given officials or venues that overlaps `[from, to)`.
pub fn unavailability_for(
    conn: &mut DbConn,
    official_ids: &[i64],
    venue_ids: &[i64],
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QResult<Vec<UnavailabilityRow>> {
    unavailability::table
        .filter(
            unavailability::official_id
                .eq_any(official_ids)
                .or(unavailability::venue_id.eq_any(venue_ids)),
        )
        .filter(unavailability::starts_at.lt(to))
        .filter(unavailability::ends_at.gt(from))
        .select(UnavailabilityRow::as_select())
        .load(conn)
}
