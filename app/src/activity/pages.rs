//! The activity log's pages, and a record's history on its own page.

use super::api::record_activity;
use super::ActivityEntry;
use crate::components::format_time;
use crate::error::AppError;
use crate::shell::Placeholder;
use leptos::prelude::*;

#[component]
pub fn ActivityPage() -> impl IntoView {
    view! { <Placeholder title="Activity" summary="Every change to your records will be listed here."/> }
}

/// A record's history, loaded when its page is set up (so server rendering waits for it).
pub type History = Resource<Result<Vec<ActivityEntry>, AppError>>;

/// Loads the history of the record `key` gives as (`lead`/`customer`/`task`, id),
/// again whenever `reload` changes (after the page's own changes).
pub fn load_history(
    key: impl Fn() -> (&'static str, String) + Send + Sync + 'static,
    reload: impl Fn() -> usize + Send + Sync + 'static,
) -> History {
    Resource::new(
        move || (key(), reload()),
        |((kind, id), _)| record_activity(kind.to_owned(), id),
    )
}

#[component]
pub fn RecordHistory(history: History) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="history-title">
            <h2 id="history-title">"Activity"</h2>
            <Suspense fallback=|| view! { <p class="muted" role="status">"Loading activity…"</p> }>
                {move || history.get().map(|result| match result {
                    Ok(entries) if entries.is_empty() => view! { <p class="muted">"Nothing yet."</p> }.into_any(),
                    Ok(entries) => view! {
                        <ol class="timeline">
                            {entries.into_iter().map(|entry| view! { <HistoryItem entry=entry/> }).collect_view()}
                        </ol>
                    }.into_any(),
                    Err(error) => view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn HistoryItem(entry: ActivityEntry) -> impl IntoView {
    let changes = (!entry.changes.is_empty()).then(|| {
        view! {
            <ul class="changes">
                {entry.changes.into_iter().map(|(field, old, new)| {
                    let text = match (old.is_empty(), new.is_empty()) {
                        (true, _) => format!("{field}: {new}"),
                        (false, true) => format!("{field}: {old} → (none)"),
                        _ => format!("{field}: {old} → {new}"),
                    };
                    view! { <li>{text}</li> }
                }).collect_view()}
            </ul>
        }
    });
    view! {
        <li class="timeline-item">
            <p><strong>{entry.actor_name}</strong>" "{entry.action.verb()}<span class="muted">{format!(" · {}", format_time(entry.at))}</span></p>
            {changes}
        </li>
    }
}
