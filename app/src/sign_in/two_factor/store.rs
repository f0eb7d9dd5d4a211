//! Two-factor sign-in in the database: authenticator secrets, recovery codes
//! (hashed), sign-ins waiting for their code, and the codes shown once.

pub use super::codes::{code_at, Proof};

use super::codes::{
    authenticator_code, grouped, matching_step, new_recovery_code, new_secret, qr_svg,
    recovery_hash, totp,
};
use super::{Enrolment, TwoFactorStatus, RECOVERY_CODES};
use crate::activity::store::NewEntry;
use crate::activity::{Action, EntityType};
use crate::auth::store::revoke_all_sessions;
use crate::auth::tokens::{hash_refresh_token, new_refresh_token};
use crate::auth::{UserId, Viewer};
use crate::db::{applied, Db};
use crate::error::{AppError, AppResult};
use sqlx::AnyConnection;

/// How long a sign-in may wait for its code after the password.
pub const PENDING_TTL_MS: i64 = 5 * 60 * 1000;
/// How long fresh recovery codes wait for the page that shows them.
const REVEAL_TTL_MS: i64 = 10 * 60 * 1000;

#[derive(sqlx::FromRow)]
struct SecretRow {
    secret: String,
    confirmed_at: Option<i64>,
}

async fn secret_of(conn: &mut AnyConnection, user_id: &str) -> AppResult<Option<SecretRow>> {
    Ok(sqlx::query_as("SELECT secret, confirmed_at FROM user_totp WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?)
}

pub async fn is_enabled(conn: &mut AnyConnection, user_id: &str) -> AppResult<bool> {
    Ok(secret_of(conn, user_id).await?.is_some_and(|s| s.confirmed_at.is_some()))
}

/// The viewer's standing, with any recovery codes made for this session
/// handed over (and forgotten) now.
pub async fn status(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    required: bool,
) -> AppResult<TwoFactorStatus> {
    let secret = secret_of(conn, viewer.id.as_str()).await?;
    let (left,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
    )
    .bind(viewer.id.as_str())
    .fetch_one(&mut *conn)
    .await?;
    let revealed: Option<(String, i64)> = sqlx::query_as(
        "DELETE FROM recovery_code_reveals WHERE session_id = $1 RETURNING codes, expires_at",
    )
    .bind(&viewer.session_id)
    .fetch_optional(&mut *conn)
    .await?;
    let fresh_recovery_codes = revealed
        .filter(|(_, expires_at)| *expires_at > crate::db::now_ms())
        .and_then(|(codes, _)| serde_json::from_str(&codes).ok())
        .unwrap_or_default();
    let setup = match &secret {
        Some(row) if row.confirmed_at.is_none() => Some(Enrolment {
            secret: grouped(&row.secret),
            qr_svg: qr_svg(&row.secret, &viewer.email)?,
        }),
        _ => None,
    };
    Ok(TwoFactorStatus {
        enabled: secret.is_some_and(|s| s.confirmed_at.is_some()),
        setup,
        recovery_codes_left: left,
        fresh_recovery_codes,
        required,
    })
}

fn already_on() -> AppError {
    AppError::Conflict("Two-factor sign-in is already on.".into())
}

fn not_on() -> AppError {
    AppError::Conflict("Two-factor sign-in is not on.".into())
}

/// The answer to a code that does not prove the second factor.
pub fn wrong_code() -> AppError {
    AppError::invalid(
        "code",
        "That code is not right. Enter the newest code from your app, or an unused recovery code.",
    )
}

/// Starts (or starts again) setting up an authenticator: a new secret, not yet confirmed.
pub async fn start(conn: &mut AnyConnection, viewer: &Viewer, now: i64) -> AppResult<()> {
    if is_enabled(conn, viewer.id.as_str()).await? {
        return Err(already_on());
    }
    sqlx::query(
        "INSERT INTO user_totp (user_id, secret, confirmed_at, last_step, created_at) VALUES ($1, $2, NULL, 0, $3) \
         ON CONFLICT (user_id) DO UPDATE SET secret = $2, confirmed_at = NULL, last_step = 0, created_at = $3",
    )
    .bind(viewer.id.as_str())
    .bind(new_secret())
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Confirms the new authenticator with its first code: two-factor sign-in is
/// on, and ten recovery codes are made (shown once, to this session).
pub async fn confirm(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    raw: &str,
    now: i64,
) -> AppResult<()> {
    let row = secret_of(conn, viewer.id.as_str()).await?;
    let Some(row) = row else {
        return Err(AppError::Conflict("Start setting up two-factor sign-in first.".into()));
    };
    if row.confirmed_at.is_some() {
        return Err(already_on());
    }
    let step = authenticator_code(raw)
        .and_then(|code| matching_step(&totp(&row.secret, "").ok()?, &code, now))
        .ok_or_else(|| {
            AppError::invalid("code", "That code is not right. Enter the code your app shows now.")
        })?;
    let done = sqlx::query(
        "UPDATE user_totp SET confirmed_at = $2, last_step = $3 WHERE user_id = $1 AND confirmed_at IS NULL",
    )
    .bind(viewer.id.as_str())
    .bind(now)
    .bind(step)
    .execute(&mut *conn)
    .await?;
    applied(done, already_on)?;
    replace_recovery_codes(conn, viewer, now).await?;
    log(conn, viewer, Action::TwoFactorOn, viewer.id.as_str(), &viewer.name).await
}

/// New recovery codes for the viewer; the old ones stop working.
pub async fn renew_recovery_codes(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    now: i64,
) -> AppResult<()> {
    if !is_enabled(conn, viewer.id.as_str()).await? {
        return Err(not_on());
    }
    replace_recovery_codes(conn, viewer, now).await?;
    log(conn, viewer, Action::RecoveryCodesRenewed, viewer.id.as_str(), &viewer.name).await
}

async fn replace_recovery_codes(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    now: i64,
) -> AppResult<()> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(viewer.id.as_str())
        .execute(&mut *conn)
        .await?;
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
    for code in &codes {
        sqlx::query(
            "INSERT INTO recovery_codes (code_hash, user_id, used_at) VALUES ($1, $2, NULL)",
        )
        .bind(recovery_hash(code))
        .bind(viewer.id.as_str())
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(
        "INSERT INTO recovery_code_reveals (session_id, codes, expires_at) VALUES ($1, $2, $3) \
         ON CONFLICT (session_id) DO UPDATE SET codes = $2, expires_at = $3",
    )
    .bind(&viewer.session_id)
    .bind(serde_json::to_string(&codes).unwrap_or_default())
    .bind(now + REVEAL_TTL_MS)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Checks a second factor for `user_id` and uses it up: an authenticator code
/// is accepted once (never a step already used), a recovery code once ever.
pub async fn prove(
    conn: &mut AnyConnection,
    user_id: &str,
    raw: &str,
    now: i64,
) -> AppResult<Option<Proof>> {
    let Some(row) = secret_of(conn, user_id).await? else {
        return Ok(None);
    };
    if row.confirmed_at.is_none() {
        return Ok(None);
    }
    if let Some(code) = authenticator_code(raw) {
        let Some(step) = matching_step(&totp(&row.secret, "")?, &code, now) else {
            return Ok(None);
        };
        let done = sqlx::query(
            "UPDATE user_totp SET last_step = $2 WHERE user_id = $1 AND last_step < $2 AND confirmed_at IS NOT NULL",
        )
        .bind(user_id)
        .bind(step)
        .execute(&mut *conn)
        .await?;
        return Ok((done.rows_affected() == 1).then_some(Proof::Authenticator));
    }
    if raw.len() > 64 {
        return Ok(None);
    }
    let done = sqlx::query(
        "UPDATE recovery_codes SET used_at = $3 WHERE code_hash = $1 AND user_id = $2 AND used_at IS NULL",
    )
    .bind(recovery_hash(raw))
    .bind(user_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok((done.rows_affected() == 1).then_some(Proof::RecoveryCode))
}

/// Turns the viewer's two-factor sign-in off (the caller has checked their password).
pub async fn disable(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    raw: &str,
    now: i64,
) -> AppResult<()> {
    if !is_enabled(conn, viewer.id.as_str()).await? {
        return Err(not_on());
    }
    if prove(conn, viewer.id.as_str(), raw, now).await?.is_none() {
        return Err(wrong_code());
    }
    remove(conn, viewer.id.as_str()).await?;
    log(conn, viewer, Action::TwoFactorOff, viewer.id.as_str(), &viewer.name).await
}

/// An admin clears someone's two-factor sign-in (a lost phone): their sessions
/// end, and they sign in with their password alone until they set it up again.
pub async fn reset(
    conn: &mut AnyConnection,
    admin: &Viewer,
    user: &UserId,
    now: i64,
) -> AppResult<()> {
    let name: Option<(String,)> =
        sqlx::query_as("SELECT name FROM users WHERE id = $1 AND deleted_at IS NULL")
            .bind(user.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    let (name,) = name.ok_or(AppError::NotFound)?;
    if !is_enabled(conn, user.as_str()).await? {
        return Err(not_on());
    }
    remove(conn, user.as_str()).await?;
    revoke_all_sessions(conn, user.as_str(), None, now).await?;
    log(conn, admin, Action::TwoFactorReset, user.as_str(), &name).await
}

async fn remove(conn: &mut AnyConnection, user_id: &str) -> AppResult<()> {
    for sql in [
        "DELETE FROM user_totp WHERE user_id = $1",
        "DELETE FROM recovery_codes WHERE user_id = $1",
        "DELETE FROM pending_sign_ins WHERE user_id = $1",
    ] {
        sqlx::query(sql).bind(user_id).execute(&mut *conn).await?;
    }
    Ok(())
}

async fn log(
    conn: &mut AnyConnection,
    actor: &Viewer,
    action: Action,
    user_id: &str,
    label: &str,
) -> AppResult<()> {
    NewEntry {
        actor_id: Some(actor.id.as_str()),
        actor_name: &actor.name,
        action,
        entity_type: EntityType::User,
        entity_id: Some(user_id),
        label,
        changes: None,
    }
    .record(conn)
    .await?;
    Ok(())
}

/// After the right password: a token for the browser to come back with its code.
pub async fn begin_sign_in(conn: &mut AnyConnection, user_id: &str, now: i64) -> AppResult<String> {
    let token = new_refresh_token();
    sqlx::query(
        "INSERT INTO pending_sign_ins (token_hash, user_id, expires_at) VALUES ($1, $2, $3)",
    )
    .bind(hash_refresh_token(&token))
    .bind(user_id)
    .bind(now + PENDING_TTL_MS)
    .execute(&mut *conn)
    .await?;
    Ok(token)
}

/// The account a pending sign-in is for, while it lasts.
pub async fn pending_sign_in(
    db: &Db,
    token: &str,
    now: i64,
) -> AppResult<Option<(String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.name, u.email FROM pending_sign_ins p JOIN users u ON u.id = p.user_id \
         WHERE p.token_hash = $1 AND p.expires_at > $2 AND u.active = 1",
    )
    .bind(hash_refresh_token(token))
    .bind(now)
    .fetch_optional(&db.pool)
    .await?)
}

/// Ends a pending sign-in (it became a session); `false` when it was already used.
pub async fn finish_sign_in(conn: &mut AnyConnection, token: &str) -> AppResult<bool> {
    let done = sqlx::query("DELETE FROM pending_sign_ins WHERE token_hash = $1")
        .bind(hash_refresh_token(token))
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Forgets pending sign-ins and unread recovery codes that have run out; idempotent.
pub async fn prune(db: &Db, now: i64) -> AppResult<()> {
    for sql in [
        "DELETE FROM pending_sign_ins WHERE expires_at < $1",
        "DELETE FROM recovery_code_reveals WHERE expires_at < $1",
    ] {
        sqlx::query(sql).bind(now).execute(&db.pool).await?;
    }
    Ok(())
}
