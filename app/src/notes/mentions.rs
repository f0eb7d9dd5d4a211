//! The note composer's @mention picker: typing `@` and the start of a name lists the
//! teammates it may be (↑ ↓ to choose, Enter or Tab to take one, Esc to close, or a
//! click). Without JavaScript, `@Name` typed out names them all the same.

use leptos::html::Div;
use leptos::prelude::*;

#[island]
pub fn MentionPicker(names: Vec<String>, children: Children) -> impl IntoView {
    let found = RwSignal::new(Vec::<String>::new());
    let chosen = RwSignal::new(0usize);
    let wrapper = NodeRef::<Div>::new();
    #[cfg(feature = "hydrate")]
    let (on_input, on_keydown, take) = picking::handlers(names, wrapper, found, chosen);
    #[cfg(not(feature = "hydrate"))]
    let (on_input, on_keydown, take) = {
        drop(names);
        (
            |_: leptos::ev::Event| {},
            |_: leptos::ev::KeyboardEvent| {},
            Callback::new(|_: String| {}),
        )
    };
    let option = move |(index, name): (usize, String)| {
        let picked = name.clone();
        view! {
            <li role="option" id=format!("mention-option-{index}")
                aria-selected=move || (chosen.get() == index).to_string()
                on:mousedown=move |ev| { ev.prevent_default(); take.run(picked.clone()); }>
                {name}
            </li>
        }
    };
    view! {
        <div class="mention-box" node_ref=wrapper on:input=on_input on:keydown=on_keydown>
            {children()}
            <Show when=move || !found.read().is_empty()>
                <ul class="mention-options" role="listbox" aria-label="Teammates to mention">
                    {move || found.get().into_iter().enumerate().map(option).collect_view()}
                </ul>
            </Show>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod picking {
    use crate::notifications::{names_starting, typed_mention};
    use leptos::html::Div;
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::HtmlTextAreaElement;

    type Handlers = (
        Box<dyn FnMut(leptos::ev::Event)>,
        Box<dyn FnMut(leptos::ev::KeyboardEvent)>,
        Callback<String>,
    );

    pub fn handlers(
        names: Vec<String>,
        wrapper: NodeRef<Div>,
        found: RwSignal<Vec<String>>,
        chosen: RwSignal<usize>,
    ) -> Handlers {
        let take = Callback::new(move |name: String| {
            if let Some(field) = textarea(wrapper) {
                take_name(&field, &name);
            }
            found.set(Vec::new());
        });
        let on_input = move |_| {
            let Some(field) = textarea(wrapper) else { return };
            let (text, caret) = (field.value(), caret(&field));
            let offered = typed_mention(&text[..caret])
                .map(|(_, typed)| names_starting(&names, typed).into_iter().cloned().collect())
                .unwrap_or_default();
            chosen.set(0);
            found.set(offered);
        };
        let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
            let count = found.read().len();
            if count == 0 {
                return;
            }
            match ev.key().as_str() {
                "ArrowDown" => chosen.update(|c| *c = (*c + 1) % count),
                "ArrowUp" => chosen.update(|c| *c = (*c + count - 1) % count),
                "Enter" | "Tab" => {
                    let name = found.read().get(chosen.get_untracked()).cloned();
                    if let Some(name) = name {
                        take.run(name);
                    }
                }
                "Escape" => found.set(Vec::new()),
                _ => return,
            }
            ev.prevent_default();
        };
        (Box::new(on_input), Box::new(on_keydown), take)
    }

    fn textarea(wrapper: NodeRef<Div>) -> Option<HtmlTextAreaElement> {
        wrapper.get_untracked()?.query_selector("textarea").ok()??.dyn_into().ok()
    }

    /// The caret as a byte offset in the text (the browser counts UTF-16 units).
    fn caret(field: &HtmlTextAreaElement) -> usize {
        let text = field.value();
        let units = field.selection_start().ok().flatten().unwrap_or(0) as usize;
        utf16_to_byte(&text, units)
    }

    fn utf16_to_byte(text: &str, units: usize) -> usize {
        let mut seen = 0;
        for (at, c) in text.char_indices() {
            if seen >= units {
                return at;
            }
            seen += c.len_utf16();
        }
        text.len()
    }

    /// Replaces the `@…` being typed with `@name `, the caret after it.
    fn take_name(field: &HtmlTextAreaElement, name: &str) {
        let text = field.value();
        let end = caret(field);
        let Some((at, _)) = typed_mention(&text[..end]) else { return };
        let before = format!("{}@{name} ", &text[..at]);
        field.set_value(&format!("{before}{}", &text[end..]));
        let units = before.encode_utf16().count() as u32;
        let _ = field.set_selection_range(units, units);
    }
}
