//! Server functions for tasks: parse → authorize → store → map errors.

use super::{Task, TaskForm, TaskPage};
use crate::error::AppError;
use crate::ids::TaskId;
use crate::records::RecordLink;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{store, TaskDraft, TaskQuery, TaskStatus},
    crate::auth::policy::{self, RecordScope},
    crate::auth::{UserId, Viewer},
    crate::records::{visible, RecordRef},
    crate::state::{app_state, signed_in},
    leptos_axum::redirect,
};

/// A page of the viewer's tasks; `query` is the list's URL query string.
#[server(prefix = "/api", endpoint = "tasks/list")]
pub async fn list_tasks(query: String) -> Result<TaskPage, AppError> {
    let viewer = signed_in()?;
    let query = TaskQuery::from_params(crate::list::query_params(&query));
    store::list(&app_state()?.db, &RecordScope::of(&viewer), &query).await
}

#[server(prefix = "/api", endpoint = "tasks/get")]
pub async fn get_task(id: TaskId) -> Result<Task, AppError> {
    let viewer = signed_in()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    store::get(&mut conn, &RecordScope::of(&viewer), &id).await
}

/// The lead or customer a new task will belong to, if the viewer may see it.
#[server(prefix = "/api", endpoint = "tasks/record")]
pub async fn task_record(kind: String, id: String) -> Result<RecordLink, AppError> {
    let viewer = signed_in()?;
    let record = RecordRef::parse(&kind, &id)?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    visible(&mut conn, &RecordScope::of(&viewer), &record).await
}

/// The record a form names by `kind` and `record_id`, if any.
#[cfg(feature = "ssr")]
fn related(kind: Option<String>, record_id: Option<String>) -> Result<Option<RecordRef>, AppError> {
    match (
        kind.filter(|k| !k.is_empty()),
        record_id.filter(|r| !r.is_empty()),
    ) {
        (Some(kind), Some(id)) => RecordRef::parse(&kind, &id).map(Some),
        _ => Ok(None),
    }
}

/// Where to go after a change: the related record's page, or the task's.
#[cfg(feature = "ssr")]
fn back_to(related: Option<&RecordRef>, task: &TaskId) -> String {
    related.map_or_else(
        || format!("/tasks/{task}"),
        |r| format!("{}#tasks", r.path()),
    )
}

/// Admins give tasks to any active agent; agents' tasks are always their own.
#[cfg(feature = "ssr")]
fn assignee_of(viewer: &Viewer, assignee: Option<String>) -> UserId {
    policy::assignee_for_new_record(viewer, assignee.filter(|a| !a.is_empty()).map(UserId::from))
}

#[server(prefix = "/api", endpoint = "tasks/create")]
pub async fn create_task(
    #[server(flatten)] form: TaskForm,
    assignee: Option<String>,
    kind: Option<String>,
    record_id: Option<String>,
) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let draft = TaskDraft::try_from(&form)?;
    let related = related(kind, record_id)?;
    let assignee = assignee_of(&viewer, assignee);
    let state = app_state()?;
    let tz = crate::clock::org_time_zone(&state.db).await?;
    let mut tx = state.db.transaction().await?;
    if let Some(record) = &related {
        let link = visible(&mut tx, &RecordScope::of(&viewer), record).await?;
        if link.archived {
            return Err(AppError::Conflict(format!(
                "This {} is archived. Restore it before adding tasks.",
                record.kind()
            )));
        }
    }
    crate::users::store::assignable_name(&mut tx, &assignee).await?;
    let id = store::create(&mut tx, &viewer, &draft, &assignee, related.as_ref(), tz).await?;
    tx.commit().await?;
    redirect(&back_to(related.as_ref(), &id));
    Ok(())
}

#[server(prefix = "/api", endpoint = "tasks/update")]
pub async fn update_task(
    id: TaskId,
    version: i64,
    #[server(flatten)] form: TaskForm,
    assignee: Option<String>,
) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let draft = TaskDraft::try_from(&form)?;
    let state = app_state()?;
    let tz = crate::clock::org_time_zone(&state.db).await?;
    let mut tx = state.db.transaction().await?;
    store::update(&mut tx, &viewer, &id, version, &draft, tz).await?;
    if let Some(assignee) = assignee.filter(|a| !a.is_empty()) {
        if !policy::may_assign_to_others(&viewer) && assignee != viewer.id.as_str() {
            return Err(AppError::NotFound);
        }
        store::assign(&mut tx, &viewer, &id, &UserId::from(assignee)).await?;
    }
    tx.commit().await?;
    redirect(&format!("/tasks/{id}"));
    Ok(())
}

/// Marks a task done or reopens it (the list's quick actions), then returns to `back`.
#[server(prefix = "/api", endpoint = "tasks/status")]
pub async fn set_task_status(
    id: TaskId,
    version: i64,
    status: String,
    back: Option<String>,
) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let status: TaskStatus = status.parse().map_err(|e| AppError::Invalid(vec![e]))?;
    let mut tx = app_state()?.db.transaction().await?;
    store::set_status(&mut tx, &viewer, &id, version, status).await?;
    tx.commit().await?;
    redirect(&crate::auth::safe_return_path(back.as_deref()));
    Ok(())
}

#[server(prefix = "/api", endpoint = "tasks/delete")]
pub async fn delete_task(id: TaskId, version: i64) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let mut tx = app_state()?.db.transaction().await?;
    let related = store::delete(&mut tx, &viewer, &id, version).await?;
    tx.commit().await?;
    redirect(&related.map_or_else(|| "/tasks".to_owned(), |r| format!("{}#tasks", r.path())));
    Ok(())
}
