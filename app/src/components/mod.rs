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
    #[prop(optional, into)] value: Option<String>,
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
