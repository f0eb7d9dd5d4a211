//! A task's page: its header, its fields edited in place beside its history.

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
        {loaded("Loading task…", task, move |task| view! {
            <TaskHeader task=task.clone() delete=delete/>
            <RecordLayout side=view! { <TaskSide task=task update=update team=team/> }.into_any()>
                <RecordHistory history=history/>
            </RecordLayout>
        }.into_any())}
    }
}

/// Title, status, who does it and when, what it is for, and "Delete task".
#[component]
fn TaskHeader(task: Task, delete: ServerAction<DeleteTask>) -> impl IntoView {
    let delete_error = action_error(delete.value());
    let completed =
        task.completed_at.map(|at| view! { " · done "<crate::components::Moment at=at/> });
    view! {
        <PageTitle text=task.title.clone()/>
        <div class="record-header">
            <div class="page-header">
                <h1 class="page-title">{task.title.clone()}</h1>
                <span class=format!("status status-{}", task.status.as_str())>{task.status.label()}</span>
                {task.overdue.then(|| view! { <span class="badge badge-danger">"Overdue"</span> })}
                <div class="record-actions">
                    <ActionForm action=delete attr:class="inline-form">
                        <input type="hidden" name="id" value=task.id.to_string()/>
                        <input type="hidden" name="version" value=task.version.to_string()/>
                        <Submit pending=delete.pending() class="btn btn-danger">"Delete task"</Submit>
                    </ActionForm>
                </div>
            </div>
            <p class="muted">
                {format!("Assigned to {} · due ", task.assignee_name)}
                <crate::components::DueDate day=task.due_date.clone() time=task.due_time.clone() overdue=task.overdue/>
                {completed}
            </p>
            {task.related.clone().map(|l| view! { <p>"Related to " <RelatedLink link=Some(l)/></p> })}
        </div>
        <FormError error=delete_error/>
    }
}

/// The task's fields edited in place (and, for admins, who does it).
#[component]
fn TaskSide(task: Task, update: ServerAction<UpdateTask>, team: Option<Team>) -> impl IntoView {
    let error = action_error(update.value());
    let (id, version) = (task.id.to_string(), task.version.to_string());
    let assignee_id = task.assignee_id.clone();
    view! {
        <FormError error=error/>
        <ActionForm action=update attr:class="form-stack inplace" attr:novalidate=true attr:aria-label="Edit the task">
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="version" value=version/>
            <TaskFields task=Some(task) error=error/>
            {team.map(|team| view! {
                <TeamSelect team=team id="task-assignee-edit" name="assignee" label="Assigned to" selected=Some(assignee_id)/>
            })}
            <div class="actions inplace-actions">
                <Submit pending=update.pending() class="btn btn-primary">"Save task"</Submit>
                <button type="reset" class="btn btn-quiet">"Cancel"</button>
            </div>
        </ActionForm>
    }
}
