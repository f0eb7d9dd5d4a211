//! API tokens in the database: made (and handed to the page that made them, once),
//! listed, revoked, and checked on each request that presents one. Creating a token,
//! its first use and its revocation are logged on its owner.

use super::{ApiToken, TokenDraft, TokenScope, SHOWN_CHARS, TOKEN_PREFIX};
use crate::activity::store::NewEntry;
use crate::activity::{Action, Logged as _};
use crate::auth::store::viewer_by_id;
use crate::auth::tokens::{hash_refresh_token as hash, new_refresh_token};
use crate::auth::Viewer;
use crate::db::{applied, now_ms};
use crate::error::{AppError, AppResult};
use crate::ids::{ApiTokenId, UserId};
use sqlx::AnyConnection;

/// How long a token made just now waits for the page that shows it.
const REVEAL_TTL_MS: i64 = 10 * 60 * 1000;
/// A token's last use is written at most this often.
const USE_NOTED_EVERY_MS: i64 = 60 * 1000;
const DAY_MS: i64 = 24 * 3600 * 1000;

const COLUMNS: &str = "t.id, t.name, t.prefix, t.scope, u.name AS owner, t.created_at, \
    t.expires_at, t.last_used_at, t.last_used_from, t.revoked_at";

#[derive(sqlx::FromRow)]
struct TokenRow {
    id: ApiTokenId,
    name: String,
    prefix: String,
    scope: String,
    owner: String,
    created_at: i64,
    expires_at: Option<i64>,
    last_used_at: Option<i64>,
    last_used_from: Option<String>,
    revoked_at: Option<i64>,
}

impl TokenRow {
    fn into_token(self) -> ApiToken {
        ApiToken {
            id: self.id,
            name: self.name,
            prefix: self.prefix,
            scope: TokenScope::parse(&self.scope).unwrap_or_default(),
            owner: self.owner,
            created_at: self.created_at,
            expires_at: self.expires_at,
            last_used_at: self.last_used_at,
            last_used_from: self.last_used_from,
            revoked_at: self.revoked_at,
        }
    }
}

async fn log(
    conn: &mut AnyConnection,
    actor: &Viewer,
    action: Action,
    owner: &UserId,
    name: &str,
) -> AppResult<()> {
    NewEntry::by(actor, action, owner.entity(), name).record(conn).await?;
    Ok(())
}

/// Makes a token for `owner` as `draft` says; the token itself is returned (it is
/// not kept).
pub async fn create(
    conn: &mut AnyConnection,
    actor: &Viewer,
    owner: &UserId,
    draft: &TokenDraft,
) -> AppResult<String> {
    let token = format!("{TOKEN_PREFIX}{}", new_refresh_token());
    let now = now_ms();
    sqlx::query(
        "INSERT INTO api_tokens (id, user_id, name, prefix, token_hash, scope, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(ApiTokenId::generate().as_str())
    .bind(owner.as_str())
    .bind(&draft.name)
    .bind(&token[..SHOWN_CHARS])
    .bind(hash(&token))
    .bind(draft.scope.as_str())
    .bind(now)
    .bind(draft.days.map(|days| now + i64::from(days) * DAY_MS))
    .execute(&mut *conn)
    .await?;
    log(conn, actor, Action::TokenCreate, owner, &draft.name).await?;
    Ok(token)
}

/// Keeps `token` for the viewer's session's next look at the tokens page.
pub async fn reveal_later(conn: &mut AnyConnection, viewer: &Viewer, token: &str) -> AppResult<()> {
    sqlx::query("DELETE FROM api_token_reveals WHERE session_id = $1 OR expires_at < $2")
        .bind(&viewer.session_id)
        .bind(now_ms())
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO api_token_reveals (session_id, token, expires_at) VALUES ($1, $2, $3)",
    )
    .bind(&viewer.session_id)
    .bind(token)
    .bind(now_ms() + REVEAL_TTL_MS)
    .execute(conn)
    .await?;
    Ok(())
}

/// The token made just now in the viewer's session, handed over (and forgotten) now.
pub async fn revealed(conn: &mut AnyConnection, viewer: &Viewer) -> AppResult<Option<String>> {
    let row: Option<(String, i64)> = sqlx::query_as(
        "DELETE FROM api_token_reveals WHERE session_id = $1 RETURNING token, expires_at",
    )
    .bind(&viewer.session_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.filter(|(_, expires_at)| *expires_at > now_ms()).map(|(token, _)| token))
}

/// The tokens of `owner`, or everyone's (`None`), newest first.
pub async fn list(conn: &mut AnyConnection, owner: Option<&UserId>) -> AppResult<Vec<ApiToken>> {
    let rows: Vec<TokenRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id \
         WHERE $1 = '' OR t.user_id = $1 ORDER BY t.created_at DESC, t.id DESC LIMIT 500"
    ))
    .bind(owner.map_or("", UserId::as_str))
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(TokenRow::into_token).collect())
}

/// Revokes a token: the viewer's own, or anyone's for an admin. One the viewer may
/// not touch answers as one that does not exist.
pub async fn revoke(conn: &mut AnyConnection, viewer: &Viewer, id: &ApiTokenId) -> AppResult<()> {
    let found: Option<(UserId, String)> = sqlx::query_as(
        "SELECT user_id, name FROM api_tokens WHERE id = $1 AND ($2 = '' OR user_id = $2)",
    )
    .bind(id.as_str())
    .bind(if viewer.is_admin() { "" } else { viewer.id.as_str() })
    .fetch_optional(&mut *conn)
    .await?;
    let (owner, name) = found.ok_or(AppError::NotFound)?;
    let done =
        sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now_ms())
            .bind(id.as_str())
            .execute(&mut *conn)
            .await?;
    applied(done, || AppError::Conflict("This token was already revoked.".to_owned()))?;
    log(conn, viewer, Action::TokenRevoke, &owner, &name).await
}

/// Revokes every token of a user (deactivated or deleted).
pub async fn revoke_all_of(conn: &mut AnyConnection, owner: &UserId, now: i64) -> AppResult<()> {
    sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
        .bind(now)
        .bind(owner.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct PresentedRow {
    id: ApiTokenId,
    user_id: UserId,
    name: String,
    scope: String,
    expires_at: Option<i64>,
    last_used_at: Option<i64>,
}

/// Who a presented token acts for and what it may do: `None` for a token that is
/// unknown, revoked or expired, or whose owner is no longer active. Its use is
/// noted (at most once a minute) with the address it came from; its first use is logged.
/// Who a token acts for, and how.
pub struct Holder {
    /// Its owner, as they are now.
    pub viewer: Viewer,
    pub scope: TokenScope,
    pub token_id: String,
}

pub async fn authenticate(
    conn: &mut AnyConnection,
    token: &str,
    from: &str,
) -> AppResult<Option<Holder>> {
    if !token.starts_with(TOKEN_PREFIX) {
        return Ok(None);
    }
    let now = now_ms();
    let row: Option<PresentedRow> = sqlx::query_as(
        "SELECT id, user_id, name, scope, expires_at, last_used_at FROM api_tokens \
         WHERE token_hash = $1 AND revoked_at IS NULL",
    )
    .bind(hash(token))
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row.filter(|row| row.expires_at.is_none_or(|at| at > now)) else {
        return Ok(None);
    };
    let Some(mut viewer) = viewer_by_id(conn, &row.user_id).await? else {
        return Ok(None);
    };
    viewer.session_id = format!("token:{}", row.id);
    if row.last_used_at.is_none_or(|at| at + USE_NOTED_EVERY_MS <= now) {
        let first = sqlx::query(
            "UPDATE api_tokens SET last_used_at = $1, last_used_from = $2 \
             WHERE id = $3 AND (last_used_at IS NULL OR last_used_at <= $4)",
        )
        .bind(now)
        .bind(from)
        .bind(row.id.as_str())
        .bind(now - USE_NOTED_EVERY_MS)
        .execute(&mut *conn)
        .await?;
        if row.last_used_at.is_none() && first.rows_affected() == 1 {
            log(conn, &viewer, Action::TokenFirstUse, &row.user_id, &row.name).await?;
        }
    }
    let scope = TokenScope::parse(&row.scope).unwrap_or_default();
    Ok(Some(Holder { viewer, scope, token_id: row.id.to_string() }))
}
