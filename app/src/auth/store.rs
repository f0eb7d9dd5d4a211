//! SQL for users and sessions, as far as signing in needs them, and settings rows.

use super::{Email, Role, UserId, Viewer};
use crate::db::{new_id, now_ms, Db};
use crate::error::{AppError, AppResult};
use sqlx::AnyConnection;

/// What sign-in needs to know about an account.
#[derive(sqlx::FromRow)]
pub struct Credentials {
    pub id: String,
    pub name: String,
    pub password_hash: String,
    pub active: i64,
}

pub async fn credentials_by_email(db: &Db, email: &Email) -> AppResult<Option<Credentials>> {
    Ok(sqlx::query_as("SELECT id, name, password_hash, active FROM users WHERE email = $1")
        .bind(email.as_str())
        .fetch_optional(&db.pool)
        .await?)
}

/// A user's stored password hash, to check their current password.
pub async fn password_hash(db: &Db, id: &UserId) -> AppResult<String> {
    let (hash,): (String,) = sqlx::query_as("SELECT password_hash FROM users WHERE id = $1")
        .bind(id.as_str())
        .fetch_one(&db.pool)
        .await?;
    Ok(hash)
}

pub async fn user_count(db: &Db) -> AppResult<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users").fetch_one(&db.pool).await?;
    Ok(n)
}

pub struct NewUser<'a> {
    pub name: &'a str,
    pub email: &'a Email,
    pub role: Role,
    pub password_hash: &'a str,
}

/// Inserts a user; a taken email is a field error, not a crash.
pub async fn insert_user(conn: &mut AnyConnection, user: NewUser<'_>) -> AppResult<UserId> {
    let id = new_id();
    let now = now_ms();
    let inserted = sqlx::query(
        "INSERT INTO users (id, email, name, role, password_hash, active, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 1, $6, $6) ON CONFLICT (email) DO NOTHING",
    )
    .bind(&id)
    .bind(user.email.as_str())
    .bind(user.name)
    .bind(user.role.as_str())
    .bind(user.password_hash)
    .bind(now)
    .execute(conn)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(AppError::invalid("email", "A user with this email already exists."));
    }
    Ok(UserId::from(id))
}

#[derive(sqlx::FromRow)]
struct ViewerRow {
    id: UserId,
    name: String,
    email: String,
    role: String,
    two_factor: i64,
}

impl ViewerRow {
    fn into_viewer(self, session_id: &str) -> AppResult<Viewer> {
        let role = self
            .role
            .parse::<Role>()
            .map_err(|_| AppError::internal("unknown role in users table", &self.role))?;
        Ok(Viewer {
            id: self.id,
            name: self.name,
            email: self.email,
            role,
            session_id: session_id.to_owned(),
            two_factor: self.two_factor > 0,
        })
    }
}

const VIEWER_COLUMNS: &str = "u.id, u.name, u.email, u.role, \
    (SELECT COUNT(*) FROM user_totp t WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL) AS two_factor";

/// The signed-in person behind a live session: the session must be unrevoked
/// and unexpired and its user active. Checked on every request.
pub async fn viewer_for_session(db: &Db, session_id: &str, now: i64) -> AppResult<Option<Viewer>> {
    let row: Option<ViewerRow> = sqlx::query_as(&format!(
        "SELECT {VIEWER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND u.active = 1"
    ))
    .bind(session_id)
    .bind(now)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|row| row.into_viewer(session_id)).transpose()
}

/// An active user acting from the command line (no session), by their email.
pub async fn viewer_by_email(db: &Db, email: &Email) -> AppResult<Option<Viewer>> {
    let row: Option<ViewerRow> = sqlx::query_as(&format!(
        "SELECT {VIEWER_COLUMNS} FROM users u WHERE u.email = $1 AND u.active = 1"
    ))
    .bind(email.as_str())
    .fetch_optional(&db.pool)
    .await?;
    row.map(|row| row.into_viewer("")).transpose()
}

/// An active user acting without a session of their own (a background job they started).
pub async fn viewer_by_id(conn: &mut AnyConnection, id: &UserId) -> AppResult<Option<Viewer>> {
    let row: Option<ViewerRow> = sqlx::query_as(&format!(
        "SELECT {VIEWER_COLUMNS} FROM users u WHERE u.id = $1 AND u.active = 1"
    ))
    .bind(id.as_str())
    .fetch_optional(conn)
    .await?;
    row.map(|row| row.into_viewer("")).transpose()
}

pub async fn record_sign_in(conn: &mut AnyConnection, user_id: &str, now: i64) -> AppResult<()> {
    sqlx::query("UPDATE users SET last_login_at = $2 WHERE id = $1")
        .bind(user_id)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends every session of a user at once (deactivation, role change, deletion),
/// except `keep` (the one changing its own password stays signed in).
pub async fn revoke_all_sessions(
    conn: &mut AnyConnection,
    user_id: &str,
    keep: Option<&str>,
    now: i64,
) -> AppResult<u64> {
    let done = sqlx::query(
        "UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL AND id <> $3",
    )
    .bind(user_id)
    .bind(now)
    .bind(keep.unwrap_or_default())
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Reads a setting shared by every instance.
pub async fn setting(db: &Db, name: &str) -> AppResult<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as("SELECT value FROM settings WHERE name = $1")
        .bind(name)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(|(v,)| v))
}

/// Stores a setting, replacing its value, inside the caller's transaction.
pub async fn set_setting(
    conn: &mut AnyConnection,
    name: &str,
    value: &str,
    now: i64,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO settings (name, value, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(name)
    .bind(value)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Stores `value` unless the setting exists already; returns the value in force.
/// Two instances racing here agree on one value.
pub async fn setting_or_insert(db: &Db, name: &str, value: &str) -> AppResult<String> {
    sqlx::query("INSERT INTO settings (name, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING")
        .bind(name)
        .bind(value)
        .bind(now_ms())
        .execute(&db.pool)
        .await?;
    setting(db, name).await?.ok_or_else(|| AppError::internal("setting vanished", name))
}

/// Marks first-run setup as done, inside the caller's transaction. `false` when
/// Kith already has users or another setup won the race: the marker's primary
/// key lets only one of two simultaneous setups through.
pub async fn claim_setup(conn: &mut AnyConnection, now: i64) -> AppResult<bool> {
    let claimed = sqlx::query(
        "INSERT INTO settings (name, value, updated_at) VALUES ('setup_done', 'true', $1) ON CONFLICT (name) DO NOTHING",
    )
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let (existing,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM users").fetch_one(&mut *conn).await?;
    Ok(claimed.rows_affected() == 1 && existing == 0)
}
