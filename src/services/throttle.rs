//! Failed sign-ins slow the next try down instead of locking anyone out.
//!
//! Three counters are kept for each try: the email from that address, the
//! address, and the email alone. Each lets a few failures pass, then makes
//! the next try wait a second, doubling with every failure up to its cap. The
//! caps differ on purpose: a guesser at one account from one address ends up
//! at one try in 15 minutes, while the account alone waits at most 30
//! seconds, so nobody elsewhere can keep its owner out for long. Counters live
//! in the database, so every instance counts together; an hour without a
//! failure forgets a counter.

use chrono::{Duration, NaiveDateTime};

use super::{now, ServiceResult};
use crate::db::{repo, write_transaction, DbConn};

/// How one kind of counter turns failures into a wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Limit {
    scope: &'static str,
    /// Failures that cost nothing.
    free: i64,
    /// The longest wait, in seconds.
    cap_seconds: i64,
}

const PAIR: Limit = Limit {
    scope: "pair",
    free: 3,
    cap_seconds: 15 * 60,
};
const ADDRESS: Limit = Limit {
    scope: "address",
    free: 10,
    cap_seconds: 2 * 60,
};
const ACCOUNT: Limit = Limit {
    scope: "account",
    free: 5,
    cap_seconds: 30,
};

/// The wait after the first failure past the free ones; each further one doubles it.
const FIRST_WAIT_SECONDS: i64 = 1;
/// A counter with no failure for this long is forgotten.
pub const FORGET_AFTER_MINUTES: i64 = 60;
/// Emails as typed can be anything; the key keeps only this much of one.
const SUBJECT_MAX: usize = 320;

impl Limit {
    /// The wait, in seconds, that `failures` impose after the last of them.
    fn wait_after(self, failures: i64) -> i64 {
        let past_free = failures - self.free;
        if past_free <= 0 {
            return 0;
        }
        // 2^20 seconds is past every cap: stop doubling before it overflows.
        let doublings = (past_free - 1).min(20) as u32;
        (FIRST_WAIT_SECONDS << doublings).min(self.cap_seconds)
    }
}

/// Who tries to sign in: the email as typed and the client's address.
pub struct Attempt {
    email: String,
    address: String,
}

impl Attempt {
    /// `email` is the form's text, normalised to the key its counters use.
    pub fn new(email: &str, address: &str) -> Self {
        Self {
            email: email
                .trim()
                .to_lowercase()
                .chars()
                .take(SUBJECT_MAX)
                .collect(),
            address: address.to_owned(),
        }
    }

    fn keys(&self) -> [(Limit, String); 3] {
        [
            (PAIR, format!("{} {}", self.email, self.address)),
            (ADDRESS, self.address.clone()),
            (ACCOUNT, self.email.clone()),
        ]
    }
}

/// Seconds from `at` until a counter with `failures`, the last at `last`,
/// allows a try; zero when it does now.
fn seconds_left(limit: Limit, failures: i64, last: NaiveDateTime, at: NaiveDateTime) -> i64 {
    let allowed_at = last + Duration::seconds(limit.wait_after(failures));
    (allowed_at - at).num_seconds().max(0)
}

/// How many seconds this attempt must still wait; zero when it may go ahead.
pub fn wait_before(conn: &mut DbConn, attempt: &Attempt) -> ServiceResult<i64> {
    let at = now();
    let mut wait = 0;
    for (limit, subject) in attempt.keys() {
        if let Some((failures, last)) = repo::sign_in_failures(conn, limit.scope, &subject)? {
            wait = wait.max(seconds_left(limit, failures, last, at));
        }
    }
    Ok(wait)
}

/// Counts a failed attempt on each of its counters, forgetting the quiet
/// ones; gives the seconds the next attempt will have to wait.
pub fn count_failure(conn: &mut DbConn, attempt: &Attempt) -> ServiceResult<i64> {
    let at = now();
    write_transaction(conn, |conn| {
        repo::forget_sign_in_failures_before(conn, at - Duration::minutes(FORGET_AFTER_MINUTES))?;
        let mut wait = 0;
        for (limit, subject) in attempt.keys() {
            let failures = repo::count_sign_in_failure(conn, limit.scope, &subject, at)?;
            wait = wait.max(limit.wait_after(failures));
        }
        Ok(wait)
    })
}

/// A correct sign-in clears the counter of its email from its address; the
/// address's and the account's keep counting what others did.
pub fn forget_pair(conn: &mut DbConn, attempt: &Attempt) -> ServiceResult<()> {
    let [(limit, subject), ..] = attempt.keys();
    repo::forget_sign_in_failures(conn, limit.scope, &subject)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_failures_cost_nothing_then_the_wait_doubles_to_its_cap() {
        let waits: Vec<i64> = (0..=16).map(|n| PAIR.wait_after(n)).collect();
        assert_eq!(
            waits,
            [0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]
        );
        assert_eq!(ADDRESS.wait_after(10), 0);
        assert_eq!(ADDRESS.wait_after(11), 1);
        assert_eq!(ADDRESS.wait_after(1_000), 120);
        assert_eq!(ACCOUNT.wait_after(5), 0);
        assert_eq!(ACCOUNT.wait_after(i64::MAX), 30);
    }

    #[test]
    fn the_wait_runs_from_the_last_failure() {
        let last = chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap();
        let later = |s| last + Duration::seconds(s);
        assert_eq!(seconds_left(PAIR, 7, last, last), 8);
        assert_eq!(seconds_left(PAIR, 7, last, later(5)), 3);
        assert_eq!(seconds_left(PAIR, 7, last, later(8)), 0);
        assert_eq!(seconds_left(PAIR, 3, last, last), 0);
    }

    #[test]
    fn keys_ignore_case_and_spaces_around_the_email() {
        let a = Attempt::new("  Admin@Sapar.Test ", "203.0.113.7");
        let b = Attempt::new("admin@sapar.test", "203.0.113.7");
        assert_eq!(a.keys(), b.keys());
        assert_eq!(a.keys()[0].1, "admin@sapar.test 203.0.113.7");
        assert_eq!(
            Attempt::new(&"x".repeat(5_000), "::1").email.len(),
            SUBJECT_MAX
        );
    }
}
