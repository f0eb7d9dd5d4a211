//! CSV export of a lead list (the same search, filters, sort and scope as the
//! page), streamed row by row so 100k leads never sit in memory at once.

use super::store::{list_filter, order_by, SearchPath};
use super::LeadQuery;
use crate::auth::policy::RecordScope;
use crate::components::format_time;
use crate::db::Db;
use crate::state::{AppState, RequestViewer};
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use futures::TryStreamExt;
use std::collections::HashMap;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

const HEADER: [&str; 9] = [
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
/// Bytes gathered before a chunk is sent; with the channel's bound this caps memory.
const CHUNK: usize = 32 * 1024;

/// `GET /leads/export.csv?…`: the list's query string, as a CSV download.
pub async fn download(
    State(state): State<AppState>,
    Extension(RequestViewer(viewer)): Extension<RequestViewer>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let Some(viewer) = viewer else {
        return (StatusCode::UNAUTHORIZED, "Please sign in.").into_response();
    };
    let query = LeadQuery::from_params(|key| params.get(key).cloned());
    let filename = format!("leads-{}.csv", chrono::Utc::now().format("%Y-%m-%d"));
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        stream(state.db, RecordScope::of(&viewer), query),
    )
        .into_response()
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

/// A body fed by a task that reads rows as they come and sends them in chunks.
/// If the client goes away, the task stops at its next send.
fn stream(db: Db, scope: RecordScope, query: LeadQuery) -> Body {
    let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(8);
    tokio::spawn(async move {
        // Rows leave in sort order as they are read, so nothing piles up in memory.
        let filter = list_filter(db.backend, &scope, &query, SearchPath::BySortOrder);
        let sql = format!(
            "SELECT l.name, l.email, l.phone, l.company, l.source, l.status, u.name AS assignee_name, l.created_at, l.updated_at \
             FROM leads l JOIN users u ON u.id = l.assignee_id WHERE {} ORDER BY {}",
            filter.sql(),
            order_by(&query)
        );
        let mut rows = sqlx::query_as_with::<_, ExportRecord, _>(&sql, filter.args).fetch(&db.pool);
        let mut buffer = csv_row(&HEADER);
        loop {
            match rows.try_next().await {
                Ok(Some(r)) => {
                    let status = r
                        .status
                        .parse::<super::LeadStatus>()
                        .map_or(r.status.clone(), |s| s.label().to_owned());
                    let (created, updated) = (format_time(r.created_at), format_time(r.updated_at));
                    let cells = [
                        &*r.name,
                        &r.email,
                        &r.phone,
                        &r.company,
                        &r.source,
                        &status,
                        &r.assignee_name,
                        &created,
                        &updated,
                    ];
                    buffer.push_str(&csv_row(&cells));
                    if buffer.len() >= CHUNK
                        && tx
                            .send(Ok(Bytes::from(std::mem::take(&mut buffer))))
                            .await
                            .is_err()
                    {
                        return;
                    }
                }
                Ok(None) => break,
                Err(err) => {
                    tracing::error!(%err, "lead export failed");
                    let _ = tx.send(Err(std::io::Error::other("export failed"))).await;
                    return;
                }
            }
        }
        let _ = tx.send(Ok(Bytes::from(buffer))).await;
    });
    Body::from_stream(ReceiverStream::new(rx))
}

/// One CSV record (RFC 4180: CRLF line ends, quotes doubled inside quoted cells).
pub fn csv_row(cells: &[&str]) -> String {
    let mut line = cells
        .iter()
        .map(|c| csv_cell(c))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

/// A cell that a spreadsheet shows as text: one starting like a formula
/// (`= + - @`, or a tab or carriage return) gets a leading apostrophe.
pub fn csv_cell(value: &str) -> String {
    let neutral = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if neutral.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_the_rfc_4180_way() {
        assert_eq!(csv_cell("Acme"), "Acme");
        assert_eq!(csv_cell("Acme, Inc."), "\"Acme, Inc.\"");
        assert_eq!(csv_cell("The \"best\""), "\"The \"\"best\"\"\"");
        assert_eq!(csv_cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_row(&["a", "b"]), "a,b\r\n");
    }

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+1 555 0100"), "'+1 555 0100");
        assert_eq!(csv_cell("-2"), "'-2");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("ana@example.com"), "ana@example.com");
    }
}
