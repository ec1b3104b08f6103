//! Installation facts kept as key and value.

use diesel::prelude::*;

use super::QResult;
use crate::db::schema::*;
use crate::db::DbConn;

pub fn meta_value(conn: &mut DbConn, key: &str) -> QResult<Option<String>> {
    app_meta::table
        .find(key)
        .select(app_meta::value)
        .first(conn)
        .optional()
}

pub fn set_meta_value(conn: &mut DbConn, key: &str, value: &str) -> QResult<()> {
    diesel::delete(app_meta::table.find(key)).execute(conn)?;
    diesel::insert_into(app_meta::table)
        .values((app_meta::key.eq(key), app_meta::value.eq(value)))
        .execute(conn)?;
    Ok(())
}
