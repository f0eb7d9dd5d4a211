//! CSV downloads of lists: streamed row by row, so 100k records never sit in
//! memory at once, with cells a spreadsheet shows as text.

use crate::db::Db;
use axum::body::{Body, Bytes};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use futures::TryStreamExt;
use sqlx::any::{AnyArguments, AnyRow};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

/// Bytes gathered before a chunk is sent; with the channel's bound this caps memory.
const CHUNK: usize = 32 * 1024;

/// A row of an export, as the cells of its CSV record.
pub trait CsvRecord: for<'r> sqlx::FromRow<'r, AnyRow> + Send + Unpin + 'static {
    fn cells(self) -> Vec<String>;
}

/// The answer to an export request from someone not signed in.
pub fn sign_in_first() -> Response {
    (StatusCode::UNAUTHORIZED, "Please sign in.").into_response()
}

/// A CSV attachment named `name-YYYY-MM-DD.csv`.
pub fn attachment(name: &str, body: Body) -> Response {
    let filename = format!("{name}-{}.csv", chrono::Utc::now().format("%Y-%m-%d"));
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// A body fed by a task that reads the rows of `sql` as they come and sends
/// them in chunks. If the client goes away, the task stops at its next send.
pub fn stream<R: CsvRecord>(
    db: Db,
    sql: String,
    args: AnyArguments<'static>,
    header: &'static [&'static str],
) -> Body {
    let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(8);
    tokio::spawn(async move {
        let mut rows = sqlx::query_as_with::<_, R, _>(&sql, args).fetch(&db.pool);
        let mut buffer = csv_row(header);
        loop {
            match rows.try_next().await {
                Ok(Some(record)) => {
                    let cells = record.cells();
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
                    tracing::error!(%err, "export failed");
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
pub fn csv_row<S: AsRef<str>>(cells: &[S]) -> String {
    let mut line = cells
        .iter()
        .map(|c| csv_cell(c.as_ref()))
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
