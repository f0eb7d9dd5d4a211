//! What a plan would do with the whole file, before anything is written: each row
//! checked as the import checks it, its email looked up among the viewer's records
//! (a batch of emails per query) and the rows before it, as the file streams past.
//! The work is spread over threads: one reads the file, others check the next
//! batches' rows and look them up, while the request's task counts the batch before.

use super::matching::{Existing, Found, Lookup, Matcher, RowKeys};
use super::Team;
use crate::auth::Viewer;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::import::job::{JobPlan, Preview, PreviewRow, Problem};
use crate::import::mapping::{propose_status, Target};
use crate::import::rows::Fields;
use crate::import::source::Row;
use crate::import::stream::Stream;
use crate::import::{ImportKind, OnDuplicate};
use std::collections::VecDeque;
use std::sync::Arc;
use tokio::task::JoinHandle;

/// Rows checked and looked up at a time: one lookup of each kind a batch, as the
/// worker writes them.
pub const ROWS_AT_ONCE: usize = super::WRITE_BATCH;
/// Problems listed by row; the rest are counted.
const PROBLEMS_LISTED: usize = 100;
/// Rows shown as they would be stored.
const ROWS_SHOWN: usize = 10;
/// Status values listed for mapping.
const STATUS_VALUES: usize = 50;

/// Previews `plan`, then maps each status value of the file that clearly names a
/// status to it (the rest are asked on the page).
pub async fn planned(
    db: &Db,
    viewer: &Viewer,
    kind: ImportKind,
    plan: &mut JobPlan,
    file: &mut Stream,
) -> AppResult<Preview> {
    let mut preview = run(db, viewer, kind, plan, file).await?;
    let statuses = &mut plan.mapping.statuses;
    preview.unmapped_statuses.retain(|value| match propose_status(value) {
        Some(status) => {
            statuses.push((value.clone(), status));
            false
        }
        None => true,
    });
    Ok(preview)
}

/// What `plan` would do with each row of the file.
pub async fn run(
    db: &Db,
    viewer: &Viewer,
    kind: ImportKind,
    plan: &JobPlan,
    file: &mut Stream,
) -> AppResult<Preview> {
    let team = Team::load(db).await?;
    let mut preview = Preview::default();
    let mut matcher = Matcher::new(kind, plan);
    let checking = Checking {
        db: db.clone(),
        viewer: viewer.clone(),
        kind,
        plan: Arc::new(plan.clone()),
        headers: Arc::new(file.headers.clone()),
        lookup: matcher.lookup(),
        status_column: plan.mapping.targets.iter().position(|t| *t == Target::Status),
    };
    let mut before = 0;
    let mut upcoming = VecDeque::with_capacity(IN_FLIGHT);
    loop {
        while upcoming.len() < IN_FLIGHT {
            match file.next().await? {
                Some(rows) => upcoming.push_back(checking.start(rows)),
                None => break,
            }
        }
        let Some(batch) = upcoming.pop_front() else { break };
        let (batch, existing) =
            batch.await.map_err(|e| AppError::internal("checking an import stopped", e))??;
        for (i, checked) in batch.rows.iter().enumerate() {
            let row = (before + i + 1) as u64;
            let fields = &checked.fields;
            let named = fields.assignee.as_deref();
            let unknown_assignee =
                viewer.is_admin() && named.is_some() && team.named(named).is_none();
            if let Err(reason) = &checked.problem {
                preview.rejects += 1;
                if preview.problems.len() < PROBLEMS_LISTED {
                    preview.problems.push(Problem { row, reason: reason.clone() });
                }
                continue;
            }
            if unknown_assignee && preview.problems.len() < PROBLEMS_LISTED {
                let reason = format!(
                    "Nobody on the team is “{}”: the row goes to the default assignee.",
                    named.unwrap_or_default()
                );
                preview.problems.push(Problem { row, reason });
            }
            // Remembered as the import would: created, or a record updated from it.
            match matcher.find(&existing, &checked.keys) {
                Found::New => {
                    preview.new_rows += 1;
                    matcher.remember(&checked.keys);
                }
                Found::Record(..) if plan.on_duplicate == OnDuplicate::Update => {
                    preview.duplicates += 1;
                    matcher.remember(&checked.keys);
                }
                _ => preview.duplicates += 1,
            }
            if preview.rows.len() < ROWS_SHOWN {
                preview.rows.push(shown(viewer, kind, plan, &team, fields));
            }
        }
        for value in batch.statuses {
            let listed = preview.unmapped_statuses.len() >= STATUS_VALUES
                || plan
                    .mapping
                    .statuses
                    .iter()
                    .any(|(known, _)| known.eq_ignore_ascii_case(&value))
                || preview.unmapped_statuses.iter().any(|v| v.eq_ignore_ascii_case(&value));
            if !listed {
                preview.unmapped_statuses.push(value);
            }
        }
        before += batch.rows.len();
    }
    file.count_rest().await?;
    Ok(preview)
}

/// Batches checked and looked up at once, ahead of the one being counted: two
/// lookups in flight keep both of PostgreSQL's cores busy.
const IN_FLIGHT: usize = 2;

/// What checking a batch needs, shared with the tasks that do it.
struct Checking {
    db: Db,
    viewer: Viewer,
    kind: ImportKind,
    plan: Arc<JobPlan>,
    headers: Arc<Vec<String>>,
    lookup: Lookup,
    status_column: Option<usize>,
}

/// A batch's rows as the import would see them, and its status values.
struct Checked {
    rows: Vec<CheckedRow>,
    /// The non-empty values of the status column, each once (by case), in order.
    statuses: Vec<String>,
}

struct CheckedRow {
    fields: Fields,
    /// Why the row would be rejected.
    problem: Result<(), String>,
    keys: RowKeys,
}

impl Checking {
    /// Checks `rows` on a blocking thread, then looks up the records they match.
    fn start(&self, rows: Vec<Row>) -> JoinHandle<AppResult<(Checked, Existing)>> {
        let (db, viewer, lookup) = (self.db.clone(), self.viewer.clone(), self.lookup);
        let checking = self.check(rows);
        tokio::spawn(async move {
            let checked =
                checking.await.map_err(|e| AppError::internal("checking an import stopped", e))?;
            let mut conn = db.pool.acquire().await?;
            let keys = checked.rows.iter().map(|row| &row.keys);
            let existing = lookup.look_up(&mut conn, &viewer, keys).await?;
            Ok((checked, existing))
        })
    }

    fn check(&self, rows: Vec<Row>) -> JoinHandle<Checked> {
        let (kind, keying, status_column) = (self.kind, self.lookup, self.status_column);
        let (plan, headers) = (self.plan.clone(), self.headers.clone());
        tokio::task::spawn_blocking(move || {
            let checked = rows.iter().map(|row| {
                let fields = plan.mapping.fields(&headers, &row.iter().collect::<Vec<_>>());
                let problem = check(kind, &plan, &fields).map_err(|e| e.in_one_line());
                CheckedRow { keys: keying.keys(&fields), fields, problem }
            });
            // Enough to hold the first values listed whichever of them are mapped: a
            // column of all-different values costs no more than one of a few.
            let most = STATUS_VALUES + plan.mapping.statuses.len();
            let mut statuses: Vec<String> = Vec::new();
            let values =
                status_column.into_iter().flat_map(|c| rows.iter().filter_map(move |r| r.get(c)));
            for value in values.filter(|v| !v.is_empty()) {
                if statuses.len() >= most {
                    break;
                }
                if !statuses.iter().any(|v| v.eq_ignore_ascii_case(value)) {
                    statuses.push(value.to_owned());
                }
            }
            Checked { rows: checked.collect(), statuses }
        })
    }
}

/// Whether the row would be stored, or why not.
fn check(kind: ImportKind, plan: &JobPlan, fields: &Fields) -> AppResult<()> {
    match kind {
        ImportKind::Leads => plan.mapping.lead(fields).map(|_| ()),
        ImportKind::Customers => plan.mapping.customer(fields).map(|_| ()),
    }
}

/// The row as it would be stored.
fn shown(
    viewer: &Viewer,
    kind: ImportKind,
    plan: &JobPlan,
    team: &Team,
    fields: &Fields,
) -> PreviewRow {
    let assignee = if viewer.is_admin() {
        team.named(fields.assignee.as_deref()).map(|(_, name)| name.to_owned())
    } else {
        Some(viewer.name.clone())
    };
    let detail = match kind {
        ImportKind::Leads => plan.mapping.status_of(fields.status.as_deref()).label().to_owned(),
        ImportKind::Customers => fields.tags.clone(),
    };
    PreviewRow {
        name: fields.name.clone(),
        email: fields.email.clone(),
        phone: fields.phone.clone(),
        company: fields.company.clone(),
        detail,
        assignee: assignee.unwrap_or_else(|| "(default assignee)".to_owned()),
    }
}
