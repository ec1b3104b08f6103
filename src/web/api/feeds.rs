//! Personal calendar feeds through the API: a planner makes one for an
//! official or a participant and gets its secret link once, lists the feeds
//! they made (never the secret) and ends them.

use actix_web::{web, HttpResponse};
use chrono::{NaiveDateTime, SecondsFormat};
use serde::Deserialize;
use utoipa::ToSchema;

use super::error::{ApiError, ApiResult};
use super::schema::ErrorDoc;
use super::{ApiJson, ApiPlanner};
use crate::domain::{FieldProblem, ValidationErrors};
use crate::services::calendars::{self, CalendarTokenListing, Subscriber};
use crate::web::routing::Routes;
use crate::web::AppState;

pub fn routes(routes: &mut Routes) {
    routes
        .post("/calendar-feeds", create_feed)
        .get("/calendar-feeds", list_feeds)
        .delete("/calendar-feeds/{id}", delete_feed);
}

/// Whose feed to make: exactly one of the two.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = CalendarFeedRequest)]
pub struct FeedRequest {
    /// the official whose meetings the feed carries
    #[serde(default)]
    pub official_id: Option<i64>,
    /// the participant whose meetings the feed carries
    #[serde(default)]
    pub participant_id: Option<i64>,
}

impl FeedRequest {
    /// The person, or a 422 on both fields when both or neither are given.
    fn subscriber(&self) -> Result<Subscriber, ValidationErrors> {
        match (self.official_id, self.participant_id) {
            (Some(id), None) => Ok(Subscriber::Official(id)),
            (None, Some(id)) => Ok(Subscriber::Participant(id)),
            _ => {
                let mut errors = ValidationErrors::new();
                for field in ["official_id", "participant_id"] {
                    errors.add(
                        field,
                        FieldProblem::Invalid {
                            reason: "give exactly one of official_id and participant_id".into(),
                        },
                    );
                }
                Err(errors)
            }
        }
    }
}

/// A feed just made: the only time its link is shown.
#[allow(dead_code)]
#[derive(ToSchema)]
#[schema(as = CalendarFeedCreated)]
pub struct FeedCreatedDoc {
    id: i64,
    /// `webcal://…/calendar/{token}.ics`: the secret link, shown this once
    url: String,
}

/// A feed as listed: never its secret.
#[allow(dead_code)]
#[derive(ToSchema)]
#[schema(as = CalendarFeed)]
struct FeedDoc {
    id: i64,
    /// set when the feed is an official's
    official_id: Option<i64>,
    /// set when the feed is a participant's
    participant_id: Option<i64>,
    /// the official's or participant's name
    name: String,
    /// RFC 3339, UTC
    created_at: String,
}

#[allow(dead_code)]
#[derive(ToSchema)]
#[schema(as = CalendarFeedList)]
pub struct FeedListDoc {
    #[schema(inline)]
    calendar_feeds: Vec<FeedDoc>,
}

/// An instant stored in UTC, as RFC 3339 in UTC.
fn utc(at: NaiveDateTime) -> String {
    at.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn feed_view(listing: &CalendarTokenListing) -> serde_json::Value {
    serde_json::json!({
        "id": listing.row.id,
        "official_id": listing.row.official_id,
        "participant_id": listing.row.participant_id,
        "name": listing.person,
        "created_at": utc(listing.row.created_at),
    })
}

#[utoipa::path(post, path = "/calendar-feeds", tag = "calendar feeds", request_body = FeedRequest,
    responses((status = 201, body = FeedCreatedDoc), (status = 400, body = ErrorDoc), (status = 401, body = ErrorDoc),
        (status = 403, body = ErrorDoc), (status = 422, body = ErrorDoc)),
    security(("bearer" = [])))]
pub async fn create_feed(
    user: ApiPlanner,
    state: web::Data<AppState>,
    body: ApiJson<FeedRequest>,
) -> ApiResult<HttpResponse> {
    let subscriber = body.0.subscriber().map_err(ApiError::Validation)?;
    let actor = user.actor();
    let issued = state
        .db(move |c| calendars::create_token(c, &actor, subscriber))
        .await?;
    let (webcal, _) = calendars::subscription_links(&state.settings.base_url, &issued.token);
    Ok(HttpResponse::Created().json(serde_json::json!({ "id": issued.id, "url": webcal })))
}

#[utoipa::path(get, path = "/calendar-feeds", tag = "calendar feeds",
    responses((status = 200, body = FeedListDoc), (status = 401, body = ErrorDoc), (status = 403, body = ErrorDoc)),
    security(("bearer" = [])))]
pub async fn list_feeds(user: ApiPlanner, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let user_id = user.0.user.id;
    let feeds = state.db(move |c| calendars::own_tokens(c, user_id)).await?;
    let views: Vec<_> = feeds.iter().map(feed_view).collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({ "calendar_feeds": views })))
}

#[utoipa::path(delete, path = "/calendar-feeds/{id}", tag = "calendar feeds", params(("id" = i64, Path)),
    responses((status = 204, description = "the feed's link answers 404 from now on"), (status = 401, body = ErrorDoc),
        (status = 403, body = ErrorDoc), (status = 404, body = ErrorDoc, description = "no live feed of yours has this id")),
    security(("bearer" = [])))]
pub async fn delete_feed(
    user: ApiPlanner,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let (id, actor) = (id.into_inner(), user.actor());
    state
        .db(move |c| calendars::revoke_own_token(c, &actor, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
