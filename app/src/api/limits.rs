//! Rate limits of the REST API, per token: so many requests a minute (a fixed
//! window, `KITH_API_RATE_LIMIT`), counted in this instance's memory. Every answer
//! to a token says where it stands (`RateLimit-Limit`, `RateLimit-Remaining`,
//! `RateLimit-Reset`); past the limit it gets a 429 with `Retry-After`.

use super::problem::Problem;
use crate::rate::{Allowance, RateLimiter};
use axum::extract::Request;
use axum::http::request::Parts;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use std::sync::{Arc, OnceLock};

/// Where the caller's allowance is noted for the answer's headers.
#[derive(Clone, Default)]
struct Noted(Arc<OnceLock<Allowance>>);

/// Counts a request of `token_id`, noting its allowance for the answer; past the
/// limit, a 429 problem.
pub fn check(limiter: &RateLimiter, token_id: &str, parts: &Parts) -> Result<(), Problem> {
    let taken = limiter.take(token_id, crate::db::now_ms());
    let allowance = match taken {
        Ok(allowance) | Err(allowance) => allowance,
    };
    if let Some(noted) = parts.extensions.get::<Noted>() {
        let _ = noted.0.set(allowance);
    }
    taken.map(|_| ()).map_err(|allowance| {
        Problem::too_many(
            &format!(
                "This token made more than {} requests this minute. Try again in {} seconds.",
                allowance.limit, allowance.reset
            ),
            allowance.reset,
        )
    })
}

/// Adds the caller's allowance to every answer of the API.
pub async fn per_token(mut req: Request, next: Next) -> Response {
    let noted = Noted::default();
    req.extensions_mut().insert(noted.clone());
    let mut response = next.run(req).await;
    if let Some(allowance) = noted.0.get() {
        let headers = response.headers_mut();
        headers.insert("ratelimit-limit", HeaderValue::from(allowance.limit));
        headers.insert("ratelimit-remaining", HeaderValue::from(allowance.remaining));
        headers.insert("ratelimit-reset", HeaderValue::from(allowance.reset));
    }
    response
}
