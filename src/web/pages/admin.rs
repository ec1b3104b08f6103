//! Staff accounts (admins only), a visit's change log, and travel times.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{html, see_other, Chrome};
use crate::domain::{Language, Role};
use crate::i18n::Translator;
use crate::services::accounts::{self, NewUserInput, Password};
use crate::services::catalogue::{travel_times, venues};
use crate::services::programme::visits;
use crate::services::{password_resets, users};
use crate::services::{Actor, Conn, ServiceError, ServiceResult, UserRow};
use crate::web::error::AppError;
use crate::web::extract::{Admin, CsrfFields, CsrfForm, Planner};
use crate::web::pages::form::problem_text;
use crate::web::routing::Routes;
use crate::web::session::Staff;
use crate::web::AppState;

pub fn routes(routes: &mut Routes) {
    routes
        .get("/users", users_page)
        .post("/users", add_user)
        .post("/users/{id}/role", change_role)
        .post("/users/{id}/disable", disable_user)
        .post("/users/{id}/enable", enable_user)
        .post("/users/{id}/reset", send_reset_link)
        .get("/visits/{id}/audit", audit_page)
        .get("/travel-times", travel_page)
        .post("/travel-times", put_travel)
        .post("/travel-times/delete", delete_travel);
}

// ---------------------------------------------------------------------------
// Users

pub struct UserLine {
    pub id: i64,
    pub email: String,
    pub full_name: String,
    pub role: String,
    pub language: String,
    pub since: String,
    pub disabled: bool,
}

#[derive(Template)]
#[template(path = "pages/users.html")]
struct UsersPage {
    t: Translator,
    chrome: Chrome,
    users: Vec<UserLine>,
    roles: Vec<&'static str>,
    notice: Option<String>,
    /// Whom a reset link was just sent to.
    sent: Option<String>,
    email: String,
    full_name: String,
}

async fn render_users(
    staff: &Staff,
    state: &AppState,
    path: &str,
    notice: Option<String>,
    sent: Option<i64>,
    kept: (String, String),
    status: actix_web::http::StatusCode,
) -> Result<HttpResponse, AppError> {
    let users = state.db(accounts::list_users).await?;
    let sent = sent.and_then(|id| users.iter().find(|u| u.id == id).map(|u| u.email.clone()));
    let body = UsersPage {
        t: staff.t,
        chrome: Chrome::of(staff, path),
        users: users
            .into_iter()
            .map(|u| UserLine {
                id: u.id,
                email: u.email,
                full_name: u.full_name,
                role: u.role.to_string(),
                language: u.language.to_string(),
                since: u.created_at.format("%d.%m.%Y").to_string(),
                disabled: u.disabled_at.is_some(),
            })
            .collect(),
        roles: Role::ALL.iter().map(|r| r.as_str()).collect(),
        notice,
        sent,
        email: kept.0,
        full_name: kept.1,
    }
    .render()?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body))
}

#[derive(Deserialize)]
struct UsersQuery {
    /// The user a reset link was just sent to.
    sent: Option<i64>,
}

async fn users_page(
    req: HttpRequest,
    staff: Admin,
    state: web::Data<AppState>,
    query: web::Query<UsersQuery>,
) -> Result<HttpResponse, AppError> {
    render_users(
        &staff,
        &state,
        req.path(),
        None,
        query.sent,
        Default::default(),
        actix_web::http::StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
struct NewUserForm {
    email: String,
    #[serde(default)]
    full_name: String,
    role: String,
    language: String,
    password: String,
}

async fn add_user(
    req: HttpRequest,
    staff: Admin,
    state: web::Data<AppState>,
    form: CsrfForm<NewUserForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let actor = staff.actor();
    let language = Language::parse(&form.language).unwrap_or(state.settings.default_language);
    let (email, full_name, role, password) = (
        form.email.clone(),
        form.full_name.clone(),
        form.role.clone(),
        Password::new(form.password),
    );
    let outcome = state
        .db(move |conn| {
            match accounts::create_user(
                conn,
                &actor,
                &NewUserInput {
                    email: &email,
                    full_name: &full_name,
                    role: &role,
                    language,
                    password: &password,
                },
            ) {
                Ok(_) => Ok(None),
                Err(ServiceError::Validation(errors)) => Ok(Some(errors)),
                Err(other) => Err(other),
            }
        })
        .await?;
    match outcome {
        None => Ok(see_other("/users")),
        Some(errors) => {
            let t = staff.t;
            let notice = errors
                .iter()
                .map(|(field, problem)| {
                    format!(
                        "{}: {}",
                        t.get(&format!("field-{field}")),
                        problem_text(t, problem)
                    )
                })
                .collect::<Vec<_>>()
                .join(" ");
            render_users(
                &staff,
                &state,
                req.path(),
                Some(notice),
                None,
                (form.email, form.full_name),
                actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

#[derive(Deserialize)]
struct RoleForm {
    role: String,
}

/// Runs a change to someone's access; a refusal (the last active admin) or a
/// bad value comes back as the words to show on the page.
async fn access_change(
    staff: &Admin,
    state: &AppState,
    work: impl FnOnce(&mut Conn, &Actor) -> ServiceResult<UserRow> + Send + 'static,
) -> Result<Option<String>, AppError> {
    let (actor, t) = (staff.actor(), staff.t);
    state
        .db(move |conn| match work(conn, &actor) {
            Ok(_) => Ok(None),
            Err(ServiceError::Refused(refusal)) => Ok(Some(refusal.words(t))),
            Err(ServiceError::Validation(errors)) => Ok(Some(
                errors
                    .iter()
                    .map(|(_, problem)| problem_text(t, problem))
                    .collect::<Vec<_>>()
                    .join(" "),
            )),
            Err(other) => Err(other),
        })
        .await
}

/// Back to the list, or the list again with why the change was refused.
async fn after_access_change(
    req: &HttpRequest,
    staff: &Admin,
    state: &AppState,
    refused: Option<String>,
) -> Result<HttpResponse, AppError> {
    match refused {
        None => Ok(see_other("/users")),
        Some(reason) => {
            let notice = format!("{} {reason}", staff.t.get("users-refused"));
            render_users(
                staff,
                state,
                req.path(),
                Some(notice),
                None,
                Default::default(),
                actix_web::http::StatusCode::CONFLICT,
            )
            .await
        }
    }
}

async fn change_role(
    req: HttpRequest,
    staff: Admin,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: CsrfForm<RoleForm>,
) -> Result<HttpResponse, AppError> {
    let (user_id, role) = (id.into_inner(), form.into_inner().role);
    let refused = access_change(&staff, &state, move |conn, actor| {
        users::set_role(conn, actor, user_id, &role)
    })
    .await?;
    after_access_change(&req, &staff, &state, refused).await
}

async fn disable_user(
    req: HttpRequest,
    staff: Admin,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    _checked: CsrfFields,
) -> Result<HttpResponse, AppError> {
    let user_id = id.into_inner();
    let refused = access_change(&staff, &state, move |conn, actor| {
        users::disable(conn, actor, user_id)
    })
    .await?;
    after_access_change(&req, &staff, &state, refused).await
}

async fn enable_user(
    req: HttpRequest,
    staff: Admin,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    _checked: CsrfFields,
) -> Result<HttpResponse, AppError> {
    let user_id = id.into_inner();
    let refused = access_change(&staff, &state, move |conn, actor| {
        users::enable(conn, actor, user_id)
    })
    .await?;
    after_access_change(&req, &staff, &state, refused).await
}

/// Emails the user a one-time link to set a new password.
async fn send_reset_link(
    staff: Admin,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    _checked: CsrfFields,
) -> Result<HttpResponse, AppError> {
    let (user_id, actor, settings) = (id.into_inner(), staff.actor(), state.settings.clone());
    state
        .db(move |conn| password_resets::send_link(conn, &actor, user_id, &settings))
        .await?;
    Ok(see_other(&format!("/users?sent={user_id}")))
}

// ---------------------------------------------------------------------------
// A visit's change log

pub struct AuditLine {
    pub at: String,
    pub who: String,
    pub entity: String,
    pub action: String,
    pub changes: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "pages/audit.html")]
struct AuditPage {
    t: Translator,
    chrome: Chrome,
    visit_id: i64,
    title: String,
    lines: Vec<AuditLine>,
}

fn shown(value: Option<&serde_json::Value>) -> String {
    match value {
        None | Some(serde_json::Value::Null) => "—".to_owned(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// The fields that differ between a record's before and after.
fn differences(before: Option<&str>, after: Option<&str>) -> Vec<(String, String, String)> {
    let parse = |s: Option<&str>| s.and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok());
    let (before, after) = (parse(before), parse(after));
    let keys: std::collections::BTreeSet<String> = [&before, &after]
        .iter()
        .filter_map(|v| v.as_ref().and_then(|v| v.as_object()))
        .flat_map(|o| o.keys().cloned())
        .filter(|k| {
            !["id", "created_at", "updated_at", "version", "visit_id"].contains(&k.as_str())
        })
        .collect();
    keys.into_iter()
        .filter_map(|key| {
            let (b, a) = (
                before.as_ref().and_then(|v| v.get(&key)),
                after.as_ref().and_then(|v| v.get(&key)),
            );
            (b != a).then(|| (key, shown(b), shown(a)))
        })
        .collect()
}

async fn audit_page(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let visit_id = id.into_inner();
    let (visit, events) = state
        .db(move |conn| {
            Ok((
                visits::get(conn, visit_id)?,
                accounts::audit_of_visit(conn, visit_id)?,
            ))
        })
        .await?;
    let zone = visit.row.timezone;
    let t = staff.t;
    let lines = events
        .into_iter()
        .map(|e| AuditLine {
            at: e
                .at
                .and_utc()
                .with_timezone(&zone)
                .format("%d.%m.%Y %H:%M")
                .to_string(),
            who: e.actor.clone(),
            entity: t.get(&format!("audit-entity-{}", e.entity)).to_owned(),
            action: t.get(&format!("audit-{}", e.action)).to_owned(),
            changes: differences(e.before.as_deref(), e.after.as_deref())
                .into_iter()
                .map(|(field, b, a)| (t.get(&format!("field-{field}")).to_owned(), b, a))
                .collect(),
        })
        .collect();
    let body = AuditPage {
        t,
        chrome: Chrome::of(&staff, req.path()),
        visit_id,
        title: visit.row.title,
        lines,
    }
    .render()?;
    Ok(html(body))
}

// ---------------------------------------------------------------------------
// Travel times

pub struct TravelLine {
    pub from_id: i64,
    pub to_id: i64,
    pub from: String,
    pub to: String,
    pub minutes: i32,
}

#[derive(Template)]
#[template(path = "pages/travel.html")]
struct TravelPage {
    t: Translator,
    chrome: Chrome,
    lines: Vec<TravelLine>,
    venues: Vec<(i64, String)>,
    notice: Option<String>,
}

async fn render_travel(
    staff: &Staff,
    state: &AppState,
    path: &str,
    notice: Option<String>,
    status: actix_web::http::StatusCode,
) -> Result<HttpResponse, AppError> {
    let (rows, all) = state
        .db(|conn| Ok((travel_times::list(conn)?, venues::list(conn)?)))
        .await?;
    let name = |id: i64| {
        all.iter()
            .find(|v| v.id == id)
            .map(|v| v.name.clone())
            .unwrap_or_default()
    };
    let body = TravelPage {
        t: staff.t,
        chrome: Chrome::of(staff, path),
        lines: rows
            .iter()
            .map(|r| TravelLine {
                from_id: r.from_venue_id,
                to_id: r.to_venue_id,
                from: name(r.from_venue_id),
                to: name(r.to_venue_id),
                minutes: r.minutes,
            })
            .collect(),
        venues: all.iter().map(|v| (v.id, v.name.clone())).collect(),
        notice,
    }
    .render()?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body))
}

async fn travel_page(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    render_travel(
        &staff,
        &state,
        req.path(),
        None,
        actix_web::http::StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
struct TravelForm {
    from_venue_id: String,
    to_venue_id: String,
    #[serde(default)]
    minutes: String,
}

async fn put_travel(
    req: HttpRequest,
    staff: Planner,
    state: web::Data<AppState>,
    form: CsrfForm<TravelForm>,
) -> Result<HttpResponse, AppError> {
    let input = crate::domain::model::TravelTimeInput {
        from_venue_id: form.from_venue_id.trim().parse().ok(),
        to_venue_id: form.to_venue_id.trim().parse().ok(),
        minutes: form.minutes.trim().parse().ok(),
    };
    let actor = staff.actor();
    let outcome = state
        .db(move |conn| match travel_times::put(conn, &actor, &input) {
            Ok(_) => Ok(None),
            Err(ServiceError::Validation(errors)) => Ok(Some(errors)),
            Err(other) => Err(other),
        })
        .await?;
    match outcome {
        None => Ok(see_other("/travel-times")),
        Some(errors) => {
            let t = staff.t;
            let notice = errors
                .iter()
                .map(|(field, problem)| {
                    format!(
                        "{}: {}",
                        t.get(&format!("field-{field}")),
                        problem_text(t, problem)
                    )
                })
                .collect::<Vec<_>>()
                .join(" ");
            render_travel(
                &staff,
                &state,
                req.path(),
                Some(notice),
                actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

#[derive(Deserialize)]
struct TravelDeleteForm {
    from_venue_id: i64,
    to_venue_id: i64,
}

async fn delete_travel(
    staff: Planner,
    state: web::Data<AppState>,
    form: CsrfForm<TravelDeleteForm>,
) -> Result<HttpResponse, AppError> {
    let (from, to, actor) = (form.from_venue_id, form.to_venue_id, staff.actor());
    state
        .db(move |conn| travel_times::delete(conn, &actor, from, to))
        .await?;
    Ok(see_other("/travel-times"))
}
