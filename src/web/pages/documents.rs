//! Documents of a visit from the interface: the programme as a Word document
//! (with the itinerary's filters), the access list of each venue (Word, CSV),
//! the page where planners mark the security service's clearances, and the
//! button that sends the lists to the venues.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::itinerary::{filter_of, ItineraryQuery};
use super::{html, see_other, Chrome};
use crate::domain::access::AccessList;
use crate::domain::{Clearance, PersonKind};
use crate::i18n::Translator;
use crate::render::docx::{access_rows, clearance_word};
use crate::services::documents::{self, Document, VisitVenue};
use crate::web::error::AppError;
use crate::web::extract::{CsrfFields, Planner};
use crate::web::routing::Routes;
use crate::web::session::Staff;
use crate::web::AppState;

pub fn routes(routes: &mut Routes) {
    routes
        .get("/visits/{id}/programme.docx", programme_docx)
        .get("/visits/{id}/access-list.csv", access_list_csv)
        .get("/visits/{id}/access-list.docx", access_list_docx)
        .get("/visits/{id}/access", access_page)
        .post("/visits/{id}/access", save_clearances)
        .post("/visits/{id}/access-lists/send", send_access_lists);
}

/// `filename*` per RFC 5987: UTF-8, every byte outside the few safe ones
/// percent-encoded.
fn rfc5987(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A document as a download: an ASCII name for every client and the
/// reader's own letters in `filename*` for those that read it.
pub fn download(document: Document) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(document.content_type)
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"{}\"; filename*=UTF-8''{}",
                document.filename,
                rfc5987(&document.title)
            ),
        ))
        .body(document.bytes)
}

async fn programme_docx(
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: web::Query<ItineraryQuery>,
) -> Result<HttpResponse, AppError> {
    let visit_id = id.into_inner();
    let (filter, audience) = filter_of(&query)?;
    let settings = state.settings.engine.clone();
    let t = staff.t;
    let document = state
        .db(move |conn| documents::programme_docx(conn, visit_id, &filter, audience, &settings, t))
        .await?;
    Ok(download(document))
}

#[derive(Deserialize)]
pub struct VenueQuery {
    venue: Option<String>,
    saved: Option<String>,
}

/// The venue asked for: a number, else the page does not exist.
fn venue_of(query: &VenueQuery) -> Result<Option<i64>, AppError> {
    match query
        .venue
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| AppError::NotFound),
    }
}

async fn load_list(
    state: &AppState,
    visit_id: i64,
    query: &VenueQuery,
) -> Result<(crate::services::programme::VisitRecord, AccessList), AppError> {
    let venue_id = venue_of(query)?.ok_or(AppError::NotFound)?;
    state
        .db(move |conn| documents::access_list(conn, visit_id, venue_id))
        .await
}

async fn access_list_csv(
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: web::Query<VenueQuery>,
) -> Result<HttpResponse, AppError> {
    let (_, list) = load_list(&state, id.into_inner(), &query).await?;
    Ok(download(documents::access_list_csv(staff.t, &list)))
}

async fn access_list_docx(
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: web::Query<VenueQuery>,
) -> Result<HttpResponse, AppError> {
    let (visit, list) = load_list(&state, id.into_inner(), &query).await?;
    Ok(download(documents::access_list_docx(
        staff.t, &visit, &list,
    )))
}

/// One person's row on the access page.
pub struct AccessLine {
    pub key: String,
    pub cells: [String; 6],
    pub clearance: Option<Clearance>,
}

#[derive(Template)]
#[template(path = "pages/access.html")]
struct AccessPage {
    t: Translator,
    chrome: Chrome,
    visit_id: i64,
    title: String,
    venues: Vec<VisitVenue>,
    venue: Option<(i64, String, Option<String>)>,
    lines: Vec<AccessLine>,
    headings: [&'static str; 6],
    saved: bool,
    /// The venue asked for is not one of the visit's.
    unknown_venue: bool,
    choices: Vec<(&'static str, &'static str)>,
}

impl AccessPage {
    /// Whether `venue` is the one whose list is shown.
    fn shown(&self, venue: i64) -> bool {
        self.venue.as_ref().is_some_and(|(id, _, _)| *id == venue)
    }

    fn lines(&self, text: &str) -> Vec<String> {
        text.lines().map(str::to_owned).collect()
    }

    fn is(&self, line: &AccessLine, word: &str) -> bool {
        line.clearance.map(Clearance::as_str).unwrap_or("") == word
    }
}

async fn access_page(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: web::Query<VenueQuery>,
) -> Result<HttpResponse, AppError> {
    let visit_id = id.into_inner();
    let venue_id = venue_of(&query)?;
    let (visit, venues, list) = state
        .db(move |conn| {
            let visit = crate::services::programme::visits::get(conn, visit_id)?;
            let venues = documents::venues_of_visit(conn, visit_id)?;
            let list = match venue_id {
                Some(v) if venues.iter().any(|known| known.id == v) => {
                    Some(documents::access_list(conn, visit_id, v)?.1)
                }
                _ => None,
            };
            Ok((visit, venues, list))
        })
        .await?;
    let t = staff.t;
    let lines = list
        .as_ref()
        .map(|l| {
            access_rows(t, l)
                .into_iter()
                .zip(&l.entries)
                .map(|(cells, e)| AccessLine {
                    key: format!("{}_{}", e.person.kind.as_str(), e.person.id),
                    cells,
                    clearance: e.clearance,
                })
                .collect()
        })
        .unwrap_or_default();
    let venue = list.as_ref().map(|l| {
        let contact = venues
            .iter()
            .find(|v| v.id == l.venue.id)
            .and_then(|v| v.contact_email.clone());
        (l.venue.id, l.venue.name.clone(), contact)
    });
    let body = AccessPage {
        t,
        chrome: Chrome::of(&staff, req.path()),
        visit_id,
        title: visit.row.title,
        venues,
        venue,
        lines,
        headings: crate::render::docx::access_headings(t),
        saved: query.saved.is_some(),
        unknown_venue: venue_id.is_some() && list.is_none(),
        choices: [
            None,
            Some(Clearance::Requested),
            Some(Clearance::Granted),
            Some(Clearance::Refused),
        ]
        .into_iter()
        .map(|c| (c.map(Clearance::as_str).unwrap_or(""), clearance_word(t, c)))
        .collect(),
    }
    .render()?;
    if venue_id.is_some() && list.is_none() {
        // A venue the visit does not use: the page again, saying so.
        return Ok(HttpResponse::NotFound()
            .content_type("text/html; charset=utf-8")
            .body(body));
    }
    Ok(html(body))
}

/// The marks of the form: one `mark_{kind}_{id}` field per person shown,
/// empty for "not requested".
async fn save_clearances(
    staff: Planner,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: web::Query<VenueQuery>,
    CsrfFields(submitted): CsrfFields,
) -> Result<HttpResponse, AppError> {
    let visit_id = id.into_inner();
    let venue_id = venue_of(&query)?.ok_or(AppError::NotFound)?;
    let mut marks = Vec::new();
    for (name, values) in &submitted {
        let Some(rest) = name.strip_prefix("mark_") else {
            continue;
        };
        let (kind, person) = rest
            .split_once('_')
            .and_then(|(k, p)| Some((PersonKind::parse(k)?, p.parse::<i64>().ok()?)))
            .ok_or_else(|| AppError::BadRequest(format!("unknown field {name}")))?;
        let word = values.first().map(String::as_str).unwrap_or("");
        let status = match word {
            "" => None,
            w => Some(
                Clearance::parse(w).ok_or_else(|| AppError::BadRequest(format!("{name}: {w}")))?,
            ),
        };
        marks.push((kind, person, status));
    }
    let actor = staff.actor();
    state
        .db(move |conn| documents::set_clearances(conn, &actor, visit_id, venue_id, &marks))
        .await?;
    Ok(see_other(&format!(
        "/visits/{visit_id}/access?venue={venue_id}&saved=1"
    )))
}

async fn send_access_lists(
    staff: Planner,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    CsrfFields(_): CsrfFields,
) -> Result<HttpResponse, AppError> {
    let visit_id = id.into_inner();
    let (actor, settings) = (staff.actor(), state.settings.clone());
    state
        .db(move |conn| documents::send_access_lists(conn, &actor, visit_id, &settings))
        .await?;
    Ok(see_other(&format!("/outbox?visit={visit_id}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_utf8_file_name_is_percent_encoded() {
        assert_eq!(
            rfc5987("Программа 1.docx"),
            "%D0%9F%D1%80%D0%BE%D0%B3%D1%80%D0%B0%D0%BC%D0%BC%D0%B0%201.docx"
        );
        assert_eq!(rfc5987("a\"b"), "a%22b");
    }
}
