//! Checks a handler cannot forget, because they are how it gets its inputs:
//! `Planner` and `Admin` are signed-in staff of that role (and only they carry
//! the `Actor` that every change needs), and `CsrfForm`/`CsrfFields` are
//! posted forms whose token matched the session's (`VisitorForm` the
//! pre-session token, for a form shown signed out).

use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::error::AppError;
use super::pages::form::{self, Submitted};
use super::session::{constant_time_eq, pre_session_matches, session_csrf, Staff};
use super::AppState;
use crate::services::Actor;

type Extracting<T> = Pin<Box<dyn Future<Output = Result<T, AppError>>>>;

/// A signed-in planner or admin: someone who may change the plan.
pub struct Planner(pub Staff);

/// A signed-in admin: someone who may also manage users.
pub struct Admin(pub Staff);

macro_rules! staff_with_role {
    ($name:ident, $allowed:expr) => {
        impl $name {
            /// Who makes the changes this request asks for, for the audit log.
            pub fn actor(&self) -> Actor {
                Actor::user(self.0.user.id, &self.0.user.email)
            }
        }

        impl Deref for $name {
            type Target = Staff;
            fn deref(&self) -> &Staff {
                &self.0
            }
        }

        impl FromRequest for $name {
            type Error = AppError;
            type Future = Extracting<Self>;

            fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
                let staff = Staff::from_request(req, payload);
                Box::pin(async move {
                    let staff = staff.await?;
                    let allowed: fn(&Staff) -> bool = $allowed;
                    if allowed(&staff) {
                        Ok($name(staff))
                    } else {
                        Err(AppError::Forbidden)
                    }
                })
            }
        }
    };
}

staff_with_role!(Planner, Staff::can_edit);
staff_with_role!(Admin, Staff::is_admin);

/// A posted form, read into `T`, whose `csrf` field is the session's token.
pub struct CsrfForm<T>(pub T);

/// A posted form kept as its fields (for the forms made from field
/// descriptions), whose `csrf` field is the session's token.
pub struct CsrfFields(pub Submitted);

/// A posted form shown before sign-in (a password reset link's), read into
/// `T`, whose `csrf` field is the token of the pre-session cookie set when the
/// form was shown, as for the sign-in form.
pub struct VisitorForm<T>(pub T);

impl<T> VisitorForm<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for CsrfForm<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> CsrfForm<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

#[derive(Deserialize)]
struct Token {
    #[serde(default)]
    csrf: String,
}

/// Reads a form post's body, and refuses it unless its token is the session's.
fn checked_form(
    req: &HttpRequest,
    payload: &mut Payload,
) -> impl Future<Output = Result<web::Bytes, AppError>> + 'static {
    let (req, body) = (req.clone(), web::Bytes::from_request(req, payload));
    async move {
        let body = body
            .await
            .map_err(|e| AppError::BadRequest(e.to_string()))?;
        checked_body(&req, body).await
    }
}

/// The body of a form post whose token matches the session's.
async fn checked_body(req: &HttpRequest, body: web::Bytes) -> Result<web::Bytes, AppError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| AppError::Blocking("no application state".into()))?
        .clone();
    let token: Token = serde_html_form::from_bytes(&body)
        .map_err(|e| AppError::BadRequest(format!("unreadable form: {e}")))?;
    match session_csrf(req, &state).await? {
        Some(expected) if constant_time_eq(&expected, &token.csrf) => Ok(body),
        Some(_) => Err(AppError::Forbidden),
        // No live session: signing in comes first, as for any page.
        None => Err(AppError::SignInRequired {
            next: req.path().to_owned(),
        }),
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = AppError;
    type Future = Extracting<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = checked_form(req, payload);
        Box::pin(async move {
            serde_html_form::from_bytes(&body.await?)
                .map(CsrfForm)
                .map_err(|e| AppError::BadRequest(format!("unreadable form: {e}")))
        })
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for VisitorForm<T> {
    type Error = AppError;
    type Future = Extracting<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let (req, body) = (req.clone(), web::Bytes::from_request(req, payload));
        Box::pin(async move {
            let body = body
                .await
                .map_err(|e| AppError::BadRequest(e.to_string()))?;
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| AppError::Blocking("no application state".into()))?;
            let token: Token = serde_html_form::from_bytes(&body)
                .map_err(|e| AppError::BadRequest(format!("unreadable form: {e}")))?;
            if !pre_session_matches(&req, state, &token.csrf) {
                return Err(AppError::Forbidden);
            }
            serde_html_form::from_bytes(&body)
                .map(VisitorForm)
                .map_err(|e| AppError::BadRequest(format!("unreadable form: {e}")))
        })
    }
}

impl FromRequest for CsrfFields {
    type Error = AppError;
    type Future = Extracting<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = checked_form(req, payload);
        Box::pin(async move {
            form::parse_body(&body.await?)
                .map(CsrfFields)
                .map_err(AppError::BadRequest)
        })
    }
}
