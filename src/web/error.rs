//! `AppError`: how a failed request is answered. Services report in domain
//! terms; this maps them to status codes and renders the error page. The whole
//! cause is logged; the person sees a sentence they can act on.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use crate::domain::Language;
use crate::i18n::Translator;
use crate::services::ServiceError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Service(#[from] ServiceError),
    #[error("page not found")]
    NotFound,
    #[error("sign in first")]
    SignInRequired { next: String },
    #[error("your role may not do this, or the form has expired")]
    Forbidden,
    #[error("{0}")]
    BadRequest(String),
    #[error("the database worker stopped: {0}")]
    Blocking(String),
    #[error("template: {0}")]
    Template(#[from] askama::Error),
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        Self::Blocking(e.to_string())
    }
}

#[derive(Template)]
#[template(path = "pages/error.html")]
struct ErrorPage<'a> {
    t: Translator,
    chrome: crate::web::pages::Chrome,
    status: u16,
    message: &'a str,
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotFound | Self::Service(ServiceError::NotFound { .. }) => StatusCode::NOT_FOUND,
            Self::SignInRequired { .. } => StatusCode::SEE_OTHER,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Service(ServiceError::Validation(_)) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Service(
                ServiceError::StaleVersion { .. }
                | ServiceError::InUse { .. }
                | ServiceError::Refused(_)
                | ServiceError::UnacknowledgedErrors(_),
            ) => StatusCode::CONFLICT,
            Self::Service(ServiceError::Database(_)) | Self::Blocking(_) | Self::Template(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if let Self::SignInRequired { next } = self {
            let target = format!("/login?next={}", percent_encode(next));
            return HttpResponse::SeeOther()
                .insert_header((actix_web::http::header::LOCATION, target))
                .finish();
        }
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        // The error page is plain and in the default language: it is also what a
        // request without any context (a bad URL) gets.
        let t = Translator(Language::Ru);
        let message = match status {
            StatusCode::NOT_FOUND => t.get("error-not_found").to_owned(),
            StatusCode::FORBIDDEN => t.get("error-forbidden").to_owned(),
            s if s.is_server_error() => t.get("error-internal").to_owned(),
            _ => self.to_string(),
        };
        let body = ErrorPage {
            t,
            chrome: crate::web::pages::Chrome::visitor(),
            status: status.as_u16(),
            message: &message,
        }
        .render()
        .unwrap_or_else(|_| message.clone());
        HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(body)
    }
}

/// Percent-encodes a path for use in a query value.
pub fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
