//! An import under way or finished: live progress (rows done, rate, time left) that
//! updates itself with JavaScript and by reloading the page without; then the
//! counts, the rejected rows' download, and undo.

use super::super::api::{import_progress, kept_records, UndoImport};
use super::super::job::{ImportJob, JobState, Progress, UNDO_WITHIN_MS};
use super::super::ImportKind;
use crate::components::{action_error, loaded, FormError, Submit};
use leptos::prelude::*;

#[component]
pub fn JobProgress(job: ImportJob) -> impl IntoView {
    let id = job.id.to_string();
    let shown = match job.state {
        JobState::Queued | JobState::Undoing => view! {
            // Without JavaScript the page reloads itself; with it, the island asks.
            <noscript><meta http-equiv="refresh" content="2"/></noscript>
            <ImportProgress id=id.clone() progress=job.progress.clone()/>
        }
        .into_any(),
        JobState::Failed => view! {
            <div class="form-error" role="alert">
                {format!("The import stopped: {}", job.error.clone().unwrap_or_default())}
            </div>
            <Counts progress=job.progress.clone()/>
        }
        .into_any(),
        JobState::Done | JobState::Undone | JobState::Mapping => view! {
            <Counts progress=job.progress.clone()/>
            <Outcome job=job.clone()/>
        }
        .into_any(),
    };
    view! { <section class="panel" aria-labelledby="progress-title"><h2 id="progress-title">{job.state.label()}</h2>{shown}</section> }.into_any()
}

/// The job's progress, asked for every second until it ends; then the page reloads
/// to show the result.
#[island]
fn ImportProgress(id: String, progress: Progress) -> impl IntoView {
    let current = RwSignal::new(progress);
    #[cfg(feature = "hydrate")]
    {
        let id = crate::ids::ImportId::from(id.clone());
        let handle = set_interval_with_handle(
            move || {
                let id = id.clone();
                leptos::task::spawn_local(async move {
                    let Ok(progress) = import_progress(id).await else { return };
                    let working = progress.state.is_some_and(JobState::is_working);
                    current.set(progress);
                    if !working {
                        if let Some(window) = web_sys::window() {
                            let _ = window.location().reload();
                        }
                    }
                });
            },
            std::time::Duration::from_secs(1),
        );
        if let Ok(handle) = handle {
            on_cleanup(move || handle.clear());
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (&id, import_progress);
    view! { {move || view! { <LiveCounts progress=current.get()/> }} }
}

#[component]
fn LiveCounts(progress: Progress) -> impl IntoView {
    let undoing = progress.state == Some(JobState::Undoing);
    let line = if undoing {
        format!(
            "{} of {} records undone",
            progress.undo_done + progress.undo_kept,
            progress.created + progress.updated
        )
    } else {
        format!("{} of {} rows ({}%)", progress.rows_done, progress.rows_total, progress.percent())
    };
    let pace = match (progress.rate(), progress.seconds_left()) {
        (Some(rate), Some(left)) if !undoing => {
            format!("{rate:.0} rows a second, about {} left", duration(left))
        }
        _ => "Starting…".to_owned(),
    };
    view! {
        <p role="status" aria-live="polite">{line}</p>
        <progress class="import-progress" max=progress.rows_total.max(1) value=progress.rows_done>{format!("{}%", progress.percent())}</progress>
        <p class="muted">{pace}</p>
        <Counts progress=progress/>
    }
    .into_any()
}

fn duration(seconds: i64) -> String {
    match seconds {
        s if s < 60 => format!("{s} s"),
        s if s < 3600 => format!("{} min {} s", s / 60, s % 60),
        s => format!("{} h {} min", s / 3600, (s % 3600) / 60),
    }
}

#[component]
fn Counts(progress: Progress) -> impl IntoView {
    view! {
        <dl class="counts">
            <dt>"Created"</dt><dd>{progress.created}</dd>
            <dt>"Updated"</dt><dd>{progress.updated}</dd>
            <dt>"Skipped"</dt><dd>{progress.skipped}</dd>
            <dt>"Rejected"</dt><dd>{progress.rejected}</dd>
        </dl>
    }
}

/// After the import: the rejected rows, the way to the records, undo.
#[component]
fn Outcome(job: ImportJob) -> impl IntoView {
    let undo = ServerAction::<UndoImport>::new();
    let error = action_error(undo.value());
    let list = match job.kind {
        ImportKind::Leads => "/leads",
        ImportKind::Customers => "/customers",
    };
    let p = &job.progress;
    let rejected = (p.rejected > 0).then(|| {
        view! {
            <p><a href=format!("/import/{}/rejected.csv", job.id) download="">
                {format!("Download the {} rejected rows, with the reason for each", p.rejected)}
            </a></p>
        }
    });
    let undoable = job.state == JobState::Done
        && p.created + p.updated > 0
        && p.finished_at.is_some_and(|at| p.now - at < UNDO_WITHIN_MS);
    let undone = (job.state == JobState::Undone).then(|| {
        view! {
            <p>{format!(
                "Undone: {} records archived or put back as they were; {} left alone because they changed since the import.",
                p.undo_done, p.undo_kept
            )}</p>
            <KeptRecords job=job.clone()/>
        }
    });
    let undo_form = undoable.then(|| {
        view! {
            <FormError error=error/>
            <ActionForm action=undo attr:class="actions">
                <input type="hidden" name="id" value=job.id.to_string()/>
                <Submit pending=undo.pending() class="btn">"Undo this import"</Submit>
            </ActionForm>
            <p class="muted">"Undo archives the records this import created and puts back the values it changed, except on records changed since. It is possible for seven days."</p>
        }
    });
    view! {
        {rejected}
        <p><a href=list>{format!("Go to the {}", job.kind.label().to_lowercase())}</a></p>
        {undone}
        {undo_form}
    }
    .into_any()
}

/// Records undo left alone, linked.
#[component]
fn KeptRecords(job: ImportJob) -> impl IntoView {
    if job.progress.undo_kept == 0 {
        return ().into_any();
    }
    let id = job.id.clone();
    let kept = Resource::new(move || id.clone(), kept_records);
    let path = match job.kind {
        ImportKind::Leads => "/leads",
        ImportKind::Customers => "/customers",
    };
    view! {
        <h3>"Left alone"</h3>
        {loaded("Loading…", kept, move |kept: Vec<(i64, String)>| {
            kept.into_iter()
                .map(|(row, record)| view! { <li><a href=format!("{path}/{record}")>{format!("Row {row}")}</a></li> })
                .collect::<Vec<_>>()
        })}
    }
    .into_any()
}
