//! A task's page: edit, delete and its history.

use super::*;

#[component]
pub fn TaskDetailPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let update = ServerAction::<UpdateTask>::new();
    let delete = ServerAction::<DeleteTask>::new();
    let task = Resource::new(move || (id(), update.version().get()), |(id, _)| get_task(id.into()));
    let history = load_history(move || ("task", id()), move || update.version().get());
    let team = use_viewer().is_some_and(|v| v.is_admin()).then(load_team);
    view! {
        {loaded("Loading task…", task, move |task| view! { <TaskDetail task=task update=update delete=delete team=team/> <RecordHistory history=history/> }.into_any())}
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
    let completed =
        task.completed_at.map(|at| view! { " · done "<crate::components::Moment at=at/> });
    let (id, version) = (task.id.to_string(), task.version.to_string());
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
        <p class="muted">
            {format!("Assigned to {} · due ", task.assignee_name)}
            <crate::components::DueDate day=task.due_date.clone() time=task.due_time.clone() overdue=task.overdue/>
            {completed}
        </p>
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
