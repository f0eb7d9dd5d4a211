//! The activity log's page, the dashboard's feed line, and a record's history
//! on its own page.

use super::api::{list_activity, record_activity};
use super::{ActivityEntry, ActivityPage, ActivityQuery, EntityType};
use crate::components::PageHeading;
use crate::components::{
    load_team, paged_table, Column, EmptyChoice, Moment, PerPageSelect, Team, TeamSelect,
};
use crate::components::{loaded, use_viewer, ChoiceFilter, DateFilter};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ActivityPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|p| ActivityQuery::from_params(|k| p.get(k))));
    let log = Resource::new(move || query.get(), |q| list_activity(q.to_query_string()));
    let team = use_viewer().is_some_and(|v| v.is_admin()).then(load_team);
    view! {
        <PageHeading text="Activity"/>
        <ActivityFilterForm query=query team=team/>
        {loaded("Loading activity…", log, move |page| view! { <ActivityTable page=page/> }.into_any())}
    }
}

/// Filters: a plain GET form, so it works without JavaScript and the URL holds the state.
#[component]
fn ActivityFilterForm(query: Memo<ActivityQuery>, team: Option<Team>) -> impl IntoView {
    let current = query.get_untracked();
    view! {
        <Form method="GET" action="/activity" attr:class="filters" attr:role="search">
            {team.map(|team| view! {
                <TeamSelect team=team id="activity-actor" name="actor" label="By"
                    selected=current.actor.clone() empty_choice=EmptyChoice::Allowed("Anyone")/>
            })}
            <ChoiceFilter id="activity-type" name="type" label="Record type" any="Any record" selected=current.entity_type/>
            <ChoiceFilter id="activity-action" name="action" label="Action" any="Any action" selected=current.action/>
            <DateFilter id="activity-from" name="from" label="From" value=current.from.clone()/>
            <DateFilter id="activity-to" name="to" label="Until" value=current.to.clone()/>
            <PerPageSelect id="activity-per-page" selected=current.per_page/>
            <button type="submit" class="btn btn-primary">"Apply"</button>
        </Form>
    }
}

#[component]
fn ActivityTable(page: ActivityPage) -> impl IntoView {
    if page.rows.is_empty() {
        let text = if page.query.is_filtered() {
            "No activity matches these filters."
        } else {
            "Nothing has happened yet."
        };
        return view! { <div class="empty"><p>{text}</p></div> }.into_any();
    }
    let columns = vec![
        Column::new("When"),
        Column::new("Who"),
        Column::new("Action"),
        Column::new("Record"),
        Column::new("Changes"),
    ];
    paged_table(page, "Activity, newest first", columns, |entry| {
        let at = entry.at;
        let action = entry.action.label();
        let actor = entry.actor_name.clone();
        view! {
            <tr>
                <td class="whitespace-nowrap"><Moment at=at/></td>
                <td>{actor}</td>
                <td>{action}</td>
                <td><RecordLabel entry=entry.clone()/></td>
                <td><Changes changes=entry.changes/></td>
            </tr>
        }
    })
    .into_any()
}

/// The record an entry is about: its type and its name.
#[component]
fn RecordLabel(entry: ActivityEntry) -> impl IntoView {
    let kind = entry.entity_type.label();
    view! { <span class="muted">{kind}" "</span><RecordName entry=entry/> }
}

/// The record's name then, a link while it has a page.
#[component]
fn RecordName(entry: ActivityEntry) -> impl IntoView {
    // Only admins have user pages.
    let admin = use_viewer().is_some_and(|v| v.is_admin());
    let href = entry.href().filter(|_| admin || entry.entity_type != EntityType::User);
    match href {
        Some(href) => view! { <a href=href>{entry.label}</a> }.into_any(),
        None => view! { <span>{entry.label}</span> }.into_any(),
    }
}

/// One entry as a sentence, "Maria changed lead Ana Silva · time" (the dashboard's feed).
#[component]
pub fn ActivityLine(
    entry: ActivityEntry,
    /// How many entries alike this line stands for (a member's sign-ins in a row).
    #[prop(default = 1)]
    times: usize,
) -> impl IntoView {
    let phrase = match times {
        1 => entry.action.phrase().to_owned(),
        n => format!("{} {n} times", entry.action.phrase()),
    };
    let at = entry.at;
    let record = (!entry.action.is_session()).then(|| {
        let kind = entry.entity_type.label().to_lowercase();
        view! { " "{kind}" "<RecordName entry=entry.clone()/> }
    });
    view! {
        <li class="timeline-item">
            <p>
                <strong>{entry.actor_name.clone()}</strong>" "{phrase}{record}
                <span class="muted">" · "<Moment at=at/></span>
            </p>
        </li>
    }
}

/// The changed fields of an entry, old → new.
#[component]
fn Changes(changes: Vec<(String, String, String)>) -> impl IntoView {
    (!changes.is_empty()).then(|| {
        view! {
            <ul class="changes">
                {changes.into_iter().map(|(field, old, new)| {
                    let text = match (old.is_empty(), new.is_empty()) {
                        (true, _) => format!("{field}: {new}"),
                        (false, true) => format!("{field}: {old} → (none)"),
                        _ => format!("{field}: {old} → {new}"),
                    };
                    view! { <li>{text}</li> }
                }).collect_view()}
            </ul>
        }
    })
}

/// A record's history, loaded when its page is set up (so server rendering waits for it).
pub type History = Resource<Result<Vec<ActivityEntry>, AppError>>;

/// Loads the history of the record `key` gives as (`lead`/`customer`/`task`, id),
/// again whenever `reload` changes (after the page's own changes).
pub fn load_history(
    key: impl Fn() -> (&'static str, String) + Send + Sync + 'static,
    reload: impl Fn() -> usize + Send + Sync + 'static,
) -> History {
    Resource::new(move || (key(), reload()), |((kind, id), _)| record_activity(kind.to_owned(), id))
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
pub fn HistoryItem(entry: ActivityEntry) -> impl IntoView {
    view! {
        <li class="timeline-item">
            <p><strong>{entry.actor_name}</strong>" "{entry.action.verb()}<span class="muted">" · "<Moment at=entry.at/></span></p>
            <Changes changes=entry.changes/>
        </li>
    }
}
