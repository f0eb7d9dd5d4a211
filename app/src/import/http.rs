//! The two import routes that are not server functions: the file's upload (a
//! multipart form, larger than any other request may be) and the download of the
//! rows an import refused, as CSV with a Reason column.

use super::store::jobs;
use super::ImportKind;
use crate::error::{AppError, AppResult};
use crate::export::{attachment, csv_row, failed, sign_in_first};
use crate::ids::ImportId;
use crate::import::source::Reading;
use crate::state::{AppState, RequestViewer};
use axum::body::{Body, Bytes};
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use futures::StreamExt as _;
use tempfile::NamedTempFile;
use tokio::io::AsyncWriteExt as _;

/// The page that uploads, and shows an upload's error.
pub const PAGE: &str = "/import";
/// Where the page's form posts the file.
pub const UPLOAD: &str = "/import/upload";

/// `POST /import/upload` (`kind`, `file`): keeps the file as a new import and goes
/// to its mapping page. A file that cannot be read is refused whole, with why.
pub async fn upload(
    State(state): State<AppState>,
    Extension(RequestViewer(viewer)): Extension<RequestViewer>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let Some(viewer) = viewer else {
        return sign_in_first();
    };
    let kept = async {
        let (kind, file_name, file) = received(multipart?, state.upload_limit).await?;
        jobs::create(&state.db, &viewer, kind, &file_name, file.path(), Reading::default()).await
    };
    match kept.await {
        Ok(id) => Redirect::to(&format!("{PAGE}/{id}")).into_response(),
        Err(error) if error.status() >= 500 => failed(&error),
        Err(error) if wants_page(&headers) => {
            let query = form_urlencoded::Serializer::new(String::new())
                .append_pair("error", &said(&error))
                .finish();
            Redirect::to(&format!("{PAGE}?{query}")).into_response()
        }
        Err(error) => {
            let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
            (status, said(&error)).into_response()
        }
    }
}

/// What an upload's error says to the person: its messages, without field names.
fn said(error: &AppError) -> String {
    match error {
        AppError::Invalid(fields) => {
            fields.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join(" ")
        }
        other => other.to_string(),
    }
}

/// A browser's form post (it is shown the upload page again with the error).
fn wants_page(headers: &HeaderMap) -> bool {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or_default();
    accept.contains("text/html")
}

impl From<MultipartRejection> for AppError {
    fn from(rejection: MultipartRejection) -> Self {
        AppError::invalid(
            "file",
            format!("The upload could not be read: {}", rejection.body_text()),
        )
    }
}

/// The form's kind and file, the file written to a temporary file as it arrives, up
/// to `limit` bytes.
async fn received(
    mut form: Multipart,
    limit: usize,
) -> AppResult<(ImportKind, String, NamedTempFile)> {
    let disk = |e: std::io::Error| AppError::internal("an upload could not be kept on disk", e);
    let too_large = || {
        AppError::invalid(
            "file",
            format!("The file is larger than {} MB, the most Kith accepts.", limit / (1024 * 1024)),
        )
    };
    let broken = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            AppError::invalid("file", format!("The upload was cut off: {}", e.body_text()))
        }
    };
    let (mut kind, mut file) = (None, None);
    while let Some(mut field) = form.next_field().await.map_err(broken)? {
        match field.name() {
            Some("kind") => {
                let text = field.text().await.map_err(broken)?;
                kind = Some(text.parse::<ImportKind>().map_err(|e| AppError::Invalid(vec![e]))?);
            }
            Some("file") => {
                let name = field.file_name().unwrap_or("file").to_owned();
                let temp = NamedTempFile::new().map_err(disk)?;
                let mut out = tokio::fs::File::from_std(temp.reopen().map_err(disk)?);
                let mut size = 0;
                while let Some(chunk) = field.chunk().await.map_err(broken)? {
                    size += chunk.len();
                    if size > limit {
                        return Err(too_large());
                    }
                    out.write_all(&chunk).await.map_err(disk)?;
                }
                out.flush().await.map_err(disk)?;
                file = Some((name, temp, size));
            }
            _ => {}
        }
    }
    let kind = kind.ok_or_else(|| AppError::invalid("kind", "Choose what the file holds."))?;
    match file {
        Some((name, temp, size)) if size > 0 => Ok((kind, name, temp)),
        Some(_) => Err(AppError::invalid("file", "The file is empty.")),
        None => Err(AppError::invalid("file", "Choose a file to import.")),
    }
}

/// Rejected rows read per query.
const PAGE_ROWS: i64 = 5_000;

/// `GET /import/{id}/rejected.csv`: the refused rows with the file's header and a
/// Reason column, ready to fix and import again.
pub async fn rejected(
    State(state): State<AppState>,
    Extension(RequestViewer(viewer)): Extension<RequestViewer>,
    Path(id): Path<String>,
) -> Response {
    let Some(viewer) = viewer else {
        return sign_in_first();
    };
    let id = ImportId::from(id);
    let job = match state.db.pool.acquire().await.map_err(AppError::from) {
        Ok(mut conn) => jobs::get(&mut conn, &viewer, &id).await,
        Err(error) => Err(error),
    };
    let job = match job {
        Ok(job) => job,
        Err(error) => return failed(&error),
    };
    let mut header = job.head.headers.clone();
    header.push("Reason".to_owned());
    let width = job.head.headers.len();
    let first = Bytes::from(csv_row(&header));
    let db = state.db.clone();
    let pages = futures::stream::unfold(Some(0_i64), move |after| {
        let (db, id) = (db.clone(), id.clone());
        async move {
            let after = after?;
            let rows = match db.pool.acquire().await {
                Ok(mut conn) => jobs::rejects(&mut conn, &id, after, PAGE_ROWS).await,
                Err(error) => Err(error.into()),
            };
            let rows = match rows {
                Ok(rows) => rows,
                Err(error) => return Some((Err(std::io::Error::other(error.to_string())), None)),
            };
            let last = rows.last().map(|(row, ..)| *row)?;
            let mut text = String::new();
            for (_, mut cells, reason) in rows {
                cells.resize(width, String::new());
                cells.push(reason);
                text.push_str(&csv_row(&cells));
            }
            Some((Ok(Bytes::from(text)), Some(last)))
        }
    });
    // Fused: the body may be polled again after its end.
    let body = futures::stream::iter([Ok(first)]).chain(pages).fuse();
    let stem = job.file_name.rsplit_once('.').map_or(job.file_name.as_str(), |(stem, _)| stem);
    let stem: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .collect();
    attachment(&format!("{stem}-rejected"), Body::from_stream(body))
}
