//! The pages served so far: the health check, the list of visits, the stylesheet.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use askama::Template;

use super::error::AppError;
use super::AppState;
use crate::db::{self, repo};
use crate::domain::Language;
use crate::i18n::{self, Translator};
use crate::services::programme::{visits, VisitRecord};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(healthz)
        .service(home)
        .service(visit_list)
        .service(stylesheet);
}

/// The language of a request: an explicit `?lang=`, else the browser's
/// `Accept-Language`, else the configured default.
fn language(req: &HttpRequest, state: &AppState) -> Language {
    let query = web::Query::<HashMap<String, String>>::from_query(req.query_string()).ok();
    query
        .and_then(|q| q.get("lang").and_then(|l| Language::parse(l)))
        .or_else(|| {
            req.headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(i18n::negotiate)
        })
        .unwrap_or(state.settings.default_language)
}

/// 200 when the database answers, 503 when it does not.
#[get("/healthz")]
async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let pool = state.pool.clone();
    let up = web::block(move || pool.get().map(|mut c| db::ping(&mut c)).unwrap_or(false))
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

#[get("/")]
async fn home() -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/visits"))
        .finish()
}

struct VisitLine {
    visit: VisitRecord,
    meetings: i64,
}

impl VisitLine {
    fn status_key(&self) -> &'static str {
        match crate::domain::VisitStatus::parse(&self.visit.row.status) {
            Some(crate::domain::VisitStatus::Published) => "status.published",
            Some(crate::domain::VisitStatus::Completed) => "status.completed",
            Some(crate::domain::VisitStatus::Cancelled) => "status.cancelled",
            _ => "status.draft",
        }
    }

    fn days(&self) -> String {
        let (first, last) = (self.visit.row.first_day, self.visit.row.last_day);
        if first == last {
            first.format("%d.%m.%Y").to_string()
        } else {
            format!("{} – {}", first.format("%d.%m.%Y"), last.format("%d.%m.%Y"))
        }
    }
}

#[derive(Template)]
#[template(path = "pages/visits.html")]
struct VisitsPage {
    t: Translator,
    visits: Vec<VisitLine>,
}

#[get("/visits")]
async fn visit_list(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let t = Translator(language(&req, &state));
    let visits = state
        .db(|conn| {
            let counts: HashMap<i64, i64> = repo::meeting_counts(conn)?.into_iter().collect();
            Ok(visits::list(conn)?
                .into_iter()
                .map(|visit| VisitLine {
                    meetings: counts.get(&visit.row.id).copied().unwrap_or(0),
                    visit,
                })
                .collect())
        })
        .await?;
    let body = VisitsPage { t, visits }.render()?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(body))
}

#[get("/static/app.css")]
async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../static/app.css"))
}
