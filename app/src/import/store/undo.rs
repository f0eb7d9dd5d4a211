//! Undoing an import, a batch per transaction: each record it created is archived
//! and each it updated gets its values from before back, as the person who asked
//! for the undo, each change logged on its record. A record changed since the
//! import (its version moved on) or that person may no longer see is left alone
//! and listed.

use super::claims::Claim;
use super::worker::{acting, log};
use super::BATCH;
use crate::activity::Action;
use crate::auth::{Checked, Viewer};
use crate::customers::{self, CustomerDraft, CustomerForm};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::ids::{CustomerId, ImportId, LeadId, UserId};
use crate::import::job::JobState;
use crate::import::ImportKind;
use crate::leads::{self, LeadDraft, LeadForm};
use crate::records::{self, RecordRef};
use sqlx::AnyConnection;

/// `import_records.undone`: undone, or left alone because it changed since.
const UNDONE: i64 = 1;
const KEPT: i64 = 2;

pub async fn run(db: &Db, claim: &Claim) -> AppResult<()> {
    let mut conn = db.pool.acquire().await?;
    let (kind, file_name, by): (String, String, UserId) = sqlx::query_as(
        "SELECT kind, file_name, COALESCE(undone_by, created_by) FROM imports WHERE id = $1",
    )
    .bind(claim.id.as_str())
    .fetch_one(&mut *conn)
    .await?;
    let kind = ImportKind::parse(&kind).ok_or(AppError::NotFound)?;
    let viewer = acting(&mut conn, &by).await?;
    drop(conn);
    loop {
        let mut tx = db.transaction().await?;
        let records: Vec<(i64, String, i64, Option<String>)> = sqlx::query_as(&format!(
            "SELECT row_number, record_id, version, previous FROM import_records \
             WHERE import_id = $1 AND undone = 0 ORDER BY row_number LIMIT {BATCH}"
        ))
        .bind(claim.id.as_str())
        .fetch_all(&mut *tx)
        .await?;
        if records.is_empty() {
            break;
        }
        let (mut done, mut kept) = (0, 0);
        for (row, id, version, previous) in records {
            let undone = undo_one(&mut tx, &viewer, kind, id, version, previous.as_deref()).await?;
            if undone {
                done += 1;
            } else {
                kept += 1;
            }
            sqlx::query(
                "UPDATE import_records SET undone = $1 WHERE import_id = $2 AND row_number = $3",
            )
            .bind(if undone { UNDONE } else { KEPT })
            .bind(claim.id.as_str())
            .bind(row)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE imports SET undo_done = undo_done + $1, undo_kept = undo_kept + $2 WHERE id = $3",
        )
        .bind(done)
        .bind(kept)
        .bind(claim.id.as_str())
        .execute(&mut *tx)
        .await?;
        if !claim.renew(&mut tx).await? {
            return Ok(());
        }
        tx.commit().await?;
    }
    let mut tx = db.transaction().await?;
    log(&mut tx, &viewer, kind, Action::UndoImport, &file_name).await?;
    claim.finish(&mut tx, JobState::Undone, None).await?;
    tx.commit().await?;
    Ok(())
}

/// Undoes what the import did to one record, unless it changed since: `false` then.
async fn undo_one(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    kind: ImportKind,
    id: String,
    version: i64,
    previous: Option<&str>,
) -> AppResult<bool> {
    let record = match kind {
        ImportKind::Leads => RecordRef::Lead(LeadId::from(id)),
        ImportKind::Customers => RecordRef::Customer(CustomerId::from(id)),
    };
    let current: Option<(i64, Option<i64>)> = sqlx::query_as(&format!(
        "SELECT version, archived_at FROM {} WHERE id = $1",
        record.table()
    ))
    .bind(record.id())
    .fetch_optional(&mut *conn)
    .await?;
    if current != Some((version, None)) {
        return Ok(false);
    }
    let undone = match (&record, previous) {
        (_, None) => records::set_archived(conn, viewer, &record, true).await.map(|()| true),
        (RecordRef::Lead(id), Some(previous)) => {
            let Some(draft) = before::<LeadForm, LeadDraft>(previous) else { return Ok(false) };
            leads::store::update(conn, viewer, id, version, &draft).await
        }
        (RecordRef::Customer(id), Some(previous)) => {
            let Some(draft) = before::<CustomerForm, CustomerDraft>(previous) else {
                return Ok(false);
            };
            customers::store::update(conn, viewer, id, version, &draft).await
        }
    };
    match undone {
        Ok(_) => Ok(true),
        // Out of the undoer's sight, or refused as it stands now: left alone.
        Err(
            AppError::NotFound | AppError::Invalid(_) | AppError::Conflict(_) | AppError::Stale(_),
        ) => Ok(false),
        Err(error) => Err(error),
    }
}

/// The record's values before the import, as the form it was saved from.
fn before<F: serde::de::DeserializeOwned, D: Checked<F>>(previous: &str) -> Option<D> {
    let form: F = serde_json::from_str(previous).ok()?;
    D::checked(&form).ok()
}

/// Records undo left alone because they changed since: row number and record id.
pub async fn kept(conn: &mut AnyConnection, id: &ImportId) -> AppResult<Vec<(i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT row_number, record_id FROM import_records WHERE import_id = $1 AND undone = $2 \
         ORDER BY row_number LIMIT 100",
    )
    .bind(id.as_str())
    .bind(KEPT)
    .fetch_all(conn)
    .await?)
}
