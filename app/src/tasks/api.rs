//! Server functions for tasks: parse → authorize → store → map errors.

use super::{Task, TaskForm, TaskPage};
use crate::error::AppError;
use crate::ids::TaskId;
use crate::list::{BulkForm, BulkPreview};
use crate::records::RecordLink;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::Checked;

#[cfg(feature = "ssr")]
use {
    super::{store, TaskDraft, TaskQuery, TaskStatus},
    crate::auth::policy::{self, RecordScope},
    crate::auth::UserId,
    crate::list::Selection,
    crate::records::bulk::{unknown_action, RecordChange, Wording},
    crate::records::{visible, RecordRef},
    crate::state::{app_state, go, reads, signed_in, write},
};

/// A page of the viewer's tasks; `query` is the list's URL query string.
#[server(prefix = "/api", endpoint = "tasks/list")]
pub async fn list_tasks(query: String) -> Result<TaskPage, AppError> {
    let viewer = signed_in()?;
    let query = TaskQuery::from_params(crate::list::query_params(&query));
    store::list(&reads().await?, &RecordScope::of(&viewer), &query).await
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
    match (kind.filter(|k| !k.is_empty()), record_id.filter(|r| !r.is_empty())) {
        (Some(kind), Some(id)) => RecordRef::parse(&kind, &id).map(Some),
        _ => Ok(None),
    }
}

/// Where to go after a change: the related record's page, or the task's.
#[cfg(feature = "ssr")]
fn back_to(related: Option<&RecordRef>, task: &TaskId) -> String {
    related.map_or_else(|| format!("/tasks/{task}"), |r| format!("{}#tasks", r.path()))
}

#[server(prefix = "/api", endpoint = "tasks/create")]
pub async fn create_task(
    #[server(flatten)] form: TaskForm,
    assignee: Option<String>,
    kind: Option<String>,
    record_id: Option<String>,
) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let draft = TaskDraft::checked(&form)?;
    let related = related(kind, record_id)?;
    let assignee = policy::requested_assignee(&viewer, assignee);
    let tz = crate::clock::org_time_zone(&app_state()?.db).await?;
    let id =
        write(async |tx| store::create(tx, &viewer, &draft, &assignee, related.as_ref(), tz).await)
            .await?;
    go(&back_to(related.as_ref(), &id))
}

#[server(prefix = "/api", endpoint = "tasks/update")]
pub async fn update_task(
    id: TaskId,
    version: i64,
    #[server(flatten)] form: TaskForm,
    assignee: Option<String>,
) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let draft = TaskDraft::checked(&form)?;
    let tz = crate::clock::org_time_zone(&app_state()?.db).await?;
    write(async |tx| {
        store::update(tx, &viewer, &id, version, &draft, tz).await?;
        if let Some(assignee) = assignee.filter(|a| !a.is_empty()) {
            if !policy::may_assign_to_others(&viewer) && assignee != viewer.id.as_str() {
                return Err(AppError::NotFound);
            }
            store::assign(tx, &viewer, &id, &UserId::from(assignee)).await?;
        }
        Ok(())
    })
    .await?;
    go(&format!("/tasks/{id}"))
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
    write(async |tx| store::set_status(tx, &viewer, &id, Some(version), status).await).await?;
    go(&crate::auth::safe_return_path(back.as_deref()))
}

#[server(prefix = "/api", endpoint = "tasks/delete")]
pub async fn delete_task(id: TaskId, version: i64) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let related = write(async |tx| store::delete(tx, &viewer, &id, Some(version)).await).await?;
    go(&related.map_or_else(|| "/tasks".to_owned(), |r| format!("{}#tasks", r.path())))
}

/// What a bulk action from the list would change (its confirmation page): the
/// tasks it names that the viewer may change, and what it does to them.
#[server(prefix = "/api", endpoint = "tasks/bulk_preview")]
pub async fn preview_task_changes(form: BulkForm) -> Result<BulkPreview, AppError> {
    let viewer = signed_in()?;
    let selection = Selection::read(&form, "tasks")?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    let (_, (verb, rest)) = task_change(&mut conn, &viewer, &form).await?;
    let tasks = store::selected(&mut conn, &RecordScope::of(&viewer), &selection).await?;
    let titles = tasks.into_iter().map(|(_, title)| title).collect();
    Ok(BulkPreview::new(verb, ("task", "tasks"), &rest, titles))
}

/// Changes the tasks ticked on the list, or every task it matches, in one
/// transaction: gives them to someone (admins), moves them to a status, or
/// deletes them.
#[server(prefix = "/api", endpoint = "tasks/bulk")]
pub async fn change_tasks(form: BulkForm) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let selection = Selection::read(&form, "tasks")?;
    write(async |tx| {
        let (change, _) = task_change(tx, &viewer, &form).await?;
        let tasks = store::selected(tx, &RecordScope::of(&viewer), &selection).await?;
        if tasks.is_empty() {
            return Err(AppError::invalid("ids", "None of these tasks can be changed any more."));
        }
        let ids: Vec<TaskId> = tasks.into_iter().map(|(id, _)| id).collect();
        store::change_many(tx, &viewer, &ids, &change).await
    })
    .await?;
    go(&crate::auth::safe_return_path(form.back.as_deref()))
}

/// The change a bulk form asks for, checked, and how the confirmation names it.
#[cfg(feature = "ssr")]
async fn task_change(
    conn: &mut sqlx::AnyConnection,
    viewer: &crate::auth::Viewer,
    form: &BulkForm,
) -> Result<(store::TaskChange, Wording), AppError> {
    match RecordChange::read(conn, viewer, form, "tasks").await? {
        Some((RecordChange::Assign(to), wording)) => {
            return Ok((store::TaskChange::Assign(to), wording))
        }
        Some((RecordChange::Archive, wording)) => return Ok((store::TaskChange::Delete, wording)),
        None => {}
    }
    if form.action != "status" {
        return Err(unknown_action("tasks"));
    }
    let status: TaskStatus = form.status.parse().map_err(|e| AppError::Invalid(vec![e]))?;
    Ok((store::TaskChange::Status(status), ("Move", format!("to {}", status.label()))))
}
