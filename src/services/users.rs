//! Access that can be taken away: disabling and enabling users, their roles
//! and their passwords. Every change that takes something away ends the
//! user's sessions in the same transaction as the change and its audit event,
//! so an open browser is signed out at its very next request (a disabled
//! user's API tokens stop too: token lookups ignore disabled users). The last
//! active admin can be neither disabled nor demoted.

use super::accounts::{hash_password, verify_password, Password};
use super::{now, sessions, Actor, Audit, AuditAction, Refusal, ServiceError, ServiceResult};
use crate::db::rows::UserRow;
use crate::db::{repo, write_transaction, DbConn};
use crate::domain::{EmailAddress, FieldProblem, Role, ValidationErrors};

/// What an admin changes about someone's access; `None` leaves it as it is.
#[derive(Clone, Debug, Default)]
pub struct AccessChange {
    pub role: Option<String>,
    pub disabled: Option<bool>,
}

/// What the audit log keeps of a user's access (never the password).
fn access_of(user: &UserRow) -> serde_json::Value {
    serde_json::json!({
        "email": user.email,
        "role": user.role.as_str(),
        "disabled": user.disabled_at.is_some(),
    })
}

fn parse_role(role: &str) -> ServiceResult<Role> {
    Role::parse(role.trim()).ok_or_else(|| {
        ValidationErrors::single(
            "role",
            FieldProblem::NotOneOf {
                choices: Role::choices(),
            },
        )
        .into()
    })
}

fn is_active_admin(user: &UserRow) -> bool {
    user.role == Role::Admin && user.disabled_at.is_none()
}

/// Changes a user's role and whether they are disabled, in one transaction.
/// A change to either ends the user's sessions; leaving no active admin is
/// refused and changes nothing.
pub fn change(
    conn: &mut DbConn,
    actor: &Actor,
    user_id: i64,
    change: &AccessChange,
) -> ServiceResult<UserRow> {
    let role = change.role.as_deref().map(parse_role).transpose()?;
    write_transaction(conn, |conn| {
        repo::lock_admins(conn)?;
        let before = super::accounts::get_user(conn, user_id)?;
        let role = role.unwrap_or(before.role);
        let disabled_at = match change.disabled {
            Some(true) => before.disabled_at.or(Some(now())),
            Some(false) => None,
            None => before.disabled_at,
        };
        if role == before.role && disabled_at == before.disabled_at {
            return Ok(before);
        }
        let stays_active_admin = role == Role::Admin && disabled_at.is_none();
        if is_active_admin(&before)
            && !stays_active_admin
            && repo::count_other_active_admins(conn, user_id)? == 0
        {
            return Err(ServiceError::Refused(Refusal::LastActiveAdmin));
        }
        repo::set_user_role(conn, user_id, role.as_str())?;
        repo::set_user_disabled(conn, user_id, disabled_at)?;
        let ended = sessions::end_all(conn, user_id)?;
        let after = super::accounts::get_user(conn, user_id)?;
        let mut written = access_of(&after);
        written["sessions_ended"] = ended.into();
        Audit::new(
            "user",
            Some(user_id),
            AuditAction::Update,
            Some(access_of(&before)),
            Some(written),
        )
        .write(conn, actor)?;
        Ok(after)
    })
}

/// Changes a user's role; ends their sessions.
pub fn set_role(
    conn: &mut DbConn,
    actor: &Actor,
    user_id: i64,
    role: &str,
) -> ServiceResult<UserRow> {
    let wanted = AccessChange {
        role: Some(role.to_owned()),
        disabled: None,
    };
    change(conn, actor, user_id, &wanted)
}

/// Disables a user: their sessions end and their tokens stop at once.
pub fn disable(conn: &mut DbConn, actor: &Actor, user_id: i64) -> ServiceResult<UserRow> {
    let wanted = AccessChange {
        role: None,
        disabled: Some(true),
    };
    change(conn, actor, user_id, &wanted)
}

/// Enables a user again; their tokens work again, their sessions are gone.
pub fn enable(conn: &mut DbConn, actor: &Actor, user_id: i64) -> ServiceResult<UserRow> {
    let wanted = AccessChange {
        role: None,
        disabled: Some(false),
    };
    change(conn, actor, user_id, &wanted)
}

/// The user with this email, or a validation error on `email`.
pub fn by_email(conn: &mut DbConn, email: &str) -> ServiceResult<UserRow> {
    let email = EmailAddress::parse(email).map_err(|p| ValidationErrors::single("email", p))?;
    repo::find_user_by_email(conn, email.as_str())?
        .ok_or_else(|| ValidationErrors::single("email", FieldProblem::NoSuchUser).into())
}

/// Which sessions a password change leaves open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    /// None: an admin, the command line or a reset link changed it.
    NoSession,
    /// The session the user changed their own password in.
    Session(i64),
}

/// Writes a new password (already checked), voids any reset link, ends the
/// sessions `keep` does not name and writes the audit event; the caller runs
/// this inside its transaction. Returns how many sessions ended.
pub(super) fn write_password(
    conn: &mut DbConn,
    actor: &Actor,
    user_id: i64,
    hash: &str,
    keep: Keep,
    how: &str,
) -> ServiceResult<usize> {
    repo::set_user_password(conn, user_id, hash)?;
    repo::void_password_resets(conn, user_id, now())?;
    let ended = match keep {
        Keep::NoSession => sessions::end_all(conn, user_id)?,
        Keep::Session(id) => sessions::end_others(conn, user_id, id)?,
    };
    Audit::new(
        "user",
        Some(user_id),
        AuditAction::Update,
        None,
        Some(serde_json::json!({ "password": how, "sessions_ended": ended })),
    )
    .write(conn, actor)?;
    Ok(ended)
}

/// Sets a user's password (an admin or the command line): every session of
/// theirs ends. Returns how many did.
pub fn set_password(
    conn: &mut DbConn,
    actor: &Actor,
    user_id: i64,
    password: &Password,
) -> ServiceResult<usize> {
    password
        .check()
        .map_err(|p| ValidationErrors::single("password", p))?;
    let hash = hash_password(password)?;
    write_transaction(conn, |conn| {
        super::accounts::get_user(conn, user_id)?;
        write_password(conn, actor, user_id, &hash, Keep::NoSession, "set")
    })
}

/// What a user types to change their own password.
pub struct OwnPasswordChange<'a> {
    pub current: &'a Password,
    pub new: &'a Password,
    pub again: &'a Password,
}

/// Checks a new password typed twice: long enough, and the same both times.
pub fn check_new_password(
    errors: &mut ValidationErrors,
    new: &Password,
    again: &Password,
) -> Option<()> {
    errors.check("new_password", new.check())?;
    if new.expose() != again.expose() {
        errors.add("again", FieldProblem::PasswordsDiffer);
        return None;
    }
    Some(())
}

/// A user changes their own password, giving the current one; every other
/// session of theirs ends, the one they are in stays.
pub fn change_own_password(
    conn: &mut DbConn,
    user: &UserRow,
    session_id: i64,
    change: &OwnPasswordChange<'_>,
) -> ServiceResult<usize> {
    let mut errors = ValidationErrors::new();
    if !verify_password(change.current, &user.password_hash) {
        errors.add("current_password", FieldProblem::WrongPassword);
    }
    check_new_password(&mut errors, change.new, change.again);
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let hash = hash_password(change.new)?;
    let actor = Actor::user(user.id, &user.email);
    write_transaction(conn, |conn| {
        write_password(
            conn,
            &actor,
            user.id,
            &hash,
            Keep::Session(session_id),
            "changed by its owner",
        )
    })
}
