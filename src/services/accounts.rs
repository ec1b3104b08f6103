//! Staff accounts: users with argon2id passwords, and API tokens stored as
//! SHA-256 digests (a token is shown once, when it is made).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::rngs::OsRng;
use rand::RngCore;

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

/// The user with this email and password, if both match and the user is not
/// disabled (a disabled user is told what anyone with a wrong password is).
pub fn authenticate(
    conn: &mut DbConn,
    email: &str,
    password: &Password,
) -> ServiceResult<Option<UserRow>> {
    let Ok(email) = EmailAddress::parse(email) else {
        return Ok(None);
    };
    let user = repo::find_user_by_email(conn, email.as_str())?;
    Ok(user.filter(|u| u.disabled_at.is_none() && verify_password(password, &u.password_hash)))
}

/// Sign-in attempts allowed per email and per client address in `SIGN_IN_WINDOW`.
pub const SIGN_IN_FAILURES_PER_EMAIL: i64 = 5;
pub const SIGN_IN_FAILURES_PER_CLIENT: i64 = 20;
pub const SIGN_IN_WINDOW_MINUTES: i64 = 15;

#[derive(Debug)]
pub enum SignIn {
    Welcome(UserRow),
    WrongEmailOrPassword,
    TooManyAttempts,
}

/// Checks a sign-in, counting failures in the database (so every instance
/// behind a load balancer sees the same count) and refusing after too many.
pub fn sign_in(
    conn: &mut DbConn,
    email: &str,
    password: &Password,
    client: &str,
) -> ServiceResult<SignIn> {
    let key = EmailAddress::parse(email)
        .map(|e| e.as_str().to_lowercase())
        .unwrap_or_else(|_| email.trim().to_lowercase());
    let since = now() - chrono::Duration::minutes(SIGN_IN_WINDOW_MINUTES);
    let (by_email, by_client) = repo::sign_in_failures_since(conn, &key, client, since)?;
    if by_email >= SIGN_IN_FAILURES_PER_EMAIL || by_client >= SIGN_IN_FAILURES_PER_CLIENT {
        return Ok(SignIn::TooManyAttempts);
    }
    match authenticate(conn, email, password)? {
        Some(user) => {
            repo::forget_sign_in_failures(conn, &key)?;
            Ok(SignIn::Welcome(user))
        }
        None => {
            repo::record_sign_in_failure(conn, &key, client, now())?;
            Ok(SignIn::WrongEmailOrPassword)
        }
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
    fn generated_passwords_are_long_and_differ() {
        let (a, b) = (Password::generate(), Password::generate());
        assert_eq!(a.expose().len(), 20);
        assert_ne!(a.expose(), b.expose());
        assert_eq!(format!("{a:?}"), "Password(***)");
    }
}
