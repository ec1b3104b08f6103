//! The visits list and a visit's programme page.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::Datelike;
use serde::Deserialize;

use super::{html, Chrome};
use crate::i18n::Translator;
use crate::services::programme::VisitRecord;
use crate::services::visit_list;
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
    /// The search as typed, shown back in its box.
    q: String,
    current: Vec<VisitLine>,
    /// Past visits by year of their first day, latest first.
    past: Vec<(i32, Vec<VisitLine>)>,
    page: usize,
    pages: usize,
}

impl VisitsPage {
    fn page_of(&self) -> String {
        self.t.with(
            "visits-page",
            &[("page", self.page.into()), ("pages", self.pages.into())],
        )
    }

    /// The link to another page of the same search.
    fn page_link(&self, page: usize) -> String {
        let mut query = vec![("page", page.to_string())];
        if !self.q.is_empty() {
            query.insert(0, ("q", self.q.clone()));
        }
        let query = serde_html_form::to_string(&query).unwrap_or_default();
        format!("/visits?{query}")
    }
}

/// The search and page asked for; a page that is no number is the first.
#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    page: Option<String>,
}

fn line(listed: visit_list::Listed) -> VisitLine {
    VisitLine {
        visit: listed.visit,
        meetings: listed.counts.meetings,
        errors: listed.counts.errors,
        warnings: listed.counts.warnings,
    }
}

/// Lines in order, cut where the year of the first day changes.
fn by_year(lines: Vec<VisitLine>) -> Vec<(i32, Vec<VisitLine>)> {
    let mut years: Vec<(i32, Vec<VisitLine>)> = Vec::new();
    for line in lines {
        let year = line.visit.row.first_day.year();
        match years.last_mut() {
            Some((y, group)) if *y == year => group.push(line),
            _ => years.push((year, vec![line])),
        }
    }
    years
}

/// The visits list as HTML: `q` is the search as typed, `list` its page.
pub fn render_visit_list(
    t: Translator,
    chrome: Chrome,
    q: String,
    list: visit_list::VisitList,
) -> Result<String, AppError> {
    Ok(VisitsPage {
        t,
        chrome,
        q,
        current: list.current.into_iter().map(line).collect(),
        past: by_year(list.past.into_iter().map(line).collect()),
        page: list.page,
        pages: list.pages,
    }
    .render()?)
}

/// Current and upcoming visits first (soonest at the top), then past ones by
/// year (latest first), searched and paged; each with its count of errors and
/// warnings from one run of the engine over the page.
async fn visit_list(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let ListQuery { q, page } = query.into_inner();
    let q = q.unwrap_or_default().trim().to_owned();
    let page = page.and_then(|p| p.trim().parse().ok()).unwrap_or(1);
    let engine = state.settings.engine.clone();
    let today = chrono::Utc::now().date_naive();
    let search = q.clone();
    let list = state
        .db(move |conn| visit_list::load(conn, &search, page, today, engine))
        .await?;
    let body = render_visit_list(staff.t, Chrome::of(&staff, req.path()), q, list)?;
    Ok(html(body))
}
