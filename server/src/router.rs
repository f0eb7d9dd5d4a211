//! The axum router: Kith's pages and server functions behind the session
//! layers, static assets, the health checks and `/metrics` beside them; every
//! request counted, timed and logged under its request id.

use crate::guard;
use crate::metrics;
use crate::middleware::{self, WebState};
use app::state::AppState;
use app::{shell, App};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::path::PathBuf;
use std::time::Duration;
use tower::Layer;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::{SetResponseHeader, SetResponseHeaderLayer};
use tower_http::trace::TraceLayer;

pub fn build(web: WebState) -> Router {
    let body_limit = web.body_limit;
    let upload_limit = web.app.upload_limit;
    let state = web.app.clone();
    let options = state.leptos_options.clone();
    let routes = generate_route_list(App);
    let context_state = state.clone();
    let provide_state = move || provide_context(context_state.clone());
    let fallback_state = state.clone();

    let pages = Router::new()
        .route("/leads/export.csv", get(app::export::download::<app::leads::LeadFilters>))
        .route(
            "/customers/export.csv",
            get(app::export::download::<app::customers::CustomerFilters>),
        )
        .route(
            app::import::http::UPLOAD,
            post(app::import::http::upload).layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route("/import/{id}/rejected.csv", get(app::import::http::rejected))
        .leptos_routes_with_context(&state, routes, provide_state.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::render_app_to_stream_with_context(
            move || provide_context(fallback_state.clone()),
            {
                let options = options.clone();
                move || shell(options.clone())
            },
        ))
        // A page holds the team's records: never kept on disk, and Back after signing
        // out asks the server again instead of showing the old page.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        ))
        .layer(from_fn(middleware::server_fn_status))
        .layer(from_fn_with_state(web.clone(), middleware::remember_writes))
        .layer(from_fn_with_state(web.clone(), middleware::require_sign_in))
        .layer(from_fn_with_state(web.clone(), middleware::recognise_session));

    let site_root = PathBuf::from(options.site_root.as_ref());
    // Hashed names change with their content, so browsers keep them; anything
    // else is checked again (a 304 when unchanged).
    let pkg_caching =
        if options.hash_files { "public, max-age=31536000, immutable" } else { "no-cache" };
    let pkg = ServeDir::new(site_root.join(options.site_pkg_dir.as_ref()))
        .precompressed_br()
        .precompressed_gzip();
    let assets = Router::new()
        .nest_service("/pkg", cached(pkg, pkg_caching))
        .nest_service(
            "/vendor",
            cached(ServeDir::new(site_root.join("vendor")).precompressed_br(), "no-cache"),
        )
        .route_service(
            "/favicon.svg",
            cached(ServeFile::new(site_root.join("favicon.svg")), "no-cache"),
        )
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics::render).with_state(web.clone()));

    // The REST API reads no cookie: a Bearer token names its caller.
    let api = Router::new()
        .nest(app::api::BASE, app::api::routes())
        .route(app::api::docs::PATH, get(app::api::docs::page))
        .route(app::api::docs::SCRIPT, get(app::api::docs::script))
        .merge(app::lead_forms::http::routes())
        .layer(from_fn_with_state(web.clone(), middleware::note_client));

    let router = assets
        .merge(api)
        .merge(pages)
        .layer(from_fn(middleware::refuse_nul_bytes))
        .layer(from_fn_with_state(web.clone(), middleware::refuse_cross_origin))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(from_fn_with_state(web.clone(), middleware::limit_body))
        .layer(CompressionLayer::new())
        .layer(from_fn(metrics::track));
    metrics::install();
    // Each request carries an id (the caller's `X-Request-Id`, else a new one) in
    // its answer and in every log line written while it is served.
    guard(router, ANSWER_WITHIN)
        .layer(from_fn_with_state(web, middleware::security_headers))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// The span a request's log lines are written in: its id, method and path.
fn request_span(req: &axum::extract::Request) -> tracing::Span {
    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
    tracing::info_span!("request", id = %id, method = %req.method(), path = %req.uri().path())
}

/// `service` answering with `Cache-Control: caching`.
fn cached<S>(service: S, caching: &'static str) -> SetResponseHeader<S, HeaderValue> {
    SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static(caching))
        .layer(service)
}

/// How long a page or call may take before its answer begins.
const ANSWER_WITHIN: Duration = Duration::from_secs(60);

/// Every request under `router` gets an answer: a panic becomes a logged 500,
/// no answer within `limit` a logged 503 (JSON under `/api/`, pages otherwise),
/// never a dropped or hanging connection.
pub fn guard<S: Clone + Send + Sync + 'static>(router: Router<S>, limit: Duration) -> Router<S> {
    router
        .layer(CatchPanicLayer::custom(guard::panic_response))
        .layer(from_fn(guard::api_panics_as_json))
        .layer(from_fn(move |req, next| guard::answer_within(limit, req, next)))
}

/// How long a probe waits for the database: while it is down, a connection is
/// otherwise waited for up to the pool's 10 s, longer than a balancer's check.
const PROBE_WITHIN: Duration = Duration::from_secs(1);

/// Ready to serve: the database answers and carries every migration of this build
/// (a load balancer sends no traffic here until then).
async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match tokio::time::timeout(PROBE_WITHIN, state.db.is_migrated()).await {
        Ok(Ok(true)) => (StatusCode::OK, "ready"),
        Ok(Ok(false)) => (StatusCode::SERVICE_UNAVAILABLE, "migrations pending"),
        Ok(Err(err)) => {
            tracing::warn!(%err, "readiness check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database not answering"),
    }
}

/// Up when the database answers.
async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match tokio::time::timeout(PROBE_WITHIN, state.db.execute("SELECT 1")).await {
        Ok(Ok(_)) => (StatusCode::OK, "ok"),
        Ok(Err(err)) => {
            tracing::error!(%err, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database not answering"),
    }
}
