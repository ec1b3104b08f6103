//! Who the caller is (`/me`), and the users an admin manages: their role and
//! whether they are disabled. Disabling a user stops their tokens at once.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::body::ApiJson;
use super::error::ApiResult;
use super::schema::ErrorDoc;
use super::{ApiAdmin, ApiUser};
use crate::services::users::{self, AccessChange};
use crate::services::{accounts, UserRow};
use crate::web::routing::Routes;
use crate::web::AppState;

pub fn routes(routes: &mut Routes) {
    routes
        .get("/me", get_me)
        .get("/users", list_users)
        .patch("/users/{id}", patch_user);
}

pub fn user_view(user: &UserRow) -> serde_json::Value {
    serde_json::json!({
        "id": user.id,
        "email": user.email,
        "role": user.role.as_str(),
        "language": user.language.as_str(),
        "disabled": user.disabled_at.is_some(),
    })
}

/// A user as the API shows them: never the password.
#[allow(dead_code)]
#[derive(ToSchema)]
#[schema(as = User)]
pub struct UserDoc {
    id: i64,
    email: String,
    /// admin, planner or viewer
    role: String,
    /// ru, kk or en
    language: String,
    /// a disabled user can neither sign in nor use a token
    disabled: bool,
}

#[allow(dead_code)]
#[derive(ToSchema)]
#[schema(as = UserList)]
pub struct UserListDoc {
    users: Vec<UserDoc>,
}

/// What an admin changes about a user; a field left out stays as it is. A
/// change ends the user's sessions; the last active admin can be neither
/// disabled nor demoted (409).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    /// admin, planner or viewer
    pub role: Option<String>,
    pub disabled: Option<bool>,
}

#[utoipa::path(get, path = "/me", tag = "users",
    responses((status = 200, body = UserDoc), (status = 401, body = ErrorDoc)),
    security(("bearer" = [])))]
pub async fn get_me(user: ApiUser) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(user_view(&user.user)))
}

#[utoipa::path(get, path = "/users", tag = "users",
    responses((status = 200, body = UserListDoc), (status = 401, body = ErrorDoc), (status = 403, body = ErrorDoc)),
    security(("bearer" = [])))]
pub async fn list_users(_admin: ApiAdmin, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let all = state.db(accounts::list_users).await?;
    let views: Vec<_> = all.iter().map(user_view).collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({ "users": views })))
}

#[utoipa::path(patch, path = "/users/{id}", tag = "users", params(("id" = i64, Path)),
    request_body = UserPatch,
    responses((status = 200, body = UserDoc), (status = 400, body = ErrorDoc), (status = 401, body = ErrorDoc),
        (status = 403, body = ErrorDoc), (status = 404, body = ErrorDoc), (status = 409, body = ErrorDoc),
        (status = 422, body = ErrorDoc)),
    security(("bearer" = [])))]
pub async fn patch_user(
    admin: ApiAdmin,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: ApiJson<UserPatch>,
) -> ApiResult<HttpResponse> {
    let (id, actor, patch) = (id.into_inner(), admin.actor(), body.0);
    let wanted = AccessChange {
        role: patch.role,
        disabled: patch.disabled,
    };
    let user = state
        .db(move |c| users::change(c, &actor, id, &wanted))
        .await?;
    Ok(HttpResponse::Ok().json(user_view(&user)))
}
