//! Staff accounts: users with argon2id passwords, and API tokens stored as
//! SHA-256 digests (a token is shown once, when it is made).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::rngs::OsRng;
use rand::RngCore;

use std::sync::OnceLock;

use super::throttle::{self, Attempt};
use super::{now, Actor, Audit, ServiceError, ServiceResult};
use crate::db::rows::{NewUser, UserRow};
use crate::db::{repo, write_transaction, DbConn};
use crate::domain::validation::{required_text, NAME_MAX};
use crate::domain::{EmailAddress, FieldProblem, Language, Role, ValidationErrors};

pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 1024;

/// A password as typed; never printed or logged.
pub struct Password(String);

impl Password {
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// A random password of 20 letters and digits, for a first admin or a new user.
    pub fn generate() -> Self {
        const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        let mut bytes = [0u8; 20];
        OsRng.fill_bytes(&mut bytes);
        Self(
            bytes
                .iter()
                .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
                .collect(),
        )
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Long enough and not absurdly long.
    pub fn check(&self) -> Result<(), FieldProblem> {
        let n = self.0.chars().count();
        if n < PASSWORD_MIN {
            Err(FieldProblem::PasswordTooShort { min: PASSWORD_MIN })
        } else if n > PASSWORD_MAX {
            Err(FieldProblem::TooLong { max: PASSWORD_MAX })
        } else {
            Ok(())
        }
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

pub fn hash_password(password: &Password) -> Result<String, ServiceError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.expose().as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| {
            ServiceError::Validation(ValidationErrors::single(
                "password",
                FieldProblem::Invalid {
                    reason: e.to_string(),
                },
            ))
        })
}

pub fn verify_password(password: &Password, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.expose().as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

pub struct NewUserInput<'a> {
    pub email: &'a str,
    pub full_name: &'a str,
    pub role: &'a str,
    pub language: Language,
    pub password: &'a Password,
}

pub fn create_user(
    conn: &mut DbConn,
    actor: &Actor,
    input: &NewUserInput<'_>,
) -> ServiceResult<UserRow> {
    let mut errors = ValidationErrors::new();
    let email = errors.check("email", EmailAddress::parse(input.email));
    let full_name = if input.full_name.trim().is_empty() {
        Some(String::new())
    } else {
        errors.check("full_name", required_text(input.full_name, NAME_MAX))
    };
    let role = Role::parse(input.role.trim());
    if role.is_none() {
        errors.add(
            "role",
            FieldProblem::NotOneOf {
                choices: Role::choices(),
            },
        );
    }
    errors.check("password", input.password.check());
    let (Some(email), Some(full_name), Some(role)) = (email, full_name, role) else {
        return Err(errors.into());
    };
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let hash = hash_password(input.password)?;
    write_transaction(conn, |conn| {
        if repo::find_user_by_email(conn, email.as_str())?.is_some() {
            return Err(ValidationErrors::single("email", FieldProblem::Duplicate).into());
        }
        let id = repo::insert_user(
            conn,
            &NewUser {
                email: email.as_str(),
                full_name: &full_name,
                password_hash: &hash,
                role: role.as_str(),
                language: input.language.as_str(),
                created_at: now(),
            },
        )?;
        let user =
            repo::find_user(conn, id)?.ok_or(ServiceError::NotFound { entity: "user", id })?;
        Audit::created("user", id, &user).write(conn, actor)?;
        Ok(user)
    })
}

/// The enabled user with this email and password, if both match. An unknown
/// email or a disabled user is checked against a stand-in hash all the same,
/// so the answer takes as long as for a real account and does not tell which
/// emails exist.
pub fn authenticate(
    conn: &mut DbConn,
    email: &str,
    password: &Password,
) -> ServiceResult<Option<UserRow>> {
    let user = match EmailAddress::parse(email) {
        Ok(email) => repo::find_user_by_email(conn, email.as_str())?,
        Err(_) => None,
    };
    let user = user.filter(|u| u.disabled_at.is_none());
    let hash = match &user {
        Some(user) => user.password_hash.as_str(),
        None => stand_in_hash(),
    };
    let matches = verify_password(password, hash);
    Ok(user.filter(|_| matches))
}

/// An argon2id hash of a random password nobody knows, made with the same
/// parameters as real ones so that verifying against it costs the same.
fn stand_in_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        hash_password(&Password::generate()).expect("a generated password is within bounds")
    })
}

#[derive(Debug)]
pub enum SignIn {
    Welcome(UserRow),
    /// The next attempt must wait this many seconds (zero: none).
    WrongEmailOrPassword {
        wait_seconds: i64,
    },
    /// Too soon after failures: the password was not checked.
    TooEarly {
        wait_seconds: i64,
    },
}

/// Checks a sign-in from `client` (an address), slowed down by the failures
/// before it (see `throttle`): a try that comes too early is refused without
/// looking at the password.
pub fn sign_in(
    conn: &mut DbConn,
    email: &str,
    password: &Password,
    client: &str,
) -> ServiceResult<SignIn> {
    let attempt = Attempt::new(email, client);
    let wait_seconds = throttle::wait_before(conn, &attempt)?;
    if wait_seconds > 0 {
        return Ok(SignIn::TooEarly { wait_seconds });
    }
    match authenticate(conn, email, password)? {
        Some(user) => {
            throttle::forget_pair(conn, &attempt)?;
            Ok(SignIn::Welcome(user))
        }
        None => Ok(SignIn::WrongEmailOrPassword {
            wait_seconds: throttle::count_failure(conn, &attempt)?,
        }),
    }
}

pub fn get_user(conn: &mut DbConn, id: i64) -> ServiceResult<UserRow> {
    repo::find_user(conn, id)?.ok_or(ServiceError::NotFound { entity: "user", id })
}

pub fn list_users(conn: &mut DbConn) -> ServiceResult<Vec<UserRow>> {
    Ok(repo::list_users(conn)?)
}

pub fn set_language(conn: &mut DbConn, user_id: i64, language: Language) -> ServiceResult<()> {
    repo::set_user_language(conn, user_id, language.as_str())?;
    Ok(())
}

pub fn user_by_email(conn: &mut DbConn, email: &str) -> ServiceResult<Option<UserRow>> {
    let email = EmailAddress::parse(email).map_err(|p| ValidationErrors::single("email", p))?;
    Ok(repo::find_user_by_email(conn, email.as_str())?)
}

pub fn count_users(conn: &mut DbConn) -> ServiceResult<i64> {
    Ok(repo::count_users(conn)?)
}

/// Makes an API token for the user with this email, without label or expiry;
/// the token itself is returned once and only its digest is kept.
pub fn create_token(conn: &mut DbConn, actor: &Actor, email: &str) -> ServiceResult<String> {
    let made = super::tokens::create_for_email(conn, actor, email, &Default::default())?;
    Ok(made.secret)
}

/// The user a bearer token belongs to, if it is a live token.
pub fn user_by_token(conn: &mut DbConn, token: &str) -> ServiceResult<Option<UserRow>> {
    super::tokens::authenticate(conn, token)
}

/// The change log of a visit, newest first.
pub fn audit_of_visit(
    conn: &mut DbConn,
    visit_id: i64,
) -> ServiceResult<Vec<crate::db::rows::AuditEventRow>> {
    Ok(repo::audit_events_of_visit(conn, visit_id)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let password = Password::new("correct horse battery");
        let hash = hash_password(&password).unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&password, &hash));
        assert!(!verify_password(
            &Password::new("wrong horse battery"),
            &hash
        ));
        assert!(!verify_password(&password, "not a hash"));
    }

    #[test]
    fn the_stand_in_hash_is_a_real_argon2id_hash_that_nothing_matches() {
        let parsed = PasswordHash::new(stand_in_hash()).expect("the stand-in hash parses");
        let real = hash_password(&Password::new("correct horse battery")).unwrap();
        let real = PasswordHash::new(&real).unwrap();
        assert_eq!(parsed.algorithm, real.algorithm);
        assert_eq!(parsed.params, real.params, "the same cost as a real hash");
        assert!(parsed.hash.is_some() && parsed.salt.is_some());
        assert!(!verify_password(&Password::new(""), stand_in_hash()));
        assert!(!verify_password(&Password::generate(), stand_in_hash()));
    }

    #[test]
    fn generated_passwords_are_long_and_differ() {
        let (a, b) = (Password::generate(), Password::generate());
        assert_eq!(a.expose().len(), 20);
        assert_ne!(a.expose(), b.expose());
        assert_eq!(format!("{a:?}"), "Password(***)");
    }
}
