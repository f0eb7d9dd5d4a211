//! Server functions for two-factor sign-in on a person's own profile, and an
//! admin's reset. The second step of signing in is `sign_in::api::login_code`.

use super::TwoFactorStatus;
use crate::error::AppError;
use crate::ids::UserId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::store,
    crate::auth::throttle,
    crate::db::now_ms,
    crate::sign_in::api::check_current_password,
    crate::state::{admin, app_state, go, signed_in, write},
    leptos_axum::redirect,
};

/// The page where a person sets up or turns off two-factor sign-in.
pub const PAGE: &str = "/profile/two-factor";

/// The viewer's two-factor standing; recovery codes made just now come with it, once.
#[server(prefix = "/api", endpoint = "two_factor/status")]
pub async fn my_two_factor() -> Result<TwoFactorStatus, AppError> {
    let viewer = signed_in()?;
    let state = app_state()?;
    let mut conn = state.db.pool.acquire().await?;
    let required = crate::organisation::load(&mut conn).await?.require_two_factor;
    store::status(&mut conn, &viewer, required).await
}

/// Begins setting up an authenticator app: a new secret to scan.
#[server(prefix = "/api", endpoint = "two_factor/start")]
pub async fn start_two_factor() -> Result<(), AppError> {
    let viewer = signed_in()?;
    write(async |tx| store::start(tx, &viewer, now_ms()).await).await?;
    go(PAGE)
}

/// Confirms the app with the code it shows: two-factor sign-in is on, and the
/// page shows ten recovery codes once.
#[server(prefix = "/api", endpoint = "two_factor/confirm")]
pub async fn confirm_two_factor(code: String) -> Result<(), AppError> {
    let viewer = signed_in()?;
    write(async |tx| store::confirm(tx, &viewer, &code, now_ms()).await).await?;
    go(PAGE)
}

/// New recovery codes (the old ones stop working); needs the current password.
#[server(prefix = "/api", endpoint = "two_factor/recovery_codes")]
pub async fn renew_recovery_codes(current_password: String) -> Result<(), AppError> {
    let viewer = signed_in()?;
    check_current_password(&viewer, current_password).await?;
    write(async |tx| store::renew_recovery_codes(tx, &viewer, now_ms()).await).await?;
    go(PAGE)
}

/// Turns two-factor sign-in off: the current password and a code, both.
#[server(prefix = "/api", endpoint = "two_factor/disable")]
pub async fn disable_two_factor(current_password: String, code: String) -> Result<(), AppError> {
    let viewer = signed_in()?;
    if code.trim().is_empty() {
        return Err(AppError::invalid("code", "Enter a code from your app."));
    }
    check_current_password(&viewer, current_password).await?;
    let state = app_state()?;
    let policy = state.auth.throttle;
    let now = now_ms();
    let counters = vec![throttle::Counter::second_factor(&policy, viewer.id.as_str())];
    let attempt = throttle::reserve(&state.db, &policy, counters, "code attempts", now).await?;
    let mut tx = state.db.transaction().await?;
    match store::disable(&mut tx, &viewer, &code, now).await {
        Ok(()) => {
            tx.commit().await?;
            attempt.succeeded(&state.db).await?;
            redirect(&format!("{PAGE}?off=1"));
            Ok(())
        }
        Err(err) => {
            drop(tx);
            let _ = attempt.failed(&state.db, &policy, now).await?;
            Err(err)
        }
    }
}

/// An admin clears a user's two-factor sign-in (a lost phone); their sessions end.
#[server(prefix = "/api", endpoint = "users/reset_two_factor")]
pub async fn reset_two_factor(id: UserId) -> Result<(), AppError> {
    let viewer = admin()?;
    write(async |tx| store::reset(tx, &viewer, &id, now_ms()).await).await?;
    go(&format!("/users/{id}?two_factor=reset"))
}
