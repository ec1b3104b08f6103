//! The resource routes of the API.

use actix_web::{web, HttpResponse};

use super::body::{merge_patch, ApiJson, ApiPatch};
use super::error::{ApiError, ApiResult};
use super::schema::*;
use super::views::*;
use super::{ApiPlanner, ApiUser};
use crate::domain::model::*;
use crate::services::catalogue::{
    travel_times, unavailability, venues, Groups, Officials, Participants, Venues,
};
use crate::services::programme::{meetings, visits, MeetingRecord, Visits};
use crate::services::running_late::{self, ShiftPlan};
use crate::services::{conflicts, publishing, Catalogued, Conn, ListQuery, Page, ServiceResult};
use crate::web::routing::Routes;
use crate::web::AppState;

pub fn routes(routes: &mut Routes) {
    routes
        .post("/officials", create_official)
        .get("/officials", list_officials)
        .get("/officials/{id}", get_official)
        .patch("/officials/{id}", patch_official)
        .delete("/officials/{id}", delete_official)
        .post("/venues", create_venue)
        .get("/venues", list_venues)
        .get("/venues/{id}", get_venue)
        .patch("/venues/{id}", patch_venue)
        .delete("/venues/{id}", delete_venue)
        .post("/groups", create_group)
        .get("/groups", list_groups)
        .get("/groups/{id}", get_group)
        .patch("/groups/{id}", patch_group)
        .delete("/groups/{id}", delete_group)
        .post("/participants", create_participant)
        .get("/participants", list_participants)
        .get("/participants/{id}", get_participant)
        .patch("/participants/{id}", patch_participant)
        .delete("/participants/{id}", delete_participant)
        .post("/visits", create_visit)
        .get("/visits", list_visits)
        .get("/visits/{id}", get_visit)
        .patch("/visits/{id}", patch_visit)
        .delete("/visits/{id}", delete_visit)
        .post("/visits/{id}/meetings", create_meeting)
        .get("/visits/{id}/meetings", list_meetings)
        .get("/visits/{id}/conflicts", visit_conflicts)
        .post("/visits/{id}/publish", publish_visit)
        .post("/visits/{id}/briefing-pack", send_briefing_pack)
        .post("/visits/{id}/access-lists/send", send_access_lists)
        .post("/visits/{id}/shift", shift_visit)
        .get("/outbox", list_outbox)
        .get("/meetings/{id}", get_meeting)
        .patch("/meetings/{id}", patch_meeting)
        .delete("/meetings/{id}", delete_meeting)
        .post("/unavailability", create_unavailability)
        .get("/unavailability", list_unavailability)
        .delete("/unavailability/{id}", delete_unavailability)
        .put("/travel-times", put_travel_time)
        .get("/travel-times", list_travel_times);
}

/// The paging and search parameters every list takes. They are read as text
/// and checked here, so a bad one is a 422 naming it, as a bad field is.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// how many items to answer: 1 to 1000, 200 when absent
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000)]
    limit: Option<String>,
    /// how many items of the list to skip first (0 when absent)
    #[param(value_type = Option<i64>, minimum = 0)]
    offset: Option<String>,
    /// only the items whose names or titles hold this text (any case, any script)
    q: Option<String>,
}

impl ListParams {
    fn query(&self) -> ApiResult<ListQuery> {
        ListQuery::parse(
            self.q.as_deref(),
            self.limit.as_deref(),
            self.offset.as_deref(),
        )
        .map_err(ApiError::Validation)
    }
}

/// A window of a list already held whole (a visit's meetings, the travel
/// times), with the total it was cut from.
fn window<T>(items: Vec<T>, query: &ListQuery) -> Page<T> {
    let total = items.len() as i64;
    let skip = usize::try_from(query.offset).unwrap_or(usize::MAX);
    let take = usize::try_from(query.limit).unwrap_or(usize::MAX);
    Page {
        items: items.into_iter().skip(skip).take(take).collect(),
        total,
    }
}

/// Create, read, update (partial), delete and list for a kind of record,
/// through its [`Catalogued`] description: the same one the pages use.
macro_rules! crud {
    (
        service: $svc:ident, tag: $tag:literal, key: $key:literal,
        path: $path:literal, item: $item:literal,
        input: $input:ty, doc: $doc:ty, list_doc: $list_doc:ty,
        to_input: $to_input:path, to_view: $to_view:path,
        handlers: [$create:ident, $list:ident, $get:ident, $patch:ident, $delete:ident]
    ) => {
        #[utoipa::path(post, path = $path, tag = $tag, request_body = $input,
            responses((status = 201, body = $doc), (status = 400, body = ErrorDoc), (status = 401, body = ErrorDoc),
                (status = 403, body = ErrorDoc), (status = 413, body = ErrorDoc), (status = 422, body = ErrorDoc)),
            security(("bearer" = [])))]
        pub async fn $create(
            user: ApiPlanner,
            state: web::Data<AppState>,
            body: ApiJson<$input>,
        ) -> ApiResult<HttpResponse> {
            let actor = user.actor();
            let record = state.db(move |c| <$svc as Catalogued>::create(c, &actor, &body.0)).await?;
            Ok(HttpResponse::Created().json($to_view(&record)))
        }

        #[utoipa::path(get, path = $path, tag = $tag, params(ListParams),
            responses((status = 200, body = $list_doc), (status = 400, body = ErrorDoc), (status = 401, body = ErrorDoc),
                (status = 422, body = ErrorDoc)),
            security(("bearer" = [])))]
        pub async fn $list(
            _user: ApiUser,
            state: web::Data<AppState>,
            params: web::Query<ListParams>,
        ) -> ApiResult<HttpResponse> {
            let query = params.query()?;
            let page = state.db(move |c| <$svc as Catalogued>::page(c, &query)).await?;
            let items: Vec<_> = page.items.iter().map($to_view).collect();
            Ok(HttpResponse::Ok().json(serde_json::json!({ $key: items, "total": page.total })))
        }

        #[utoipa::path(get, path = $item, tag = $tag, params(("id" = i64, Path)),
            responses((status = 200, body = $doc), (status = 401, body = ErrorDoc), (status = 404, body = ErrorDoc)),
            security(("bearer" = [])))]
        pub async fn $get(
            _user: ApiUser,
            state: web::Data<AppState>,
            id: web::Path<i64>,
        ) -> ApiResult<HttpResponse> {
            let id = id.into_inner();
            let record = state.db(move |c| <$svc as Catalogued>::get(c, id)).await?;
            Ok(HttpResponse::Ok().json($to_view(&record)))
        }

        #[utoipa::path(patch, path = $item, tag = $tag, params(("id" = i64, Path)),
            request_body(content = $input, description = "any subset of the fields; null clears a field"),
            responses((status = 200, body = $doc), (status = 400, body = ErrorDoc), (status = 401, body = ErrorDoc),
                (status = 403, body = ErrorDoc), (status = 404, body = ErrorDoc), (status = 413, body = ErrorDoc),
                (status = 422, body = ErrorDoc)),
            security(("bearer" = [])))]
        pub async fn $patch(
            user: ApiPlanner,
            state: web::Data<AppState>,
            id: web::Path<i64>,
            patch: ApiPatch,
        ) -> ApiResult<HttpResponse> {
            let id = id.into_inner();
            let current = state.db(move |c| <$svc as Catalogued>::get(c, id)).await?;
            let input: $input = merge_patch(&$to_input(&current), patch.0)?;
            let actor = user.actor();
            let record = state.db(move |c| <$svc as Catalogued>::update(c, &actor, id, &input)).await?;
            Ok(HttpResponse::Ok().json($to_view(&record)))
        }

        #[utoipa::path(delete, path = $item, tag = $tag, params(("id" = i64, Path)),
            responses((status = 204), (status = 401, body = ErrorDoc), (status = 403, body = ErrorDoc),
                (status = 404, body = ErrorDoc), (status = 409, body = ErrorDoc)),
            security(("bearer" = [])))]
        pub async fn $delete(
            user: ApiPlanner,
            state: web::Data<AppState>,
            id: web::Path<i64>,
        ) -> ApiResult<HttpResponse> {
            let id = id.into_inner();
            let actor = user.actor();
            state.db(move |c| <$svc as Catalogued>::delete(c, &actor, id)).await?;
            Ok(HttpResponse::NoContent().finish())
        }
    };
}

crud!(service: Officials, tag: "officials", key: "officials", path: "/officials", item: "/officials/{id}",
    input: OfficialInput, doc: OfficialDoc, list_doc: OfficialList,
    to_input: official_input, to_view: official_view,
    handlers: [create_official, list_officials, get_official, patch_official, delete_official]);

crud!(service: Venues, tag: "venues", key: "venues", path: "/venues", item: "/venues/{id}",
    input: VenueInput, doc: VenueDoc, list_doc: VenueList,
    to_input: venue_input, to_view: venue_view,
    handlers: [create_venue, list_venues, get_venue, patch_venue, delete_venue]);

crud!(service: Groups, tag: "groups", key: "groups", path: "/groups", item: "/groups/{id}",
    input: GroupInput, doc: GroupDoc, list_doc: GroupList,
    to_input: group_input, to_view: group_view,
    handlers: [create_group, list_groups, get_group, patch_group, delete_group]);

crud!(service: Participants, tag: "participants", key: "participants", path: "/participants", item: "/participants/{id}",
    input: ParticipantInput, doc: ParticipantDoc, list_doc: ParticipantList,
    to_input: participant_input, to_view: participant_view,
    handlers: [create_participant, list_participants, get_participant, patch_participant, delete_participant]);

crud!(service: Visits, tag: "visits", key: "visits", path: "/visits", item: "/visits/{id}",
    input: VisitInput, doc: VisitDoc, list_doc: VisitList,
    to_input: visit_input, to_view: visit_view,
    handlers: [create_visit, list_visits, get_visit, patch_visit, delete_visit]);

// ---------------------------------------------------------------------------
// Meetings: created and listed under their visit, shown in their venue's zone.

/// The zone a meeting is shown in, read from its venue or its visit.
fn zone_for(conn: &mut Conn, record: &MeetingRecord) -> ServiceResult<chrono_tz::Tz> {
    let venues = venues::of(conn, record.row.venue_id)?;
    let visit = visits::get(conn, record.row.visit_id)?;
    Ok(meeting_zone(
        record,
        &venue_zones(&venues),
        visit.row.timezone,
    ))
}

#[utoipa::path(post, path = "/visits/{id}/meetings", tag = "meetings", params(("id" = i64, Path, description = "the visit")),
    request_body = MeetingInput,
    responses((status = 201, body = MeetingDoc), (status = 400, body = ErrorDoc), (status = 401, body = ErrorDoc),
        (status = 403, body = ErrorDoc), (status = 404, body = ErrorDoc), (status = 413, body = ErrorDoc),
        (status = 422, body = ErrorDoc)),
    security(("bearer" = [])))]
pub async fn create_meeting(
    user: ApiPlanner,
    state: web::Data<AppState>,
    visit_id: web::Path<i64>,
    body: ApiJson<MeetingInput>,
) -> ApiResult<HttpResponse> {
    let visit_id = visit_id.into_inner();
    let actor = user.actor();
    let view = state
        .db(move |c| {
            let record = meetings::create(c, &actor, visit_id, &body.0)?;
            Ok(meeting_view(&record, zone_for(c, &record)?))
        })
        .await?;
    Ok(HttpResponse::Created().json(view))
}

#[utoipa::path(get, path = "/visits/{id}/meetings", tag = "meetings",
    params(("id" = i64, Path, description = "the visit"), ListParams),
    responses((status = 200, body = MeetingList), (status = 400, body = ErrorDoc), (status = 401, body = ErrorDoc),
        (status = 404, body = ErrorDoc), (status = 422, body = ErrorDoc)),
    security(("bearer" = [])))]
pub async fn list_meetings(
    _user: ApiUser,
    state: web::Data<AppState>,
    visit_id: web::Path<i64>,
    params: web::Query<ListParams>,
) -> ApiResult<HttpResponse> {
    let visit_id = visit_id.into_inner();
    let query = params.query()?;
    let page = state
        .db(move |c| {
            let visit = visits::get(c, visit_id)?;
            // A visit's programme is bounded (a few weeks), so it is read
            // whole and searched by title here.
            let records = meetings::of_visit(c, visit_id)?
                .into_iter()
                .filter(|r| query.matches(&r.row.title))
                .collect();
            let zones = venue_zones(&venues::list(c)?);
            Ok(window(records, &query)
                .map(|r| meeting_view(&r, meeting_zone(&r, &zones, visit.row.timezone))))
        })
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "meetings": page.items, "total": page.total })))
}

#[utoipa::path(get, path = "/meetings/{id}", tag = "meetings", params(("id" = i64, Path)),
    responses((status = 200, body = MeetingDoc), (status = 401, body = ErrorDoc), (status = 404, body = ErrorDoc)),
    security(("bearer" = [])))]
pub async fn get_meeting(
    _user: ApiUser,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let view = state
        .db(move |c| {
            let record = meetings::get(c, id)?;
            Ok(meeting_view(&record, zone_for(c, &record)?))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(patch, path = "/meetings/{id}", tag = "meetings", params(("id" = i64, Path)),
    request_body(content = MeetingInput, description = "any subset of the fields; send the `version` you read: an older one is refused with 409"),
    responses((status = 200, body = MeetingDoc), (status = 400, body = ErrorDoc), (status = 401, body = ErrorDoc),
        (status = 403, body = ErrorDoc), (status = 404, body = ErrorDoc), (status = 409, body = ErrorDoc),
        (status = 413, body = ErrorDoc), (status = 422, body = ErrorDoc)),
    security(("bearer" = [])))]
pub async fn patch_meeting(
    user: ApiPlanner,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    patch: ApiPatch,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let current = state
        .db(move |c| {
            let record = meetings::get(c, id)?;
            let zone = zone_for(c, &record)?;
            Ok(meeting_input(&record, zone))
        })
        .await?;
    // Without a version in the patch, the one just read is the one checked.
    let input: MeetingInput = merge_patch(&current, patch.0)?;
    let actor = user.actor();
    let view = state
        .db(move |c| {
            let record = meetings::update(c, &actor, id, &input)?;
            Ok(meeting_view(&record, zone_for(c, &record)?))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(delete, path = "/meetings/{id}", tag = "meetings", params(("id" = i64, Path)),
    responses((status = 204), (status = 401, body = ErrorDoc), (status = 403, body = ErrorDoc), (status = 404, body = ErrorDoc)),
    security(("bearer" = [])))]
pub async fn delete_meeting(
    user: ApiPlanner,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let actor = user.actor();
    state.db(move |c| meetings::delete(c, &actor, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

// ---------------------------------------------------------------------------
// Unavailability and travel times

#[utoipa::path(post, path = "/unavailability", tag = "unavailability", request_body = UnavailabilityInput,
    responses((status = 201, body = UnavailabilityDoc), (status = 400, body = ErrorDoc), (status = 401, body = ErrorDoc),
        (status = 403, body = ErrorDoc), (status = 413, body = ErrorDoc), (status = 422, body = ErrorDoc)),
    security(("bearer" = [])))]
pub async fn create_unavailability(
    user: ApiPlanner,
    state: web::Data<AppState>,
    body: ApiJson<UnavailabilityInput>,
) -> ApiResult<HttpResponse> {
    let actor = user.actor();
    let view = state
        .db(move |c| {
            let row = unavailability::create(c, &actor, &body.0)?;
            let venues = venues::of(c, row.venue_id)?;
            Ok(unavailability_view(
                &row,
                &venue_zones(&venues),
                chrono_tz::UTC,
            ))
        })
        .await?;
    Ok(HttpResponse::Created().json(view))
}

#[utoipa::path(get, path = "/unavailability", tag = "unavailability", params(ListParams),
    responses((status = 200, body = UnavailabilityList), (status = 400, body = ErrorDoc), (status = 401, body = ErrorDoc),
        (status = 422, body = ErrorDoc)),
    security(("bearer" = [])))]
pub async fn list_unavailability(
    _user: ApiUser,
    state: web::Data<AppState>,
    params: web::Query<ListParams>,
) -> ApiResult<HttpResponse> {
    let query = params.query()?;
    let page = state
        .db(move |c| {
            let zones = venue_zones(&venues::list(c)?);
            Ok(unavailability::page(c, &query)?
                .map(|row| unavailability_view(&row, &zones, chrono_tz::UTC)))
        })
        .await?;
    Ok(HttpResponse::Ok()
        .json(serde_json::json!({ "unavailability": page.items, "total": page.total })))
}

#[utoipa::path(delete, path = "/unavailability/{id}", tag = "unavailability", params(("id" = i64, Path)),
    responses((status = 204), (status = 401, body = ErrorDoc), (status = 403, body = ErrorDoc), (status = 404, body = ErrorDoc)),
    security(("bearer" = [])))]
pub async fn delete_unavailability(
    user: ApiPlanner,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let actor = user.actor();
    state
        .db(move |c| unavailability::delete(c, &actor, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(put, path = "/travel-times", tag = "travel times", request_body = TravelTimeInput,
    responses((status = 200, body = TravelTimeDoc), (status = 400, body = ErrorDoc), (status = 401, body = ErrorDoc),
        (status = 403, body = ErrorDoc), (status = 413, body = ErrorDoc), (status = 422, body = ErrorDoc)),
    security(("bearer" = [])))]
pub async fn put_travel_time(
    user: ApiPlanner,
    state: web::Data<AppState>,
    body: ApiJson<TravelTimeInput>,
) -> ApiResult<HttpResponse> {
    let actor = user.actor();
    let row = state
        .db(move |c| travel_times::put(c, &actor, &body.0))
        .await?;
    Ok(HttpResponse::Ok().json(travel_time_input(&row)))
}

#[utoipa::path(get, path = "/travel-times", tag = "travel times",
    params(ListParams),
    responses((status = 200, body = TravelTimeList, description = "`q` is not used: travel times have no names"),
        (status = 400, body = ErrorDoc), (status = 401, body = ErrorDoc), (status = 422, body = ErrorDoc)),
    security(("bearer" = [])))]
pub async fn list_travel_times(
    _user: ApiUser,
    state: web::Data<AppState>,
    params: web::Query<ListParams>,
) -> ApiResult<HttpResponse> {
    let query = params.query()?;
    let rows = state.db(travel_times::list).await?;
    let page = window(rows, &query).map(|row| travel_time_input(&row));
    Ok(HttpResponse::Ok()
        .json(serde_json::json!({ "travel_times": page.items, "total": page.total })))
}

// ---------------------------------------------------------------------------
// Conflicts

#[utoipa::path(get, path = "/visits/{id}/conflicts", tag = "visits", params(("id" = i64, Path, description = "the visit")),
    responses((status = 200, body = ConflictList), (status = 401, body = ErrorDoc), (status = 404, body = ErrorDoc)),
    security(("bearer" = [])))]
pub async fn visit_conflicts(
    user: ApiUser,
    state: web::Data<AppState>,
    visit_id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let visit_id = visit_id.into_inner();
    let engine = state.settings.engine.clone();
    let language = user.user.language;
    let reports = state
        .db(move |c| Ok(conflicts::of_visit(c, visit_id, engine)?.reports(language)))
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "conflicts": reports })))
}

// ---------------------------------------------------------------------------
// Publishing and mail

#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishRequest {
    /// publish although the visit has conflicts of severity error
    #[serde(default)]
    pub acknowledge_errors: bool,
}

#[utoipa::path(post, path = "/visits/{id}/publish", tag = "visits", params(("id" = i64, Path, description = "the visit")),
    request_body = PublishRequest,
    responses((status = 200, body = PublishedDoc), (status = 400, body = ErrorDoc), (status = 401, body = ErrorDoc),
        (status = 403, body = ErrorDoc), (status = 404, body = ErrorDoc),
        (status = 409, body = ErrorDoc, description = "the visit has conflicts of severity error, listed under `conflicts`; send `acknowledge_errors: true` to publish anyway"),
        (status = 422, body = ErrorDoc)),
    security(("bearer" = [])))]
pub async fn publish_visit(
    user: ApiPlanner,
    state: web::Data<AppState>,
    visit_id: web::Path<i64>,
    body: ApiJson<PublishRequest>,
) -> ApiResult<HttpResponse> {
    let visit_id = visit_id.into_inner();
    let actor = user.actor();
    let settings = state.settings.clone();
    let acknowledge = body.0.acknowledge_errors;
    let published = state
        .db(move |c| publishing::publish(c, &actor, visit_id, acknowledge, &settings))
        .await?;
    Ok(HttpResponse::Ok().json(published))
}

// ---------------------------------------------------------------------------
// Running late

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShiftRequest {
    /// the item that slips; it and every later item of its local day that shares an official with it, or with an item already moved, move
    pub meeting_id: i64,
    /// minutes to move by, -720 to 720 and not 0 (negative: ahead of time)
    pub minutes: i64,
    /// true: nothing changes, the answer says what would
    #[serde(default)]
    pub preview: bool,
}

/// The answer of a shift: the moved items in their zones, the conflicts
/// after the move, who is told.
fn shift_json(plan: &ShiftPlan, language: crate::domain::Language) -> serde_json::Value {
    let moved: Vec<_> = plan
        .moved
        .iter()
        .map(|item| {
            let local = |at: chrono::DateTime<chrono::Utc>| {
                at.with_timezone(&item.zone).fixed_offset().to_rfc3339()
            };
            serde_json::json!({
                "meeting_id": item.moved.meeting_id,
                "starts_at": local(item.moved.after.start()),
                "ends_at": local(item.moved.after.end()),
            })
        })
        .collect();
    let notify: Vec<_> = plan
        .notify_by_email()
        .into_iter()
        .map(|(email, meeting_ids)| serde_json::json!({ "email": email, "meeting_ids": meeting_ids }))
        .collect();
    serde_json::json!({
        "moved": moved,
        "conflicts": plan.after.reports(language),
        "notify": notify,
    })
}

#[utoipa::path(post, path = "/visits/{id}/shift", tag = "visits", params(("id" = i64, Path, description = "the visit")),
    request_body = ShiftRequest,
    responses((status = 200, body = ShiftedDoc, description = "with `preview`, what would happen; else what happened, in one transaction (versions raised, one audit entry per item)"),
        (status = 400, body = ErrorDoc), (status = 401, body = ErrorDoc),
        (status = 403, body = ErrorDoc), (status = 404, body = ErrorDoc),
        (status = 422, body = ErrorDoc, description = "`minutes` 0, beyond 720 either way, or moving an item out of its local day; `meeting_id` not an item of this visit, or cancelled")),
    security(("bearer" = [])))]
pub async fn shift_visit(
    user: ApiPlanner,
    state: web::Data<AppState>,
    visit_id: web::Path<i64>,
    body: ApiJson<ShiftRequest>,
) -> ApiResult<HttpResponse> {
    let visit_id = visit_id.into_inner();
    let actor = user.actor();
    let engine = state.settings.engine.clone();
    let language = user.0.user.language;
    let ShiftRequest {
        meeting_id,
        minutes,
        preview,
    } = body.0;
    let plan = state
        .db(move |c| {
            if preview {
                running_late::plan(c, visit_id, meeting_id, minutes, engine)
            } else {
                running_late::apply(
                    c,
                    &actor,
                    running_late::Slip {
                        visit_id,
                        meeting_id,
                        minutes,
                        seen: None,
                    },
                    engine,
                )
            }
        })
        .await?;
    Ok(HttpResponse::Ok().json(shift_json(&plan, language)))
}

#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = BriefingPackRequest)]
pub struct BriefingRequest {
    #[serde(default)]
    pub official_ids: Vec<i64>,
    #[serde(default)]
    #[schema(format = Email)]
    pub emails: Vec<String>,
}

#[utoipa::path(post, path = "/visits/{id}/briefing-pack", tag = "visits", params(("id" = i64, Path, description = "the visit")),
    request_body = BriefingRequest,
    responses((status = 200, body = QueuedDoc), (status = 400, body = ErrorDoc), (status = 401, body = ErrorDoc),
        (status = 403, body = ErrorDoc), (status = 404, body = ErrorDoc), (status = 422, body = ErrorDoc)),
    security(("bearer" = [])))]
pub async fn send_briefing_pack(
    user: ApiPlanner,
    state: web::Data<AppState>,
    visit_id: web::Path<i64>,
    body: ApiJson<BriefingRequest>,
) -> ApiResult<HttpResponse> {
    let visit_id = visit_id.into_inner();
    let actor = user.actor();
    let settings = state.settings.clone();
    let request = body.0;
    let queued = state
        .db(move |c| {
            publishing::briefing_pack(
                c,
                &actor,
                visit_id,
                &request.official_ids,
                &request.emails,
                &settings,
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "queued": queued })))
}

#[utoipa::path(post, path = "/visits/{id}/access-lists/send", tag = "visits", params(("id" = i64, Path, description = "the visit")),
    responses((status = 200, body = QueuedDoc, description = "one message per venue of the visit with a contact email, its access list attached as Word and CSV"),
        (status = 401, body = ErrorDoc), (status = 403, body = ErrorDoc), (status = 404, body = ErrorDoc)),
    security(("bearer" = [])))]
pub async fn send_access_lists(
    user: ApiPlanner,
    state: web::Data<AppState>,
    visit_id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let visit_id = visit_id.into_inner();
    let actor = user.actor();
    let settings = state.settings.clone();
    let queued = state
        .db(move |c| crate::services::documents::send_access_lists(c, &actor, visit_id, &settings))
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "queued": queued })))
}

#[derive(Debug, serde::Deserialize)]
pub struct OutboxQuery {
    pub visit: Option<i64>,
}

#[utoipa::path(get, path = "/outbox", tag = "outbox",
    params(("visit" = Option<i64>, Query, description = "only this visit's messages"), ListParams),
    responses((status = 200, body = OutboxDoc, description = "newest first; `q` searches recipients and subjects"),
        (status = 400, body = ErrorDoc), (status = 401, body = ErrorDoc), (status = 422, body = ErrorDoc)),
    security(("bearer" = [])))]
pub async fn list_outbox(
    _user: ApiUser,
    state: web::Data<AppState>,
    visit: web::Query<OutboxQuery>,
    params: web::Query<ListParams>,
) -> ApiResult<HttpResponse> {
    let visit = visit.visit;
    let query = params.query()?;
    let page = state
        .db(move |c| publishing::outbox_page(c, visit, &query))
        .await?;
    let messages: Vec<_> = page
        .items
        .iter()
        .map(|m| {
            serde_json::json!({
                "id": m.id,
                "to": m.recipient_email,
                "kind": m.kind,
                "subject": m.subject,
                "status": m.status,
                "attempts": m.attempts,
                "last_error": m.last_error,
                "schedule_version": m.schedule_version,
                "message_id": m.message_id,
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({ "messages": messages, "total": page.total })))
}
