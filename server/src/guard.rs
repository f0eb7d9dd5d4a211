//! Every request gets an answer: a panic below becomes a logged 500, and an
//! answer that has not begun in time a logged 503 (JSON under `/api/`, a page
//! otherwise), never a dropped or hanging connection.

use app::error::AppError;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// A panic anywhere below becomes a logged 500 answer instead of a dropped
/// connection. The panic's message stays in the log.
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned());
    tracing::error!(%message, "a request panicked");
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Something went wrong · Kith</title></head>\
         <body><main><h1>Something went wrong</h1><p>{}</p><p><a href=\"/\">Back to the dashboard</a></p></main></body></html>",
        AppError::Internal
    );
    let mut res = (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response();
    res.extensions_mut().insert(Panicked);
    res
}

/// Marks the answer [`panic_response`] made.
#[derive(Clone, Copy)]
struct Panicked;

/// Server functions and other `/api/` callers get a panic's 500 as the JSON error they read.
pub async fn api_panics_as_json(req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    if !is_api || res.extensions().get::<Panicked>().is_none() {
        return res;
    }
    json_error(StatusCode::INTERNAL_SERVER_ERROR, &AppError::Internal)
}

/// An `AppError` as a server function's caller reads it.
fn json_error(status: StatusCode, err: &AppError) -> Response {
    let body = serde_json::to_string(err).unwrap_or_default();
    (
        status,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::HeaderName::from_static("serverfnerror"), "1"),
        ],
        body,
    )
        .into_response()
}

/// Gives up on an answer that has not begun within `limit`: a logged 503 page
/// (JSON under `/api/`) instead of a connection left hanging, for a render
/// whose task died or a query that never returns. Abandoning the request drops
/// its transaction, so nothing is half-written.
pub async fn answer_within(limit: std::time::Duration, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(res) => res,
        Err(_) => {
            tracing::error!(%path, seconds = limit.as_secs_f32(), "no answer in time; gave up");
            let message = "Kith took too long to answer. Please try again.";
            if path.starts_with("/api/") {
                json_error(StatusCode::SERVICE_UNAVAILABLE, &AppError::Busy)
            } else {
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                    format!(
                        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Try again · Kith</title></head>\
                         <body><main><h1>Try again</h1><p>{message}</p><p><a href=\"/\">Back to the dashboard</a></p></main></body></html>"
                    ),
                )
                    .into_response()
            }
        }
    }
}
