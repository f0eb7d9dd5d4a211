use crate::shell::Placeholder;
use leptos::prelude::*;

#[component]
pub fn DashboardPage() -> impl IntoView {
    view! { <Placeholder title="Dashboard" summary="Your numbers at a glance will appear here."/> }
}
