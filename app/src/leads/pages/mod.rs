//! The leads pages, one per file: the list, the board, a new lead, a lead's
//! page and the confirmation of a bulk action; here what several of them share
//! (the view switch, the filters, the lead form's fields).

mod board;
mod bulk;
mod detail;
mod list;
mod new;

pub use board::LeadBoardPage;
pub use bulk::LeadBulkPage;
pub use detail::LeadDetailPage;
pub use list::LeadsPage;
pub use new::LeadNewPage;

use super::api::{
    get_lead, get_lead_board, list_leads, open_task_count, preview_lead_changes, ArchiveLead,
    AssignLeads, ChangeLeads, ConvertLead, CreateLead, MoveLead, RestoreLead, UpdateLead,
};
use super::{Lead, LeadBoard, LeadFilters, LeadPage, LeadQuery, LeadRow, LeadSort, LeadStatus};
use crate::components::{
    action_error, bulk_table, load_team, BulkChanges, Column, EmptyChoice, EmptyList, Field,
    FormError, KeepSort, Moment, PerPageSelect, Submit, Team, TeamSelect, TextArea,
};
use crate::components::{
    loaded, use_viewer, ArchivedFilter, ChoiceField, ChoiceFilter, ChoiceOptions, ExportLink,
};
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
        crate::list::href(self.path(), &query.to_query_string())
    }
}

/// List | Board, keeping the search and the agent filter.
#[component]
fn ViewSwitch(current: LeadView, query: Memo<LeadQuery>) -> impl IntoView {
    let shared = move || LeadQuery {
        search: query.get().search,
        ..LeadQuery::with(LeadFilters { agent: query.get().agent.clone(), ..Default::default() })
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

/// Search and filters: a plain GET form, so it works without JavaScript and the URL holds the state.
/// The board has a column per status, so it filters by search and agent only.
#[component]
fn LeadFilterForm(query: Memo<LeadQuery>, team: Option<Team>, view: LeadView) -> impl IntoView {
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
                <SearchAsYouType id="lead-search" value=current.search.clone()
                    placeholder="Name, email or company"/>
            </div>
            {is_list.then(|| view! {
                <ChoiceFilter id="lead-status" name="status" label="Status" any="All statuses" selected=current.status/>
                <PerPageSelect id="lead-per-page" selected=current.per_page/>
            })}
            {team.map(|team| view! {
                <TeamSelect team=team id="lead-agent" name="agent" label="Agent" selected=current.agent.clone() empty_choice=EmptyChoice::Allowed("Everyone")/>
            })}
            {is_admin.then(|| view! { <ArchivedFilter checked=current.archived/> })}
            <button type="submit" class="btn btn-primary">"Apply"</button>
        </Form>
    }
}

/// A search box that, with JavaScript, submits its filter form after a short pause in
/// typing (from page 1, since the form carries no page number), and has the focus again
/// on the page that answers. An island; without JavaScript the form's button applies it.
#[island]
fn SearchAsYouType(
    #[prop(into)] id: String,
    value: String,
    #[prop(into)] placeholder: String,
) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    let on_input = {
        let search = live_search::LiveSearch::new(id.clone());
        search.start(&value);
        move |ev: leptos::ev::Event| search.typed(&ev)
    };
    #[cfg(not(feature = "hydrate"))]
    let on_input = |_: leptos::ev::Event| {};
    view! {
        <input id=id type="search" name="q" class="field-input" value=value
            placeholder=placeholder maxlength=crate::list::MAX_SEARCH_LEN on:input=on_input/>
    }
}

#[cfg(feature = "hydrate")]
mod live_search {
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::HtmlInputElement;

    /// Names, for the next page, the search box the user was typing in.
    const TYPING_IN: &str = "kith-typing-in";
    const PAUSE: std::time::Duration = std::time::Duration::from_millis(300);

    /// The search box `id`, submitting its form after a pause in typing.
    #[derive(Clone)]
    pub struct LiveSearch {
        id: String,
        pending: StoredValue<Option<TimeoutHandle>, LocalStorage>,
    }

    impl LiveSearch {
        pub fn new(id: String) -> Self {
            Self { id, pending: StoredValue::new_local(None) }
        }

        /// As the page comes alive: the cursor goes back to the end of the box if the
        /// last page was typing in it, and what was typed before now (the server
        /// rendered `rendered`) is searched for.
        pub fn start(&self, rendered: &str) {
            let Some(input) = document()
                .get_element_by_id(&self.id)
                .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            if let Ok(Some(storage)) = window().session_storage() {
                if storage.get_item(TYPING_IN).ok().flatten().as_deref() == Some(self.id.as_str()) {
                    let _ = storage.remove_item(TYPING_IN);
                    let _ = input.focus();
                    let end = input.value().encode_utf16().count() as u32;
                    let _ = input.set_selection_range(end, end);
                }
            }
            if input.value() != rendered {
                self.submit_soon(&input);
            }
        }

        pub fn typed(&self, ev: &leptos::ev::Event) {
            if let Some(input) = ev.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) {
                self.submit_soon(&input);
            }
        }

        fn submit_soon(&self, input: &HtmlInputElement) {
            if let Some(handle) = self.pending.get_value() {
                handle.clear();
            }
            let (form, id) = (input.form(), self.id.clone());
            let handle = set_timeout_with_handle(
                move || {
                    if let Some(form) = &form {
                        if let Ok(Some(storage)) = window().session_storage() {
                            let _ = storage.set_item(TYPING_IN, &id);
                        }
                        let _ = form.request_submit();
                    }
                },
                PAUSE,
            );
            self.pending.set_value(handle.ok());
        }
    }
}

/// The fields shared by the new-lead and edit forms.
#[component]
fn LeadFields(lead: Option<Lead>, error: Signal<Option<AppError>>) -> impl IntoView {
    let value = |f: fn(&Lead) -> String| lead.as_ref().map(f).unwrap_or_default();
    let status = lead.as_ref().map_or(LeadStatus::New, |l| l.status);
    let notes = lead.as_ref().map(|l| l.notes.clone()).unwrap_or_default();
    view! {
        <ContactFields name=value(|l| l.name.clone()) email=value(|l| l.email.clone()) phone=value(|l| l.phone.clone()) company=value(|l| l.company.clone()) error=error/>
        <Field name="source" label="Source" value=value(|l| l.source.clone()) error=error/>
        <ChoiceField name="status" label="Status" selected=status/>
        <TextArea name="notes" label="Background" value=notes max_chars=super::NOTES_MAX error=error/>
        <DuplicateNotice error=error/>
    }
}
