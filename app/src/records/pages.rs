//! What a lead's or customer's page shares around its fields: the actions the
//! page owns, that it is archived (with the admins' restore), and the edit form
//! with its errors and the question before archiving it.

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

/// A record's edit form around `children` (its fields), with "Save changes",
/// "Delete…" and, when `confirming`, the question before archiving it
/// (`consequence`: what archiving does to this kind of record). An archived
/// record shows only the errors of what was just tried.
#[component]
pub fn RecordEditor<U: FormAction, A: FormAction>(
    update: ServerAction<U>,
    archive: ServerAction<A>,
    record: RecordRef,
    version: i64,
    archived: bool,
    confirming: bool,
    consequence: &'static str,
    children: Children,
) -> impl IntoView {
    let error = action_error(update.value());
    let archive_error = action_error(archive.value());
    let (what, id, path) = (record.kind(), record.id().to_owned(), record.path());
    let (form_id, form_path) = (id.clone(), path.clone());
    let form = (!archived).then(move || {
        view! {
            <ActionForm action=update attr:class="form-stack form-narrow" attr:novalidate=true>
                <input type="hidden" name="id" value=form_id/>
                <input type="hidden" name="version" value=version.to_string()/>
                {children()}
                <div class="actions">
                    <Submit pending=update.pending() class="btn btn-primary">"Save changes"</Submit>
                    <a class="btn btn-quiet" href=format!("{form_path}?confirm=archive")>"Delete…"</a>
                </div>
            </ActionForm>
        }
    });
    let keep = path.clone();
    let confirm = (confirming && !archived).then(move || view! {
        <div class="confirm" role="alertdialog" aria-labelledby="confirm-archive-title">
            <h2 id="confirm-archive-title">{format!("Delete this {what}?")}</h2>
            <p>{consequence}</p>
            <ActionForm action=archive>
                <input type="hidden" name="id" value=id/>
                <Submit pending=archive.pending() class="btn btn-danger">{format!("Delete {what}")}</Submit>
                <a class="btn btn-quiet" href=keep>"Keep it"</a>
            </ActionForm>
        </div>
    });
    view! {
        <FormError error=error/>
        <FormError error=archive_error/>
        <ReloadAfterConflict error=error what=what href=path/>
        {form}
        {confirm}
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
