//! Calendars: a visit's programme as an `.ics` for staff, the token-protected
//! subscription feeds of officials and participants (`webcal://`), and the
//! staff page that makes and revokes their tokens.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::form::problem_text;
use super::{see_other, Chrome};
use crate::i18n::Translator;
use crate::render::calendar::Method;
use crate::services::calendars::{self, Subscriber};
use crate::services::catalogue::{officials, participants};
use crate::services::{ListQuery, ServiceError};
use crate::web::error::AppError;
use crate::web::extract::{CsrfFields, CsrfForm, Planner};
use crate::web::routing::Routes;
use crate::web::session::Staff;
use crate::web::AppState;

pub fn routes(routes: &mut Routes) {
    routes
        .get("/visits/{id}/calendar.ics", visit_calendar)
        .get("/calendar/{token}.ics", feed)
        .get("/calendars", calendars_page)
        .post("/calendars", create_token)
        .post("/calendars/{id}/revoke", revoke_token);
}

fn calendar_response(ics: String, filename: Option<String>) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    response
        .content_type(Method::Publish.content_type())
        // Feeds change with the programme: clients and proxies ask again.
        .insert_header((header::CACHE_CONTROL, "private, no-cache"));
    if let Some(name) = filename {
        response.insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ));
    }
    response.body(ics)
}

/// The whole programme of a visit, for signed-in staff.
async fn visit_calendar(
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let visit_id = id.into_inner();
    let language = staff.t.0;
    let base_url = state.settings.base_url.clone();
    let ics = state
        .db(move |conn| calendars::visit_ics(conn, visit_id, language, &base_url))
        .await?;
    Ok(calendar_response(
        ics,
        Some(format!("visit-{visit_id}.ics")),
    ))
}

/// A person's feed. No sign-in: the token is the key. An unknown or revoked
/// token is answered like any page that does not exist.
async fn feed(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    if !calendars::looks_like_token(&token) {
        return Err(AppError::NotFound);
    }
    let base_url = state.settings.base_url.clone();
    let ics = state
        .db(move |conn| calendars::feed_ics(conn, &token, &base_url))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(calendar_response(ics, None))
}

// ---------------------------------------------------------------------------
// The tokens page

pub struct TokenLine {
    pub id: i64,
    pub person: String,
    pub kind: &'static str,
    pub created: String,
    pub revoked: Option<String>,
}

/// The links of a feed just made: shown once, to the planner who made it.
pub struct IssuedLinks {
    pub webcal: String,
    pub https: String,
}

#[derive(Template)]
#[template(path = "pages/calendars.html")]
struct CalendarsPage {
    t: Translator,
    chrome: Chrome,
    tokens: Vec<TokenLine>,
    officials: Vec<(i64, String)>,
    participants: Vec<(i64, String)>,
    /// The search that chose the people offered (empty: the first by name).
    find: String,
    /// People the search matches beyond those offered.
    more: i64,
    notice: Option<String>,
    issued: Option<IssuedLinks>,
}

/// People a subscription may be made for, offered at most this many of each
/// kind: an office of thousands searches instead of scrolling.
const OFFERED: i64 = 100;

#[derive(Deserialize, Default)]
struct FindQuery {
    #[serde(default)]
    find: String,
}

/// When a link was made. Links belong to no visit: the instant is shown in
/// the office's zone.
fn shown(at: chrono::NaiveDateTime) -> String {
    super::office_time(at)
}

async fn render_page(
    staff: &Staff,
    state: &AppState,
    path: &str,
    find: &str,
    notice: Option<String>,
    issued: Option<IssuedLinks>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let query = ListQuery {
        q: Some(find.trim().to_owned()).filter(|q| !q.is_empty()),
        limit: OFFERED,
        offset: 0,
    };
    let (tokens, officials, participants) = state
        .db(move |conn| {
            Ok((
                calendars::list_tokens(conn)?,
                officials::page(conn, &query)?,
                participants::page(conn, &query)?,
            ))
        })
        .await?;
    let more = (officials.total - officials.items.len() as i64)
        + (participants.total - participants.items.len() as i64);
    let body = CalendarsPage {
        t: staff.t,
        chrome: Chrome::of(staff, path),
        tokens: tokens
            .into_iter()
            .map(|listing| TokenLine {
                id: listing.row.id,
                person: listing.person,
                kind: if listing.row.official_id.is_some() {
                    "calendars-official"
                } else {
                    "calendars-participant"
                },
                created: shown(listing.row.created_at),
                revoked: listing.row.revoked_at.map(shown),
            })
            .collect(),
        officials: officials
            .items
            .into_iter()
            .map(|o| (o.id, o.full_name))
            .collect(),
        participants: participants
            .items
            .into_iter()
            .map(|p| (p.row.id, p.row.full_name))
            .collect(),
        find: find.trim().to_owned(),
        more,
        notice,
        issued,
    }
    .render()?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body))
}

async fn calendars_page(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    query: web::Query<FindQuery>,
) -> Result<HttpResponse, AppError> {
    render_page(
        &staff,
        &state,
        req.path(),
        &query.find,
        None,
        None,
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
struct NewTokenForm {
    /// `official:ID` or `participant:ID`.
    #[serde(default)]
    person: String,
}

fn subscriber_of(choice: &str) -> Option<Subscriber> {
    let (kind, id) = choice.trim().split_once(':')?;
    let id: i64 = id.parse().ok()?;
    match kind {
        "official" => Some(Subscriber::Official(id)),
        "participant" => Some(Subscriber::Participant(id)),
        _ => None,
    }
}

async fn create_token(
    req: HttpRequest,
    staff: Planner,
    state: web::Data<AppState>,
    form: CsrfForm<NewTokenForm>,
) -> Result<HttpResponse, AppError> {
    let t = staff.t;
    let refused = |problem: String| format!("{}: {problem}", t.get("calendars-person"));
    let Some(subscriber) = subscriber_of(&form.person) else {
        let notice = refused(t.get("problem-required").to_owned());
        return render_page(
            &staff,
            &state,
            req.path(),
            "",
            Some(notice),
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let actor = staff.actor();
    let outcome = state
        .db(
            move |conn| match calendars::create_token(conn, &actor, subscriber) {
                Ok(issued) => Ok(Ok(issued.token)),
                Err(ServiceError::Validation(errors)) => Ok(Err(errors)),
                Err(other) => Err(other),
            },
        )
        .await?;
    match outcome {
        // The link is shown this once: only its digest is kept.
        Ok(token) => {
            let (webcal, https) = calendars::subscription_links(&state.settings.base_url, &token);
            render_page(
                &staff,
                &state,
                req.path(),
                "",
                None,
                Some(IssuedLinks { webcal, https }),
                StatusCode::CREATED,
            )
            .await
        }
        Err(errors) => {
            let notice = errors
                .iter()
                .map(|(_, problem)| refused(problem_text(t, problem)))
                .collect::<Vec<_>>()
                .join(" ");
            render_page(
                &staff,
                &state,
                req.path(),
                "",
                Some(notice),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

async fn revoke_token(
    staff: Planner,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    _checked: CsrfFields,
) -> Result<HttpResponse, AppError> {
    let (id, actor) = (id.into_inner(), staff.actor());
    state
        .db(move |conn| calendars::revoke_token(conn, &actor, id))
        .await?;
    Ok(see_other("/calendars"))
}
