//! The leads list: search, filters, sort, paging and the admins' bulk assign.

use super::*;

#[component]
pub fn LeadsPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|p| LeadQuery::from_params(|k| p.get(k))));
    // Bulk assignment returns to this same URL; its completion count makes the list reload.
    let assign = ServerAction::<AssignLeads>::new();
    let leads = Resource::new(
        move || (query.get(), assign.version().get()),
        |(q, _)| list_leads(q),
    );
    // Admins pick and filter by team members; the team loads with the page.
    let team = use_viewer().is_some_and(|v| v.is_admin()).then(load_team);
    view! {
        <crate::components::PageTitle text="Leads"/>
        <div class="page-header">
            <h1 class="page-title">{move || if query.get().archived { "Archived leads" } else { "Leads" }}</h1>
            <div class="actions">
                <ViewSwitch current=LeadView::List query=query/>
                <a class="btn btn-quiet" rel="external" download=""
                    href=move || format!("/leads/export.csv?{}", LeadQuery { page: 1, ..query.get() }.to_query_string())>
                    "Export CSV"
                </a>
                <a class="btn btn-primary" href="/leads/new">"New lead"</a>
            </div>
        </div>
        <LeadFilterForm query=query team=team view=LeadView::List/>
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading leads…"</p> }>
            {move || leads.get().map(|result| match result {
                Ok(page) => view! { <LeadTable page=page team=team assign=assign/> }.into_any(),
                Err(error) => view! { <ErrorPage error=error/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn LeadTable(
    page: LeadPage,
    team: Option<Team>,
    assign: ServerAction<AssignLeads>,
) -> impl IntoView {
    if page.rows.is_empty() {
        let filtered = page.query != LeadQuery::default();
        return view! {
            <div class="empty">
                {if filtered {
                    view! { <p>"No leads match these filters. " <a href="/leads">"Clear filters"</a></p> }.into_any()
                } else {
                    view! { <p>"No leads yet — " <a href="/leads/new">"add one"</a>"."</p> }.into_any()
                }}
            </div>
        }
        .into_any();
    }
    let query = page.query.clone();
    let header = move |sort: LeadSort, label: &'static str| {
        view! { <SortHeader label=label active=query.sort == sort descending=query.descending href=list_href(&query.sorted_by(sort))/> }
    };
    let pager_query = page.query.clone();
    let (page_number, page_count, total) = (page.query.page, page.page_count(), page.total);
    let back = list_href(&page.query);
    let selectable = team.filter(|_| !page.query.archived);
    let table = view! {
        <div class="table-wrap">
            <table class="data-table">
                <caption class="sr-only">"Leads"</caption>
                <thead>
                    <tr>
                        {selectable.map(|_| view! { <th scope="col"><span class="sr-only">"Select"</span></th> })}
                        {header(LeadSort::Name, "Name")}
                        <th scope="col">"Email"</th>
                        {header(LeadSort::Company, "Company")}
                        {header(LeadSort::Status, "Status")}
                        {header(LeadSort::Assignee, "Assigned to")}
                        {header(LeadSort::Created, "Created")}
                    </tr>
                </thead>
                <tbody>
                    {page.rows.into_iter().enumerate().map(|(i, row)| view! {
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
                            <td>{format_time(row.created_at)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    };
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
    view! {
        {body}
        <Pagination page=page_number page_count=page_count total=total
            href=move |n| list_href(&pager_query.on_page(n))/>
    }
    .into_any()
}
