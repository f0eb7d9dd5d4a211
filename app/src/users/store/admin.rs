//! An admin's changes to an account: create, edit with a version check, reset the password, deactivate and reactivate.

use super::*;
use crate::activity::Logged;

/// A team member with what they hold and how many sessions they have open.
pub async fn get(conn: &mut AnyConnection, id: &UserId) -> AppResult<User> {
    let found = find(conn, id).await?;
    let holdings = holdings(conn, id).await?;
    let (live_sessions,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2",
    )
    .bind(id.as_str())
    .bind(now_ms())
    .fetch_one(&mut *conn)
    .await?;
    let two_factor = crate::sign_in::two_factor::store::is_enabled(conn, id.as_str()).await?;
    let version = found.version;
    Ok(User { account: found.into_row()?, version, holdings, live_sessions, two_factor })
}

/// A new account, created by an admin, logged.
pub async fn create(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    draft: &UserDraft,
    password_hash: &str,
) -> AppResult<UserId> {
    let actor = Actor { id: viewer.id.as_str(), name: &viewer.name };
    accounts::create(
        conn,
        Some(actor),
        draft.name.as_str(),
        &draft.email,
        draft.role,
        password_hash,
    )
    .await
}

/// Saves name, email and role unless someone saved since `version`. A new role
/// ends the user's sessions, so it applies at once.
pub async fn update(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &UserId,
    version: i64,
    draft: &UserDraft,
) -> AppResult<()> {
    let old = find(conn, id).await?;
    let role_changes = old.role != draft.role.as_str();
    if role_changes {
        keep_an_admin(conn, &old, "made an agent").await?;
    }
    let now = now_ms();
    let saved = sqlx::query(
        "UPDATE users SET name = $1, email = $2, role = $3, version = version + 1, updated_at = $4 \
         WHERE id = $5 AND version = $6 AND deleted_at IS NULL",
    )
    .bind(draft.name.as_str())
    .bind(draft.email.as_str())
    .bind(draft.role.as_str())
    .bind(now)
    .bind(id.as_str())
    .bind(version)
    .execute(&mut *conn)
    .await
    .on_unique("email", "Another user already has this email address.")?;
    applied(saved, || crate::db::stale("user"))?;
    if role_changes {
        revoke_all_sessions(conn, id.as_str(), None, now).await?;
    }
    let old_role = old.role()?;
    let changes = changes_json(&[
        ("name", &old.name, draft.name.as_str()),
        ("email", &old.email, draft.email.as_str()),
        ("role", old_role.label(), draft.role.label()),
    ]);
    if changes.is_some() {
        NewEntry::by(viewer, Action::Update, id.entity(), draft.name.as_str())
            .changes(changes)
            .record(conn)
            .await?;
    }
    Ok(())
}

/// The email address of an existing user (for the password policy).
pub async fn email_of(conn: &mut AnyConnection, id: &UserId) -> AppResult<String> {
    Ok(find(conn, id).await?.email)
}

/// Gives a user a new password chosen by an admin; their sessions end.
pub async fn reset_password(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &UserId,
    password_hash: &str,
) -> AppResult<()> {
    let user = find(conn, id).await?;
    let now = now_ms();
    write_password(conn, id, password_hash).await?;
    revoke_all_sessions(conn, id.as_str(), None, now).await?;
    NewEntry::by(viewer, Action::PasswordReset, id.entity(), &user.name).record(conn).await?;
    Ok(())
}

/// Deactivates (ending every session at once) or reactivates a user.
pub async fn set_active(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &UserId,
    active: bool,
) -> AppResult<()> {
    let user = find(conn, id).await?;
    if (user.active == 1) == active {
        return Ok(());
    }
    if !active {
        keep_an_admin(conn, &user, "deactivated").await?;
    }
    Update::new("users")
        .set("active", i64::from(active))
        .apply(conn, id.as_str(), || AppError::NotFound)
        .await?;
    if !active {
        revoke_all_sessions(conn, id.as_str(), None, now_ms()).await?;
        crate::api_tokens::store::revoke_all_of(conn, id, now_ms()).await?;
    }
    let action = if active { Action::Reactivate } else { Action::Deactivate };
    NewEntry::by(viewer, action, id.entity(), &user.name).record(conn).await?;
    Ok(())
}
