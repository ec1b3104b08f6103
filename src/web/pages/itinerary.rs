//! The printable itinerary: per visit, per official, group or participant, per
//! day; the working programme (internal) or the guest programme (public).

use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::html;
use crate::domain::itinerary::{Audience, Day, Filter};
use crate::domain::short_name;
use crate::i18n::long_date;
use crate::i18n::Translator;
use crate::services::itinerary;
use crate::web::error::AppError;
use crate::web::routing::Routes;
use crate::web::session::Staff;
use crate::web::AppState;

pub fn routes(routes: &mut Routes) {
    routes.get("/visits/{id}/itinerary", itinerary_page);
}

#[derive(Deserialize)]
pub struct ItineraryQuery {
    pub official: Option<String>,
    pub group: Option<String>,
    pub participant: Option<String>,
    pub day: Option<String>,
    pub view: Option<String>,
}

/// An optional id from the query: empty is none, anything else must be a number.
fn optional_id(value: &Option<String>) -> Result<Option<i64>, AppError> {
    match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| AppError::NotFound),
    }
}

pub struct PrintDay<'a> {
    pub heading: String,
    pub day: &'a Day,
}

#[derive(Template)]
#[template(path = "print/itinerary.html")]
struct ItineraryPage<'a> {
    t: Translator,
    title: &'a str,
    heading: String,
    reader: Option<String>,
    version: String,
    printed: String,
    public: bool,
    days: Vec<PrintDay<'a>>,
    visit_id: i64,
    /// The day view of the same reader: the official's, or everyone's.
    today: String,
    /// The same itinerary as a Word document.
    docx: String,
}

impl ItineraryPage<'_> {
    fn short(&self, name: &str) -> String {
        short_name(name)
    }
}

/// The reader and rendering an itinerary's query names; a malformed id or
/// day is a page that does not exist.
pub fn filter_of(query: &ItineraryQuery) -> Result<(Filter, Audience), AppError> {
    let day = match query
        .day
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        None => None,
        Some(d) => Some(NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| AppError::NotFound)?),
    };
    let filter = Filter {
        official: optional_id(&query.official)?,
        group: optional_id(&query.group)?,
        participant: optional_id(&query.participant)?,
        day,
    };
    let audience = if query.view.as_deref() == Some("public") {
        Audience::Public
    } else {
        Audience::Internal
    };
    Ok((filter, audience))
}

async fn itinerary_page(
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: web::Query<ItineraryQuery>,
) -> Result<HttpResponse, AppError> {
    let visit_id = id.into_inner();
    let (filter, audience) = filter_of(&query)?;
    let settings = state.settings.engine.clone();
    let found = state
        .db(move |conn| itinerary::of_visit(conn, visit_id, &filter, audience, &settings))
        .await?;
    let printed_at = chrono::Utc::now();
    let body = render_itinerary_of(staff.t, &found, audience, printed_at, &filter)?;
    Ok(html(body))
}

/// The printable page of an itinerary the services made, printed at
/// `printed_at` (shown in the visit's zone). Public for the benchmarks.
pub fn render_itinerary(
    t: Translator,
    found: &itinerary::VisitItinerary,
    audience: Audience,
    printed_at: chrono::DateTime<chrono::Utc>,
) -> Result<String, askama::Error> {
    render_itinerary_of(t, found, audience, printed_at, &Filter::default())
}

/// The Word document of the same itinerary: the same reader, day and view.
fn docx_link(visit_id: i64, filter: &Filter, audience: Audience) -> String {
    let mut query = Vec::new();
    if let Some(o) = filter.official {
        query.push(format!("official={o}"));
    }
    if let Some(g) = filter.group {
        query.push(format!("group={g}"));
    }
    if let Some(p) = filter.participant {
        query.push(format!("participant={p}"));
    }
    if let Some(d) = filter.day {
        query.push(format!("day={d}"));
    }
    if audience == Audience::Public {
        query.push("view=public".into());
    }
    if query.is_empty() {
        format!("/visits/{visit_id}/programme.docx")
    } else {
        format!("/visits/{visit_id}/programme.docx?{}", query.join("&"))
    }
}

/// As [`render_itinerary`], its day-view link for the official when the
/// itinerary is one official's, and its Word link with the same filter.
fn render_itinerary_of(
    t: Translator,
    found: &itinerary::VisitItinerary,
    audience: Audience,
    printed_at: chrono::DateTime<chrono::Utc>,
    filter: &Filter,
) -> Result<String, askama::Error> {
    let official = filter.official;
    let visit_id = found.visit.row.id;
    let zone = found.visit.zone();
    let now = printed_at.with_timezone(&zone);
    let public = audience == Audience::Public;
    ItineraryPage {
        t,
        title: &found.visit.row.title,
        heading: t
            .get(if public {
                "itinerary-public"
            } else {
                "itinerary-internal"
            })
            .to_owned(),
        reader: found.reader.clone(),
        version: match found.visit.row.published_version {
            Some(n) => t.count("itinerary-version", n),
            None => t.get("itinerary-draft").to_owned(),
        },
        printed: format!("{} {}", long_date(t, now.date_naive()), now.format("%H:%M")),
        public,
        days: found
            .itinerary
            .days
            .iter()
            .map(|day| PrintDay {
                heading: long_date(t, day.date),
                day,
            })
            .collect(),
        visit_id,
        docx: docx_link(visit_id, filter, audience),
        today: match official {
            Some(o) => format!("/visits/{visit_id}/today?official={o}"),
            None => format!("/visits/{visit_id}/today"),
        },
    }
    .render()
}
