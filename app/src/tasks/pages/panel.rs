//! A lead's or customer's page around its fields: its tasks panel and its
//! timeline (notes, tasks and history).

use super::timeline::RecordTimeline;
use super::*;
use crate::activity::pages::{load_history, History};
use crate::notes::pages::Notes;
use crate::records::RecordView;

/// A lead's or customer's tasks, notes and history, loaded when its page is
/// set up; the history reloads after the page's own changes and the notes'.
#[derive(Clone, Copy)]
pub struct RecordSections {
    tasks: RecordTasks,
    notes: Notes,
    history: History,
}

impl RecordSections {
    pub fn load(
        record: impl Fn() -> RecordRef + Copy + Send + Sync + 'static,
        changes: impl Fn() -> usize + Send + Sync + 'static,
    ) -> Self {
        let notes = Notes::load(record);
        let history = load_history(
            move || {
                let record = record();
                (record.kind(), record.id().to_owned())
            },
            move || changes() + notes.version(),
        );
        Self { tasks: RecordTasks::load(record), notes, history }
    }
}

/// A lead's or customer's page: the record in the route, loaded with `load`
/// and again after each change made on the page (`changes` counts them), as
/// `detail` shows it (given whether the URL asks to confirm archiving): its header,
/// and its fields beside its tasks and timeline.
pub fn record_page<Id, T, Fut>(
    record: fn(Id) -> RecordRef,
    load: fn(Id) -> Fut,
    changes: impl Fn() -> usize + Copy + Send + Sync + 'static,
    detail: impl Fn(T, bool) -> RecordView + Copy + Send + Sync + 'static,
) -> impl IntoView
where
    Id: From<String> + 'static,
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    Fut: std::future::Future<Output = Result<T, AppError>> + Send + 'static,
{
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let confirming = move || query.read().get("confirm").is_some_and(|c| c == "archive");
    let found = Resource::new(move || (id(), changes()), move |(id, _)| load(Id::from(id)));
    let sections = RecordSections::load(move || record(Id::from(id())), changes);
    let loading = match record(Id::from(String::new())) {
        RecordRef::Lead(_) => "Loading lead…",
        RecordRef::Customer(_) => "Loading customer…",
    };
    view! {
        {loaded(loading, found, move |found| {
            let RecordView { archived, header, side } = detail(found, confirming());
            let record = record(Id::from(id()));
            view! {
                {header}
                <RecordLayout side=side>
                    <RecordSectionsView sections=sections record=record archived=archived/>
                </RecordLayout>
            }
        })}
    }
}

/// The main column of a lead's or customer's page: its tasks, then its timeline.
#[component]
pub fn RecordSectionsView(
    sections: RecordSections,
    record: RecordRef,
    archived: bool,
) -> impl IntoView {
    let RecordSections { tasks, notes, history } = sections;
    view! {
        <RecordTasksPanel tasks=tasks record=record.clone() archived=archived/>
        <RecordTimeline notes=notes history=history tasks=tasks.tasks record=record archived=archived/>
    }
}

/// The tasks of one lead or customer, with its quick actions; created when the
/// record's page is set up, so server rendering waits for it.
#[derive(Clone, Copy)]
pub struct RecordTasks {
    set_status: ServerAction<SetTaskStatus>,
    pub(super) tasks: Resource<Result<TaskPage, AppError>>,
}

impl RecordTasks {
    pub fn load(record: impl Fn() -> RecordRef + Send + Sync + 'static) -> Self {
        let set_status = ServerAction::<SetTaskStatus>::new();
        let tasks = Resource::new(
            move || (record(), set_status.version().get()),
            |(record, _)| {
                let query = TaskQuery {
                    per_page: 100,
                    ..TaskQuery::with(TaskFilters {
                        status: StatusFilter::All,
                        record: Some(record),
                        ..Default::default()
                    })
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
