//! With JavaScript, every form that posts to a server function (`/api/…`) is sent in
//! place. Its buttons wait while it saves, so a second click cannot send it twice. Field
//! errors appear beside their fields, as [`super::Field`] shows them, and what was typed
//! stays. Success follows the function's redirect, or reloads the page so it shows the
//! change. Without JavaScript the same forms post and redirect as plain HTML; islands
//! that send their own forms stop the event first and are left alone. A list's "tick
//! all on this page" box ticks its rows (it is hidden without JavaScript). A record's
//! in-place form (`.inplace`) knows when it has changes (Save and Cancel show), and Esc
//! in one of its fields puts that field back. A `data-copy` button copies its text.

use super::send_to_sign_in;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::redirect::REDIRECT_HEADER;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlElement, HtmlFormElement, SubmitEvent};

/// Marks what this module added to a form, so the next try starts clean.
const ADDED: &str = "data-enhanced";

/// Listens for every form's submission on the page, and for the lists' "tick all".
pub fn install() {
    let on_submit = Closure::<dyn Fn(SubmitEvent)>::new(on_submit);
    let _ =
        document().add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
    on_submit.forget();
    listen("change", tick_all);
    listen("change", mark_changed);
    listen("input", mark_changed);
    listen("reset", |event| {
        if let Some(form) = inplace_form(&event) {
            let _ = form.remove_attribute(DIRTY);
        }
    });
    listen("keydown", put_field_back);
    listen("click", copy);
    // An island's own action shows its result in place (the board loads its columns
    // again), so the redirect a server function answers is for plain forms only.
    let _ = leptos::server_fn::redirect::set_redirect_hook(|_| {});
    // Tests and styles can tell that the page is live (after the islands, which hydrate next).
    set_timeout(
        || {
            if let Some(root) = document().document_element() {
                let _ = root.set_attribute("data-hydrated", "");
            }
            show_toast();
        },
        std::time::Duration::ZERO,
    );
}

fn listen(event: &str, handler: fn(web_sys::Event)) {
    let handler = Closure::<dyn Fn(web_sys::Event)>::new(handler);
    let _ = document().add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
    handler.forget();
}

/// Where the message of the last form sent waits for the page that follows.
const TOAST: &str = "kith-toast";
const TOAST_SHOWN: std::time::Duration = std::time::Duration::from_secs(5);

/// Keeps what the form sent to `action` did, for the page that follows.
fn keep_toast(action: &str) {
    if let (Some(message), Ok(Some(storage))) =
        (super::toast_for(action), window().session_storage())
    {
        let _ = storage.set_item(TOAST, &message);
    }
}

/// Shows the kept message in the layout's live region, once, for a few seconds.
fn show_toast() {
    let Ok(Some(storage)) = window().session_storage() else { return };
    let Some(message) = storage.get_item(TOAST).ok().flatten() else { return };
    let _ = storage.remove_item(TOAST);
    toast(&message);
}

/// Says `message` in the layout's live region for a few seconds.
fn toast(message: &str) {
    let Some(region) = document().get_element_by_id("toasts") else { return };
    let Ok(toast) = document().create_element("p") else { return };
    toast.set_class_name("toast");
    toast.set_text_content(Some(message));
    let _ = region.append_child(&toast);
    set_timeout(move || toast.remove(), TOAST_SHOWN);
}

fn on_submit(event: SubmitEvent) {
    if event.default_prevented() {
        return;
    }
    let Some(form) = event.target().and_then(|t| t.dyn_into::<HtmlFormElement>().ok()) else {
        return;
    };
    let action = form.get_attribute("action").unwrap_or_default();
    // A file upload (multipart) posts as the browser sends it.
    let multipart = form.enctype().eq_ignore_ascii_case("multipart/form-data");
    if !form.method().eq_ignore_ascii_case("post") || !action.starts_with("/api/") || multipart {
        return;
    }
    event.prevent_default();
    if form.has_attribute("aria-busy") {
        return;
    }
    let Some(body) = form_body(&form, event.submitter()) else {
        return;
    };
    set_busy(&form, true);
    clear_errors(&form);
    leptos::task::spawn_local(async move {
        match post(&action, &body).await {
            // Saved: what was typed is not kept by the browser for the page that follows.
            Ok(Sent::Redirect(to)) => {
                form.reset();
                keep_toast(&action);
                follow(&to);
            }
            Ok(Sent::Done) => {
                form.reset();
                keep_toast(&action);
                let _ = window().location().reload();
            }
            Err(error) if error.needs_sign_in() => send_to_sign_in(&error),
            Err(error) => {
                set_busy(&form, false);
                show_errors(&form, &error);
            }
        }
    });
}

/// Goes to `to`. A link to this page at an anchor (`#notes`) only scrolls, so then the
/// page loads again at that anchor, once.
fn follow(to: &str) {
    let location = window().location();
    let here = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    match to.split_once('#') {
        Some((page, anchor)) if page == here => {
            let _ = location.set_hash(anchor);
            let _ = location.reload();
        }
        _ => {
            let _ = location.assign(to);
        }
    }
}

/// The form's fields, and the button that sent it, URL-encoded as a plain form posts them.
fn form_body(form: &HtmlFormElement, submitter: Option<HtmlElement>) -> Option<String> {
    let data = web_sys::FormData::new_with_form(form).ok()?;
    let params = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).ok()?;
    if let Some(button) = submitter {
        if let Some(name) = button.get_attribute("name").filter(|n| !n.is_empty()) {
            params.append(&name, &button.get_attribute("value").unwrap_or_default());
        }
    }
    params.to_string().as_string()
}

enum Sent {
    Redirect(String),
    Done,
}

/// Posts `body` to the server function at `action`, as its own client does.
async fn post(action: &str, body: &str) -> Result<Sent, AppError> {
    let unreachable = |_| AppError::from_server_fn_error(ServerFnErrorErr::Request(String::new()));
    let headers = web_sys::Headers::new().map_err(unreachable)?;
    headers.set("Accept", "application/json").map_err(unreachable)?;
    headers.set("Content-Type", "application/x-www-form-urlencoded").map_err(unreachable)?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(body));
    let response = JsFuture::from(window().fetch_with_str_and_init(action, &init))
        .await
        .map_err(unreachable)?
        .unchecked_into::<web_sys::Response>();
    let header = |name: &str| response.headers().get(name).ok().flatten();
    if response.ok() {
        return Ok(match (header(REDIRECT_HEADER), header("location")) {
            (Some(_), Some(to)) => Sent::Redirect(to),
            _ => Sent::Done,
        });
    }
    let text = match response.text() {
        Ok(text) => JsFuture::from(text).await.ok().and_then(|t| t.as_string()),
        Err(_) => None,
    };
    Err(text.and_then(|t| serde_json::from_str(&t).ok()).unwrap_or(AppError::Internal))
}

/// Disables the form's buttons while it is sent (`busy`), and enables them again after.
fn set_busy(form: &HtmlFormElement, busy: bool) {
    for button in elements(form, "button") {
        if busy && !button.has_attribute("disabled") {
            let _ = button.set_attribute("disabled", "");
            let _ = button.set_attribute("aria-busy", "true");
            let _ = button.set_attribute(ADDED, &button.inner_html());
            button.set_text_content(Some("Saving…"));
        } else if !busy && button.has_attribute(ADDED) {
            let _ = button.remove_attribute("disabled");
            let _ = button.remove_attribute("aria-busy");
            button.set_inner_html(&button.get_attribute(ADDED).unwrap_or_default());
            let _ = button.remove_attribute(ADDED);
        }
    }
    let _ = if busy {
        form.set_attribute("aria-busy", "true")
    } else {
        form.remove_attribute("aria-busy")
    };
}

/// Removes the messages of the form's last try, the server's and this module's alike.
fn clear_errors(form: &HtmlFormElement) {
    for message in elements(form, ".field-error") {
        message.remove();
    }
    for control in elements(form, "[aria-invalid=\"true\"]") {
        let _ = control.set_attribute("aria-invalid", "false");
        let _ = control.remove_attribute("aria-describedby");
    }
    if let Some(alert) = form.previous_element_sibling().filter(|e| e.has_attribute(ADDED)) {
        alert.remove();
    }
}

/// Shows `error`: each field's message under its field, and one alert before the form
/// (a field with no control of its own, such as the ticked rows, speaks there).
fn show_errors(form: &HtmlFormElement, error: &AppError) {
    let document = document();
    let mut first_bad: Option<HtmlElement> = None;
    let mut summary = error.to_string();
    if let AppError::Invalid(fields) = error {
        summary = "Please correct the fields marked below.".to_owned();
        for field in fields {
            let control = form
                .query_selector(&format!("[name=\"{}\"]:not([type=hidden])", field.field))
                .ok()
                .flatten();
            let Some(control) = control else {
                summary = field.message.clone();
                continue;
            };
            let id = format!("{}-error", control.id());
            let Ok(message) = document.create_element("p") else { continue };
            message.set_id(&id);
            message.set_class_name("field-error");
            message.set_text_content(Some(&field.message));
            let _ = control.set_attribute("aria-invalid", "true");
            let _ = control.set_attribute("aria-describedby", &id);
            let _ = control.after_with_node_1(&message);
            if first_bad.is_none() {
                first_bad = control.dyn_into::<HtmlElement>().ok();
            }
        }
    }
    if let Ok(alert) = document.create_element("div") {
        alert.set_class_name("form-error");
        let _ = alert.set_attribute("role", "alert");
        let _ = alert.set_attribute(ADDED, "");
        alert.set_text_content(Some(&summary));
        if matches!(error, AppError::Conflict(_) | AppError::Stale(_)) {
            if let Ok(link) = document.create_element("a") {
                let _ = link.set_attribute("href", &window().location().href().unwrap_or_default());
                link.set_text_content(Some(" Reload to see the latest version."));
                let _ = alert.append_child(&link);
            }
        }
        let _ = form.before_with_node_1(&alert);
    }
    if let Some(control) = first_bad {
        let _ = control.focus();
    }
}

fn elements(form: &HtmlFormElement, selector: &str) -> Vec<Element> {
    let Ok(list) = form.query_selector_all(selector) else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)?.dyn_into::<Element>().ok()).collect()
}

/// A list's "tick all on this page" ticks (or clears) every row of its form.
fn tick_all(event: web_sys::Event) {
    let Some(all) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    let Some(form) = all.form().filter(|_| all.has_attribute("data-select-all")) else {
        return;
    };
    // The rows' boxes belong to the form from within the table (`form=`).
    let Ok(rows) = document().query_selector_all("input[type=checkbox][name=ids]") else {
        return;
    };
    for row in (0..rows.length()).filter_map(|i| rows.get(i)) {
        if let Ok(row) = row.dyn_into::<web_sys::HtmlInputElement>() {
            if row.form().as_ref() == Some(&form) {
                row.set_checked(all.checked());
            }
        }
    }
}

/// Set on a record's in-place form while its fields differ from what was loaded.
const DIRTY: &str = "data-dirty";

/// The in-place form the event happened in, if any.
fn inplace_form(event: &web_sys::Event) -> Option<HtmlFormElement> {
    let target = event.target()?.dyn_into::<Element>().ok()?;
    target.closest("form.inplace").ok()??.dyn_into().ok()
}

/// Whether any field of `form` differs from the value the page loaded.
fn has_changes(form: &HtmlFormElement) -> bool {
    elements(form, ".field-input").into_iter().any(|control| {
        if let Some(input) = control.dyn_ref::<web_sys::HtmlInputElement>() {
            input.value() != input.default_value()
        } else if let Some(text) = control.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            text.default_value().is_ok_and(|original| text.value() != original)
        } else if let Some(select) = control.dyn_ref::<web_sys::HtmlSelectElement>() {
            let options = select.options();
            (0..options.length()).filter_map(|i| options.item(i)).any(|option| {
                option
                    .dyn_into::<web_sys::HtmlOptionElement>()
                    .is_ok_and(|o| o.selected() != o.default_selected())
            })
        } else {
            false
        }
    })
}

fn mark_changed(event: web_sys::Event) {
    if let Some(form) = inplace_form(&event) {
        let _ = if has_changes(&form) {
            form.set_attribute(DIRTY, "")
        } else {
            form.remove_attribute(DIRTY)
        };
    }
}

/// Esc in an in-place field puts back the value the page loaded and leaves the field.
fn put_field_back(event: web_sys::Event) {
    let Some(key) = event.dyn_ref::<web_sys::KeyboardEvent>().map(|k| k.key()) else { return };
    let Some(form) = inplace_form(&event).filter(|_| key == "Escape") else { return };
    let Some(control) = event.target().and_then(|t| t.dyn_into::<HtmlElement>().ok()) else {
        return;
    };
    if let Some(input) = control.dyn_ref::<web_sys::HtmlInputElement>() {
        input.set_value(&input.default_value());
    } else if let Some(text) = control.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        text.set_value(&text.default_value().unwrap_or_default());
    } else if let Some(select) = control.dyn_ref::<web_sys::HtmlSelectElement>() {
        let options = select.options();
        for option in (0..options.length()).filter_map(|i| options.item(i)) {
            if let Ok(option) = option.dyn_into::<web_sys::HtmlOptionElement>() {
                option.set_selected(option.default_selected());
            }
        }
    } else {
        return;
    }
    event.prevent_default();
    let _ = control.blur();
    if !has_changes(&form) {
        let _ = form.remove_attribute(DIRTY);
    }
}

/// A `data-copy` button puts its text on the clipboard and says so.
fn copy(event: web_sys::Event) {
    let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
    let Some(button) = target.closest("[data-copy]").ok().flatten() else { return };
    let text = button.get_attribute("data-copy").unwrap_or_default();
    let written = window().navigator().clipboard().write_text(&text);
    leptos::task::spawn_local(async move {
        toast(match JsFuture::from(written).await {
            Ok(_) => "Copied",
            Err(_) => "Copying is not allowed here: select the text instead",
        });
    });
}
