//! CSV export of a customer list: the same search, filters, sort and scope as the page.

use super::store::{list_filter, order_by};
use super::CustomerQuery;
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
    "Tags",
    "Owner",
    "Created (UTC)",
    "Updated (UTC)",
];

/// `GET /customers/export.csv?…`: the list's query string, as a CSV download.
pub async fn download(
    State(state): State<AppState>,
    Extension(RequestViewer(viewer)): Extension<RequestViewer>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let Some(viewer) = viewer else {
        return export::sign_in_first();
    };
    let query = CustomerQuery::from_params(|key| params.get(key).cloned());
    let filter = list_filter(
        state.db.backend,
        &RecordScope::of(&viewer),
        &query,
        SearchPath::BySortOrder,
    );
    let sql = format!(
        "SELECT c.name, c.email, c.phone, c.company, c.tags, u.name AS owner_name, c.created_at, c.updated_at \
         FROM customers c JOIN users u ON u.id = c.owner_id WHERE {} ORDER BY {}",
        filter.sql(),
        order_by(&query)
    );
    match export::stream::<ExportRecord>(state.db, sql, filter.args, HEADER).await {
        Ok(body) => export::attachment("customers", body),
        Err(err) => export::failed(&err),
    }
}

#[derive(sqlx::FromRow)]
struct ExportRecord {
    name: String,
    email: String,
    phone: String,
    company: String,
    tags: String,
    owner_name: String,
    created_at: i64,
    updated_at: i64,
}

impl CsvRecord for ExportRecord {
    fn cells(self) -> Vec<String> {
        vec![
            self.name,
            self.email,
            self.phone,
            self.company,
            self.tags,
            self.owner_name,
            format_time_in("UTC", self.created_at),
            format_time_in("UTC", self.updated_at),
        ]
    }
}
