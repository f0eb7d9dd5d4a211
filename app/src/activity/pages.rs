use crate::shell::Placeholder;
use leptos::prelude::*;

#[component]
pub fn ActivityPage() -> impl IntoView {
    view! { <Placeholder title="Activity" summary="Every change to your records will be listed here."/> }
}
