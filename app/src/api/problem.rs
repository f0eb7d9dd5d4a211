//! Errors as RFC 9457 problem documents (`application/problem+json`): the status
//! the pages would answer with, a title, what went wrong, and each field's problem.

use crate::error::{AppError, FieldError};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// An error answer of the API.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// Always `about:blank`: the status says what kind of problem it is.
    #[serde(rename = "type")]
    kind: &'static str,
    /// The status's name.
    title: String,
    status: u16,
    /// What went wrong, for a person.
    detail: String,
    /// Each field's problem, when the input was refused.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<FieldError>,
    /// Ask for a Bearer token (a 401).
    #[serde(skip)]
    challenge: bool,
    /// Seconds before trying again (a 429).
    #[serde(skip)]
    retry_after: Option<u64>,
}

impl Problem {
    /// A problem with `status` and what went wrong.
    pub fn new(status: StatusCode, detail: &str) -> Self {
        Self {
            kind: "about:blank",
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: detail.to_owned(),
            errors: Vec::new(),
            challenge: false,
            retry_after: None,
        }
    }

    /// No usable token: 401 with what to send.
    pub fn unauthenticated(detail: &str) -> Self {
        Self { challenge: true, ..Self::new(StatusCode::UNAUTHORIZED, detail) }
    }

    /// Too many requests: 429, to be tried again after `seconds`.
    pub fn too_many(detail: &str, seconds: u64) -> Self {
        Self { retry_after: Some(seconds), ..Self::new(StatusCode::TOO_MANY_REQUESTS, detail) }
    }
}

impl From<AppError> for Problem {
    fn from(error: AppError) -> Self {
        let status = match &error {
            // The API's versions travel as `If-Match`: a stale one failed that precondition.
            AppError::Stale(_) => StatusCode::PRECONDITION_FAILED,
            _ => StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        };
        let errors = match &error {
            AppError::Invalid(fields) => fields.clone(),
            _ => Vec::new(),
        };
        Self { errors, ..Self::new(status, &error.to_string()) }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_string(&self).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if self.challenge {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
