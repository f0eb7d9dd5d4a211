//! Kith's REST API, `/api/v1`: JSON for other programs, on the same stores and the
//! same authorization as the pages. A caller presents a personal API token
//! (`Authorization: Bearer kith_…`, see `api_tokens`) and acts as its owner; no
//! cookie is read here, so no other site can drive it from a browser. Errors are
//! RFC 9457 problem documents (`problem`). Each resource has its own file (what
//! leads and customers share is in `contacts`); the
//! OpenAPI document is generated from their handlers (`utoipa`).

pub mod activity;
pub mod contacts;
pub mod customers;
pub mod docs;
pub mod extract;
pub mod idempotency;
pub mod leads;
pub mod limits;
pub mod notes;
pub mod paging;
pub mod problem;
pub mod tasks;
pub mod users;

use crate::api_tokens::{store as tokens, TokenScope};
use crate::auth::session::ClientInfo;
use crate::auth::Viewer;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use problem::Problem;
use serde::{Deserialize, Deserializer, Serialize};
use std::sync::Arc;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{OpenApi as Document, Server};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

/// Where the API answers.
pub const BASE: &str = "/api/v1";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Kith REST API",
        description = "Leads, customers, tasks, notes, the team and the activity log of a Kith CRM. \
            Send a personal API token (make one on your profile) as `Authorization: Bearer kith_…`. \
            Errors are RFC 9457 problem documents. Records carry their version as `ETag`; a `PATCH` \
            sends it back as `If-Match`.",
    ),
    modifiers(&BearerToken),
    security(("bearer" = [])),
    tags(
        (name = "leads"), (name = "customers"), (name = "tasks"), (name = "notes"),
        (name = "users"), (name = "activity"),
    ),
)]
struct ApiDoc;

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, doc: &mut Document) {
        let components = doc.components.get_or_insert_with(Default::default);
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some("A personal API token, `kith_…`."))
            .build();
        components.add_security_scheme("bearer", SecurityScheme::Http(scheme));
        doc.servers = Some(vec![Server::new(BASE)]);
    }
}

/// The API's routes, relative to `BASE`, with its OpenAPI document at
/// `/openapi.json`; anything else under `BASE` is a 404 problem.
pub fn routes() -> Router<AppState> {
    let (router, document) = api().split_for_parts();
    let document = Arc::new(document);
    router
        .route("/openapi.json", get(move || async move { Json(document.as_ref().clone()) }))
        .fallback(|| async { Problem::from(AppError::NotFound) })
        .method_not_allowed_fallback(|| async {
            Problem::new(StatusCode::METHOD_NOT_ALLOWED, "This path does not take that method.")
        })
        .layer(axum::middleware::from_fn(limits::per_token))
}

/// The API's handlers with their OpenAPI descriptions.
fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(leads::routes())
        .merge(customers::routes())
        .merge(tasks::routes())
        .merge(notes::routes())
        .merge(users::routes())
        .merge(activity::routes())
}

/// The OpenAPI document, as `/api/v1/openapi.json` serves it.
pub fn document() -> Document {
    api().into_openapi()
}

/// Who calls, by their token: its owner, and whether it may write.
pub struct Caller {
    pub viewer: Viewer,
    pub scope: TokenScope,
    /// The token's id: what rate limits and idempotency keys are kept per.
    pub token_id: String,
}

impl Caller {
    /// The caller as someone who changes records: a read-only token is refused.
    pub fn writer(&self) -> Result<&Viewer, Problem> {
        match self.scope {
            TokenScope::Write => Ok(&self.viewer),
            TokenScope::Read => Err(Problem::new(
                StatusCode::FORBIDDEN,
                "This token may only read. Make a read and write token on your profile to change records.",
            )),
        }
    }
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
        let Some(found) = tokens::authenticate(&mut conn, token, from).await? else {
            return Err(Problem::unauthenticated(
                "This token is unknown, revoked or expired, or its owner is no longer active.",
            ));
        };
        limits::check(&state.api_limits, &found.token_id, parts)?;
        Ok(Self { viewer: found.viewer, scope: found.scope, token_id: found.token_id })
    }
}

/// A time as the API writes it: RFC 3339 in UTC, to the millisecond.
pub fn rfc3339(epoch_ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(epoch_ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A record as the API answers with it: `status`, the JSON, and its version as
/// the `ETag`.
pub fn tagged(status: StatusCode, version: i64, record: impl Serialize) -> Response {
    let mut response = (status, Json(record)).into_response();
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{version}\"")) {
        response.headers_mut().insert(header::ETAG, etag);
    }
    response
}

/// A record just made: 201, its place under `BASE` as `Location`, its version as `ETag`.
pub fn created(path: &str, version: i64, record: impl Serialize) -> Response {
    let mut response = tagged(StatusCode::CREATED, version, record);
    if let Ok(location) = HeaderValue::from_str(&format!("{BASE}{path}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// For a field of a `PATCH` body that may be cleared: left out is `None` (keep
/// it), `null` is `Some(None)` (clear it), a value is `Some(Some(value))`.
pub fn field_or_null<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

/// An email address as the API takes it: left out or `null` for none, never an
/// empty string (which would read as an address nobody wrote).
pub fn email_given(email: Option<&str>) -> Result<String, AppError> {
    match email {
        None => Ok(String::new()),
        Some(email) if email.trim().is_empty() => Err(AppError::invalid(
            "email",
            "Write an email address, or leave the field out (`null` removes one).",
        )),
        Some(email) => Ok(email.to_owned()),
    }
}

/// The email a `PATCH` leaves: `current` when left out, none when `null`.
pub fn email_changed(change: Option<Option<String>>, current: String) -> Result<String, AppError> {
    match change {
        None => Ok(current),
        Some(email) => email_given(email.as_deref()),
    }
}
