//! What a lead's or customer's page says around its form: that it is
//! archived, the question before archiving it, and the way to reload it after
//! someone else saved first.

use super::*;

/// The notice on an archived record's page; `children` is the admins' restore form.
#[component]
pub fn ArchivedNotice(
    /// "lead", "customer".
    what: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="notice" role="status">
            {format!("This {what} is archived: it is hidden from lists and counts.")}
            {children()}
        </div>
    }
}

/// The question before archiving ("Delete" in the interface); `children` is
/// the form that does it, with a way to keep the record.
#[component]
pub fn ConfirmArchive(
    what: &'static str,
    /// What archiving does to this kind of record.
    consequence: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="confirm" role="alertdialog" aria-labelledby="confirm-archive-title">
            <h2 id="confirm-archive-title">{format!("Delete this {what}?")}</h2>
            <p>{consequence}</p>
            {children()}
        </div>
    }
}

/// After a save refused because someone else saved first, a link that loads
/// the record as it is now.
#[component]
pub fn ReloadAfterConflict(
    error: Signal<Option<AppError>>,
    what: &'static str,
    href: String,
) -> impl IntoView {
    view! {
        <Show when=move || error.get().is_some_and(|e| matches!(e, AppError::Conflict(_)))>
            <p><a href=href.clone() rel="external">{format!("Reload this {what}")}</a></p>
        </Show>
    }
}
