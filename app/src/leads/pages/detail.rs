//! A lead's page: its fields, convert and assign, notes, tasks and history.

use super::*;

/// "Convert to customer", or the link to the customer it became.
#[component]
fn ConvertPanel(lead: Lead) -> impl IntoView {
    let convert = ServerAction::<ConvertLead>::new();
    let error = action_error(convert.value());
    if let Some(customer) = lead.customer_id {
        return view! {
            <div class="notice" role="status">
                "Converted to a customer. " <a href=format!("/customers/{customer}")>"View the customer"</a>
            </div>
        }
        .into_any();
    }
    if lead.archived {
        return ().into_any();
    }
    view! {
        <FormError error=error/>
        <ActionForm action=convert attr:class="inline-form">
            <input type="hidden" name="id" value=lead.id.to_string()/>
            <Submit pending=convert.pending() class="btn btn-primary">"Convert to customer"</Submit>
        </ActionForm>
    }
    .into_any()
}

/// Admins give the lead to another team member.
#[component]
fn AssignPanel(lead: Lead, assign: ServerAction<AssignLeads>, team: Team) -> impl IntoView {
    let error = action_error(assign.value());
    let back = format!("/leads/{}", lead.id);
    view! {
        <FormError error=error/>
        <ActionForm action=assign attr:class="inline-form">
            <input type="hidden" name="ids[0]" value=lead.id.to_string()/>
            <input type="hidden" name="back" value=back/>
            <TeamSelect team=team id="lead-assignee" name="assignee" label="Assigned to" selected=Some(lead.assignee_id.clone())/>
            <Submit pending=assign.pending() class="btn btn-quiet">"Assign"</Submit>
        </ActionForm>
    }
}

#[component]
pub fn LeadDetailPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let actions = DetailActions {
        update: ServerAction::new(),
        archive: ServerAction::new(),
        restore: ServerAction::new(),
        assign: ServerAction::new(),
    };
    // Saving returns to this same URL; the completion counts make the lead reload.
    let lead = Resource::new(
        move || {
            (
                id(),
                actions.update.version().get(),
                actions.restore.version().get(),
                actions.assign.version().get(),
            )
        },
        |(id, ..)| get_lead(id.into()),
    );
    let record = move || RecordRef::Lead(id().into());
    let sections = RecordSections::load(record, move || {
        actions.update.version().get()
            + actions.restore.version().get()
            + actions.assign.version().get()
    });
    let confirming = move || query.read().get("confirm").is_some_and(|c| c == "archive");
    let team = use_viewer().is_some_and(|v| v.is_admin()).then(load_team);
    view! {
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading lead…"</p> }>
            {move || lead.get().map(|result| match result {
                Ok(lead) => {
                    let record = RecordRef::Lead(lead.id.clone());
                    let archived = lead.archived;
                    view! {
                        <LeadDetail lead=lead confirming=confirming() actions=actions team=team/>
                        <RecordSectionsView sections=sections record=record archived=archived/>
                    }.into_any()
                }
                Err(error) => view! { <ErrorPage error=error/> }.into_any(),
            })}
        </Suspense>
    }
}

/// The actions of a lead's page, owned by the page so their results can reload it.
#[derive(Clone, Copy)]
struct DetailActions {
    update: ServerAction<UpdateLead>,
    archive: ServerAction<ArchiveLead>,
    restore: ServerAction<RestoreLead>,
    assign: ServerAction<AssignLeads>,
}

#[component]
fn LeadDetail(
    lead: Lead,
    confirming: bool,
    actions: DetailActions,
    team: Option<Team>,
) -> impl IntoView {
    let DetailActions {
        update,
        archive,
        restore,
        assign,
    } = actions;
    let error = action_error(update.value());
    let archive_error = action_error(archive.value());
    let is_admin = use_viewer().is_some_and(|v| v.is_admin());
    let id = lead.id.to_string();
    let reload_id = id.clone();
    let title = lead.name.clone();
    view! {
        <crate::components::PageTitle text=title/>
        <div class="page-header">
            <h1 class="page-title">{lead.name.clone()}</h1>
            <span class=format!("status status-{}", lead.status.as_str())>{lead.status.label()}</span>
        </div>
        <p class="muted">
            {format!("Assigned to {} · created {} · updated {}", lead.assignee_name, format_time(lead.created_at), format_time(lead.updated_at))}
        </p>
        {lead.archived.then(|| view! {
            <ArchivedNotice what="lead">
                {is_admin.then(|| view! {
                    <ActionForm action=restore>
                        <input type="hidden" name="id" value=id.clone()/>
                        <Submit pending=restore.pending() class="btn btn-quiet">"Restore"</Submit>
                    </ActionForm>
                })}
            </ArchivedNotice>
        })}
        <ConvertPanel lead=lead.clone()/>
        {team.filter(|_| !lead.archived).map(|team| view! { <AssignPanel lead=lead.clone() assign=assign team=team/> })}
        <FormError error=error/>
        <FormError error=archive_error/>
        <ReloadAfterConflict error=error what="lead" href=format!("/leads/{reload_id}")/>
        {(!lead.archived).then(|| {
            let lead = lead.clone();
            view! {
            <ActionForm action=update attr:class="form-stack form-narrow" attr:novalidate=true>
                <input type="hidden" name="id" value=lead.id.to_string()/>
                <input type="hidden" name="version" value=lead.version.to_string()/>
                <LeadFields lead=Some(lead.clone()) error=error/>
                <div class="actions">
                    <Submit pending=update.pending() class="btn btn-primary">"Save changes"</Submit>
                    <a class="btn btn-quiet" href=format!("/leads/{}?confirm=archive", lead.id)>"Delete…"</a>
                </div>
            </ActionForm>
        }})}
        {(confirming && !lead.archived).then(|| view! {
            <ConfirmArchive what="lead"
                consequence="It will be archived: hidden from lists, counts and statistics. An admin can restore it.">
                <ActionForm action=archive>
                    <input type="hidden" name="id" value=lead.id.to_string()/>
                    <Submit pending=archive.pending() class="btn btn-danger">"Delete lead"</Submit>
                    <a class="btn btn-quiet" href=format!("/leads/{}", lead.id)>"Keep it"</a>
                </ActionForm>
            </ConfirmArchive>
        })}
    }
}
