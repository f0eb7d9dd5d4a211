//! `/api/v1/tasks`: list with the tasks page's filters a cursor at a time, read
//! one with its `ETag`, create (for a lead, a customer or on its own), change
//! (`If-Match`, the assignee included) and delete (`If-Match`).

use super::extract::{Body, IdempotencyKey, IfMatch, Path, Query};
use super::paging::{self, List, Paging};
use super::problem::Problem;
use super::{idempotency, rfc3339, tagged, Caller};
use crate::auth::policy::{self, RecordScope};
use crate::auth::Checked;
use crate::error::{AppError, FieldError};
use crate::ids::UserId;
use crate::records::RecordRef;
use crate::state::AppState;
use crate::tasks::{
    store, Priority, StatusFilter, Task, TaskDraft, TaskForm, TaskId, TaskSort, TaskStatus,
};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(get, change, delete))
}

/// What a task list narrows to.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct TaskFilterParams {
    /// Default `not_done`.
    #[param(value_type = Option<StatusFilter>, inline)]
    status: Option<String>,
    #[param(value_type = Option<Priority>, inline)]
    priority: Option<String>,
    /// Admins: tasks assigned to this user id.
    assignee: Option<String>,
    /// Due on or after this day.
    #[param(value_type = Option<String>, format = Date)]
    due_from: Option<String>,
    /// Due on or before this day.
    #[param(value_type = Option<String>, format = Date)]
    due_to: Option<String>,
    /// `true`: only tasks past their due moment and not done.
    #[param(value_type = Option<bool>, inline)]
    overdue: Option<String>,
    /// Only the tasks of this lead.
    lead_id: Option<String>,
    /// Only the tasks of this customer.
    customer_id: Option<String>,
    /// The column to sort by (default `due`, soonest first).
    #[param(value_type = Option<TaskSort>, inline)]
    sort: Option<String>,
}

/// A task.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskOut {
    id: String,
    title: String,
    description: String,
    /// `YYYY-MM-DD`, in the organisation's calendar.
    due_date: String,
    /// `HH:MM`, or `null`: due by the end of the day.
    due_time: Option<String>,
    #[schema(value_type = Priority)]
    priority: &'static str,
    #[schema(value_type = TaskStatus)]
    status: &'static str,
    assignee_id: String,
    assignee_name: String,
    /// The lead it is for, if any.
    lead_id: Option<String>,
    /// The customer it is for, if any.
    customer_id: Option<String>,
    /// Not done, and its due moment has passed.
    overdue: bool,
    completed_at: Option<String>,
    /// Also its `ETag`.
    version: i64,
    created_at: String,
    updated_at: String,
}

impl From<Task> for TaskOut {
    fn from(task: Task) -> Self {
        let (lead_id, customer_id) =
            task.related.map(|link| link.record.columns()).unwrap_or_default();
        Self {
            id: task.id.into_string(),
            title: task.title,
            description: task.description,
            due_date: task.due_date,
            due_time: task.due_time,
            priority: task.priority.as_str(),
            status: task.status.as_str(),
            assignee_id: task.assignee_id.into_string(),
            assignee_name: task.assignee_name,
            lead_id: lead_id.map(|id| id.into_string()),
            customer_id: customer_id.map(|id| id.into_string()),
            overdue: task.overdue,
            completed_at: task.completed_at.map(rfc3339),
            version: task.version,
            created_at: rfc3339(task.created_at),
            updated_at: rfc3339(task.updated_at),
        }
    }
}

/// A new task.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTask {
    title: String,
    #[serde(default)]
    description: String,
    #[schema(format = Date)]
    due_date: String,
    /// `HH:MM`; none: due by the end of the day.
    due_time: Option<String>,
    /// Default `medium`.
    #[schema(value_type = Option<Priority>)]
    priority: Option<String>,
    /// Default `open`.
    #[schema(value_type = Option<TaskStatus>)]
    status: Option<String>,
    /// Admins: who does it (default: the caller). Agents' tasks are their own.
    assignee_id: Option<String>,
    /// The lead it is for (one the caller may see).
    lead_id: Option<String>,
    /// The customer it is for (one the caller may see).
    customer_id: Option<String>,
}

/// Fields to change on a task; those left out keep their value.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskChanges {
    title: Option<String>,
    description: Option<String>,
    #[schema(format = Date)]
    due_date: Option<String>,
    /// `HH:MM`, or `""` for none.
    due_time: Option<String>,
    #[schema(value_type = Option<Priority>)]
    priority: Option<String>,
    #[schema(value_type = Option<TaskStatus>)]
    status: Option<String>,
    /// Admins: give it to another active team member.
    assignee_id: Option<String>,
}

/// A task's id in a path.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct TaskPath {
    id: String,
}

impl TaskPath {
    fn id(&self) -> TaskId {
        TaskId::from(self.id.clone())
    }
}

/// The tasks the caller may see, a page at a time.
#[utoipa::path(get, path = "/tasks", tag = "tasks", operation_id = "list_task", params(TaskFilterParams, Paging),
    responses((status = 200, body = List<TaskOut>), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    caller: Caller,
    State(state): State<AppState>,
    Query(filters): Query<TaskFilterParams>,
    Query(paging): Query<Paging>,
) -> Result<axum::Json<List<TaskOut>>, Problem> {
    let mut errors = Vec::new();
    if let Some(status) = filters.status.as_deref().filter(|s| StatusFilter::parse(s).is_none()) {
        let names: Vec<_> = StatusFilter::choices().iter().map(|c| c.as_str()).collect();
        errors.push(FieldError::new("status", format!("`{status}`: one of {}.", names.join(", "))));
    }
    let priority = paging::known::<Priority>("priority", &filters.priority, &mut errors);
    let overdue = paging::flag("overdue", &filters.overdue, &mut errors);
    for (field, day) in [("due_from", &filters.due_from), ("due_to", &filters.due_to)] {
        if day.as_deref().is_some_and(|d| crate::fields::parse_day(d).is_none()) {
            errors.push(FieldError::new(field, "Write a day as YYYY-MM-DD."));
        }
    }
    let query = paging::query(
        &paging,
        filters.sort.as_deref(),
        |name| match name {
            "status" => filters.status.clone(),
            "priority" => priority.clone(),
            "assignee" => filters.assignee.clone(),
            "due_from" => filters.due_from.clone(),
            "due_to" => filters.due_to.clone(),
            "overdue" => overdue.clone(),
            "lead" => filters.lead_id.clone(),
            "customer" => filters.customer_id.clone(),
            _ => None,
        },
        errors,
    )?;
    let page = store::list(&state.db, &RecordScope::of(&caller.viewer), &query).await?;
    Ok(axum::Json(List::of(page)))
}

/// One task; one the caller may not see answers as one that does not exist.
#[utoipa::path(get, path = "/tasks/{id}", tag = "tasks", operation_id = "get_task", params(TaskPath),
    responses((status = 200, body = TaskOut, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn get(
    caller: Caller,
    State(state): State<AppState>,
    Path(path): Path<TaskPath>,
) -> Result<Response, Problem> {
    let mut conn = state.db.pool.acquire().await.map_err(AppError::from)?;
    let task = store::get(&mut conn, &RecordScope::of(&caller.viewer), &path.id()).await?;
    Ok(tagged(StatusCode::OK, task.version, TaskOut::from(task)))
}

/// Creates a task. With an `Idempotency-Key`, a retry answers like the first call.
#[utoipa::path(post, path = "/tasks", tag = "tasks", operation_id = "create_task", request_body = NewTask,
    params(("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,255}$", description = "Makes a retry safe: the same key within 24 hours answers with the first result.")),
    responses((status = 201, body = TaskOut, headers(("ETag" = String), ("Location" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    caller: Caller,
    State(state): State<AppState>,
    IdempotencyKey(key): IdempotencyKey,
    Body(new): Body<NewTask>,
) -> Result<Response, Problem> {
    let viewer = caller.writer()?.clone();
    idempotency::once(&state, &caller, key, ("POST /tasks", &new), async || {
        let form = TaskForm {
            title: new.title.clone(),
            description: new.description.clone(),
            due_date: new.due_date.clone(),
            due_time: new.due_time.clone().unwrap_or_default(),
            priority: new.priority.clone().unwrap_or_else(|| Priority::Medium.as_str().to_owned()),
            status: new.status.clone().unwrap_or_else(|| TaskStatus::Open.as_str().to_owned()),
        };
        let draft = TaskDraft::checked(&form)?;
        let related = match (&new.lead_id, &new.customer_id) {
            (Some(_), Some(_)) => {
                return Err(AppError::invalid(
                    "customer_id",
                    "A task is for a lead or a customer, not both.",
                )
                .into());
            }
            (Some(lead), None) => Some(RecordRef::Lead(lead.clone().into())),
            (None, Some(customer)) => Some(RecordRef::Customer(customer.clone().into())),
            (None, None) => None,
        };
        let assignee = policy::requested_assignee(&viewer, new.assignee_id.clone());
        let tz = crate::clock::org_time_zone(&state.db).await?;
        let task = state
            .db
            .write(async |tx| {
                let id =
                    store::create(tx, &viewer, &draft, &assignee, related.as_ref(), tz).await?;
                store::get(tx, &RecordScope::of(&viewer), &id).await
            })
            .await?;
        Ok(super::created(&format!("/tasks/{}", task.id), task.version, TaskOut::from(task)))
    })
    .await
}

/// Changes the fields sent, if the task is still at the version in `If-Match`
/// (otherwise 412: someone changed it since).
#[utoipa::path(patch, path = "/tasks/{id}", tag = "tasks", operation_id = "change_task", request_body = TaskChanges,
    params(TaskPath, ("If-Match" = String, Header, pattern = r#"^(W/)?"?[0-9]{1,18}"?$"#, description = "The task's ETag as last read.")),
    responses((status = 200, body = TaskOut, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn change(
    caller: Caller,
    State(state): State<AppState>,
    Path(path): Path<TaskPath>,
    IfMatch(version): IfMatch,
    Body(changes): Body<TaskChanges>,
) -> Result<Response, Problem> {
    let viewer = caller.writer()?;
    let scope = RecordScope::of(viewer);
    let id = path.id();
    let mut conn = state.db.pool.acquire().await.map_err(AppError::from)?;
    let task = store::get(&mut conn, &scope, &id).await?;
    drop(conn);
    if let Some(assignee) = &changes.assignee_id {
        if !policy::may_assign_to_others(viewer) && assignee != viewer.id.as_str() {
            return Err(AppError::NotFound.into());
        }
    }
    let form = TaskForm {
        title: changes.title.unwrap_or(task.title),
        description: changes.description.unwrap_or(task.description),
        due_date: changes.due_date.unwrap_or(task.due_date),
        due_time: changes.due_time.or(task.due_time).unwrap_or_default(),
        priority: changes.priority.unwrap_or_else(|| task.priority.as_str().to_owned()),
        status: changes.status.unwrap_or_else(|| task.status.as_str().to_owned()),
    };
    let draft = TaskDraft::checked(&form)?;
    let tz = crate::clock::org_time_zone(&state.db).await?;
    let task = state
        .db
        .write(async |tx| {
            store::update(tx, viewer, &id, version, &draft, tz).await?;
            if let Some(assignee) = &changes.assignee_id {
                store::assign(tx, viewer, &id, &UserId::from(assignee.clone())).await?;
            }
            store::get(tx, &scope, &id).await
        })
        .await?;
    Ok(tagged(StatusCode::OK, task.version, TaskOut::from(task)))
}

/// Deletes a task, if it is still at the version in `If-Match`.
#[utoipa::path(delete, path = "/tasks/{id}", tag = "tasks", operation_id = "delete_task",
    params(TaskPath, ("If-Match" = String, Header, pattern = r#"^(W/)?"?[0-9]{1,18}"?$"#, description = "The task's ETag as last read.")),
    responses((status = 204), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn delete(
    caller: Caller,
    State(state): State<AppState>,
    Path(path): Path<TaskPath>,
    IfMatch(version): IfMatch,
) -> Result<StatusCode, Problem> {
    let viewer = caller.writer()?;
    let id = path.id();
    state.db.write(async |tx| store::delete(tx, viewer, &id, Some(version)).await).await?;
    Ok(StatusCode::NO_CONTENT)
}
