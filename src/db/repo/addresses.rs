//! The mail addresses of everyone Sapar knows: staff users, officials and
//! participants.

use diesel::prelude::*;

use super::QResult;
use crate::db::schema::*;
use crate::db::DbConn;

/// Every address a staff user, an official or a participant has, as stored
/// (the caller compares them ignoring case, which SQL cannot do alike on both
/// backends without a function of its own).
pub fn known_email_addresses(conn: &mut DbConn) -> QResult<Vec<String>> {
    let mut addresses: Vec<String> = users::table.select(users::email).load(conn)?;
    addresses.extend(
        officials::table
            .filter(officials::email.is_not_null())
            .select(officials::email.assume_not_null())
            .load::<String>(conn)?,
    );
    addresses.extend(
        participants::table
            .filter(participants::email.is_not_null())
            .select(participants::email.assume_not_null())
            .load::<String>(conn)?,
    );
    Ok(addresses)
}
