//! Carrying jobs out: a queued import is written a batch per transaction from the
//! row after the last batch written, each batch recording what its rows did (for
//! undo and the rejected rows' download) and how far the job has come; an import
//! being undone goes back the same way (`undo`).

use super::claims::{self, Claim};
use super::jobs;
use super::matching::Matcher;
use super::writer::Writer;
use super::{file, undo, Team, Written, WRITE_BATCH};
use crate::activity::{store::NewEntry, Action, EntityType};
use crate::auth::{store::viewer_by_id, Viewer};
use crate::db::{Backend, Db};
use crate::error::{AppError, AppResult};
use crate::ids::{ImportId, UserId};
use crate::import::job::{FileReading, JobPlan, JobState};
use crate::import::ImportKind;
use crate::sql::insert_rows;
use crate::{customers, leads};
use sqlx::{AnyConnection, Arguments};
use std::collections::HashSet;

/// Works on jobs until none is left that another instance is not working on.
pub async fn work(db: &Db) -> AppResult<()> {
    while let Some(claim) = claims::claim_next(db).await? {
        carry_out(db, &claim).await?;
    }
    Ok(())
}

/// Writes or undoes a claimed job to its end; one that cannot go on is marked failed
/// with the reason.
pub async fn carry_out(db: &Db, claim: &Claim) -> AppResult<()> {
    let worked = match claim.state {
        JobState::Undoing => undo::run(db, claim).await,
        _ => run(db, claim).await,
    };
    // A job that stopped half-way has not built them yet.
    db.build_put_off_indexes().await?;
    if let Err(error) = worked {
        tracing::warn!(import = %claim.id, %error, "an import stopped");
        let mut conn = db.pool.acquire().await?;
        claim.finish(&mut conn, JobState::Failed, Some(&error.in_one_line())).await?;
    }
    Ok(())
}

/// What a worker needs of the job's row.
#[derive(sqlx::FromRow)]
struct Job {
    kind: String,
    file_name: String,
    reading: String,
    plan: Option<String>,
    created_by: UserId,
    rows_total: i64,
    rows_done: i64,
}

async fn load(conn: &mut AnyConnection, id: &ImportId) -> AppResult<Job> {
    sqlx::query_as(
        "SELECT kind, file_name, reading, plan, created_by, rows_total, rows_done FROM imports WHERE id = $1",
    )
    .bind(id.as_str())
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::NotFound)
}

/// The person a job acts for: its starter, while still active.
pub async fn acting(conn: &mut AnyConnection, id: &UserId) -> AppResult<Viewer> {
    viewer_by_id(conn, id).await?.ok_or_else(|| {
        AppError::Conflict("The person who started this import is no longer active.".to_owned())
    })
}

fn unreadable(e: serde_json::Error) -> AppError {
    AppError::internal("a stored import is unreadable", e)
}

/// Writes a queued import from where it stopped to its end.
async fn run(db: &Db, claim: &Claim) -> AppResult<()> {
    let mut conn = db.pool.acquire().await?;
    let job = load(&mut conn, &claim.id).await?;
    let viewer = acting(&mut conn, &job.created_by).await?;
    let plan = job.plan.as_deref().unwrap_or("null");
    let plan: JobPlan = serde_json::from_str(plan).map_err(unreadable)?;
    let reading: FileReading = serde_json::from_str(&job.reading).map_err(unreadable)?;
    let kind = ImportKind::parse(&job.kind).ok_or(AppError::NotFound)?;
    sqlx::query("UPDATE imports SET started_at = COALESCE(started_at, $1) WHERE id = $2")
        .bind(crate::db::now_ms())
        .bind(claim.id.as_str())
        .execute(&mut *conn)
        .await?;
    let done = usize::try_from(job.rows_done).unwrap_or(0);
    // Taken up again: the rows written before count as earlier rows of the file.
    let written: HashSet<i64> = if done > 0 {
        sqlx::query_scalar("SELECT row_number FROM import_records WHERE import_id = $1")
            .bind(claim.id.as_str())
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .collect()
    } else {
        HashSet::new()
    };
    drop(conn);
    put_off_sorting(db, kind, job.rows_total - job.rows_done).await?;
    let team = Team::load(db).await?;
    let mut writer = Writer {
        viewer: &viewer,
        kind,
        plan: &plan,
        team: &team,
        file_name: &job.file_name,
        matcher: Matcher::new(kind, &plan),
    };
    let mut file = file::rows(db, &claim.id, jobs::reading_of(&reading), WRITE_BATCH).await?;
    let headers = file.headers.clone();
    let mut before = 0;
    while let Some(batch) = file.next().await? {
        let first = before + 1;
        before += batch.len();
        let mut rows = Vec::with_capacity(batch.len());
        for (number, row) in (first..).zip(&batch) {
            let cells: Vec<&str> = row.iter().collect();
            if number > done {
                rows.push((number as i64, cells));
            } else if written.contains(&(number as i64)) {
                writer.replay(&plan.mapping.fields(&headers, &cells));
            }
        }
        if rows.is_empty() {
            continue;
        }
        let fields: Vec<_> = rows
            .iter()
            .map(|(number, cells)| (*number, plan.mapping.fields(&headers, cells)))
            .collect();
        let mut tx = db.transaction().await?;
        let mut tally = Tally::default();
        for ((row, written), (_, cells)) in
            writer.batch(&mut tx, &fields).await?.into_iter().zip(&rows)
        {
            tally.add(row, cells, written);
        }
        if !claim.renew(&mut tx).await? {
            return Ok(());
        }
        tally.store(&mut tx, &claim.id).await?;
        tx.commit().await?;
    }
    db.build_put_off_indexes().await?;
    let mut tx = db.transaction().await?;
    let (created, updated, skipped, rejected): (i64, i64, i64, i64) =
        sqlx::query_as("SELECT created, updated, skipped, rejected FROM imports WHERE id = $1")
            .bind(claim.id.as_str())
            .fetch_one(&mut *tx)
            .await?;
    let label = format!(
        "{}: {created} created, {updated} updated, {skipped} skipped, {rejected} rejected",
        job.file_name
    );
    log(&mut tx, &viewer, kind, Action::Import, &label).await?;
    file::drop(&mut tx, &claim.id).await?;
    claim.finish(&mut tx, JobState::Done, None).await?;
    tx.commit().await?;
    Ok(())
}

/// Rows from which an import into a table with no more live records than that puts
/// off the indexes that only sort its list, and builds them once at the end: on
/// SQLite a million leads took 190 s to write with them, 100 s without.
pub const PUT_OFF_FROM: i64 = 20_000;

/// Puts off the sorting indexes of `kind` for an import of `rows` more rows, when
/// they would cost more to keep up than to build again.
async fn put_off_sorting(db: &Db, kind: ImportKind, rows: i64) -> AppResult<()> {
    if db.backend != Backend::Sqlite || rows < PUT_OFF_FROM {
        return Ok(());
    }
    let (table, indexes) = match kind {
        ImportKind::Leads => ("leads", leads::store::SORT_INDEXES),
        ImportKind::Customers => ("customers", customers::store::SORT_INDEXES),
    };
    let live: i64 =
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE archived_at IS NULL"))
            .fetch_one(&db.pool)
            .await?;
    if live <= rows {
        db.put_off_indexes(indexes).await?;
    }
    Ok(())
}

/// One entry in the activity log for a whole import or its undo.
pub async fn log(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    kind: ImportKind,
    action: Action,
    label: &str,
) -> AppResult<()> {
    let entity_type = match kind {
        ImportKind::Leads => EntityType::Lead,
        ImportKind::Customers => EntityType::Customer,
    };
    NewEntry {
        actor_id: Some(viewer.id.as_str()),
        actor_name: &viewer.name,
        action,
        entity_type,
        entity_id: None,
        label,
        changes: None,
    }
    .record(conn)
    .await?;
    Ok(())
}

/// What a batch's rows did, stored with the batch.
#[derive(Default)]
struct Tally {
    created: i64,
    updated: i64,
    skipped: i64,
    /// Row number, record id, version after, values before (an update's).
    records: Vec<(i64, String, i64, Option<String>)>,
    /// Row number, its cells as JSON, the reason.
    rejects: Vec<(i64, String, String)>,
}

impl Tally {
    fn add(&mut self, row: i64, cells: &[&str], written: Written) {
        match written {
            Written::Created(id) => {
                self.created += 1;
                self.records.push((row, id, 1, None));
            }
            Written::Updated { id, version, previous } => {
                self.updated += 1;
                self.records.push((row, id, version, Some(previous)));
            }
            Written::Skipped => self.skipped += 1,
            Written::Rejected(reason) => {
                let cells = serde_json::to_string(cells).unwrap_or_default();
                self.rejects.push((row, cells, reason));
            }
        }
    }

    async fn store(self, conn: &mut AnyConnection, id: &ImportId) -> AppResult<()> {
        let columns = ["import_id", "row_number", "record_id", "version", "previous"];
        insert_rows(
            conn,
            "import_records",
            &columns,
            &self.records,
            |(row, record, version, previous), args| {
                let _ = args.add(id.to_string());
                let _ = args.add(*row);
                let _ = args.add(record.clone());
                let _ = args.add(*version);
                let _ = args.add(previous.clone());
            },
        )
        .await?;
        let columns = ["import_id", "row_number", "cells", "reason"];
        insert_rows(
            conn,
            "import_rejects",
            &columns,
            &self.rejects,
            |(row, cells, reason), args| {
                let _ = args.add(id.to_string());
                let _ = args.add(*row);
                let _ = args.add(cells.clone());
                let _ = args.add(reason.clone());
            },
        )
        .await?;
        let rows = self.created + self.updated + self.skipped + self.rejects.len() as i64;
        sqlx::query(
            "UPDATE imports SET rows_done = rows_done + $1, created = created + $2, \
             updated = updated + $3, skipped = skipped + $4, rejected = rejected + $5 WHERE id = $6",
        )
        .bind(rows)
        .bind(self.created)
        .bind(self.updated)
        .bind(self.skipped)
        .bind(self.rejects.len() as i64)
        .bind(id.as_str())
        .execute(conn)
        .await?;
        Ok(())
    }
}
