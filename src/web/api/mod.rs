//! The JSON API at `/api/v1`, exactly as CONTRACT.md describes it: bearer
//! tokens, strict input, the error JSON for every failure, and an OpenAPI 3
//! document generated from the handlers.

mod auth;
mod body;
mod error;
mod feeds;
mod openapi;
mod resources;
mod schema;
mod tokens;
mod users;
pub mod views;

use actix_web::{web, HttpResponse};

use super::routing::Routes;

pub use auth::{identify, ApiAdmin, ApiPlanner, ApiUser};
pub use body::ApiJson;
pub use error::{ApiError, ApiResult};

/// Largest accepted request body; a programme item with long briefing notes is
/// far below it.
pub const BODY_LIMIT: usize = 256 * 1024;

pub fn routes(routes: &mut Routes) {
    routes.scope(
        "/api/v1",
        |scope| {
            scope
                .app_data(
                    web::PathConfig::default()
                        .error_handler(|_, _| ApiError::NotFound("no such resource".into()).into()),
                )
                .app_data(
                    web::QueryConfig::default()
                        .error_handler(|e, _| ApiError::BadRequest(e.to_string()).into()),
                )
                .default_service(web::to(|| async {
                    Err::<HttpResponse, _>(ApiError::NotFound("no such route".into()))
                }))
        },
        |api| {
            resources::routes(api);
            tokens::routes(api);
            users::routes(api);
            feeds::routes(api);
            api.get("/openapi.json", openapi::document);
        },
    );
}

/// The OpenAPI document as a value (for tests and validators).
pub fn openapi_json() -> serde_json::Value {
    openapi::json()
}
