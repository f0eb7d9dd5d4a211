//! The leads list: search, filters, sort, paging and bulk actions.

use super::*;

#[component]
pub fn LeadsPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|p| LeadQuery::from_params(|k| p.get(k))));
    let leads = Resource::new(move || query.get(), list_leads);
    // Admins pick and filter by team members; the team loads with the page.
    let team = use_viewer().is_some_and(|v| v.is_admin()).then(load_team);
    view! {
        <crate::components::PageTitle text="Leads"/>
        <div class="page-header">
            <h1 class="page-title">{move || if query.get().archived { "Archived leads" } else { "Leads" }}</h1>
            <div class="actions">
                <ViewSwitch current=LeadView::List query=query/>
                <ExportLink path="/leads/export.csv" query=query/>
                <a class="btn btn-quiet" href="/import?kind=leads">"Import"</a>
                <a class="btn btn-primary" href="/leads/new">"New lead"</a>
            </div>
        </div>
        <crate::views::pages::SavedViews list=crate::views::SavedList::Leads/>
        <LeadFilterForm query=query team=team view=LeadView::List/>
        {loaded("Loading leads…", leads, move |page| view! { <LeadTable page=page team=team/> }.into_any())}
    }
}

#[component]
fn LeadTable(page: LeadPage, team: Option<Team>) -> impl IntoView {
    if page.rows.is_empty() {
        return view! {
            <EmptyList filtered=page.query.is_filtered() what="leads" path="/leads">
                <p>"No leads yet — " <a href="/leads/new">"add one"</a>"."</p>
            </EmptyList>
        }
        .into_any();
    }
    // Archived leads are restored one by one, from their page.
    let selectable = !page.query.archived;
    let columns = vec![
        Column::sorts("Name", LeadSort::Name),
        Column::new("Email"),
        Column::sorts("Company", LeadSort::Company),
        Column::sorts("Status", LeadSort::Status),
        Column::sorts("Assigned to", LeadSort::Assignee),
        Column::sorts("Created", LeadSort::Created),
    ];
    let controls = move || view! { <BulkChanges team=team first=LeadStatus::New/> }.into_any();
    bulk_table(page, ("Leads", "leads"), columns, selectable, true, controls, |row| {
        let cells = view! {
            <td><a href=format!("/leads/{}", row.id)>{row.name.clone()}</a></td>
            <td>{row.email}</td>
            <td>{row.company}</td>
            <td><span class=format!("status status-{}", row.status.as_str())>{row.status.label()}</span></td>
            <td data-label="Assigned to">{row.assignee_name}</td>
            <td data-label="Created"><Moment at=row.created_at/></td>
        };
        (row.id.to_string(), row.name, cells.into_any())
    })
}
