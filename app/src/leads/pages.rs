//! The leads list, the new-lead form and a lead's page.

use super::api::{
    get_lead, get_lead_board, list_leads, ArchiveLead, AssignLeads, ConvertLead, CreateLead,
    MoveLead, RestoreLead, UpdateLead,
};
use super::{Lead, LeadBoard, LeadPage, LeadQuery, LeadRow, LeadSort, LeadStatus};
use crate::activity::pages::{load_history, RecordHistory};
use crate::components::{
    action_error, format_time, load_team, EmptyChoice, Field, FormError, KeepSort, Pagination,
    PerPageSelect, SortHeader, Submit, Team, TeamSelect, TextArea,
};
use crate::error::AppError;
use crate::list::SortKey;
use crate::notes::pages::{Notes, NotesTimeline};
use crate::records::RecordRef;
use crate::shell::{use_viewer, ErrorPage};
use crate::tasks::pages::{RecordTasks, RecordTasksPanel};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};
use strum::VariantArray;

/// The two ways of looking at the same leads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LeadView {
    List,
    Board,
}

impl LeadView {
    fn path(self) -> &'static str {
        match self {
            Self::List => "/leads",
            Self::Board => "/leads/board",
        }
    }

    fn href(self, query: &LeadQuery) -> String {
        let qs = query.to_query_string();
        if qs.is_empty() {
            self.path().to_owned()
        } else {
            format!("{}?{qs}", self.path())
        }
    }
}

fn list_href(query: &LeadQuery) -> String {
    LeadView::List.href(query)
}

/// List | Board, keeping the search and the agent filter.
#[component]
fn ViewSwitch(current: LeadView, query: Memo<LeadQuery>) -> impl IntoView {
    let shared = move || LeadQuery {
        search: query.get().search,
        agent: query.get().agent,
        ..LeadQuery::default()
    };
    let link = move |view: LeadView, label: &'static str| {
        view! {
            <a href=move || view.href(&shared()) aria-current=(view == current).then_some("page")>{label}</a>
        }
    };
    view! {
        <nav class="view-switch" aria-label="View">
            {link(LeadView::List, "List")}
            {link(LeadView::Board, "Board")}
        </nav>
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
                <ViewSwitch current=LeadView::List query=query/>
                <a class="btn btn-quiet" rel="external" download=""
                    href=move || format!("/leads/export.csv?{}", LeadQuery { page: 1, ..query.get() }.to_query_string())>
                    "Export CSV"
                </a>
                <a class="btn btn-primary" href="/leads/new">"New lead"</a>
            </div>
        </div>
        <LeadFilters query=query team=team view=LeadView::List/>
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading leads…"</p> }>
            {move || leads.get().map(|result| match result {
                Ok(page) => view! { <LeadTable page=page team=team assign=assign/> }.into_any(),
                Err(error) => view! { <ErrorPage error=error/> }.into_any(),
            })}
        </Suspense>
    }
}

/// Search and filters: a plain GET form, so it works without JavaScript and the URL holds the state.
/// The board has a column per status, so it filters by search and agent only.
#[component]
fn LeadFilters(query: Memo<LeadQuery>, team: Option<Team>, view: LeadView) -> impl IntoView {
    let is_list = view == LeadView::List;
    let is_admin = team.is_some() && is_list;
    let current = query.get_untracked();
    let defaults = LeadQuery::default();
    let keep_sort = current.sort != defaults.sort || current.descending != defaults.descending;
    view! {
        <Form method="GET" action=view.path() attr:class="filters" attr:role="search">
            <KeepSort sort=current.sort.as_str() descending=current.descending keep=keep_sort && is_list/>
            <div class="field">
                <label for="lead-search" class="field-label">"Search"</label>
                <input id="lead-search" type="search" name="q" class="field-input" value=current.search.clone()
                    placeholder="Name, email or company" maxlength=crate::list::MAX_SEARCH_LEN
                    on:input=search_as_you_type()/>
            </div>
            {is_list.then(|| view! {
                <div class="field">
                    <label for="lead-status" class="field-label">"Status"</label>
                    <select id="lead-status" name="status" class="field-input">
                        <option value="" selected=current.status.is_none()>"All statuses"</option>
                        {LeadStatus::VARIANTS.iter().copied().map(|s| view! {
                            <option value=s.as_str() selected=current.status == Some(s)>{s.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <PerPageSelect id="lead-per-page" selected=current.per_page/>
            })}
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
            <input type="hidden" name="ids[0]" value=lead.id.0.clone()/>
            <input type="hidden" name="back" value=back/>
            <TeamSelect team=team id="lead-assignee" name="assignee" label="Assigned to" selected=Some(lead.assignee_id.clone())/>
            <Submit pending=assign.pending() class="btn btn-quiet">"Assign"</Submit>
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
                {LeadStatus::VARIANTS.iter().copied().map(|s| view! { <option value=s.as_str() selected=s == status>{s.label()}</option> }).collect_view()}
            </select>
        </div>
        <TextArea name="notes" label="Background" value=notes max_chars=super::NOTES_MAX error=error/>
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
                <Submit pending=create.pending() class="btn btn-primary">"Create lead"</Submit>
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
    let record = move || RecordRef::Lead(id());
    let notes = Notes::load(record);
    let tasks = RecordTasks::load(record);
    let history = load_history(
        move || ("lead", id()),
        move || {
            actions.update.version().get()
                + actions.restore.version().get()
                + actions.assign.version().get()
                + notes.version()
        },
    );
    let confirming = move || query.read().get("confirm").is_some_and(|c| c == "archive");
    let team = use_viewer().is_some_and(|v| v.is_admin()).then(load_team);
    view! {
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading lead…"</p> }>
            {move || lead.get().map(|result| match result {
                Ok(lead) => {
                    let record = RecordRef::Lead(lead.id.0.clone());
                    let archived = lead.archived;
                    view! {
                        <LeadDetail lead=lead confirming=confirming() actions=actions team=team/>
                        <RecordTasksPanel tasks=tasks record=record.clone() archived=archived/>
                        <NotesTimeline notes=notes record=record archived=archived/>
                        <RecordHistory history=history/>
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
                        <Submit pending=restore.pending() class="btn btn-quiet">"Restore"</Submit>
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
                    <Submit pending=update.pending() class="btn btn-primary">"Save changes"</Submit>
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
                    <Submit pending=archive.pending() class="btn btn-danger">"Delete lead"</Submit>
                    <a class="btn btn-quiet" href=format!("/leads/{}", lead.id)>"Keep it"</a>
                </ActionForm>
            </div>
        })}
    }
}

#[component]
pub fn LeadBoardPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|p| LeadQuery::from_params(|k| p.get(k))));
    // A move returns to this same URL; its completion count makes the board reload.
    let move_lead = ServerAction::<MoveLead>::new();
    let board = Resource::new(
        move || (query.get(), move_lead.version().get()),
        |(q, _)| get_lead_board(q),
    );
    let team = use_viewer().is_some_and(|v| v.is_admin()).then(load_team);
    let error = action_error(move_lead.value());
    let announcement = RwSignal::new(String::new());
    view! {
        <crate::components::PageTitle text="Lead board"/>
        <div class="page-header">
            <h1 class="page-title">"Lead board"</h1>
            <div class="actions">
                <ViewSwitch current=LeadView::Board query=query/>
                <a class="btn btn-primary" href="/leads/new">"New lead"</a>
            </div>
        </div>
        <LeadFilters query=query team=team view=LeadView::Board/>
        <p id="board-help" class="muted">
            "Drag a card to another column, or focus a card and press ← or →, or choose its status and press Move."
        </p>
        <FormError error=error/>
        <p class="sr-only" role="status" aria-live="polite">{move || announcement.get()}</p>
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading the board…"</p> }>
            {move || board.get().map(|result| match result {
                Ok(board) => {
                    let back = LeadView::Board.href(&query.get_untracked());
                    view! { <Board board=board back=back move_lead=move_lead announcement=announcement/> }.into_any()
                }
                Err(error) => view! { <ErrorPage error=error/> }.into_any(),
            })}
        </Suspense>
    }
}

/// What a card's move needs: which lead, seen at which version, and where to return.
#[derive(Clone)]
struct CardMove {
    id: String,
    version: i64,
    name: String,
    back: String,
    action: ServerAction<MoveLead>,
}

impl CardMove {
    fn to(&self, status: LeadStatus, announcement: RwSignal<String>) {
        announcement.set(format!("Moved {} to {}.", self.name, status.label()));
        self.action.dispatch(MoveLead {
            id: self.id.clone(),
            version: self.version,
            status: status.as_str().to_owned(),
            back: Some(self.back.clone()),
        });
    }
}

#[component]
fn Board(
    board: LeadBoard,
    back: String,
    move_lead: ServerAction<MoveLead>,
    announcement: RwSignal<String>,
) -> impl IntoView {
    let card_move = move |row: &LeadRow| CardMove {
        id: row.id.0.clone(),
        version: row.version,
        name: row.name.clone(),
        back: back.clone(),
        action: move_lead,
    };
    let cards: StoredValue<Vec<CardMove>> = StoredValue::new(
        board
            .columns
            .iter()
            .flat_map(|c| c.rows.iter())
            .map(&card_move)
            .collect(),
    );
    let columns = board
        .columns
        .into_iter()
        .map(|column| {
            let status = column.query.status.unwrap_or(LeadStatus::New);
            let heading = format!("board-{}", status.as_str());
            let (shown, total) = (column.rows.len(), column.total);
            let full_list = list_href(&LeadQuery {
                status: Some(status),
                per_page: crate::list::DEFAULT_PER_PAGE,
                ..column.query.clone()
            });
            let over = RwSignal::new(false);
            let on_drop = move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                over.set(false);
                let id = ev
                    .data_transfer()
                    .and_then(|d| d.get_data("text/plain").ok())
                    .unwrap_or_default();
                let card = cards.with_value(|cards| cards.iter().find(|c| c.id == id).cloned());
                if let Some(card) = card {
                    card.to(status, announcement);
                }
            };
            view! {
                <section class="board-column" class:drop-target=move || over.get() aria-labelledby=heading.clone()
                    data-status=status.as_str()
                    on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); over.set(true); }
                    on:dragleave=move |_| over.set(false)
                    on:drop=on_drop>
                    <h2 id=heading.clone()>
                        <span>{status.label()}</span>
                        <span class="board-count">{total}<span class="sr-only">" leads"</span></span>
                    </h2>
                    <ul class="board-cards">
                        {column.rows.iter().map(|row| view! {
                            <BoardCard row=row.clone() card=card_move(row) announcement=announcement/>
                        }).collect_view()}
                    </ul>
                    {(shown == 0).then(|| view! { <p class="muted">"No leads here."</p> })}
                    {(total > shown as i64).then(|| view! {
                        <a href=full_list.clone()>{format!("All {total} in the list")}</a>
                    })}
                </section>
            }
        })
        .collect_view();
    view! { <div class="board">{columns}</div> }
}

/// A lead on the board: draggable, movable with ← and →, and with a status
/// select that works as a plain form without JavaScript.
#[component]
fn BoardCard(row: LeadRow, card: CardMove, announcement: RwSignal<String>) -> impl IntoView {
    let select_id = format!("move-{}", row.id);
    let drag_id = row.id.0.clone();
    let on_dragstart = move |ev: leptos::ev::DragEvent| {
        if let Some(data) = ev.data_transfer() {
            let _ = data.set_data("text/plain", &drag_id);
            data.set_effect_allowed("move");
        }
    };
    let keyboard = card.clone();
    let current = row.status;
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        // Only the card itself, not the select or button inside it.
        if ev.target() != ev.current_target() {
            return;
        }
        let index = LeadStatus::VARIANTS
            .iter()
            .position(|s| *s == current)
            .unwrap_or(0);
        let next = match ev.key().as_str() {
            "ArrowRight" => LeadStatus::VARIANTS.get(index + 1),
            "ArrowLeft" => index
                .checked_sub(1)
                .and_then(|i| LeadStatus::VARIANTS.get(i)),
            _ => None,
        };
        if let Some(next) = next {
            ev.prevent_default();
            keyboard.to(*next, announcement);
        }
    };
    let detail = if row.company.is_empty() {
        row.assignee_name.clone()
    } else {
        format!("{} · {}", row.company, row.assignee_name)
    };
    view! {
        <li class="board-card" draggable="true" tabindex="0" aria-describedby="board-help"
            on:dragstart=on_dragstart on:keydown=on_keydown>
            <a href=format!("/leads/{}", row.id)>{row.name.clone()}</a>
            <p class="muted">{detail}</p>
            <ActionForm action=card.action attr:class="board-move">
                <input type="hidden" name="id" value=card.id.clone()/>
                <input type="hidden" name="version" value=card.version.to_string()/>
                <input type="hidden" name="back" value=card.back.clone()/>
                <label for=select_id.clone() class="sr-only">{format!("Status of {}", row.name.clone())}</label>
                <select id=select_id name="status">
                    {LeadStatus::VARIANTS.iter().copied().map(|s| view! { <option value=s.as_str() selected=s == row.status>{s.label()}</option> }).collect_view()}
                </select>
                <Submit pending=card.action.pending() class="btn btn-quiet btn-small">"Move"</Submit>
            </ActionForm>
        </li>
    }
}
