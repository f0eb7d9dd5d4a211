//! The app shell: the signed-in layout with its navigation; the error pages it
//! shows live in `components::page`.

use crate::auth::{policy, Viewer};
use crate::components::{send_to_sign_in, use_organisation, ErrorPage, Submit};
use crate::organisation::Organisation;
use crate::settings::api::current_organisation;
use crate::sign_in::api::{current_user, Logout};
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};

/// Everything behind sign-in: header, navigation and the page.
///
/// The viewer is known before rendering (from the request on the server, from the
/// page while it hydrates), so the page is built once and its data loads once;
/// a `Suspense` around the page would build it again for every pass it makes.
/// Arriving later in the browser (after signing in), the viewer is loaded.
#[component]
pub fn SignedInLayout() -> impl IntoView {
    if let (Some(viewer), Some(organisation)) =
        (viewer_known_at_render(), organisation_known_at_render())
    {
        provide_context(viewer.clone());
        provide_context(RwSignal::new(organisation));
        return view! { <Chrome viewer=viewer/> }.into_any();
    }
    let viewer = Resource::new_blocking(|| (), |_| current_user());
    let organisation = Resource::new_blocking(|| (), |_| current_organisation());
    view! {
        <Suspense fallback=|| view! { <p class="p-6">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (viewer.await, organisation.await) {
                    (Ok(viewer), Ok(organisation)) => {
                        provide_context(viewer.clone());
                        provide_context(RwSignal::new(organisation));
                        view! { <Chrome viewer=viewer/> }.into_any()
                    }
                    (Err(error), _) | (_, Err(error)) if error.needs_sign_in() => {
                        send_to_sign_in(&error);
                        view! { <p class="p-6">{error.to_string()} " " <a href="/login">"Sign in"</a></p> }.into_any()
                    }
                    (Err(other), _) | (_, Err(other)) => view! { <ErrorPage error=other/> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

/// The attribute of `<body>` that carries the viewer a page was rendered for.
pub const VIEWER_ATTRIBUTE: &str = "data-viewer";

/// The viewer a server-rendered page is for, as JSON for `<body data-viewer>`.
pub fn viewer_for_page() -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        crate::state::request_viewer().and_then(|viewer| serde_json::to_string(&viewer).ok())
    }
    #[cfg(not(feature = "ssr"))]
    None
}

/// The attribute of `<body>` that carries the organisation a page was rendered for.
pub const ORGANISATION_ATTRIBUTE: &str = "data-organisation";

/// The organisation a server-rendered page is for, as JSON for `<body data-organisation>`.
pub fn organisation_for_page() -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        crate::state::request_organisation().and_then(|o| serde_json::to_string(&o).ok())
    }
    #[cfg(not(feature = "ssr"))]
    None
}

/// Like the viewer: the request's organisation on the server, the one written
/// into the page while it hydrates.
fn organisation_known_at_render() -> Option<Organisation> {
    #[cfg(feature = "ssr")]
    {
        crate::state::request_organisation()
    }
    #[cfg(not(feature = "ssr"))]
    {
        page_attribute(ORGANISATION_ATTRIBUTE)
    }
}

/// A JSON attribute of `<body>`, read while the first page hydrates.
#[cfg(not(feature = "ssr"))]
fn page_attribute<T: serde::de::DeserializeOwned>(name: &str) -> Option<T> {
    let hydrating = Owner::current_shared_context().is_some_and(|c| c.during_hydration());
    if !hydrating {
        return None;
    }
    #[cfg(feature = "hydrate")]
    {
        let json = document().body()?.get_attribute(name)?;
        serde_json::from_str(&json).ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = name;
        None
    }
}

/// On the server, the request's viewer; in the browser, while the first page
/// hydrates, the viewer the server wrote into it. Otherwise unknown.
fn viewer_known_at_render() -> Option<Viewer> {
    #[cfg(feature = "ssr")]
    {
        crate::state::request_viewer()
    }
    #[cfg(not(feature = "ssr"))]
    {
        page_attribute(VIEWER_ATTRIBUTE)
    }
}

#[component]
fn Chrome(viewer: Viewer) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let show_users = policy::may_manage_users(&viewer);
    let organisation = use_organisation();
    let brand = move || {
        organisation.map_or_else(|| "Kith".to_owned(), |o| o.with(|o| o.display_name().to_owned()))
    };
    view! {
        <a href="#main" class="skip-link">"Skip to content"</a>
        <header class="topbar">
            <div class="topbar-inner">
                <a href="/" class="brand">{brand}</a>
                <MenuToggle>
                    <nav id="main-nav" aria-label="Main" class="main-nav">
                        <NavLink href="/" label="Dashboard"/>
                        <NavLink href="/leads" label="Leads"/>
                        <NavLink href="/customers" label="Customers"/>
                        <NavLink href="/tasks" label="Tasks"/>
                        <NavLink href="/activity" label="Activity"/>
                        <Show when=move || show_users>
                            <NavLink href="/users" label="Users"/>
                            <NavLink href="/settings" label="Settings"/>
                        </Show>
                    </nav>
                </MenuToggle>
                <div class="account">
                    <a href="/profile" class="account-name" title=viewer.email.clone()>
                        {viewer.name.clone()}
                        <span class="role-badge">{viewer.role.label()}</span>
                    </a>
                    <ActionForm action=logout>
                        <Submit pending=logout.pending() class="btn btn-quiet">"Sign out"</Submit>
                    </ActionForm>
                </div>
            </div>
        </header>
        <main id="main" class="page">
            <Outlet/>
        </main>
    }
}

/// The phone menu: a button that opens and closes the navigation (`children`). Until the
/// page is live, and without JavaScript, phones show the links as a row instead (CSS).
#[island]
fn MenuToggle(children: Children) -> impl IntoView {
    let open = RwSignal::new(false);
    view! {
        <button
            type="button"
            class="menu-toggle"
            aria-controls="main-nav"
            aria-expanded=move || open.get().to_string()
            on:click=move |_| open.update(|open| *open = !*open)
        >
            "Menu"
        </button>
        // Following a link closes the menu.
        <div class="menu" class:open=move || open.get() on:click=move |_| open.set(false)>
            {children()}
        </div>
    }
}

#[component]
fn NavLink(href: &'static str, label: &'static str) -> impl IntoView {
    view! { <A href=href attr:class="nav-link">{label}</A> }
}

/// A page whose area is not built yet.
#[component]
pub fn Placeholder(title: &'static str, summary: &'static str) -> impl IntoView {
    view! {
        <crate::components::PageTitle text=title/>
        <h1 class="page-title">{title}</h1>
        <p class="muted">{summary}</p>
    }
}
