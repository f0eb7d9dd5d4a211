//! CSV downloads of lists: streamed row by row, so 100k records never sit in
//! memory at once, with cells a spreadsheet shows as text.

use crate::auth::policy::RecordScope;
use crate::db::{Backend, Db};
use crate::list::{Filters, Query};
use crate::state::{AppState, RequestViewer};
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use futures::TryStreamExt;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::Row as _;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

/// Bytes gathered before a chunk is sent; with the channel's bound this caps memory.
const CHUNK: usize = 32 * 1024;

/// One column of an export: its heading, the SQL expression it reads, and how
/// its cell is written.
pub struct Column {
    heading: &'static str,
    sql: &'static str,
    cell: Cell,
}

enum Cell {
    Text,
    /// Epoch milliseconds, written as a UTC time.
    Time,
    /// A stored value written as its label (a status's name).
    Label(fn(&str) -> Option<&'static str>),
}

impl Column {
    pub const fn text(heading: &'static str, sql: &'static str) -> Self {
        Self { heading, sql, cell: Cell::Text }
    }

    pub const fn time(heading: &'static str, sql: &'static str) -> Self {
        Self { heading, sql, cell: Cell::Time }
    }

    pub const fn label(
        heading: &'static str,
        sql: &'static str,
        label: fn(&str) -> Option<&'static str>,
    ) -> Self {
        Self { heading, sql, cell: Cell::Label(label) }
    }

    fn read(&self, row: &AnyRow, index: usize) -> Result<String, sqlx::Error> {
        Ok(match self.cell {
            Cell::Text => row.try_get(index)?,
            Cell::Time => chrono::DateTime::from_timestamp_millis(row.try_get(index)?)
                .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default(),
            Cell::Label(label) => {
                let stored: String = row.try_get(index)?;
                label(&stored).map_or(stored, str::to_owned)
            }
        })
    }
}

/// A list that downloads as CSV: the same search, filters, sort and scope as its page.
pub trait Export: Filters {
    /// The file's name before its date, e.g. `leads`.
    const NAME: &'static str;
    const COLUMNS: &'static [Column];

    /// What follows `SELECT <columns>` for `query` in `scope`, only the records
    /// `ids` names when it names any: `FROM … WHERE … ORDER BY …` in the list's
    /// order, read from start to end (the sort order's index, not a search's).
    fn rows(
        backend: Backend,
        scope: &RecordScope,
        query: &Query<Self>,
        ids: &[String],
    ) -> (String, AnyArguments<'static>);
}

/// `GET /leads/export.csv?…` and the like: the list's query string, as a CSV
/// download. From the list's bulk bar (`selected=1`), the ticked records (`ids`)
/// or every record the list matches (`every`, its query string).
pub async fn download<E: Export>(
    State(state): State<AppState>,
    Extension(RequestViewer(viewer)): Extension<RequestViewer>,
    RawQuery(raw): RawQuery,
) -> Response {
    let Some(viewer) = viewer else {
        return sign_in_first();
    };
    let pairs = |raw: &str| -> Vec<(String, String)> {
        form_urlencoded::parse(raw.trim_start_matches('?').as_bytes()).into_owned().collect()
    };
    let mut params = pairs(raw.as_deref().unwrap_or_default());
    let value = |params: &[(String, String)], key: &str| {
        params.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    };
    let mut ids = Vec::new();
    if value(&params, "selected").is_some() {
        ids = params.iter().filter(|(k, _)| k == "ids").map(|(_, v)| v.clone()).collect();
        match value(&params, "every") {
            Some(every) => (params, ids) = (pairs(&every), Vec::new()),
            None if ids.is_empty() => {
                let message = "Tick the records to export first, or choose all that match.";
                return (StatusCode::UNPROCESSABLE_ENTITY, message).into_response();
            }
            None => {}
        }
    }
    let query = Query::<E>::from_params(|key| value(&params, key));
    let (rows, args) = E::rows(state.db.backend, &RecordScope::of(&viewer), &query, &ids);
    let columns = E::COLUMNS.iter().map(|c| c.sql).collect::<Vec<_>>().join(", ");
    let sql = format!("SELECT {columns} {rows}");
    match stream(state.db, sql, args, E::COLUMNS).await {
        Ok(body) => attachment(E::NAME, body),
        Err(err) => failed(&err),
    }
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
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// A body fed by a task that reads the rows of `sql` as they come and sends
/// them in chunks. If the client goes away, the task stops at its next send.
/// The first row is read before answering, so a query that fails answers 500
/// instead of a cut-off download.
pub async fn stream(
    db: Db,
    sql: String,
    args: AnyArguments<'static>,
    columns: &'static [Column],
) -> Result<Body, crate::error::AppError> {
    let (first_tx, first_rx) = tokio::sync::oneshot::channel::<Result<(), sqlx::Error>>();
    let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(8);
    tokio::spawn(async move {
        let mut rows = sqlx::query_with(&sql, args).fetch(&db.pool);
        let mut buffer = csv_row(&columns.iter().map(|c| c.heading).collect::<Vec<_>>());
        let mut first = Some(first_tx);
        loop {
            let next = rows.try_next().await.and_then(|row| {
                row.map(|row| {
                    let cells = columns.iter().enumerate().map(|(i, c)| c.read(&row, i));
                    cells.collect::<Result<Vec<_>, _>>()
                })
                .transpose()
            });
            if let Some(first) = first.take() {
                let outcome = match &next {
                    Ok(_) => Ok(()),
                    Err(err) => Err(sqlx::Error::Protocol(err.to_string())),
                };
                if first.send(outcome).is_err() {
                    return;
                }
            }
            match next {
                Ok(Some(cells)) => {
                    buffer.push_str(&csv_row(&cells));
                    if buffer.len() >= CHUNK
                        && tx.send(Ok(Bytes::from(std::mem::take(&mut buffer)))).await.is_err()
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
    match first_rx.await {
        Ok(Ok(())) => Ok(Body::from_stream(ReceiverStream::new(rx))),
        Ok(Err(err)) => Err(crate::error::AppError::internal("export failed", err)),
        Err(err) => Err(crate::error::AppError::internal("export task ended", err)),
    }
}

/// The answer to an export whose query failed before any row was sent.
pub fn failed(err: &crate::error::AppError) -> Response {
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, err.to_string()).into_response()
}

/// One CSV record (RFC 4180: CRLF line ends, quotes doubled inside quoted cells).
pub fn csv_row<S: AsRef<str>>(cells: &[S]) -> String {
    let mut line = cells.iter().map(|c| csv_cell(c.as_ref())).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

/// A cell a spreadsheet reads back as the same text. One it would run as a
/// formula (starting with `= + - @`, a tab or a carriage return) gets a leading
/// apostrophe, except a signed number such as a phone number (`+1 555 0100`),
/// which is only quoted. Cells holding a separator (`,` or `;`), a quote or a
/// line break are quoted.
pub fn csv_cell(value: &str) -> String {
    let formula = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if formula && !is_signed_number(value) {
        return quoted(&format!("'{value}"));
    }
    if formula || value.contains([',', ';', '"', '\r', '\n']) {
        quoted(value)
    } else {
        value.to_owned()
    }
}

fn quoted(value: &str) -> String {
    format!("\"{}\"", value.replace('"', "\"\""))
}

/// `+1 555 0100`, `-42`, `+44 (20) 7946-0958`: a sign, then digits and the
/// separators phone numbers use, nothing a spreadsheet could call.
fn is_signed_number(value: &str) -> bool {
    value.strip_prefix(['+', '-']).is_some_and(|rest| {
        rest.starts_with(|c: char| c.is_ascii_digit())
            && rest
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '(' | ')' | '-' | '.' | '/'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts each cell is written as given: `(value, written)`.
    fn written(cases: &[(&str, &str)]) {
        for (value, cell) in cases {
            assert_eq!(csv_cell(value), *cell, "{value:?}");
        }
    }

    #[test]
    fn cells_are_quoted_the_rfc_4180_way() {
        written(&[
            ("Acme", "Acme"),
            ("Acme, Inc.", "\"Acme, Inc.\""),
            ("The \"best\"", "\"The \"\"best\"\"\""),
            ("two\nlines", "\"two\nlines\""),
        ]);
        assert_eq!(csv_row(&["a", "b"]), "a,b\r\n");
    }

    #[test]
    fn formulas_are_neutralised() {
        written(&[
            ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
            ("@SUM(A1)", "\"'@SUM(A1)\""),
            ("+1+cmd|' /C calc'!A0", "\"'+1+cmd|' /C calc'!A0\""),
            ("-2+3", "\"'-2+3\""),
            ("\tx", "\"'\tx\""),
            ("ana@example.com", "ana@example.com"),
        ]);
    }

    #[test]
    fn phone_numbers_and_signed_numbers_are_quoted_not_changed() {
        written(&[
            ("+1 555 0100", "\"+1 555 0100\""),
            ("+44 (20) 7946-0958", "\"+44 (20) 7946-0958\""),
            ("-2", "\"-2\""),
            ("555 0100", "555 0100"),
        ]);
    }

    #[test]
    fn cells_with_either_separator_read_back_as_they_were() {
        assert_eq!(csv_cell("a;b"), "\"a;b\"");
        for value in ["+1 555 0100", "=1+1", "a;b", "a,b", "say \"hi\"", "two\nlines", "-", "plain"]
        {
            let line = csv_row(&[value, "next"]);
            let mut reader =
                csv::ReaderBuilder::new().has_headers(false).from_reader(line.as_bytes());
            let record = reader.records().next().expect("a record").expect("valid CSV");
            let read = record.get(0).expect("a cell");
            assert_eq!(read.trim_start_matches('\''), value, "{line}");
        }
    }
}
