use crate::shell::Placeholder;
use leptos::prelude::*;

#[component]
pub fn CustomersPage() -> impl IntoView {
    view! { <Placeholder title="Customers" summary="Your customers will be listed here."/> }
}
