//! The app shell: the signed-in layout with its navigation; the error pages it
//! shows live in `components::page`.

use crate::auth::{policy, Viewer};
use crate::components::{use_organisation, ErrorPage, NotFoundPage, Submit, Toasts};
use crate::error::AppError;
use crate::organisation::Organisation;
use crate::search::palette::CommandPalette;
use crate::sign_in::api::Logout;
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};

/// Everything behind sign-in: header, navigation and the page. Pages render on the
/// server only (islands aside), where the request already carries the viewer and the
/// organisation: the sign-in middleware sent anyone without a session to sign in.
#[component]
pub fn SignedInLayout() -> impl IntoView {
    match (request_viewer(), request_organisation()) {
        (Some(viewer), Some(organisation)) => {
            provide_context(viewer.clone());
            provide_context(organisation);
            view! { <Chrome viewer=viewer><Outlet/></Chrome> }.into_any()
        }
        _ => view! { <ErrorPage error=AppError::Unauthenticated/> }.into_any(),
    }
}

/// A path no page answers: "not found", with the header and navigation around it for
/// someone signed in.
#[component]
pub fn NotFoundLayout() -> impl IntoView {
    match (request_viewer(), request_organisation()) {
        (Some(viewer), Some(organisation)) => {
            provide_context(viewer.clone());
            provide_context(organisation);
            view! { <Chrome viewer=viewer><NotFoundPage/></Chrome> }.into_any()
        }
        _ => view! { <main id="main" class="page"><NotFoundPage/></main> }.into_any(),
    }
}

fn request_viewer() -> Option<Viewer> {
    #[cfg(feature = "ssr")]
    {
        crate::state::request_viewer()
    }
    #[cfg(not(feature = "ssr"))]
    None
}

fn request_organisation() -> Option<Organisation> {
    #[cfg(feature = "ssr")]
    {
        crate::state::request_organisation()
    }
    #[cfg(not(feature = "ssr"))]
    None
}

#[component]
fn Chrome(viewer: Viewer, children: Children) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let show_users = policy::may_manage_users(&viewer);
    let organisation = use_organisation();
    let brand = organisation.map_or_else(|| "Kith".to_owned(), |o| o.display_name().to_owned());
    // Typed views this deep overflow the compiler: the header is erased to `AnyView`.
    let header = view! {
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
                // A plain GET form: search works before the page is live and without JavaScript.
                <form class="site-search" role="search" aria-label="Kith" action="/search" method="get">
                    <label for="site-search" class="sr-only">"Find anything"</label>
                    <input id="site-search" type="search" name="q" class="field-input"
                        placeholder="Find anything…" autocomplete="off" maxlength=crate::search::QUERY_MAX/>
                </form>
                <CommandPalette is_admin=viewer.is_admin()/>
                <div class="account">
                    <Bell/>
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
    }
    .into_any();
    view! {
        <a href="#main" class="skip-link">"Skip to content"</a>
        {header}
        <main id="main" class="page">
            {children()}
        </main>
        <Toasts/>
    }
}

/// The link to the notifications, with the unread count the sign-in middleware took.
#[component]
fn Bell() -> impl IntoView {
    use crate::notifications::{count_label, request_unread};
    let unread = request_unread();
    let label = match unread {
        0 => "Notifications".to_owned(),
        n => format!("Notifications, {} unread", count_label(n)),
    };
    let count = (unread > 0).then(
        || view! { <span class="bell-count" aria-hidden="true">{count_label(unread)}</span> },
    );
    view! {
        <a href="/notifications" class="bell" aria-label=label.clone() title=label>
            <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" fill="none"
                stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
                <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9"/>
                <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0"/>
            </svg>
            {count}
        </a>
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
