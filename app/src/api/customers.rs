//! `/api/v1/customers`: list a cursor at a time, read one with its `ETag`, create,
//! change (`If-Match`), archive, restore and assign — through the customers' store
//! and checks, as the pages do.

use super::contacts::{self, Assignment};
use super::extract::{Body, IdempotencyKey, IfMatch, Path, Query};
use super::paging::{self, List, Paging};
use super::problem::Problem;
use super::{idempotency, rfc3339, tagged, Caller};
use crate::auth::policy::{self, RecordScope};
use crate::auth::Checked;
use crate::customers::{
    join_tags, store, Customer, CustomerDraft, CustomerForm, CustomerId, CustomerRow, CustomerSort,
};
use crate::error::AppError;
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
}

/// What a customer list narrows to.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct CustomerFilterParams {
    /// Words matched against name, email and company.
    q: Option<String>,
    /// Customers with this tag.
    tag: Option<String>,
    /// Admins: customers owned by this user id.
    owner: Option<String>,
    /// Admins: `true` for the archive instead of the live customers.
    #[param(value_type = Option<bool>, inline)]
    archived: Option<String>,
    /// The column to sort by (default `created`, newest first).
    #[param(value_type = Option<CustomerSort>, inline)]
    sort: Option<String>,
}

/// A customer in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerSummary {
    id: String,
    name: String,
    email: String,
    company: String,
    tags: Vec<String>,
    owner_name: String,
    created_at: String,
}

impl From<CustomerRow> for CustomerSummary {
    fn from(row: CustomerRow) -> Self {
        Self {
            id: row.id.into_string(),
            name: row.name,
            email: row.email,
            company: row.company,
            tags: row.tags,
            owner_name: row.owner_name,
            created_at: rfc3339(row.created_at),
        }
    }
}

/// A customer whole.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerOut {
    id: String,
    name: String,
    email: String,
    phone: String,
    company: String,
    tags: Vec<String>,
    owner_id: String,
    owner_name: String,
    /// The lead it was converted from.
    lead_id: Option<String>,
    /// Also its `ETag`.
    version: i64,
    archived: bool,
    created_at: String,
    updated_at: String,
}

impl From<Customer> for CustomerOut {
    fn from(customer: Customer) -> Self {
        Self {
            id: customer.id.into_string(),
            name: customer.name,
            email: customer.email,
            phone: customer.phone,
            company: customer.company,
            tags: customer.tags,
            owner_id: customer.owner_id.into_string(),
            owner_name: customer.owner_name,
            lead_id: customer.lead.map(|(id, _)| id.into_string()),
            version: customer.version,
            archived: customer.archived,
            created_at: rfc3339(customer.created_at),
            updated_at: rfc3339(customer.updated_at),
        }
    }
}

/// A new customer.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCustomer {
    name: String,
    /// Left out (or `null`) for none.
    #[schema(format = Email)]
    email: Option<String>,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    company: String,
    /// Up to 10 tags: letters, digits, spaces, `-` and `_`.
    #[serde(default)]
    tags: Vec<String>,
    /// Admins: who owns it (default: the caller). Agents' customers are their own.
    owner_id: Option<String>,
    /// Create it even though its email or phone matches a lead or customer.
    #[serde(default)]
    allow_duplicate: bool,
}

/// Fields to change on a customer; those left out keep their value.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerChanges {
    name: Option<String>,
    /// `null` removes it.
    #[serde(default, deserialize_with = "super::field_or_null")]
    #[schema(value_type = Option<String>, format = Email)]
    email: Option<Option<String>>,
    phone: Option<String>,
    company: Option<String>,
    /// The whole new set of tags.
    tags: Option<Vec<String>>,
    /// Save it even though its new email or phone matches another record.
    #[serde(default)]
    allow_duplicate: bool,
}

/// A customer's id in a path.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct CustomerPath {
    id: String,
}

impl CustomerPath {
    fn id(&self) -> CustomerId {
        CustomerId::from(self.id.clone())
    }
}

/// The customers the caller may see, a page at a time.
#[utoipa::path(get, path = "/customers", tag = "customers", operation_id = "list_customer", params(CustomerFilterParams, Paging),
    responses((status = 200, body = List<CustomerSummary>), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    caller: Caller,
    State(state): State<AppState>,
    Query(filters): Query<CustomerFilterParams>,
    Query(paging): Query<Paging>,
) -> Result<axum::Json<List<CustomerSummary>>, Problem> {
    let mut errors = Vec::new();
    let archived = paging::flag("archived", &filters.archived, &mut errors);
    if let Some(Err(error)) = filters.tag.as_deref().map(crate::customers::parse_tag) {
        errors.push(error);
    }
    let query = paging::query(
        &paging,
        filters.sort.as_deref(),
        |name| match name {
            "q" => filters.q.clone(),
            "tag" => filters.tag.clone(),
            "owner" => filters.owner.clone(),
            "archived" => archived.clone(),
            _ => None,
        },
        errors,
    )?;
    let page = store::list(&state.db, &RecordScope::of(&caller.viewer), &query).await?;
    Ok(axum::Json(List::of(page)))
}

/// One customer; one the caller may not see answers as one that does not exist.
#[utoipa::path(get, path = "/customers/{id}", tag = "customers", operation_id = "get_customer", params(CustomerPath),
    responses((status = 200, body = CustomerOut, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn get(
    caller: Caller,
    State(state): State<AppState>,
    Path(path): Path<CustomerPath>,
) -> Result<Response, Problem> {
    let mut conn = state.db.pool.acquire().await.map_err(AppError::from)?;
    let customer = store::get(&mut conn, &RecordScope::of(&caller.viewer), &path.id()).await?;
    Ok(tagged(StatusCode::OK, customer.version, CustomerOut::from(customer)))
}

/// Creates a customer. With an `Idempotency-Key`, a retry answers like the first call.
#[utoipa::path(post, path = "/customers", tag = "customers", operation_id = "create_customer", request_body = NewCustomer,
    params(("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,255}$", description = "Makes a retry safe: the same key within 24 hours answers with the first result.")),
    responses((status = 201, body = CustomerOut, headers(("ETag" = String), ("Location" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    caller: Caller,
    State(state): State<AppState>,
    IdempotencyKey(key): IdempotencyKey,
    Body(new): Body<NewCustomer>,
) -> Result<Response, Problem> {
    let viewer = caller.writer()?.clone();
    idempotency::once(&state, &caller, key, ("POST /customers", &new), async || {
        let form = CustomerForm {
            name: new.name.clone(),
            email: super::email_given(new.email.as_deref())?,
            phone: new.phone.clone(),
            company: new.company.clone(),
            tags: new.tags.join(","),
        };
        let draft = CustomerDraft::checked(&form)?;
        let owner = policy::requested_assignee(&viewer, new.owner_id.clone());
        records::check_duplicates(
            &state.db,
            draft.email.as_ref(),
            &draft.phone,
            None,
            new.allow_duplicate,
        )
        .await?;
        let customer = state
            .db
            .write(async |tx| {
                let id = store::create(tx, &viewer, &draft, &owner, None).await?;
                store::get(tx, &RecordScope::of(&viewer), &id).await
            })
            .await?;
        let path = format!("/customers/{}", customer.id);
        Ok(super::created(&path, customer.version, CustomerOut::from(customer)))
    })
    .await
}

/// Changes the fields sent, if the customer is still at the version in
/// `If-Match` (otherwise 412: someone changed it since).
#[utoipa::path(patch, path = "/customers/{id}", tag = "customers", operation_id = "change_customer", request_body = CustomerChanges,
    params(CustomerPath, ("If-Match" = String, Header, pattern = r#"^(W/)?"?[0-9]{1,18}"?$"#, description = "The customer's ETag as last read.")),
    responses((status = 200, body = CustomerOut, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn change(
    caller: Caller,
    State(state): State<AppState>,
    Path(path): Path<CustomerPath>,
    IfMatch(version): IfMatch,
    Body(changes): Body<CustomerChanges>,
) -> Result<Response, Problem> {
    let viewer = caller.writer()?;
    let scope = RecordScope::of(viewer);
    let id = path.id();
    let mut conn = state.db.pool.acquire().await.map_err(AppError::from)?;
    let customer = store::get(&mut conn, &scope, &id).await?;
    drop(conn);
    let form = CustomerForm {
        name: changes.name.unwrap_or(customer.name),
        email: super::email_changed(changes.email, customer.email)?,
        phone: changes.phone.unwrap_or(customer.phone),
        company: changes.company.unwrap_or(customer.company),
        tags: changes.tags.map_or_else(|| join_tags(&customer.tags), |tags| tags.join(",")),
    };
    let draft = CustomerDraft::checked(&form)?;
    let record = RecordRef::Customer(id.clone());
    records::check_duplicates(
        &state.db,
        draft.email.as_ref(),
        &draft.phone,
        Some(&record),
        changes.allow_duplicate,
    )
    .await?;
    let customer = state
        .db
        .write(async |tx| {
            store::update(tx, viewer, &id, version, &draft).await?;
            store::get(tx, &scope, &id).await
        })
        .await?;
    Ok(tagged(StatusCode::OK, customer.version, CustomerOut::from(customer)))
}

/// Archives a customer ("Delete" on its page): hidden from lists and counts,
/// kept for an admin to restore.
#[utoipa::path(delete, path = "/customers/{id}", tag = "customers", operation_id = "archive_customer", params(CustomerPath),
    responses((status = 204), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn archive(
    caller: Caller,
    State(state): State<AppState>,
    Path(path): Path<CustomerPath>,
) -> Result<StatusCode, Problem> {
    contacts::archive(&state, &caller, RecordRef::Customer(path.id())).await
}

/// Brings an archived customer back (admins).
#[utoipa::path(post, path = "/customers/{id}/restore", tag = "customers", operation_id = "restore_customer", params(CustomerPath),
    responses((status = 200, body = CustomerOut, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn restore(
    caller: Caller,
    State(state): State<AppState>,
    Path(path): Path<CustomerPath>,
) -> Result<Response, Problem> {
    let id = path.id();
    let read = async |tx: &mut AnyConnection, scope: &RecordScope| store::get(tx, scope, &id).await;
    let customer =
        contacts::restore(&state, &caller, RecordRef::Customer(id.clone()), read).await?;
    Ok(tagged(StatusCode::OK, customer.version, CustomerOut::from(customer)))
}

/// Gives a customer to another active team member (admins).
#[utoipa::path(post, path = "/customers/{id}/assign", tag = "customers", operation_id = "assign_customer", params(CustomerPath),
    request_body = Assignment,
    responses((status = 200, body = CustomerOut, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn assign(
    caller: Caller,
    State(state): State<AppState>,
    Path(path): Path<CustomerPath>,
    Body(to): Body<Assignment>,
) -> Result<Response, Problem> {
    let id = path.id();
    let read = async |tx: &mut AnyConnection, scope: &RecordScope| store::get(tx, scope, &id).await;
    let customer =
        contacts::assign(&state, &caller, RecordRef::Customer(id.clone()), to, read).await?;
    Ok(tagged(StatusCode::OK, customer.version, CustomerOut::from(customer)))
}
