//! `/account`: every signed-in user's own password, sessions and API tokens.
//! These are changes to one's own account, so any role may make them.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::NaiveDateTime;
use serde::Deserialize;

use super::form::problem_text;
use super::{see_other, Chrome};
use crate::domain::{FieldProblem, ValidationErrors};
use crate::i18n::Translator;
use crate::services::accounts::Password;
use crate::services::tokens::{self, TokenRequest};
use crate::services::users::{self, OwnPasswordChange};
use crate::services::{sessions, Actor, ServiceError};
use crate::web::error::AppError;
use crate::web::extract::{CsrfFields, CsrfForm};
use crate::web::routing::Routes;
use crate::web::session::{self, Staff};
use crate::web::AppState;

pub fn routes(routes: &mut Routes) {
    routes
        .get("/account", account_page)
        .post("/account/password", change_password)
        .post("/account/sessions/end-all", end_all_sessions)
        .post("/account/sessions/{id}/end", end_session)
        .post("/account/tokens", create_token)
        .post("/account/tokens/{id}/revoke", revoke_token);
}

/// Who changes their own account, for the audit log.
fn own(staff: &Staff) -> Actor {
    Actor::user(staff.user.id, &staff.user.email)
}

/// Instants here belong to no visit: they are shown in the office's zone.
fn shown(at: NaiveDateTime) -> String {
    super::office_time(at)
}

pub struct SessionLine {
    pub id: i64,
    pub seen_from: String,
    pub created: String,
    pub last_seen: String,
    pub current: bool,
}

pub struct TokenLine {
    pub id: i64,
    pub label: String,
    pub created: String,
    pub last_used: Option<String>,
    pub expires: Option<String>,
}

/// What a page shows beyond the lists: a notice, a token just made, the
/// problems of a form and the token form's input.
#[derive(Default)]
struct Shown {
    done: Option<&'static str>,
    issued: Option<String>,
    problems: ValidationErrors,
    label: String,
    days: String,
}

#[derive(Template)]
#[template(path = "pages/account.html")]
struct AccountPage {
    t: Translator,
    chrome: Chrome,
    email: String,
    /// The catalogue key of the user's role.
    role_key: String,
    sessions: Vec<SessionLine>,
    tokens: Vec<TokenLine>,
    done: Option<&'static str>,
    issued: Option<String>,
    problems: Vec<(String, String)>,
    label: String,
    days: String,
}

impl AccountPage {
    /// The problem of a field, in words, if it has one.
    fn problem(&self, field: &str) -> Option<&str> {
        self.problems
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, p)| p.as_str())
    }
}

async fn render(
    staff: &Staff,
    state: &AppState,
    shown_: Shown,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let user_id = staff.user.id;
    let (live, owned) = state
        .db(move |conn| {
            Ok((
                sessions::list(conn, user_id)?,
                tokens::of_user(conn, user_id)?,
            ))
        })
        .await?;
    let t = staff.t;
    let body = AccountPage {
        t,
        chrome: Chrome::of(staff, "/account"),
        email: staff.user.email.clone(),
        role_key: format!("role-{}", staff.role.as_str()),
        sessions: live
            .into_iter()
            .map(|s| SessionLine {
                id: s.id,
                current: s.id == staff.session_id,
                seen_from: s.seen_from,
                created: shown(s.created_at),
                last_seen: shown(s.last_seen_at),
            })
            .collect(),
        tokens: owned
            .into_iter()
            .map(|k| TokenLine {
                id: k.id,
                label: k.label,
                created: shown(k.created_at),
                last_used: k.last_used_at.map(shown),
                expires: k.expires_at.map(shown),
            })
            .collect(),
        done: shown_.done,
        issued: shown_.issued,
        problems: shown_
            .problems
            .iter()
            .map(|(field, problem)| (field.to_owned(), problem_text(t, problem)))
            .collect(),
        label: shown_.label,
        days: shown_.days,
    }
    .render()?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body))
}

#[derive(Deserialize)]
struct AccountQuery {
    done: Option<String>,
}

async fn account_page(
    staff: Staff,
    state: web::Data<AppState>,
    query: web::Query<AccountQuery>,
) -> Result<HttpResponse, AppError> {
    let done = match query.done.as_deref() {
        Some("password") => Some("account-password_changed"),
        _ => None,
    };
    let shown_ = Shown {
        done,
        ..Default::default()
    };
    render(&staff, &state, shown_, StatusCode::OK).await
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    again: String,
}

/// Changes one's own password; the other sessions end, this one stays.
async fn change_password(
    staff: Staff,
    state: web::Data<AppState>,
    form: CsrfForm<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (user, session_id) = (staff.user.clone(), staff.session_id);
    let outcome = state
        .db(move |conn| {
            let change = OwnPasswordChange {
                current: &Password::new(form.current_password),
                new: &Password::new(form.new_password),
                again: &Password::new(form.again),
            };
            match users::change_own_password(conn, &user, session_id, &change) {
                Ok(_) => Ok(None),
                Err(ServiceError::Validation(errors)) => Ok(Some(errors)),
                Err(other) => Err(other),
            }
        })
        .await?;
    match outcome {
        None => Ok(see_other("/account?done=password")),
        Some(problems) => {
            let shown_ = Shown {
                problems,
                ..Default::default()
            };
            render(&staff, &state, shown_, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

/// To the sign-in page, with the session cookie removed.
fn signed_out(state: &AppState) -> HttpResponse {
    HttpResponse::SeeOther()
        .cookie(session::ended_session_cookie(state))
        .insert_header((header::LOCATION, "/login"))
        .finish()
}

/// Signs one of one's sessions out (this one too, if it is the one named).
async fn end_session(
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    _checked: CsrfFields,
) -> Result<HttpResponse, AppError> {
    let (user_id, id) = (staff.user.id, id.into_inner());
    state
        .db(move |conn| sessions::end_one(conn, user_id, id))
        .await?;
    if id == staff.session_id {
        Ok(signed_out(&state))
    } else {
        Ok(see_other("/account"))
    }
}

/// Signs out everywhere, this browser included.
async fn end_all_sessions(
    staff: Staff,
    state: web::Data<AppState>,
    _checked: CsrfFields,
) -> Result<HttpResponse, AppError> {
    let user_id = staff.user.id;
    state
        .db(move |conn| sessions::end_all(conn, user_id))
        .await?;
    Ok(signed_out(&state))
}

#[derive(Deserialize)]
struct TokenForm {
    #[serde(default)]
    label: String,
    #[serde(default)]
    days: String,
}

/// The lifetime typed in the form: empty is none (until revoked).
fn days_of(text: &str) -> Result<Option<i64>, ValidationErrors> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse()
        .map(Some)
        .map_err(|_| ValidationErrors::single("days", FieldProblem::NotAWholeNumber))
}

/// Makes an API token for oneself; its secret is shown on this answer only.
async fn create_token(
    staff: Staff,
    state: web::Data<AppState>,
    form: CsrfForm<TokenForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (actor, user_id) = (own(&staff), staff.user.id);
    let label = form.label.clone();
    let outcome = match days_of(&form.days) {
        Err(problems) => Err(problems),
        Ok(days) => {
            state
                .db(move |conn| {
                    match tokens::create(conn, &actor, user_id, &TokenRequest { label, days }) {
                        Ok(made) => Ok(Ok(made.secret)),
                        Err(ServiceError::Validation(errors)) => Ok(Err(errors)),
                        Err(other) => Err(other),
                    }
                })
                .await?
        }
    };
    let (shown_, status) = match outcome {
        Ok(secret) => (
            Shown {
                issued: Some(secret),
                ..Default::default()
            },
            StatusCode::OK,
        ),
        Err(problems) => (
            Shown {
                problems,
                label: form.label,
                days: form.days,
                ..Default::default()
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    };
    render(&staff, &state, shown_, status).await
}

async fn revoke_token(
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    _checked: CsrfFields,
) -> Result<HttpResponse, AppError> {
    let (actor, by, id) = (own(&staff), staff.user.clone(), id.into_inner());
    state
        .db(move |conn| tokens::revoke(conn, &actor, &by, id))
        .await?;
    Ok(see_other("/account"))
}
