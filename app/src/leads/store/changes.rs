//! A person's changes to leads: create, edit and move with a version check, archive and restore, assign; each logged.

use super::*;
use crate::activity::store::with_origin;
use crate::activity::Logged;
use crate::notifications::{store::tell, NoticeKind};

/// Inserts a lead assigned to `assignee` (an active team member) and logs it,
/// in the caller's transaction.
pub async fn create(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    draft: &LeadDraft,
    assignee: &UserId,
) -> AppResult<LeadId> {
    crate::records::assignable_name(conn, assignee).await?;
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
    NewEntry::by(viewer, Action::Create, (EntityType::Lead, &id), &draft.name).record(conn).await?;
    let about = (EntityType::Lead, id.as_str(), draft.name.as_str());
    tell(conn, viewer, assignee, NoticeKind::Assigned, about, "").await?;
    Ok(LeadId::from(id))
}

/// Saves an edit made on `expected_version`, and says whether anything changed. Someone
/// else's newer save, or an archived lead, refuses it with `Conflict`; nothing is written then.
pub async fn update(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &LeadId,
    expected_version: i64,
    draft: &LeadDraft,
) -> AppResult<bool> {
    update_imported(conn, viewer, (id, expected_version), draft, None).await
}

/// The same, for a row of an imported `file` when there is one: the history names it.
pub async fn update_imported(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    (id, expected_version): (&LeadId, i64),
    draft: &LeadDraft,
    file: Option<&str>,
) -> AppResult<bool> {
    let before = get(conn, &RecordScope::of(viewer), id).await?;
    check_current("lead", (before.archived, before.version), Some(expected_version), "editing")?;
    let Some(changes) = changes(&before, draft) else {
        return Ok(false);
    };
    let update = DRAFT_COLUMNS.iter().zip(draft_values(draft));
    let update =
        update.fold(Update::new("leads"), |update, (column, value)| update.set(column, value));
    update.seen_at(expected_version).live().apply(conn, id.as_str(), stale).await?;
    NewEntry::by(viewer, Action::Update, id.entity(), &draft.name)
        .changes(Some(with_origin(changes, file)))
        .record(conn)
        .await?;
    Ok(true)
}

/// Moves a lead seen at `expected_version` to another status (the board), logged
/// as a status change. A newer save by someone else refuses it, as for edits.
pub async fn set_status(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &LeadId,
    expected_version: Option<i64>,
    status: LeadStatus,
) -> AppResult<()> {
    let before = get(conn, &RecordScope::of(viewer), id).await?;
    check_current("lead", (before.archived, before.version), expected_version, "moving it")?;
    if before.status == status {
        return Ok(());
    }
    Update::new("leads")
        .set("status", status.as_str())
        .seen_at(expected_version.unwrap_or(before.version))
        .live()
        .apply(conn, id.as_str(), stale)
        .await?;
    NewEntry::by(viewer, Action::StatusChange, id.entity(), &before.name)
        .changed("status", before.status.label(), status.label())
        .record(conn)
        .await?;
    Ok(())
}
