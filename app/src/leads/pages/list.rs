//! The leads list: search, filters, sort, paging and the admins' bulk assign.

use super::*;

#[component]
pub fn LeadsPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|p| LeadQuery::from_params(|k| p.get(k))));
    // Bulk assignment returns to this same URL; its completion count makes the list reload.
    let assign = ServerAction::<AssignLeads>::new();
    let leads =
        Resource::new(move || (query.get(), assign.version().get()), |(q, _)| list_leads(q));
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
        <LeadFilterForm query=query team=team view=LeadView::List/>
        {loaded("Loading leads…", leads, move |page| view! { <LeadTable page=page team=team assign=assign/> }.into_any())}
    }
}

#[component]
fn LeadTable(
    page: LeadPage,
    team: Option<Team>,
    assign: ServerAction<AssignLeads>,
) -> impl IntoView {
    if page.rows.is_empty() {
        return view! {
            <EmptyList filtered=page.query.is_filtered() what="leads" path="/leads">
                <p>"No leads yet — " <a href="/leads/new">"add one"</a>"."</p>
            </EmptyList>
        }
        .into_any();
    }
    let pages = list_pages(&page);
    let back = page.query.href();
    let selectable = team.filter(|_| !page.query.archived);
    let mut columns = vec![
        Column::sorts("Name", LeadSort::Name),
        Column::new("Email"),
        Column::sorts("Company", LeadSort::Company),
        Column::sorts("Status", LeadSort::Status),
        Column::sorts("Assigned to", LeadSort::Assignee),
        Column::sorts("Created", LeadSort::Created),
    ];
    if selectable.is_some() {
        columns.insert(0, Column::quiet("Select"));
    }
    let rows = page.rows.into_iter().enumerate().map(|(i, row)| view! {
        <tr>
            {selectable.map(|_| view! {
                <td>
                    <input type="checkbox" name=format!("ids[{i}]") value=row.id.to_string()
                        aria-label=format!("Select {}", row.name)/>
                </td>
            })}
            <td><a href=format!("/leads/{}", row.id)>{row.name}</a></td>
            <td>{row.email}</td>
            <td>{row.company}</td>
            <td><span class=format!("status status-{}", row.status.as_str())>{row.status.label()}</span></td>
            <td>{row.assignee_name}</td>
            <td><Moment at=row.created_at/></td>
        </tr>
    }).collect_view();
    let table = list_table(&page.query, "Leads", columns, rows);
    let assign_error = action_error(assign.value());
    let body = if let Some(team) = selectable {
        view! {
            <FormError error=assign_error about=&["ids", "assignee"]/>
            <ActionForm action=assign>
                <input type="hidden" name="back" value=back/>
                <div class="bulk-bar">
                    <TeamSelect team=team id="bulk-assignee" name="assignee" label="Assign selected leads to" selected=None
                        empty_choice=EmptyChoice::Prompt("Choose a team member…")/>
                    <Submit pending=assign.pending() class="btn btn-quiet">"Assign selected"</Submit>
                </div>
                {table}
            </ActionForm>
        }
        .into_any()
    } else {
        table.into_any()
    };
    view! { {body} {pages} }.into_any()
}
