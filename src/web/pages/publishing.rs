//! Publishing a visit from the interface: the preview (every open conflict,
//! errors acknowledged one by one, and who will be written to), the changelog
//! of versions, and the outbox with its delivery progress and retries.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::form;
use super::{html, see_other, Chrome, PageParams, Pager};
use crate::domain::publication::{self, Change, ProgrammeSnapshot};
use crate::i18n::Translator;
use crate::mail::render;
use crate::services::conflicts::ConflictReport;
use crate::services::programme::visits;
use crate::services::publishing::{self, Recipient};
use crate::services::OutboxRow;
use crate::services::ServiceError;
use crate::web::error::AppError;
use crate::web::extract::{CsrfFields, Planner};
use crate::web::routing::Routes;
use crate::web::session::Staff;
use crate::web::AppState;

pub fn routes(routes: &mut Routes) {
    routes
        .get("/visits/{id}/publish", preview_page)
        .post("/visits/{id}/publish", publish)
        .get("/visits/{id}/changelog", changelog)
        .get("/outbox", outbox_page)
        .post("/outbox/{id}/retry", retry);
}

#[derive(Template)]
#[template(path = "pages/publish.html")]
struct PreviewPage<'a> {
    t: Translator,
    chrome: Chrome,
    visit_id: i64,
    title: &'a str,
    version: i32,
    errors: Vec<&'a ConflictReport>,
    warnings: Vec<&'a ConflictReport>,
    recipients: &'a [Recipient],
    without_email: usize,
    notice: Option<String>,
}

impl PreviewPage<'_> {
    fn kind_key(&self, recipient: &Recipient) -> String {
        format!("outbox-kind-{}", recipient.kind())
    }
}

async fn render_preview(
    staff: &Staff,
    state: &AppState,
    path: &str,
    visit_id: i64,
    notice: Option<String>,
    status: actix_web::http::StatusCode,
) -> Result<HttpResponse, AppError> {
    let settings = state.settings.clone();
    let language = staff.t.0;
    let preview = state
        .db(move |conn| publishing::preview(conn, visit_id, &settings, language))
        .await?;
    let body = PreviewPage {
        t: staff.t,
        chrome: Chrome::of(staff, path),
        visit_id,
        title: &preview.visit.row.title,
        version: preview.next_version,
        errors: preview
            .conflicts
            .iter()
            .filter(|c| c.severity == "error")
            .collect(),
        warnings: preview
            .conflicts
            .iter()
            .filter(|c| c.severity != "error")
            .collect(),
        recipients: &preview.recipients,
        without_email: preview
            .recipients
            .iter()
            .filter(|r| r.email.is_none())
            .count(),
        notice,
    }
    .render()?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body))
}

async fn preview_page(
    req: HttpRequest,
    staff: Planner,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    render_preview(
        &staff,
        &state,
        req.path(),
        id.into_inner(),
        None,
        actix_web::http::StatusCode::OK,
    )
    .await
}

/// Publishes when every error shown was acknowledged, one checkbox each.
async fn publish(
    req: HttpRequest,
    staff: Planner,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    CsrfFields(submitted): CsrfFields,
) -> Result<HttpResponse, AppError> {
    let visit_id = id.into_inner();
    let shown: usize = form::first(&submitted, "errors_shown").parse().unwrap_or(0);
    let acknowledged = (0..shown).all(|i| form::first(&submitted, &format!("ack_{i}")) == "yes");
    let (actor, settings) = (staff.actor(), state.settings.clone());
    let outcome = state
        .db(move |conn| {
            // The errors must be the ones the person saw: if more appeared
            // since, the acknowledgement does not cover them.
            let current =
                publishing::preview(conn, visit_id, &settings, settings.default_language)?.errors;
            match publishing::publish(
                conn,
                &actor,
                visit_id,
                acknowledged && current == shown,
                &settings,
            ) {
                Ok(published) => Ok(Ok(published)),
                Err(ServiceError::UnacknowledgedErrors(errors)) => Ok(Err(errors.len())),
                Err(other) => Err(other),
            }
        })
        .await?;
    match outcome {
        Ok(published) => Ok(see_other(&format!(
            "/outbox?visit={visit_id}&published={}",
            published.version
        ))),
        Err(_) => {
            let notice = Some(staff.t.get("publish-acknowledge_all").to_owned());
            render_preview(
                &staff,
                &state,
                req.path(),
                visit_id,
                notice,
                actix_web::http::StatusCode::CONFLICT,
            )
            .await
        }
    }
}

pub struct VersionLine {
    pub number: i32,
    pub published: String,
    pub changes: Vec<render::ChangeLine>,
}

#[derive(Template)]
#[template(path = "pages/changelog.html")]
struct ChangelogPage {
    t: Translator,
    chrome: Chrome,
    visit_id: i64,
    title: String,
    versions: Vec<VersionLine>,
}

async fn changelog(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let visit_id = id.into_inner();
    let (visit, rows) = state
        .db(move |conn| {
            Ok((
                visits::get(conn, visit_id)?,
                publishing::versions(conn, visit_id)?,
            ))
        })
        .await?;
    let t = staff.t;
    let zone = visit.row.timezone;
    let snapshots: Vec<ProgrammeSnapshot> = rows
        .iter()
        .map(|r| serde_json::from_str(&r.snapshot).unwrap_or_default())
        .collect();
    let versions = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let changes: Vec<Change> =
                publication::changes_between_snapshots(snapshots.get(i + 1), &snapshots[i]);
            VersionLine {
                number: row.number,
                published: row
                    .published_at
                    .and_utc()
                    .with_timezone(&zone)
                    .format("%d.%m.%Y %H:%M")
                    .to_string(),
                changes: changes.iter().map(|c| render::change_line(t, c)).collect(),
            }
        })
        .collect();
    let body = ChangelogPage {
        t,
        chrome: Chrome::of(&staff, req.path()),
        visit_id,
        title: visit.row.title,
        versions,
    }
    .render()?;
    Ok(html(body))
}

pub struct Progress {
    pub visit_id: Option<i64>,
    pub version: Option<i32>,
    pub sent: i64,
    pub pending: i64,
    pub failed: i64,
}

#[derive(Template)]
#[template(path = "pages/outbox.html")]
struct OutboxPage {
    t: Translator,
    chrome: Chrome,
    messages: Vec<OutboxRow>,
    progress: Vec<Progress>,
    waiting: bool,
    visit: Option<i64>,
    pager: Pager,
}

#[derive(serde::Deserialize)]
struct OutboxQuery {
    visit: Option<i64>,
}

async fn outbox_page(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    query: web::Query<OutboxQuery>,
    params: web::Query<PageParams>,
) -> Result<HttpResponse, AppError> {
    let visit = query.visit;
    let asked = Pager::query(&params);
    let list = asked.clone();
    let (page, counts) = state
        .db(move |conn| publishing::outbox_progress(conn, visit, &list))
        .await?;
    let kept = visit
        .map(|v| ("visit", v.to_string()))
        .into_iter()
        .collect();
    let pager = Pager::keeping(
        staff.t,
        req.path(),
        kept,
        &asked,
        page.total,
        page.items.len(),
    );
    let messages = page.items;
    let mut progress: Vec<Progress> = Vec::new();
    for (visit_id, version, status, count) in counts {
        let entry = match progress
            .iter_mut()
            .find(|p| p.visit_id == visit_id && p.version == version)
        {
            Some(entry) => entry,
            None => {
                progress.push(Progress {
                    visit_id,
                    version,
                    sent: 0,
                    pending: 0,
                    failed: 0,
                });
                progress.last_mut().expect("just pushed")
            }
        };
        match status.as_str() {
            "sent" => entry.sent += count,
            "failed" => entry.failed += count,
            _ => entry.pending += count,
        }
    }
    progress.sort_by_key(|p| (std::cmp::Reverse(p.visit_id), std::cmp::Reverse(p.version)));
    let body = OutboxPage {
        t: staff.t,
        chrome: Chrome::of(&staff, req.path()),
        waiting: progress.iter().any(|p| p.pending > 0),
        messages,
        progress,
        visit,
        pager,
    }
    .render()?;
    Ok(html(body))
}

async fn retry(
    staff: Planner,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    _checked: CsrfFields,
) -> Result<HttpResponse, AppError> {
    let (message, actor) = (id.into_inner(), staff.actor());
    state
        .db(move |conn| publishing::retry(conn, &actor, message))
        .await?;
    Ok(see_other("/outbox"))
}
