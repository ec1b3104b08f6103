//! The audit trail of changes.

use diesel::prelude::*;

use super::QResult;
use crate::db::rows::*;
use crate::db::schema::*;
use crate::db::DbConn;

pub fn insert_audit_event(conn: &mut DbConn, event: &NewAuditEvent) -> QResult<()> {
    diesel::insert_into(audit_events::table)
        .values(event)
        .execute(conn)?;
    Ok(())
}

pub fn audit_events_of_visit(conn: &mut DbConn, visit_id: i64) -> QResult<Vec<AuditEventRow>> {
    audit_events::table
        .filter(audit_events::visit_id.eq(visit_id))
        .select(AuditEventRow::as_select())
        .order((audit_events::at.desc(), audit_events::id.desc()))
        .load(conn)
}

pub fn audit_events_of(
    conn: &mut DbConn,
    entity: &str,
    entity_id: i64,
) -> QResult<Vec<AuditEventRow>> {
    audit_events::table
        .filter(audit_events::entity.eq(entity))
        .filter(audit_events::entity_id.eq(entity_id))
        .select(AuditEventRow::as_select())
        .order(audit_events::id)
        .load(conn)
}
