//! A lead's page: its fields, convert and assign, notes, tasks and history.

use super::*;

/// The link to the customer the lead became, or, when the URL asks, the question
/// before converting it (the header holds "Convert to customer…").
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
    let path = format!("/leads/{}", lead.id);
    let confirming =
        use_query_map().with_untracked(|q| q.get("confirm").as_deref() == Some("convert"));
    if !confirming {
        return ().into_any();
    }
    // What converting does, with the number of open tasks it moves.
    let open = Resource::new(|| (), {
        let id = lead.id.clone();
        move |_| open_task_count(id.clone())
    });
    let owner = lead.assignee_name.clone();
    let consequence = move |count: i64| {
        let tasks = match count {
            0 => "It has no open tasks to move.".to_owned(),
            1 => format!("Its 1 open task moves to the customer, assigned to {owner}."),
            n => format!("Its {n} open tasks move to the customer, assigned to {owner}."),
        };
        view! { <p>{tasks}</p> }
    };
    view! {
        <div class="confirm" role="alertdialog" aria-labelledby="confirm-convert-title">
            <h2 id="confirm-convert-title">{format!("Convert {} to a customer?", lead.name)}</h2>
            <p>{format!("A customer is created from this lead's contact details, owned by {}, and the two are linked both ways; the lead is marked Closed Won.", lead.assignee_name)}</p>
            {loaded("Counting its open tasks…", open, consequence)}
            <FormError error=error/>
            <ActionForm action=convert attr:class="actions">
                <input type="hidden" name="id" value=lead.id.to_string()/>
                <Submit pending=convert.pending() class="btn btn-primary">"Convert to customer"</Submit>
                <a class="btn btn-quiet" href=path>"Cancel"</a>
            </ActionForm>
        </div>
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

type DetailActions = RecordActions<UpdateLead, ArchiveLead, RestoreLead, AssignLeads>;

const ARCHIVING: &str =
    "It will be archived: hidden from lists, counts and statistics. An admin can restore it.";

/// A lead's page; saving returns to the same URL and the page's changes reload it.
#[component]
pub fn LeadDetailPage() -> impl IntoView {
    let actions = DetailActions::new();
    let team = use_viewer().is_some_and(|v| v.is_admin()).then(load_team);
    let detail = move |lead: Lead, confirming: bool| RecordView {
        archived: lead.archived,
        header: view! { <LeadHeader lead=lead.clone() confirming actions/> }.into_any(),
        side: view! { <LeadSide lead actions team/> }.into_any(),
    };
    record_page(RecordRef::Lead, get_lead, move || actions.version(), detail)
}

/// Name, status, who has it, the key actions, and any question being asked.
#[component]
fn LeadHeader(lead: Lead, confirming: bool, actions: DetailActions) -> impl IntoView {
    let RecordActions { archive, restore, .. } = actions;
    let record = RecordRef::Lead(lead.id.clone());
    let live = !lead.archived;
    let convertible = live && lead.customer_id.is_none();
    let convert = format!("/leads/{}?confirm=convert", lead.id);
    view! {
        <crate::components::PageTitle text=lead.name.clone()/>
        <div class="record-header">
            <div class="page-header">
                <h1 class="page-title">{lead.name.clone()}</h1>
                <span class=format!("status status-{}", lead.status.as_str())>{lead.status.label()}</span>
                <div class="record-actions">
                    {convertible.then(|| view! { <a class="btn btn-primary" href=convert>"Convert to customer…"</a> })}
                    {live.then(|| view! { <DeleteLink record=record.clone()/> })}
                </div>
            </div>
            <p class="muted">
                {format!("Assigned to {} · created ", lead.assignee_name)}<Moment at=lead.created_at/>
                " · updated "<Moment at=lead.updated_at/>
            </p>
        </div>
        {lead.archived.then(|| view! { <ArchivedNotice record=record.clone() restore=restore/> })}
        {(confirming && live).then(|| view! { <ArchiveConfirm archive=archive record=record consequence=ARCHIVING/> })}
        <ConvertPanel lead=lead/>
    }
}

/// The lead's contact links, its fields edited in place, and (admins) who has it.
#[component]
fn LeadSide(lead: Lead, actions: DetailActions, team: Option<Team>) -> impl IntoView {
    let RecordActions { update, assign, .. } = actions;
    let error = action_error(update.value());
    let record = RecordRef::Lead(lead.id.clone());
    let archived = lead.archived;
    let fields = lead.clone();
    view! {
        <ContactLinks email=lead.email.clone() phone=lead.phone.clone()/>
        <RecordEditor update=update record=record version=lead.version archived=archived>
            <LeadFields lead=Some(fields) error=error/>
        </RecordEditor>
        {team.filter(|_| !archived).map(|team| view! { <AssignPanel lead=lead.clone() assign=assign team=team/> })}
    }
}
