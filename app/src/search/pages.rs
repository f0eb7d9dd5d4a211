//! The `/search` page: a plain GET form and the hits grouped by kind, best first,
//! so it works without JavaScript and a search can be linked to.

use super::api::search;
use super::{HitKind, SearchHit, SearchResults};
use crate::components::{loaded, PageHeading};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;
use strum::VariantArray;

#[component]
pub fn SearchPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|p| p.get("q").unwrap_or_default()));
    let results = Resource::new(move || query.get(), search);
    view! {
        <PageHeading text="Search"/>
        <Form method="GET" action="/search" attr:class="filters" attr:role="search">
            <div class="field">
                <label for="search-q" class="field-label">"Leads, customers, tasks and more"</label>
                <input id="search-q" type="search" name="q" class="field-input" value=query.get_untracked()
                    maxlength=super::QUERY_MAX autocomplete="off" aria-describedby="search-q-hint"/>
                <p id="search-q-hint" class="muted">"Several words, a phone number in any format, or a name with a letter wrong."</p>
            </div>
            <button type="submit" class="btn btn-primary">"Search"</button>
        </Form>
        {loaded("Searching…", results, |found| view! { <Hits results=found/> }.into_any())}
    }
}

#[component]
fn Hits(results: SearchResults) -> impl IntoView {
    if results.query.trim().is_empty() {
        return view! { <p class="muted">"Type what you are looking for."</p> }.into_any();
    }
    if results.hits.is_empty() {
        let text = format!("Nothing you can see matches “{}”.", results.query.trim());
        return view! { <div class="empty"><p>{text}</p></div> }.into_any();
    }
    let close = results.close.then(|| {
        view! { <p class="notice" role="status">"Nothing matches exactly; these come close."</p> }
    });
    let groups = HitKind::VARIANTS
        .iter()
        .filter_map(|kind| {
            let hits: Vec<SearchHit> =
                results.hits.iter().filter(|h| h.kind == *kind).cloned().collect();
            (!hits.is_empty()).then(|| {
                let (heading, labelled) = (format!("search-{}", kind.as_str()), format!("search-{}", kind.as_str()));
                let title = format!("{} ({})", kind.plural(), hits.len());
                view! {
                    <section class="panel" aria-labelledby=labelled>
                        <h2 id=heading>{title}</h2>
                        <ul class="hits">{hits.into_iter().map(|hit| view! { <HitItem hit=hit/> }).collect_view()}</ul>
                    </section>
                }
            })
        })
        .collect_view();
    view! { {close} {groups} }.into_any()
}

/// One hit: its title as a link, its kind, what tells it apart, its status.
#[component]
pub fn HitItem(hit: SearchHit) -> impl IntoView {
    let status =
        (!hit.status.is_empty()).then(|| view! { <span class="badge">{hit.status.clone()}</span> });
    view! {
        <li class="hit">
            <a href=hit.href() class="hit-title">{hit.title.clone()}</a>
            <span class="hit-kind">{hit.kind.label()}</span>
            {status}
            <span class="muted hit-detail">{hit.detail.clone()}</span>
        </li>
    }
}
