//! A visit's page: the programme day by day in local time, a timeline picture
//! per day, the conflicts with their suggested slots; and the meeting forms.

use std::collections::{HashMap, HashSet};

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::Deserialize;

use super::editor::{load_choices, meeting_fields, venue_zone, FormPage};
use super::form::{self, Submitted};
use super::{html, see_other, Chrome};
use crate::domain::conflicts::{self, Subject};
use crate::domain::model::MeetingInput;
use crate::domain::short_name;
use crate::domain::{MeetingStatus, ValidationErrors, VisitStatus};
use crate::i18n::{long_date, Translator};
use crate::render::timeline::{
    self, RowKind, Timeline, TimelineBar, TimelineLabels, TimelineRow, TimelineTransfer,
};
use crate::services::conflicts::{ConflictReport, VisitConflicts};
use crate::services::programme::{
    self as programme_service, meetings, visits, MeetingRecord, Programme, VisitRecord,
};
use crate::services::{Conn, ServiceError, ServiceResult};
use crate::web::api::views;
use crate::web::error::AppError;
use crate::web::extract::{CsrfFields, CsrfForm, Planner};
use crate::web::routing::Routes;
use crate::web::session::Staff;
use crate::web::AppState;

pub fn routes(routes: &mut Routes) {
    routes
        .get("/visits/{id}", visit_page)
        .post("/visits/{id}/apply", apply_suggestion)
        .get("/visits/{id}/meetings/new", new_meeting)
        .post("/visits/{id}/meetings", create_meeting)
        .get("/meetings/{id}/edit", edit_meeting)
        .post("/meetings/{id}", update_meeting)
        .post("/meetings/{id}/delete", delete_meeting);
}

// ---------------------------------------------------------------------------
// The programme

/// One programme item as the page lists it.
pub struct Item {
    pub id: i64,
    pub time: String,
    /// The time in the visit's zone too, when the venue's zone differs.
    pub visit_time: Option<String>,
    pub title: String,
    pub kind_key: String,
    pub venue: String,
    pub address: String,
    pub officials: Vec<String>,
    pub groups: Vec<String>,
    pub status: String,
    pub cancelled: bool,
    pub flagged: Option<&'static str>,
    pub responsible: String,
}

pub struct Day {
    pub heading: String,
    pub anchor: String,
    pub items: Vec<Item>,
    pub svg: String,
}

pub struct ConflictLine {
    pub report: ConflictReport,
    pub slot: Option<String>,
    pub version: Option<i32>,
}

#[derive(Template)]
#[template(path = "pages/visit.html")]
struct VisitPage {
    t: Translator,
    chrome: Chrome,
    visit: VisitRecord,
    dates: String,
    delegation: Vec<String>,
    status_key: &'static str,
    days: Vec<Day>,
    conflicts: Vec<ConflictLine>,
    errors: usize,
    warnings: usize,
}

fn hhmm(at: chrono::NaiveDateTime, zone: Tz) -> chrono::DateTime<Tz> {
    at.and_utc().with_timezone(&zone)
}

/// A zone's abbreviation, or its offset where it has none ("+05").
pub fn zone_label(at: chrono::DateTime<Tz>) -> String {
    at.format("%Z").to_string()
}

/// The conflict kinds that draw a meeting red on a row for that subject.
fn clashing(found: &VisitConflicts) -> HashSet<(i64, Option<Subject>)> {
    let mut set = HashSet::new();
    for c in &found.conflicts {
        for id in &c.meeting_ids {
            set.insert((*id, c.subject));
        }
    }
    set
}

/// The words the timeline writes, from the reader's catalogue.
fn timeline_labels(t: Translator) -> TimelineLabels {
    let word = |key: &str| t.get(key).to_string();
    TimelineLabels {
        officials: word("timeline-officials"),
        venues: word("timeline-venues"),
        clash: word("timeline-clash"),
        minute_unit: word("timeline-minute_unit"),
        meeting: word("timeline-meeting"),
        cancelled: word("timeline-cancelled"),
        transfer: word("timeline-transfer"),
    }
}

/// What every day's timeline draws from, worked out once per page.
struct Drawn {
    clashes: HashSet<(i64, Option<Subject>)>,
    /// The transfers the engine judged, so the arrows agree with the conflicts.
    transfers: Vec<conflicts::Transfer>,
}

impl Drawn {
    fn of(programme: &Programme) -> Self {
        Self {
            clashes: clashing(&programme.found),
            transfers: conflicts::official_transfers(
                &programme.found.snapshot,
                Some(programme.visit.row.id),
            ),
        }
    }
}

fn timeline_of(
    t: Translator,
    programme: &Programme,
    drawn: &Drawn,
    day: NaiveDate,
    items: &[&MeetingRecord],
) -> String {
    let clashes = &drawn.clashes;
    let flagged = |meeting: i64, subject: Subject| clashes.contains(&(meeting, Some(subject)));
    let bar = |m: &MeetingRecord, clash: bool| TimelineBar {
        meeting_id: m.row.id,
        label: m.row.title.clone(),
        start: m.row.starts_at.and_utc(),
        end: m.row.ends_at.and_utc(),
        clash,
        cancelled: m.row.status == MeetingStatus::Cancelled,
    };
    let mut official_ids: Vec<i64> = items
        .iter()
        .flat_map(|m| m.official_ids.iter().copied())
        .collect();
    official_ids.sort_unstable();
    official_ids.dedup();
    let mut rows = Vec::new();
    for official in programme.in_precedence(&official_ids) {
        let mine: Vec<&&MeetingRecord> = items
            .iter()
            .filter(|m| m.official_ids.contains(&official.id))
            .collect();
        let transfers = drawn
            .transfers
            .iter()
            .filter(|t| {
                t.official_id == official.id
                    && mine
                        .iter()
                        .any(|m| m.row.id == t.from_meeting_id || m.row.id == t.to_meeting_id)
            })
            .map(|t| TimelineTransfer {
                from_end: t.from_end,
                to_start: t.to_start,
                minutes: t.needed_minutes,
                too_short: t.too_short(),
            })
            .collect();
        rows.push(TimelineRow {
            kind: RowKind::Official,
            label: official.full_name.clone(),
            bars: mine
                .iter()
                .map(|m| bar(m, flagged(m.row.id, Subject::Official(official.id))))
                .collect(),
            transfers,
        });
    }
    let mut venue_ids: Vec<i64> = items.iter().filter_map(|m| m.row.venue_id).collect();
    venue_ids.sort_unstable();
    venue_ids.dedup();
    for venue_id in venue_ids {
        let Some(venue) = programme.venues.get(&venue_id) else {
            continue;
        };
        rows.push(TimelineRow {
            kind: RowKind::Venue,
            label: venue.name.clone(),
            bars: items
                .iter()
                .filter(|m| m.row.venue_id == Some(venue_id))
                .map(|m| bar(m, flagged(m.row.id, Subject::Venue(venue_id))))
                .collect(),
            transfers: Vec::new(),
        });
    }
    timeline::render_svg(&Timeline {
        day,
        zone: programme.visit_zone(),
        rows,
        title: format!("{} — {}", t.get("visit-timeline"), long_date(t, day)),
        labels: timeline_labels(t),
    })
}

pub fn status_key(status: VisitStatus) -> &'static str {
    match status {
        VisitStatus::Published => "status-published",
        VisitStatus::Completed => "status-completed",
        VisitStatus::Cancelled => "status-cancelled",
        VisitStatus::Draft => "status-draft",
    }
}

async fn visit_page(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let visit_id = id.into_inner();
    let engine = state.settings.engine.clone();
    let programme = state
        .db(move |conn| programme_service::load(conn, visit_id, engine))
        .await?;
    let body = render_visit(&staff, req.path(), &programme)?;
    Ok(html(body))
}

/// The visit page as HTML (also what the page benchmark measures).
pub fn render_visit(staff: &Staff, path: &str, programme: &Programme) -> Result<String, AppError> {
    render_visit_page(staff.t, Chrome::of(staff, path), programme)
}

pub fn render_visit_page(
    t: Translator,
    chrome: Chrome,
    programme: &Programme,
) -> Result<String, AppError> {
    let visit_zone = programme.visit_zone();
    let reports = programme.found.reports(t.0);
    let flagged: HashMap<i64, &'static str> = reports.iter().fold(HashMap::new(), |mut map, r| {
        for id in &r.meeting_ids {
            let entry = map.entry(*id).or_insert("warning");
            if r.severity == "error" {
                *entry = "error";
            }
        }
        map
    });
    let drawn = Drawn::of(programme);
    let days = programme
        .days()
        .into_iter()
        .map(|(day, items)| {
            let svg = timeline_of(t, programme, &drawn, day, &items);
            let items = items
                .iter()
                .map(|m| {
                    let zone = programme.zone_of(m);
                    let (start, end) = (hhmm(m.row.starts_at, zone), hhmm(m.row.ends_at, zone));
                    let differs = zone != visit_zone;
                    let venue = m.row.venue_id.and_then(|v| programme.venues.get(&v));
                    Item {
                        id: m.row.id,
                        time: if differs {
                            format!(
                                "{}–{} {}",
                                start.format("%H:%M"),
                                end.format("%H:%M"),
                                zone_label(start)
                            )
                        } else {
                            format!("{}–{}", start.format("%H:%M"), end.format("%H:%M"))
                        },
                        visit_time: differs.then(|| {
                            let (s, e) = (
                                hhmm(m.row.starts_at, visit_zone),
                                hhmm(m.row.ends_at, visit_zone),
                            );
                            format!(
                                "{}–{} {}",
                                s.format("%H:%M"),
                                e.format("%H:%M"),
                                zone_label(s)
                            )
                        }),
                        title: m.row.title.clone(),
                        kind_key: format!("meeting_kind-{}", m.row.kind),
                        venue: venue.map(|v| v.name.clone()).unwrap_or_default(),
                        address: venue.and_then(|v| v.address.clone()).unwrap_or_default(),
                        officials: programme
                            .in_precedence(&m.official_ids)
                            .into_iter()
                            .map(|o| short_name(&o.full_name))
                            .collect(),
                        groups: m
                            .group_ids
                            .iter()
                            .filter_map(|g| programme.groups.get(g))
                            .map(|g| format!("{} ({})", g.name, g.headcount))
                            .collect(),
                        status: format!("meeting_status-{}", m.row.status),
                        cancelled: m.row.status == MeetingStatus::Cancelled,
                        flagged: flagged.get(&m.row.id).copied(),
                        responsible: m.row.responsible.clone().unwrap_or_default(),
                    }
                })
                .collect();
            Day {
                heading: long_date(t, day),
                anchor: day.format("%Y-%m-%d").to_string(),
                items,
                svg,
            }
        })
        .collect();
    let versions: HashMap<i64, i32> = programme
        .meetings
        .iter()
        .map(|m| (m.row.id, m.row.version))
        .collect();
    let conflicts = reports
        .into_iter()
        .map(|report| {
            let slot = report.suggestion.as_ref().map(|s| {
                format!(
                    "{}–{}",
                    s.starts_at.format("%d.%m %H:%M"),
                    s.ends_at.format("%H:%M")
                )
            });
            let version = report
                .suggestion
                .as_ref()
                .and_then(|s| versions.get(&s.meeting_id).copied());
            ConflictLine {
                report,
                slot,
                version,
            }
        })
        .collect();
    let row = &programme.visit.row;
    let page = VisitPage {
        t,
        chrome,
        dates: if row.first_day == row.last_day {
            long_date(t, row.first_day)
        } else {
            format!(
                "{} — {}",
                long_date(t, row.first_day),
                long_date(t, row.last_day)
            )
        },
        delegation: programme
            .in_precedence(&programme.visit.official_ids)
            .into_iter()
            .map(|o| match &o.position {
                Some(p) => format!("{}, {p}", o.full_name),
                None => o.full_name.clone(),
            })
            .collect(),
        status_key: status_key(row.status),
        days,
        conflicts,
        errors: programme.found.errors(),
        warnings: programme.found.warnings(),
        visit: programme.visit.clone(),
    };
    Ok(page.render()?)
}

// ---------------------------------------------------------------------------
// Applying a suggested slot

#[derive(Deserialize)]
struct ApplyForm {
    meeting_id: i64,
    starts_at: String,
    ends_at: String,
    version: i32,
}

/// Moves a meeting to the slot a conflict suggested, if nobody has changed it since.
async fn apply_suggestion(
    staff: Planner,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: CsrfForm<ApplyForm>,
) -> Result<HttpResponse, AppError> {
    let visit_id = id.into_inner();
    let parse = |s: &str| {
        chrono::DateTime::parse_from_rfc3339(s)
            .map_err(|_| AppError::BadRequest("not a time".into()))
    };
    let (starts_at, ends_at) = (parse(&form.starts_at)?, parse(&form.ends_at)?);
    let (meeting_id, version) = (form.meeting_id, form.version);
    let actor = staff.actor();
    let outcome = state
        .db(move |conn| {
            let current = meetings::get(conn, meeting_id)?;
            if current.row.visit_id != visit_id {
                return Err(ServiceError::NotFound {
                    entity: "meeting",
                    id: meeting_id,
                });
            }
            let mut input = views::meeting_input(&current, Tz::UTC);
            input.starts_at = Some(starts_at);
            input.ends_at = Some(ends_at);
            input.version = Some(version);
            match meetings::update(conn, &actor, meeting_id, &input) {
                Ok(_) => Ok(true),
                Err(ServiceError::StaleVersion { .. }) => Ok(false),
                Err(e) => Err(e),
            }
        })
        .await?;
    let anchor = if outcome {
        format!("#m{meeting_id}")
    } else {
        "?stale=1#conflicts".to_owned()
    };
    Ok(see_other(&format!("/visits/{visit_id}{anchor}")))
}

// ---------------------------------------------------------------------------
// Meeting forms

/// The zone a meeting form shows times in: the chosen venue's, else the visit's.
fn meeting_zone(conn: &mut Conn, visit_id: i64, submitted: &Submitted) -> ServiceResult<Tz> {
    let venue = form::first(submitted, "venue_id");
    if venue.trim().is_empty() {
        return Ok(visits::get(conn, visit_id)?.zone());
    }
    venue_zone(conn, venue)
}

#[allow(clippy::too_many_arguments)]
async fn meeting_form(
    staff: &Staff,
    state: &AppState,
    path: &str,
    visit_id: i64,
    meeting: Option<(i64, i32)>,
    values: Submitted,
    errors: ValidationErrors,
    notice: Option<String>,
    changes: Vec<(String, String, String)>,
    status: actix_web::http::StatusCode,
) -> Result<HttpResponse, AppError> {
    let t = staff.t;
    let zone_values = values.clone();
    let (choices, zone) = state
        .db(move |conn| {
            Ok((
                load_choices(conn, &meeting_fields())?,
                meeting_zone(conn, visit_id, &zone_values)?,
            ))
        })
        .await?;
    let controls = form::controls(t, &meeting_fields(), &values, &errors, &choices);
    let notice =
        notice.or_else(|| (!errors.is_empty()).then(|| t.get("editor-fix_fields").to_owned()));
    let (title, action, hidden, delete_action) = match meeting {
        Some((id, version)) => (
            format!("{} — {}", t.get("editor-edit"), t.get("entity-meetings")),
            format!("/meetings/{id}"),
            vec![("version", version.to_string())],
            staff.can_edit().then(|| format!("/meetings/{id}/delete")),
        ),
        None => (
            format!("{} — {}", t.get("editor-new"), t.get("entity-meetings")),
            format!("/visits/{visit_id}/meetings"),
            Vec::new(),
            None,
        ),
    };
    let body = FormPage {
        t,
        chrome: Chrome::of(staff, path),
        title,
        action,
        back: format!("/visits/{visit_id}"),
        controls,
        hidden,
        notice,
        changes,
        delete_action,
        zone_hint: Some(t.with(
            "visit-times_in_zone",
            &[("zone", crate::i18n::string(zone.name()))],
        )),
    }
    .render()?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body))
}

async fn new_meeting(
    req: HttpRequest,
    staff: Planner,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let visit_id = id.into_inner();
    let visit = state.db(move |conn| visits::get(conn, visit_id)).await?;
    let mut values = form::values_of(&meeting_fields(), &MeetingInput::default(), Tz::UTC);
    values.insert(
        "official_ids".into(),
        visit.official_ids.iter().map(|id| id.to_string()).collect(),
    );
    values.insert("status".into(), vec!["tentative".into()]);
    let start = format!("{}T10:00", visit.row.first_day.format("%Y-%m-%d"));
    values.insert("starts_at".into(), vec![start]);
    values.insert(
        "ends_at".into(),
        vec![format!("{}T11:00", visit.row.first_day.format("%Y-%m-%d"))],
    );
    meeting_form(
        &staff,
        &state,
        req.path(),
        visit_id,
        None,
        values,
        ValidationErrors::new(),
        None,
        Vec::new(),
        actix_web::http::StatusCode::OK,
    )
    .await
}

async fn edit_meeting(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let meeting_id = id.into_inner();
    let (record, values) = state
        .db(move |conn| {
            let record = meetings::get(conn, meeting_id)?;
            let venue = record
                .row
                .venue_id
                .map(|v| v.to_string())
                .unwrap_or_default();
            let zone = meeting_zone(
                conn,
                record.row.visit_id,
                &Submitted::from([("venue_id".to_owned(), vec![venue])]),
            )?;
            let values = form::values_of(
                &meeting_fields(),
                &views::meeting_input(&record, zone),
                zone,
            );
            Ok((record, values))
        })
        .await?;
    meeting_form(
        &staff,
        &state,
        req.path(),
        record.row.visit_id,
        Some((meeting_id, record.row.version)),
        values,
        ValidationErrors::new(),
        None,
        Vec::new(),
        actix_web::http::StatusCode::OK,
    )
    .await
}

enum Saved {
    Done(i64),
    Invalid(ValidationErrors),
    /// Someone saved first: what the record now holds.
    Stale(Box<(MeetingRecord, Submitted)>),
}

async fn save_meeting(
    req: HttpRequest,
    staff: Planner,
    state: web::Data<AppState>,
    visit_id: Option<i64>,
    meeting_id: Option<i64>,
    CsrfFields(submitted): CsrfFields,
) -> Result<HttpResponse, AppError> {
    let version: Option<i32> = form::first(&submitted, "version").parse().ok();
    let actor = staff.actor();
    let values = submitted.clone();
    let (visit_id, outcome) = state
        .db(move |conn| {
            let visit_id = match (visit_id, meeting_id) {
                (Some(v), _) => v,
                (None, Some(m)) => meetings::get(conn, m)?.row.visit_id,
                (None, None) => {
                    return Err(ServiceError::NotFound {
                        entity: "meeting",
                        id: 0,
                    })
                }
            };
            let zone = meeting_zone(conn, visit_id, &values)?;
            let mut input: MeetingInput = match form::read(&meeting_fields(), &values, zone) {
                Ok(input) => input,
                Err(errors) => return Ok((visit_id, Saved::Invalid(errors))),
            };
            let saved = match meeting_id {
                Some(id) => {
                    // Keep roles the form does not edit (hosts stay hosts).
                    let current = meetings::get(conn, id)?;
                    input.official_roles = current
                        .official_roles
                        .iter()
                        .filter(|(o, _)| input.official_ids.contains(o))
                        .map(|(o, r)| (*o, r.clone()))
                        .collect();
                    input.version = version;
                    meetings::update(conn, &actor, id, &input).map(|m| m.row.id)
                }
                None => meetings::create(conn, &actor, visit_id, &input).map(|m| m.row.id),
            };
            Ok((
                visit_id,
                match saved {
                    Ok(id) => Saved::Done(id),
                    Err(ServiceError::Validation(errors)) => Saved::Invalid(errors),
                    Err(ServiceError::StaleVersion { id, .. }) => {
                        let current = meetings::get(conn, id)?;
                        let theirs = form::values_of(
                            &meeting_fields(),
                            &views::meeting_input(&current, zone),
                            zone,
                        );
                        Saved::Stale(Box::new((current, theirs)))
                    }
                    Err(other) => return Err(other),
                },
            ))
        })
        .await?;
    let t = staff.t;
    let unprocessable = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
    match outcome {
        Saved::Done(id) => Ok(see_other(&format!("/visits/{visit_id}#m{id}"))),
        Saved::Invalid(errors) => {
            let meeting = meeting_id.zip(version);
            meeting_form(
                &staff,
                &state,
                req.path(),
                visit_id,
                meeting,
                submitted,
                errors,
                None,
                Vec::new(),
                unprocessable,
            )
            .await
        }
        Saved::Stale(stale) => {
            let (current, theirs) = *stale;
            // Nothing is lost: the person's input stays in the form, the other
            // person's saved values are shown beside it, and the form now
            // carries the current version, so saving again is a decision.
            let choices = state
                .db(|conn| load_choices(conn, &meeting_fields()))
                .await?;
            let show = |field: &form::Field, values: &[String]| -> String {
                match &field.kind {
                    form::Kind::Reference(source) | form::Kind::References(source) => values
                        .iter()
                        .filter_map(|v| v.parse::<i64>().ok())
                        .map(|id| {
                            choices
                                .get(source)
                                .and_then(|l| l.iter().find(|(i, _)| *i == id))
                                .map(|(_, label)| label.clone())
                                .unwrap_or_else(|| format!("#{id}"))
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                    form::Kind::Word { prefix, .. } => values
                        .iter()
                        .map(|w| t.get(&format!("{prefix}-{w}")).to_owned())
                        .collect::<Vec<_>>()
                        .join(", "),
                    _ => values.join(", "),
                }
            };
            let changes = meeting_fields()
                .iter()
                .filter_map(|field| {
                    let mut mine: Vec<String> =
                        submitted.get(field.name).cloned().unwrap_or_default();
                    let mut other: Vec<String> =
                        theirs.get(field.name).cloned().unwrap_or_default();
                    mine.retain(|v| !v.trim().is_empty());
                    other.retain(|v| !v.trim().is_empty());
                    let (mut a, mut b) = (mine.clone(), other.clone());
                    a.sort();
                    b.sort();
                    (a != b).then(|| {
                        (
                            t.get(&format!("field-{}", field.name)).to_owned(),
                            show(field, &other),
                            show(field, &mine),
                        )
                    })
                })
                .collect();
            let notice = Some(t.get("editor-stale").to_owned());
            let meeting = Some((current.row.id, current.row.version));
            meeting_form(
                &staff,
                &state,
                req.path(),
                visit_id,
                meeting,
                submitted,
                ValidationErrors::new(),
                notice,
                changes,
                actix_web::http::StatusCode::CONFLICT,
            )
            .await
        }
    }
}

async fn create_meeting(
    req: HttpRequest,
    staff: Planner,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    fields: CsrfFields,
) -> Result<HttpResponse, AppError> {
    save_meeting(req, staff, state, Some(id.into_inner()), None, fields).await
}

async fn update_meeting(
    req: HttpRequest,
    staff: Planner,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    fields: CsrfFields,
) -> Result<HttpResponse, AppError> {
    save_meeting(req, staff, state, None, Some(id.into_inner()), fields).await
}

async fn delete_meeting(
    staff: Planner,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    _checked: CsrfFields,
) -> Result<HttpResponse, AppError> {
    let meeting_id = id.into_inner();
    let actor = staff.actor();
    let visit_id = state
        .db(move |conn| {
            let visit_id = meetings::get(conn, meeting_id)?.row.visit_id;
            meetings::delete(conn, &actor, meeting_id)?;
            Ok(visit_id)
        })
        .await?;
    Ok(see_other(&format!("/visits/{visit_id}")))
}
