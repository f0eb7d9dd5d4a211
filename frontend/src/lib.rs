//! The browser half of Kith: hydrates the islands of the server-rendered page
//! and lets its forms post in place.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    app::components::enhance::install();
}
