//! The server-rendered pages staff work in. Every page but sign-in needs a
//! signed-in user; viewers read, planners edit, admins also manage users.

mod admin;
mod auth;
mod calendars;
mod editor;
pub mod form;
pub mod itinerary;
pub mod programme;
mod publishing;
mod visits;

use actix_web::http::header;
use actix_web::{web, HttpResponse};

use super::routing::Routes;
use super::session::Staff;
use super::AppState;
use crate::i18n::Translator;
use crate::services;

pub fn routes(routes: &mut Routes) {
    routes
        .get("/healthz", healthz)
        .get("/", home)
        .get("/static/app.css", stylesheet);
    auth::routes(routes);
    visits::routes(routes);
    editor::routes(routes);
    programme::routes(routes);
    admin::routes(routes);
    itinerary::routes(routes);
    publishing::routes(routes);
    calendars::routes(routes);
}

/// What the layout needs around every page: the language, who is signed in,
/// what they may do, and the form token.
pub struct Chrome {
    pub user: Option<String>,
    pub csrf: String,
    pub can_edit: bool,
    pub is_admin: bool,
    /// The current path, to come back to after switching language.
    pub path: String,
}

impl Chrome {
    pub fn visitor() -> Self {
        Self {
            user: None,
            csrf: String::new(),
            can_edit: false,
            is_admin: false,
            path: "/".into(),
        }
    }

    pub fn of(staff: &Staff, path: &str) -> Self {
        Self {
            user: Some(staff.user.email.clone()),
            csrf: staff.csrf.clone(),
            can_edit: staff.can_edit(),
            is_admin: staff.is_admin(),
            path: path.to_owned(),
        }
    }
}

pub fn html(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(body)
}

pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location.to_owned()))
        .finish()
}

/// A local path to go to after sign-in or a language switch; anything else
/// (another site, `//host`) becomes the visits page.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains(['\\', '\r', '\n']) =>
        {
            path.to_owned()
        }
        _ => "/visits".to_owned(),
    }
}

/// 200 when the database answers, 503 when it does not.
async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let pool = state.pool.clone();
    let up = web::block(move || services::database_answers(&pool))
        .await
        .unwrap_or(false);
    if up {
        HttpResponse::Ok().content_type("text/plain").body("ok")
    } else {
        HttpResponse::ServiceUnavailable()
            .content_type("text/plain")
            .body("database unavailable")
    }
}

async fn home() -> HttpResponse {
    see_other("/visits")
}

async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../../static/app.css"))
}

/// Translator shorthand for page structs.
pub fn translator(staff: &Staff) -> Translator {
    staff.t
}
