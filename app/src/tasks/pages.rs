use crate::shell::Placeholder;
use leptos::prelude::*;

#[component]
pub fn TasksPage() -> impl IntoView {
    view! { <Placeholder title="Tasks" summary="Your tasks will be listed here."/> }
}
