//! A visit's page: the programme day by day in local time, a timeline picture
//! per day, the conflicts with their suggested slots; and the meeting forms.

use std::collections::{HashMap, HashSet};

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use super::editor::{load_choices, meeting_fields, venue_zone, FormPage};
use super::form::{self, Submitted};
use super::{html, see_other, Chrome};
use crate::domain::conflicts::{self, Clash, Severity, Subject};
use crate::domain::model::MeetingInput;
use crate::domain::short_name;
use crate::domain::{MeetingStatus, ValidationErrors, VisitStatus};
use crate::i18n::{long_date, number, Translator};
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

/// The chosen day: its timeline and its meetings.
pub struct Day {
    pub heading: String,
    pub anchor: String,
    pub items: Vec<Item>,
    pub svg: String,
}

/// A link to one day of the visit.
pub struct DayLink {
    pub href: String,
    pub label: String,
    pub heading: String,
    pub meetings: usize,
    pub current: bool,
}

/// A choice in a filter's list: its value, its words, whether it is chosen.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub chosen: bool,
}

/// One clash card: its sentence, the suggested slot and the version of the
/// meeting the slot would move (for the "apply" form).
pub struct ConflictLine {
    pub report: ConflictReport,
    pub slot: Option<String>,
    pub version: Option<i32>,
}

/// How many clash cards the page shows before "show all".
pub const CLASHES_SHOWN: usize = 50;

/// What the visit page is asked for (GET parameters); anything it cannot
/// read is ignored, so an odd link still shows the page.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct VisitView {
    /// The day whose timeline and meetings are shown (`YYYY-MM-DD`).
    pub day: Option<String>,
    /// Only the clashes whose first meeting starts on this day (`YYYY-MM-DD`).
    pub conflict_day: Option<String>,
    /// Only the clashes of this severity (`error` or `warning`).
    pub severity: Option<String>,
    /// `all`: every clash, not the first [`CLASHES_SHOWN`].
    pub conflicts: Option<String>,
}

fn parse_day(value: &Option<String>) -> Option<NaiveDate> {
    value
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
}

impl VisitView {
    fn severity(&self) -> Option<Severity> {
        match self.severity.as_deref().map(str::trim) {
            Some("error") => Some(Severity::Error),
            Some("warning") => Some(Severity::Warning),
            _ => None,
        }
    }

    fn all_conflicts(&self) -> bool {
        self.conflicts.as_deref() == Some("all")
    }

    /// The page's address with these parameters, changed by `change`.
    fn href(&self, visit_id: i64, change: impl FnOnce(&mut VisitView)) -> String {
        let mut view = self.clone();
        change(&mut view);
        // Only what the page understood goes back into a link.
        let day = |d: &Option<String>| parse_day(d).map(|d| d.format("%Y-%m-%d").to_string());
        let params: Vec<String> = [
            ("day", day(&view.day)),
            ("conflict_day", day(&view.conflict_day)),
            ("severity", view.severity().map(|s| s.as_str().to_owned())),
            ("conflicts", view.all_conflicts().then(|| "all".to_owned())),
        ]
        .into_iter()
        .filter_map(|(name, value)| Some(format!("{name}={}", value?)))
        .collect();
        if params.is_empty() {
            format!("/visits/{visit_id}")
        } else {
            format!("/visits/{visit_id}?{}", params.join("&"))
        }
    }
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
    day_links: Vec<DayLink>,
    day: Day,
    conflicts: Vec<ConflictLine>,
    /// "N of M shown" and the link to all, when the filters let more through
    /// than are shown.
    more: Option<(String, String)>,
    conflict_days: Vec<Choice>,
    severities: Vec<Choice>,
    /// The chosen timeline day, kept when the clash filters are applied.
    chosen_day: String,
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
    view: web::Query<VisitView>,
) -> Result<HttpResponse, AppError> {
    let visit_id = id.into_inner();
    let engine = state.settings.engine.clone();
    let programme = state
        .db(move |conn| programme_service::load(conn, visit_id, engine))
        .await?;
    let body = render_visit_page(
        staff.t,
        Chrome::of(&staff, req.path()),
        &programme,
        &view,
        chrono::Utc::now(),
    )?;
    Ok(html(body))
}

/// The visit page as HTML (also what the page benchmark measures): the day
/// `view` chooses, else today when the visit has it, else the first day.
pub fn render_visit_page(
    t: Translator,
    chrome: Chrome,
    programme: &Programme,
    view: &VisitView,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let visit_zone = programme.visit_zone();
    let visit_id = programme.visit.row.id;
    let mut days = programme.days();
    let today = now.with_timezone(&visit_zone).date_naive();
    let chosen = [parse_day(&view.day), Some(today)]
        .into_iter()
        .flatten()
        .find(|d| days.contains_key(d))
        .unwrap_or(programme.visit.row.first_day);
    let day_links = days
        .iter()
        .map(|(day, items)| DayLink {
            href: view.href(visit_id, |v| {
                v.day = Some(day.format("%Y-%m-%d").to_string())
            }),
            label: day.format("%d.%m").to_string(),
            heading: long_date(t, *day),
            meetings: items.len(),
            current: *day == chosen,
        })
        .collect();
    let items = days.remove(&chosen).unwrap_or_default();
    let flagged = flagged_meetings(&programme.found);
    let day = Day {
        heading: long_date(t, chosen),
        anchor: chosen.format("%Y-%m-%d").to_string(),
        svg: timeline_of(t, programme, &Drawn::of(programme), chosen, &items),
        items: items
            .iter()
            .map(|m| item_of(programme, &flagged, m))
            .collect(),
    };

    let clashes = programme.found.clashes(visit_zone);
    let (severity, conflict_day) = (view.severity(), parse_day(&view.conflict_day));
    let matching: Vec<&Clash> = clashes
        .iter()
        .filter(|(c, _)| severity.is_none_or(|s| c.severity == s))
        .filter(|(_, d)| conflict_day.is_none() || *d == conflict_day)
        .map(|(c, _)| c)
        .collect();
    let shown = if view.all_conflicts() {
        matching.len()
    } else {
        matching.len().min(CLASHES_SHOWN)
    };
    let more = (shown < matching.len()).then(|| {
        (
            t.with(
                "visit-conflicts_shown",
                &[("shown", number(shown)), ("total", number(matching.len()))],
            ),
            view.href(visit_id, |v| v.conflicts = Some("all".into())) + "#conflicts",
        )
    });
    let conflicts = conflict_lines(
        programme,
        programme.found.clash_reports(&matching[..shown], t.0),
    );
    let mut conflict_days: Vec<NaiveDate> = clashes.iter().filter_map(|(_, d)| *d).collect();
    conflict_days.sort_unstable();
    conflict_days.dedup();
    let conflict_days = std::iter::once(Choice {
        value: String::new(),
        label: t.get("visit-all_days").to_owned(),
        chosen: conflict_day.is_none(),
    })
    .chain(conflict_days.into_iter().map(|d| Choice {
        value: d.format("%Y-%m-%d").to_string(),
        label: long_date(t, d),
        chosen: Some(d) == conflict_day,
    }))
    .collect();
    let severities = [
        (None, "visit-all_severities"),
        (Some(Severity::Error), "error"),
        (Some(Severity::Warning), "warning"),
    ]
    .into_iter()
    .map(|(s, key)| Choice {
        value: s.map_or("", Severity::as_str).to_owned(),
        label: t.get(key).to_owned(),
        chosen: s == severity,
    })
    .collect();
    let errors = clashes.iter().filter(|(c, _)| c.is_error()).count();

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
        day_links,
        day,
        conflicts,
        more,
        conflict_days,
        severities,
        chosen_day: chosen.format("%Y-%m-%d").to_string(),
        errors,
        warnings: clashes.len() - errors,
        visit: programme.visit.clone(),
    };
    Ok(page.render()?)
}

/// The meetings a conflict names, with the worse severity among theirs.
fn flagged_meetings(found: &VisitConflicts) -> HashMap<i64, &'static str> {
    let mut map = HashMap::new();
    for conflict in &found.conflicts {
        for id in &conflict.meeting_ids {
            let entry = map.entry(*id).or_insert("warning");
            if conflict.is_error() {
                *entry = "error";
            }
        }
    }
    map
}

/// A programme item in its venue's zone, with the visit's time beside it
/// when the zones differ.
fn item_of(programme: &Programme, flagged: &HashMap<i64, &'static str>, m: &MeetingRecord) -> Item {
    let visit_zone = programme.visit_zone();
    let zone = programme.zone_of(m);
    let span = |zone: Tz, labelled: bool| {
        let (start, end) = (hhmm(m.row.starts_at, zone), hhmm(m.row.ends_at, zone));
        let hours = format!("{}–{}", start.format("%H:%M"), end.format("%H:%M"));
        if labelled {
            format!("{hours} {}", zone_label(start))
        } else {
            hours
        }
    };
    let differs = zone != visit_zone;
    let venue = m.row.venue_id.and_then(|v| programme.venues.get(&v));
    Item {
        id: m.row.id,
        time: span(zone, differs),
        visit_time: differs.then(|| span(visit_zone, true)),
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
}

/// The clash cards, each with its suggested slot and the version of the
/// meeting that slot would move.
fn conflict_lines(programme: &Programme, reports: Vec<ConflictReport>) -> Vec<ConflictLine> {
    let versions: HashMap<i64, i32> = programme
        .meetings
        .iter()
        .map(|m| (m.row.id, m.row.version))
        .collect();
    reports
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
        .collect()
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
                Ok(_) => meeting_href(conn, visit_id, meeting_id).map(Some),
                Err(ServiceError::StaleVersion { .. }) => Ok(None),
                Err(e) => Err(e),
            }
        })
        .await?;
    Ok(see_other(&outcome.unwrap_or_else(|| {
        format!("/visits/{visit_id}?stale=1#conflicts")
    })))
}

/// A meeting's row on its visit's page: the day it starts on (in the visit's
/// zone), scrolled to the meeting.
fn meeting_href(conn: &mut Conn, visit_id: i64, meeting_id: i64) -> ServiceResult<String> {
    let zone = visits::get(conn, visit_id)?.zone();
    let starts = meetings::get(conn, meeting_id)?.row.starts_at;
    let day = hhmm(starts, zone).format("%Y-%m-%d");
    Ok(format!("/visits/{visit_id}?day={day}#m{meeting_id}"))
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
    visit_id: i64,
    meeting: Option<(i64, i32)>,
    values: Submitted,
    errors: ValidationErrors,
    notice: Option<String>,
    changes: Vec<(String, String, String)>,
    status: actix_web::http::StatusCode,
) -> Result<HttpResponse, AppError> {
    let t = staff.t;
    let shown = values.clone();
    let (choices, zone) = state
        .db(move |conn| {
            Ok((
                load_choices(conn, &meeting_fields(), &shown)?,
                meeting_zone(conn, visit_id, &shown)?,
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
    // The form's own page, also when a sent form comes back.
    let here = match meeting {
        Some((id, _)) => format!("/meetings/{id}/edit"),
        None => format!("/visits/{visit_id}/meetings/new"),
    };
    let body = FormPage {
        t,
        chrome: Chrome::of(staff, &here),
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
        unsaved: form::finding(&values),
    }
    .render()?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body))
}

async fn new_meeting(
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
    /// Saved: where the meeting is shown.
    Done(String),
    Invalid(ValidationErrors),
    /// Someone saved first: what the record now holds.
    Stale(Box<(MeetingRecord, Submitted)>),
}

async fn save_meeting(
    staff: Planner,
    state: web::Data<AppState>,
    visit_id: Option<i64>,
    meeting_id: Option<i64>,
    CsrfFields(submitted): CsrfFields,
) -> Result<HttpResponse, AppError> {
    let version: Option<i32> = form::first(&submitted, "version").parse().ok();
    if form::finding(&submitted) {
        // A search in a picker (or Enter): the same form, its matches shown, nothing saved.
        let visit_id = match (visit_id, meeting_id) {
            (Some(v), _) => v,
            (_, id) => {
                let id = id.unwrap_or_default();
                state
                    .db(move |conn| Ok(meetings::get(conn, id)?.row.visit_id))
                    .await?
            }
        };
        return meeting_form(
            &staff,
            &state,
            visit_id,
            meeting_id.zip(version),
            submitted,
            ValidationErrors::new(),
            None,
            Vec::new(),
            actix_web::http::StatusCode::OK,
        )
        .await;
    }
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
                    Ok(id) => Saved::Done(meeting_href(conn, visit_id, id)?),
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
        Saved::Done(href) => Ok(see_other(&href)),
        Saved::Invalid(errors) => {
            let meeting = meeting_id.zip(version);
            meeting_form(
                &staff,
                &state,
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
            let mut named = theirs.clone();
            for (name, values) in &submitted {
                named
                    .entry(name.clone())
                    .or_default()
                    .extend(values.clone());
            }
            named.retain(|name, _| !name.starts_with("find-"));
            let choices = state
                .db(move |conn| load_choices(conn, &meeting_fields(), &named))
                .await?;
            let show = |field: &form::Field, values: &[String]| -> String {
                match &field.kind {
                    form::Kind::Reference(source) | form::Kind::References(source) => values
                        .iter()
                        .filter_map(|v| v.parse::<i64>().ok())
                        .map(|id| choices.label(*source, id))
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
    staff: Planner,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    fields: CsrfFields,
) -> Result<HttpResponse, AppError> {
    save_meeting(staff, state, Some(id.into_inner()), None, fields).await
}

async fn update_meeting(
    staff: Planner,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    fields: CsrfFields,
) -> Result<HttpResponse, AppError> {
    save_meeting(staff, state, None, Some(id.into_inner()), fields).await
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
