use super::api::get_customer;
use super::Customer;
use crate::components::{format_time, PageTitle};
use crate::shell::{ErrorPage, Placeholder};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CustomersPage() -> impl IntoView {
    view! { <Placeholder title="Customers" summary="Your customers will be listed here."/> }
}

#[component]
pub fn CustomerDetailPage() -> impl IntoView {
    let params = use_params_map();
    let customer = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        get_customer,
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading customer…"</p> }>
            {move || customer.get().map(|result| match result {
                Ok(customer) => view! { <CustomerDetail customer=customer/> }.into_any(),
                Err(error) => view! { <ErrorPage error=error/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn CustomerDetail(customer: Customer) -> impl IntoView {
    view! {
        <PageTitle text=customer.name.clone()/>
        <h1 class="page-title">{customer.name.clone()}</h1>
        <p class="muted">{format!("Customer of {} since {}", customer.owner_name, format_time(customer.created_at))}</p>
        <dl class="details">
            <dt>"Email"</dt><dd>{customer.email}</dd>
            <dt>"Phone"</dt><dd>{customer.phone}</dd>
            <dt>"Company"</dt><dd>{customer.company}</dd>
            {customer.lead_id.map(|lead| view! {
                <dt>"From lead"</dt><dd><a href=format!("/leads/{lead}")>"View the original lead"</a></dd>
            })}
        </dl>
    }
}
