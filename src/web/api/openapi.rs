//! The OpenAPI 3 document, generated from the handlers' annotations.

use actix_web::HttpResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::feeds::*;
use super::resources::*;
use super::schema::*;
use super::tokens::*;
use super::users::*;
use crate::domain::model::*;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("a token from `sapar token create --email E`"))
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Sapar API", version = "1", description = "Officials, venues, groups, participants, visits and their programmes. Times are RFC 3339 with an offset; responses give instants in the venue's (else the visit's) zone."),
    servers((url = "/api/v1")),
    paths(
        create_official, list_officials, get_official, patch_official, delete_official,
        create_venue, list_venues, get_venue, patch_venue, delete_venue,
        create_group, list_groups, get_group, patch_group, delete_group,
        create_participant, list_participants, get_participant, patch_participant, delete_participant,
        create_visit, list_visits, get_visit, patch_visit, delete_visit,
        create_meeting, list_meetings, get_meeting, patch_meeting, delete_meeting,
        create_unavailability, list_unavailability, delete_unavailability,
        put_travel_time, list_travel_times,
        visit_conflicts, publish_visit, send_briefing_pack, send_access_lists, shift_visit, list_outbox,
        list_tokens, revoke_token,
        get_me, list_users, patch_user,
        create_feed, list_feeds, delete_feed,
    ),
    components(schemas(
        OfficialInput, VenueInput, GroupInput, ParticipantInput, VisitInput, MeetingInput,
        UnavailabilityInput, TravelTimeInput,
        OfficialDoc, VenueDoc, GroupDoc, ParticipantDoc, VisitDoc, MeetingDoc, UnavailabilityDoc,
        TravelTimeDoc, ErrorDoc,
        OfficialList, VenueList, GroupList, ParticipantList, VisitList, MeetingList,
        UnavailabilityList, TravelTimeList, ConflictList,
        PublishRequest, PublishedDoc, ShiftRequest, ShiftedDoc, BriefingRequest, QueuedDoc, OutboxDoc,
        TokenListDoc,
        UserDoc, UserListDoc, UserPatch,
        FeedRequest, FeedCreatedDoc, FeedListDoc,
    )),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

pub fn json() -> serde_json::Value {
    serde_json::to_value(ApiDoc::openapi()).unwrap_or_default()
}

pub async fn document() -> HttpResponse {
    HttpResponse::Ok().json(json())
}
