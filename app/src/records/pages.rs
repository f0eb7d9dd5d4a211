//! What a lead's or customer's page shares: the actions the page owns, its
//! layout (header, side panel of details, main column), that it is archived
//! (with the admins' restore), the in-place edit form, the question before
//! archiving it, and the contact links.

use super::RecordRef;
use crate::components::{
    action_error, use_viewer, Field, FormAction, FormError, IdButton, ReloadAfterConflict, Submit,
};
use crate::error::AppError;
use leptos::prelude::*;

/// The actions of a lead's or customer's page, owned by the page so their
/// results can reload it.
pub struct RecordActions<
    Update: FormAction,
    Archive: FormAction,
    Restore: FormAction,
    Assign: FormAction,
> {
    pub update: ServerAction<Update>,
    pub archive: ServerAction<Archive>,
    pub restore: ServerAction<Restore>,
    pub assign: ServerAction<Assign>,
}

impl<U: FormAction, A: FormAction, R: FormAction, S: FormAction> RecordActions<U, A, R, S> {
    pub fn new() -> Self {
        Self {
            update: ServerAction::new(),
            archive: ServerAction::new(),
            restore: ServerAction::new(),
            assign: ServerAction::new(),
        }
    }

    /// Changes made on the page so far, to reload what they affect (archiving
    /// leaves the page).
    pub fn version(&self) -> usize {
        self.update.version().get() + self.restore.version().get() + self.assign.version().get()
    }
}

impl<U: FormAction, A: FormAction, R: FormAction, S: FormAction> Default
    for RecordActions<U, A, R, S>
{
    fn default() -> Self {
        Self::new()
    }
}

impl<U: FormAction, A: FormAction, R: FormAction, S: FormAction> Clone
    for RecordActions<U, A, R, S>
{
    fn clone(&self) -> Self {
        *self
    }
}

impl<U: FormAction, A: FormAction, R: FormAction, S: FormAction> Copy
    for RecordActions<U, A, R, S>
{
}

/// The notice on an archived record's page, with the admins' "Restore".
#[component]
pub fn ArchivedNotice<R: FormAction>(record: RecordRef, restore: ServerAction<R>) -> impl IntoView {
    let is_admin = use_viewer().is_some_and(|v| v.is_admin());
    let error = action_error(restore.value());
    view! {
        <div class="notice" role="status">
            {format!("This {} is archived: it is hidden from lists and counts.", record.kind())}
            {is_admin.then(|| view! {
                <FormError error=error/>
                <IdButton action=restore id=record.id().to_owned() class="btn btn-quiet">"Restore"</IdButton>
            })}
        </div>
    }
}

/// What a record's page shows of the record itself: its header (name, badges,
/// owner and key actions, with any question being asked) and the side panel of
/// its fields; `archived` keeps its tasks and notes from being changed.
pub struct RecordView {
    pub archived: bool,
    pub header: AnyView,
    pub side: AnyView,
}

/// A record's page below its header: the side panel of its details, and
/// `children` (its tasks and timeline) in the main column.
#[component]
pub fn RecordLayout(side: AnyView, children: Children) -> impl IntoView {
    view! {
        <div class="record-layout">
            <section class="record-side panel" aria-labelledby="details-title">
                <h2 id="details-title">"Details"</h2>
                {side}
            </section>
            <div class="record-main">{children()}</div>
        </div>
    }
}

/// A record's fields (`children`) edited in place: they read as values until
/// clicked (or `e` is pressed), Enter saves, Esc or "Cancel" puts them back.
/// Without JavaScript it is the same form, posted as a page. An archived record's
/// fields are shown, not editable.
#[component]
pub fn RecordEditor<U: FormAction>(
    update: ServerAction<U>,
    record: RecordRef,
    version: i64,
    archived: bool,
    children: Children,
) -> impl IntoView {
    let error = action_error(update.value());
    let (what, path) = (record.kind(), record.path());
    let form = if archived {
        view! { <fieldset class="inplace" disabled=true><legend class="sr-only">"Archived: not editable"</legend>{children()}</fieldset> }.into_any()
    } else {
        view! {
            <ActionForm action=update attr:class="form-stack inplace" attr:novalidate=true attr:aria-label=format!("Edit the {what}")>
                <input type="hidden" name="id" value=record.id().to_owned()/>
                <input type="hidden" name="version" value=version.to_string()/>
                {children()}
                <div class="actions inplace-actions">
                    <Submit pending=update.pending() class="btn btn-primary">"Save changes"</Submit>
                    <button type="reset" class="btn btn-quiet">"Cancel"</button>
                </div>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <FormError error=error/>
        <ReloadAfterConflict error=error what=what href=path/>
        {form}
    }
}

/// The header's "Delete…", which asks first (`ArchiveConfirm`).
#[component]
pub fn DeleteLink(record: RecordRef) -> impl IntoView {
    view! { <a class="btn btn-quiet" href=format!("{}?confirm=archive", record.path())>"Delete…"</a> }
}

/// The question before archiving a record (`consequence`: what archiving does
/// to this kind of record).
#[component]
pub fn ArchiveConfirm<A: FormAction>(
    archive: ServerAction<A>,
    record: RecordRef,
    consequence: &'static str,
) -> impl IntoView {
    let error = action_error(archive.value());
    let what = record.kind();
    view! {
        <div class="confirm" role="alertdialog" aria-labelledby="confirm-archive-title">
            <h2 id="confirm-archive-title">{format!("Delete this {what}?")}</h2>
            <p>{consequence}</p>
            <FormError error=error/>
            <ActionForm action=archive>
                <input type="hidden" name="id" value=record.id().to_owned()/>
                <Submit pending=archive.pending() class="btn btn-danger">{format!("Delete {what}")}</Submit>
                <a class="btn btn-quiet" href=record.path()>"Keep it"</a>
            </ActionForm>
        </div>
    }
}

/// A record's email and phone as links that write or call, each with a copy
/// button (shown once the page is live, as copying needs JavaScript).
#[component]
pub fn ContactLinks(email: String, phone: String) -> impl IntoView {
    if email.is_empty() && phone.is_empty() {
        return ().into_any();
    }
    let dial: String = phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
    let email = (!email.is_empty()).then(|| {
        view! {
            <li><a href=format!("mailto:{email}")>{email.clone()}</a><CopyButton text=email what="email"/></li>
        }
    });
    let phone = (!phone.is_empty()).then(|| {
        view! {
            <li><a href=format!("tel:{dial}")>{phone.clone()}</a><CopyButton text=phone what="phone number"/></li>
        }
    });
    view! { <ul class="contact-links" aria-label="Contact">{email}{phone}</ul> }.into_any()
}

#[component]
fn CopyButton(text: String, what: &'static str) -> impl IntoView {
    view! {
        <button type="button" class="btn btn-quiet btn-small copy" data-copy=text aria-label=format!("Copy the {what}")>"Copy"</button>
    }
}

/// The contact fields of a lead's or customer's form: name, email, phone and company.
#[component]
pub fn ContactFields(
    name: String,
    email: String,
    phone: String,
    company: String,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <Field name="name" label="Name" required=true value=name error=error/>
        <Field name="email" label="Email" kind="email" value=email error=error/>
        <Field name="phone" label="Phone" kind="tel" value=phone error=error/>
        <Field name="company" label="Company" value=company error=error/>
    }
}

/// The warning that the record looks like one already in Kith, with the box that saves
/// it anyway.
#[component]
pub fn DuplicateNotice(error: Signal<Option<AppError>>) -> impl IntoView {
    let duplicate = move || error.get().and_then(|e| e.field_message("duplicate"));
    view! {
        <Show when=move || duplicate().is_some()>
            <div class="notice" role="alert">
                <p>{duplicate}</p>
                <label class="check"><input type="checkbox" name="save_anyway" value="1"/>"Save anyway"</label>
            </div>
        </Show>
    }
}
