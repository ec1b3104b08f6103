//! The API's error JSON: `{"error": {"code", "message", "fields"}}`.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use crate::domain::ValidationErrors;
use crate::services::ServiceError;
use crate::web::error::AppError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("a valid bearer token is required")]
    Unauthorized,
    #[error("your role may not do this")]
    Forbidden,
    #[error("{0}")]
    NotFound(String),
    #[error("{message}")]
    Conflict {
        code: &'static str,
        message: String,
        extra: Option<(&'static str, serde_json::Value)>,
    },
    #[error("the request body is larger than {0} bytes")]
    TooLarge(usize),
    #[error("the request is not valid")]
    Validation(ValidationErrors),
    #[error("internal error")]
    Internal(String),
}

pub type ApiResult<T> = Result<T, ApiError>;

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorDetail<'a>,
}

#[derive(Serialize)]
struct ErrorDetail<'a> {
    code: &'a str,
    message: String,
    fields: BTreeMap<String, String>,
}

impl ApiError {
    fn code(&self) -> &'static str {
        match self {
            Self::BadRequest(_) => "bad_request",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::NotFound(_) => "not_found",
            Self::Conflict { code, .. } => code,
            Self::TooLarge(_) => "payload_too_large",
            Self::Validation(_) => "validation",
            Self::Internal(_) => "internal",
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let fields = match self {
            Self::Validation(errors) => errors
                .iter()
                .map(|(field, problem)| (field.to_owned(), problem.to_string()))
                .collect(),
            _ => BTreeMap::new(),
        };
        let message = match self {
            Self::Internal(cause) => {
                tracing::error!(cause = %cause, "API request failed");
                "something went wrong on our side; the change was not made".to_owned()
            }
            Self::Validation(errors) => format!("the request is not valid: {errors}"),
            other => other.to_string(),
        };
        let mut body = serde_json::to_value(ErrorBody {
            error: ErrorDetail {
                code: self.code(),
                message,
                fields,
            },
        })
        .unwrap_or_default();
        if let Self::Conflict {
            extra: Some((key, value)),
            ..
        } = self
        {
            body[*key] = value.clone();
        }
        let mut response = HttpResponse::build(self.status_code());
        if matches!(self, Self::Unauthorized) {
            response.insert_header(("WWW-Authenticate", "Bearer"));
        }
        response.json(body)
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Validation(errors) => Self::Validation(errors),
            ServiceError::NotFound { entity, id } => {
                Self::NotFound(format!("{entity} {id} does not exist"))
            }
            e @ ServiceError::StaleVersion { .. } => Self::Conflict {
                code: "stale_version",
                message: e.to_string(),
                extra: None,
            },
            e @ ServiceError::InUse { .. } => Self::Conflict {
                code: "in_use",
                message: e.to_string(),
                extra: None,
            },
            ServiceError::Refused(refusal) => Self::Conflict {
                code: refusal.code(),
                message: refusal.to_string(),
                extra: None,
            },
            e @ ServiceError::UnacknowledgedErrors(_) => {
                let conflicts = match &e {
                    ServiceError::UnacknowledgedErrors(c) => {
                        serde_json::to_value(c).unwrap_or_default()
                    }
                    _ => serde_json::Value::Null,
                };
                Self::Conflict {
                    code: "has_errors",
                    message: e.to_string(),
                    extra: Some(("conflicts", conflicts)),
                }
            }
            ServiceError::Database(db) => Self::Internal(db.to_string()),
        }
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Service(s) => s.into(),
            AppError::NotFound => Self::NotFound("no such resource".into()),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        Self::Internal(e.to_string())
    }
}
