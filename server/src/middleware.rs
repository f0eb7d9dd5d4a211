//! The HTTP layers around Kith's pages and server functions, one job each.

use app::auth::session::{self, Authentication, ClientInfo};
use app::db::now_ms;
use app::error::AppError;
use app::settings::Organisation;
use app::state::{AppState, CspNonce, RequestViewer, SessionExpired};
use axum::body::{to_bytes, Body};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use rand::RngCore;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// What the layers need to know besides the app state.
#[derive(Clone)]
pub struct WebState {
    pub app: AppState,
    pub trust_proxy: bool,
    pub https: bool,
    /// The live-reload websocket port in development, allowed by the CSP.
    pub dev_reload_port: Option<u32>,
    /// Latches to `true` once the first user exists (users never drop back to zero).
    pub has_users: Arc<AtomicBool>,
}

/// Security headers on every response, and a fresh CSP nonce that only Kith's
/// own inline hydration script carries.
pub async fn security_headers(
    State(web): State<WebState>,
    mut req: Request,
    next: Next,
) -> Response {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    let nonce = STANDARD.encode(bytes);
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut res = next.run(req).await;

    let connect = match web.dev_reload_port {
        Some(port) => format!("'self' ws://127.0.0.1:{port} ws://localhost:{port}"),
        None => "'self'".to_owned(),
    };
    let csp = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src {connect}; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    );
    let headers = res.headers_mut();
    set(headers, header::CONTENT_SECURITY_POLICY, &csp);
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    // Same-origin requests keep the full Referer: no-JavaScript forms return to it.
    set(headers, header::REFERRER_POLICY, "same-origin");
    if web.https {
        set(
            headers,
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000",
        );
    }
    res
}

fn set(headers: &mut HeaderMap, name: header::HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        headers.insert(name, value);
    }
}

/// Refuses state-changing requests that another site's page sent, so no other
/// origin can drive a server function with the visitor's cookies.
pub async fn refuse_cross_origin(
    State(web): State<WebState>,
    req: Request,
    next: Next,
) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || is_same_origin(req.headers(), web.trust_proxy) {
        return next.run(req).await;
    }
    tracing::warn!(path = %req.uri().path(), "refused a cross-origin request");
    (
        StatusCode::FORBIDDEN,
        "Cross-origin requests are not allowed.",
    )
        .into_response()
}

fn is_same_origin(headers: &HeaderMap, trust_proxy: bool) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        return matches!(site, "same-origin" | "none");
    }
    let Some(origin) = text("origin") else {
        // Not sent by a browser page, so not a cross-site request.
        return true;
    };
    let host = trust_proxy
        .then(|| text("x-forwarded-host"))
        .flatten()
        .or_else(|| text("host"));
    match (origin.split_once("://"), host) {
        (Some((scheme, origin_host)), Some(host)) => {
            matches!(scheme, "http" | "https") && origin_host.eq_ignore_ascii_case(host)
        }
        _ => false,
    }
}

/// Recognises the signed-in viewer from the session cookies, renewing an
/// expired access token from the refresh token on page loads and server
/// function calls alike, so the person never notices.
pub async fn recognise_session(
    State(web): State<WebState>,
    mut req: Request,
    next: Next,
) -> Response {
    let client = client_info(&req, web.trust_proxy);
    let cookies = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join("; ");
    let access = session::cookie_value(&cookies, session::ACCESS_COOKIE);
    let refresh = session::cookie_value(&cookies, session::REFRESH_COOKIE);
    let settings = &web.app.auth;
    let outcome = session::authenticate(&web.app.db, settings, access, refresh, now_ms()).await;

    let (viewer, set_cookies) = match outcome {
        Ok(Authentication::SignedIn { viewer, renewed }) => {
            let cookies = renewed
                .map(|t| session::set_cookies(settings, &t))
                .unwrap_or_default();
            (Some(viewer), cookies)
        }
        Ok(Authentication::Anonymous { session_ended }) => {
            req.extensions_mut().insert(SessionExpired(session_ended));
            let cookies = if session_ended {
                session::clear_cookies(settings)
            } else {
                Vec::new()
            };
            (None, cookies)
        }
        Err(err) => return error_response(&err),
    };
    // Pages show the organisation's name and times; server functions read what they need.
    if viewer.is_some() && !req.uri().path().starts_with("/api/") {
        match organisation(&web.app.db).await {
            Ok(organisation) => {
                req.extensions_mut().insert(organisation);
            }
            Err(err) => return error_response(&err),
        }
    }
    req.extensions_mut().insert(RequestViewer(viewer));
    req.extensions_mut().insert(client);
    let mut res = next.run(req).await;
    append_cookies_unless_set(res.headers_mut(), set_cookies);
    res
}

async fn organisation(db: &app::db::Db) -> Result<Organisation, AppError> {
    let mut conn = db.pool.acquire().await?;
    app::settings::store::load(&mut conn).await
}

/// A handler that set the session cookies itself (sign-in, sign-out) has the last word.
fn append_cookies_unless_set(headers: &mut HeaderMap, lines: Vec<String>) {
    let already_set = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.starts_with(session::ACCESS_COOKIE) || v.starts_with(session::REFRESH_COOKIE));
    if already_set {
        return;
    }
    for line in lines {
        if let Ok(value) = HeaderValue::from_str(&line) {
            headers.append(header::SET_COOKIE, value);
        }
    }
}

fn client_info(req: &Request, trust_proxy: bool) -> ClientInfo {
    let forwarded = trust_proxy
        .then(|| req.headers().get("x-forwarded-for"))
        .flatten()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(|v| v.trim().to_owned());
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string());
    ClientInfo {
        user_agent: req
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
        address: forwarded.or(peer).unwrap_or_else(|| "unknown".to_owned()),
    }
}

/// Sends visitors to first-run setup while Kith has no users, and anonymous
/// visitors of a signed-in page to sign-in (and back afterwards).
pub async fn require_sign_in(State(web): State<WebState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if req.method() != Method::GET || path.starts_with("/api/") {
        return next.run(req).await;
    }
    if !web.has_users.load(Ordering::Relaxed) {
        match app::auth::store::user_count(&web.app.db).await {
            Ok(0) if path != "/setup" => return Redirect::to("/setup").into_response(),
            Ok(0) => return next.run(req).await,
            Ok(_) => web.has_users.store(true, Ordering::Relaxed),
            Err(err) => return error_response(&err),
        }
    }
    let signed_in = req
        .extensions()
        .get::<RequestViewer>()
        .is_some_and(|v| v.0.is_some());
    match (path, signed_in) {
        ("/login" | "/setup", true) => Redirect::to("/").into_response(),
        ("/login" | "/setup", false) => next.run(req).await,
        (_, true) => next.run(req).await,
        (_, false) => {
            let expired = req
                .extensions()
                .get::<SessionExpired>()
                .is_some_and(|e| e.0);
            let here = req.uri().path_and_query().map_or("/", |pq| pq.as_str());
            let mut target = format!("/login?next={}", encode_query_value(here));
            if expired {
                target.push_str("&expired=1");
            }
            Redirect::to(&target).into_response()
        }
    }
}

fn encode_query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Server functions answer every error with 500; this gives each `AppError`
/// its own status (422 for invalid input, 404, 401, 429 …) in one place.
pub async fn server_fn_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let is_server_fn_error = res.status() == StatusCode::INTERNAL_SERVER_ERROR
        && res.headers().contains_key("serverfnerror");
    if !is_server_fn_error {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = to_bytes(body, 64 * 1024).await.unwrap_or_default();
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// A plain-text answer for failures outside any page.
pub fn error_response(err: &AppError) -> Response {
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, err.to_string()).into_response()
}
