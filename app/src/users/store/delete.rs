//! Deleting a user: everything they hold goes to another active member, each
//! handover logged (`handover.rs`: at once, or in the background when they held many).

use super::handover::{self, Handover};
use super::*;
use crate::activity::Logged;

/// Deletes a user after giving everything they hold (archived records too) to
/// `receiver`, an active team member; each record's handover is logged on it.
/// The row stays, without email or password, so notes and history keep the name.
/// `Queued` when the records go in the background: call `handover::run` once
/// this transaction commits.
pub async fn delete(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &UserId,
    receiver: Option<&UserId>,
) -> AppResult<Handing> {
    if *id == viewer.id {
        return Err(AppError::Conflict(
            "You cannot delete your own account. Ask another admin to do it.".into(),
        ));
    }
    let user = find(conn, id).await?;
    keep_an_admin(conn, &user, "deleted").await?;
    if handover::under_way(conn, id).await? {
        return Err(AppError::Conflict(format!(
            "Records are still being handed over to or from {}. Try again once that has finished.",
            user.name
        )));
    }
    let held = holdings(conn, id).await?;
    let now = now_ms();
    let (mut changes, mut handing) = (None, Handing::Done);
    if !held.is_empty() {
        let receiver = receiver.filter(|r| *r != id).ok_or_else(|| {
            AppError::invalid(
                "receiver",
                format!("{} holds {}. Choose who receives them.", user.name, held.describe()),
            )
        })?;
        let receiver_name = assignable_name(conn, receiver).await.map_err(|_| {
            AppError::invalid("receiver", "Choose an active team member to receive them.")
        })?;
        let handover = Handover::new(viewer, (id, &user.name), (receiver, &receiver_name));
        if held.total() <= handover::AT_ONCE {
            handover.all_at_once(conn).await?;
        } else {
            handover.queue(conn).await?;
            handing = Handing::Queued;
        }
        changes = changes_json(&[(
            "records",
            "",
            &format!("{} given to {receiver_name}", held.describe()),
        )]);
    }
    revoke_all_sessions(conn, id.as_str(), None, now).await?;
    crate::api_tokens::store::revoke_all_of(conn, id, now).await?;
    sqlx::query(
        "UPDATE users SET active = 0, deleted_at = $1, email = $2, password_hash = '!', \
         version = version + 1, updated_at = $1 WHERE id = $3",
    )
    .bind(now)
    .bind(format!("deleted-{}@deleted.invalid", id.as_str()))
    .bind(id.as_str())
    .execute(&mut *conn)
    .await?;
    NewEntry::by(viewer, Action::Delete, id.entity(), &user.name)
        .changes(changes)
        .record(conn)
        .await?;
    Ok(handing)
}

/// Whether a deleted user's records have all gone to their receiver yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handing {
    Done,
    /// Recorded in `handovers`, for `handover::run` to carry out.
    Queued,
}
