//! `POST /forms/{key}`: a visitor's post from a form on any website — a plain HTML
//! form (`application/x-www-form-urlencoded`) or JSON — becomes a lead. CORS is
//! open on this route only (no credentials are ever read). A post that fills the
//! honeypot field is thanked and dropped; each address may post 5 times in 10
//! minutes to a form and a form takes 300 posts an hour, counted in the database.
//! An HTML post is sent on to the form's thank-you page (or shown a short one); a
//! JSON post gets JSON.

use super::store;
use super::{FormField, HONEYPOT};
use crate::auth::session::ClientInfo;
use crate::auth::Checked;
use crate::error::AppError;
use crate::leads::{LeadDraft, LeadForm, LeadStatus};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Extension, Json, Router};
use std::collections::HashMap;

/// The largest post taken, in bytes.
pub const BODY_MAX: usize = 16 * 1024;
const PER_ADDRESS: (i64, i64) = (5, 10 * 60 * 1000);
const PER_FORM: (i64, i64) = (300, 60 * 60 * 1000);

/// The public route, relative to the site's root.
pub fn routes() -> Router<AppState> {
    let route = post(submit).options(preflight).layer(DefaultBodyLimit::max(BODY_MAX));
    Router::new().route(&format!("{}/{{key}}", super::PUBLIC_PATH), route)
}

/// Any origin may post; nothing it sends is a credential.
fn open_to_all(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("POST, OPTIONS"));
    headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("content-type"));
    headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
    response
}

async fn preflight() -> Response {
    open_to_all(StatusCode::NO_CONTENT.into_response())
}

/// How the visitor's page sent the post, and so how it is answered.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sent {
    Json,
    Html,
}

async fn submit(
    State(state): State<AppState>,
    Path(key): Path<String>,
    client: Option<Extension<ClientInfo>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let content_type =
        headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let sent = if content_type.starts_with("application/json") { Sent::Json } else { Sent::Html };
    let address = client.map_or_else(|| "unknown".to_owned(), |Extension(c)| c.address);
    let answer = match take(&state, &key, &address, content_type, &body).await {
        Ok(redirect) => thanks(sent, redirect),
        Err(error) => refusal(sent, error),
    };
    open_to_all(answer)
}

/// Reads, checks, limits and lands one post (or drops a robot's); where to send
/// the visitor.
async fn take(
    state: &AppState,
    key: &str,
    address: &str,
    content_type: &str,
    body: &[u8],
) -> Result<Option<String>, AppError> {
    if body.len() > BODY_MAX {
        return Err(AppError::BadRequest(
            "The form sent more than Kith takes from a web form.".into(),
        ));
    }
    let fields = read_fields(content_type, body)?;
    let mut conn = state.db.pool.acquire().await?;
    let form = store::taking(&mut conn, key).await?;
    let by_address = format!("address:{}:{address}", form.id);
    let within = store::count_post(&mut conn, &by_address, PER_ADDRESS.1, PER_ADDRESS.0).await?
        && store::count_post(&mut conn, &format!("form:{}", form.id), PER_FORM.1, PER_FORM.0)
            .await?;
    drop(conn);
    if !within {
        return Err(AppError::TooManyRequests(
            "Too many posts from here just now. Please try again in a few minutes.".into(),
        ));
    }
    if fields.get(HONEYPOT).is_some_and(|v| !v.trim().is_empty()) {
        return Ok(form.redirect_url);
    }
    let taken = |field: FormField| match form.fields.contains(&field) {
        true => fields.get(field.as_str()).cloned().unwrap_or_default(),
        false => String::new(),
    };
    let lead = LeadForm {
        name: taken(FormField::Name),
        email: taken(FormField::Email),
        phone: taken(FormField::Phone),
        company: taken(FormField::Company),
        source: String::new(),
        status: LeadStatus::New.as_str().to_owned(),
        notes: taken(FormField::Message),
    };
    let draft = LeadDraft::checked(&lead)?;
    state.db.write(async |tx| store::land(tx, &form, &draft).await).await?;
    Ok(form.redirect_url)
}

/// The post's fields: form-encoded, or a JSON object of strings.
fn read_fields(content_type: &str, body: &[u8]) -> Result<HashMap<String, String>, AppError> {
    let unreadable = || {
        AppError::BadRequest(
            "Send the form's fields form-encoded or as a JSON object of strings.".into(),
        )
    };
    if content_type.starts_with("application/json") {
        let object: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(body).map_err(|_| unreadable())?;
        return object
            .into_iter()
            .map(|(k, v)| match v {
                serde_json::Value::String(s) => Ok((k, s)),
                serde_json::Value::Null => Ok((k, String::new())),
                _ => Err(unreadable()),
            })
            .collect();
    }
    if content_type.is_empty()
        || content_type.starts_with("application/x-www-form-urlencoded")
        || content_type.starts_with("text/plain")
    {
        return Ok(form_urlencoded::parse(body).into_owned().collect());
    }
    Err(AppError::BadRequest("Kith takes a web form's fields form-encoded or as JSON.".into()))
}

fn thanks(sent: Sent, redirect: Option<String>) -> Response {
    match (sent, redirect) {
        // The same answer whatever became of it: a visitor learns neither whether the
        // email was known nor whether the post was taken for a robot's.
        (Sent::Json, _) => {
            (StatusCode::CREATED, Json(serde_json::json!({ "received": true }))).into_response()
        }
        (Sent::Html, Some(url)) => Redirect::to(&url).into_response(),
        (Sent::Html, None) => page(
            StatusCode::OK,
            "Thank you",
            "<p>Thank you — we received your message and will be in touch.</p>",
        ),
    }
}

fn refusal(sent: Sent, error: AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
    if sent == Sent::Json {
        let errors = match &error {
            AppError::Invalid(fields) => fields.clone(),
            _ => Vec::new(),
        };
        return (status, Json(serde_json::json!({ "error": error.to_string(), "errors": errors })))
            .into_response();
    }
    let detail = match &error {
        AppError::Invalid(fields) => fields
            .iter()
            .map(|f| format!("<li>{}: {}</li>", escape(&f.field), escape(&f.message)))
            .collect::<String>(),
        other => format!("<li>{}</li>", escape(&other.to_string())),
    };
    let body = format!("<ul>{detail}</ul><p>Go back, correct the form and send it again.</p>");
    page(status, "The form could not be sent", &body)
}

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title></head>\
         <body><main><h1>{title}</h1>{body}</main></body></html>"
    );
    (status, Html(html)).into_response()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
