use crate::shell::Placeholder;
use leptos::prelude::*;

#[component]
pub fn LeadsPage() -> impl IntoView {
    view! { <Placeholder title="Leads" summary="Leads you are working will be listed here."/> }
}
