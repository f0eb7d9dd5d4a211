//! Two-factor sign-in in the database: authenticator secrets, recovery codes
//! (hashed), sign-ins waiting for their code, and the codes shown once.

use super::{Enrolment, TwoFactorStatus, RECOVERY_CODES};
use crate::activity::store::{record, NewEntry};
use crate::activity::{Action, EntityType};
use crate::auth::store::revoke_all_sessions;
use crate::auth::tokens::{hash_refresh_token, new_refresh_token};
use crate::auth::{UserId, Viewer};
use crate::db::{applied, Db};
use crate::error::{AppError, AppResult};
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;
use totp_rs::{Algorithm, Secret, TOTP};

/// The name authenticator apps show above the code.
const ISSUER: &str = "Kith";
/// RFC 6238's step: a code lives 30 seconds…
const STEP_SECS: i64 = 30;
/// …and the one before and after are accepted too, for clocks that drift.
const DRIFT_STEPS: i64 = 1;
/// How long a sign-in may wait for its code after the password.
pub const PENDING_TTL_MS: i64 = 5 * 60 * 1000;
/// How long fresh recovery codes wait for the page that shows them.
const REVEAL_TTL_MS: i64 = 10 * 60 * 1000;

/// How a second factor was proven.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proof {
    Authenticator,
    RecoveryCode,
}

impl Proof {
    pub fn describe(self) -> &'static str {
        match self {
            Self::Authenticator => "an authenticator code",
            Self::RecoveryCode => "a recovery code",
        }
    }
}

fn totp(secret: &str, account: &str) -> AppResult<TOTP> {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().map_err(|e| {
        AppError::internal(
            "stored authenticator secret is not base32",
            format!("{e:?}"),
        )
    })?;
    TOTP::new(
        Algorithm::SHA1,
        6,
        0,
        STEP_SECS as u64,
        bytes,
        Some(ISSUER.to_owned()),
        account.to_owned(),
    )
    .map_err(|e| AppError::internal("authenticator secret refused", format!("{e:?}")))
}

/// A new secret: 160 random bits (RFC 4226's recommendation), base32.
fn new_secret() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 20];
    rand::thread_rng().fill_bytes(&mut bytes);
    match Secret::Raw(bytes.to_vec()).to_encoded() {
        Secret::Encoded(text) => text,
        Secret::Raw(_) => String::new(),
    }
}

/// The code an authenticator shows for `secret` at `unix_secs`.
pub fn code_at(secret: &str, unix_secs: i64) -> AppResult<String> {
    Ok(totp(secret, "")?.generate(unix_secs.max(0) as u64))
}

/// The secret in groups of four, as people type it.
fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

fn qr_svg(secret: &str, account: &str) -> AppResult<String> {
    let url = totp(secret, account)?.get_url();
    let code = qrcode::QrCode::new(url.as_bytes()).map_err(|e| AppError::internal("QR code", e))?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    // Inline in the page: the XML declaration has no place there.
    Ok(svg
        .split_once("?>")
        .map_or(svg.clone(), |(_, rest)| rest.trim().to_owned()))
}

/// A recovery code: ten letters and digits without look-alikes, in two groups.
fn new_recovery_code() -> String {
    let code = crate::auth::password::generate().replace('-', "");
    format!("{}-{}", &code[..5], &code[5..10])
}

/// What is kept of a recovery code: a hash of it as typed, loosely (case, spaces and dashes don't matter).
fn recovery_hash(raw: &str) -> String {
    let normal: String = raw
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    hex::encode(Sha256::digest(normal.as_bytes()))
}

/// Six digits as typed (spaces allowed), or `None` for anything else.
fn authenticator_code(raw: &str) -> Option<String> {
    let digits: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    (digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// The 30-second step a matching code belongs to, near `now`.
fn matching_step(totp: &TOTP, code: &str, now_ms: i64) -> Option<i64> {
    let now_step = now_ms.div_euclid(1000) / STEP_SECS;
    (now_step - DRIFT_STEPS..=now_step + DRIFT_STEPS)
        .find(|step| totp.check(code, (step * STEP_SECS).max(0) as u64))
}

#[derive(sqlx::FromRow)]
struct SecretRow {
    secret: String,
    confirmed_at: Option<i64>,
}

async fn secret_of(conn: &mut AnyConnection, user_id: &str) -> AppResult<Option<SecretRow>> {
    Ok(
        sqlx::query_as("SELECT secret, confirmed_at FROM user_totp WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

pub async fn is_enabled(conn: &mut AnyConnection, user_id: &str) -> AppResult<bool> {
    Ok(secret_of(conn, user_id)
        .await?
        .is_some_and(|s| s.confirmed_at.is_some()))
}

/// The viewer's standing, with any recovery codes made for this session
/// handed over (and forgotten) now.
pub async fn status(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    required: bool,
) -> AppResult<TwoFactorStatus> {
    let secret = secret_of(conn, &viewer.id.0).await?;
    let (left,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
    )
    .bind(&viewer.id.0)
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

fn wrong_code() -> AppError {
    AppError::invalid(
        "code",
        "That code is not right. Enter the newest code from your app, or an unused recovery code.",
    )
}

/// Starts (or starts again) setting up an authenticator: a new secret, not yet confirmed.
pub async fn start(conn: &mut AnyConnection, viewer: &Viewer, now: i64) -> AppResult<()> {
    if is_enabled(conn, &viewer.id.0).await? {
        return Err(already_on());
    }
    sqlx::query(
        "INSERT INTO user_totp (user_id, secret, confirmed_at, last_step, created_at) VALUES ($1, $2, NULL, 0, $3) \
         ON CONFLICT (user_id) DO UPDATE SET secret = $2, confirmed_at = NULL, last_step = 0, created_at = $3",
    )
    .bind(&viewer.id.0)
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
    let row = secret_of(conn, &viewer.id.0).await?;
    let Some(row) = row else {
        return Err(AppError::Conflict(
            "Start setting up two-factor sign-in first.".into(),
        ));
    };
    if row.confirmed_at.is_some() {
        return Err(already_on());
    }
    let step = authenticator_code(raw)
        .and_then(|code| matching_step(&totp(&row.secret, "").ok()?, &code, now))
        .ok_or_else(|| {
            AppError::invalid(
                "code",
                "That code is not right. Enter the code your app shows now.",
            )
        })?;
    let done = sqlx::query(
        "UPDATE user_totp SET confirmed_at = $2, last_step = $3 WHERE user_id = $1 AND confirmed_at IS NULL",
    )
    .bind(&viewer.id.0)
    .bind(now)
    .bind(step)
    .execute(&mut *conn)
    .await?;
    applied(done, already_on)?;
    replace_recovery_codes(conn, viewer, now).await?;
    log(
        conn,
        viewer,
        Action::TwoFactorOn,
        &viewer.id.0,
        &viewer.name,
    )
    .await
}

/// New recovery codes for the viewer; the old ones stop working.
pub async fn renew_recovery_codes(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    now: i64,
) -> AppResult<()> {
    if !is_enabled(conn, &viewer.id.0).await? {
        return Err(not_on());
    }
    replace_recovery_codes(conn, viewer, now).await?;
    log(
        conn,
        viewer,
        Action::RecoveryCodesRenewed,
        &viewer.id.0,
        &viewer.name,
    )
    .await
}

async fn replace_recovery_codes(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    now: i64,
) -> AppResult<()> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(&viewer.id.0)
        .execute(&mut *conn)
        .await?;
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
    for code in &codes {
        sqlx::query(
            "INSERT INTO recovery_codes (code_hash, user_id, used_at) VALUES ($1, $2, NULL)",
        )
        .bind(recovery_hash(code))
        .bind(&viewer.id.0)
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
    if !is_enabled(conn, &viewer.id.0).await? {
        return Err(not_on());
    }
    if prove(conn, &viewer.id.0, raw, now).await?.is_none() {
        return Err(wrong_code());
    }
    remove(conn, &viewer.id.0).await?;
    log(
        conn,
        viewer,
        Action::TwoFactorOff,
        &viewer.id.0,
        &viewer.name,
    )
    .await
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
            .bind(&user.0)
            .fetch_optional(&mut *conn)
            .await?;
    let (name,) = name.ok_or(AppError::NotFound)?;
    if !is_enabled(conn, &user.0).await? {
        return Err(not_on());
    }
    remove(conn, &user.0).await?;
    revoke_all_sessions(conn, &user.0, None, now).await?;
    log(conn, admin, Action::TwoFactorReset, &user.0, &name).await
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
    record(
        conn,
        NewEntry {
            actor_id: Some(&actor.id.0),
            actor_name: &actor.name,
            action,
            entity_type: EntityType::User,
            entity_id: Some(user_id),
            label,
            changes: None,
        },
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_accepted_near_its_time_and_not_far_from_it() {
        let secret = new_secret();
        let totp = totp(&secret, "ana@kith.test").expect("totp");
        let now_ms = 1_780_000_000_000;
        let code = code_at(&secret, now_ms / 1000).expect("code");
        let step = now_ms / 1000 / STEP_SECS;
        assert_eq!(matching_step(&totp, &code, now_ms), Some(step));
        assert_eq!(matching_step(&totp, &code, now_ms + 30_000), Some(step));
        assert_eq!(matching_step(&totp, &code, now_ms + 95_000), None);
    }

    #[test]
    fn recovery_codes_match_however_they_are_typed() {
        let code = new_recovery_code();
        assert_eq!(code.len(), 11);
        assert_eq!(
            recovery_hash(&code),
            recovery_hash(&code.to_uppercase().replace('-', " "))
        );
        assert_ne!(recovery_hash(&code), recovery_hash(&new_recovery_code()));
    }

    #[test]
    fn only_six_digits_are_an_authenticator_code() {
        assert_eq!(authenticator_code(" 123 456 "), Some("123456".into()));
        assert_eq!(authenticator_code("12345"), None);
        assert_eq!(authenticator_code("abcdef"), None);
    }

    #[test]
    fn the_qr_code_is_an_inline_svg() {
        let svg = qr_svg(&new_secret(), "ana@kith.test").expect("svg");
        assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
    }
}
