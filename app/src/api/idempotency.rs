//! `Idempotency-Key` on the API's creates: the first request with a key claims it
//! (a row per token and key), and its successful answer is kept for 24 hours; a
//! retry with the same key and the same request gets that answer again instead of
//! a second record. The same key with a different request is refused, and so is a
//! retry while the first is still being worked on. A failed request frees its key,
//! so a corrected retry may use it.

use super::problem::Problem;
use super::Caller;
use crate::db::{now_ms, Db};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use axum::body::to_bytes;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// How long a key's answer is kept.
const KEPT_MS: i64 = 24 * 60 * 60 * 1000;
/// A claim this old without an answer was left by a stopped server: the request
/// may run again.
const ABANDONED_MS: i64 = 60 * 1000;
/// The largest answer kept.
const BODY_MAX: usize = 1024 * 1024;

#[derive(sqlx::FromRow)]
struct Kept {
    request_hash: String,
    status: Option<i64>,
    location: Option<String>,
    etag: Option<String>,
    body: Option<String>,
    created_at: i64,
}

/// Runs `create` once per `key` of the caller's token: `request` (what was asked,
/// with its path) tells a retry from another request under the same key.
pub async fn once(
    state: &AppState,
    caller: &Caller,
    key: Option<String>,
    request: impl Serialize,
    create: impl AsyncFnOnce() -> Result<Response, Problem>,
) -> Result<Response, Problem> {
    let Some(key) = key else {
        return create().await;
    };
    let request_hash = hex::encode(Sha256::digest(
        serde_json::to_vec(&request)
            .map_err(|e| AppError::internal("a request's fingerprint", e))?,
    ));
    if let Some(answer) = claim(&state.db, &caller.token_id, &key, &request_hash).await? {
        return Ok(answer);
    }
    let answer = create().await;
    match answer {
        Ok(response) if response.status().is_success() => {
            Ok(keep(&state.db, &caller.token_id, &key, response).await?)
        }
        other => {
            release(&state.db, &caller.token_id, &key).await?;
            other
        }
    }
}

/// Claims `key` for a new request, or gives the answer a request with it already
/// got. Refuses a key in use by another request, or by one still being worked on.
async fn claim(
    db: &Db,
    token_id: &str,
    key: &str,
    request_hash: &str,
) -> Result<Option<Response>, Problem> {
    let now = now_ms();
    let mut conn = db.pool.acquire().await.map_err(AppError::from)?;
    let kept: Option<Kept> = sqlx::query_as(
        "SELECT request_hash, status, location, etag, body, created_at FROM api_idempotency \
         WHERE token_id = $1 AND idem_key = $2",
    )
    .bind(token_id)
    .bind(key)
    .fetch_optional(&mut *conn)
    .await
    .map_err(AppError::from)?;
    let stale = |k: &Kept| {
        k.created_at + KEPT_MS <= now || (k.status.is_none() && k.created_at + ABANDONED_MS <= now)
    };
    match kept {
        Some(kept) if !stale(&kept) => {
            if kept.request_hash != request_hash {
                return Err(Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "This Idempotency-Key was used for a different request. Use a new key for a new request.",
                ));
            }
            return match kept.status {
                Some(status) => Ok(Some(replay(kept, status))),
                None => Err(Problem::new(
                    StatusCode::CONFLICT,
                    "A request with this Idempotency-Key is still being worked on. Try again in a moment.",
                )),
            };
        }
        Some(_) => release(db, token_id, key).await?,
        None => {}
    }
    let claimed = sqlx::query(
        "INSERT INTO api_idempotency (token_id, idem_key, request_hash, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (token_id, idem_key) DO NOTHING",
    )
    .bind(token_id)
    .bind(key)
    .bind(request_hash)
    .bind(now)
    .execute(&mut *conn)
    .await
    .map_err(AppError::from)?;
    if claimed.rows_affected() == 0 {
        return Err(Problem::new(
            StatusCode::CONFLICT,
            "A request with this Idempotency-Key is still being worked on. Try again in a moment.",
        ));
    }
    Ok(None)
}

/// The answer kept for a key, marked as a replay.
fn replay(kept: Kept, status: i64) -> Response {
    let status = u16::try_from(status)
        .ok()
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::OK);
    let mut response = (status, kept.body.unwrap_or_default()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    for (name, value) in [(header::LOCATION, kept.location), (header::ETAG, kept.etag)] {
        if let Some(value) = value.and_then(|v| HeaderValue::from_str(&v).ok()) {
            headers.insert(name, value);
        }
    }
    response
}

/// Keeps a successful answer under its key, and sends it.
async fn keep(db: &Db, token_id: &str, key: &str, response: Response) -> AppResult<Response> {
    let (parts, body) = response.into_parts();
    let bytes = to_bytes(body, BODY_MAX).await.map_err(|e| AppError::internal("an answer", e))?;
    let header_text = |name| parts.headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok());
    sqlx::query(
        "UPDATE api_idempotency SET status = $1, location = $2, etag = $3, body = $4 \
         WHERE token_id = $5 AND idem_key = $6",
    )
    .bind(i64::from(parts.status.as_u16()))
    .bind(header_text(header::LOCATION))
    .bind(header_text(header::ETAG))
    .bind(String::from_utf8_lossy(&bytes).into_owned())
    .bind(token_id)
    .bind(key)
    .execute(&db.pool)
    .await?;
    Ok(Response::from_parts(parts, bytes.into()))
}

/// Frees a key whose request failed.
async fn release(db: &Db, token_id: &str, key: &str) -> AppResult<()> {
    sqlx::query("DELETE FROM api_idempotency WHERE token_id = $1 AND idem_key = $2")
        .bind(token_id)
        .bind(key)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Forgets answers older than a day (housekeeping).
pub async fn prune(db: &Db, now: i64) -> AppResult<()> {
    sqlx::query("DELETE FROM api_idempotency WHERE created_at <= $1")
        .bind(now - KEPT_MS)
        .execute(&db.pool)
        .await?;
    Ok(())
}
