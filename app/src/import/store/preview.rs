//! What a plan would do with the whole file, before anything is written: each row
//! checked as the import checks it, its email looked up among the viewer's records
//! (a batch of emails per query) and the rows before it, as the file streams past.

use super::matching::{Found, Matcher};
use super::Team;
use crate::auth::Viewer;
use crate::db::Db;
use crate::error::AppResult;
use crate::import::job::{JobPlan, Preview, PreviewRow, Problem};
use crate::import::mapping::{propose_status, Target};
use crate::import::rows::Fields;
use crate::import::stream::Stream;
use crate::import::{ImportKind, OnDuplicate};

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
    let status_column = plan.mapping.targets.iter().position(|t| *t == Target::Status);
    let mut before = 0;
    while let Some(rows) = file.next().await? {
        let fields: Vec<_> = rows
            .iter()
            .map(|row| plan.mapping.fields(&file.headers, &row.iter().collect::<Vec<_>>()))
            .collect();
        let mut conn = db.pool.acquire().await?;
        // The rows are checked while the database looks their emails up.
        let (existing, checked) =
            tokio::join!(matcher.look_up(&mut conn, viewer, &fields), async {
                fields.iter().map(|fields| check(kind, plan, fields)).collect::<Vec<_>>()
            });
        let existing = existing?;
        drop(conn);
        for (i, (fields, checked)) in fields.iter().zip(checked).enumerate() {
            let row = (before + i + 1) as u64;
            let named = fields.assignee.as_deref();
            let unknown_assignee =
                viewer.is_admin() && named.is_some() && team.named(named).is_none();
            if let Err(error) = checked {
                preview.rejects += 1;
                if preview.problems.len() < PROBLEMS_LISTED {
                    preview.problems.push(Problem { row, reason: error.in_one_line() });
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
            match matcher.find(&existing, fields) {
                Found::New => {
                    preview.new_rows += 1;
                    matcher.remember(fields);
                }
                Found::Record(..) if plan.on_duplicate == OnDuplicate::Update => {
                    preview.duplicates += 1;
                    matcher.remember(fields);
                }
                _ => preview.duplicates += 1,
            }
            if preview.rows.len() < ROWS_SHOWN {
                preview.rows.push(shown(viewer, kind, plan, &team, fields));
            }
        }
        if let Some(column) = status_column {
            for value in rows.iter().filter_map(|row| row.get(column)) {
                let listed = preview.unmapped_statuses.len() >= STATUS_VALUES
                    || value.is_empty()
                    || plan
                        .mapping
                        .statuses
                        .iter()
                        .any(|(known, _)| known.eq_ignore_ascii_case(value))
                    || preview.unmapped_statuses.iter().any(|v| v.eq_ignore_ascii_case(value));
                if !listed {
                    preview.unmapped_statuses.push(value.to_owned());
                }
            }
        }
        before += rows.len();
    }
    file.count_rest().await?;
    Ok(preview)
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
