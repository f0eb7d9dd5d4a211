//! The leads list, the new-lead form and a lead's page.

use super::api::{
    get_lead, list_leads, ArchiveLead, AssignLeads, ConvertLead, CreateLead, RestoreLead,
    UpdateLead,
};
use super::{Lead, LeadPage, LeadQuery, LeadSort, LeadStatus};
use crate::components::{
    action_error, format_time, load_team, EmptyChoice, Field, FormError, Pagination, Team,
    TeamSelect, TextArea,
};
use crate::error::AppError;
use crate::shell::{use_viewer, ErrorPage};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

fn list_href(query: &LeadQuery) -> String {
    let qs = query.to_query_string();
    if qs.is_empty() {
        "/leads".to_owned()
    } else {
        format!("/leads?{qs}")
    }
}

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
                <a class="btn btn-quiet" rel="external" download=""
                    href=move || format!("/leads/export.csv?{}", LeadQuery { page: 1, ..query.get() }.to_query_string())>
                    "Export CSV"
                </a>
                <a class="btn btn-primary" href="/leads/new">"New lead"</a>
            </div>
        </div>
        <LeadFilters query=query team=team/>
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading leads…"</p> }>
            {move || leads.get().map(|result| match result {
                Ok(page) => view! { <LeadTable page=page team=team assign=assign/> }.into_any(),
                Err(error) => view! { <ErrorPage error=error/> }.into_any(),
            })}
        </Suspense>
    }
}

/// Search and filters: a plain GET form, so it works without JavaScript and the URL holds the state.
#[component]
fn LeadFilters(query: Memo<LeadQuery>, team: Option<Team>) -> impl IntoView {
    let is_admin = team.is_some();
    let current = query.get_untracked();
    let defaults = LeadQuery::default();
    let keep_sort = current.sort != defaults.sort || current.descending != defaults.descending;
    view! {
        <Form method="GET" action="/leads" attr:class="filters" attr:role="search">
            {keep_sort.then(|| view! {
                <input type="hidden" name="sort" value=current.sort.as_str()/>
                <input type="hidden" name="dir" value=if current.descending { "desc" } else { "asc" }/>
            })}
            <div class="field">
                <label for="lead-search" class="field-label">"Search"</label>
                <input id="lead-search" type="search" name="q" class="field-input" value=current.search.clone()
                    placeholder="Name, email or company" maxlength=LeadQuery::MAX_SEARCH_LEN
                    on:input=search_as_you_type()/>
            </div>
            <div class="field">
                <label for="lead-status" class="field-label">"Status"</label>
                <select id="lead-status" name="status" class="field-input">
                    <option value="" selected=current.status.is_none()>"All statuses"</option>
                    {LeadStatus::ALL.map(|s| view! {
                        <option value=s.as_str() selected=current.status == Some(s)>{s.label()}</option>
                    })}
                </select>
            </div>
            <div class="field">
                <label for="lead-per-page" class="field-label">"Per page"</label>
                <select id="lead-per-page" name="per_page" class="field-input">
                    {LeadQuery::PER_PAGE_CHOICES.map(|n| view! {
                        <option value=n.to_string() selected=current.per_page == n>{n.to_string()}</option>
                    })}
                </select>
            </div>
            {team.map(|team| view! {
                <TeamSelect team=team id="lead-agent" name="agent" label="Agent" selected=current.agent.clone() empty_choice=EmptyChoice::Allowed("Everyone")/>
            })}
            {is_admin.then(|| view! {
                <label class="check">
                    <input type="checkbox" name="archived" value="1" checked=current.archived/>
                    "Archived"
                </label>
            })}
            <button type="submit" class="btn btn-primary">"Apply"</button>
        </Form>
    }
}

/// With JavaScript, typing in the search box submits the filter form after a
/// short pause (from page 1, since the form carries no page number).
fn search_as_you_type() -> impl FnMut(leptos::ev::Event) + 'static {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let pending: StoredValue<Option<TimeoutHandle>, LocalStorage> =
            StoredValue::new_local(None);
        move |ev: leptos::ev::Event| {
            if let Some(handle) = pending.get_value() {
                handle.clear();
            }
            let form = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|input| input.form());
            let handle = set_timeout_with_handle(
                move || {
                    if let Some(form) = &form {
                        let _ = form.request_submit();
                    }
                },
                std::time::Duration::from_millis(300),
            );
            pending.set_value(handle.ok());
        }
    }
    #[cfg(not(feature = "hydrate"))]
    |_: leptos::ev::Event| {}
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
        let active = query.sort == sort;
        let aria = if !active {
            "none"
        } else if query.descending {
            "descending"
        } else {
            "ascending"
        };
        view! {
            <th scope="col" aria-sort=aria>
                <a href=list_href(&query.sorted_by(sort))>{label}{active.then_some(if query.descending { " ↓" } else { " ↑" })}</a>
            </th>
        }
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
                                    <input type="checkbox" name=format!("ids[{i}]") value=row.id.0.clone()
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
            <FormError error=assign_error/>
            <ActionForm action=assign>
                <input type="hidden" name="back" value=back/>
                <div class="bulk-bar">
                    <TeamSelect team=team id="bulk-assignee" name="assignee" label="Assign selected leads to" selected=None
                        empty_choice=EmptyChoice::Prompt("Choose a team member…")/>
                    <button type="submit" class="btn btn-quiet">"Assign selected"</button>
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
            <input type="hidden" name="id" value=lead.id.0.clone()/>
            <button type="submit" class="btn btn-primary">"Convert to customer"</button>
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
            <input type="hidden" name="ids[0]" value=lead.id.0.clone()/>
            <input type="hidden" name="back" value=back/>
            <TeamSelect team=team id="lead-assignee" name="assignee" label="Assigned to" selected=Some(lead.assignee_id.clone())/>
            <button type="submit" class="btn btn-quiet">"Assign"</button>
        </ActionForm>
    }
}

/// The fields shared by the new-lead and edit forms.
#[component]
fn LeadFields(lead: Option<Lead>, error: Signal<Option<AppError>>) -> impl IntoView {
    let value = |f: fn(&Lead) -> String| lead.as_ref().map(f).unwrap_or_default();
    let status = lead.as_ref().map_or(LeadStatus::New, |l| l.status);
    let notes = lead.as_ref().map(|l| l.notes.clone()).unwrap_or_default();
    let duplicate = move || error.get().and_then(|e| e.field_message("duplicate"));
    view! {
        <Field name="name" label="Name" required=true value=value(|l| l.name.clone()) error=error/>
        <Field name="email" label="Email" kind="email" value=value(|l| l.email.clone()) error=error/>
        <Field name="phone" label="Phone" kind="tel" value=value(|l| l.phone.clone()) error=error/>
        <Field name="company" label="Company" value=value(|l| l.company.clone()) error=error/>
        <Field name="source" label="Source" value=value(|l| l.source.clone()) error=error/>
        <div class="field">
            <label for="field-status" class="field-label">"Status"</label>
            <select id="field-status" name="status" class="field-input">
                {LeadStatus::ALL.map(|s| view! { <option value=s.as_str() selected=s == status>{s.label()}</option> })}
            </select>
        </div>
        <TextArea name="notes" label="Notes" value=notes max_chars=super::NOTES_MAX error=error/>
        <Show when=move || duplicate().is_some()>
            <div class="notice" role="alert">
                <p>{duplicate}</p>
                <label class="check"><input type="checkbox" name="save_anyway" value="1"/>"Save anyway"</label>
            </div>
        </Show>
    }
}

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
                <TeamSelect team=load_team() id="new-lead-assignee" name="assignee" label="Assign to" selected=Some(v.id.0)/>
            })}
            <div class="actions">
                <button type="submit" class="btn btn-primary">"Create lead"</button>
                <a class="btn btn-quiet" href="/leads">"Cancel"</a>
            </div>
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
        |(id, ..)| get_lead(id),
    );
    let confirming = move || query.read().get("confirm").is_some_and(|c| c == "archive");
    let team = use_viewer().is_some_and(|v| v.is_admin()).then(load_team);
    view! {
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading lead…"</p> }>
            {move || lead.get().map(|result| match result {
                Ok(lead) => view! { <LeadDetail lead=lead confirming=confirming() actions=actions team=team/> }.into_any(),
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
    let id = lead.id.0.clone();
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
            <div class="notice" role="status">
                "This lead is archived: it is hidden from lists and counts."
                {is_admin.then(|| view! {
                    <ActionForm action=restore>
                        <input type="hidden" name="id" value=id.clone()/>
                        <button type="submit" class="btn btn-quiet">"Restore"</button>
                    </ActionForm>
                })}
            </div>
        })}
        <ConvertPanel lead=lead.clone()/>
        {team.filter(|_| !lead.archived).map(|team| view! { <AssignPanel lead=lead.clone() assign=assign team=team/> })}
        <FormError error=error/>
        <FormError error=archive_error/>
        <Show when=move || error.get().is_some_and(|e| matches!(e, AppError::Conflict(_)))>
            <p><a href=format!("/leads/{}", reload_id.clone()) rel="external">"Reload this lead"</a></p>
        </Show>
        {(!lead.archived).then(|| {
            let lead = lead.clone();
            view! {
            <ActionForm action=update attr:class="form-stack form-narrow" attr:novalidate=true>
                <input type="hidden" name="id" value=lead.id.0.clone()/>
                <input type="hidden" name="version" value=lead.version.to_string()/>
                <LeadFields lead=Some(lead.clone()) error=error/>
                <div class="actions">
                    <button type="submit" class="btn btn-primary">"Save changes"</button>
                    <a class="btn btn-quiet" href=format!("/leads/{}?confirm=archive", lead.id)>"Delete…"</a>
                </div>
            </ActionForm>
        }})}
        {(confirming && !lead.archived).then(|| view! {
            <div class="confirm" role="alertdialog" aria-labelledby="confirm-archive-title">
                <h2 id="confirm-archive-title">"Delete this lead?"</h2>
                <p>"It will be archived: hidden from lists, counts and statistics. An admin can restore it."</p>
                <ActionForm action=archive>
                    <input type="hidden" name="id" value=lead.id.0.clone()/>
                    <button type="submit" class="btn btn-danger">"Delete lead"</button>
                    <a class="btn btn-quiet" href=format!("/leads/{}", lead.id)>"Keep it"</a>
                </ActionForm>
            </div>
        })}
    }
}
