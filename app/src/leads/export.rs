//! CSV export of a lead list: the same search, filters, sort and scope as the page.

use super::store::{list_filter, order_by};
use super::{LeadQuery, LeadStatus};
use crate::auth::policy::RecordScope;
use crate::components::format_time_in;
use crate::export::{self, CsvRecord};
use crate::sql::SearchPath;
use crate::state::{AppState, RequestViewer};
use axum::extract::{Query, State};
use axum::response::Response;
use axum::Extension;
use std::collections::HashMap;

const HEADER: &[&str] = &[
    "Name",
    "Email",
    "Phone",
    "Company",
    "Source",
    "Status",
    "Assigned to",
    "Created (UTC)",
    "Updated (UTC)",
];

/// `GET /leads/export.csv?…`: the list's query string, as a CSV download.
pub async fn download(
    State(state): State<AppState>,
    Extension(RequestViewer(viewer)): Extension<RequestViewer>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let Some(viewer) = viewer else {
        return export::sign_in_first();
    };
    let query = LeadQuery::from_params(|key| params.get(key).cloned());
    // Rows leave in sort order as they are read, so nothing piles up in memory.
    let filter = list_filter(
        state.db.backend,
        &RecordScope::of(&viewer),
        &query,
        SearchPath::BySortOrder,
    );
    let sql = format!(
        "SELECT l.name, l.email, l.phone, l.company, l.source, l.status, u.name AS assignee_name, l.created_at, l.updated_at \
         FROM leads l JOIN users u ON u.id = l.assignee_id WHERE {} ORDER BY {}",
        filter.sql(),
        order_by(&query)
    );
    match export::stream::<ExportRecord>(state.db, sql, filter.args, HEADER).await {
        Ok(body) => export::attachment("leads", body),
        Err(err) => export::failed(&err),
    }
}

#[derive(sqlx::FromRow)]
struct ExportRecord {
    name: String,
    email: String,
    phone: String,
    company: String,
    source: String,
    status: String,
    assignee_name: String,
    created_at: i64,
    updated_at: i64,
}

impl CsvRecord for ExportRecord {
    fn cells(self) -> Vec<String> {
        let status = self
            .status
            .parse::<LeadStatus>()
            .map_or(self.status.clone(), |s| s.label().to_owned());
        vec![
            self.name,
            self.email,
            self.phone,
            self.company,
            self.source,
            status,
            self.assignee_name,
            format_time_in("UTC", self.created_at),
            format_time_in("UTC", self.updated_at),
        ]
    }
}
