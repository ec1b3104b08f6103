//! The visits list and a visit's programme page.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::{html, Chrome};
use crate::i18n::Translator;
use crate::services::conflicts;
use crate::services::programme::{visits, VisitRecord};
use crate::web::error::AppError;
use crate::web::routing::Routes;
use crate::web::session::Staff;
use crate::web::AppState;

pub fn routes(routes: &mut Routes) {
    routes.get("/visits", visit_list);
}

pub struct VisitLine {
    pub visit: VisitRecord,
    pub meetings: usize,
    pub errors: usize,
    pub warnings: usize,
}

impl VisitLine {
    pub fn status_key(&self) -> &'static str {
        super::programme::status_key(self.visit.row.status)
    }

    pub fn days(&self) -> String {
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
    chrome: Chrome,
    upcoming: Vec<VisitLine>,
    past: Vec<VisitLine>,
}

/// Upcoming visits first (soonest at the top), then past ones (latest first),
/// each with its count of errors and warnings.
async fn visit_list(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let engine = state.settings.engine.clone();
    let today = chrono::Utc::now().date_naive();
    let lines = state
        .db(move |conn| {
            let mut lines = Vec::new();
            for visit in visits::list(conn)? {
                let found = conflicts::of_visit(conn, visit.row.id, engine.clone())?;
                let meetings = found
                    .snapshot
                    .meetings
                    .iter()
                    .filter(|m| m.visit_id == visit.row.id)
                    .count();
                lines.push(VisitLine {
                    meetings,
                    errors: found.errors(),
                    warnings: found.warnings(),
                    visit,
                });
            }
            Ok(lines)
        })
        .await?;
    let (upcoming, mut past): (Vec<_>, Vec<_>) = lines
        .into_iter()
        .partition(|l| l.visit.row.last_day >= today);
    past.reverse();
    let body = VisitsPage {
        t: staff.t,
        chrome: Chrome::of(&staff, req.path()),
        upcoming,
        past,
    }
    .render()?;
    Ok(html(body))
}
