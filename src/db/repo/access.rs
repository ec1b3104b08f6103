//! Clearance marks of the venues' security services, per visit and person.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::QResult;
use crate::db::rows::*;
use crate::db::schema::*;
use crate::db::DbConn;
use crate::domain::{Clearance, PersonKind};

/// The marks of one venue for one visit.
pub fn clearances_at(
    conn: &mut DbConn,
    visit_id: i64,
    venue_id: i64,
) -> QResult<Vec<ClearanceRow>> {
    access_clearances::table
        .filter(access_clearances::visit_id.eq(visit_id))
        .filter(access_clearances::venue_id.eq(venue_id))
        .select(ClearanceRow::as_select())
        .load(conn)
}

/// Sets (or, with `None`, clears) one person's mark. A delete and an insert
/// rather than an upsert: both backends run it as written.
pub fn set_clearance(
    conn: &mut DbConn,
    visit_id: i64,
    venue_id: i64,
    kind: PersonKind,
    person_id: i64,
    status: Option<Clearance>,
    at: NaiveDateTime,
) -> QResult<()> {
    diesel::delete(
        access_clearances::table
            .filter(access_clearances::visit_id.eq(visit_id))
            .filter(access_clearances::venue_id.eq(venue_id))
            .filter(access_clearances::person_kind.eq(kind.as_str()))
            .filter(access_clearances::person_id.eq(person_id)),
    )
    .execute(conn)?;
    if let Some(status) = status {
        diesel::insert_into(access_clearances::table)
            .values((
                access_clearances::visit_id.eq(visit_id),
                access_clearances::venue_id.eq(venue_id),
                access_clearances::person_kind.eq(kind.as_str()),
                access_clearances::person_id.eq(person_id),
                access_clearances::status.eq(status.as_str()),
                access_clearances::updated_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}
