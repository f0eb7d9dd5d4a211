//! SQL for notes. A note is reached through its record: whoever may not see
//! the lead or customer cannot see, add or change its notes.

use super::{Note, NoteId};
use crate::activity::store::NewEntry;
use crate::activity::Action;
use crate::auth::policy::RecordScope;
use crate::auth::{Role, Viewer};
use crate::db::{applied, new_id, now_ms};
use crate::error::{AppError, AppResult};
use crate::notifications::store::{mentioned, tell};
use crate::notifications::NoticeKind;
use crate::records::{visible, RecordLink, RecordRef};
use crate::sql::Update;
use sqlx::AnyConnection;

/// The record's notes, newest first, if the viewer may see the record.
pub async fn list(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    record: &RecordRef,
) -> AppResult<Vec<Note>> {
    visible(conn, &RecordScope::of(viewer), record).await?;
    let sql = format!(
        "SELECT n.id, n.body, n.author_id, u.name, n.version, n.created_at, n.updated_at \
         FROM notes n JOIN users u ON u.id = n.author_id WHERE n.{} = $1 ORDER BY n.created_at DESC, n.id DESC",
        record.column()
    );
    let rows: Vec<(String, String, String, String, i64, i64, i64)> =
        sqlx::query_as(&sql).bind(record.id()).fetch_all(conn).await?;
    Ok(rows
        .into_iter()
        .map(|(id, body, author_id, author_name, version, created_at, updated_at)| Note {
            editable: may_change(viewer, &author_id),
            id: NoteId::from(id),
            body,
            author_name,
            version,
            created_at,
            updated_at,
        })
        .collect())
}

/// Authors change their own notes; admins change any.
fn may_change(viewer: &Viewer, author_id: &str) -> bool {
    viewer.is_admin() || viewer.id.as_str() == author_id
}

/// The live record the viewer may see, for a change to its notes.
async fn live_record(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    record: &RecordRef,
) -> AppResult<RecordLink> {
    let link = visible(conn, &RecordScope::of(viewer), record).await?;
    if link.archived {
        return Err(AppError::Conflict(format!(
            "This {} is archived. Restore it before changing its notes.",
            record.kind()
        )));
    }
    Ok(link)
}

fn note_change(old: &str, new: &str) -> String {
    serde_json::json!({ "note": [old, new] }).to_string()
}

/// Adds a note by the viewer to a record they may see, logged on the record.
pub async fn add(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    record: &RecordRef,
    body: &str,
) -> AppResult<NoteId> {
    let link = live_record(conn, viewer, record).await?;
    let id = new_id();
    let now = now_ms();
    let (lead_id, customer_id) = record.columns();
    sqlx::query(
        "INSERT INTO notes (id, lead_id, customer_id, author_id, body, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 1, $6, $6)",
    )
    .bind(&id)
    .bind(lead_id)
    .bind(customer_id)
    .bind(viewer.id.as_str())
    .bind(body)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    NewEntry::by(viewer, Action::NoteAdd, link.record.entity(), &link.name)
        .changes(Some(note_change("", body)))
        .record(conn)
        .await?;
    tell_mentioned(conn, viewer, &link, body, "").await?;
    Ok(NoteId::from(id))
}

/// Tells the members `body` mentions, and `before` did not, who may see the record.
async fn tell_mentioned(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    link: &RecordLink,
    body: &str,
    before: &str,
) -> AppResult<()> {
    let already = mentioned(conn, viewer, before).await?;
    for (member, role) in mentioned(conn, viewer, body).await? {
        let sees = role == Role::Admin
            || visible(conn, &RecordScope::OwnedBy(member.clone()), &link.record).await.is_ok();
        if sees && !already.iter().any(|(m, _)| *m == member) {
            let (entity_type, entity_id) = link.record.entity();
            let about = (entity_type, entity_id, link.name.as_str());
            tell(conn, viewer, &member, NoticeKind::Mentioned, about, body).await?;
        }
    }
    Ok(())
}

/// A note the viewer may change, with its record; others' notes answer
/// `Forbidden`, notes on records the viewer cannot see `NotFound`.
async fn changeable(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &NoteId,
    expected_version: i64,
) -> AppResult<(String, RecordLink)> {
    let found: Option<NoteRecord> = sqlx::query_as(
        "SELECT lead_id, customer_id, author_id, body, version FROM notes WHERE id = $1",
    )
    .bind(id.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let note = found.ok_or(AppError::NotFound)?;
    let record =
        RecordRef::from_columns(note.lead_id, note.customer_id).ok_or(AppError::NotFound)?;
    let link = live_record(conn, viewer, &record).await?;
    if !may_change(viewer, &note.author_id) {
        return Err(AppError::Forbidden);
    }
    crate::db::check_current("note", (false, note.version), Some(expected_version), "")?;
    Ok((note.body, link))
}

fn stale() -> AppError {
    crate::db::stale("note")
}

#[derive(sqlx::FromRow)]
struct NoteRecord {
    lead_id: Option<crate::ids::LeadId>,
    customer_id: Option<crate::ids::CustomerId>,
    author_id: String,
    body: String,
    version: i64,
}

/// Replaces the text of a note seen at `expected_version`.
pub async fn edit(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &NoteId,
    expected_version: i64,
    body: &str,
) -> AppResult<RecordRef> {
    let (old, link) = changeable(conn, viewer, id, expected_version).await?;
    if old == body {
        return Ok(link.record);
    }
    Update::new("notes")
        .set("body", body.to_owned())
        .seen_at(expected_version)
        .apply(conn, id.as_str(), stale)
        .await?;
    NewEntry::by(viewer, Action::NoteEdit, link.record.entity(), &link.name)
        .changes(Some(note_change(&old, body)))
        .record(conn)
        .await?;
    tell_mentioned(conn, viewer, &link, body, &old).await?;
    Ok(link.record)
}

/// Deletes a note seen at `expected_version`; the log keeps its text.
pub async fn delete(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &NoteId,
    expected_version: i64,
) -> AppResult<RecordRef> {
    let (old, link) = changeable(conn, viewer, id, expected_version).await?;
    let done = sqlx::query("DELETE FROM notes WHERE id = $1 AND version = $2")
        .bind(id.as_str())
        .bind(expected_version)
        .execute(&mut *conn)
        .await?;
    applied(done, stale)?;
    NewEntry::by(viewer, Action::NoteDelete, link.record.entity(), &link.name)
        .changes(Some(note_change(&old, "")))
        .record(conn)
        .await?;
    Ok(link.record)
}
