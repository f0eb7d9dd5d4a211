//! A person's changes to tasks: create, edit and status with a version check, assign, delete; each logged.

use super::*;
use crate::activity::Logged;
use crate::notifications::{store::tell, NoticeKind};
use crate::records::{assignable_name, hand_over, Reassignment};

/// Inserts a task for `assignee` (an active team member), related to a live
/// record the viewer may see, and logs it, in the caller's transaction.
pub async fn create(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    draft: &TaskDraft,
    assignee: &UserId,
    related: Option<&RecordRef>,
    tz: Tz,
) -> AppResult<TaskId> {
    if let Some(record) = related {
        let link = crate::records::visible(conn, &RecordScope::of(viewer), record).await?;
        if link.archived {
            return Err(AppError::Conflict(format!(
                "This {} is archived. Restore it before adding tasks.",
                record.kind()
            )));
        }
    }
    assignable_name(conn, assignee).await?;
    let id = new_id();
    let now = now_ms();
    let (lead_id, customer_id) = related.map(RecordRef::columns).unwrap_or_default();
    sqlx::query(
        "INSERT INTO tasks (id, title, description, due_date, due_time, due_at, priority, status, assignee_id, \
         lead_id, customer_id, completed_at, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $13)",
    )
    .bind(&id)
    .bind(&draft.title)
    .bind(&draft.description)
    .bind(draft.due_date_str())
    .bind(draft.due_time_str())
    .bind(due_at(tz, draft.due_date, draft.due_time))
    .bind(draft.priority.as_str())
    .bind(draft.status.as_str())
    .bind(assignee.as_str())
    .bind(lead_id)
    .bind(customer_id)
    .bind(completed_at(draft.status, None, now))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    NewEntry::by(viewer, Action::Create, (EntityType::Task, &id), &draft.title)
        .record(conn)
        .await?;
    let about = (EntityType::Task, id.as_str(), draft.title.as_str());
    tell(conn, viewer, assignee, NoticeKind::Assigned, about, "").await?;
    Ok(TaskId::from(id))
}

/// Saves an edit made on `expected_version`. A change of status alone is logged
/// as a status change; anything else as an update with every changed field.
pub async fn update(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &TaskId,
    expected_version: i64,
    draft: &TaskDraft,
    tz: Tz,
) -> AppResult<()> {
    let before = current(conn, viewer, id, Some(expected_version)).await?;
    let (due_date, due_time) = (draft.due_date_str(), draft.due_time_str());
    let pairs = [
        ("title", before.title.as_str(), draft.title.as_str()),
        ("description", before.description.as_str(), draft.description.as_str()),
        ("due date", before.due_date.as_str(), due_date.as_str()),
        ("due time", before.due_time.as_deref().unwrap_or(""), due_time.as_deref().unwrap_or("")),
        ("priority", before.priority.label(), draft.priority.label()),
        ("status", before.status.label(), draft.status.label()),
    ];
    let Some(changes) = changes_json(&pairs) else {
        return Ok(());
    };
    Update::new("tasks")
        .set("title", draft.title.clone())
        .set("description", draft.description.clone())
        .set("due_date", due_date.clone())
        .set("due_time", due_time.clone())
        .set("due_at", due_at(tz, draft.due_date, draft.due_time))
        .set("priority", draft.priority.as_str())
        .set("status", draft.status.as_str())
        .set("completed_at", completed_at(draft.status, Some(&before), now_ms()))
        .seen_at(expected_version)
        .apply(conn, id.as_str(), stale)
        .await?;
    let only_status = pairs.iter().all(|(field, old, new)| *field == "status" || old == new);
    let action = if only_status { Action::StatusChange } else { Action::Update };
    NewEntry::by(viewer, action, id.entity(), &draft.title)
        .changes(Some(changes))
        .record(conn)
        .await?;
    Ok(())
}

/// Marks a task seen at `expected_version` (none: as it is now, for bulk
/// actions) done, or reopens it (the list's quick actions).
pub async fn set_status(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &TaskId,
    expected_version: Option<i64>,
    status: TaskStatus,
) -> AppResult<()> {
    let before = current(conn, viewer, id, expected_version).await?;
    if before.status == status {
        return Ok(());
    }
    Update::new("tasks")
        .set("status", status.as_str())
        .set("completed_at", completed_at(status, Some(&before), now_ms()))
        .seen_at(before.version)
        .apply(conn, id.as_str(), stale)
        .await?;
    NewEntry::by(viewer, Action::StatusChange, id.entity(), &before.title)
        .changed("status", before.status.label(), status.label())
        .record(conn)
        .await?;
    Ok(())
}

/// Gives a task to another active team member (admins), logged as an assignment.
pub async fn assign(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &TaskId,
    assignee: &UserId,
) -> AppResult<()> {
    let task = get(conn, &RecordScope::of(viewer), id).await?;
    let reassignment = Reassignment {
        table: ("tasks", "assignee_id"),
        entity: id.entity(),
        label: &task.title,
        holder: ("assignee", &task.assignee_id, &task.assignee_name),
    };
    hand_over(conn, viewer, reassignment, assignee).await
}

/// Deletes a task seen at `expected_version` (none: as it is now, for bulk
/// actions); the log keeps what it was.
pub async fn delete(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &TaskId,
    expected_version: Option<i64>,
) -> AppResult<Option<RecordRef>> {
    let task = current(conn, viewer, id, expected_version).await?;
    let done = sqlx::query("DELETE FROM tasks WHERE id = $1 AND version = $2")
        .bind(id.as_str())
        .bind(task.version)
        .execute(&mut *conn)
        .await?;
    applied(done, stale)?;
    let snapshot = serde_json::json!({
        "title": [task.title, ""],
        "due": [task.due_label(), ""],
        "status": [task.status.label(), ""],
        "assignee": [task.assignee_name, ""],
    })
    .to_string();
    NewEntry::by(viewer, Action::Delete, id.entity(), &task.title)
        .changes(Some(snapshot))
        .record(conn)
        .await?;
    Ok(task.related.map(|r| r.record))
}
