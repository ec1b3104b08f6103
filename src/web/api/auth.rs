//! Bearer-token extractors: `ApiUser` for any valid token, `ApiPlanner` for
//! one whose user may edit, `ApiAdmin` for one whose user manages users.

use std::future::Future;
use std::pin::Pin;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};

use super::error::ApiError;
use crate::domain::Role;
use crate::services::UserRow;
use crate::services::{accounts, Actor};
use crate::web::AppState;

/// A request made with a live API token.
#[derive(Clone)]
pub struct ApiUser {
    pub user: UserRow,
    pub role: Role,
}

/// A request whose user may change the plan (planner or admin).
pub struct ApiPlanner(pub ApiUser);

impl ApiPlanner {
    /// Who makes the change, for the audit log. Only a planner has one: a
    /// handler that changes anything must take an `ApiPlanner`.
    pub fn actor(&self) -> Actor {
        Actor::user(self.0.user.id, &self.0.user.email)
    }
}

/// A request whose user may manage users (an admin).
pub struct ApiAdmin(pub ApiUser);

impl ApiAdmin {
    /// Who makes the change, for the audit log.
    pub fn actor(&self) -> Actor {
        Actor::user(self.0.user.id, &self.0.user.email)
    }
}

fn bearer(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
        .filter(|t| !t.is_empty() && t.len() <= 200)
}

/// The caller a request's token names (`None`: no live token), looked up
/// once per request.
#[derive(Clone)]
struct Caller(Option<ApiUser>);

async fn authenticate(req: HttpRequest) -> Result<ApiUser, ApiError> {
    if let Some(Caller(known)) = req.extensions().get::<Caller>() {
        return known.clone().ok_or(ApiError::Unauthorized);
    }
    let found = look_up(&req).await;
    match &found {
        Ok(user) => req.extensions_mut().insert(Caller(Some(user.clone()))),
        Err(ApiError::Unauthorized) => req.extensions_mut().insert(Caller(None)),
        // A failed lookup is not cached: the next extractor tries again.
        Err(_) => None,
    };
    found
}

/// Looks the caller up before the handler runs, as `session::identify` does
/// for pages: `ApiUser` and `ApiPlanner` then answer at once, so a viewer
/// sending a bad body is refused (403) rather than told what is wrong with
/// it, whichever lookup would have finished first.
pub async fn identify(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if bearer(req.request()).is_some() {
        let _ = authenticate(req.request().clone()).await;
    }
    next.call(req).await
}

async fn look_up(req: &HttpRequest) -> Result<ApiUser, ApiError> {
    let token = bearer(req).ok_or(ApiError::Unauthorized)?;
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::Internal("no application state".into()))?
        .clone();
    let user = state
        .db(move |conn| accounts::user_by_token(conn, &token))
        .await?
        .ok_or(ApiError::Unauthorized)?;
    let role = user.role;
    Ok(ApiUser { user, role })
}

impl FromRequest for ApiUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        Box::pin(authenticate(req.clone()))
    }
}

impl FromRequest for ApiPlanner {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let user = authenticate(req).await?;
            if user.role.can_edit() {
                Ok(ApiPlanner(user))
            } else {
                Err(ApiError::Forbidden)
            }
        })
    }
}

impl FromRequest for ApiAdmin {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let user = authenticate(req).await?;
            if user.role.can_manage_users() {
                Ok(ApiAdmin(user))
            } else {
                Err(ApiError::Forbidden)
            }
        })
    }
}
