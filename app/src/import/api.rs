//! Server functions of imports: parse → authorize → store. Uploading the file is
//! `http::upload`; the rest — planning with a preview, starting, following,
//! undoing, discarding — is here.

use super::job::{ImportJob, Progress, SavedMapping};
use super::ImportKind;
use crate::error::AppError;
use crate::ids::{ImportId, SavedMappingId};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::job::{FileReading, JobPlan, JobState},
    super::mapping::{propose, Target},
    super::rows::Mapping,
    super::store::{file, jobs, mappings, preview, undo},
    super::OnDuplicate,
    crate::auth::Viewer,
    crate::error::FieldError,
    crate::ids::UserId,
    crate::leads::LeadStatus,
    crate::state::{app_state, go, signed_in, write},
};

/// The mapping page's form: how to read the file, a field per column, what to do
/// with duplicates and whom rows without a known assignee go to, and a status per
/// status value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanForm {
    pub id: String,
    pub encoding: String,
    pub delimiter: String,
    pub sheet: String,
    pub targets: Vec<String>,
    pub on_duplicate: String,
    /// The "also match by phone" box: present when ticked.
    pub match_phone: Option<String>,
    pub assignee: String,
    pub status_values: Vec<String>,
    pub statuses: Vec<String>,
    pub other_status: String,
    /// A name to save the mapping under, for the next file of the same kind.
    pub save_as: String,
}

#[server(prefix = "/api", endpoint = "imports/get")]
pub async fn get_import(id: ImportId) -> Result<ImportJob, AppError> {
    let viewer = signed_in()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    jobs::get(&mut conn, &viewer, &id).await
}

/// The upload page's content: the largest file accepted and the latest imports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportsOverview {
    pub limit_mb: usize,
    pub imports: Vec<ImportJob>,
}

#[server(prefix = "/api", endpoint = "imports/recent")]
pub async fn recent_imports() -> Result<ImportsOverview, AppError> {
    let viewer = signed_in()?;
    let state = app_state()?;
    let mut conn = state.db.pool.acquire().await?;
    let imports = jobs::recent(&mut conn, &viewer).await?;
    Ok(ImportsOverview { limit_mb: state.upload_limit / (1024 * 1024), imports })
}

/// How far an import has come (the progress page asks every second).
#[server(prefix = "/api", endpoint = "imports/progress")]
pub async fn import_progress(id: ImportId) -> Result<Progress, AppError> {
    let viewer = signed_in()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    jobs::progress(&mut conn, &viewer, &id).await
}

/// Records undo left alone because they changed since the import: row and record id.
#[server(prefix = "/api", endpoint = "imports/kept")]
pub async fn kept_records(id: ImportId) -> Result<Vec<(i64, String)>, AppError> {
    let viewer = signed_in()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    jobs::get(&mut conn, &viewer, &id).await?;
    undo::kept(&mut conn, &id).await
}

/// Checks the plan against the whole file and keeps both, to show the preview.
#[server(prefix = "/api", endpoint = "imports/preview")]
pub async fn preview_import(form: PlanForm) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let state = app_state()?;
    let id = ImportId::from(form.id.clone());
    let mut conn = state.db.pool.acquire().await?;
    let job = jobs::get(&mut conn, &viewer, &id).await?;
    jobs::in_state(&job, JobState::Mapping, "planned")?;
    let reading = FileReading {
        encoding: form.encoding.clone(),
        delimiter: form.delimiter.clone(),
        sheet: form.sheet.clone(),
        ..job.reading.clone()
    };
    drop(conn);
    let mut read =
        file::rows(&state.db, &id, jobs::reading_of(&reading), preview::ROWS_AT_ONCE).await?;
    let mut plan = planned(&viewer, &job, &form, &read.headers).await?;
    if !form.save_as.trim().is_empty() {
        let mut conn = state.db.pool.acquire().await?;
        mappings::save(&mut conn, &viewer, job.kind, &form.save_as, &read.headers, &plan).await?;
    }
    let preview = preview::planned(&state.db, &viewer, job.kind, &mut plan, &mut read).await?;
    let mut conn = state.db.pool.acquire().await?;
    jobs::save_plan(&mut conn, &job, &read, &plan, &preview).await?;
    go(&format!("/import/{id}#preview"))
}

/// The form as a plan for `headers`: when another reading of the file changed its
/// columns, the fields proposed for the new ones.
#[cfg(feature = "ssr")]
async fn planned(
    viewer: &Viewer,
    job: &ImportJob,
    form: &PlanForm,
    headers: &[String],
) -> Result<JobPlan, AppError> {
    let mut errors = Vec::new();
    let targets = if form.targets.len() == headers.len() && headers == job.head.headers {
        let parsed = form
            .targets
            .iter()
            .map(|t| t.parse::<Target>().ok().filter(|t| t.fits(job.kind)).unwrap_or(Target::Skip));
        parsed.collect()
    } else {
        propose(job.kind, headers)
    };
    let on_duplicate = form.on_duplicate.parse::<OnDuplicate>().unwrap_or_else(|e| {
        errors.push(e);
        OnDuplicate::Skip
    });
    let mut status = |raw: &str| raw.parse::<LeadStatus>().map_err(|e| errors.push(e)).ok();
    let other_status = status(&form.other_status).unwrap_or(LeadStatus::New);
    let statuses: Vec<(String, LeadStatus)> = form
        .status_values
        .iter()
        .zip(&form.statuses)
        .filter(|(_, s)| !s.is_empty())
        .filter_map(|(value, s)| Some((value.clone(), status(s)?)))
        .collect();
    let default_assignee = if viewer.is_admin() && !form.assignee.is_empty() {
        let chosen = UserId::from(form.assignee.as_str());
        let mut conn = app_state()?.db.pool.acquire().await?;
        match crate::records::assignable_name(&mut conn, &chosen).await {
            Ok(_) => chosen,
            Err(_) => {
                errors.push(FieldError::new("assignee", "Choose an active member of the team."));
                viewer.id.clone()
            }
        }
    } else {
        viewer.id.clone()
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    Ok(JobPlan {
        mapping: Mapping { targets, statuses, other_status },
        on_duplicate,
        match_phone: form.match_phone.is_some(),
        default_assignee,
    })
}

/// Starts writing a previewed import.
#[server(prefix = "/api", endpoint = "imports/start")]
pub async fn start_import(id: ImportId) -> Result<(), AppError> {
    let viewer = signed_in()?;
    write(async |tx| jobs::start(tx, &viewer, &id).await).await?;
    go(&format!("/import/{id}"))
}

/// Undoes a finished import (within seven days).
#[server(prefix = "/api", endpoint = "imports/undo")]
pub async fn undo_import(id: ImportId) -> Result<(), AppError> {
    let viewer = signed_in()?;
    write(async |tx| jobs::undo(tx, &viewer, &id).await).await?;
    go(&format!("/import/{id}"))
}

/// Forgets an import that was not started, with its file.
#[server(prefix = "/api", endpoint = "imports/discard")]
pub async fn discard_import(id: ImportId) -> Result<(), AppError> {
    let viewer = signed_in()?;
    write(async |tx| jobs::discard(tx, &viewer, &id).await).await?;
    go("/import")
}

/// The viewer's mappings saved for files of `kind`.
#[server(prefix = "/api", endpoint = "imports/mappings")]
pub async fn saved_mappings(kind: ImportKind) -> Result<Vec<SavedMapping>, AppError> {
    let viewer = signed_in()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    mappings::list(&mut conn, &viewer, kind).await
}

/// Plans an import not started yet with one of the viewer's saved mappings.
#[server(prefix = "/api", endpoint = "imports/use_mapping")]
pub async fn use_mapping(id: ImportId, mapping: SavedMappingId) -> Result<(), AppError> {
    let viewer = signed_in()?;
    write(async |tx| {
        let job = jobs::get(tx, &viewer, &id).await?;
        let plan = mappings::plan_for(tx, &viewer, &mapping, job.kind, &job.head.headers).await?;
        jobs::replan(tx, &job, &plan).await
    })
    .await?;
    go(&format!("/import/{id}"))
}

/// Forgets one of the viewer's saved mappings (from the page of import `id`).
#[server(prefix = "/api", endpoint = "imports/forget_mapping")]
pub async fn forget_mapping(id: ImportId, mapping: SavedMappingId) -> Result<(), AppError> {
    let viewer = signed_in()?;
    write(async |tx| mappings::delete(tx, &viewer, &mapping).await).await?;
    go(&format!("/import/{id}"))
}
