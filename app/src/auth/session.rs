//! Sessions: starting one at sign-in, recognising the viewer on every request,
//! renewing an expired access token from the refresh token (rotating it), and
//! treating a reused refresh token as stolen.

use super::store::viewer_for_session;
use super::throttle::ThrottlePolicy;
use super::tokens::{hash_refresh_token, new_refresh_token, AccessTokenError, TokenKeys};
use super::Viewer;
use crate::db::{new_id, Db};
use crate::error::AppResult;
use sqlx::AnyConnection;

pub const ACCESS_COOKIE: &str = "kith_access";
pub const REFRESH_COOKIE: &str = "kith_refresh";

/// How sessions behave; built once from configuration.
#[derive(Clone)]
pub struct AuthSettings {
    pub keys: TokenKeys,
    pub access_ttl_secs: i64,
    pub refresh_ttl_secs: i64,
    /// A refresh token used again within this window (parallel requests) is not theft.
    pub reuse_grace_ms: i64,
    pub secure_cookies: bool,
    pub throttle: ThrottlePolicy,
}

impl AuthSettings {
    pub fn new(secret: &[u8]) -> Self {
        Self {
            keys: TokenKeys::from_secret(secret),
            access_ttl_secs: 15 * 60,
            refresh_ttl_secs: 14 * 24 * 60 * 60,
            reuse_grace_ms: 10_000,
            secure_cookies: false,
            throttle: ThrottlePolicy::default(),
        }
    }
}

/// Where a request came from, remembered on its session.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub user_agent: String,
    pub address: String,
}

/// New cookie values to send back. `refresh` is `None` when only the access
/// token was renewed (a parallel request inside the grace window).
#[derive(Debug, Clone)]
pub struct IssuedTokens {
    pub access: String,
    pub refresh: Option<String>,
}

#[derive(Debug)]
pub enum Authentication {
    SignedIn {
        viewer: Viewer,
        renewed: Option<IssuedTokens>,
    },
    /// `session_ended`: cookies were presented but no longer lead anywhere, so
    /// they are cleared and the person is told their session expired.
    Anonymous {
        session_ended: bool,
    },
}

fn now_secs(now_ms: i64) -> i64 {
    now_ms.div_euclid(1000)
}

/// Creates a session for `user_id` inside the caller's transaction.
pub async fn start(
    conn: &mut AnyConnection,
    settings: &AuthSettings,
    user_id: &str,
    client: &ClientInfo,
    now: i64,
) -> AppResult<(String, IssuedTokens)> {
    let session_id = new_id();
    sqlx::query(
        "INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at, revoked_at, user_agent, client_addr) \
         VALUES ($1, $2, $3, $3, $4, NULL, $5, $6)",
    )
    .bind(&session_id)
    .bind(user_id)
    .bind(now)
    .bind(now + settings.refresh_ttl_secs * 1000)
    .bind(truncate(&client.user_agent, 300))
    .bind(truncate(&client.address, 100))
    .execute(&mut *conn)
    .await?;
    let refresh = insert_refresh_token(conn, settings, &session_id, now).await?;
    let access =
        settings.keys.issue_access(user_id, &session_id, now_secs(now), settings.access_ttl_secs);
    Ok((session_id, IssuedTokens { access, refresh: Some(refresh) }))
}

async fn insert_refresh_token(
    conn: &mut AnyConnection,
    settings: &AuthSettings,
    session_id: &str,
    now: i64,
) -> AppResult<String> {
    let token = new_refresh_token();
    sqlx::query("INSERT INTO refresh_tokens (token_hash, session_id, issued_at, expires_at, used_at) VALUES ($1, $2, $3, $4, NULL)")
        .bind(hash_refresh_token(&token))
        .bind(session_id)
        .bind(now)
        .bind(now + settings.refresh_ttl_secs * 1000)
        .execute(&mut *conn)
        .await?;
    Ok(token)
}

fn truncate(s: &str, max_chars: usize) -> String {
    s.chars().take(max_chars).collect()
}

/// Recognises the viewer from the request's cookies, renewing the access token
/// from the refresh token when it has expired (or is missing or garbled).
pub async fn authenticate(
    db: &Db,
    settings: &AuthSettings,
    access: Option<&str>,
    refresh: Option<&str>,
    now: i64,
) -> AppResult<Authentication> {
    if let Some(token) = access.filter(|t| !t.is_empty()) {
        match settings.keys.verify_access(token) {
            Ok(claims) => {
                let viewer = viewer_for_session(db, &claims.sid, now)
                    .await?
                    .filter(|v| v.id.as_str() == claims.sub);
                return Ok(match viewer {
                    Some(viewer) => Authentication::SignedIn { viewer, renewed: None },
                    None => Authentication::Anonymous { session_ended: true },
                });
            }
            Err(AccessTokenError::Expired | AccessTokenError::Invalid) => {}
        }
    }
    match refresh.filter(|t| !t.is_empty()) {
        Some(token) => renew(db, settings, token, now).await,
        None => Ok(Authentication::Anonymous { session_ended: access.is_some() }),
    }
}

#[derive(sqlx::FromRow)]
struct RefreshRow {
    session_id: String,
    expires_at: i64,
    used_at: Option<i64>,
}

/// Exchanges a refresh token for a new pair, rotating it. A token used before
/// (outside the grace window) revokes its whole session: it was stolen.
async fn renew(
    db: &Db,
    settings: &AuthSettings,
    token: &str,
    now: i64,
) -> AppResult<Authentication> {
    let ended = Authentication::Anonymous { session_ended: true };
    let hash = hash_refresh_token(token);
    let row: Option<RefreshRow> = sqlx::query_as(
        "SELECT session_id, expires_at, used_at FROM refresh_tokens WHERE token_hash = $1",
    )
    .bind(&hash)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(ended) };
    if row.expires_at <= now {
        return Ok(ended);
    }
    if let Some(used_at) = row.used_at {
        return reused(db, settings, &row.session_id, used_at, now).await;
    }

    let mut tx = db.transaction().await?;
    let claimed = sqlx::query(
        "UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL",
    )
    .bind(&hash)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if claimed.rows_affected() == 0 {
        // A parallel request rotated it a moment ago.
        tx.rollback().await?;
        return reused(db, settings, &row.session_id, now, now).await;
    }
    let new_refresh = insert_refresh_token(&mut tx, settings, &row.session_id, now).await?;
    sqlx::query("UPDATE sessions SET last_used_at = $2, expires_at = $3 WHERE id = $1 AND revoked_at IS NULL")
        .bind(&row.session_id)
        .bind(now)
        .bind(now + settings.refresh_ttl_secs * 1000)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;

    Ok(match viewer_for_session(db, &row.session_id, now).await? {
        Some(viewer) => renewed(settings, viewer, now, Some(new_refresh)),
        None => ended,
    })
}

async fn reused(
    db: &Db,
    settings: &AuthSettings,
    session_id: &str,
    used_at: i64,
    now: i64,
) -> AppResult<Authentication> {
    if now - used_at > settings.reuse_grace_ms {
        let mut conn = db.pool.acquire().await?;
        let revoked = revoke(&mut conn, session_id, now).await?;
        if revoked {
            tracing::warn!(session_id, "refresh token reused after rotation; session revoked");
        }
        return Ok(Authentication::Anonymous { session_ended: true });
    }
    Ok(match viewer_for_session(db, session_id, now).await? {
        Some(viewer) => renewed(settings, viewer, now, None),
        None => Authentication::Anonymous { session_ended: true },
    })
}

/// A signed-in result with a fresh access token (and a rotated refresh token, if any).
fn renewed(
    settings: &AuthSettings,
    viewer: Viewer,
    now: i64,
    refresh: Option<String>,
) -> Authentication {
    let access = settings.keys.issue_access(
        viewer.id.as_str(),
        &viewer.session_id,
        now_secs(now),
        settings.access_ttl_secs,
    );
    Authentication::SignedIn { viewer, renewed: Some(IssuedTokens { access, refresh }) }
}

/// Ends one session (sign-out, or a stolen token). Returns whether it was live.
pub async fn revoke(conn: &mut AnyConnection, session_id: &str, now: i64) -> AppResult<bool> {
    let done =
        sqlx::query("UPDATE sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
            .bind(session_id)
            .bind(now)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() > 0)
}

/// Forgets refresh tokens and sessions long past their expiry. Idempotent, so
/// several instances may run it at once.
pub async fn prune_expired(db: &Db, now: i64) -> AppResult<u64> {
    let tokens = sqlx::query("DELETE FROM refresh_tokens WHERE expires_at < $1")
        .bind(now)
        .execute(&db.pool)
        .await?;
    let sessions = sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
        .bind(now)
        .execute(&db.pool)
        .await?;
    Ok(tokens.rows_affected() + sessions.rows_affected())
}

/// `Set-Cookie` values that store `tokens`.
pub fn set_cookies(settings: &AuthSettings, tokens: &IssuedTokens) -> Vec<String> {
    let mut cookies =
        vec![cookie_line(settings, ACCESS_COOKIE, &tokens.access, settings.access_ttl_secs)];
    if let Some(refresh) = &tokens.refresh {
        cookies.push(cookie_line(settings, REFRESH_COOKIE, refresh, settings.refresh_ttl_secs));
    }
    cookies
}

/// `Set-Cookie` values that remove both session cookies.
pub fn clear_cookies(settings: &AuthSettings) -> Vec<String> {
    vec![cookie_line(settings, ACCESS_COOKIE, "", 0), cookie_line(settings, REFRESH_COOKIE, "", 0)]
}

/// A `Set-Cookie` value for one of Kith's cookies (HttpOnly, SameSite=Lax, Secure over https).
pub fn cookie_line(settings: &AuthSettings, name: &str, value: &str, max_age_secs: i64) -> String {
    cookie::Cookie::build((name, value))
        .path("/")
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .http_only(true)
        .same_site(cookie::SameSite::Lax)
        .secure(settings.secure_cookies)
        .build()
        .to_string()
}

/// Reads a cookie's value from a `Cookie` request header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    cookie::Cookie::split_parse(header)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == name)
        .and_then(|cookie| cookie.value_raw())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_http_only_and_same_site_lax() {
        let mut settings = AuthSettings::new(b"secret");
        let tokens = IssuedTokens { access: "a".into(), refresh: Some("r".into()) };
        let lines = set_cookies(&settings, &tokens);
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| l.contains("HttpOnly") && l.contains("SameSite=Lax")));
        assert!(lines.iter().all(|l| !l.contains("Secure")));
        settings.secure_cookies = true;
        assert!(set_cookies(&settings, &tokens).iter().all(|l| {
            cookie::Cookie::parse(l.as_str()).is_ok_and(|c| c.secure() == Some(true))
        }));
    }

    #[test]
    fn cookie_values_are_found_by_exact_name() {
        let header = "other=1; kith_access=abc.def; kith_refresh_x=no; kith_refresh=xyz";
        assert_eq!(cookie_value(header, ACCESS_COOKIE), Some("abc.def"));
        assert_eq!(cookie_value(header, REFRESH_COOKIE), Some("xyz"));
        assert_eq!(cookie_value("garbage", ACCESS_COOKIE), None);
    }
}
