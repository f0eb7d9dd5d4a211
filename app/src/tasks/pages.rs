//! The tasks list, a task's page, the new-task form, and the tasks panel of a
//! lead's or customer's page.

use super::api::{
    get_task, list_tasks, task_record, CreateTask, DeleteTask, SetTaskStatus, UpdateTask,
};
use super::{Priority, StatusFilter, Task, TaskPage, TaskQuery, TaskSort, TaskStatus};
use crate::activity::pages::{load_history, RecordHistory};
use crate::components::{
    action_error, load_team, EmptyChoice, Field, FormError, KeepSort, PageTitle, Pagination,
    PerPageSelect, SortHeader, Submit, Team, TeamSelect, TextArea,
};
use crate::error::AppError;
use crate::list::SortKey;
use crate::records::{RecordLink, RecordRef};
use crate::shell::{use_viewer, ErrorPage};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};
use strum::VariantArray;

#[component]
pub fn TasksPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|p| TaskQuery::from_params(|k| p.get(k))));
    // A quick action returns to this same URL; its completion count reloads the list.
    let set_status = ServerAction::<SetTaskStatus>::new();
    let tasks = Resource::new(
        move || (query.get(), set_status.version().get()),
        |(q, _)| list_tasks(q.to_query_string()),
    );
    let team = use_viewer().is_some_and(|v| v.is_admin()).then(load_team);
    let error = action_error(set_status.value());
    view! {
        <PageTitle text="Tasks"/>
        <div class="page-header">
            <h1 class="page-title">"Tasks"</h1>
            <div class="actions"><a class="btn btn-primary" href="/tasks/new">"New task"</a></div>
        </div>
        <TaskFilters query=query team=team/>
        <FormError error=error/>
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading tasks…"</p> }>
            {move || tasks.get().map(|result| match result {
                Ok(page) => view! { <TaskTable page=page set_status=set_status show_related=true/> }.into_any(),
                Err(error) => view! { <ErrorPage error=error/> }.into_any(),
            })}
        </Suspense>
    }
}

/// Filters: a plain GET form, so it works without JavaScript and the URL holds the state.
#[component]
fn TaskFilters(query: Memo<TaskQuery>, team: Option<Team>) -> impl IntoView {
    let current = query.get_untracked();
    let keep_sort = (current.sort, current.descending) != (TaskSort::Due, false);
    view! {
        <Form method="GET" action="/tasks" attr:class="filters" attr:role="search">
            <KeepSort sort=current.sort.as_str() descending=current.descending keep=keep_sort/>
            <div class="field">
                <label for="task-status" class="field-label">"Status"</label>
                <select id="task-status" name="status" class="field-input">
                    {StatusFilter::choices().map(|f| view! {
                        <option value=f.as_str() selected=current.status == f>{f.label()}</option>
                    })}
                </select>
            </div>
            <div class="field">
                <label for="task-priority" class="field-label">"Priority"</label>
                <select id="task-priority" name="priority" class="field-input">
                    <option value="" selected=current.priority.is_none()>"Any priority"</option>
                    {Priority::VARIANTS.iter().copied().map(|p| view! {
                        <option value=p.as_str() selected=current.priority == Some(p)>{p.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            {team.map(|team| view! {
                <TeamSelect team=team id="task-assignee" name="assignee" label="Assigned to"
                    selected=current.assignee.clone() empty_choice=EmptyChoice::Allowed("Everyone")/>
            })}
            <div class="field">
                <label for="task-due-from" class="field-label">"Due from"</label>
                <input id="task-due-from" type="date" name="due_from" class="field-input" value=current.due_from.clone()/>
            </div>
            <div class="field">
                <label for="task-due-to" class="field-label">"Due until"</label>
                <input id="task-due-to" type="date" name="due_to" class="field-input" value=current.due_to.clone()/>
            </div>
            <PerPageSelect id="task-per-page" selected=current.per_page/>
            <label class="check">
                <input type="checkbox" name="overdue" value="1" checked=current.overdue_only/>
                "Overdue only"
            </label>
            <button type="submit" class="btn btn-primary">"Apply"</button>
        </Form>
    }
}

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
            <input type="hidden" name="id" value=task.id.0.clone()/>
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

/// The tasks of one lead or customer, with its quick actions; created when the
/// record's page is set up, so server rendering waits for it.
#[derive(Clone, Copy)]
pub struct RecordTasks {
    set_status: ServerAction<SetTaskStatus>,
    tasks: Resource<Result<TaskPage, AppError>>,
}

impl RecordTasks {
    pub fn load(record: impl Fn() -> RecordRef + Send + Sync + 'static) -> Self {
        let set_status = ServerAction::<SetTaskStatus>::new();
        let tasks = Resource::new(
            move || (record(), set_status.version().get()),
            |(record, _)| {
                let query = TaskQuery {
                    status: StatusFilter::All,
                    record: Some(record),
                    per_page: 100,
                    ..TaskQuery::default()
                };
                list_tasks(query.to_query_string())
            },
        );
        Self { set_status, tasks }
    }
}

#[component]
pub fn RecordTasksPanel(tasks: RecordTasks, record: RecordRef, archived: bool) -> impl IntoView {
    let RecordTasks { set_status, tasks } = tasks;
    let error = action_error(set_status.value());
    let new_task = format!("/tasks/new?{}={}", record.kind(), record.id());
    view! {
        <section id="tasks" class="panel" aria-labelledby="tasks-title">
            <div class="page-header">
                <h2 id="tasks-title">"Tasks"</h2>
                {(!archived).then(|| view! { <a class="btn btn-quiet" href=new_task>"Add task"</a> })}
            </div>
            <FormError error=error/>
            <Suspense fallback=|| view! { <p class="muted" role="status">"Loading tasks…"</p> }>
                {move || tasks.get().map(|result| match result {
                    Ok(page) if page.rows.is_empty() => view! { <p class="muted">"No tasks."</p> }.into_any(),
                    Ok(page) => view! { <TaskTable page=page set_status=set_status show_related=false/> }.into_any(),
                    Err(error) => view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any(),
                })}
            </Suspense>
        </section>
    }
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

#[component]
pub fn TaskNewPage() -> impl IntoView {
    let query = use_query_map();
    let record = move || {
        query.with(|q| {
            q.get("lead")
                .map(RecordRef::Lead)
                .or_else(|| q.get("customer").map(RecordRef::Customer))
        })
    };
    let link = Resource::new(record, |record| async move {
        match record {
            Some(r) => task_record(r.kind().to_owned(), r.id().to_owned())
                .await
                .map(Some),
            None => Ok(None),
        }
    });
    let create = ServerAction::<CreateTask>::new();
    let error = action_error(create.value());
    let viewer = use_viewer();
    let team = viewer
        .as_ref()
        .filter(|v| v.is_admin())
        .map(|_| load_team());
    let me = viewer.map(|v| v.id.0);
    view! {
        <PageTitle text="New task"/>
        <h1 class="page-title">"New task"</h1>
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading…"</p> }>
            {move || link.get().map(|result| match result {
                Err(error) => view! { <ErrorPage error=error/> }.into_any(),
                Ok(link) => {
                    let me = me.clone();
                    let cancel = link.as_ref().map_or_else(|| "/tasks".to_owned(), |l| l.record.path());
                    view! {
                        {link.clone().map(|l| view! { <p class="muted">"For " <RelatedLink link=Some(l)/></p> })}
                        <FormError error=error/>
                        <ActionForm action=create attr:class="form-stack form-narrow" attr:novalidate=true>
                            {link.map(|l| view! {
                                <input type="hidden" name="kind" value=l.record.kind()/>
                                <input type="hidden" name="record_id" value=l.record.id().to_owned()/>
                            })}
                            <TaskFields task=None error=error/>
                            {team.map(|team| view! {
                                <TeamSelect team=team id="new-task-assignee" name="assignee" label="Assign to" selected=me.clone()/>
                            })}
                            <div class="actions">
                                <Submit pending=create.pending() class="btn btn-primary">"Create task"</Submit>
                                <a class="btn btn-quiet" href=cancel>"Cancel"</a>
                            </div>
                        </ActionForm>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn TaskDetailPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let update = ServerAction::<UpdateTask>::new();
    let delete = ServerAction::<DeleteTask>::new();
    let task = Resource::new(
        move || (id(), update.version().get()),
        |(id, _)| get_task(id),
    );
    let history = load_history(move || ("task", id()), move || update.version().get());
    let team = use_viewer().is_some_and(|v| v.is_admin()).then(load_team);
    view! {
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading task…"</p> }>
            {move || task.get().map(|result| match result {
                Ok(task) => view! { <TaskDetail task=task update=update delete=delete team=team/> <RecordHistory history=history/> }.into_any(),
                Err(error) => view! { <ErrorPage error=error/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn TaskDetail(
    task: Task,
    update: ServerAction<UpdateTask>,
    delete: ServerAction<DeleteTask>,
    team: Option<Team>,
) -> impl IntoView {
    let error = action_error(update.value());
    let delete_error = action_error(delete.value());
    let completed = task
        .completed_at
        .map(|at| format!(" · done {}", crate::components::format_time(at)));
    let (id, version) = (task.id.0.clone(), task.version.to_string());
    let (delete_id, delete_version) = (id.clone(), version.clone());
    let assignee_id = task.assignee_id.clone();
    let fields = task.clone();
    view! {
        <PageTitle text=task.title.clone()/>
        <div class="page-header">
            <h1 class="page-title">{task.title.clone()}</h1>
            <span class=format!("status status-{}", task.status.as_str())>{task.status.label()}</span>
            {task.overdue.then(|| view! { <span class="badge badge-danger">"Overdue"</span> })}
        </div>
        <p class="muted">{format!("Assigned to {} · due {}", task.assignee_name, task.due_label())}{completed}</p>
        {task.related.clone().map(|l| view! { <p>"Related to " <RelatedLink link=Some(l)/></p> })}
        <FormError error=error/>
        <FormError error=delete_error/>
        <ActionForm action=update attr:class="form-stack form-narrow" attr:novalidate=true>
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="version" value=version/>
            <TaskFields task=Some(fields) error=error/>
            {team.map(|team| view! {
                <TeamSelect team=team id="task-assignee-edit" name="assignee" label="Assigned to" selected=Some(assignee_id)/>
            })}
            <div class="actions">
                <Submit pending=update.pending() class="btn btn-primary">"Save task"</Submit>
                <a class="btn btn-quiet" href="/tasks">"Back to tasks"</a>
            </div>
        </ActionForm>
        <ActionForm action=delete attr:class="inline-form">
            <input type="hidden" name="id" value=delete_id/>
            <input type="hidden" name="version" value=delete_version/>
            <Submit pending=delete.pending() class="btn btn-danger">"Delete task"</Submit>
        </ActionForm>
    }
}
