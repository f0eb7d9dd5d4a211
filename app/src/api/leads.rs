//! `/api/v1/leads`: the leads the caller may see, listed with the pages' filters and
//! sorts a cursor at a time, and one lead whole with its version as its `ETag`.

use super::problem::Problem;
use super::{rfc3339, Caller};
use crate::auth::policy::RecordScope;
use crate::error::{AppError, FieldError};
use crate::leads::{store, Lead, LeadQuery, LeadRow, LeadStatus};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

/// The most leads a page holds.
pub const MAX_LIMIT: u32 = 100;
const DEFAULT_LIMIT: u32 = 50;

/// A list request: filters as on the leads page, or a cursor from the page before
/// (which carries them), and how many leads a page holds.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListParams {
    /// Words matched against name, email and company.
    pub q: Option<String>,
    pub status: Option<String>,
    /// Admins: leads assigned to this user id.
    pub agent: Option<String>,
    /// Admins: `true` for the archive.
    pub archived: Option<bool>,
    /// `created`, `updated`, `name`, `company`, `status` or `assignee`.
    pub sort: Option<String>,
    /// `asc` or `desc`.
    pub dir: Option<String>,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// A lead in a list.
#[derive(Debug, Serialize)]
pub struct LeadSummary {
    pub id: String,
    pub name: String,
    pub email: String,
    pub company: String,
    pub status: &'static str,
    pub assignee_name: String,
    pub version: i64,
    pub created_at: String,
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

/// A page of leads.
#[derive(Debug, Serialize)]
pub struct LeadList {
    pub data: Vec<LeadSummary>,
    /// How many leads the filters match (counted up to a cap).
    pub total: i64,
    /// `total` is the cap: more match.
    pub total_is_capped: bool,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// A lead whole.
#[derive(Debug, Serialize)]
pub struct LeadOut {
    pub id: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub company: String,
    pub source: String,
    pub status: &'static str,
    pub assignee_id: String,
    pub assignee_name: String,
    pub notes: String,
    pub customer_id: Option<String>,
    pub version: i64,
    pub archived: bool,
    pub created_at: String,
    pub updated_at: String,
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

/// `GET /api/v1/leads`
pub async fn list(
    caller: Caller,
    State(state): State<AppState>,
    Query(params): Query<ListParams>,
) -> Result<Json<LeadList>, Problem> {
    let query = query_of(params)?;
    let page = store::list(&state.db, &RecordScope::of(&caller.viewer), &query).await?;
    let next_cursor = page.next.as_ref().map(|next| URL_SAFE_NO_PAD.encode(next.to_query_string()));
    Ok(Json(LeadList {
        total: page.total,
        total_is_capped: page.more,
        next_cursor,
        data: page.rows.into_iter().map(LeadSummary::from).collect(),
    }))
}

/// The list query `params` ask for: a cursor's, else the filters'; refused field by
/// field when a value is not one the API knows.
fn query_of(params: ListParams) -> Result<LeadQuery, AppError> {
    let mut errors = Vec::new();
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        errors.push(FieldError::new("limit", format!("Ask for 1 to {MAX_LIMIT} leads a page.")));
    }
    if let Some(status) = params.status.as_deref() {
        if let Err(error) = status.parse::<LeadStatus>() {
            errors.push(error);
        }
    }
    if let Some(dir) = params.dir.as_deref().filter(|d| !matches!(*d, "asc" | "desc")) {
        errors.push(FieldError::new("dir", format!("`{dir}`: write `asc` or `desc`.")));
    }
    let cursor = match params.cursor.as_deref() {
        Some(cursor) => {
            match URL_SAFE_NO_PAD.decode(cursor).ok().and_then(|b| String::from_utf8(b).ok()) {
                Some(query_string) => Some(query_string),
                None => {
                    errors.push(FieldError::new("cursor", "This cursor was not made by Kith."));
                    None
                }
            }
        }
        None => None,
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut query = match cursor {
        Some(query_string) => LeadQuery::from(query_string),
        None => LeadQuery::from_params(|name| match name {
            "q" => params.q.clone(),
            "status" => params.status.clone(),
            "agent" => params.agent.clone(),
            "archived" => params.archived.filter(|a| *a).map(|_| "1".to_owned()),
            "sort" => params.sort.clone(),
            "dir" => params.dir.clone(),
            _ => None,
        }),
    };
    query.per_page = limit;
    Ok(query)
}

/// `GET /api/v1/leads/{id}`: the lead with `ETag` its version; one the caller may
/// not see answers as one that does not exist.
pub async fn get(
    caller: Caller,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let mut conn = state.db.pool.acquire().await.map_err(AppError::from)?;
    let lead = store::get(&mut conn, &RecordScope::of(&caller.viewer), &id.into()).await?;
    let etag = HeaderValue::from_str(&format!("\"{}\"", lead.version))
        .map_err(|e| AppError::internal("an ETag", e))?;
    let mut response = Json(LeadOut::from(lead)).into_response();
    response.headers_mut().insert(header::ETAG, etag);
    Ok(response)
}
