//! The confirmation page of a bulk action on the tasks list.

use super::super::api::{preview_task_changes, ChangeTasks};
use super::*;
use crate::components::{bulk_form_here, BulkConfirm};

#[component]
pub fn TaskBulkPage() -> impl IntoView {
    let form = bulk_form_here();
    let change = ServerAction::<ChangeTasks>::new();
    let preview = Resource::new(
        {
            let form = form.clone();
            move || form.clone()
        },
        preview_task_changes,
    );
    view! { <BulkConfirm form=form preview=preview action=change/> }
}
