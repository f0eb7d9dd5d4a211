//! Imports as jobs in the database: created from an uploaded file (kept with it,
//! `file`), planned on the mapping page, started, undone or discarded, each change
//! checked against the state it needs; workers take jobs up through `claims`.

use super::{file, BATCH};
use crate::auth::policy::RecordScope;
use crate::auth::Viewer;
use crate::db::{now_ms, Db};
use crate::error::{AppError, AppResult};
use crate::ids::{ImportId, UserId};
use crate::import::job::UNDO_WITHIN_MS;
use crate::import::job::{FileReading, Head, ImportJob, JobPlan, JobState, Preview, Progress};
use crate::import::source::{self, Format, Reading};
use crate::import::stream::Stream;
use crate::import::ImportKind;
use crate::sql::Filter;
use sqlx::AnyConnection;
use std::io::BufReader;
use std::path::Path;

/// What `Progress` is read from.
const PROGRESS_COLUMNS: &str = "i.state, i.rows_total, i.rows_done, i.created, i.updated, \
    i.skipped, i.rejected, i.undo_done, i.undo_kept, i.started_at, i.finished_at";

#[derive(sqlx::FromRow)]
struct ProgressRow {
    state: String,
    rows_total: i64,
    rows_done: i64,
    created: i64,
    updated: i64,
    skipped: i64,
    rejected: i64,
    undo_done: i64,
    undo_kept: i64,
    started_at: Option<i64>,
    finished_at: Option<i64>,
}

impl ProgressRow {
    fn into_progress(self) -> AppResult<(JobState, Progress)> {
        let state = JobState::parse(&self.state).ok_or_else(unreadable)?;
        let progress = Progress {
            state: Some(state),
            rows_total: self.rows_total,
            rows_done: self.rows_done,
            created: self.created,
            updated: self.updated,
            skipped: self.skipped,
            rejected: self.rejected,
            undo_done: self.undo_done,
            undo_kept: self.undo_kept,
            started_at: self.started_at,
            finished_at: self.finished_at,
            now: now_ms(),
        };
        Ok((state, progress))
    }
}

const COLUMNS: &str = "i.id, i.kind, i.file_name, i.file_size, i.reading, i.head, i.plan, \
    i.preview, u.name AS created_by, i.created_at, i.error";

#[derive(sqlx::FromRow)]
struct JobRow {
    id: ImportId,
    kind: String,
    file_name: String,
    file_size: i64,
    reading: String,
    head: String,
    plan: Option<String>,
    preview: Option<String>,
    created_by: String,
    created_at: i64,
    error: Option<String>,
    #[sqlx(flatten)]
    progress: ProgressRow,
}

fn unreadable() -> AppError {
    AppError::internal("a stored import is unreadable", "unknown kind or state")
}

fn stored<T: serde::de::DeserializeOwned>(json: &str) -> AppResult<T> {
    serde_json::from_str(json).map_err(|e| AppError::internal("a stored import is unreadable", e))
}

fn json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

impl JobRow {
    fn into_job(self) -> AppResult<ImportJob> {
        let (state, progress) = self.progress.into_progress()?;
        Ok(ImportJob {
            kind: ImportKind::parse(&self.kind).ok_or_else(unreadable)?,
            reading: stored(&self.reading)?,
            head: stored(&self.head)?,
            plan: self.plan.as_deref().map(stored).transpose()?,
            preview: self.preview.as_deref().map(stored).transpose()?,
            id: self.id,
            file_name: self.file_name,
            file_size: self.file_size,
            rows_total: progress.rows_total,
            state,
            created_by: self.created_by,
            created_at: self.created_at,
            error: self.error,
            progress,
        })
    }
}

/// How `table` was read, for the page and for reading it again the same way.
pub fn file_reading(format: &Format) -> FileReading {
    match format {
        Format::Workbook { sheet, sheets } => FileReading {
            format: "Excel workbook".to_owned(),
            sheet: sheet.clone(),
            sheets: sheets.clone(),
            ..FileReading::default()
        },
        Format::Text { encoding, delimiter } => FileReading {
            format: "CSV".to_owned(),
            encoding: encoding.name().to_owned(),
            delimiter: char::from(*delimiter).to_string(),
            ..FileReading::default()
        },
    }
}

/// What `source::read` needs to read the file as `reading` says.
pub fn reading_of(reading: &FileReading) -> Reading {
    Reading {
        encoding: encoding_rs::Encoding::for_label(reading.encoding.as_bytes()),
        delimiter: reading.delimiter.bytes().next().filter(|b| source::DELIMITERS.contains(b)),
        sheet: Some(reading.sheet.clone()).filter(|s| !s.is_empty()),
    }
}

/// A new import of the file at `path`, waiting for its plan: read through once for
/// its columns, first rows and row count (a file that cannot be read is refused
/// whole), and kept with the import.
pub async fn create(
    db: &Db,
    viewer: &Viewer,
    kind: ImportKind,
    file_name: &str,
    path: &Path,
    reading: Reading,
) -> AppResult<ImportId> {
    let opened = path.to_owned();
    let open = move || Ok(BufReader::with_capacity(1 << 20, std::fs::File::open(&opened)?));
    let mut stream = Stream::open(open, reading, BATCH).await?;
    let rows_total = stream.count_rest().await?;
    let size = tokio::fs::metadata(path)
        .await
        .map_err(|e| AppError::internal("an uploaded file could not be read", e))?
        .len();
    let id = ImportId::generate();
    let mut tx = db.transaction().await?;
    let plan = earlier_plan(&mut tx, viewer, kind, &stream.headers).await?;
    sqlx::query(
        "INSERT INTO imports (id, kind, file_name, file_size, reading, head, rows_total, plan, state, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(id.as_str())
    .bind(kind.as_str())
    .bind(file_name)
    .bind(size as i64)
    .bind(json(&file_reading(&stream.format)))
    .bind(json(&stream.head()))
    .bind(rows_total as i64)
    .bind(plan)
    .bind(JobState::Mapping.as_str())
    .bind(viewer.id.as_str())
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    file::save(&mut tx, &id, path).await?;
    tx.commit().await?;
    Ok(id)
}

/// The plan of the viewer's latest import of `kind` from a file with exactly these
/// columns: a team that imports the same export again finds its mapping as it left it.
async fn earlier_plan(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    kind: ImportKind,
    headers: &[String],
) -> AppResult<Option<String>> {
    let earlier: Vec<(String, String)> = sqlx::query_as(
        "SELECT head, plan FROM imports WHERE created_by = $1 AND kind = $2 AND plan IS NOT NULL \
         ORDER BY created_at DESC LIMIT 20",
    )
    .bind(viewer.id.as_str())
    .bind(kind.as_str())
    .fetch_all(&mut *conn)
    .await?;
    for (head, plan) in earlier {
        if stored::<Head>(&head)?.headers == headers {
            return Ok(Some(plan));
        }
    }
    Ok(None)
}

/// The imports `viewer` may see (an agent: their own), `WHERE` first.
fn visible(viewer: &Viewer) -> Filter {
    let mut filter = Filter::new();
    filter.scope(&RecordScope::of(viewer), "i.created_by");
    filter
}

/// An import `viewer` may see; `NotFound` for anyone else's (an agent's view).
pub async fn get(conn: &mut AnyConnection, viewer: &Viewer, id: &ImportId) -> AppResult<ImportJob> {
    let mut filter = visible(viewer);
    filter.push("i.id = ?", Some(id.to_string()));
    let sql = format!(
        "SELECT {COLUMNS}, {PROGRESS_COLUMNS} FROM imports i JOIN users u ON u.id = i.created_by \
         WHERE {}",
        filter.sql()
    );
    let row: Option<JobRow> = sqlx::query_as_with(&sql, filter.args).fetch_optional(conn).await?;
    row.ok_or(AppError::NotFound)?.into_job()
}

/// How far an import `viewer` may see has come: the counters only, for a page that asks
/// every second.
pub async fn progress(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &ImportId,
) -> AppResult<Progress> {
    let mut filter = visible(viewer);
    filter.push("i.id = ?", Some(id.to_string()));
    let sql = format!("SELECT {PROGRESS_COLUMNS} FROM imports i WHERE {}", filter.sql());
    let row: Option<ProgressRow> =
        sqlx::query_as_with(&sql, filter.args).fetch_optional(conn).await?;
    Ok(row.ok_or(AppError::NotFound)?.into_progress()?.1)
}

/// The latest imports `viewer` may see, newest first.
pub async fn recent(conn: &mut AnyConnection, viewer: &Viewer) -> AppResult<Vec<ImportJob>> {
    let filter = visible(viewer);
    let sql = format!(
        "SELECT {COLUMNS}, {PROGRESS_COLUMNS} FROM imports i JOIN users u ON u.id = i.created_by \
         WHERE {} ORDER BY i.created_at DESC LIMIT 20",
        filter.sql()
    );
    let rows: Vec<JobRow> = sqlx::query_as_with(&sql, filter.args).fetch_all(conn).await?;
    rows.into_iter().map(JobRow::into_job).collect()
}

/// Refuses a change to an import that is past the state it needs.
pub fn in_state(job: &ImportJob, state: JobState, doing: &str) -> AppResult<()> {
    if job.state == state {
        return Ok(());
    }
    Err(AppError::Conflict(format!(
        "This import is {}: it cannot be {doing} now.",
        job.state.label().to_lowercase()
    )))
}

/// Stores the plan of an import not started yet, with the way its file is read
/// and what the preview found.
pub async fn save_plan(
    conn: &mut AnyConnection,
    job: &ImportJob,
    read: &Stream,
    plan: &JobPlan,
    preview: &Preview,
) -> AppResult<()> {
    in_state(job, JobState::Mapping, "planned")?;
    let mut reading = file_reading(&read.format);
    reading.sheets.clone_from(&job.reading.sheets);
    sqlx::query(
        "UPDATE imports SET reading = $1, head = $2, rows_total = $3, plan = $4, preview = $5 \
         WHERE id = $6 AND state = $7",
    )
    .bind(json(&reading))
    .bind(json(&read.head()))
    .bind(read.rows_read() as i64)
    .bind(json(plan))
    .bind(json(preview))
    .bind(job.id.as_str())
    .bind(JobState::Mapping.as_str())
    .execute(conn)
    .await?;
    Ok(())
}

/// Replaces the plan of an import not started yet (with a saved mapping's) and
/// forgets its preview, which was of the plan before.
pub async fn replan(conn: &mut AnyConnection, job: &ImportJob, plan: &JobPlan) -> AppResult<()> {
    in_state(job, JobState::Mapping, "planned")?;
    sqlx::query("UPDATE imports SET plan = $1, preview = NULL WHERE id = $2 AND state = $3")
        .bind(json(plan))
        .bind(job.id.as_str())
        .bind(JobState::Mapping.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

/// Hands a planned import to the workers.
pub async fn start(conn: &mut AnyConnection, viewer: &Viewer, id: &ImportId) -> AppResult<()> {
    let job = get(conn, viewer, id).await?;
    in_state(&job, JobState::Mapping, "started")?;
    if job.preview.is_none() {
        return Err(AppError::invalid("id", "Preview the import before starting it."));
    }
    move_on(conn, id, JobState::Mapping, JobState::Queued, None).await
}

/// Asks the workers to undo a finished import, within seven days of its end.
pub async fn undo(conn: &mut AnyConnection, viewer: &Viewer, id: &ImportId) -> AppResult<()> {
    let job = get(conn, viewer, id).await?;
    in_state(&job, JobState::Done, "undone")?;
    let finished = job.progress.finished_at.unwrap_or_default();
    if now_ms() - finished > UNDO_WITHIN_MS {
        return Err(AppError::Conflict(
            "An import can be undone for seven days after it finished.".to_owned(),
        ));
    }
    move_on(conn, id, JobState::Done, JobState::Undoing, Some(&viewer.id)).await
}

/// Forgets an import not started yet, with its file.
pub async fn discard(conn: &mut AnyConnection, viewer: &Viewer, id: &ImportId) -> AppResult<()> {
    let job = get(conn, viewer, id).await?;
    in_state(&job, JobState::Mapping, "discarded")?;
    file::drop(conn, id).await?;
    sqlx::query("DELETE FROM imports WHERE id = $1 AND state = $2")
        .bind(id.as_str())
        .bind(JobState::Mapping.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

async fn move_on(
    conn: &mut AnyConnection,
    id: &ImportId,
    from: JobState,
    to: JobState,
    undone_by: Option<&UserId>,
) -> AppResult<()> {
    let moved = sqlx::query(
        "UPDATE imports SET state = $1, undone_by = COALESCE($2, undone_by) WHERE id = $3 AND state = $4",
    )
    .bind(to.as_str())
    .bind(undone_by.map(UserId::as_str))
    .bind(id.as_str())
    .bind(from.as_str())
    .execute(conn)
    .await?;
    if moved.rows_affected() == 0 {
        return Err(AppError::Conflict(
            "This import changed meanwhile; reload the page.".to_owned(),
        ));
    }
    Ok(())
}

/// A refused row: its number, its cells and why.
pub type Reject = (i64, Vec<String>, String);

/// Up to `limit` refused rows of `id` after row number `after`, in row order.
pub async fn rejects(
    conn: &mut AnyConnection,
    id: &ImportId,
    after: i64,
    limit: i64,
) -> AppResult<Vec<Reject>> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT row_number, cells, reason FROM import_rejects \
         WHERE import_id = $1 AND row_number > $2 ORDER BY row_number LIMIT $3",
    )
    .bind(id.as_str())
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(row, cells, reason)| (row, serde_json::from_str(&cells).unwrap_or_default(), reason))
        .collect())
}
