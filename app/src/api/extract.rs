//! What the API reads from a request, each refusing bad input with a problem
//! document instead of axum's plain-text rejection: a JSON body, query
//! parameters, path parameters, `If-Match` and `Idempotency-Key`.

use super::problem::Problem;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};

/// A JSON request body.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(Problem))]
pub struct Body<T>(pub T);

/// Query parameters.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(Problem))]
pub struct Query<T>(pub T);

/// Path parameters.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(Problem))]
pub struct Path<T>(pub T);

impl From<JsonRejection> for Problem {
    fn from(rejection: JsonRejection) -> Self {
        let detail = match &rejection {
            JsonRejection::MissingJsonContentType(_) => {
                "Send the body as JSON, with `Content-Type: application/json`.".to_owned()
            }
            _ => rejection.body_text(),
        };
        Problem::new(rejection.status(), &detail)
    }
}

impl From<QueryRejection> for Problem {
    fn from(rejection: QueryRejection) -> Self {
        Problem::new(StatusCode::BAD_REQUEST, &rejection.body_text())
    }
}

impl From<PathRejection> for Problem {
    fn from(rejection: PathRejection) -> Self {
        Problem::new(StatusCode::BAD_REQUEST, &rejection.body_text())
    }
}

/// The version a change was made on, from `If-Match: "3"` (the record's `ETag`):
/// required, so no change silently overwrites one the caller has not seen.
pub struct IfMatch(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Problem> {
        let Some(value) = parts.headers.get(header::IF_MATCH) else {
            return Err(Problem::new(
                StatusCode::PRECONDITION_REQUIRED,
                "Send the record's ETag as `If-Match`, so a change made since is not overwritten.",
            ));
        };
        let version = value
            .to_str()
            .ok()
            .map(|v| v.trim_start_matches("W/").trim_matches('"'))
            .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|v| v.parse::<i64>().ok());
        match version {
            Some(version) => Ok(Self(version)),
            None => Err(Problem::new(
                StatusCode::BAD_REQUEST,
                "`If-Match` must be an ETag this API sent, such as \"3\".",
            )),
        }
    }
}

/// The longest `Idempotency-Key` kept.
pub const IDEMPOTENCY_KEY_MAX: usize = 255;

/// `Idempotency-Key` on a `POST`: a retried create answers like the first one.
pub struct IdempotencyKey(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Problem> {
        let Some(value) = parts.headers.get("idempotency-key") else {
            return Ok(Self(None));
        };
        let key = value.as_bytes();
        let visible = key.iter().all(|b| (b'!'..=b'~').contains(b));
        match String::from_utf8(key.to_vec()) {
            Ok(key) if visible && (1..=IDEMPOTENCY_KEY_MAX).contains(&key.len()) => {
                Ok(Self(Some(key)))
            }
            _ => Err(Problem::new(
                StatusCode::BAD_REQUEST,
                "`Idempotency-Key` must be 1 to 255 visible ASCII characters, such as a UUID.",
            )),
        }
    }
}
