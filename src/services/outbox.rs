//! The outbox worker: claims due messages with a lease, sends them, records the
//! result. A failure is retried with exponential backoff; after the last
//! attempt the message is failed and shown to staff with a retry button.

use std::time::Duration;

use chrono::{Duration as Span, NaiveDateTime, Utc};

use crate::db::outbox_repo::{self, OutboxRow};
use crate::db::{DbError, DbPool};
use crate::domain::values::to_the_second;
use crate::mail::transport::Transport;
use crate::mail::Envelope;

/// How long a claim holds a message; a worker that dies releases it then.
pub const LEASE_SECONDS: i64 = 120;
pub const MAX_ATTEMPTS: i32 = 8;
/// First retry after this; each later one waits twice as long, up to an hour.
pub const FIRST_RETRY_SECONDS: i64 = 30;
pub const BATCH: i64 = 50;

/// A queued message as the mail transport takes it.
fn envelope(row: &OutboxRow) -> Envelope<'_> {
    Envelope {
        number: row.id,
        kind: &row.kind,
        recipient_email: &row.recipient_email,
        recipient_name: &row.recipient_name,
        subject: &row.subject,
        body_text: &row.body_text,
        body_html: &row.body_html,
        attachments: &row.attachments,
        message_id: &row.message_id,
    }
}

/// The outbox as an operator watches it: what waits, what was given up on,
/// and how long the longest-waiting due message has waited since it became due.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Backlog {
    pub pending: i64,
    pub failed: i64,
    /// Seconds since the oldest pending message became due; `None` when
    /// none is due.
    pub oldest_due_seconds: Option<i64>,
}

impl Backlog {
    /// A due message waiting longer than this means mail is not going out.
    pub const STALE_SECONDS: i64 = 15 * 60;

    /// Whether the oldest due message has waited past [`Backlog::STALE_SECONDS`].
    pub fn stale(&self) -> bool {
        self.oldest_due_seconds
            .is_some_and(|age| age > Self::STALE_SECONDS)
    }
}

/// Reads the outbox's backlog now.
pub fn backlog(conn: &mut crate::db::DbConn) -> Result<Backlog, DbError> {
    let now = now();
    let (pending, failed, oldest_due) = outbox_repo::backlog(conn, now)?;
    Ok(Backlog {
        pending,
        failed,
        oldest_due_seconds: oldest_due.map(|due| (now - due).num_seconds().max(0)),
    })
}

/// When to try again after `attempts` failed attempts, or `None` to give up.
pub fn next_attempt(now: NaiveDateTime, attempts: i32) -> Option<NaiveDateTime> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    let wait = FIRST_RETRY_SECONDS
        .saturating_mul(1 << (attempts.clamp(1, 20) - 1))
        .min(3600);
    Some(now + Span::seconds(wait))
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
}

impl Round {
    pub fn handled(&self) -> usize {
        self.sent + self.retrying + self.failed
    }
}

fn now() -> NaiveDateTime {
    to_the_second(Utc::now()).naive_utc()
}

/// Messages sent at the same time, each over its own connection. Each message
/// is in flight on one lane only and is marked sent as soon as the server takes
/// it, so a worker that dies repeats at most the messages then in flight (one
/// per lane), each at most once, with its Message-ID.
pub const LANES: usize = 8;

/// Claims one batch of due messages and sends them.
pub fn send_batch(pool: &DbPool, transport: &Transport, from: &str) -> Result<Round, DbError> {
    let mut conn = pool.get()?;
    let started = now();
    let claimed = outbox_repo::claim_due(
        &mut conn,
        started,
        started + Span::seconds(LEASE_SECONDS),
        BATCH,
    )?;
    let mut round = Round::default();
    if claimed.is_empty() {
        return Ok(round);
    }
    let per_lane = claimed.len().div_ceil(LANES);
    std::thread::scope(|scope| -> Result<(), DbError> {
        let (done, results) = std::sync::mpsc::channel();
        for lane in claimed.chunks(per_lane) {
            let done = done.clone();
            scope.spawn(move || {
                for message in lane {
                    if done
                        .send((message, transport.send(from, &envelope(message))))
                        .is_err()
                    {
                        return;
                    }
                }
            });
        }
        drop(done);
        for (message, result) in results {
            let at = now();
            match result {
                Ok(()) => {
                    outbox_repo::mark_sent(&mut conn, message.id, at)?;
                    round.sent += 1;
                }
                Err(error) => {
                    let next = if error.is_temporary() {
                        next_attempt(at, message.attempts)
                    } else {
                        None
                    };
                    tracing::warn!(message = message.id, attempts = message.attempts, error = %error, "sending failed");
                    outbox_repo::mark_attempt_failed(
                        &mut conn,
                        message.id,
                        &error.to_string(),
                        next,
                    )?;
                    if next.is_some() {
                        round.retrying += 1;
                    } else {
                        round.failed += 1;
                    }
                }
            }
        }
        Ok(())
    })?;
    Ok(round)
}

/// Sends every message due now, once each, and returns what happened.
pub fn send_due(pool: &DbPool, transport: &Transport, from: &str) -> Result<Round, DbError> {
    let mut total = Round::default();
    loop {
        let round = send_batch(pool, transport, from)?;
        total.sent += round.sent;
        total.retrying += round.retrying;
        total.failed += round.failed;
        if round.handled() < BATCH as usize {
            return Ok(total);
        }
    }
}

/// Runs the worker on its own thread for the life of the process.
pub fn spawn(
    pool: DbPool,
    transport: Transport,
    from: String,
    poll: Duration,
) -> std::thread::JoinHandle<()> {
    std::thread::Builder::new()
        .name("sapar-outbox".into())
        .spawn(move || loop {
            match send_due(&pool, &transport, &from) {
                Ok(round) if round.handled() > 0 => {
                    tracing::info!(
                        sent = round.sent,
                        retrying = round.retrying,
                        failed = round.failed,
                        "outbox round"
                    )
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::error!(error = %e, "the outbox worker could not reach the database")
                }
            }
            std::thread::sleep(poll);
        })
        .expect("the operating system starts a thread")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_then_stop() {
        let t0 = chrono::NaiveDate::from_ymd_opt(2026, 2, 25)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap();
        assert_eq!(next_attempt(t0, 1), Some(t0 + Span::seconds(30)));
        assert_eq!(next_attempt(t0, 2), Some(t0 + Span::seconds(60)));
        assert_eq!(next_attempt(t0, 4), Some(t0 + Span::seconds(240)));
        assert_eq!(next_attempt(t0, 7), Some(t0 + Span::seconds(1920)));
        assert_eq!(next_attempt(t0, MAX_ATTEMPTS), None);
    }
}
