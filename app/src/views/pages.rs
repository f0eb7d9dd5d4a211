//! The saved views above a list: "All" and a tab per view (the team's, then one's
//! own; the one shown marked), a "Forget" button on those the viewer may remove,
//! and a form that saves the list as it is shown. Plain links and forms: they work
//! without JavaScript.

use super::api::{saved_views, ForgetView, SaveView};
use super::{kept_query, SavedList, SavedView};
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
    let error = action_error(save.value());
    let is_admin = use_viewer().is_some_and(|v| v.is_admin());
    let tab = move |view: SavedView| {
        let href = crate::list::href(list.path(), &view.query);
        let forget_label = format!("Forget the view {}", view.name);
        let shown = move || (current.get() == view.query).then_some("page");
        let shared = view.shared.then(|| view! { <span class="muted">" · team"</span> });
        let remove = view.removable.then(|| {
            view! {
                <ActionForm action=forget attr:class="view-forget">
                    <input type="hidden" name="id" value=view.id.to_string()/>
                    <button type="submit" aria-label=forget_label
                        title="Forget this view">"×"</button>
                </ActionForm>
            }
        });
        view! { <li><a href=href aria-current=shown>{view.name.clone()}{shared}</a>{remove}</li> }
    };
    view! {
        <div class="saved-views">
            <nav aria-label="Saved views">
                <ul class="view-tabs">
                    <li>
                        <a href=list.path() aria-current=move || current.get().is_empty().then_some("page")>"All"</a>
                    </li>
                    <Suspense>
                        {move || views.get().and_then(Result::ok).map(|views| views.into_iter().map(tab).collect_view())}
                    </Suspense>
                </ul>
            </nav>
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
