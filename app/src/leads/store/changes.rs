//! A person's changes to leads: create, edit and move with a version check, archive and restore, assign; each logged.

use super::*;
use crate::activity::Logged;

/// Inserts a lead assigned to `assignee` and logs it, in the caller's transaction.
pub async fn create(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    draft: &LeadDraft,
    assignee: &UserId,
) -> AppResult<LeadId> {
    let id = new_id();
    let now = now_ms();
    let sql = format!(
        "INSERT INTO leads ({}, id, assignee_id, created_at, updated_at, version) VALUES ({}, $9, $10, $11, $11, 1)",
        DRAFT_COLUMNS.join(", "),
        placeholders(1, DRAFT_COLUMNS.len())
    );
    let mut args = AnyArguments::default();
    for value in draft_values(draft) {
        let _ = args.add(value);
    }
    let _ = args.add(id.clone());
    let _ = args.add(assignee.to_string());
    let _ = args.add(now);
    sqlx::query_with(&sql, args).execute(&mut *conn).await?;
    NewEntry::by(viewer, Action::Create, (EntityType::Lead, &id), &draft.name)
        .record(conn)
        .await?;
    Ok(LeadId::from(id))
}

/// Saves an edit made on `expected_version`. Someone else's newer save, or an
/// archived lead, refuses it with `Conflict`; nothing is written then.
pub async fn update(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &LeadId,
    expected_version: i64,
    draft: &LeadDraft,
) -> AppResult<()> {
    let scope = RecordScope::of(viewer);
    let before = get(conn, &scope, id).await?;
    if before.archived {
        return Err(AppError::Conflict(
            "This lead is archived. Restore it before editing.".into(),
        ));
    }
    if before.version != expected_version {
        return Err(stale());
    }
    let Some(changes) = changes(&before, draft) else {
        return Ok(());
    };
    let assignments = DRAFT_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, column)| format!("{column} = ${}", i + 1))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "UPDATE leads SET {assignments}, version = version + 1, updated_at = $9 \
         WHERE id = $10 AND version = $11 AND archived_at IS NULL"
    );
    let mut args = AnyArguments::default();
    for value in draft_values(draft) {
        let _ = args.add(value);
    }
    let _ = args.add(now_ms());
    let _ = args.add(id.to_string());
    let _ = args.add(expected_version);
    let updated = sqlx::query_with(&sql, args).execute(&mut *conn).await?;
    applied(updated, stale)?;
    NewEntry::by(viewer, Action::Update, id.entity(), &draft.name)
        .changes(Some(changes))
        .record(conn)
        .await?;
    Ok(())
}

/// Moves a lead seen at `expected_version` to another status (the board), logged
/// as a status change. A newer save by someone else refuses it, as for edits.
pub async fn set_status(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &LeadId,
    expected_version: i64,
    status: LeadStatus,
) -> AppResult<()> {
    let before = get(conn, &RecordScope::of(viewer), id).await?;
    if before.archived {
        return Err(AppError::Conflict(
            "This lead is archived. Restore it before moving it.".into(),
        ));
    }
    if before.version != expected_version {
        return Err(stale());
    }
    if before.status == status {
        return Ok(());
    }
    let updated = sqlx::query(
        "UPDATE leads SET status = $1, version = version + 1, updated_at = $2 \
         WHERE id = $3 AND version = $4 AND archived_at IS NULL",
    )
    .bind(status.as_str())
    .bind(now_ms())
    .bind(id.as_str())
    .bind(expected_version)
    .execute(&mut *conn)
    .await?;
    applied(updated, stale)?;
    let entity = id.entity();
    let entry = NewEntry::by(viewer, Action::StatusChange, entity, &before.name);
    let change = entry.changed("status", before.status.label(), status.label());
    change.record(conn).await?;
    Ok(())
}

/// Gives a lead to another active team member (admins), logged as an assignment.
pub async fn assign(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &LeadId,
    assignee: &UserId,
) -> AppResult<()> {
    let lead = get(conn, &RecordScope::of(viewer), id).await?;
    if lead.archived {
        return Err(AppError::Conflict(
            "This lead is archived. Restore it before assigning it.".into(),
        ));
    }
    if lead.assignee_id == *assignee {
        return Ok(());
    }
    let reassignment = crate::users::store::Reassignment {
        table: ("leads", "assignee_id"),
        entity: id.entity(),
        label: &lead.name,
        holder: ("assignee", &lead.assignee_name),
    };
    crate::users::store::hand_over(conn, viewer, reassignment, assignee).await?;
    Ok(())
}
