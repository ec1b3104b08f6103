//! Staff sessions kept on the server. The browser holds only a random secret;
//! the database holds its SHA-256 digest, whose user it is, the form token,
//! and when it ends. Ending a row ends the session everywhere at once.

use chrono::Duration;
use rand::rngs::OsRng;
use rand::RngCore;

use super::tokens::digest as token_digest;
use super::{now, ServiceResult, SessionRow, UserRow};
use crate::db::repo::{self, NewSession};
use crate::db::DbConn;

/// A working day and then some; after that, sign in again.
pub const SESSION_HOURS: i64 = 12;
/// How stale `last_seen_at` may get before a request writes it again.
const TOUCH_EVERY_SECONDS: i64 = 60;

fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new session: its secret (for the cookie, never stored) and its row.
pub struct Started {
    pub secret: String,
    pub session: SessionRow,
}

/// Starts a session for the user, seen from `seen_from` (a short "where").
pub fn start(conn: &mut DbConn, user_id: i64, seen_from: &str) -> ServiceResult<Started> {
    let secret = random_secret();
    let hash = token_digest(&secret);
    let csrf = random_secret();
    let at = now();
    let seen_from: String = seen_from.chars().take(200).collect();
    let expires_at = at + Duration::hours(SESSION_HOURS);
    repo::delete_expired_sessions(conn, at)?;
    let id = repo::insert_session(
        conn,
        &NewSession {
            user_id,
            secret_hash: &hash,
            csrf: &csrf,
            now: at,
            expires_at,
            seen_from: &seen_from,
        },
    )?;
    Ok(Started {
        secret,
        session: SessionRow {
            id,
            user_id,
            secret_hash: hash,
            csrf,
            created_at: at,
            last_seen_at: at,
            expires_at,
            seen_from,
        },
    })
}

/// The live session with this secret and its (enabled) user.
pub fn find(conn: &mut DbConn, secret: &str) -> ServiceResult<Option<(SessionRow, UserRow)>> {
    let at = now();
    let found = repo::live_session(conn, &token_digest(secret), at)?;
    if let Some((session, _)) = &found {
        if (at - session.last_seen_at).num_seconds() >= TOUCH_EVERY_SECONDS {
            repo::touch_session(conn, session.id, at)?;
        }
    }
    Ok(found)
}

/// Ends the session with this secret (signing out).
pub fn end(conn: &mut DbConn, secret: &str) -> ServiceResult<()> {
    repo::delete_session_by_hash(conn, &token_digest(secret))?;
    Ok(())
}

/// Ends every session of the user; returns how many there were.
pub fn end_all(conn: &mut DbConn, user_id: i64) -> ServiceResult<usize> {
    Ok(repo::delete_sessions_of_user(conn, user_id)?)
}

/// Ends every session of the user but `keep`.
pub fn end_others(conn: &mut DbConn, user_id: i64, keep: i64) -> ServiceResult<usize> {
    Ok(repo::delete_other_sessions(conn, user_id, keep)?)
}

/// The user's live sessions, most recently seen first.
pub fn list(conn: &mut DbConn, user_id: i64) -> ServiceResult<Vec<SessionRow>> {
    Ok(repo::sessions_of_user(conn, user_id, now())?)
}

/// Ends one session of the user (signing out a device from another); someone
/// else's session is left alone. Returns whether one ended.
pub fn end_one(conn: &mut DbConn, user_id: i64, session_id: i64) -> ServiceResult<bool> {
    Ok(repo::delete_session_of_user(conn, user_id, session_id)? > 0)
}
