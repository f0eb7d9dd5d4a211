//! The command palette: Ctrl/Cmd+K or `/` anywhere opens it; it offers commands
//! ("New lead", "Go to tasks") and, as one types, what the search finds, each opened
//! with Enter. `?` lists the keyboard shortcuts (`g l` leads, `g c` customers, `g t`
//! tasks, `g d` the dashboard, `n` a new record on a list, `e` edit the record on its
//! page). An island: without
//! JavaScript the header's search box and the navigation do the same.

use super::api::search;
use leptos::prelude::*;

/// Commands everyone has, by label, with where they go.
const COMMANDS: &[(&str, &str)] = &[
    ("New lead", "/leads/new"),
    ("New customer", "/customers/new"),
    ("New task", "/tasks/new"),
    ("Go to dashboard", "/"),
    ("Go to leads", "/leads"),
    ("Go to customers", "/customers"),
    ("Go to tasks", "/tasks"),
    ("Go to activity", "/activity"),
    ("Import a file", "/import"),
    ("My profile", "/profile"),
];
/// And the admins'.
const ADMIN_COMMANDS: &[(&str, &str)] =
    &[("Go to users", "/users"), ("Go to settings", "/settings")];

/// The shortcuts `?` lists: keys and what they do.
const SHORTCUTS: &[(&str, &str)] = &[
    ("Ctrl K, ⌘ K or /", "Search and commands"),
    ("g then d", "Dashboard"),
    ("g then l", "Leads"),
    ("g then c", "Customers"),
    ("g then t", "Tasks"),
    ("n", "New record, on a list"),
    ("e", "Edit the record, on its page (Enter saves, Esc cancels)"),
    ("?", "This list"),
    ("Esc", "Close"),
];

/// One line of the palette: what it is, its text, where Enter takes one.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Choice {
    kind: &'static str,
    label: String,
    href: String,
}

/// The commands whose label holds `typed`, then the search's hits, then the search page.
fn choices(typed: &str, is_admin: bool, hits: &[super::SearchHit]) -> Vec<Choice> {
    let wanted = typed.trim().to_lowercase();
    let admin = if is_admin { ADMIN_COMMANDS } else { &[] };
    let commands = COMMANDS
        .iter()
        .chain(admin)
        .filter(|(label, _)| wanted.is_empty() || label.to_lowercase().contains(&wanted));
    let mut list: Vec<Choice> = commands
        .map(|(label, href)| Choice {
            kind: "Command",
            label: (*label).to_owned(),
            href: (*href).to_owned(),
        })
        .collect();
    list.extend(hits.iter().map(|hit| Choice {
        kind: hit.kind.label(),
        label: if hit.detail.is_empty() {
            hit.title.clone()
        } else {
            format!("{} — {}", hit.title, hit.detail)
        },
        href: hit.href(),
    }));
    if !wanted.is_empty() {
        let query: String = form_urlencoded::byte_serialize(typed.trim().as_bytes()).collect();
        list.push(Choice {
            kind: "Search",
            label: format!("Search for “{}”", typed.trim()),
            href: format!("/search?q={query}"),
        });
    }
    list
}

#[island]
pub fn CommandPalette(is_admin: bool) -> impl IntoView {
    let open = RwSignal::new(false);
    let help = RwSignal::new(false);
    let typed = RwSignal::new(String::new());
    let hits = RwSignal::new(Vec::new());
    let active = RwSignal::new(0usize);
    let input = NodeRef::<leptos::html::Input>::new();
    let listed = Memo::new(move |_| hits.with(|h| choices(&typed.get(), is_admin, h)));

    #[cfg(feature = "hydrate")]
    keys::listen(open, help, input);

    // Each pause in typing asks the search; an answer to older text is dropped.
    let asked = StoredValue::new(0u32);
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        typed.set(text.clone());
        active.set(0);
        asked.update_value(|n| *n += 1);
        let ask = asked.get_value();
        set_timeout(
            move || {
                if asked.get_value() != ask || text.trim().is_empty() {
                    if text.trim().is_empty() {
                        hits.set(Vec::new());
                    }
                    return;
                }
                leptos::task::spawn_local(async move {
                    if let Ok(found) = search(text).await {
                        if asked.get_value() == ask {
                            hits.set(found.hits);
                        }
                    }
                });
            },
            std::time::Duration::from_millis(150),
        );
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let count = listed.with(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if count > 0 => {
                ev.prevent_default();
                active.update(|i| *i = (*i + 1) % count);
            }
            "ArrowUp" if count > 0 => {
                ev.prevent_default();
                active.update(|i| *i = (*i + count - 1) % count);
            }
            "Enter" => {
                ev.prevent_default();
                if let Some(choice) = listed.with(|l| l.get(active.get_untracked()).cloned()) {
                    let _ = window().location().set_href(&choice.href);
                }
            }
            "Escape" => open.set(false),
            _ => {}
        }
    };
    let options = move || {
        listed
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, choice)| {
                let selected = move || active.get() == i;
                view! {
                    <li id=format!("palette-{i}") role="option" aria-selected=move || selected().to_string()
                        class="palette-option" class:active=selected>
                        <a href=choice.href tabindex="-1">
                            <span class="hit-kind">{choice.kind}</span>" "{choice.label}
                        </a>
                    </li>
                }
            })
            .collect_view()
    };
    let shortcuts = SHORTCUTS
        .iter()
        .map(|(keys, does)| view! { <dt><kbd>{*keys}</kbd></dt><dd>{*does}</dd> })
        .collect_view();
    let palette = view! {
        <div class="palette-backdrop" hidden=move || !open.get() on:click=move |ev| {
            if ev.target() == ev.current_target() { open.set(false) }
        }>
            <div class="palette" role="dialog" aria-modal="true" aria-labelledby="palette-title">
                <h2 id="palette-title" class="sr-only">"Command palette"</h2>
                <input node_ref=input type="text" class="field-input" role="combobox" autocomplete="off"
                    aria-label="Find a record or a command" aria-expanded="true" aria-controls="palette-list"
                    aria-activedescendant=move || format!("palette-{}", active.get())
                    placeholder="Find a record or a command…" prop:value=move || typed.get()
                    on:input=on_input on:keydown=on_keydown/>
                <ul id="palette-list" role="listbox" aria-label="Results" class="palette-list">{options}</ul>
                <p class="muted palette-help">"↑ ↓ to choose · Enter to open · Esc to close · ? for shortcuts"</p>
            </div>
        </div>
    }
    .into_any();
    let help_dialog = view! {
        <div class="palette-backdrop" hidden=move || !help.get() on:click=move |_| help.set(false)>
            <div class="palette" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title">
                <h2 id="shortcuts-title">"Keyboard shortcuts"</h2>
                <dl class="shortcuts">{shortcuts}</dl>
                <button type="button" class="btn btn-quiet" on:click=move |_| help.set(false)>"Close"</button>
            </div>
        </div>
    }
    .into_any();
    view! { {palette} {help_dialog} }
}

#[cfg(feature = "hydrate")]
mod keys {
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;

    /// Whether the key was typed into a field (where `/`, `g` and `n` are text).
    fn typing(ev: &leptos::ev::KeyboardEvent) -> bool {
        let Some(element) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            return false;
        };
        matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
            || element.is_content_editable()
    }

    /// The first field of the record's in-place form, on a record's page.
    fn first_field() -> Option<web_sys::HtmlElement> {
        let selector = "form.inplace .field-input:not([type=hidden])";
        document().query_selector(selector).ok()??.dyn_into().ok()
    }

    /// The page's shortcuts, for as long as the page lives.
    pub fn listen(open: RwSignal<bool>, help: RwSignal<bool>, input: NodeRef<leptos::html::Input>) {
        let after_g = StoredValue::new(false);
        let show = move || {
            open.set(true);
            request_animation_frame(move || {
                if let Some(input) = input.get_untracked() {
                    let _ = input.focus();
                    input.select();
                }
            });
        };
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            let key = ev.key();
            if (ev.ctrl_key() || ev.meta_key()) && key.eq_ignore_ascii_case("k") {
                ev.prevent_default();
                show();
                return;
            }
            if open.get_untracked() || help.get_untracked() {
                if key == "Escape" {
                    open.set(false);
                    help.set(false);
                }
                return;
            }
            if typing(&ev) || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
                return;
            }
            let path = window().location().pathname().unwrap_or_default();
            let go = |to: &str| {
                let _ = window().location().set_href(to);
            };
            let g = after_g.get_value();
            after_g.set_value(false);
            match key.as_str() {
                "/" => {
                    ev.prevent_default();
                    show();
                }
                "?" => help.set(true),
                "g" => after_g.set_value(true),
                "d" if g => go("/"),
                "l" if g => go("/leads"),
                "c" if g => go("/customers"),
                "t" if g => go("/tasks"),
                "n" if ["/leads", "/customers", "/tasks"].contains(&path.as_str()) => {
                    go(&format!("{path}/new"));
                }
                "e" => {
                    if let Some(field) = first_field() {
                        ev.prevent_default();
                        let _ = field.focus();
                    }
                }
                _ => {}
            }
        });
        // The palette is part of every signed-in page: it listens until the page goes.
        std::mem::forget(handle);
    }
}
