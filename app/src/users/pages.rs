use crate::auth::policy;
use crate::shell::{use_viewer, NotFoundPage, Placeholder};
use leptos::prelude::*;

#[component]
pub fn UsersPage() -> impl IntoView {
    // Agents get the same 404 as for a page that does not exist.
    let allowed = use_viewer().is_some_and(|v| policy::may_manage_users(&v));
    if !allowed {
        return view! { <NotFoundPage/> }.into_any();
    }
    view! { <Placeholder title="Users" summary="Your team's accounts will be managed here."/> }
        .into_any()
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let viewer = use_viewer();
    view! {
        <crate::components::PageTitle text="Profile"/>
        <h1 class="page-title">"Your profile"</h1>
        {viewer.map(|v| view! {
            <dl class="details">
                <dt>"Name"</dt><dd>{v.name}</dd>
                <dt>"Email"</dt><dd>{v.email}</dd>
                <dt>"Role"</dt><dd>{v.role.label()}</dd>
            </dl>
        })}
    }
}
