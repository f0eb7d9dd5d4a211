//! UI pieces shared by every area, one kind per file: form controls and their
//! errors, list controls (paging, sorting, bulk actions), times on the organisation's clock,
//! the messages after a save, and the team picker.

mod bulk;
#[cfg(feature = "hydrate")]
pub mod enhance;
mod forms;
mod lists;
mod page;
mod team;
mod time;
mod toast;

pub use bulk::{bulk_form_here, bulk_table, BulkAssign, BulkChanges, BulkConfirm};
pub use forms::action_error;
pub use forms::Field;
pub use forms::FormError;
pub use forms::ReloadAfterConflict;
pub use forms::Submit;
pub use forms::TextArea;
pub use forms::{ChoiceField, ChoiceOptions, FormAction, FormPanel, IdButton, Panel};
pub use lists::Pagination;
pub use lists::PerPageSelect;
pub use lists::SortHeader;
pub use lists::{data_table, list_pages, list_table, paged_table, Column, EmptyList, KeepSort};
pub use lists::{ArchivedFilter, ChoiceFilter, DateFilter, ExportLink, SearchFilter};
pub use page::{
    loaded, send_to_sign_in, set_status, sign_in_href, use_organisation, use_viewer, ErrorPage,
    NotFoundPage,
};
pub use team::load_team;
pub use team::EmptyChoice;
pub use team::Team;
pub use team::TeamSelect;
pub use time::format_time;
pub use time::format_time_in;
pub use time::{DueDate, Moment};
pub use toast::{toast_for, Toasts};

use crate::error::AppError;
use leptos::prelude::*;

/// A page's `<h1>`, also its title in the browser tab (`tab` when that says it shorter).
#[component]
pub fn PageHeading(
    #[prop(into)] text: String,
    #[prop(optional, into)] tab: Option<String>,
) -> impl IntoView {
    let tab = tab.unwrap_or_else(|| text.clone());
    view! {
        <PageTitle text=tab/>
        <h1 class="page-title">{text}</h1>
    }
}

/// A short message about what just happened ("Settings saved."), shown while `when` holds.
#[component]
pub fn Notice(
    when: impl Fn() -> bool + Send + Sync + 'static,
    children: ChildrenFn,
) -> impl IntoView {
    view! {
        <Show when=when>
            <div class="notice" role="status">{children()}</div>
        </Show>
    }
}

/// The document title, as "`text` · Kith". leptos_meta writes `<title>` text
/// unescaped during server rendering, so angle brackets from user data (a
/// lead's name) are dropped here rather than allowed to close the element.
#[component]
pub fn PageTitle(#[prop(into)] text: String) -> impl IntoView {
    let safe: String = text.chars().filter(|c| !matches!(c, '<' | '>')).collect();
    view! { <leptos_meta::Title text=format!("{safe} · Kith")/> }
}
