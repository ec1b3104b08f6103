//! API tokens: made for a user with a label and an optional lifetime, shown
//! once, kept only as SHA-256 digests, listed without their secret and revoked
//! at once. An expired or revoked token is refused like an unknown one.

use chrono::{Duration, NaiveDateTime};
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::{now, Actor, Audit, AuditAction, ServiceError, ServiceResult};
use crate::db::repo::{self, NewApiToken};
use crate::db::rows::UserRow;
use crate::db::{write_transaction, DbConn};
use crate::domain::{EmailAddress, FieldProblem, ValidationErrors};

pub use crate::db::repo::ApiTokenRow;

/// The longest lifetime a token may be given, in days (ten years).
pub const DAYS_MAX: i64 = 3650;
/// The longest label, in characters.
pub const LABEL_MAX: usize = 100;
/// A token's use is written down at most this often.
pub const USE_RECORDED_EVERY: Duration = Duration::seconds(60);

/// What a new token should be: a label (may be empty) and how many days it
/// lives (none: until revoked).
#[derive(Clone, Debug, Default)]
pub struct TokenRequest {
    pub label: String,
    pub days: Option<i64>,
}

/// A token just made: its row and the secret, shown this once.
pub struct NewToken {
    pub row: ApiTokenRow,
    pub secret: String,
}

/// The SHA-256 digest of a secret, in lower-case hex, as it is stored.
pub fn digest(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// 32 random bytes in hex after a prefix that says what the secret is.
pub fn random_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    std::iter::once(prefix.to_owned())
        .chain(bytes.iter().map(|b| format!("{b:02x}")))
        .collect()
}

fn checked(
    request: &TokenRequest,
    at: NaiveDateTime,
) -> ServiceResult<(String, Option<NaiveDateTime>)> {
    let mut errors = ValidationErrors::default();
    let label = request.label.trim().to_owned();
    if label.chars().count() > LABEL_MAX {
        errors.add("label", FieldProblem::TooLong { max: LABEL_MAX });
    } else if label.contains(['\n', '\r']) {
        errors.add("label", FieldProblem::NotSingleLine);
    }
    let expires_at = match request.days {
        None => None,
        Some(days) if (1..=DAYS_MAX).contains(&days) => at.checked_add_signed(Duration::days(days)),
        Some(_) => {
            errors.add(
                "days",
                FieldProblem::OutOfRange {
                    min: "1".into(),
                    max: DAYS_MAX.to_string(),
                },
            );
            None
        }
    };
    if errors.is_empty() {
        Ok((label, expires_at))
    } else {
        Err(ServiceError::Validation(errors))
    }
}

/// Makes a token for a user; only its digest is kept.
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    user_id: i64,
    request: &TokenRequest,
) -> ServiceResult<NewToken> {
    let at = now();
    let (label, expires_at) = checked(request, at)?;
    let secret = random_secret("sapar_");
    write_transaction(conn, |conn| {
        let id = repo::insert_api_token(
            conn,
            &NewApiToken {
                user_id,
                token_hash: &digest(&secret),
                label: &label,
                created_at: at,
                expires_at,
            },
        )?;
        Audit::new(
            "api_token",
            Some(id),
            AuditAction::Create,
            None,
            Some(serde_json::json!({
                "user_id": user_id,
                "label": label,
                "expires_at": expires_at,
            })),
        )
        .write(conn, actor)?;
        let row = repo::find_api_token(conn, id)?.ok_or(ServiceError::NotFound {
            entity: "api_token",
            id,
        })?;
        Ok(NewToken {
            row,
            secret: secret.clone(),
        })
    })
}

/// Makes a token for the user with this email.
pub fn create_for_email(
    conn: &mut DbConn,
    actor: &Actor,
    email: &str,
    request: &TokenRequest,
) -> ServiceResult<NewToken> {
    let email = EmailAddress::parse(email).map_err(|p| ValidationErrors::single("email", p))?;
    let user = repo::find_user_by_email(conn, email.as_str())?.ok_or_else(|| {
        ServiceError::Validation(ValidationErrors::single("email", FieldProblem::NoSuchUser))
    })?;
    create(conn, actor, user.id, request)
}

/// The user a bearer token belongs to, if it is live (neither expired nor
/// revoked); its use is written down at most once a minute.
pub fn authenticate(conn: &mut DbConn, secret: &str) -> ServiceResult<Option<UserRow>> {
    let at = now();
    let Some((user, token)) = repo::user_by_token_hash(conn, &digest(secret.trim()), at)? else {
        return Ok(None);
    };
    let since = at - USE_RECORDED_EVERY;
    if token.last_used_at.is_none_or(|used| used < since) {
        repo::touch_api_token(conn, token.id, at, since)?;
    }
    Ok(Some(user))
}

/// A user's tokens that have not been revoked (expired ones included, so
/// their owner sees them), oldest first.
pub fn of_user(conn: &mut DbConn, user_id: i64) -> ServiceResult<Vec<ApiTokenRow>> {
    Ok(repo::api_tokens_of_user(conn, user_id)?)
}

/// Revokes a token at once. Only its owner or an admin may; anyone else is
/// told it does not exist, as for a token already revoked.
pub fn revoke(conn: &mut DbConn, actor: &Actor, by: &UserRow, id: i64) -> ServiceResult<()> {
    let missing = ServiceError::NotFound {
        entity: "api_token",
        id,
    };
    write_transaction(conn, |conn| {
        let token = match repo::find_api_token(conn, id)? {
            Some(t)
                if t.revoked_at.is_none() && (t.user_id == by.id || by.role.can_manage_users()) =>
            {
                t
            }
            _ => return Err(missing),
        };
        repo::revoke_api_token(conn, token.id, now())?;
        Audit::new(
            "api_token",
            Some(token.id),
            AuditAction::Delete,
            Some(serde_json::json!({ "user_id": token.user_id, "label": token.label })),
            None,
        )
        .write(conn, actor)?;
        Ok(())
    })
}
