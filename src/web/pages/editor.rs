//! List, create, edit and delete pages for the entities a visit is made of,
//! all from one set of handlers over the `Editable` description of each.

use std::collections::hash_map::Entry;

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono_tz::Tz;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::form::{self, Choices, Field, Kind, Source, Submitted};
use super::{html, see_other, Chrome, PageParams, Pager};
use crate::domain::model::*;
use crate::domain::values::{Language, MeetingKind, MeetingStatus, VenueKind, VisitStatus};
use crate::domain::ValidationErrors;
use crate::i18n::Translator;
use crate::services::catalogue::{
    groups, officials, participants, venues, GroupRecord, Groups, Officials, ParticipantRecord,
    Participants, Unavailabilities, Venues,
};
use crate::services::programme::{VisitRecord, Visits};
use crate::services::{
    Catalogued, Conn, ListQuery, OfficialRow, Page, ParticipantRow, ServiceError, ServiceResult,
    UnavailabilityRow, VenueRow,
};
use crate::web::api::views;
use crate::web::error::AppError;
use crate::web::extract::{CsrfFields, Planner};
use crate::web::routing::Routes;
use crate::web::session::Staff;
use crate::web::AppState;

/// The zone instants are entered in when nothing more specific applies.
pub use super::OFFICE_ZONE as DEFAULT_ZONE;

pub fn words<T: Copy>(all: &[T], word: fn(T) -> &'static str, prefix: &'static str) -> Kind {
    Kind::Word {
        words: all.iter().map(|v| word(*v)).collect(),
        prefix,
    }
}

/// What the shared pages need to know about a kind of record beyond what
/// the use cases already describe ([`Catalogued`]): its form fields, its list
/// columns, and how a record reads as a filled-in form.
pub trait Editable: 'static {
    type Input: Serialize + DeserializeOwned + Default + Send + 'static;
    /// The records, created, read, changed, deleted and listed as the API does.
    type Kind: Catalogued<Input = Self::Input>;
    /// The URL segment and catalogue prefix: `officials`.
    const SLUG: &'static str;
    fn fields() -> Vec<Field>;
    /// Fields shown as columns in the list.
    fn columns() -> Vec<&'static str>;
    /// Records as filled-in forms (all at once, so a page costs no query per row).
    fn forms_of(conn: &mut Conn, records: &[Record<Self>]) -> ServiceResult<Vec<Self::Input>>;

    /// One page of the records as forms, and how many the searched list holds.
    fn page(conn: &mut Conn, query: &ListQuery) -> ServiceResult<Page<(i64, Self::Input)>> {
        let page = Self::Kind::page(conn, query)?;
        let ids = page.items.iter().map(Self::Kind::id);
        let items = ids.zip(Self::forms_of(conn, &page.items)?).collect();
        Ok(Page {
            items,
            total: page.total,
        })
    }
    fn get(conn: &mut Conn, id: i64) -> ServiceResult<Self::Input> {
        let record = Self::Kind::get(conn, id)?;
        let form = Self::forms_of(conn, std::slice::from_ref(&record))?.pop();
        form.ok_or(ServiceError::NotFound {
            entity: Self::Kind::ENTITY,
            id,
        })
    }
    /// The zone instants of this form are shown and read in.
    fn zone(_conn: &mut Conn, _submitted: &Submitted) -> ServiceResult<Tz> {
        Ok(DEFAULT_ZONE)
    }
    /// Where to go after a save.
    fn after_save(id: i64) -> String {
        let _ = id;
        format!("/{}", Self::SLUG)
    }
}

type Record<E> = <<E as Editable>::Kind as Catalogued>::Record;

/// Records as forms, one at a time.
fn each<R, I>(records: &[R], form: impl Fn(&R) -> I) -> ServiceResult<Vec<I>> {
    Ok(records.iter().map(form).collect())
}

/// Loads what the fields refer to: small sources (venues) whole; of the
/// searched ones only the records `values` names and the first matches of
/// each search typed into a picker, never a whole table.
pub fn load_choices(
    conn: &mut Conn,
    fields: &[Field],
    values: &Submitted,
) -> ServiceResult<Choices> {
    let mut choices = Choices::default();
    for (source, ids) in form::named_ids(fields, values) {
        if source.searched() && !ids.is_empty() {
            let names = named(conn, source, &ids)?.into_iter().collect();
            choices.named.insert(source, names);
        }
    }
    for field in fields {
        let (Kind::Reference(source) | Kind::References(source)) = field.kind else {
            continue;
        };
        if !source.searched() {
            if let Entry::Vacant(slot) = choices.listed.entry(source) {
                slot.insert(whole(conn, source)?);
            }
        } else if let Some(q) = form::search_of(values, field.name) {
            let query = ListQuery {
                q: Some(q.to_owned()),
                limit: form::FOUND_LIMIT,
                offset: 0,
            };
            choices
                .found
                .insert(field.name, search(conn, source, &query)?);
        }
    }
    Ok(choices)
}

/// How a record reads in a form: an official with their position, a
/// participant with their organisation, so two namesakes can be told apart.
fn official_label(o: &OfficialRow) -> String {
    match &o.position {
        Some(p) => format!("{} — {p}", o.full_name),
        None => o.full_name.clone(),
    }
}

fn participant_label(p: &ParticipantRow) -> String {
    match &p.organization {
        Some(o) => format!("{} — {o}", p.full_name),
        None => p.full_name.clone(),
    }
}

/// The labels of the records `ids` names.
fn named(conn: &mut Conn, source: Source, ids: &[i64]) -> ServiceResult<Vec<(i64, String)>> {
    Ok(match source {
        Source::Officials => officials::by_ids(conn, ids)?
            .iter()
            .map(|o| (o.id, official_label(o)))
            .collect(),
        Source::Participants => participants::by_ids(conn, ids)?
            .iter()
            .map(|p| (p.id, participant_label(p)))
            .collect(),
        Source::Groups => groups::by_ids(conn, ids)?
            .into_iter()
            .map(|g| (g.id, g.name))
            .collect(),
        Source::Venues => whole(conn, source)?
            .into_iter()
            .filter(|(id, _)| ids.contains(id))
            .collect(),
    })
}

/// A source listed whole, in its list order.
fn whole(conn: &mut Conn, source: Source) -> ServiceResult<Vec<(i64, String)>> {
    Ok(match source {
        Source::Venues => venues::list(conn)?
            .into_iter()
            .map(|v| (v.id, v.name))
            .collect(),
        // Never a whole searched table: its first page at most.
        searched => search(conn, searched, &ListQuery::default())?.items,
    })
}

/// One page of a source's records, searched as its list page searches them.
fn search(
    conn: &mut Conn,
    source: Source,
    query: &ListQuery,
) -> ServiceResult<Page<(i64, String)>> {
    Ok(match source {
        Source::Officials => officials::page(conn, query)?.map(|o| (o.id, official_label(&o))),
        Source::Participants => {
            participants::page(conn, query)?.map(|p| (p.row.id, participant_label(&p.row)))
        }
        Source::Groups => groups::page(conn, query)?.map(|g| (g.row.id, g.row.name)),
        Source::Venues => venues::page(conn, query)?.map(|v| (v.id, v.name)),
    })
}

// ---------------------------------------------------------------------------
// The entities

pub struct OfficialPages;

impl Editable for OfficialPages {
    type Input = OfficialInput;
    type Kind = Officials;
    const SLUG: &'static str = "officials";

    fn fields() -> Vec<Field> {
        vec![
            Field::required("full_name", Kind::Text),
            Field::new("position", Kind::Text),
            Field::new("organization", Kind::Text),
            Field::new("precedence", Kind::Integer),
            Field::new("email", Kind::Email),
            Field::new("phone", Kind::Tel),
            Field::new(
                "language",
                words(Language::ALL, Language::as_str, "language"),
            ),
            Field::new("notes", Kind::LongText),
        ]
    }
    fn columns() -> Vec<&'static str> {
        vec![
            "precedence",
            "full_name",
            "position",
            "organization",
            "phone",
        ]
    }
    fn forms_of(_: &mut Conn, records: &[OfficialRow]) -> ServiceResult<Vec<OfficialInput>> {
        each(records, views::official_input)
    }
}

pub struct VenuePages;

impl Editable for VenuePages {
    type Input = VenueInput;
    type Kind = Venues;
    const SLUG: &'static str = "venues";

    fn fields() -> Vec<Field> {
        vec![
            Field::required("name", Kind::Text),
            Field::new(
                "kind",
                words(VenueKind::ALL, VenueKind::as_str, "venue_kind"),
            ),
            Field::new("address", Kind::Text),
            Field::new("city", Kind::Text),
            Field::new("latitude", Kind::Decimal),
            Field::new("longitude", Kind::Decimal),
            Field::required("timezone", Kind::Zone),
            Field::new("capacity", Kind::Integer),
            Field::new("opens", Kind::Time),
            Field::new("closes", Kind::Time),
            Field::new("contact_name", Kind::Text),
            Field::new("contact_phone", Kind::Tel),
            Field::new("contact_email", Kind::Email),
            Field::new("notes", Kind::LongText),
        ]
    }
    fn columns() -> Vec<&'static str> {
        vec![
            "name",
            "kind",
            "city",
            "address",
            "capacity",
            "contact_phone",
        ]
    }
    fn forms_of(_: &mut Conn, records: &[VenueRow]) -> ServiceResult<Vec<VenueInput>> {
        each(records, views::venue_input)
    }
}

pub struct GroupPages;

impl Editable for GroupPages {
    type Input = GroupInput;
    type Kind = Groups;
    const SLUG: &'static str = "groups";

    fn fields() -> Vec<Field> {
        vec![
            Field::required("name", Kind::Text),
            Field::new("description", Kind::LongText),
            Field::new("headcount", Kind::Integer),
            Field::new(
                "contact_participant_id",
                Kind::Reference(Source::Participants),
            ),
            Field::new("participant_ids", Kind::References(Source::Participants)),
        ]
    }
    fn columns() -> Vec<&'static str> {
        vec!["name", "headcount", "participant_ids"]
    }
    fn forms_of(_: &mut Conn, records: &[GroupRecord]) -> ServiceResult<Vec<GroupInput>> {
        each(records, views::group_input)
    }
}

pub struct ParticipantPages;

impl Editable for ParticipantPages {
    type Input = ParticipantInput;
    type Kind = Participants;
    const SLUG: &'static str = "participants";

    fn fields() -> Vec<Field> {
        vec![
            Field::required("full_name", Kind::Text),
            Field::new("organization", Kind::Text),
            Field::new("position", Kind::Text),
            Field::new("email", Kind::Email),
            Field::new("phone", Kind::Tel),
            Field::new(
                "language",
                words(Language::ALL, Language::as_str, "language"),
            ),
            Field::new("group_ids", Kind::References(Source::Groups)),
        ]
    }
    fn columns() -> Vec<&'static str> {
        vec!["full_name", "organization", "email", "group_ids"]
    }
    fn forms_of(
        _: &mut Conn,
        records: &[ParticipantRecord],
    ) -> ServiceResult<Vec<ParticipantInput>> {
        each(records, views::participant_input)
    }
}

pub struct UnavailabilityPages;

impl Editable for UnavailabilityPages {
    type Input = UnavailabilityInput;
    type Kind = Unavailabilities;
    const SLUG: &'static str = "unavailability";

    fn fields() -> Vec<Field> {
        vec![
            Field::new("official_id", Kind::Reference(Source::Officials)),
            Field::new("venue_id", Kind::Reference(Source::Venues)),
            Field::required("starts_at", Kind::Instant),
            Field::required("ends_at", Kind::Instant),
            Field::new("reason", Kind::Text),
        ]
    }
    fn columns() -> Vec<&'static str> {
        vec!["official_id", "venue_id", "starts_at", "ends_at", "reason"]
    }
    /// A venue's window is in the venue's zone.
    fn zone(conn: &mut Conn, submitted: &Submitted) -> ServiceResult<Tz> {
        venue_zone(conn, form::first(submitted, "venue_id"))
    }
    /// Each window in its venue's zone.
    fn forms_of(
        conn: &mut Conn,
        records: &[UnavailabilityRow],
    ) -> ServiceResult<Vec<UnavailabilityInput>> {
        let zones = views::venue_zones(&venues::list(conn)?);
        each(records, |row| {
            views::unavailability_view(row, &zones, DEFAULT_ZONE).fields
        })
    }
}

/// The zone of the venue chosen in a form, else the default.
pub fn venue_zone(conn: &mut Conn, venue_id: &str) -> ServiceResult<Tz> {
    let Ok(id) = venue_id.trim().parse::<i64>() else {
        return Ok(DEFAULT_ZONE);
    };
    Ok(match venues::get(conn, id) {
        Ok(v) => v.timezone,
        Err(ServiceError::NotFound { .. }) => DEFAULT_ZONE,
        Err(e) => return Err(e),
    })
}

pub struct VisitPages;

impl Editable for VisitPages {
    type Input = VisitInput;
    type Kind = Visits;
    const SLUG: &'static str = "visits";

    fn fields() -> Vec<Field> {
        vec![
            Field::required("title", Kind::Text),
            Field::new("theme", Kind::LongText),
            Field::new("region", Kind::Text),
            Field::required("timezone", Kind::Zone),
            Field::required("first_day", Kind::Date),
            Field::required("last_day", Kind::Date),
            Field::new("lead_official_id", Kind::Reference(Source::Officials)),
            Field::new("official_ids", Kind::References(Source::Officials)),
            Field::new(
                "status",
                words(VisitStatus::ALL, VisitStatus::as_str, "status"),
            ),
        ]
    }
    fn columns() -> Vec<&'static str> {
        vec!["title", "region", "first_day", "last_day", "status"]
    }
    fn after_save(id: i64) -> String {
        format!("/visits/{id}")
    }
    fn forms_of(_: &mut Conn, records: &[VisitRecord]) -> ServiceResult<Vec<VisitInput>> {
        each(records, views::visit_input)
    }
}

/// The meeting fields, shared by the meeting pages.
pub fn meeting_fields() -> Vec<Field> {
    vec![
        Field::required("title", Kind::Text),
        Field::new(
            "kind",
            words(MeetingKind::ALL, MeetingKind::as_str, "meeting_kind"),
        ),
        Field::required("starts_at", Kind::Instant),
        Field::required("ends_at", Kind::Instant),
        Field::new("venue_id", Kind::Reference(Source::Venues)),
        Field::new("official_ids", Kind::References(Source::Officials)),
        Field::new("group_ids", Kind::References(Source::Groups)),
        Field::new("participant_ids", Kind::References(Source::Participants)),
        Field::new("responsible", Kind::Text),
        Field::new("agenda", Kind::LongText),
        Field::new("briefing_notes", Kind::LongText),
        Field::new("logistics", Kind::LongText),
        Field::new("dress_code", Kind::Text),
        Field::new(
            "status",
            words(MeetingStatus::ALL, MeetingStatus::as_str, "meeting_status"),
        ),
    ]
}

// ---------------------------------------------------------------------------
// The shared pages

pub struct Row {
    pub id: i64,
    pub cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "pages/list.html")]
struct ListPage {
    t: Translator,
    chrome: Chrome,
    slug: &'static str,
    title: String,
    headers: Vec<String>,
    rows: Vec<Row>,
    pager: Pager,
}

#[derive(Template)]
#[template(path = "pages/form.html")]
pub struct FormPage {
    pub t: Translator,
    pub chrome: Chrome,
    pub title: String,
    pub action: String,
    pub back: String,
    pub controls: Vec<form::Control>,
    pub hidden: Vec<(&'static str, String)>,
    pub notice: Option<String>,
    pub changes: Vec<(String, String, String)>,
    pub delete_action: Option<String>,
    pub zone_hint: Option<String>,
    /// Shown again to search a picker: say that nothing is saved yet.
    pub unsaved: bool,
}

/// Why something cannot be removed, in the reader's language.
pub fn in_use_text(t: Translator, reason: &crate::services::InUse) -> String {
    reason.words(t)
}

/// The text of a list cell: words by their labels, references by their names.
fn cell(t: Translator, field: &Field, value: &serde_json::Value, choices: &Choices) -> String {
    let name_of = |source: &Source, id: i64| choices.label(*source, id);
    match (&field.kind, value) {
        (_, serde_json::Value::Null) => String::new(),
        (Kind::Word { prefix, .. }, serde_json::Value::String(w)) => {
            t.get(&format!("{prefix}-{w}")).to_owned()
        }
        (Kind::Reference(source), v) => {
            v.as_i64().map(|id| name_of(source, id)).unwrap_or_default()
        }
        (Kind::References(source), serde_json::Value::Array(ids)) => ids
            .iter()
            .filter_map(|v| v.as_i64())
            .map(|id| name_of(source, id))
            .collect::<Vec<_>>()
            .join(", "),
        (Kind::Instant, serde_json::Value::String(s)) => chrono::DateTime::parse_from_rfc3339(s)
            .map(|at| at.format("%d.%m.%Y %H:%M (UTC%:z)").to_string())
            .unwrap_or_else(|_| s.clone()),
        (_, serde_json::Value::String(s)) => s.clone(),
        (_, other) => other.to_string(),
    }
}

/// A page of a list's records as forms, with the names they refer to.
pub type Listed<E> = (Page<(i64, <E as Editable>::Input)>, Choices);

/// One page of a list (`query`'s search and offset): its records as forms,
/// and the names of what they refer to, and no others.
pub fn list_data<E: Editable>(conn: &mut Conn, query: &ListQuery) -> ServiceResult<Listed<E>> {
    let page = E::page(conn, query)?;
    let mut named = Submitted::new();
    for (_, input) in &page.items {
        for (name, values) in form::values_of(&E::fields(), input, DEFAULT_ZONE) {
            named.entry(name).or_default().extend(values);
        }
    }
    let choices = load_choices(conn, &E::fields(), &named)?;
    Ok((page, choices))
}

/// A list page as HTML: the page of records `list_data` read, at `path`.
pub fn render_list<E: Editable>(
    t: Translator,
    chrome: Chrome,
    path: &str,
    query: &ListQuery,
    (page, choices): Listed<E>,
) -> Result<String, AppError> {
    let fields = E::fields();
    let pager = Pager::new(t, path, query, page.total, page.items.len());
    let columns: Vec<&Field> = E::columns()
        .into_iter()
        .filter_map(|c| fields.iter().find(|f| f.name == c))
        .collect();
    let rows = page
        .items
        .iter()
        .map(|(id, input)| {
            let json = serde_json::to_value(input).unwrap_or_default();
            Row {
                id: *id,
                cells: columns
                    .iter()
                    .map(|f| cell(t, f, &json[f.name], &choices))
                    .collect(),
            }
        })
        .collect();
    Ok(ListPage {
        t,
        chrome,
        slug: E::SLUG,
        title: t.get(&format!("nav-{}", E::SLUG)).to_owned(),
        headers: columns
            .iter()
            .map(|f| t.get(&format!("field-{}", f.name)).to_owned())
            .collect(),
        rows,
        pager,
    }
    .render()?)
}

async fn list_page<E: Editable>(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    params: web::Query<PageParams>,
) -> Result<HttpResponse, AppError> {
    let query = Pager::query(&params);
    let asked = query.clone();
    let listed = state.db(move |conn| list_data::<E>(conn, &asked)).await?;
    let chrome = Chrome::of(&staff, req.path());
    Ok(html(render_list::<E>(
        staff.t,
        chrome,
        req.path(),
        &query,
        listed,
    )?))
}

/// The page an entity's form is on: `/groups/new`, `/groups/7/edit`.
fn form_path<E: Editable>(id: Option<i64>) -> String {
    match id {
        Some(id) => format!("/{}/{id}/edit", E::SLUG),
        None => format!("/{}/new", E::SLUG),
    }
}

/// Renders an entity's form with its values, problems and a notice.
#[allow(clippy::too_many_arguments)]
async fn form_page<E: Editable>(
    staff: &Staff,
    state: &AppState,
    id: Option<i64>,
    values: Submitted,
    errors: ValidationErrors,
    notice: Option<String>,
    status: actix_web::http::StatusCode,
) -> Result<HttpResponse, AppError> {
    let t = staff.t;
    let shown = values.clone();
    let choices = state
        .db(move |conn| load_choices(conn, &E::fields(), &shown))
        .await?;
    let controls = form::controls(t, &E::fields(), &values, &errors, &choices);
    let noun_key = format!("entity-{}", E::SLUG);
    let noun = t.get(&noun_key);
    let (title, action) = match id {
        Some(id) => (
            format!("{} — {}", t.get("editor-edit"), noun),
            format!("/{}/{id}", E::SLUG),
        ),
        None => (
            format!("{} — {}", t.get("editor-new"), noun),
            format!("/{}", E::SLUG),
        ),
    };
    let notice =
        notice.or_else(|| (!errors.is_empty()).then(|| t.get("editor-fix_fields").to_owned()));
    let body = FormPage {
        t,
        // The form's own page, also when a sent form comes back: switching
        // the language there leads to the form, not to where it was sent.
        chrome: Chrome::of(staff, &form_path::<E>(id)),
        title,
        action,
        back: format!("/{}", E::SLUG),
        controls,
        hidden: Vec::new(),
        notice,
        changes: Vec::new(),
        delete_action: id
            .filter(|_| staff.can_edit())
            .map(|id| format!("/{}/{id}/delete", E::SLUG)),
        zone_hint: None,
        unsaved: form::finding(&values),
    }
    .render()?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body))
}

async fn new_form<E: Editable>(
    staff: Planner,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let values = form::values_of(&E::fields(), &E::Input::default(), DEFAULT_ZONE);
    form_page::<E>(
        &staff,
        &state,
        None,
        values,
        ValidationErrors::new(),
        None,
        actix_web::http::StatusCode::OK,
    )
    .await
}

async fn edit_form<E: Editable>(
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let values = state
        .db(move |conn| {
            let input = E::get(conn, id)?;
            let json = serde_json::to_value(&input).unwrap_or_default();
            let venue = json["venue_id"]
                .as_i64()
                .map(|v| v.to_string())
                .unwrap_or_default();
            let zone = E::zone(
                conn,
                &Submitted::from([("venue_id".to_owned(), vec![venue])]),
            )?;
            Ok(form::values_of(&E::fields(), &input, zone))
        })
        .await?;
    form_page::<E>(
        &staff,
        &state,
        Some(id),
        values,
        ValidationErrors::new(),
        None,
        actix_web::http::StatusCode::OK,
    )
    .await
}

/// Reads and saves a submitted form; bad input comes back as the form again.
async fn save<E: Editable>(
    staff: Planner,
    state: web::Data<AppState>,
    id: Option<i64>,
    CsrfFields(submitted): CsrfFields,
) -> Result<HttpResponse, AppError> {
    if form::finding(&submitted) {
        // A search in a picker (or Enter): the same form, its matches shown, nothing saved.
        return form_page::<E>(
            &staff,
            &state,
            id,
            submitted,
            ValidationErrors::new(),
            None,
            actix_web::http::StatusCode::OK,
        )
        .await;
    }
    let actor = staff.actor();
    let values = submitted.clone();
    let outcome = state
        .db(move |conn| {
            let zone = E::zone(conn, &values)?;
            let input: E::Input = match form::read(&E::fields(), &values, zone) {
                Ok(input) => input,
                Err(errors) => return Ok(Err(errors)),
            };
            let saved = match id {
                Some(id) => E::Kind::update(conn, &actor, id, &input).map(|_| id),
                None => E::Kind::create(conn, &actor, &input).map(|r| E::Kind::id(&r)),
            };
            match saved {
                Ok(id) => Ok(Ok(id)),
                Err(ServiceError::Validation(errors)) => Ok(Err(errors)),
                Err(other) => Err(other),
            }
        })
        .await?;
    match outcome {
        Ok(id) => Ok(see_other(&E::after_save(id))),
        Err(errors) => {
            form_page::<E>(
                &staff,
                &state,
                id,
                submitted,
                errors,
                None,
                actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

async fn create<E: Editable>(
    staff: Planner,
    state: web::Data<AppState>,
    fields: CsrfFields,
) -> Result<HttpResponse, AppError> {
    save::<E>(staff, state, None, fields).await
}

async fn update<E: Editable>(
    staff: Planner,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    fields: CsrfFields,
) -> Result<HttpResponse, AppError> {
    save::<E>(staff, state, Some(id.into_inner()), fields).await
}

async fn delete<E: Editable>(
    staff: Planner,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    _checked: CsrfFields,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let actor = staff.actor();
    let outcome = state
        .db(move |conn| match E::Kind::delete(conn, &actor, id) {
            Ok(()) => Ok(None),
            Err(ServiceError::InUse { reason, .. }) => Ok(Some(reason)),
            Err(other) => Err(other),
        })
        .await?;
    match outcome {
        None => Ok(see_other(&format!("/{}", E::SLUG))),
        Some(reason) => {
            // Refused: the edit form again, saying why.
            let values = state
                .db(move |conn| {
                    Ok(form::values_of(
                        &E::fields(),
                        &E::get(conn, id)?,
                        DEFAULT_ZONE,
                    ))
                })
                .await?;
            let notice = format!(
                "{} {}",
                staff.t.get("editor-delete_refused"),
                in_use_text(staff.t, &reason)
            );
            form_page::<E>(
                &staff,
                &state,
                Some(id),
                values,
                ValidationErrors::new(),
                Some(notice),
                actix_web::http::StatusCode::CONFLICT,
            )
            .await
        }
    }
}

fn register<E: Editable>(routes: &mut Routes, with_list: bool) {
    let base = format!("/{}", E::SLUG);
    if with_list {
        routes.get(&base, list_page::<E>);
    }
    routes
        .get(&format!("{base}/new"), new_form::<E>)
        .post(&base, create::<E>)
        .get(&format!("{base}/{{id}}/edit"), edit_form::<E>)
        .post(&format!("{base}/{{id}}"), update::<E>)
        .post(&format!("{base}/{{id}}/delete"), delete::<E>);
}

pub fn routes(routes: &mut Routes) {
    register::<OfficialPages>(routes, true);
    register::<VenuePages>(routes, true);
    register::<GroupPages>(routes, true);
    register::<ParticipantPages>(routes, true);
    register::<UnavailabilityPages>(routes, true);
    register::<VisitPages>(routes, false);
}
