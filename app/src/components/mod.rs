//! UI pieces shared by every area.

use crate::error::AppError;
use leptos::prelude::*;

/// A labelled form input with its field-level error message underneath.
#[component]
pub fn Field(
    /// The form field's name, also used to pick its error message.
    name: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] value: String,
    /// The latest error of the form this field belongs to.
    #[prop(into)]
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let message = move || error.get().and_then(|e| e.field_message(name));
    let described_by = error_id.clone();
    view! {
        <div class="field">
            <label for=id.clone() class="field-label">{label}</label>
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                required=required
                value=value
                class="field-input"
                aria-invalid=move || if message().is_some() { "true" } else { "false" }
                aria-describedby=move || message().map(|_| described_by.clone())
            />
            <Show when=move || message().is_some()>
                <p id=error_id.clone() class="field-error">{message}</p>
            </Show>
        </div>
    }
}

/// The form-level message of an error that is not about one field.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let message = move || {
        error.get().map(|e| match e {
            AppError::Invalid(_) => "Please correct the fields marked below.".to_owned(),
            other => other.to_string(),
        })
    };
    view! {
        <Show when=move || message().is_some()>
            <div class="form-error" role="alert">{message}</div>
        </Show>
    }
}

/// The error carried by a server action's latest result.
pub fn action_error<T, S>(value: S) -> Signal<Option<AppError>>
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || value.get().and_then(|r| r.err()))
}

/// Previous/next links and "page X of Y" for a paginated list.
#[component]
pub fn Pagination(
    page: u32,
    page_count: u32,
    total: i64,
    /// The link to a given page of the same list.
    href: impl Fn(u32) -> String + Send + Sync + 'static,
) -> impl IntoView {
    let previous = (page > 1).then(|| href(page - 1));
    let next = (page < page_count).then(|| href(page + 1));
    view! {
        <nav class="pagination" aria-label="Pages">
            <span class="muted">{format!("Page {page} of {page_count} · {total} in all")}</span>
            {previous.map(|href| view! { <a class="btn btn-quiet" href=href rel="prev">"Previous"</a> })}
            {next.map(|href| view! { <a class="btn btn-quiet" href=href rel="next">"Next"</a> })}
        </nav>
    }
}

/// A date and time from UTC epoch milliseconds, as `YYYY-MM-DD HH:MM` (UTC).
pub fn format_time(epoch_ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(epoch_ms)
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

/// The document title, as "`text` · Kith". leptos_meta writes `<title>` text
/// unescaped during server rendering, so angle brackets from user data (a
/// lead's name) are dropped here rather than allowed to close the element.
#[component]
pub fn PageTitle(#[prop(into)] text: String) -> impl IntoView {
    let safe: String = text.chars().filter(|c| !matches!(c, '<' | '>')).collect();
    view! { <leptos_meta::Title text=format!("{safe} · Kith")/> }
}

/// A labelled multi-line text field with its error message. Leptos writes a
/// `<textarea>`'s text unescaped during server rendering, so it is escaped
/// here; the browser decodes it back, and client rendering needs no escaping.
#[component]
pub fn TextArea(
    name: &'static str,
    label: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(default = 4)] rows: u32,
    max_chars: usize,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let message = move || error.get().and_then(|e| e.field_message(name));
    let described_by = error_id.clone();
    view! {
        <div class="field">
            <label for=id.clone() class="field-label">{label}</label>
            <textarea
                id=id
                name=name
                rows=rows
                maxlength=max_chars
                class="field-input"
                aria-invalid=move || if message().is_some() { "true" } else { "false" }
                aria-describedby=move || message().map(|_| described_by.clone())
            >
                {raw_text_content(&value)}
            </textarea>
            <Show when=move || message().is_some()>
                <p id=error_id.clone() class="field-error">{message}</p>
            </Show>
        </div>
    }
}

/// Text for a raw-text element (`<textarea>`): escaped on the server only.
fn raw_text_content(text: &str) -> String {
    if cfg!(feature = "ssr") {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    } else {
        text.to_owned()
    }
}
