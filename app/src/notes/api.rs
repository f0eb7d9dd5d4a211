//! Server functions for notes: parse → authorize (through the record) → store.

use super::Note;
use crate::error::AppError;
use crate::ids::NoteId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{parse_body, store},
    crate::records::RecordRef,
    crate::state::{app_state, go, signed_in, write},
};

/// The notes of a lead (`kind = "lead"`) or customer, newest first.
#[server(prefix = "/api", endpoint = "notes/list")]
pub async fn list_notes(kind: String, id: String) -> Result<Vec<Note>, AppError> {
    let viewer = signed_in()?;
    let record = RecordRef::parse(&kind, &id)?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    store::list(&mut conn, &viewer, &record).await
}

/// The names a note may mention with `@`: the viewer's active teammates.
#[server(prefix = "/api", endpoint = "notes/mentionable")]
pub async fn mentionable() -> Result<Vec<String>, AppError> {
    let viewer = signed_in()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    crate::notifications::store::mentionable(&mut conn, &viewer).await
}

/// The record's page, at its notes.
#[cfg(feature = "ssr")]
fn back_to_notes(record: &RecordRef) -> Result<(), AppError> {
    go(&format!("{}#notes", record.path()))
}

#[server(prefix = "/api", endpoint = "notes/add")]
pub async fn add_note(kind: String, record_id: String, body: String) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let record = RecordRef::parse(&kind, &record_id)?;
    let body = parse_body(&body).map_err(|e| AppError::Invalid(vec![e]))?;
    write(async |tx| store::add(tx, &viewer, &record, &body).await).await?;
    back_to_notes(&record)
}

/// Replaces a note's text (its author, or an admin).
#[server(prefix = "/api", endpoint = "notes/edit")]
pub async fn edit_note(id: NoteId, version: i64, body: String) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let body = parse_body(&body).map_err(|e| AppError::Invalid(vec![e]))?;
    let record = write(async |tx| store::edit(tx, &viewer, &id, version, &body).await).await?;
    back_to_notes(&record)
}

/// Deletes a note (its author, or an admin).
#[server(prefix = "/api", endpoint = "notes/delete")]
pub async fn delete_note(id: NoteId, version: i64) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let record = write(async |tx| store::delete(tx, &viewer, &id, version).await).await?;
    back_to_notes(&record)
}
