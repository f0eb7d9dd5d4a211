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
    /// Tells the field apart when two forms on one page have a field of this name.
    #[prop(optional)]
    form: Option<&'static str>,
) -> impl IntoView {
    let mut ids = FieldIds::new(name, error);
    if let Some(form) = form {
        ids = ids.in_form(form);
    }
    view! {
        <div class="field">
            <label for=ids.input.clone() class="field-label">{label}</label>
            <input
                id=ids.input.clone()
                name=name
                type=kind
                autocomplete=autocomplete
                required=required
                value=value
                class="field-input"
                aria-invalid=ids.invalid()
                aria-describedby=ids.described_by()
            />
            {ids.message_view()}
        </div>
    }
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
        Self {
            name,
            error_id: format!("{input}-error"),
            input,
            error,
        }
    }

    fn in_form(self, form: &str) -> Self {
        let input = format!("field-{form}-{}", self.name);
        Self {
            error_id: format!("{input}-error"),
            input,
            ..self
        }
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
            AppError::Invalid(fields) => fields
                .iter()
                .find(|f| about.contains(&f.field.as_str()))
                .map_or_else(
                    || "Please correct the fields marked below.".to_owned(),
                    |f| f.message.clone(),
                ),
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

/// A form the page keeps after its action succeeds (a note, a password), made
/// empty again then, so its text is not sent a second time by mistake.
pub fn clear_on_success<T, S>(value: S) -> NodeRef<leptos::html::Form>
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if matches!(value.get(), Some(Ok(_))) {
            if let Some(form) = form.get_untracked() {
                form.reset();
            }
        }
    });
    form
}

/// Previous/next links and "page X of Y" for a paginated list.
#[component]
pub fn Pagination(
    page: u32,
    page_count: u32,
    total: i64,
    /// The link to a given page of the same list.
    href: impl Fn(u32) -> String + Send + Sync + 'static,
    /// Counting stopped at `total`: there are more, and more pages.
    #[prop(optional)]
    more: bool,
) -> impl IntoView {
    let previous = (page > 1).then(|| href(page - 1));
    let next = (page < page_count || more).then(|| href(page + 1));
    let summary = if more {
        format!("Page {page} of {page_count}+ · more than {total} in all")
    } else {
        format!("Page {page} of {page_count} · {total} in all")
    };
    view! {
        <nav class="pagination" aria-label="Pages">
            <span class="muted">{summary}</span>
            {previous.map(|href| view! { <a class="btn btn-quiet" href=href rel="prev">"Previous"</a> })}
            {next.map(|href| view! { <a class="btn btn-quiet" href=href rel="next">"Next"</a> })}
        </nav>
    }
}

/// A date and time from UTC epoch milliseconds, as `YYYY-MM-DD HH:MM` on the
/// organisation's clock (the page's organisation; UTC outside a signed-in page).
pub fn format_time(epoch_ms: i64) -> String {
    let zone = crate::shell::use_organisation()
        .map(|o| o.with_untracked(|o| o.time_zone.clone()))
        .unwrap_or_else(|| "UTC".to_owned());
    format_time_in(&zone, epoch_ms)
}

/// A date and time from UTC epoch milliseconds, as `YYYY-MM-DD HH:MM` in the
/// IANA zone `zone` (unknown zones: UTC). The server uses chrono-tz; the browser
/// asks its own `Intl` time zone data, which keeps the zone tables out of the
/// WebAssembly bundle.
pub fn format_time_in(zone: &str, epoch_ms: i64) -> String {
    #[cfg(feature = "ssr")]
    {
        let zone: chrono_tz::Tz = zone.parse().unwrap_or(chrono_tz::Tz::UTC);
        chrono::DateTime::from_timestamp_millis(epoch_ms)
            .map(|t| t.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        browser_time(zone, epoch_ms).unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        let _ = zone;
        chrono::DateTime::from_timestamp_millis(epoch_ms)
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default()
    }
}

/// `YYYY-MM-DD HH:MM` in `zone` through `Intl.DateTimeFormat`.
#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
fn browser_time(zone: &str, epoch_ms: i64) -> Option<String> {
    use js_sys::{Array, Date, Intl, Object, Reflect};
    use wasm_bindgen::JsValue;
    let options = Object::new();
    for (key, value) in [
        ("timeZone", zone),
        ("year", "numeric"),
        ("month", "2-digit"),
        ("day", "2-digit"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
        ("hourCycle", "h23"),
    ] {
        Reflect::set(&options, &key.into(), &value.into()).ok()?;
    }
    let format = Intl::DateTimeFormat::new(&Array::of1(&"en-US".into()), &options);
    let parts = format.format_to_parts(&Date::new(&JsValue::from_f64(epoch_ms as f64)));
    let part = |kind: &str| {
        parts.iter().find_map(|p| {
            let is_kind = Reflect::get(&p, &"type".into()).ok()?.as_string()? == kind;
            is_kind
                .then(|| Reflect::get(&p, &"value".into()).ok()?.as_string())
                .flatten()
        })
    };
    Some(format!(
        "{}-{}-{} {}:{}",
        part("year")?,
        part("month")?,
        part("day")?,
        part("hour")?,
        part("minute")?
    ))
}

/// The document title, as "`text` · Kith". leptos_meta writes `<title>` text
/// unescaped during server rendering, so angle brackets from user data (a
/// lead's name) are dropped here rather than allowed to close the element.
/// A form's submit button, disabled while its action runs, so a second click
/// or Enter cannot send the form twice. Without JavaScript it is a plain button.
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
    let ids = FieldIds::new(name, error);
    view! {
        <div class="field">
            <label for=ids.input.clone() class="field-label">{label}</label>
            <textarea
                id=ids.input.clone()
                name=name
                rows=rows
                maxlength=max_chars
                class="field-input"
                aria-invalid=ids.invalid()
                aria-describedby=ids.described_by()
            >
                {raw_text_content(&value)}
            </textarea>
            {ids.message_view()}
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

/// How a team picker starts: with an empty choice that is a valid answer
/// ("Everyone" in a filter) or a prompt that must be replaced.
#[derive(Clone, Copy)]
pub enum EmptyChoice {
    None,
    Allowed(&'static str),
    Prompt(&'static str),
}

/// The active team members, loaded once by a page for its pickers.
pub type Team = Resource<Result<Vec<crate::users::api::TeamMember>, AppError>>;

/// Loads the team. Call it when the page is set up, never inside a
/// `<Suspense>` that has already resolved: server rendering waits only for the
/// resources that exist when it starts waiting.
pub fn load_team() -> Team {
    Resource::new(|| (), |_| crate::users::api::team_members())
}

/// A select of the active team members (admins only), e.g. an assignee or an agent filter.
#[component]
pub fn TeamSelect(
    team: Team,
    id: &'static str,
    name: &'static str,
    label: &'static str,
    selected: Option<String>,
    #[prop(default = EmptyChoice::None)] empty_choice: EmptyChoice,
    /// A member left out (the user being deleted, when choosing who receives their records).
    #[prop(optional)]
    except: Option<String>,
) -> impl IntoView {
    let required = matches!(empty_choice, EmptyChoice::Prompt(_));
    let options = move |members: Vec<crate::users::api::TeamMember>| {
        let first = match empty_choice {
            EmptyChoice::None => None,
            EmptyChoice::Allowed(text) => {
                Some(view! { <option value="">{text}</option> }.into_any())
            }
            EmptyChoice::Prompt(text) => Some(
                view! { <option value="" selected=true disabled=true>{text}</option> }.into_any(),
            ),
        };
        let selected = selected.clone();
        let members = members
            .into_iter()
            .filter(|m| except.as_deref() != Some(m.id.as_str()))
            .map(|m| {
                let is_selected = selected.as_deref() == Some(m.id.as_str());
                view! { <option value=m.id selected=is_selected>{m.name}</option> }
            })
            .collect_view();
        view! {
            <div class="field">
                <label for=id class="field-label">{label}</label>
                <select id=id name=name class="field-input" required=required>{first}{members}</select>
            </div>
        }
    };
    view! {
        <Suspense>
            {move || team.get().and_then(Result::ok).map(options.clone())}
        </Suspense>
    }
}

/// A sortable column's header: a link that sorts by it (or flips the direction),
/// with `aria-sort` saying how the list is sorted now.
#[component]
pub fn SortHeader(
    label: &'static str,
    active: bool,
    descending: bool,
    href: String,
) -> impl IntoView {
    let aria = match (active, descending) {
        (false, _) => "none",
        (true, true) => "descending",
        (true, false) => "ascending",
    };
    let arrow = active.then_some(if descending { " ↓" } else { " ↑" });
    view! {
        <th scope="col" aria-sort=aria>
            <a href=href>{label}{arrow}</a>
        </th>
    }
}

/// The "Per page" choice of a list's filter form.
#[component]
pub fn PerPageSelect(id: &'static str, selected: u32) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id class="field-label">"Per page"</label>
            <select id=id name="per_page" class="field-input">
                {crate::list::PER_PAGE_CHOICES.map(|n| view! {
                    <option value=n.to_string() selected=selected == n>{n.to_string()}</option>
                })}
            </select>
        </div>
    }
}

/// The hidden fields that keep a list's sort when its filter form is submitted.
#[component]
pub fn KeepSort(sort: &'static str, descending: bool, keep: bool) -> impl IntoView {
    keep.then(|| {
        view! {
            <input type="hidden" name="sort" value=sort/>
            <input type="hidden" name="dir" value=if descending { "desc" } else { "asc" }/>
        }
    })
}
