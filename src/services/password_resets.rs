//! Password reset links: an admin has one sent to a user, who follows it
//! signed out and sets a new password. The link's secret travels only in the
//! email (queued in the outbox, in the user's language); Sapar keeps its
//! SHA-256 digest. A link lasts `LINK_HOURS`, works once, and is void as soon
//! as a newer link is sent or the password changes another way.

use chrono::Duration;

use super::accounts::{hash_password, Password};
use super::publishing::{mail_host, message_id};
use super::tokens::{digest, random_secret};
use super::users::{check_new_password, write_password, Keep};
use super::{now, Actor, Audit, AuditAction, ServiceResult, UserRow};
use crate::config::Settings;
use crate::db::outbox_repo::{self, NewOutboxMessage};
use crate::db::{repo, write_transaction, DbConn};
use crate::domain::{FieldProblem, ValidationErrors};
use crate::i18n::Translator;
use crate::mail::render;

/// How long a link works.
pub const LINK_HOURS: i64 = 1;
/// The outbox kind of the email that carries a link.
pub const MAIL_KIND: &str = "password_reset";

/// Whether a secret is shaped like a link's (64 hex digits), before any lookup.
pub fn looks_like_secret(secret: &str) -> bool {
    secret.len() == 64 && secret.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Sends the user a new link (voiding older ones): the email is queued in the
/// same transaction as the link and its audit event.
pub fn send_link(
    conn: &mut DbConn,
    actor: &Actor,
    user_id: i64,
    settings: &Settings,
) -> ServiceResult<UserRow> {
    let secret = random_secret("");
    let at = now();
    let expires_at = at + Duration::hours(LINK_HOURS);
    write_transaction(conn, |conn| {
        let user = super::accounts::get_user(conn, user_id)?;
        repo::void_password_resets(conn, user_id, at)?;
        let id = repo::insert_password_reset(conn, user_id, &digest(&secret), at, expires_at)?;
        let link = format!("{}/reset/{secret}", settings.base_url.trim_end_matches('/'));
        let name = if user.full_name.is_empty() {
            user.email.clone()
        } else {
            user.full_name.clone()
        };
        let rendered =
            render::password_reset(Translator(user.language), &name, &link).map_err(|e| {
                ValidationErrors::single(
                    "template",
                    FieldProblem::Invalid {
                        reason: e.to_string(),
                    },
                )
            })?;
        outbox_repo::queue(
            conn,
            &[NewOutboxMessage {
                visit_id: None,
                schedule_version: None,
                recipient_email: user.email.clone(),
                recipient_name: name,
                kind: MAIL_KIND.to_owned(),
                subject: rendered.subject,
                body_text: rendered.text,
                body_html: rendered.html,
                attachments: "[]".to_owned(),
                status: "pending".to_owned(),
                attempts: 0,
                next_attempt_at: at,
                message_id: message_id(&mail_host(settings)),
                created_at: at,
            }],
        )?;
        Audit::new(
            "password_reset",
            Some(id),
            AuditAction::Create,
            None,
            Some(serde_json::json!({ "user_id": user_id, "expires_at": expires_at })),
        )
        .write(conn, actor)?;
        Ok(user)
    })
}

/// What a link is worth when someone follows it.
#[derive(Debug, PartialEq)]
pub enum Link {
    /// It works: whose password it sets.
    Live(UserRow),
    /// It worked once, or its hour is over, or a newer one replaced it.
    Gone,
    /// No link has this secret.
    Unknown,
}

fn look_up(conn: &mut DbConn, secret: &str) -> ServiceResult<(Link, Option<i64>)> {
    if !looks_like_secret(secret) {
        return Ok((Link::Unknown, None));
    }
    let Some(row) = repo::find_password_reset(conn, &digest(secret))? else {
        return Ok((Link::Unknown, None));
    };
    if row.used_at.is_some() || row.expires_at <= now() {
        return Ok((Link::Gone, None));
    }
    let user = super::accounts::get_user(conn, row.user_id)?;
    Ok((Link::Live(user), Some(row.id)))
}

/// What the link with this secret is worth now (nothing is changed).
pub fn check(conn: &mut DbConn, secret: &str) -> ServiceResult<Link> {
    Ok(look_up(conn, secret)?.0)
}

/// Sets the password through a live link, typed twice: the link is used up,
/// and every session of the user ends. A bad password is a validation error
/// and leaves the link as it was; a dead link changes nothing.
pub fn use_link(
    conn: &mut DbConn,
    secret: &str,
    new: &Password,
    again: &Password,
) -> ServiceResult<Link> {
    let mut errors = ValidationErrors::new();
    check_new_password(&mut errors, new, again);
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let hash = hash_password(new)?;
    write_transaction(conn, |conn| {
        let (link, id) = look_up(conn, secret)?;
        let (Link::Live(user), Some(id)) = (&link, id) else {
            return Ok(link);
        };
        if repo::use_password_reset(conn, id, now())? == 0 {
            return Ok(Link::Gone);
        }
        let actor = Actor::user(user.id, &user.email);
        write_password(
            conn,
            &actor,
            user.id,
            &hash,
            Keep::NoSession,
            "reset by link",
        )?;
        Ok(link)
    })
}
