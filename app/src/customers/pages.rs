//! The customers list with its bulk actions, the new-customer form and a
//! customer's page.

use super::api::{
    customer_tags, get_customer, list_customers, preview_customer_changes, ArchiveCustomer,
    AssignCustomer, ChangeCustomers, CreateCustomer, RestoreCustomer, UpdateCustomer,
};
use super::{join_tags, Customer, CustomerFilters, CustomerPage, CustomerQuery, CustomerSort};
use crate::components::PageHeading;
use crate::components::{
    action_error, bulk_form_here, bulk_table, load_team, BulkAssign, BulkConfirm, Column,
    EmptyChoice, EmptyList, Field, FormError, KeepSort, Moment, PageTitle, PerPageSelect, Submit,
    Team, TeamSelect,
};
use crate::components::{loaded, use_viewer, ArchivedFilter, ExportLink, SearchFilter};
use crate::error::AppError;
use crate::list::SortKey;
use crate::records::{
    ArchiveConfirm, ArchivedNotice, ContactFields, ContactLinks, DeleteLink, DuplicateNotice,
    RecordActions, RecordEditor, RecordRef, RecordView,
};
use crate::tasks::pages::record_page;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CustomersPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|p| CustomerQuery::from_params(|k| p.get(k))));
    let customers = Resource::new(move || query.get(), list_customers);
    let tags = Resource::new(|| (), |_| customer_tags());
    let team = use_viewer().is_some_and(|v| v.is_admin()).then(load_team);
    view! {
        <PageTitle text="Customers"/>
        <div class="page-header">
            <h1 class="page-title">{move || if query.get().archived { "Archived customers" } else { "Customers" }}</h1>
            <div class="actions">
                <ExportLink path="/customers/export.csv" query=query/>
                <a class="btn btn-quiet" href="/import?kind=customers">"Import"</a>
                <a class="btn btn-primary" href="/customers/new">"New customer"</a>
            </div>
        </div>
        <crate::views::pages::SavedViews list=crate::views::SavedList::Customers/>
        <CustomerFilterForm query=query team=team tags=tags/>
        {loaded("Loading customers…", customers, move |page| view! { <CustomerTable page=page team=team/> }.into_any())}
    }
}

/// Search and filters: a plain GET form, so it works without JavaScript and the URL holds the state.
#[component]
fn CustomerFilterForm(
    query: Memo<CustomerQuery>,
    team: Option<Team>,
    tags: Resource<Result<Vec<String>, AppError>>,
) -> impl IntoView {
    let current = query.get_untracked();
    let keep_sort = (current.sort, current.descending) != (CustomerSort::Created, true);
    let is_admin = team.is_some();
    let selected_tag = current.tag.clone();
    view! {
        <Form method="GET" action="/customers" attr:class="filters" attr:role="search">
            <KeepSort sort=current.sort.as_str() descending=current.descending keep=keep_sort/>
            <SearchFilter id="customer-search" placeholder="Name, email, company or tag" value=current.search.clone()/>
            <div class="field">
                <label for="customer-tag" class="field-label">"Tag"</label>
                <select id="customer-tag" name="tag" class="field-input">
                    <option value="">"Any tag"</option>
                    <Suspense>
                        {move || tags.get().and_then(Result::ok).map(|tags| {
                            let selected_tag = selected_tag.clone();
                            tags.into_iter().map(|tag| {
                                let selected = selected_tag.as_deref() == Some(tag.as_str());
                                view! { <option value=tag.clone() selected=selected>{tag.clone()}</option> }
                            }).collect_view()
                        })}
                    </Suspense>
                </select>
            </div>
            {team.map(|team| view! {
                <TeamSelect team=team id="customer-owner" name="owner" label="Owner" selected=current.owner.clone() empty_choice=EmptyChoice::Allowed("Everyone")/>
            })}
            <PerPageSelect id="customer-per-page" selected=current.per_page/>
            {is_admin.then(|| view! { <ArchivedFilter checked=current.archived/> })}
            <button type="submit" class="btn btn-primary">"Apply"</button>
        </Form>
    }
}

/// Tags as small labels, each a link to the customers with that tag.
#[component]
fn TagList(tags: Vec<String>) -> impl IntoView {
    view! {
        <ul class="tags">
            {tags.into_iter().map(|tag| {
                let href = CustomerQuery::with(CustomerFilters { tag: Some(tag.clone()), ..Default::default() }).href();
                view! { <li><a class="tag" href=href>{tag}</a></li> }
            }).collect_view()}
        </ul>
    }
}

#[component]
fn CustomerTable(page: CustomerPage, team: Option<Team>) -> impl IntoView {
    if page.rows.is_empty() {
        return view! {
            <EmptyList filtered=page.query.is_filtered() what="customers" path="/customers">
                <p>"No customers yet — convert a lead or " <a href="/customers/new">"add one"</a>"."</p>
            </EmptyList>
        }
        .into_any();
    }
    let selectable = !page.query.archived;
    let columns = vec![
        Column::sorts("Name", CustomerSort::Name),
        Column::new("Email"),
        Column::sorts("Company", CustomerSort::Company),
        Column::new("Tags"),
        Column::sorts("Owner", CustomerSort::Owner),
        Column::sorts("Created", CustomerSort::Created),
    ];
    let controls = move || view! { <CustomerBulkControls team=team/> }.into_any();
    bulk_table(page, ("Customers", "customers"), columns, selectable, true, controls, |row| {
        let cells = view! {
            <td><a href=format!("/customers/{}", row.id)>{row.name.clone()}</a></td>
            <td>{row.email}</td>
            <td>{row.company}</td>
            <td><TagList tags=row.tags/></td>
            <td data-label="Owner">{row.owner_name}</td>
            <td data-label="Customer since"><Moment at=row.created_at/></td>
        };
        (row.id.to_string(), row.name, cells.into_any())
    })
}

/// What can be done to the ticked customers: give them to someone (admins), delete them.
#[component]
fn CustomerBulkControls(team: Option<Team>) -> impl IntoView {
    view! {
        {team.map(|team| view! { <BulkAssign team=team label="Give to" button="Give…"/> })}
        <button type="submit" class="btn btn-quiet" name="action" value="archive">"Delete…"</button>
    }
}

/// The confirmation page of a bulk action on the customers list.
#[component]
pub fn CustomerBulkPage() -> impl IntoView {
    let form = bulk_form_here();
    let change = ServerAction::<ChangeCustomers>::new();
    let preview = Resource::new(
        {
            let form = form.clone();
            move || form.clone()
        },
        preview_customer_changes,
    );
    view! { <BulkConfirm form=form preview=preview action=change/> }
}

/// The fields shared by the new-customer and edit forms.
#[component]
fn CustomerFields(customer: Option<Customer>, error: Signal<Option<AppError>>) -> impl IntoView {
    let value = |f: fn(&Customer) -> String| customer.as_ref().map(f).unwrap_or_default();
    view! {
        <ContactFields name=value(|c| c.name.clone()) email=value(|c| c.email.clone()) phone=value(|c| c.phone.clone()) company=value(|c| c.company.clone()) error=error/>
        <Field name="tags" label="Tags (comma-separated)" value=value(|c| join_tags(&c.tags)) error=error/>
        <DuplicateNotice error=error/>
    }
}

#[component]
pub fn CustomerNewPage() -> impl IntoView {
    let create = ServerAction::<CreateCustomer>::new();
    let error = action_error(create.value());
    let viewer = use_viewer();
    let team = viewer.as_ref().filter(|v| v.is_admin()).map(|_| load_team());
    let me = viewer.map(|v| v.id);
    view! {
        <PageHeading text="New customer"/>
        <FormError error=error/>
        <ActionForm action=create attr:class="form-stack form-narrow" attr:novalidate=true>
            <CustomerFields customer=None error=error/>
            {team.map(|team| view! {
                <TeamSelect team=team id="new-customer-owner" name="assignee" label="Owner" selected=me.clone()/>
            })}
            <div class="actions">
                <Submit pending=create.pending() class="btn btn-primary">"Create customer"</Submit>
                <a class="btn btn-quiet" href="/customers">"Cancel"</a>
            </div>
        </ActionForm>
    }
}

type DetailActions =
    RecordActions<UpdateCustomer, ArchiveCustomer, RestoreCustomer, AssignCustomer>;

const ARCHIVING: &str = "It will be archived: hidden from lists and counts; its tasks stay on the tasks page. An admin can restore it.";

/// A customer's page; saving returns to the same URL and the page's changes
/// reload it.
#[component]
pub fn CustomerDetailPage() -> impl IntoView {
    let actions = DetailActions::new();
    let team = use_viewer().is_some_and(|v| v.is_admin()).then(load_team);
    let detail = move |customer: Customer, confirming: bool| RecordView {
        archived: customer.archived,
        header: view! { <CustomerHeader customer=customer.clone() confirming actions/> }.into_any(),
        side: view! { <CustomerSide customer actions team/> }.into_any(),
    };
    record_page(RecordRef::Customer, get_customer, move || actions.version(), detail)
}

/// Name, tags, owner, the lead it came from, the key actions, and any question being asked.
#[component]
fn CustomerHeader(customer: Customer, confirming: bool, actions: DetailActions) -> impl IntoView {
    let RecordActions { archive, restore, .. } = actions;
    let record = RecordRef::Customer(customer.id.clone());
    let live = !customer.archived;
    view! {
        <PageTitle text=customer.name.clone()/>
        <div class="record-header">
            <div class="page-header">
                <h1 class="page-title">{customer.name.clone()}</h1>
                <TagList tags=customer.tags.clone()/>
                <div class="record-actions">{live.then(|| view! { <DeleteLink record=record.clone()/> })}</div>
            </div>
            <p class="muted">
                {format!("Owned by {} · customer since ", customer.owner_name)}<Moment at=customer.created_at/>
                " · updated "<Moment at=customer.updated_at/>
            </p>
            {customer.lead.clone().map(|(lead_id, lead_name)| view! {
                <p>"Converted from the lead " <a href=format!("/leads/{lead_id}")>{lead_name}</a></p>
            })}
        </div>
        {customer.archived.then(|| view! { <ArchivedNotice record=record.clone() restore=restore/> })}
        {(confirming && live).then(|| view! { <ArchiveConfirm archive=archive record=record consequence=ARCHIVING/> })}
    }
}

/// The customer's contact links, its fields edited in place, and (admins) its owner.
#[component]
fn CustomerSide(customer: Customer, actions: DetailActions, team: Option<Team>) -> impl IntoView {
    let RecordActions { update, assign, .. } = actions;
    let error = action_error(update.value());
    let assign_error = action_error(assign.value());
    let record = RecordRef::Customer(customer.id.clone());
    let (owner_id, assign_id) = (customer.owner_id.clone(), customer.id.to_string());
    let archived = customer.archived;
    let fields = customer.clone();
    view! {
        <ContactLinks email=customer.email.clone() phone=customer.phone.clone()/>
        <RecordEditor update=update record=record version=customer.version archived=archived>
            <CustomerFields customer=Some(fields) error=error/>
        </RecordEditor>
        {team.filter(|_| !archived).map(|team| view! {
            <FormError error=assign_error/>
            <ActionForm action=assign attr:class="inline-form">
                <input type="hidden" name="id" value=assign_id/>
                <TeamSelect team=team id="customer-assignee" name="assignee" label="Owner" selected=Some(owner_id)/>
                <Submit pending=assign.pending() class="btn btn-quiet">"Reassign"</Submit>
            </ActionForm>
        })}
    }
}
