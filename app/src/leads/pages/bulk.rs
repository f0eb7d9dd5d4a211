//! The confirmation page of a bulk action on the leads list.

use super::*;
use crate::components::{bulk_form_here, BulkConfirm};

#[component]
pub fn LeadBulkPage() -> impl IntoView {
    let form = bulk_form_here();
    let change = ServerAction::<ChangeLeads>::new();
    let preview = Resource::new(
        {
            let form = form.clone();
            move || form.clone()
        },
        preview_lead_changes,
    );
    view! { <BulkConfirm form=form preview=preview action=change/> }
}
