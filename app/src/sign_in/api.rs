//! Server functions for signing in and out and for first-run setup.

use super::SetupForm;
use crate::auth::Viewer;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::Checked;

#[cfg(feature = "ssr")]
use {
    super::{accounts, two_factor},
    crate::activity::{self, Action, EntityType},
    crate::auth::{password, safe_return_path, session, store, throttle, Email, NewPassword},
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
        log_failure(&state.db, email.as_str(), account_id.as_deref(), None).await?;
        tokio::time::sleep(hold_back).await;
        return Err(AppError::BadCredentials);
    };
    attempt.succeeded(&state.db).await?;

    let mut tx = state.db.transaction().await?;
    if two_factor::store::is_enabled(&mut tx, &account.id).await? {
        // The password was right; the session waits for the second factor.
        let token = two_factor::store::begin_sign_in(&mut tx, &account.id, now).await?;
        tx.commit().await?;
        send_cookies(vec![session::cookie_line(
            &state.auth,
            PENDING_COOKIE,
            &token,
            two_factor::store::PENDING_TTL_MS / 1000,
        )]);
        redirect(&code_page(next.as_deref()));
        return Ok(());
    }
    let tokens = open_session(&mut tx, &account.id, &account.name, None, now).await?;
    tx.commit().await?;
    send_cookies(session::set_cookies(&state.auth, &tokens));
    redirect(&safe_return_path(next.as_deref()));
    Ok(())
}

/// The cookie that carries a sign-in from its password to its code.
#[cfg(feature = "ssr")]
const PENDING_COOKIE: &str = "kith_pending_sign_in";

/// The second step of signing in, returning to `next` afterwards.
#[cfg(feature = "ssr")]
fn code_page(next: Option<&str>) -> String {
    let next = safe_return_path(next);
    let next: String =
        percent_encoding::utf8_percent_encode(&next, percent_encoding::NON_ALPHANUMERIC).collect();
    format!("/login/code?next={next}")
}

/// Starts a session in `tx`, notes the sign-in and logs it (with how the second
/// factor was proven, when there was one).
#[cfg(feature = "ssr")]
async fn open_session(
    tx: &mut sqlx::AnyConnection,
    user_id: &str,
    name: &str,
    proof: Option<two_factor::store::Proof>,
    now: i64,
) -> Result<session::IssuedTokens, AppError> {
    let state = app_state()?;
    let (_, tokens) = session::start(tx, &state.auth, user_id, &request_client(), now).await?;
    store::record_sign_in(tx, user_id, now).await?;
    let changes =
        proof.map(|p| serde_json::json!({ "second factor": ["", p.describe()] }).to_string());
    activity::store::NewEntry {
        actor_id: Some(user_id),
        actor_name: name,
        action: Action::SignIn,
        entity_type: EntityType::User,
        entity_id: Some(user_id),
        label: name,
        changes,
    }
    .record(tx)
    .await?;
    Ok(tokens)
}

/// A failed sign-in, logged on the account when there is one (its owner sees it).
#[cfg(feature = "ssr")]
async fn log_failure(
    db: &crate::db::Db,
    who: &str,
    account_id: Option<&str>,
    step: Option<&str>,
) -> Result<(), AppError> {
    let mut conn = db.pool.acquire().await?;
    let changes = step.map(|s| serde_json::json!({ "step": ["", s] }).to_string());
    activity::store::NewEntry {
        actor_id: None,
        actor_name: who,
        action: Action::SignInFailed,
        entity_type: EntityType::User,
        entity_id: account_id,
        label: who,
        changes,
    }
    .record(&mut conn)
    .await?;
    Ok(())
}

/// The second step: the code from the authenticator app, or a recovery code,
/// for the sign-in whose password was right a moment ago.
#[server(prefix = "/api", endpoint = "login/code")]
pub async fn login_code(code: String, next: Option<String>) -> Result<(), AppError> {
    let state = app_state()?;
    let policy = state.auth.throttle;
    let now = now_ms();
    let expired = || {
        AppError::Conflict(
            "This sign-in has run out of time. Sign in again with your password.".into(),
        )
    };
    let token = request_cookie(PENDING_COOKIE).ok_or_else(expired)?;
    let (user_id, name, email) =
        two_factor::store::pending_sign_in(&state.db, &token, now).await?.ok_or_else(expired)?;
    if code.trim().is_empty() {
        return Err(AppError::invalid("code", "Enter the code from your app."));
    }
    // Codes are throttled like passwords, and on their own counter.
    let counters = vec![
        throttle::Counter::address(&policy, &request_client().address),
        throttle::Counter::second_factor(&policy, &user_id),
    ];
    let attempt = throttle::reserve(&state.db, &policy, counters, "code attempts", now).await?;
    let mut tx = state.db.transaction().await?;
    let Some(proof) = two_factor::store::prove(&mut tx, &user_id, &code, now).await? else {
        tx.commit().await?;
        let hold_back = attempt.failed(&state.db, &policy, now).await?;
        log_failure(&state.db, &email, Some(&user_id), Some("two-factor code")).await?;
        tokio::time::sleep(hold_back).await;
        return Err(two_factor::store::wrong_code());
    };
    if !two_factor::store::finish_sign_in(&mut tx, &token).await? {
        return Err(expired());
    }
    let tokens = open_session(&mut tx, &user_id, &name, Some(proof), now).await?;
    tx.commit().await?;
    attempt.succeeded(&state.db).await?;
    let mut cookies = session::set_cookies(&state.auth, &tokens);
    cookies.push(session::cookie_line(&state.auth, PENDING_COOKIE, "", 0));
    send_cookies(cookies);
    redirect(&safe_return_path(next.as_deref()));
    Ok(())
}

/// Checks the viewer's current password before a change to their account,
/// throttled on its own counter (apart from sign-in, so wrong guesses here
/// cannot lock them out of signing in).
#[cfg(feature = "ssr")]
pub async fn check_current_password(
    viewer: &Viewer,
    current_password: String,
) -> Result<(), AppError> {
    let state = app_state()?;
    let policy = state.auth.throttle;
    let now = now_ms();
    if current_password.is_empty() {
        return Err(AppError::invalid("current_password", "Enter your current password."));
    }
    let counters = vec![throttle::Counter::password_check(&policy, viewer.id.as_str())];
    let attempt = throttle::reserve(&state.db, &policy, counters, "password checks", now).await?;
    let stored = store::password_hash(&state.db, &viewer.id).await?;
    if current_password.len() > NewPassword::MAX_LEN * 4
        || !password::verify(Some(stored), current_password).await?
    {
        let _ = attempt.failed(&state.db, &policy, now).await?;
        return Err(AppError::invalid("current_password", "That is not your current password."));
    }
    attempt.succeeded(&state.db).await
}

/// A cookie of this request, by name.
#[cfg(feature = "ssr")]
fn request_cookie(name: &str) -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|header| session::cookie_value(header, name).map(str::to_owned))
        .filter(|v| !v.is_empty())
}

#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    let state = app_state()?;
    if let Some(viewer) = request_viewer() {
        let now = now_ms();
        let mut tx = state.db.transaction().await?;
        session::revoke(&mut tx, &viewer.session_id, now).await?;
        activity::store::NewEntry {
            actor_id: Some(viewer.id.as_str()),
            actor_name: &viewer.name,
            action: Action::SignOut,
            entity_type: EntityType::User,
            entity_id: Some(viewer.id.as_str()),
            label: &viewer.name,
            changes: None,
        }
        .record(&mut tx)
        .await?;
        tx.commit().await?;
    }
    send_cookies(session::clear_cookies(&state.auth));
    redirect("/login");
    Ok(())
}

/// First run: creates the first admin and signs them in. Refused once any user exists.
#[server(prefix = "/api", endpoint = "setup")]
pub async fn setup(#[server(flatten)] form: SetupForm) -> Result<(), AppError> {
    let state = app_state()?;
    // Cheap refusals first: a set-up Kith never hashes a password for this form.
    if store::user_count(&state.db).await? > 0 {
        return Err(already_set_up());
    }
    let form = accounts::NewAccount::checked(&form)?;
    let hash = accounts::password_hash(&form).await?;
    let now = now_ms();

    let mut tx = state.db.transaction().await?;
    if !store::claim_setup(&mut tx, now).await? {
        return Err(already_set_up());
    }
    let user = accounts::create_admin(&mut tx, &form, &hash).await?;
    let (_, tokens) =
        session::start(&mut tx, &state.auth, user.as_str(), &request_client(), now).await?;
    store::record_sign_in(&mut tx, user.as_str(), now).await?;
    tx.commit().await?;

    send_cookies(session::set_cookies(&state.auth, &tokens));
    redirect("/");
    Ok(())
}

#[cfg(feature = "ssr")]
fn already_set_up() -> AppError {
    AppError::Conflict("Kith is already set up. Sign in instead.".into())
}
