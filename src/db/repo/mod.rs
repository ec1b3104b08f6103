//! Repository functions: plain queries over `DbConn`, one concern each. They
//! neither validate nor decide; the services do.
//!
//! One file per entity; everything is re-exported here, so callers name
//! `repo::find_official` whichever file it lives in.

use diesel::QueryResult;

type QResult<T> = QueryResult<T>;

/// The ids of `$table` among `$ids` that exist.
macro_rules! existing_ids {
    ($conn:expr, $table:ident, $ids:expr) => {{
        let ids: &[i64] = $ids;
        if ids.is_empty() {
            Ok(Vec::new())
        } else {
            $table::table
                .filter($table::id.eq_any(ids))
                .select($table::id)
                .load::<i64>($conn)
        }
    }};
}

mod access;
mod addresses;
mod audit;
mod conflicts;
mod groups;
mod listing;
mod meetings;
mod meta;
mod officials;
mod participants;
mod password_resets;
mod sessions;
mod sign_in_throttle;
mod tokens;
mod travel_times;
mod unavailability;
mod users;
mod venues;
mod visits;

pub use access::*;
pub use addresses::*;
pub use audit::*;
pub use conflicts::*;
pub use groups::*;
pub use listing::*;
pub use meetings::*;
pub use meta::*;
pub use officials::*;
pub use participants::*;
pub use password_resets::*;
pub use sessions::*;
pub use sign_in_throttle::*;
pub use tokens::*;
pub use travel_times::*;
pub use unavailability::*;
pub use users::*;
pub use venues::*;
pub use visits::*;
