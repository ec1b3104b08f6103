//! `/reset/{secret}`: the page a password reset link opens, signed out. It
//! asks for the new password twice, sets it (ending every session of the
//! user) and sends to the sign-in page. A used, expired or unknown link gets a
//! page that says so (410 or 404), never the form.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::form::problem_text;
use super::{see_other, Chrome};
use crate::i18n::Translator;
use crate::services::accounts::Password;
use crate::services::password_resets::{self, Link};
use crate::services::ServiceError;
use crate::web::error::AppError;
use crate::web::extract::VisitorForm;
use crate::web::routing::Routes;
use crate::web::session;
use crate::web::AppState;

pub fn routes(routes: &mut Routes) {
    routes
        .get("/reset/{secret}", reset_form)
        .post("/reset/{secret}", reset);
}

#[derive(Template)]
#[template(path = "pages/reset.html")]
struct ResetPage<'a> {
    t: Translator,
    chrome: Chrome,
    csrf: &'a str,
    secret: &'a str,
    email: &'a str,
    /// Why the link does not work (a catalogue key), instead of the form.
    dead: Option<&'static str>,
    problems: Vec<(String, String)>,
}

impl ResetPage<'_> {
    /// The problem of a field, in words, if it has one.
    fn problem(&self, field: &str) -> Option<&str> {
        self.problems
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, p)| p.as_str())
    }
}

/// The page for a link that does not work, in the visitor's language.
fn dead_link(req: &HttpRequest, state: &AppState, link: &Link) -> Result<HttpResponse, AppError> {
    let (status, key) = match link {
        Link::Unknown => (StatusCode::NOT_FOUND, "reset-unknown"),
        _ => (StatusCode::GONE, "reset-gone"),
    };
    let body = ResetPage {
        t: Translator(session::visitor_language(req, state)),
        chrome: Chrome::visitor(),
        csrf: "",
        secret: "",
        email: "",
        dead: Some(key),
        problems: Vec::new(),
    }
    .render()?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body))
}

async fn reset_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    secret: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let secret = secret.into_inner();
    let looked_up = secret.clone();
    let link = state
        .db(move |conn| password_resets::check(conn, &looked_up))
        .await?;
    let Link::Live(user) = &link else {
        return dead_link(&req, &state, &link);
    };
    let (csrf, cookie) = session::pre_session_token(&req, &state);
    let body = ResetPage {
        t: Translator(user.language),
        chrome: Chrome::visitor(),
        csrf: &csrf,
        secret: &secret,
        email: &user.email,
        dead: None,
        problems: Vec::new(),
    }
    .render()?;
    let mut response = HttpResponse::Ok();
    if let Some(cookie) = cookie {
        response.cookie(cookie);
    }
    Ok(response.content_type("text/html; charset=utf-8").body(body))
}

#[derive(Deserialize)]
struct ResetForm {
    csrf: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    again: String,
}

async fn reset(
    req: HttpRequest,
    state: web::Data<AppState>,
    secret: web::Path<String>,
    form: VisitorForm<ResetForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let secret = secret.into_inner();
    let used = secret.clone();
    let (new, again) = (Password::new(form.new_password), Password::new(form.again));
    let outcome = state
        .db(
            move |conn| match password_resets::use_link(conn, &used, &new, &again) {
                Ok(link) => Ok(Ok(link)),
                Err(ServiceError::Validation(errors)) => Ok(Err(errors)),
                Err(other) => Err(other),
            },
        )
        .await?;
    let problems = match outcome {
        Ok(Link::Live(_)) => return Ok(see_other("/login?done=password")),
        Ok(dead) => return dead_link(&req, &state, &dead),
        Err(problems) => problems,
    };
    // The form again, with what was wrong, if the link still works.
    let looked_up = secret.clone();
    let link = state
        .db(move |conn| password_resets::check(conn, &looked_up))
        .await?;
    let Link::Live(user) = &link else {
        return dead_link(&req, &state, &link);
    };
    let t = Translator(user.language);
    let body = ResetPage {
        t,
        chrome: Chrome::visitor(),
        csrf: &form.csrf,
        secret: &secret,
        email: &user.email,
        dead: None,
        problems: problems
            .iter()
            .map(|(field, problem)| (field.to_owned(), problem_text(t, problem)))
            .collect(),
    }
    .render()?;
    Ok(HttpResponse::UnprocessableEntity()
        .content_type("text/html; charset=utf-8")
        .body(body))
}
