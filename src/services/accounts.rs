//! Staff accounts: users with argon2id passwords, and API tokens stored as
//! SHA-256 digests (a token is shown once, when it is made).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};

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

    fn check(&self) -> Result<(), FieldProblem> {
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

/// The user with this email and password, if both match.
pub fn authenticate(
    conn: &mut DbConn,
    email: &str,
    password: &Password,
) -> ServiceResult<Option<UserRow>> {
    let Ok(email) = EmailAddress::parse(email) else {
        return Ok(None);
    };
    let user = repo::find_user_by_email(conn, email.as_str())?;
    Ok(user.filter(|u| verify_password(password, &u.password_hash)))
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

/// Changes a user's role; the last admin cannot stop being one.
pub fn set_role(
    conn: &mut DbConn,
    actor: &Actor,
    user_id: i64,
    role: &str,
) -> ServiceResult<UserRow> {
    let role = Role::parse(role.trim()).ok_or_else(|| {
        ServiceError::Validation(ValidationErrors::single(
            "role",
            FieldProblem::NotOneOf {
                choices: Role::choices(),
            },
        ))
    })?;
    write_transaction(conn, |conn| {
        let before = get_user(conn, user_id)?;
        let admins = repo::list_users(conn)?
            .iter()
            .filter(|u| u.role == Role::Admin)
            .count();
        if before.role == Role::Admin && role != Role::Admin && admins <= 1 {
            return Err(ServiceError::InUse {
                entity: "user",
                id: user_id,
                reason: super::InUse::LastAdmin,
            });
        }
        repo::set_user_role(conn, user_id, role.as_str())?;
        let after = get_user(conn, user_id)?;
        Audit::updated("user", user_id, &before, &after).write(conn, actor)?;
        Ok(after)
    })
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

pub(crate) fn token_digest(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Makes an API token for the user with this email; the token itself is
/// returned once and only its digest is kept.
pub fn create_token(conn: &mut DbConn, actor: &Actor, email: &str) -> ServiceResult<String> {
    let user = user_by_email(conn, email)?.ok_or_else(|| {
        ServiceError::Validation(ValidationErrors::single("email", FieldProblem::NoSuchUser))
    })?;
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token: String = std::iter::once("sapar_".to_owned())
        .chain(bytes.iter().map(|b| format!("{b:02x}")))
        .collect();
    write_transaction(conn, |conn| {
        let id = repo::insert_api_token(conn, user.id, &token_digest(&token), now())?;
        Audit::new(
            "api_token",
            Some(id),
            super::AuditAction::Create,
            None,
            Some(serde_json::json!({ "user_id": user.id })),
        )
        .write(conn, actor)?;
        Ok(token)
    })
}

/// The user a bearer token belongs to, if it is a live token.
pub fn user_by_token(conn: &mut DbConn, token: &str) -> ServiceResult<Option<UserRow>> {
    Ok(repo::user_by_token_hash(conn, &token_digest(token.trim()))?)
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
