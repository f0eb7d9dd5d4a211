//! The saved views above a list: "All" and a tab per view (the team's, then one's
//! own; the one shown marked, the one the list opens with said so), a "Forget"
//! button on those the viewer may remove, "Make this the default view" on the one
//! shown, and a form that saves the list as it is shown. Plain links and forms:
//! they work without JavaScript.

use super::api::{saved_views, DefaultView, ForgetView, SaveView};
use super::{kept_query, SavedList, SavedView, ALL};
use crate::components::{action_error, use_viewer, FormError};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn SavedViews(list: SavedList) -> impl IntoView {
    let views = Resource::new(|| (), move |_| saved_views(list.as_str().to_owned()));
    let search = use_location().search;
    let current = Memo::new(move |_| kept_query(&search.get()));
    let save = ServerAction::<SaveView>::new();
    let forget = ServerAction::<ForgetView>::new();
    let make_default = ServerAction::<DefaultView>::new();
    let error = action_error(save.value());
    let is_admin = use_viewer().is_some_and(|v| v.is_admin());
    let tab = move |view: SavedView| {
        let href = crate::list::href(list.path(), &view.query);
        let forget_label = format!("Forget the view {}", view.name);
        let shown = move || (current.get() == view.query).then_some("page");
        let shared = view.shared.then(|| view! { <span class="muted">" · team"</span> });
        let default = view.default.then(|| view! { <span class="muted">" · default"</span> });
        let remove = view.removable.then(|| {
            view! {
                <ActionForm action=forget attr:class="view-forget">
                    <input type="hidden" name="id" value=view.id.to_string()/>
                    <button type="submit" aria-label=forget_label
                        title="Forget this view">"×"</button>
                </ActionForm>
            }
        });
        view! { <li><a href=href aria-current=shown>{view.name.clone()}{shared}{default}</a>{remove}</li> }
    };
    // The view shown, made (or no longer) what the list opens with.
    let default_form = move |views: Vec<SavedView>| {
        let shown = views.into_iter().find(|v| v.query == current.get())?;
        let (id, label) = if shown.default {
            (None, "Stop opening this view by default")
        } else {
            (Some(shown.id.to_string()), "Make this the default view")
        };
        Some(view! {
            <ActionForm action=make_default attr:class="view-default">
                <input type="hidden" name="list" value=list.as_str()/>
                {id.map(|id| view! { <input type="hidden" name="id" value=id/> })}
                <button type="submit" class="btn btn-quiet btn-small">{label}</button>
            </ActionForm>
        })
    };
    view! {
        <div class="saved-views">
            <nav aria-label="Saved views">
                <ul class="view-tabs">
                    <li>
                        <a href=format!("{}?{}={}", list.path(), ALL.0, ALL.1) aria-current=move || current.get().is_empty().then_some("page")>"All"</a>
                    </li>
                    <Suspense>
                        {move || views.get().and_then(Result::ok).map(|views| views.into_iter().map(tab).collect_view())}
                    </Suspense>
                </ul>
            </nav>
            <Suspense>{move || views.get().and_then(Result::ok).map(default_form)}</Suspense>
            <details class="save-view">
                <summary>"Save this view"</summary>
                <FormError error=error/>
                <ActionForm action=save attr:class="inline-form">
                    <input type="hidden" name="list" value=list.as_str()/>
                    <input type="hidden" name="query" value=move || current.get()/>
                    <label for=format!("{}-view-name", list.as_str())>"Name of the view"</label>
                    <input id=format!("{}-view-name", list.as_str()) name="name" class="field-input" maxlength="60" required/>
                    {is_admin.then(|| view! {
                        <label class="check"><input type="checkbox" name="shared" value="1"/>"Share with the team"</label>
                    })}
                    <button type="submit" class="btn btn-quiet">"Save view"</button>
                </ActionForm>
            </details>
        </div>
    }
}
