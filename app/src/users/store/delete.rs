//! Deleting a user: everything they hold goes to another active member in the same transaction, each handover logged.

use super::*;
use crate::activity::Logged;

/// A kind of record a user can hold, as a deleted user's handover needs it.
struct Held {
    table: &'static str,
    /// The column naming the holder.
    owner: &'static str,
    /// The column the log labels a record with.
    label: &'static str,
    /// The field name the log uses for the holder.
    field: &'static str,
    entity_type: EntityType,
}

const HELD: [Held; 3] = [
    Held {
        table: "leads",
        owner: "assignee_id",
        label: "name",
        field: "assignee",
        entity_type: EntityType::Lead,
    },
    Held {
        table: "customers",
        owner: "owner_id",
        label: "name",
        field: "owner",
        entity_type: EntityType::Customer,
    },
    Held {
        table: "tasks",
        owner: "assignee_id",
        label: "title",
        field: "assignee",
        entity_type: EntityType::Task,
    },
];

/// Deletes a user after giving everything they hold (archived records too) to
/// `receiver`, an active team member; each record's handover is logged on it.
/// The row stays, without email or password, so notes and history keep the name.
pub async fn delete(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &UserId,
    receiver: Option<&UserId>,
) -> AppResult<()> {
    if *id == viewer.id {
        return Err(AppError::Conflict(
            "You cannot delete your own account. Ask another admin to do it.".into(),
        ));
    }
    let user = find(conn, id).await?;
    keep_an_admin(conn, &user, "deleted").await?;
    let held = holdings(conn, id).await?;
    let now = now_ms();
    let mut changes = None;
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
        for held in &HELD {
            let handover = Handover { from: (id, &user.name), to: (receiver, &receiver_name), now };
            hand_over_all(conn, viewer, held, &handover).await?;
        }
        changes = changes_json(&[(
            "records",
            "",
            &format!("{} given to {receiver_name}", held.describe()),
        )]);
    }
    revoke_all_sessions(conn, id.as_str(), None, now).await?;
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
    Ok(())
}

/// Who gives records to whom (id and name each), and when.
struct Handover<'a> {
    from: (&'a UserId, &'a str),
    to: (&'a UserId, &'a str),
    now: i64,
}

/// Moves every record of one kind from the old holder to the new and logs one
/// handover per record, each as two set-based statements (the log first, while
/// the old holder still selects the rows).
async fn hand_over_all(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    held: &Held,
    handover: &Handover<'_>,
) -> AppResult<()> {
    let Held { table, owner: column, label, field, entity_type } = *held;
    let Handover { from: (from, from_name), to: (to, to_name), now } = *handover;
    let change = serde_json::json!({ field: [from_name, to_name] }).to_string();
    // Each entry's id: a fresh time-ordered prefix and the record's own id, so unique.
    sqlx::query(&format!(
        "INSERT INTO activity (id, at, actor_id, actor_name, action, entity_type, entity_id, label, changes) \
         SELECT $1 || r.id, $2, $3, $4, $5, $6, r.id, r.{label}, $7 FROM {table} r WHERE r.{column} = $8"
    ))
    .bind(format!("{}-", new_id()))
    .bind(now)
    .bind(viewer.id.as_str())
    .bind(&viewer.name)
    .bind(Action::Assign.as_str())
    .bind(entity_type.as_str())
    .bind(change)
    .bind(from.as_str())
    .execute(&mut *conn)
    .await?;
    sqlx::query(&format!(
        "UPDATE {table} SET {column} = $1, version = version + 1, updated_at = $2 WHERE {column} = $3"
    ))
    .bind(to.as_str())
    .bind(now)
    .bind(from.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

// ---- Each user's own profile ------------------------------------------------
