//! The caller's API tokens: listed without their secret, revoked at once.

use actix_web::{web, HttpResponse};
use chrono::{NaiveDateTime, SecondsFormat};
use serde::Deserialize;
use utoipa::ToSchema;

use super::error::{ApiError, ApiResult};
use super::schema::ErrorDoc;
use super::ApiUser;
use crate::services::tokens::{self, ApiTokenRow};
use crate::services::Actor;
use crate::web::routing::Routes;
use crate::web::AppState;

pub fn routes(routes: &mut Routes) {
    routes
        .get("/tokens", list_tokens)
        .delete("/tokens/{id}", revoke_token);
}

/// An instant stored in UTC, as RFC 3339 in UTC.
fn utc(at: NaiveDateTime) -> String {
    at.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn token_view(row: &ApiTokenRow) -> serde_json::Value {
    serde_json::json!({
        "id": row.id,
        "label": row.label,
        "created_at": utc(row.created_at),
        "last_used_at": row.last_used_at.map(utc),
        "expires_at": row.expires_at.map(utc),
    })
}

#[allow(dead_code)]
#[derive(ToSchema)]
#[schema(as = TokenList)]
pub struct TokenListDoc {
    #[schema(inline)]
    tokens: Vec<TokenDoc>,
}

/// A token as listed: never its secret.
#[allow(dead_code)]
#[derive(ToSchema)]
struct TokenDoc {
    id: i64,
    label: String,
    /// RFC 3339, UTC
    created_at: String,
    /// RFC 3339, UTC; written at most once a minute
    last_used_at: Option<String>,
    /// RFC 3339, UTC; none: until revoked
    expires_at: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokensQuery {
    pub user_id: Option<i64>,
}

#[utoipa::path(get, path = "/tokens", tag = "tokens",
    params(("user_id" = Option<i64>, Query, description = "another user's tokens (admins only)")),
    responses((status = 200, body = TokenListDoc), (status = 400, body = ErrorDoc), (status = 401, body = ErrorDoc),
        (status = 403, body = ErrorDoc)),
    security(("bearer" = [])))]
pub async fn list_tokens(
    user: ApiUser,
    state: web::Data<AppState>,
    query: web::Query<TokensQuery>,
) -> ApiResult<HttpResponse> {
    let owner = match query.user_id {
        Some(id) if id != user.user.id => {
            if !user.role.can_manage_users() {
                return Err(ApiError::Forbidden);
            }
            id
        }
        _ => user.user.id,
    };
    let rows = state.db(move |c| tokens::of_user(c, owner)).await?;
    let views: Vec<_> = rows.iter().map(token_view).collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({ "tokens": views })))
}

#[utoipa::path(delete, path = "/tokens/{id}", tag = "tokens", params(("id" = i64, Path)),
    responses((status = 204), (status = 401, body = ErrorDoc), (status = 404, body = ErrorDoc)),
    security(("bearer" = [])))]
pub async fn revoke_token(
    user: ApiUser,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let actor = Actor::user(user.user.id, &user.user.email);
    let by = user.user;
    state
        .db(move |c| tokens::revoke(c, &actor, &by, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
