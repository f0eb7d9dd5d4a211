//! Server functions for signing in and out and for first-run setup.

use super::Viewer;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{accounts, password, safe_return_path, session, store, throttle, Email, NewPassword},
    crate::activity::{self, Action, EntityType},
    crate::db::now_ms,
    crate::state::{app_state, request_client, request_viewer, signed_in},
    leptos_axum::{redirect, ResponseOptions},
};

/// The signed-in person, for the app shell.
#[server(prefix = "/api", endpoint = "me")]
pub async fn current_user() -> Result<Viewer, AppError> {
    signed_in()
}

/// Whether Kith still needs its first admin.
#[server(prefix = "/api", endpoint = "setup_needed")]
pub async fn setup_needed() -> Result<bool, AppError> {
    Ok(store::user_count(&app_state()?.db).await? == 0)
}

#[cfg(feature = "ssr")]
fn send_cookies(lines: Vec<String>) {
    if let Some(response) = use_context::<ResponseOptions>() {
        for line in lines {
            if let Ok(value) = http::HeaderValue::from_str(&line) {
                response.append_header(http::header::SET_COOKIE, value);
            }
        }
    }
}

#[server(prefix = "/api", endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    let state = app_state()?;
    let policy = state.auth.throttle;
    let client = request_client();
    let now = now_ms();
    if password.is_empty() {
        return Err(AppError::invalid("password", "Enter your password."));
    }
    if password.len() > NewPassword::MAX_LEN * 4 {
        // Longer than any password Kith accepts: it cannot match, so skip the costly hash.
        return Err(AppError::BadCredentials);
    }
    let email = Email::parse("email", &email).map_err(|e| AppError::Invalid(vec![e]))?;
    // The attempt is counted before the password is hashed, so parallel guesses cannot outrun the lock.
    let counters = vec![
        throttle::Counter::address(&policy, &client.address),
        throttle::Counter::account(&policy, email.as_str()),
    ];
    let attempt = throttle::reserve(&state.db, &policy, counters, "sign-in attempts", now).await?;

    let account = store::credentials_by_email(&state.db, &email).await?;
    let (stored_hash, active) = match &account {
        Some(a) => (Some(a.password_hash.clone()), a.active == 1),
        None => (None, false),
    };
    let password_ok = password::verify(stored_hash, password).await?;
    // A failed attempt on a real account is logged on it, so its owner sees it too.
    let account_id = account.as_ref().map(|a| a.id.clone());
    let Some(account) = account.filter(|_| password_ok && active) else {
        let hold_back = attempt.failed(&state.db, &policy, now).await?;
        let mut conn = state.db.pool.acquire().await?;
        activity::store::record(
            &mut conn,
            activity::store::NewEntry {
                actor_id: None,
                actor_name: email.as_str(),
                action: Action::SignInFailed,
                entity_type: EntityType::User,
                entity_id: account_id.as_deref(),
                label: email.as_str(),
                changes: None,
            },
        )
        .await?;
        tokio::time::sleep(hold_back).await;
        return Err(AppError::BadCredentials);
    };

    let mut tx = state.db.transaction().await?;
    let (_, tokens) = session::start(&mut tx, &state.auth, &account.id, &client, now).await?;
    store::record_sign_in(&mut tx, &account.id, now).await?;
    activity::store::record(
        &mut tx,
        activity::store::NewEntry {
            actor_id: Some(&account.id),
            actor_name: &account.name,
            action: Action::SignIn,
            entity_type: EntityType::User,
            entity_id: Some(&account.id),
            label: &account.name,
            changes: None,
        },
    )
    .await?;
    tx.commit().await?;
    attempt.succeeded(&state.db).await?;

    send_cookies(session::set_cookies(&state.auth, &tokens));
    redirect(&safe_return_path(next.as_deref()));
    Ok(())
}

#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    let state = app_state()?;
    if let Some(viewer) = request_viewer() {
        let now = now_ms();
        let mut tx = state.db.transaction().await?;
        session::revoke(&mut tx, &viewer.session_id, now).await?;
        activity::store::record(
            &mut tx,
            activity::store::NewEntry {
                actor_id: Some(&viewer.id.0),
                actor_name: &viewer.name,
                action: Action::SignOut,
                entity_type: EntityType::User,
                entity_id: Some(&viewer.id.0),
                label: &viewer.name,
                changes: None,
            },
        )
        .await?;
        tx.commit().await?;
    }
    send_cookies(session::clear_cookies(&state.auth));
    redirect("/login");
    Ok(())
}

/// First run: creates the first admin and signs them in. Refused once any user exists.
#[server(prefix = "/api", endpoint = "setup")]
pub async fn setup(
    name: String,
    email: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    let state = app_state()?;
    // Cheap refusals first: a set-up Kith never hashes a password for this form.
    if store::user_count(&state.db).await? > 0 {
        return Err(already_set_up());
    }
    let form = accounts::AccountForm::parse(&name, &email, &password, Some(&password_confirm))?;
    let hash = accounts::password_hash(&form).await?;
    let now = now_ms();

    let mut tx = state.db.transaction().await?;
    if !store::claim_setup(&mut tx, now).await? {
        return Err(already_set_up());
    }
    let user = accounts::create_admin(&mut tx, &form, &hash).await?;
    let (_, tokens) = session::start(&mut tx, &state.auth, &user.0, &request_client(), now).await?;
    store::record_sign_in(&mut tx, &user.0, now).await?;
    tx.commit().await?;

    send_cookies(session::set_cookies(&state.auth, &tokens));
    redirect("/");
    Ok(())
}

#[cfg(feature = "ssr")]
fn already_set_up() -> AppError {
    AppError::Conflict("Kith is already set up. Sign in instead.".into())
}
