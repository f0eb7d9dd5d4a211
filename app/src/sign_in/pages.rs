//! The sign-in and first-run setup pages.

use super::api::{Login, Setup};
use crate::components::Notice;
use crate::components::{action_error, Field, FormError, Submit};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let expired = move || query.read().get("expired").is_some();
    let login = ServerAction::<Login>::new();
    let error = action_error(login.value());
    view! {
        <crate::components::PageTitle text="Sign in"/>
        <main class="auth-page">
            <div class="auth-card">
                <h1 class="auth-title">"Sign in to Kith"</h1>
                <Notice when=move || expired() && error.get().is_none()>
                    "Your session expired. Please sign in again."
                </Notice>
                <FormError error=error/>
                <ActionForm action=login attr:class="form-stack" attr:novalidate=true>
                    <input type="hidden" name="next" value=next/>
                    <Field name="email" label="Email" kind="email" autocomplete="username" required=true error=error/>
                    <Field name="password" label="Password" kind="password" autocomplete="current-password" required=true error=error/>
                    <button type="submit" class="btn btn-primary w-full" disabled=move || login.pending().get()>
                        {move || if login.pending().get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </ActionForm>
            </div>
        </main>
    }
}

#[component]
pub fn SetupPage() -> impl IntoView {
    let setup = ServerAction::<Setup>::new();
    let error = action_error(setup.value());
    let needed = Resource::new_blocking(|| (), |_| super::api::setup_needed());
    view! {
        <crate::components::PageTitle text="Set up"/>
        <main class="auth-page">
            <div class="auth-card">
                <h1 class="auth-title">"Welcome to Kith"</h1>
                <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                    {move || needed.get().map(|needed| match needed {
                        Ok(true) => view! {
                            <p class="muted">"Create the first administrator account. You can add your team afterwards."</p>
                            <FormError error=error/>
                            <ActionForm action=setup attr:class="form-stack" attr:novalidate=true>
                                <Field name="name" label="Your name" autocomplete="name" required=true error=error/>
                                <Field name="email" label="Email" kind="email" autocomplete="username" required=true error=error/>
                                <Field name="password" label="Password (at least 10 characters)" kind="password" autocomplete="new-password" required=true error=error/>
                                <Field name="password_confirm" label="Repeat password" kind="password" autocomplete="new-password" required=true error=error/>
                                <Submit pending=setup.pending() class="btn btn-primary w-full">"Create admin and sign in"</Submit>
                            </ActionForm>
                        }.into_any(),
                        _ => view! {
                            <p>"Kith is already set up."</p>
                            <a class="btn btn-primary" href="/login">"Go to sign in"</a>
                        }.into_any(),
                    })}
                </Suspense>
            </div>
        </main>
    }
}
