//! The new-lead form.

use super::*;

#[component]
pub fn LeadNewPage() -> impl IntoView {
    let create = ServerAction::<CreateLead>::new();
    let error = action_error(create.value());
    let viewer = use_viewer();
    view! {
        <crate::components::PageTitle text="New lead"/>
        <h1 class="page-title">"New lead"</h1>
        <FormError error=error/>
        <ActionForm action=create attr:class="form-stack form-narrow" attr:novalidate=true>
            <LeadFields lead=None error=error/>
            {viewer.filter(|v| v.is_admin()).map(|v| view! {
                <TeamSelect team=load_team() id="new-lead-assignee" name="assignee" label="Assign to" selected=Some(v.id.clone())/>
            })}
            <div class="actions">
                <Submit pending=create.pending() class="btn btn-primary">"Create lead"</Submit>
                <a class="btn btn-quiet" href="/leads">"Cancel"</a>
            </div>
        </ActionForm>
    }
}
