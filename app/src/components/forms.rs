//! Form controls with their field errors, the form-level error, and a submit button that waits while its action runs.

use super::*;
use crate::fields::Choice;
use leptos::server_fn::client::browser::BrowserClient;
use leptos::server_fn::codec::{Json, PostUrl};
use leptos::server_fn::{Http, ServerFn};

/// A server function that a page's `<form>` posts to and that answers nothing
/// but its errors: every create, save, archive and assign in Kith.
pub trait FormAction:
    ServerFn<Protocol = Http<PostUrl, Json>, Client = BrowserClient, Output = (), Error = AppError>
    + serde::de::DeserializeOwned
    + Clone
    + Send
    + Sync
    + 'static
{
}

impl<S> FormAction for S where
    S: ServerFn<
            Protocol = Http<PostUrl, Json>,
            Client = BrowserClient,
            Output = (),
            Error = AppError,
        > + serde::de::DeserializeOwned
        + Clone
        + Send
        + Sync
        + 'static
{
}

/// A panel holding one form: its heading, the form's error that is not about a field, and
/// the form (`children`: its fields and buttons).
#[component]
pub fn FormPanel<A: FormAction>(
    /// Names the panel's heading, `{id}-title`.
    id: &'static str,
    title: &'static str,
    action: ServerAction<A>,
    error: Signal<Option<AppError>>,
    children: Children,
) -> impl IntoView {
    view! {
        <Panel id=id title=title error=error>
            <ActionForm action=action attr:class="form-stack form-narrow" attr:novalidate=true>
                {children()}
            </ActionForm>
        </Panel>
    }
}

/// A form that posts one record's `id` with one button (`children`: its label), such as
/// Restore or Deactivate.
#[component]
pub fn IdButton<A: FormAction>(
    action: ServerAction<A>,
    #[prop(into)] id: String,
    class: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <ActionForm action=action>
            <input type="hidden" name="id" value=id/>
            <Submit pending=action.pending() class=class>{children()}</Submit>
        </ActionForm>
    }
}

/// A panel of a page: its heading, an error that is not about a field, and `children`.
#[component]
pub fn Panel(
    /// Names the panel's heading, `{id}-title`.
    id: &'static str,
    title: &'static str,
    error: Signal<Option<AppError>>,
    children: Children,
) -> impl IntoView {
    let heading = format!("{id}-title");
    view! {
        <section class="panel" aria-labelledby=heading.clone()>
            <h2 id=heading.clone()>{title}</h2>
            <FormError error=error/>
            {children()}
        </section>
    }
}

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
    /// Tells the field apart when two forms on one page have a field of this name.
    #[prop(optional)]
    form: Option<&'static str>,
) -> impl IntoView {
    let mut ids = FieldIds::new(name, error);
    if let Some(form) = form {
        ids = ids.in_form(form);
    }
    let input = view! {
        <input {..ids.control()} type=kind autocomplete=autocomplete required=required value=value/>
    };
    ids.labelled(label, input)
}

/// The ids, ARIA wiring and error message that tie a form control to its field error.
#[derive(Clone)]
struct FieldIds {
    name: &'static str,
    input: String,
    error_id: String,
    error: Signal<Option<AppError>>,
}

impl FieldIds {
    fn new(name: &'static str, error: Signal<Option<AppError>>) -> Self {
        let input = format!("field-{name}");
        Self { name, error_id: format!("{input}-error"), input, error }
    }

    fn in_form(self, form: &str) -> Self {
        let input = format!("field-{form}-{}", self.name);
        Self { error_id: format!("{input}-error"), input, ..self }
    }

    fn message(&self) -> impl Fn() -> Option<String> + Clone + Send + Sync + 'static {
        let (error, name) = (self.error, self.name);
        move || error.get().and_then(|e| e.field_message(name))
    }

    fn invalid(&self) -> impl Fn() -> &'static str + Send + Sync + 'static {
        let message = self.message();
        move || if message().is_some() { "true" } else { "false" }
    }

    fn described_by(&self) -> impl Fn() -> Option<String> + Send + Sync + 'static {
        let (message, error_id) = (self.message(), self.error_id.clone());
        move || message().map(|_| error_id.clone())
    }

    /// The attributes of the control itself: its id, name, style and error wiring.
    fn control(&self) -> impl leptos::attr::Attribute {
        view! {
            <{..} id=self.input.clone() name=self.name class="field-input"
                aria-invalid=self.invalid() aria-describedby=self.described_by()/>
        }
    }

    /// The control in its field, with its label above and its error message below.
    fn labelled(&self, label: &'static str, control: impl IntoView) -> impl IntoView {
        view! {
            <div class="field">
                <label for=self.input.clone() class="field-label">{label}</label>
                {control}
                {self.message_view()}
            </div>
        }
    }

    fn message_view(&self) -> impl IntoView {
        let (message, error_id) = (self.message(), self.error_id.clone());
        let when = message.clone();
        view! {
            <Show when=move || when().is_some()>
                <p id=error_id.clone() class="field-error">{message.clone()}</p>
            </Show>
        }
    }
}

/// The form-level message of an error that is not about one field; `about`
/// names fields with no input of their own (ticked rows), whose messages show here.
#[component]
pub fn FormError(
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional)] about: &'static [&'static str],
) -> impl IntoView {
    let message = move || {
        error.get().map(|e| match e {
            AppError::Invalid(fields) => {
                fields.iter().find(|f| about.contains(&f.field.as_str())).map_or_else(
                    || "Please correct the fields marked below.".to_owned(),
                    |f| f.message.clone(),
                )
            }
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

/// A form's submit button. Inside an island it is disabled while its action runs; on a
/// server-rendered page `enhance` does the same. Without JavaScript it is a plain button.
#[component]
pub fn Submit(
    #[prop(into)] pending: Signal<bool>,
    #[prop(default = "btn btn-primary")] class: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <button
            type="submit"
            class=class
            disabled=move || pending.get()
            aria-busy=move || pending.get().then_some("true")
        >
            {children()}
        </button>
    }
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
    let ids = FieldIds::new(name, error);
    let textarea = view! {
        <textarea {..ids.control()} rows=rows maxlength=max_chars>{raw_text_content(&value)}</textarea>
    };
    ids.labelled(label, textarea)
}

/// Text for a raw-text element (`<textarea>`): escaped on the server only.
fn raw_text_content(text: &str) -> String {
    if cfg!(feature = "ssr") {
        text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
    } else {
        text.to_owned()
    }
}

/// After a save refused because someone else saved first, a link that loads
/// the record as it is now.
#[component]
pub fn ReloadAfterConflict(
    error: Signal<Option<AppError>>,
    what: &'static str,
    href: String,
) -> impl IntoView {
    view! {
        <Show when=move || error.get().is_some_and(|e| matches!(e, AppError::Conflict(_) | AppError::Stale(_)))>
            <p><a href=href.clone() rel="external">{format!("Reload this {what}")}</a></p>
        </Show>
    }
}

/// A form's labelled `<select>` of a choice (a status, a priority), `selected` chosen.
#[component]
pub fn ChoiceField<C: Choice>(
    name: &'static str,
    label: &'static str,
    selected: C,
) -> impl IntoView {
    let id = format!("field-{name}");
    view! {
        <div class="field">
            <label for=id.clone() class="field-label">{label}</label>
            <select id=id name=name class="field-input">
                <ChoiceOptions selected=selected/>
            </select>
        </div>
    }
}

/// The `<option>`s of a choice, `selected` chosen.
#[component]
pub fn ChoiceOptions<C: Choice>(selected: C) -> impl IntoView {
    C::VARIANTS
        .iter()
        .copied()
        .map(|c| view! { <option value=c.as_str() selected=c == selected>{c.label()}</option> })
        .collect_view()
}
