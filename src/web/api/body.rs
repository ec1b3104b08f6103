//! `ApiJson<T>`: a strictly read JSON body. Too large is 413, not JSON is 400,
//! and a body that does not fit `T` (an unknown field, a wrong type) is 422
//! naming the field.

use std::future::Future;
use std::pin::Pin;

use actix_web::{web, FromRequest, HttpRequest};

use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use super::error::ApiError;
use super::BODY_LIMIT;
use crate::domain::{FieldProblem, ValidationErrors};

pub struct ApiJson<T>(pub T);

/// Reads the body, refusing more than `BODY_LIMIT` bytes.
pub async fn read_body(mut payload: actix_web::dev::Payload) -> Result<web::BytesMut, ApiError> {
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| match e {
            actix_web::error::PayloadError::Overflow => ApiError::TooLarge(BODY_LIMIT),
            other => ApiError::BadRequest(format!("the request body could not be read: {other}")),
        })?;
        if body.len() + chunk.len() > BODY_LIMIT {
            return Err(ApiError::TooLarge(BODY_LIMIT));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Parses JSON text into a value; malformed text is a 400.
pub fn parse_value(bytes: &[u8]) -> Result<serde_json::Value, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::BadRequest(
            "the request body is empty; a JSON object is expected".into(),
        ));
    }
    serde_json::from_slice(bytes)
        .map_err(|e| ApiError::BadRequest(format!("the request body is not valid JSON: {e}")))
}

/// Turns a JSON value into `T`, reporting the first mismatch by field name.
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, ApiError> {
    if !value.is_object() {
        return Err(ApiError::Validation(ValidationErrors::single(
            "body",
            FieldProblem::Invalid {
                reason: "must be a JSON object".into(),
            },
        )));
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let inner = e.inner().to_string();
        let path = e.path().to_string();
        // The path already ends at an unknown field; at the top level it is ".".
        let field = match (path.as_str(), unknown_field_name(&inner)) {
            (".", Some(name)) => name,
            (".", None) => "body".into(),
            _ => path,
        };
        ApiError::Validation(ValidationErrors::single(
            &field,
            FieldProblem::Invalid {
                reason: describe_serde_problem(&inner),
            },
        ))
    })
}

/// serde names an unknown field only inside its message: "unknown field `x`, …".
fn unknown_field_name(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    Some(rest.split('`').next()?.to_owned())
}

fn describe_serde_problem(message: &str) -> String {
    if message.starts_with("unknown field") {
        "is not a field of this resource".to_owned()
    } else {
        // "invalid type: string \"x\", expected i64" and the like; keep the first clause.
        message
            .split(" at line ")
            .next()
            .unwrap_or(message)
            .to_owned()
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let payload = payload.take();
        let _ = req;
        Box::pin(async move {
            let bytes = read_body(payload).await?;
            let value = parse_value(&bytes)?;
            from_value(value).map(ApiJson)
        })
    }
}

/// A raw JSON object body, for partial updates that are merged before reading.
pub struct ApiPatch(pub serde_json::Map<String, serde_json::Value>);

impl FromRequest for ApiPatch {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(_: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let payload = payload.take();
        Box::pin(async move {
            let bytes = read_body(payload).await?;
            match parse_value(&bytes)? {
                serde_json::Value::Object(map) => Ok(ApiPatch(map)),
                _ => Err(ApiError::Validation(ValidationErrors::single(
                    "body",
                    FieldProblem::Invalid {
                        reason: "must be a JSON object".into(),
                    },
                ))),
            }
        })
    }
}

/// Applies a partial update onto the current input: fields in the patch replace
/// those of `current`; the result is read strictly, so unknown fields and wrong
/// types are still refused.
pub fn merge_patch<T: serde::Serialize + DeserializeOwned>(
    current: &T,
    patch: serde_json::Map<String, serde_json::Value>,
) -> Result<T, ApiError> {
    let mut merged =
        serde_json::to_value(current).map_err(|e| ApiError::Internal(e.to_string()))?;
    if let serde_json::Value::Object(fields) = &mut merged {
        for (key, value) in patch {
            fields.insert(key, value);
        }
    }
    from_value(merged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::OfficialInput;

    fn field_of(result: Result<OfficialInput, ApiError>) -> Vec<String> {
        match result {
            Err(ApiError::Validation(e)) => e.iter().map(|(f, _)| f.to_owned()).collect(),
            other => panic!("expected a validation error, got {:?}", other.map(|_| ())),
        }
    }

    #[test]
    fn unknown_fields_and_wrong_types_name_the_field() {
        let unknown = from_value::<OfficialInput>(serde_json::json!({"full_name": "A", "rank": 1}));
        assert_eq!(field_of(unknown), ["rank"]);
        let wrong = from_value::<OfficialInput>(
            serde_json::json!({"full_name": "A", "precedence": "first"}),
        );
        assert_eq!(field_of(wrong), ["precedence"]);
        let not_object = from_value::<OfficialInput>(serde_json::json!([1, 2]));
        assert_eq!(field_of(not_object), ["body"]);
    }

    #[test]
    fn malformed_json_is_a_bad_request() {
        assert!(matches!(
            parse_value(b"{\"full_name\": "),
            Err(ApiError::BadRequest(_))
        ));
        assert!(matches!(parse_value(b"  "), Err(ApiError::BadRequest(_))));
    }

    #[test]
    fn a_patch_replaces_only_what_it_names() {
        let current = OfficialInput {
            full_name: Some("Ашимбаев".into()),
            phone: Some("+7".into()),
            ..Default::default()
        };
        let patch = serde_json::json!({"phone": null, "precedence": 1});
        let merged = merge_patch(&current, patch.as_object().unwrap().clone()).unwrap();
        assert_eq!(merged.full_name.as_deref(), Some("Ашимбаев"));
        assert_eq!(merged.phone, None);
        assert_eq!(merged.precedence, Some(1));
    }
}
