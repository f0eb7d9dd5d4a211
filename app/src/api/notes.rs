//! Notes of a lead or customer: `GET`/`POST /api/v1/{leads|customers}/{id}/notes`,
//! and `PATCH`/`DELETE /api/v1/notes/{id}` (`If-Match`; the note's author or an
//! admin). The record's scope decides who reaches its notes.

use super::extract::{Body, IdempotencyKey, IfMatch, Path};
use super::problem::Problem;
use super::{idempotency, rfc3339, tagged, Caller};
use crate::error::AppError;
use crate::notes::{parse_body, store, Note, NoteId};
use crate::records::RecordRef;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_on_lead, add_to_lead))
        .routes(routes!(list_on_customer, add_to_customer))
        .routes(routes!(edit, delete))
}

/// A note.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoteOut {
    id: String,
    body: String,
    author_name: String,
    /// Whether the caller may change or delete it: its author, or an admin.
    editable: bool,
    /// Also its `ETag`.
    version: i64,
    created_at: String,
    updated_at: String,
}

impl From<Note> for NoteOut {
    fn from(note: Note) -> Self {
        Self {
            id: note.id.into_string(),
            body: note.body,
            author_name: note.author_name,
            editable: note.editable,
            version: note.version,
            created_at: rfc3339(note.created_at),
            updated_at: rfc3339(note.updated_at),
        }
    }
}

/// A note's text.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteText {
    /// Up to 4,000 characters; line breaks are kept.
    body: String,
}

/// The record or note id in a path.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct IdPath {
    id: String,
}

/// The notes of a lead, newest first.
#[utoipa::path(get, path = "/leads/{id}/notes", tag = "notes", operation_id = "list_lead_notes", params(IdPath),
    responses((status = 200, body = Vec<NoteOut>), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn list_on_lead(
    caller: Caller,
    State(state): State<AppState>,
    Path(path): Path<IdPath>,
) -> Result<Json<Vec<NoteOut>>, Problem> {
    list(&state, &caller, RecordRef::Lead(path.id.into())).await
}

/// The notes of a customer, newest first.
#[utoipa::path(get, path = "/customers/{id}/notes", tag = "notes", operation_id = "list_customer_notes", params(IdPath),
    responses((status = 200, body = Vec<NoteOut>), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn list_on_customer(
    caller: Caller,
    State(state): State<AppState>,
    Path(path): Path<IdPath>,
) -> Result<Json<Vec<NoteOut>>, Problem> {
    list(&state, &caller, RecordRef::Customer(path.id.into())).await
}

async fn list(
    state: &AppState,
    caller: &Caller,
    record: RecordRef,
) -> Result<Json<Vec<NoteOut>>, Problem> {
    let mut conn = state.db.pool.acquire().await.map_err(AppError::from)?;
    let notes = store::list(&mut conn, &caller.viewer, &record).await?;
    Ok(Json(notes.into_iter().map(NoteOut::from).collect()))
}

/// Adds a note to a lead.
#[utoipa::path(post, path = "/leads/{id}/notes", tag = "notes", operation_id = "add_lead_note", params(IdPath,
        ("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,255}$", description = "Makes a retry safe: the same key within 24 hours answers with the first result.")),
    request_body = NoteText, responses((status = 201, body = NoteOut, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn add_to_lead(
    caller: Caller,
    State(state): State<AppState>,
    Path(path): Path<IdPath>,
    IdempotencyKey(key): IdempotencyKey,
    Body(text): Body<NoteText>,
) -> Result<Response, Problem> {
    add(&state, &caller, key, RecordRef::Lead(path.id.into()), text).await
}

/// Adds a note to a customer.
#[utoipa::path(post, path = "/customers/{id}/notes", tag = "notes", operation_id = "add_customer_note", params(IdPath,
        ("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,255}$", description = "Makes a retry safe: the same key within 24 hours answers with the first result.")),
    request_body = NoteText, responses((status = 201, body = NoteOut, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn add_to_customer(
    caller: Caller,
    State(state): State<AppState>,
    Path(path): Path<IdPath>,
    IdempotencyKey(key): IdempotencyKey,
    Body(text): Body<NoteText>,
) -> Result<Response, Problem> {
    add(&state, &caller, key, RecordRef::Customer(path.id.into()), text).await
}

async fn add(
    state: &AppState,
    caller: &Caller,
    key: Option<String>,
    record: RecordRef,
    text: NoteText,
) -> Result<Response, Problem> {
    let viewer = caller.writer()?;
    let request = (format!("POST {}/notes", record.path()), &text);
    idempotency::once(state, caller, key, request, async || {
        let body = parse_body(&text.body).map_err(|e| AppError::Invalid(vec![e]))?;
        let note = state
            .db
            .write(async |tx| {
                let id = store::add(tx, viewer, &record, &body).await?;
                note_on(tx, viewer, &record, &id).await
            })
            .await?;
        Ok(tagged(StatusCode::CREATED, note.version, NoteOut::from(note)))
    })
    .await
}

/// Replaces a note's text, if it is still at the version in `If-Match`.
#[utoipa::path(patch, path = "/notes/{id}", tag = "notes", operation_id = "edit_note", request_body = NoteText,
    params(IdPath, ("If-Match" = String, Header, pattern = r#"^(W/)?"?[0-9]{1,18}"?$"#, description = "The note's ETag as last read.")),
    responses((status = 200, body = NoteOut, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn edit(
    caller: Caller,
    State(state): State<AppState>,
    Path(path): Path<IdPath>,
    IfMatch(version): IfMatch,
    Body(text): Body<NoteText>,
) -> Result<Response, Problem> {
    let viewer = caller.writer()?;
    let body = parse_body(&text.body).map_err(|e| AppError::Invalid(vec![e]))?;
    let id = NoteId::from(path.id);
    let note = state
        .db
        .write(async |tx| {
            let record = store::edit(tx, viewer, &id, version, &body).await?;
            note_on(tx, viewer, &record, &id).await
        })
        .await?;
    Ok(tagged(StatusCode::OK, note.version, NoteOut::from(note)))
}

/// Deletes a note, if it is still at the version in `If-Match`.
#[utoipa::path(delete, path = "/notes/{id}", tag = "notes", operation_id = "delete_note",
    params(IdPath, ("If-Match" = String, Header, pattern = r#"^(W/)?"?[0-9]{1,18}"?$"#, description = "The note's ETag as last read.")),
    responses((status = 204), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn delete(
    caller: Caller,
    State(state): State<AppState>,
    Path(path): Path<IdPath>,
    IfMatch(version): IfMatch,
) -> Result<StatusCode, Problem> {
    let viewer = caller.writer()?;
    let id = NoteId::from(path.id);
    state.db.write(async |tx| store::delete(tx, viewer, &id, version).await).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A note of `record` as the caller sees it.
async fn note_on(
    conn: &mut sqlx::AnyConnection,
    viewer: &crate::auth::Viewer,
    record: &RecordRef,
    id: &NoteId,
) -> crate::error::AppResult<Note> {
    let notes = store::list(conn, viewer, record).await?;
    notes.into_iter().find(|note| &note.id == id).ok_or(AppError::NotFound)
}
