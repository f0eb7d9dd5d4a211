//! `/metrics` in Prometheus' text format, from the `metrics` crates: requests by
//! route, method and status with their latency, the database pool, the import jobs
//! and webhook deliveries waiting, webhook delivery outcomes (counted where
//! they are sent), and memory: jemalloc's and SQLite's. With `KITH_METRICS_TOKEN` set, it answers only that Bearer token.

use crate::middleware::WebState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Instant;

const REQUEST_SECONDS: &str = "kith_http_request_duration_seconds";

/// The process's recorder: installed once, whatever the number of routers built.
fn recorder() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let buckets = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(REQUEST_SECONDS.to_owned()), &buckets)
            .expect("fixed buckets are valid");
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        // Histograms keep their samples until upkeep folds them into buckets: without
        // it, an instance nobody scrapes would grow with every request.
        let upkeep = handle.clone();
        let folds = move || loop {
            std::thread::sleep(std::time::Duration::from_secs(5));
            upkeep.run_upkeep();
        };
        if let Err(err) = std::thread::Builder::new().name("metrics-upkeep".into()).spawn(folds) {
            tracing::warn!(%err, "metrics: no upkeep thread; histograms fold when scraped");
        }
        // Another recorder installed first (a test harness) keeps its place.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

/// Counts and times every request under the router it wraps, by the route it
/// matched (`/leads/{id}`, `/api/leads/update`); anything unrouted is `unmatched`.
pub async fn track(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());
    let method = match req.method().as_str() {
        m @ ("GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS") => m,
        _ => "other",
    }
    .to_owned();
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    let labels = [("method", method), ("route", route)];
    metrics::histogram!(REQUEST_SECONDS, &labels).record(started.elapsed().as_secs_f64());
    let labels = [labels[0].clone(), labels[1].clone(), ("status", status)];
    metrics::counter!("kith_http_requests_total", &labels).increment(1);
    response
}

/// `GET /metrics`.
pub async fn render(State(web): State<WebState>, headers: HeaderMap) -> Response {
    if let Some(token) = &web.metrics_token {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if given.map(str::as_bytes) != Some(token.as_bytes()) {
            return (StatusCode::UNAUTHORIZED, "A metrics token is required.").into_response();
        }
    }
    let handle = recorder();
    let pool = &web.app.db.pool;
    metrics::gauge!("kith_db_pool_connections").set(f64::from(pool.size()));
    metrics::gauge!("kith_db_pool_idle_connections").set(pool.num_idle() as f64);
    match queue_depths(&web.app.db).await {
        Ok((imports, deliveries)) => {
            metrics::gauge!("kith_import_jobs_waiting").set(imports as f64);
            metrics::gauge!("kith_webhook_deliveries_pending").set(deliveries as f64);
        }
        Err(err) => tracing::warn!(%err, "metrics: the queues could not be read"),
    }
    memory();
    let content_type = [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")];
    (content_type, handle.render()).into_response()
}

/// Where the process's memory goes: jemalloc's allocated, active (whole pages of
/// what is allocated), metadata and resident bytes, for the whole heap, and what of
/// it SQLite holds (its page caches and statements; each connection's cache is at
/// most 4 MB).
fn memory() {
    if tikv_jemalloc_ctl::epoch::advance().is_ok() {
        if let Ok(bytes) = tikv_jemalloc_ctl::stats::allocated::read() {
            metrics::gauge!("kith_memory_allocated_bytes").set(bytes as f64);
        }
        if let Ok(bytes) = tikv_jemalloc_ctl::stats::resident::read() {
            metrics::gauge!("kith_memory_resident_bytes").set(bytes as f64);
        }
        if let Ok(bytes) = tikv_jemalloc_ctl::stats::active::read() {
            metrics::gauge!("kith_memory_active_bytes").set(bytes as f64);
        }
        if let Ok(bytes) = tikv_jemalloc_ctl::stats::metadata::read() {
            metrics::gauge!("kith_memory_metadata_bytes").set(bytes as f64);
        }
    }
    // SAFETY: sqlite3_memory_used only reads SQLite's own counter, safe from any thread.
    let sqlite = unsafe { libsqlite3_sys::sqlite3_memory_used() };
    metrics::gauge!("kith_sqlite_memory_bytes").set(sqlite as f64);
}

/// Import jobs not yet done, and webhook deliveries not yet sent.
async fn queue_depths(db: &app::db::Db) -> Result<(i64, i64), sqlx::Error> {
    use app::import::job::JobState;
    let sql = format!(
        "SELECT (SELECT COUNT(*) FROM imports WHERE state IN ('{}', '{}')), \
                (SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'pending')",
        JobState::Queued.as_str(),
        JobState::Undoing.as_str(),
    );
    sqlx::query_as(&sql).fetch_one(&db.pool).await
}

/// Installs the recorder, so counts start with the first request.
pub fn install() {
    recorder();
}
