//! "Running late…" from a meeting's row: how many minutes (quick buttons or a
//! number), then the preview (each moved item before → after in its venue's
//! time, the conflicts that appear or disappear, who will be told), then
//! apply, apply and publish, or cancel. No script: plain forms, CSRF-checked.

use std::collections::BTreeSet;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use super::form::problem_text;
use super::programme::zone_label;
use super::{see_other, Chrome};
use crate::domain::{FieldProblem, ValidationErrors};
use crate::i18n::{self, Translator};
use crate::services::conflicts::ConflictReport;
use crate::services::running_late::{self, ShiftPlan, ToTell};
use crate::services::ServiceError;
use crate::web::error::AppError;
use crate::web::extract::{CsrfForm, Planner};
use crate::web::routing::Routes;
use crate::web::AppState;

pub fn routes(routes: &mut Routes) {
    routes
        .get("/meetings/{id}/late", late_form)
        .post("/meetings/{id}/late", late_preview)
        .post("/meetings/{id}/late/apply", late_apply);
}

/// The quick choices of minutes late.
const QUICK: [i64; 4] = [10, 15, 20, 30];

/// The meeting the form is about, as the page names it.
struct Slipping {
    visit_id: i64,
    visit_title: String,
    title: String,
    time: String,
    back: String,
}

#[derive(Template)]
#[template(path = "pages/late.html")]
struct LateForm {
    t: Translator,
    chrome: Chrome,
    meeting_id: i64,
    slipping: Slipping,
    quick: [i64; 4],
    minutes: String,
    problem: Option<String>,
}

/// One moved item: before → after, in its venue's zone.
struct MovedLine {
    title: String,
    before: String,
    after: String,
    /// The zone's abbreviation, where it is not the visit's.
    zone: Option<String>,
}

#[derive(Template)]
#[template(path = "pages/late_preview.html")]
struct LatePreview<'a> {
    t: Translator,
    chrome: Chrome,
    meeting_id: i64,
    slipping: Slipping,
    minutes: i64,
    by: String,
    moved: Vec<MovedLine>,
    appear: Vec<&'a ConflictReport>,
    disappear: Vec<&'a ConflictReport>,
    errors_after: usize,
    seen: String,
    people: &'a [ToTell],
    notice: Option<String>,
}

#[derive(Deserialize)]
struct MinutesForm {
    /// A quick button's minutes.
    #[serde(default)]
    quick: Option<String>,
    /// The minutes typed.
    #[serde(default)]
    minutes: Option<String>,
}

#[derive(Deserialize)]
struct ApplyForm {
    #[serde(default)]
    minutes: String,
    /// `publish`: apply and publish.
    #[serde(default)]
    then: String,
    /// How many errors the preview showed after the move.
    #[serde(default)]
    errors_shown: String,
    /// The preview's [`running_late::ShiftPlan::fingerprint`].
    #[serde(default)]
    seen: String,
}

fn span(start: DateTime<Utc>, end: DateTime<Utc>, zone: Tz) -> String {
    format!(
        "{}–{}",
        start.with_timezone(&zone).format("%H:%M"),
        end.with_timezone(&zone).format("%H:%M")
    )
}

/// "+20 min" / "−15 min".
fn signed_minutes(t: Translator, minutes: i64) -> String {
    let sign = if minutes > 0 { "+" } else { "−" };
    t.with(
        "late-by",
        &[("minutes", i18n::string(format!("{sign}{}", minutes.abs())))],
    )
}

/// Minutes as typed: an optional sign and a whole number.
fn parse_minutes(text: &str) -> Result<i64, FieldProblem> {
    let text = text.trim().replace('−', "-");
    if text.is_empty() {
        return Err(FieldProblem::Required);
    }
    text.strip_prefix('+')
        .unwrap_or(&text)
        .parse()
        .map_err(|_| FieldProblem::NotAWholeNumber)
}

async fn slipping(state: &AppState, meeting_id: i64) -> Result<Slipping, AppError> {
    let (meeting, visit, zone) = state
        .db(move |conn| running_late::meeting_with_zone(conn, meeting_id))
        .await?;
    let time = span(
        meeting.row.starts_at.and_utc(),
        meeting.row.ends_at.and_utc(),
        zone,
    );
    let day = meeting.row.starts_at.and_utc().with_timezone(&visit.zone());
    Ok(Slipping {
        visit_id: visit.row.id,
        back: format!(
            "/visits/{}?day={}#m{meeting_id}",
            visit.row.id,
            day.format("%Y-%m-%d")
        ),
        visit_title: visit.row.title,
        title: meeting.row.title,
        time: format!(
            "{} {time}",
            meeting
                .row
                .starts_at
                .and_utc()
                .with_timezone(&zone)
                .format("%d.%m")
        ),
    })
}

async fn form_page(
    req: &HttpRequest,
    staff: &Planner,
    state: &AppState,
    meeting_id: i64,
    minutes: String,
    problem: Option<String>,
) -> Result<HttpResponse, AppError> {
    let status = if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let body = LateForm {
        t: staff.t,
        chrome: Chrome::of(staff, req.path()),
        meeting_id,
        slipping: slipping(state, meeting_id).await?,
        quick: QUICK,
        minutes,
        problem,
    }
    .render()?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body))
}

async fn late_form(
    req: HttpRequest,
    staff: Planner,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    form_page(&req, &staff, &state, id.into_inner(), String::new(), None).await
}

/// The field's problem worded, when `error` is about the form's input; any
/// other failure stays an error.
fn field_problem(t: Translator, error: ServiceError) -> Result<String, AppError> {
    match error {
        ServiceError::Validation(errors) => Ok(worded(t, &errors)),
        other => Err(other.into()),
    }
}

fn worded(t: Translator, errors: &ValidationErrors) -> String {
    ["minutes", "meeting_id"]
        .into_iter()
        .find_map(|field| errors.get(field))
        .map(|p| problem_text(t, p))
        .unwrap_or_else(|| t.get("editor-fix_fields").to_owned())
}

/// Conflicts keyed so the same one before and after the move compares equal.
fn key(c: &ConflictReport) -> (String, String, Vec<i64>, Option<(String, i64)>) {
    let mut ids = c.meeting_ids.clone();
    ids.sort_unstable();
    (
        c.kind.to_owned(),
        c.severity.to_owned(),
        ids,
        c.subject.as_ref().map(|s| (s.kind.to_owned(), s.id)),
    )
}

fn preview_page(
    req: &HttpRequest,
    staff: &Planner,
    slipping: Slipping,
    plan: &ShiftPlan,
    before: &[ConflictReport],
    after: &[ConflictReport],
    notice: Option<String>,
) -> Result<HttpResponse, AppError> {
    let t = staff.t;
    let keys_before: BTreeSet<_> = before.iter().map(key).collect();
    let keys_after: BTreeSet<_> = after.iter().map(key).collect();
    let moved = plan
        .moved
        .iter()
        .map(|item| MovedLine {
            title: item.title.clone(),
            before: span(
                item.moved.before.start(),
                item.moved.before.end(),
                item.zone,
            ),
            after: span(item.moved.after.start(), item.moved.after.end(), item.zone),
            zone: (item.zone != plan.visit.zone())
                .then(|| zone_label(item.moved.after.start().with_timezone(&item.zone))),
        })
        .collect();
    let body = LatePreview {
        t,
        chrome: Chrome::of(staff, req.path()),
        meeting_id: plan.meeting_id,
        slipping,
        minutes: plan.minutes,
        by: signed_minutes(t, plan.minutes),
        moved,
        appear: after
            .iter()
            .filter(|c| !keys_before.contains(&key(c)))
            .collect(),
        disappear: before
            .iter()
            .filter(|c| !keys_after.contains(&key(c)))
            .collect(),
        errors_after: plan.after.errors(),
        seen: plan.fingerprint(),
        people: &plan.notify,
        notice,
    }
    .render()?;
    Ok(super::html(body))
}

/// The plan for `minutes`, worded; or the form again with the field marked.
async fn show_plan(
    req: &HttpRequest,
    staff: &Planner,
    state: &AppState,
    meeting_id: i64,
    typed: String,
    minutes: i64,
    notice: Option<String>,
) -> Result<HttpResponse, AppError> {
    let engine = state.settings.engine.clone();
    let language = staff.t.0;
    let planned = state
        .db(move |conn| {
            let visit_id = running_late::meeting_with_zone(conn, meeting_id)?.1.row.id;
            match running_late::plan(conn, visit_id, meeting_id, minutes, engine) {
                Ok(plan) => {
                    let before = plan.before.reports(language);
                    let after = plan.after.reports(language);
                    Ok(Ok((plan, before, after)))
                }
                Err(ServiceError::Validation(errors)) => Ok(Err(errors)),
                Err(other) => Err(other),
            }
        })
        .await?;
    match planned {
        Ok((plan, before, after)) => {
            let slipping = slipping(state, meeting_id).await?;
            preview_page(req, staff, slipping, &plan, &before, &after, notice)
        }
        Err(errors) => {
            let problem = worded(staff.t, &errors);
            form_page(req, staff, state, meeting_id, typed, Some(problem)).await
        }
    }
}

async fn late_preview(
    req: HttpRequest,
    staff: Planner,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: CsrfForm<MinutesForm>,
) -> Result<HttpResponse, AppError> {
    let meeting_id = id.into_inner();
    let MinutesForm { quick, minutes } = form.into_inner();
    let typed = quick
        .filter(|q| !q.trim().is_empty())
        .or(minutes)
        .unwrap_or_default();
    match parse_minutes(&typed) {
        Ok(minutes) => show_plan(&req, &staff, &state, meeting_id, typed, minutes, None).await,
        Err(problem) => {
            let problem = problem_text(staff.t, &problem);
            form_page(&req, &staff, &state, meeting_id, typed, Some(problem)).await
        }
    }
}

async fn late_apply(
    req: HttpRequest,
    staff: Planner,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: CsrfForm<ApplyForm>,
) -> Result<HttpResponse, AppError> {
    let meeting_id = id.into_inner();
    let ApplyForm {
        minutes: typed,
        then,
        errors_shown,
        seen,
    } = form.into_inner();
    let minutes = match parse_minutes(&typed) {
        Ok(m) => m,
        Err(problem) => {
            let problem = problem_text(staff.t, &problem);
            return form_page(&req, &staff, &state, meeting_id, typed, Some(problem)).await;
        }
    };
    let publish = then == "publish";
    let errors_shown: usize = errors_shown.trim().parse().unwrap_or(0);
    let (actor, settings) = (staff.actor(), state.settings.clone());
    let outcome = state
        .db(move |conn| {
            let visit_id = running_late::meeting_with_zone(conn, meeting_id)?.1.row.id;
            let slip = running_late::Slip {
                visit_id,
                meeting_id,
                minutes,
                seen: Some(&seen),
            };
            let done = if publish {
                running_late::apply_and_publish(conn, &actor, slip, errors_shown, &settings)
                    .map(|(_, published)| Some(published.version))
            } else {
                running_late::apply(conn, &actor, slip, settings.engine.clone()).map(|_| None)
            };
            Ok((visit_id, done))
        })
        .await?;
    match outcome {
        (visit_id, Ok(Some(version))) => Ok(see_other(&format!(
            "/outbox?visit={visit_id}&published={version}"
        ))),
        (_, Ok(None)) => {
            let back = slipping(&state, meeting_id).await?.back;
            Ok(see_other(&back))
        }
        // Other moves or more errors than the preview showed: nothing was
        // written; the preview again, as it is now.
        (_, Err(ServiceError::UnacknowledgedErrors(_) | ServiceError::StaleVersion { .. })) => {
            let notice = Some(staff.t.get("late-changed").to_owned());
            let mut page =
                show_plan(&req, &staff, &state, meeting_id, typed, minutes, notice).await?;
            *page.status_mut() = StatusCode::CONFLICT;
            Ok(page)
        }
        (_, Err(error)) => {
            let problem = field_problem(staff.t, error)?;
            form_page(&req, &staff, &state, meeting_id, typed, Some(problem)).await
        }
    }
}
