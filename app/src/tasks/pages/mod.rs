//! The tasks pages, one per file: the list, a new task and a task's page, and
//! the tasks panel of a lead's or customer's page; here what they share
//! (the tasks table with its quick status buttons, the task form's fields).

mod bulk;
mod detail;
mod list;
mod new;
mod panel;
mod timeline;

pub use bulk::TaskBulkPage;
pub use detail::TaskDetailPage;
pub use list::TasksPage;
pub use new::TaskNewPage;
pub use panel::RecordTasks;
pub use panel::RecordTasksPanel;
pub use panel::{record_page, RecordSections, RecordSectionsView};

use super::api::{
    get_task, list_tasks, task_record, CreateTask, DeleteTask, SetTaskStatus, UpdateTask,
};
use super::{Priority, StatusFilter, Task, TaskFilters, TaskPage, TaskQuery, TaskSort, TaskStatus};
use crate::activity::pages::{load_history, RecordHistory};
use crate::components::{
    action_error, bulk_table, list_table, load_team, BulkChanges, Column, EmptyChoice, EmptyList,
    Field, FormError, KeepSort, PageHeading, PageTitle, PerPageSelect, Submit, Team, TeamSelect,
    TextArea,
};
use crate::components::{
    loaded, use_viewer, ChoiceField, ChoiceFilter, DateFilter, DueDate, ErrorPage,
};
use crate::error::AppError;
use crate::list::SortKey;
use crate::records::{RecordLayout, RecordLink, RecordRef};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

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

/// Tasks as a table with their quick actions: the full list (`show_related`: with
/// each task's record, sortable, paged, and with bulk actions) or a record's panel.
#[component]
fn TaskTable(
    page: TaskPage,
    set_status: ServerAction<SetTaskStatus>,
    show_related: bool,
    #[prop(default = None)] team: Option<Team>,
) -> impl IntoView {
    if page.rows.is_empty() {
        return view! {
            <EmptyList filtered=page.query.is_filtered() && page.query.record.is_none() what="tasks" path="/tasks">
                <p>"No open tasks."</p>
            </EmptyList>
        }
        .into_any();
    }
    // A record's panel shows all its tasks at once, so only the full list sorts and pages.
    let column = |label, sort| {
        if show_related {
            Column::sorts(label, sort)
        } else {
            Column::new(label)
        }
    };
    let mut columns = vec![
        column("Task", TaskSort::Title),
        column("Due", TaskSort::Due),
        column("Priority", TaskSort::Priority),
        column("Status", TaskSort::Status),
        Column::new("Assigned to"),
    ];
    if show_related {
        columns.push(Column::new("Related to"));
    }
    columns.push(Column::quiet("Actions"));
    let back = if show_related {
        page.query.href()
    } else {
        page.query
            .record
            .as_ref()
            .map_or_else(|| "/tasks".to_owned(), |r| format!("{}#tasks", r.path()))
    };
    let cells = move |task: Task| {
        let back = back.clone();
        let overdue = task.overdue;
        let href = format!("/tasks/{}", task.id);
        let (id, title, assignee) =
            (task.id.to_string(), task.title.clone(), task.assignee_name.clone());
        let (day, time) = (task.due_date.clone(), task.due_time.clone());
        let (priority, status) = (task.priority, task.status);
        let related = show_related.then(|| task.related.clone());
        let cells = view! {
            <td><a href=href>{title.clone()}</a></td>
            <td data-label="Due" class:overdue=overdue>
                <DueDate day=day time=time overdue=overdue/>
                {overdue.then(|| view! { " " <span class="badge badge-danger">"Overdue"</span> })}
            </td>
            <td><span class=format!("priority priority-{}", priority.as_str())>{priority.label()}</span></td>
            <td><span class=format!("status status-{}", status.as_str())>{status.label()}</span></td>
            <td data-label="Assigned to">{assignee}</td>
            {related.map(|link| view! { <td><RelatedLink link=link/></td> })}
            <td><QuickStatus task=task back=back action=set_status/></td>
        };
        (id, title, cells.into_any())
    };
    if show_related {
        let controls = move || view! { <BulkChanges team=team first=TaskStatus::Open/> }.into_any();
        return bulk_table(page, ("Tasks", "tasks"), columns, true, false, controls, cells);
    }
    let rows = page
        .rows
        .into_iter()
        .map(|task| {
            let (_, _, cells) = cells(task);
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    list_table(&page.query, "Tasks", columns, rows).into_any()
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
            <ChoiceField name="priority" label="Priority" selected=priority/>
            <ChoiceField name="status" label="Status" selected=status/>
        </div>
        <TextArea name="description" label="Description" value=value(|t| t.description.clone()) max_chars=super::DESCRIPTION_MAX error=error/>
    }
}
