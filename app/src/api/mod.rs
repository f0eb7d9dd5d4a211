//! Kith's REST API, `/api/v1`: JSON for other programs, on the same stores and the
//! same authorization as the pages. A caller presents a personal API token
//! (`Authorization: Bearer kith_…`, see `api_tokens`) and acts as its owner; no
//! cookie is read here, so no other site can drive it from a browser. Errors are
//! RFC 9457 problem documents (`problem`). Each resource has its own file.

pub mod leads;
pub mod problem;

use crate::api_tokens::{store as tokens, TokenScope};
use crate::auth::session::ClientInfo;
use crate::auth::Viewer;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use axum::routing::get;
use axum::Router;
use problem::Problem;

/// Where the API answers.
pub const BASE: &str = "/api/v1";

/// The API's routes, relative to `BASE`.
pub fn routes() -> Router<AppState> {
    Router::new().route("/leads", get(leads::list)).route("/leads/{id}", get(leads::get))
}

/// Who calls, by their token: its owner, and whether it may write (only reads are
/// served so far).
pub struct Caller {
    pub viewer: Viewer,
    pub scope: TokenScope,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let presented = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim());
        let Some(token) = presented else {
            return Err(Problem::unauthenticated(
                "Send a personal API token as `Authorization: Bearer kith_…` (make one on your profile).",
            ));
        };
        let from = parts.extensions.get::<ClientInfo>().map_or("unknown", |c| c.address.as_str());
        let mut conn = state.db.pool.acquire().await.map_err(AppError::from)?;
        match tokens::authenticate(&mut conn, token, from).await? {
            Some((viewer, scope)) => Ok(Self { viewer, scope }),
            None => Err(Problem::unauthenticated(
                "This token is unknown, revoked or expired, or its owner is no longer active.",
            )),
        }
    }
}

/// A time as the API writes it: RFC 3339 in UTC, to the millisecond.
pub fn rfc3339(epoch_ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(epoch_ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
