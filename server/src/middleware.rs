//! The HTTP layers around Kith's pages and server functions, one job each.

use app::auth::session::{self, Authentication, ClientInfo};
use app::db::now_ms;
use app::error::AppError;
use app::settings::Organisation;
use app::state::{AppState, CspNonce, RequestViewer, SessionExpired};
use app::views::SavedList;
use axum::body::{to_bytes, Body};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use rand::RngCore;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// What the layers need to know besides the app state.
#[derive(Clone)]
pub struct WebState {
    pub app: AppState,
    pub trust_proxy: bool,
    /// Trusted proxies in front of Kith, each appending to `X-Forwarded-For`.
    pub proxy_hops: usize,
    pub https: bool,
    /// The live-reload websocket port in development, allowed by the CSP.
    pub dev_reload_port: Option<u32>,
    /// Latches to `true` once the first user exists (users never drop back to zero).
    pub has_users: Arc<AtomicBool>,
    /// The largest request body, except an import's upload (`AppState::upload_limit`).
    pub body_limit: usize,
    /// The token `/metrics` asks for, if any.
    pub metrics_token: Option<Arc<str>>,
}

/// Bounds what a request's body may hold: an import's upload up to the import
/// limit, every other request up to the body limit. A body that says it is larger
/// is refused at once; one that turns out larger fails where it is read (413).
pub async fn limit_body(State(web): State<WebState>, req: Request, next: Next) -> Response {
    let limit = if req.uri().path() == app::import::http::UPLOAD {
        web.app.upload_limit
    } else {
        web.body_limit
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return (StatusCode::PAYLOAD_TOO_LARGE, "The request is too large.").into_response();
    }
    let (parts, body) = req.into_parts();
    let body = Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, body)).await
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
        set(headers, header::STRICT_TRANSPORT_SECURITY, "max-age=31536000");
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
    // Web-to-lead forms are posted from other sites by design; they read no cookie.
    let public_form = req.uri().path().starts_with(app::lead_forms::PUBLIC_PATH_PREFIX);
    if safe || public_form || is_same_origin(req.headers(), web.trust_proxy) {
        return next.run(req).await;
    }
    tracing::warn!(path = %req.uri().path(), "refused a cross-origin request");
    (StatusCode::FORBIDDEN, "Cross-origin requests are not allowed.").into_response()
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
    let host = trust_proxy.then(|| text("x-forwarded-host")).flatten().or_else(|| text("host"));
    match (origin.split_once("://"), host) {
        (Some((scheme, origin_host)), Some(host)) => {
            matches!(scheme, "http" | "https") && origin_host.eq_ignore_ascii_case(host)
        }
        _ => false,
    }
}

/// Refuses a NUL character in a request's path or form body: no Kith value
/// holds one and PostgreSQL cannot store one, so it is bad input (400) before
/// it can reach a query. Query strings are read through `list::Params`, which
/// drops control characters itself.
pub async fn refuse_nul_bytes(req: Request, next: Next) -> Response {
    const REFUSAL: &str = "The request contains a NUL character, which Kith does not accept.";
    let has_nul = |bytes: &[u8]| {
        bytes.contains(&0) || bytes.windows(3).any(|w| w[0] == b'%' && w[1] == b'0' && w[2] == b'0')
    };
    if has_nul(req.uri().path().as_bytes()) {
        return (StatusCode::BAD_REQUEST, REFUSAL).into_response();
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    // The body limit layer outside has already bounded what this reads.
    let Ok(bytes) = to_bytes(body, usize::MAX).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "The request is too large.").into_response();
    };
    if has_nul(&bytes) {
        return (StatusCode::BAD_REQUEST, REFUSAL).into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// Notes who the client is (its address and user agent) for what the request does.
pub async fn note_client(State(web): State<WebState>, mut req: Request, next: Next) -> Response {
    let client = client_info(&req, web.trust_proxy.then_some(web.proxy_hops));
    req.extensions_mut().insert(client);
    next.run(req).await
}

/// Recognises the signed-in viewer from the session cookies, renewing an
/// expired access token from the refresh token on page loads and server
/// function calls alike, so the person never notices.
pub async fn recognise_session(
    State(web): State<WebState>,
    mut req: Request,
    next: Next,
) -> Response {
    let client = client_info(&req, web.trust_proxy.then_some(web.proxy_hops));
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
            let cookies = renewed.map(|t| session::set_cookies(settings, &t)).unwrap_or_default();
            (Some(viewer), cookies)
        }
        Ok(Authentication::Anonymous { session_ended }) => {
            req.extensions_mut().insert(SessionExpired(session_ended));
            let cookies = if session_ended { session::clear_cookies(settings) } else { Vec::new() };
            (None, cookies)
        }
        Err(err) => return error_response(&err),
    };
    // Pages show the organisation's name and times; server functions read what they need.
    let mut opens_with = None;
    if let Some(viewer) = viewer.as_ref().filter(|_| !req.uri().path().starts_with("/api/")) {
        let bare = req.method() == Method::GET && req.uri().query().is_none_or(str::is_empty);
        let bare_list = SavedList::at(req.uri().path()).filter(|_| bare);
        match page_context(&web.app.db, viewer, bare_list).await {
            Ok((organisation, unread, default_view)) => {
                req.extensions_mut().insert(organisation);
                req.extensions_mut().insert(unread);
                opens_with = default_view;
            }
            Err(err) => return error_response(&err),
        }
    }
    req.extensions_mut().insert(RequestViewer(viewer));
    req.extensions_mut().insert(client);
    let mut res = match opens_with {
        Some(to) => Redirect::to(&to).into_response(),
        None => next.run(req).await,
    };
    append_cookies_unless_set(res.headers_mut(), set_cookies);
    res
}

/// What every signed-in page shows around itself: the organisation, and the bell's
/// count; and for a list's bare address (`bare_list`: `/leads`, nothing asked), the
/// list as the viewer's default view shows it, if they chose one.
async fn page_context(
    db: &app::db::Db,
    viewer: &app::auth::Viewer,
    bare_list: Option<SavedList>,
) -> Result<(Organisation, app::notifications::Unread, Option<String>), AppError> {
    let mut conn = db.pool.acquire().await?;
    let organisation = app::settings::store::load(&mut conn).await?;
    let unread = app::notifications::store::unread(&mut conn, &viewer.id).await?;
    let default_view = match bare_list {
        Some(list) => app::views::store::default_query(&mut conn, viewer, list)
            .await?
            .map(|query| app::list::href(list.path(), &query)),
        None => None,
    };
    Ok((organisation, app::notifications::Unread(unread), default_view))
}

/// With a read replica: after a request that may have changed something succeeds,
/// the browser keeps the primary's WAL position (`WROTE_COOKIE`), so its next
/// pages read from the primary until the replica has replayed that change.
pub async fn remember_writes(State(web): State<WebState>, req: Request, next: Next) -> Response {
    let changes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let mut res = next.run(req).await;
    if !changes || web.app.replica.is_none() || res.status().as_u16() >= 400 {
        return res;
    }
    if let Some(position) = web.app.db.write_position().await {
        let line = session::cookie_line(&web.app.auth, app::db::WROTE_COOKIE, &position, 600);
        if let Ok(value) = HeaderValue::from_str(&line) {
            res.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    res
}

/// A handler that set the session cookies itself (sign-in, sign-out) has the last word.
fn append_cookies_unless_set(headers: &mut HeaderMap, lines: Vec<String>) {
    let already_set =
        headers.get_all(header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).any(|v| {
            v.starts_with(session::ACCESS_COOKIE) || v.starts_with(session::REFRESH_COOKIE)
        });
    if already_set {
        return;
    }
    for line in lines {
        if let Ok(value) = HeaderValue::from_str(&line) {
            headers.append(header::SET_COOKIE, value);
        }
    }
}

/// The client's address: the connection's peer, or behind `hops` trusted
/// proxies, the `X-Forwarded-For` entry the outermost of them appended. Entries
/// further left were written by the client itself and are never believed.
fn client_info(req: &Request, hops: Option<usize>) -> ClientInfo {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| addr.ip());
    let forwarded = hops.and_then(|hops| forwarded_client(req.headers(), hops));
    ClientInfo {
        user_agent: req
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .chars()
            .take(512)
            .collect(),
        address: forwarded.or(peer).map_or_else(|| "unknown".to_owned(), |ip| ip.to_string()),
    }
}

/// The `hops`-th address from the right of every `X-Forwarded-For` line taken
/// together (the left-most when fewer were appended); `None` when it is not an address.
fn forwarded_client(headers: &HeaderMap, hops: usize) -> Option<IpAddr> {
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|line| line.split(','))
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .collect();
    let index = entries.len().saturating_sub(hops);
    let entry = entries.get(index)?;
    entry.parse::<IpAddr>().ok().or_else(|| entry.parse::<SocketAddr>().ok().map(|a| a.ip()))
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
    let signed_in = req.extensions().get::<RequestViewer>().is_some_and(|v| v.0.is_some());
    // An organisation that requires two-factor sign-in sends those without it to set it up.
    let must_enrol = req
        .extensions()
        .get::<RequestViewer>()
        .and_then(|v| v.0.as_ref())
        .is_some_and(|v| !v.two_factor)
        && req.extensions().get::<Organisation>().is_some_and(|o| o.require_two_factor);
    match (path, signed_in) {
        ("/login" | "/setup" | "/login/code", true) => Redirect::to("/").into_response(),
        ("/login" | "/setup" | "/login/code", false) => next.run(req).await,
        (app::sign_in::two_factor::api::PAGE, true) => next.run(req).await,
        (_, true) if must_enrol => {
            Redirect::to(app::sign_in::two_factor::api::PAGE).into_response()
        }
        (_, true) => next.run(req).await,
        (_, false) => {
            let expired = req.extensions().get::<SessionExpired>().is_some_and(|e| e.0);
            let target = app::components::sign_in_href(
                req.uri().path(),
                req.uri().query().unwrap_or_default(),
                expired,
            );
            Redirect::to(&target).into_response()
        }
    }
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
