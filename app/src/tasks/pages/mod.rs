//! The tasks pages, one per file: the list, a new task and a task's page, and
//! the tasks panel of a lead's or customer's page; here what they share
//! (the tasks table with its quick status buttons, the task form's fields).

mod detail;
mod list;
mod new;
mod panel;

pub use detail::TaskDetailPage;
pub use list::TasksPage;
pub use new::TaskNewPage;
pub use panel::RecordTasks;
pub use panel::RecordTasksPanel;

use super::api::{
    get_task, list_tasks, task_record, CreateTask, DeleteTask, SetTaskStatus, UpdateTask,
};
use super::{Priority, StatusFilter, Task, TaskFilters, TaskPage, TaskQuery, TaskSort, TaskStatus};
use crate::activity::pages::{load_history, RecordHistory};
use crate::components::{
    action_error, load_team, EmptyChoice, Field, FormError, KeepSort, PageTitle, Pagination,
    PerPageSelect, SortHeader, Submit, Team, TeamSelect, TextArea,
};
use crate::components::{use_viewer, ErrorPage};
use crate::error::AppError;
use crate::list::SortKey;
use crate::records::{RecordLink, RecordRef};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};
use strum::VariantArray;

/// A related record as a link by name, marked when archived.
#[component]
pub fn RelatedLink(link: Option<RecordLink>) -> impl IntoView {
    link.map(|link| {
        let kind = match link.record {
            RecordRef::Lead(_) => "Lead",
            RecordRef::Customer(_) => "Customer",
        };
        view! {
            <span class="muted">{kind}" "</span>
            <a href=link.record.path()>{link.name}</a>
            {link.archived.then(|| view! { " " <span class="badge">"archived"</span> })}
        }
    })
}

/// Mark done / reopen: a one-button form that returns to `back`.
#[component]
fn QuickStatus(task: Task, back: String, action: ServerAction<SetTaskStatus>) -> impl IntoView {
    let (status, label) = if task.status == TaskStatus::Done {
        (TaskStatus::Open, "Reopen")
    } else {
        (TaskStatus::Done, "Mark done")
    };
    view! {
        <ActionForm action=action attr:class="inline-form">
            <input type="hidden" name="id" value=task.id.to_string()/>
            <input type="hidden" name="version" value=task.version.to_string()/>
            <input type="hidden" name="status" value=status.as_str()/>
            <input type="hidden" name="back" value=back/>
            <Submit pending=action.pending() class="btn btn-quiet btn-small" attr:aria-label=format!("{label}: {}", task.title)>{label}</Submit>
        </ActionForm>
    }
}

#[component]
fn TaskTable(
    page: TaskPage,
    set_status: ServerAction<SetTaskStatus>,
    show_related: bool,
) -> impl IntoView {
    if page.rows.is_empty() {
        let filtered = page.query != TaskQuery::default() && page.query.record.is_none();
        return view! {
            <div class="empty">
                {if filtered {
                    view! { <p>"No tasks match these filters. " <a href="/tasks">"Clear filters"</a></p> }.into_any()
                } else {
                    view! { <p>"No open tasks."</p> }.into_any()
                }}
            </div>
        }
        .into_any();
    }
    let query = page.query.clone();
    // A record's panel shows all its tasks at once, so only the full list sorts.
    let header = move |sort: TaskSort, label: &'static str| {
        if show_related {
            let href = query.sorted_by(sort).href();
            view! { <SortHeader label=label active=query.sort == sort descending=query.descending href=href/> }.into_any()
        } else {
            view! { <th scope="col">{label}</th> }.into_any()
        }
    };
    let back = if show_related {
        page.query.href()
    } else {
        page.query
            .record
            .as_ref()
            .map_or_else(|| "/tasks".to_owned(), |r| format!("{}#tasks", r.path()))
    };
    let pager_query = page.query.clone();
    let (page_number, page_count, total) = (page.query.page, page.page_count(), page.total);
    view! {
        <div class="table-wrap">
            <table class="data-table">
                <caption class="sr-only">"Tasks"</caption>
                <thead>
                    <tr>
                        {header(TaskSort::Title, "Task")}
                        {header(TaskSort::Due, "Due")}
                        {header(TaskSort::Priority, "Priority")}
                        {header(TaskSort::Status, "Status")}
                        <th scope="col">"Assigned to"</th>
                        {show_related.then(|| view! { <th scope="col">"Related to"</th> })}
                        <th scope="col"><span class="sr-only">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {page.rows.into_iter().map(|task| {
                        let back = back.clone();
                        let overdue = task.overdue;
                        let href = format!("/tasks/{}", task.id);
                        let (title, due, assignee) = (task.title.clone(), task.due_label(), task.assignee_name.clone());
                        let (priority, status) = (task.priority, task.status);
                        let related = show_related.then(|| task.related.clone());
                        view! {
                            <tr class:overdue=overdue>
                                <td><a href=href>{title}</a></td>
                                <td>
                                    {due}
                                    {overdue.then(|| view! { " " <span class="badge badge-danger">"Overdue"</span> })}
                                </td>
                                <td><span class=format!("priority priority-{}", priority.as_str())>{priority.label()}</span></td>
                                <td><span class=format!("status status-{}", status.as_str())>{status.label()}</span></td>
                                <td>{assignee}</td>
                                {related.map(|link| view! { <td><RelatedLink link=link/></td> })}
                                <td><QuickStatus task=task back=back action=set_status/></td>
                            </tr>
                        }
                        .into_any()
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {show_related.then(|| view! {
            <Pagination page=page_number page_count=page_count total=total
                href=move |n| pager_query.on_page(n).href()/>
        }.into_any())}
    }
    .into_any()
}

/// The fields shared by the new-task and edit forms.
#[component]
fn TaskFields(task: Option<Task>, error: Signal<Option<AppError>>) -> impl IntoView {
    let value = |f: fn(&Task) -> String| task.as_ref().map(f).unwrap_or_default();
    let priority = task.as_ref().map_or(Priority::Medium, |t| t.priority);
    let status = task.as_ref().map_or(TaskStatus::Open, |t| t.status);
    view! {
        <Field name="title" label="Title" required=true value=value(|t| t.title.clone()) error=error/>
        <div class="field-row">
            <Field name="due_date" label="Due date" kind="date" required=true value=value(|t| t.due_date.clone()) error=error/>
            <Field name="due_time" label="Due time (optional)" kind="time" value=value(|t| t.due_time.clone().unwrap_or_default()) error=error/>
        </div>
        <div class="field-row">
            <div class="field">
                <label for="field-priority" class="field-label">"Priority"</label>
                <select id="field-priority" name="priority" class="field-input">
                    {Priority::VARIANTS.iter().copied().map(|p| view! { <option value=p.as_str() selected=p == priority>{p.label()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="field-status" class="field-label">"Status"</label>
                <select id="field-status" name="status" class="field-input">
                    {TaskStatus::VARIANTS.iter().copied().map(|s| view! { <option value=s.as_str() selected=s == status>{s.label()}</option> }).collect_view()}
                </select>
            </div>
        </div>
        <TextArea name="description" label="Description" value=value(|t| t.description.clone()) max_chars=super::DESCRIPTION_MAX error=error/>
    }
}
