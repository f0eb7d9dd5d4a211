//! The notes timeline on a lead's or a customer's page.

use super::api::{list_notes, mentionable, AddNote, DeleteNote, EditNote};
use super::mentions::MentionPicker;
use super::{Note, BODY_MAX};
use crate::components::{action_error, FormError, Moment, Submit, TextArea};
use crate::error::AppError;
use crate::records::RecordRef;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// A record's notes and the actions that change them. The page creates it when
/// it is set up, so server rendering waits for the notes with the record.
#[derive(Clone, Copy)]
pub struct Notes {
    add: ServerAction<AddNote>,
    edit: ServerAction<EditNote>,
    delete: ServerAction<DeleteNote>,
    notes: Resource<Result<Vec<Note>, AppError>>,
    /// The names the composer offers after `@`.
    team: Resource<Result<Vec<String>, AppError>>,
}

impl Notes {
    pub fn load(record: impl Fn() -> RecordRef + Send + Sync + 'static) -> Self {
        let add = ServerAction::<AddNote>::new();
        let edit = ServerAction::<EditNote>::new();
        let delete = ServerAction::<DeleteNote>::new();
        // Each change returns to the same page; its completion count reloads the notes.
        let notes = Resource::new(
            move || (record(), add.version().get(), edit.version().get(), delete.version().get()),
            |(record, ..)| list_notes(record.kind().to_owned(), record.id().to_owned()),
        );
        let team = Resource::new(|| (), |_| mentionable());
        Self { add, edit, delete, notes, team }
    }

    /// Changes made to the notes so far (each is logged on the record).
    pub fn version(&self) -> usize {
        self.add.version().get() + self.edit.version().get() + self.delete.version().get()
    }
}

/// "Add a note", with the @-mention picker; its `#notes` anchor is where adding,
/// editing and deleting a note return to.
#[component]
pub fn NoteComposer(notes: Notes, record: RecordRef, archived: bool) -> impl IntoView {
    let Notes { add, edit, delete, team, .. } = notes;
    let add_error = action_error(add.value());
    let edit_error = action_error(edit.value());
    let delete_error = action_error(delete.value());
    view! {
        <div id="notes" class="composer">
            {(!archived).then(|| view! {
                <FormError error=add_error/>
                <ActionForm action=add attr:class="form-stack" attr:novalidate=true>
                    <input type="hidden" name="kind" value=record.kind()/>
                    <input type="hidden" name="record_id" value=record.id().to_owned()/>
                    <Suspense>
                        {move || team.get().map(|names| view! {
                            <MentionPicker names=names.unwrap_or_default()>
                                <TextArea name="body" label="Add a note" rows=3 max_chars=BODY_MAX error=add_error/>
                            </MentionPicker>
                        })}
                    </Suspense>
                    <div class="actions"><Submit pending=add.pending() class="btn btn-primary">"Add note"</Submit></div>
                </ActionForm>
            })}
            <FormError error=edit_error/>
            <FormError error=delete_error/>
        </div>
    }
}

impl Notes {
    /// The notes as loaded, newest first (the page's timeline waits for them).
    pub fn get(&self) -> Option<Result<Vec<Note>, AppError>> {
        self.notes.get()
    }

    /// One note in the timeline of the record at `path`: its author and time, its
    /// text, and its author's (or an admin's) edit (`?note=<id>`, also without
    /// JavaScript) and delete.
    pub fn item(&self, note: Note, path: String, archived: bool) -> impl IntoView {
        let editing = use_query_map().read().get("note").as_deref() == Some(note.id.as_str())
            && note.editable
            && !archived;
        view! { <NoteItem note=note editing=editing path=path edit=self.edit delete=self.delete archived=archived/> }
    }
}

#[component]
fn NoteItem(
    note: Note,
    editing: bool,
    path: String,
    edit: ServerAction<EditNote>,
    delete: ServerAction<DeleteNote>,
    archived: bool,
) -> impl IntoView {
    let error = action_error(edit.value());
    let updated_at = note.updated_at;
    let edited =
        (updated_at != note.created_at).then(|| view! { " · edited "<Moment at=updated_at/> });
    let meta = view! { {format!("{} · ", note.author_name)}<Moment at=note.created_at/> };
    let anchor = format!("note-{}", note.id.as_str());
    let (id, version) = (note.id.to_string(), note.version.to_string());
    let edit_href = format!("{path}?note={id}#{anchor}");
    let body = if editing {
        let (id, version, text) = (id.clone(), version.clone(), note.body.clone());
        let cancel = format!("{path}#notes");
        view! {
            <ActionForm action=edit attr:class="form-stack" attr:novalidate=true>
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="version" value=version/>
                <TextArea name="body" label="Edit note" rows=3 value=text max_chars=BODY_MAX error=error/>
                <div class="actions">
                    <Submit pending=edit.pending() class="btn btn-primary">"Save note"</Submit>
                    <a class="btn btn-quiet" href=cancel>"Cancel"</a>
                </div>
            </ActionForm>
        }
        .into_any()
    } else {
        view! { <p class="note-body">{note.body.clone()}</p> }.into_any()
    };
    let controls = (note.editable && !editing && !archived).then(|| {
        view! {
            <div class="note-actions">
                <a href=edit_href>"Edit"</a>
                <ActionForm action=delete attr:class="inline-form">
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="version" value=version/>
                    <Submit pending=delete.pending() class="btn btn-quiet btn-small">"Delete"</Submit>
                </ActionForm>
            </div>
        }
    });
    view! {
        <li class="timeline-item timeline-note" id=anchor.clone()>
            <p class="muted"><span class="timeline-kind">"Note"</span>" · "{meta}{edited}</p>
            {body}
            {controls}
        </li>
    }
}
