//! Each person's own profile: name, password and sessions.

use super::*;
use crate::activity::Logged;

/// Changes the viewer's own name.
pub async fn rename_self(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    name: &crate::auth::PersonName,
) -> AppResult<()> {
    if name.as_str() == viewer.name {
        return Ok(());
    }
    Update::new("users")
        .set("name", name.as_str().to_owned())
        .apply(conn, viewer.id.as_str(), || AppError::NotFound)
        .await?;
    let changes = changes_json(&[("name", &viewer.name, name.as_str())]);
    NewEntry::by(viewer, Action::Update, viewer.id.entity(), name.as_str())
        .changes(changes)
        .record(conn)
        .await?;
    Ok(())
}

/// Stores the viewer's new password and ends their other sessions; this one stays.
pub async fn change_own_password(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    password_hash: &str,
) -> AppResult<u64> {
    let now = now_ms();
    write_password(conn, &viewer.id, password_hash).await?;
    let ended =
        revoke_all_sessions(conn, viewer.id.as_str(), Some(&viewer.session_id), now).await?;
    NewEntry::by(viewer, Action::PasswordChange, viewer.id.entity(), &viewer.name)
        .record(conn)
        .await?;
    Ok(ended)
}

#[derive(sqlx::FromRow)]
struct SessionRecord {
    id: String,
    user_agent: String,
    client_addr: String,
    created_at: i64,
    last_used_at: i64,
}

/// The viewer's sessions still signed in, most recently used first.
pub async fn own_sessions(db: &Db, viewer: &Viewer) -> AppResult<Vec<SessionInfo>> {
    let records: Vec<SessionRecord> = sqlx::query_as(
        "SELECT id, user_agent, client_addr, created_at, last_used_at FROM sessions \
         WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 \
         ORDER BY last_used_at DESC, id DESC LIMIT 100",
    )
    .bind(viewer.id.as_str())
    .bind(now_ms())
    .fetch_all(&db.pool)
    .await?;
    Ok(records
        .into_iter()
        .map(|s| SessionInfo {
            current: s.id == viewer.session_id,
            device: describe_device(&s.user_agent),
            address: s.client_addr,
            signed_in_at: s.created_at,
            last_used_at: s.last_used_at,
            id: s.id,
        })
        .collect())
}

/// Signs the viewer out of one of their own sessions; 404 for anyone else's.
pub async fn end_own_session(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    session_id: &str,
) -> AppResult<()> {
    let ended = sqlx::query(
        "UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
    )
    .bind(now_ms())
    .bind(session_id)
    .bind(viewer.id.as_str())
    .execute(&mut *conn)
    .await?;
    if ended.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    NewEntry::by(viewer, Action::SignOut, viewer.id.entity(), &viewer.name).record(conn).await?;
    Ok(())
}
