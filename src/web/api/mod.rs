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

pub use auth::{ApiAdmin, ApiPlanner, ApiUser};
pub use body::ApiJson;
pub use error::{ApiError, ApiResult};

/// Largest accepted request body; a programme item with long briefing notes is
/// far below it.
pub const BODY_LIMIT: usize = 256 * 1024;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .app_data(
                web::PathConfig::default()
                    .error_handler(|_, _| ApiError::NotFound("no such resource".into()).into()),
            )
            .app_data(
                web::QueryConfig::default()
                    .error_handler(|e, _| ApiError::BadRequest(e.to_string()).into()),
            )
            .configure(resources::routes)
            .configure(tokens::routes)
            .configure(users::routes)
            .configure(feeds::routes)
            .route("/openapi.json", web::get().to(openapi::document))
            .default_service(web::to(|| async {
                Err::<HttpResponse, _>(ApiError::NotFound("no such route".into()))
            })),
    );
}

/// The OpenAPI document as a value (for tests and validators).
pub fn openapi_json() -> serde_json::Value {
    openapi::json()
}
