//! Signing in and out, and the language switch.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use actix_web::http::StatusCode;

use super::{safe_next, Chrome};
use crate::domain::Language;
use crate::i18n::Translator;
use crate::services::accounts::{self, Password, SignIn};
use crate::web::client::client_address;
use crate::web::error::AppError;
use crate::web::extract::CsrfFields;
use crate::web::extract::CsrfForm;
use crate::web::routing::Routes;
use crate::web::session::{self, Staff};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "pages/login.html")]
struct LoginPage<'a> {
    t: Translator,
    chrome: Chrome,
    csrf: &'a str,
    next: &'a str,
    email: &'a str,
    problem: Option<&'a str>,
    /// What just happened, when a page sent the visitor here to sign in again.
    notice: Option<&'a str>,
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
    done: Option<String>,
}

async fn login_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, AppError> {
    let t = Translator(session::visitor_language(&req, &state));
    let (csrf, cookie) = session::pre_session_token(&req, &state);
    let next = safe_next(query.next.as_deref());
    let body = LoginPage {
        t,
        chrome: Chrome::visitor(),
        csrf: &csrf,
        next: &next,
        email: "",
        problem: None,
        notice: match query.done.as_deref() {
            Some("password") => Some(t.get("login-password_changed")),
            _ => None,
        },
    }
    .render()?;
    let mut response = HttpResponse::Ok();
    if let Some(cookie) = cookie {
        response.cookie(cookie);
    }
    Ok(response.content_type("text/html; charset=utf-8").body(body))
}

#[derive(Deserialize)]
struct LoginForm {
    email: String,
    password: String,
    csrf: String,
    #[serde(default)]
    next: String,
}

async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let t = Translator(session::visitor_language(&req, &state));
    if !session::pre_session_matches(&req, &state, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    let client = client_address(&req, &state);
    let (email, password) = (form.email.clone(), Password::new(form.password));
    let outcome = state
        .db(move |conn| accounts::sign_in(conn, &email, &password, &client))
        .await?;
    let (problem, status, retry_after) = match outcome {
        SignIn::Welcome(user) => {
            let target = safe_next(Some(&form.next));
            let cookie = session::start_session(&req, &state, &user).await?;
            return Ok(HttpResponse::SeeOther()
                .cookie(cookie)
                .insert_header((header::LOCATION, target))
                .finish());
        }
        SignIn::WrongEmailOrPassword { wait_seconds: 0 } => (
            t.get("login-wrong").to_owned(),
            StatusCode::UNAUTHORIZED,
            None,
        ),
        SignIn::WrongEmailOrPassword { wait_seconds } => (
            format!("{} {}", t.get("login-wrong"), next_try(t, wait_seconds)),
            StatusCode::UNAUTHORIZED,
            None,
        ),
        SignIn::TooEarly { wait_seconds } => (
            format!("{} {}", t.get("login-too_soon"), next_try(t, wait_seconds)),
            StatusCode::TOO_MANY_REQUESTS,
            Some(wait_seconds),
        ),
    };
    let body = LoginPage {
        t,
        chrome: Chrome::visitor(),
        csrf: &form.csrf,
        next: &safe_next(Some(&form.next)),
        email: &form.email,
        problem: Some(&problem),
        notice: None,
    }
    .render()?;
    let mut response = HttpResponse::build(status);
    if let Some(seconds) = retry_after {
        response.insert_header((header::RETRY_AFTER, seconds.to_string()));
    }
    Ok(response.content_type("text/html; charset=utf-8").body(body))
}

/// When the next sign-in may be tried: in seconds under a minute, else in
/// whole minutes, rounded up.
fn next_try(t: Translator, seconds: i64) -> String {
    if seconds < 60 {
        t.count("login-next_try_seconds", seconds)
    } else {
        t.count("login-next_try_minutes", (seconds + 59) / 60)
    }
}

async fn logout(
    req: HttpRequest,
    state: web::Data<AppState>,
    _checked: CsrfFields,
) -> Result<HttpResponse, AppError> {
    session::end_session(&req, &state).await?;
    Ok(HttpResponse::SeeOther()
        .cookie(session::ended_session_cookie(&state))
        .insert_header((header::LOCATION, "/login"))
        .finish())
}

#[derive(Deserialize)]
struct LanguageForm {
    language: String,
    #[serde(default)]
    next: String,
}

/// Keeps the chosen language on the user, so it follows them to any device.
async fn choose_language(
    staff: Staff,
    state: web::Data<AppState>,
    form: CsrfForm<LanguageForm>,
) -> Result<HttpResponse, AppError> {
    let language = Language::parse(&form.language)
        .ok_or_else(|| AppError::BadRequest("unknown language".into()))?;
    let user_id = staff.user.id;
    state
        .db(move |conn| accounts::set_language(conn, user_id, language))
        .await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, super::page_at_or_above(&form.next)))
        .finish())
}

pub fn routes(routes: &mut Routes) {
    routes
        .get("/login", login_form)
        .post("/login", login)
        .post("/logout", logout)
        .post("/language", choose_language);
}
