//! What every server function can reach: the store, the session settings, and
//! what the HTTP layer learned about the request.

use crate::auth::session::{AuthSettings, ClientInfo};
use crate::auth::Viewer;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use leptos::prelude::use_context;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// A read replica for reads that may lag a little (`reads`), when configured.
    pub replica: Option<Db>,
    pub auth: Arc<AuthSettings>,
    pub leptos_options: LeptosOptions,
    /// The largest import file accepted, in bytes.
    pub upload_limit: usize,
    /// Requests each API token made this minute.
    pub api_limits: Arc<crate::rate::RateLimiter>,
    /// Webhooks may go to addresses inside the network (`KITH_WEBHOOK_ALLOW_PRIVATE`).
    pub allow_private_webhooks: bool,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The viewer the session middleware recognised (`None`: anonymous).
#[derive(Debug, Clone, Default)]
pub struct RequestViewer(pub Option<Viewer>);

/// Set when the request carried session cookies that no longer work.
#[derive(Debug, Clone, Copy, Default)]
pub struct SessionExpired(pub bool);

/// The per-response nonce that lets Kith's own inline scripts pass the CSP.
#[derive(Debug, Clone)]
pub struct CspNonce(pub String);

/// The app state, provided to every server function and page render.
pub fn app_state() -> AppResult<AppState> {
    use_context::<AppState>().ok_or_else(|| AppError::internal("app state missing", "no context"))
}

pub(crate) fn request_parts() -> AppResult<http::request::Parts> {
    use_context::<http::request::Parts>()
        .ok_or_else(|| AppError::internal("request parts missing", "no context"))
}

/// The signed-in viewer of this request, or `None`.
pub fn request_viewer() -> Option<Viewer> {
    request_parts()
        .ok()
        .and_then(|parts| parts.extensions.get::<RequestViewer>().cloned())
        .and_then(|v| v.0)
}

/// The signed-in viewer of this request; otherwise 401, saying "session
/// expired" only when the request carried a session that has just ended (not
/// after a deliberate sign-out, which leaves no session behind).
pub fn signed_in() -> AppResult<Viewer> {
    let parts = request_parts()?;
    if let Some(viewer) = parts.extensions.get::<RequestViewer>().and_then(|v| v.0.clone()) {
        return Ok(viewer);
    }
    let ended = parts.extensions.get::<SessionExpired>().is_some_and(|e| e.0);
    Err(if ended { AppError::SessionExpired } else { AppError::Unauthenticated })
}

/// The signed-in admin; 404 for agents, exactly as if the area did not exist.
pub fn admin() -> AppResult<Viewer> {
    let viewer = signed_in()?;
    crate::auth::policy::require_admin(&viewer)?;
    Ok(viewer)
}

/// The organisation, as the session middleware read it for a page.
pub fn request_organisation() -> Option<crate::organisation::Organisation> {
    request_parts()
        .ok()
        .and_then(|parts| parts.extensions.get::<crate::organisation::Organisation>().cloned())
}

/// Where this server is reached, as the request named it (`https://crm.example.com`):
/// the forwarded host and scheme behind a proxy, else the `Host` header.
pub fn request_origin() -> String {
    let Ok(parts) = request_parts() else {
        return String::new();
    };
    let header =
        |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let host = header("x-forwarded-host").or_else(|| header("host")).unwrap_or_default();
    let secure = app_state().is_ok_and(|s| s.auth.secure_cookies);
    let scheme = header("x-forwarded-proto")
        .unwrap_or_else(|| if secure { "https" } else { "http" }.to_owned());
    format!("{scheme}://{host}")
}

pub fn request_client() -> ClientInfo {
    request_parts()
        .ok()
        .and_then(|parts| parts.extensions.get::<ClientInfo>().cloned())
        .unwrap_or_default()
}

/// The store for reads that may lag a little (lists, the board, the dashboard): the
/// replica when there is one, it answers, and it has replayed this browser's last
/// change; otherwise the primary.
pub async fn reads() -> AppResult<Db> {
    let state = app_state()?;
    let Some(replica) = state.replica else {
        return Ok(state.db);
    };
    let parts = request_parts().ok();
    let cookies = parts.as_ref().and_then(|p| p.headers.get(http::header::COOKIE));
    let wrote = cookies
        .and_then(|header| header.to_str().ok())
        .and_then(|header| crate::auth::session::cookie_value(header, crate::db::WROTE_COOKIE));
    Ok(if replica.has_replayed(wrote).await { replica } else { state.db })
}

/// Runs `change` in one transaction of the app's database, committed when it
/// succeeds and rolled back (nothing written) when it fails.
pub async fn write<T>(
    change: impl AsyncFnOnce(&mut sqlx::AnyConnection) -> AppResult<T>,
) -> AppResult<T> {
    app_state()?.db.write(change).await
}

/// Ends a form's server function by sending the browser to `path`: a redirect
/// without JavaScript, a navigation with it.
pub fn go(path: &str) -> AppResult<()> {
    leptos_axum::redirect(path);
    Ok(())
}
