//! `/api/v1/leads`: list with the pages' filters and sorts a cursor at a time, read
//! one with its version as `ETag`, create, change (`If-Match`), archive, restore,
//! assign and convert — each through the same store and checks as the pages.

use super::contacts::{self, Assignment};
use super::customers::CustomerOut;
use super::extract::{Body, IdempotencyKey, IfMatch, Path, Query};
use super::paging::{self, List, Paging};
use super::problem::Problem;
use super::{idempotency, rfc3339, tagged, Caller};
use crate::auth::policy::{self, RecordScope};
use crate::auth::Checked;
use crate::error::AppError;
use crate::leads::{store, Lead, LeadDraft, LeadForm, LeadId, LeadRow, LeadSort, LeadStatus};
use crate::records::{self, RecordRef};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, change, archive))
        .routes(routes!(restore))
        .routes(routes!(assign))
        .routes(routes!(convert))
}

/// What a lead list narrows to.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct LeadFilterParams {
    /// Words matched against name, email and company.
    q: Option<String>,
    #[param(value_type = Option<LeadStatus>, inline)]
    status: Option<String>,
    /// Admins: leads assigned to this user id.
    agent: Option<String>,
    /// Admins: `true` for the archive instead of the live leads.
    #[param(value_type = Option<bool>, inline)]
    archived: Option<String>,
    /// The column to sort by (default `created`, newest first).
    #[param(value_type = Option<LeadSort>, inline)]
    sort: Option<String>,
}

/// A lead in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct LeadSummary {
    id: String,
    name: String,
    email: String,
    company: String,
    #[schema(value_type = LeadStatus)]
    status: &'static str,
    assignee_name: String,
    version: i64,
    created_at: String,
}

impl From<LeadRow> for LeadSummary {
    fn from(row: LeadRow) -> Self {
        Self {
            id: row.id.into_string(),
            name: row.name,
            email: row.email,
            company: row.company,
            status: row.status.as_str(),
            assignee_name: row.assignee_name,
            version: row.version,
            created_at: rfc3339(row.created_at),
        }
    }
}

/// A lead whole.
#[derive(Debug, Serialize, ToSchema)]
pub struct LeadOut {
    id: String,
    name: String,
    email: String,
    phone: String,
    company: String,
    source: String,
    #[schema(value_type = LeadStatus)]
    status: &'static str,
    assignee_id: String,
    assignee_name: String,
    /// Background: free text about the lead.
    notes: String,
    /// The customer it was converted into.
    customer_id: Option<String>,
    /// Also its `ETag`.
    version: i64,
    archived: bool,
    created_at: String,
    updated_at: String,
}

impl From<Lead> for LeadOut {
    fn from(lead: Lead) -> Self {
        Self {
            id: lead.id.into_string(),
            name: lead.name,
            email: lead.email,
            phone: lead.phone,
            company: lead.company,
            source: lead.source,
            status: lead.status.as_str(),
            assignee_id: lead.assignee_id.into_string(),
            assignee_name: lead.assignee_name,
            notes: lead.notes,
            customer_id: lead.customer_id.map(|id| id.into_string()),
            version: lead.version,
            archived: lead.archived,
            created_at: rfc3339(lead.created_at),
            updated_at: rfc3339(lead.updated_at),
        }
    }
}

/// A new lead.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLead {
    name: String,
    /// Left out (or `null`) for none.
    #[schema(format = Email)]
    email: Option<String>,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    company: String,
    #[serde(default)]
    source: String,
    /// Default `new`.
    #[schema(value_type = Option<LeadStatus>)]
    status: Option<String>,
    #[serde(default)]
    notes: String,
    /// Admins: who works it (default: the caller). Agents' leads are their own.
    assignee_id: Option<String>,
    /// Create it even though its email or phone matches a lead or customer
    /// (otherwise that is refused as a `duplicate`).
    #[serde(default)]
    allow_duplicate: bool,
}

/// Fields to change on a lead; those left out keep their value.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadChanges {
    name: Option<String>,
    /// `null` removes it.
    #[serde(default, deserialize_with = "super::field_or_null")]
    #[schema(value_type = Option<String>, format = Email)]
    email: Option<Option<String>>,
    phone: Option<String>,
    company: Option<String>,
    source: Option<String>,
    #[schema(value_type = Option<LeadStatus>)]
    status: Option<String>,
    notes: Option<String>,
    /// Save it even though its new email or phone matches another record.
    #[serde(default)]
    allow_duplicate: bool,
}

/// A lead's id in a path.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct LeadPath {
    id: String,
}

impl LeadPath {
    fn id(&self) -> LeadId {
        LeadId::from(self.id.clone())
    }
}

/// The leads the caller may see, a page at a time.
#[utoipa::path(get, path = "/leads", tag = "leads", operation_id = "list_lead", params(LeadFilterParams, Paging),
    responses((status = 200, body = List<LeadSummary>), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    caller: Caller,
    State(state): State<AppState>,
    Query(filters): Query<LeadFilterParams>,
    Query(paging): Query<Paging>,
) -> Result<axum::Json<List<LeadSummary>>, Problem> {
    let mut errors = Vec::new();
    let status = paging::known::<LeadStatus>("status", &filters.status, &mut errors);
    let archived = paging::flag("archived", &filters.archived, &mut errors);
    let query = paging::query(
        &paging,
        filters.sort.as_deref(),
        |name| match name {
            "q" => filters.q.clone(),
            "status" => status.clone(),
            "agent" => filters.agent.clone(),
            "archived" => archived.clone(),
            _ => None,
        },
        errors,
    )?;
    let page = store::list(&state.db, &RecordScope::of(&caller.viewer), &query).await?;
    Ok(axum::Json(List::of(page)))
}

/// One lead; one the caller may not see answers as one that does not exist.
#[utoipa::path(get, path = "/leads/{id}", tag = "leads", operation_id = "get_lead", params(LeadPath),
    responses((status = 200, body = LeadOut, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn get(
    caller: Caller,
    State(state): State<AppState>,
    Path(path): Path<LeadPath>,
) -> Result<Response, Problem> {
    let mut conn = state.db.pool.acquire().await.map_err(AppError::from)?;
    let lead = store::get(&mut conn, &RecordScope::of(&caller.viewer), &path.id()).await?;
    Ok(tagged(StatusCode::OK, lead.version, LeadOut::from(lead)))
}

/// Creates a lead. With an `Idempotency-Key`, a retry answers like the first call.
#[utoipa::path(post, path = "/leads", tag = "leads", operation_id = "create_lead", request_body = NewLead,
    params(("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,255}$", description = "Makes a retry safe: the same key within 24 hours answers with the first result.")),
    responses((status = 201, body = LeadOut, headers(("ETag" = String), ("Location" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    caller: Caller,
    State(state): State<AppState>,
    IdempotencyKey(key): IdempotencyKey,
    Body(new): Body<NewLead>,
) -> Result<Response, Problem> {
    let viewer = caller.writer()?.clone();
    idempotency::once(&state, &caller, key, ("POST /leads", &new), async || {
        let form = LeadForm {
            name: new.name.clone(),
            email: super::email_given(new.email.as_deref())?,
            phone: new.phone.clone(),
            company: new.company.clone(),
            source: new.source.clone(),
            status: new.status.clone().unwrap_or_else(|| LeadStatus::New.as_str().to_owned()),
            notes: new.notes.clone(),
        };
        let draft = LeadDraft::checked(&form)?;
        let assignee = policy::requested_assignee(&viewer, new.assignee_id.clone());
        records::check_duplicates(
            &state.db,
            draft.email.as_ref(),
            &draft.phone,
            None,
            new.allow_duplicate,
        )
        .await?;
        let lead = state
            .db
            .write(async |tx| {
                let id = store::create(tx, &viewer, &draft, &assignee).await?;
                store::get(tx, &RecordScope::of(&viewer), &id).await
            })
            .await?;
        Ok(super::created(&format!("/leads/{}", lead.id), lead.version, LeadOut::from(lead)))
    })
    .await
}

/// Changes the fields sent, if the lead is still at the version in `If-Match`
/// (otherwise 412: someone changed it since).
#[utoipa::path(patch, path = "/leads/{id}", tag = "leads", operation_id = "change_lead", request_body = LeadChanges,
    params(LeadPath, ("If-Match" = String, Header, pattern = r#"^(W/)?"?[0-9]{1,18}"?$"#, description = "The lead's ETag as last read.")),
    responses((status = 200, body = LeadOut, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn change(
    caller: Caller,
    State(state): State<AppState>,
    Path(path): Path<LeadPath>,
    IfMatch(version): IfMatch,
    Body(changes): Body<LeadChanges>,
) -> Result<Response, Problem> {
    let viewer = caller.writer()?;
    let scope = RecordScope::of(viewer);
    let id = path.id();
    let mut conn = state.db.pool.acquire().await.map_err(AppError::from)?;
    let lead = store::get(&mut conn, &scope, &id).await?;
    drop(conn);
    let form = LeadForm {
        name: changes.name.unwrap_or(lead.name),
        email: super::email_changed(changes.email, lead.email)?,
        phone: changes.phone.unwrap_or(lead.phone),
        company: changes.company.unwrap_or(lead.company),
        source: changes.source.unwrap_or(lead.source),
        status: changes.status.unwrap_or_else(|| lead.status.as_str().to_owned()),
        notes: changes.notes.unwrap_or(lead.notes),
    };
    let draft = LeadDraft::checked(&form)?;
    let record = RecordRef::Lead(id.clone());
    records::check_duplicates(
        &state.db,
        draft.email.as_ref(),
        &draft.phone,
        Some(&record),
        changes.allow_duplicate,
    )
    .await?;
    let lead = state
        .db
        .write(async |tx| {
            store::update(tx, viewer, &id, version, &draft).await?;
            store::get(tx, &scope, &id).await
        })
        .await?;
    Ok(tagged(StatusCode::OK, lead.version, LeadOut::from(lead)))
}

/// Archives a lead ("Delete" on its page): hidden from lists, counts and stats,
/// kept for an admin to restore.
#[utoipa::path(delete, path = "/leads/{id}", tag = "leads", operation_id = "archive_lead", params(LeadPath),
    responses((status = 204), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn archive(
    caller: Caller,
    State(state): State<AppState>,
    Path(path): Path<LeadPath>,
) -> Result<StatusCode, Problem> {
    contacts::archive(&state, &caller, RecordRef::Lead(path.id())).await
}

/// Brings an archived lead back (admins).
#[utoipa::path(post, path = "/leads/{id}/restore", tag = "leads", operation_id = "restore_lead", params(LeadPath),
    responses((status = 200, body = LeadOut, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn restore(
    caller: Caller,
    State(state): State<AppState>,
    Path(path): Path<LeadPath>,
) -> Result<Response, Problem> {
    let id = path.id();
    let read = async |tx: &mut AnyConnection, scope: &RecordScope| store::get(tx, scope, &id).await;
    let lead = contacts::restore(&state, &caller, RecordRef::Lead(id.clone()), read).await?;
    Ok(tagged(StatusCode::OK, lead.version, LeadOut::from(lead)))
}

/// Gives a lead to another active team member (admins).
#[utoipa::path(post, path = "/leads/{id}/assign", tag = "leads", operation_id = "assign_lead", params(LeadPath),
    request_body = Assignment,
    responses((status = 200, body = LeadOut, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn assign(
    caller: Caller,
    State(state): State<AppState>,
    Path(path): Path<LeadPath>,
    Body(to): Body<Assignment>,
) -> Result<Response, Problem> {
    let id = path.id();
    let read = async |tx: &mut AnyConnection, scope: &RecordScope| store::get(tx, scope, &id).await;
    let lead = contacts::assign(&state, &caller, RecordRef::Lead(id.clone()), to, read).await?;
    Ok(tagged(StatusCode::OK, lead.version, LeadOut::from(lead)))
}

/// Converts a lead into a customer: one transaction copies the contact, links
/// both ways, closes the lead as won and moves its open tasks to the customer and
/// to its owner (the lead's assignee). A lead converts
/// once: a second attempt is a 409.
#[utoipa::path(post, path = "/leads/{id}/convert", tag = "leads", operation_id = "convert_lead", params(LeadPath),
    responses((status = 201, body = CustomerOut, headers(("ETag" = String), ("Location" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn convert(
    caller: Caller,
    State(state): State<AppState>,
    Path(path): Path<LeadPath>,
) -> Result<Response, Problem> {
    let viewer = caller.writer()?;
    let customer = state
        .db
        .write(async |tx| {
            let id = store::convert(tx, viewer, &path.id()).await?;
            crate::customers::store::get(tx, &RecordScope::of(viewer), &id).await
        })
        .await?;
    Ok(super::created(
        &format!("/customers/{}", customer.id),
        customer.version,
        CustomerOut::from(customer),
    ))
}
