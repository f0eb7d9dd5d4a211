//! A lead's or customer's timeline: one list, newest first, of its notes, its
//! tasks (added and done) and everything else its history holds (created, edited
//! with each change, status moves, assigned, converted…), with the note composer on top.

use super::*;
use crate::activity::pages::{History, HistoryItem};
use crate::activity::{Action, ActivityEntry};
use crate::components::Moment;
use crate::notes::pages::{NoteComposer, Notes};
use crate::notes::Note;

/// One line of the timeline.
enum TimelineItem {
    Note(Note),
    Entry(ActivityEntry),
    TaskAdded(Task),
    TaskDone(Task),
}

impl TimelineItem {
    fn at(&self) -> i64 {
        match self {
            Self::Note(note) => note.created_at,
            Self::Entry(entry) => entry.at,
            Self::TaskAdded(task) => task.created_at,
            Self::TaskDone(task) => task.completed_at.unwrap_or(task.updated_at),
        }
    }
}

/// Everything that happened to the record, newest first. A note shows itself, so
/// the history's entries for adding and editing it are left out (a deletion stays).
fn merged(notes: Vec<Note>, history: Vec<ActivityEntry>, tasks: Vec<Task>) -> Vec<TimelineItem> {
    let entries = history
        .into_iter()
        .filter(|e| !matches!(e.action, Action::NoteAdd | Action::NoteEdit))
        .map(TimelineItem::Entry);
    let done = tasks
        .iter()
        .filter(|t| t.status == TaskStatus::Done && t.completed_at.is_some())
        .cloned()
        .map(TimelineItem::TaskDone)
        .collect::<Vec<_>>();
    let mut items: Vec<TimelineItem> = notes
        .into_iter()
        .map(TimelineItem::Note)
        .chain(entries)
        .chain(tasks.into_iter().map(TimelineItem::TaskAdded))
        .chain(done)
        .collect();
    items.sort_by_key(|item| std::cmp::Reverse(item.at()));
    items
}

#[component]
pub fn RecordTimeline(
    notes: Notes,
    history: History,
    tasks: Resource<Result<TaskPage, AppError>>,
    record: RecordRef,
    archived: bool,
) -> impl IntoView {
    let path = record.path();
    let list = move || {
        // All three are read, so the timeline waits for each of them.
        let (found, history, tasks) = (notes.get(), history.get(), tasks.get());
        let (found, history, tasks) = (found?, history?, tasks?);
        let path = path.clone();
        Some(match (found, history, tasks) {
            (Ok(found), Ok(history), Ok(tasks)) => {
                let items = merged(found, history, tasks.rows);
                if items.is_empty() {
                    return Some(view! { <p class="muted">"Nothing yet."</p> }.into_any());
                }
                view! {
                    <ol class="timeline">
                        {items.into_iter().map(|item| match item {
                            TimelineItem::Note(note) => notes.item(note, path.clone(), archived).into_any(),
                            TimelineItem::Entry(entry) => view! { <HistoryItem entry=entry/> }.into_any(),
                            TimelineItem::TaskAdded(task) => view! { <TaskAdded task=task/> }.into_any(),
                            TimelineItem::TaskDone(task) => view! { <TaskDone task=task/> }.into_any(),
                        }).collect_view()}
                    </ol>
                }
                .into_any()
            }
            (Err(error), ..) | (_, Err(error), _) | (.., Err(error)) => {
                view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any()
            }
        })
    };
    view! {
        <section id="timeline" class="panel" aria-labelledby="timeline-title">
            <h2 id="timeline-title">"Timeline"</h2>
            <NoteComposer notes=notes record=record archived=archived/>
            <Suspense fallback=|| view! { <p class="muted" role="status">"Loading the timeline…"</p> }>
                {list.clone()}
            </Suspense>
        </section>
    }
}

#[component]
fn TaskAdded(task: Task) -> impl IntoView {
    view! {
        <li class="timeline-item timeline-task">
            <p>
                <span class="timeline-kind">"Task"</span>" "
                <a href=format!("/tasks/{}", task.id)>{task.title.clone()}</a>
                <span class="muted">{format!(" for {} · due ", task.assignee_name)}</span>
                <DueDate day=task.due_date.clone() time=task.due_time.clone() overdue=task.overdue/>
                <span class="muted">" · added "<Moment at=task.created_at/></span>
            </p>
        </li>
    }
}

#[component]
fn TaskDone(task: Task) -> impl IntoView {
    let at = task.completed_at.unwrap_or(task.updated_at);
    view! {
        <li class="timeline-item timeline-task">
            <p>
                <span class="timeline-kind">"Task done"</span>" "
                <a href=format!("/tasks/{}", task.id)>{task.title.clone()}</a>
                <span class="muted">{format!(" · {} · ", task.assignee_name)}<Moment at=at/></span>
            </p>
        </li>
    }
}
