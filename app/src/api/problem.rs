//! Errors as RFC 9457 problem documents (`application/problem+json`): the status
//! the pages would answer with, a title, what went wrong, and each field's problem.

use crate::error::{AppError, FieldError};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An error answer of the API.
#[derive(Debug, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    kind: &'static str,
    title: String,
    status: u16,
    detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<FieldError>,
    /// Ask for a Bearer token (a 401).
    #[serde(skip)]
    challenge: bool,
}

impl Problem {
    /// No usable token: 401 with what to send.
    pub fn unauthenticated(detail: &str) -> Self {
        Self { challenge: true, ..Self::from(AppError::Unauthenticated).detail(detail) }
    }

    pub fn detail(self, detail: &str) -> Self {
        Self { detail: detail.to_owned(), ..self }
    }
}

impl From<AppError> for Problem {
    fn from(error: AppError) -> Self {
        let status =
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let errors = match &error {
            AppError::Invalid(fields) => fields.clone(),
            _ => Vec::new(),
        };
        Self {
            kind: "about:blank",
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: error.to_string(),
            errors,
            challenge: false,
        }
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
        response
    }
}
