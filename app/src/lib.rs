//! Kith's shared application crate: the Leptos components and the server
//! functions of every area. With `ssr` it also holds the SQL store; with
//! `hydrate` it runs in the browser.

pub mod activity;
#[cfg(feature = "ssr")]
pub mod api;
pub mod api_tokens;
pub mod auth;
pub mod components;
pub mod customers;
pub mod dashboard;
pub mod error;
pub mod fields;
pub mod ids;
pub mod import;
pub mod lead_forms;
pub mod leads;
pub mod list;
pub mod notes;
pub mod notifications;
pub mod organisation;
pub mod outbox;
pub mod records;
pub mod search;
pub mod settings;
pub mod shell;
pub mod sign_in;
pub mod tasks;
pub mod users;
pub mod views;
pub mod webhooks;

#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod rate;
#[cfg(feature = "ssr")]
pub mod sql;
#[cfg(feature = "ssr")]
pub mod state;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, Meta, MetaTags, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    provide_request_nonce();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Lets Leptos's inline hydration script carry the nonce the CSP header allows.
#[cfg(feature = "ssr")]
fn provide_request_nonce() {
    let nonce = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<state::CspNonce>().cloned());
    if let Some(nonce) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Every route renders completely on the server (SsrMode::Async), so every page works without
    // JavaScript; in the browser only the islands (`#[island]`) and `enhance` run.
    view! {
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg"/>
        <Meta name="color-scheme" content="light dark"/>
        <Title text="Kith"/>
        <Router>
            <Routes fallback=|| view! { <shell::NotFoundLayout/> }>
                <Route path=path!("/login") view=sign_in::pages::LoginPage ssr=SsrMode::Async/>
                <Route path=path!("/setup") view=sign_in::pages::SetupPage ssr=SsrMode::Async/>
                <Route path=path!("/login/code") view=sign_in::two_factor::pages::LoginCodePage ssr=SsrMode::Async/>
                <ParentRoute path=path!("") view=shell::SignedInLayout ssr=SsrMode::Async>
                    <Route path=path!("") view=dashboard::pages::DashboardPage ssr=SsrMode::Async/>
                    <Route path=path!("dashboard") view=dashboard::pages::DashboardPage ssr=SsrMode::Async/>
                    <Route path=path!("leads") view=leads::pages::LeadsPage ssr=SsrMode::Async/>
                    <Route path=path!("leads/new") view=leads::pages::LeadNewPage ssr=SsrMode::Async/>
                    <Route path=path!("leads/board") view=leads::pages::LeadBoardPage ssr=SsrMode::Async/>
                    <Route path=path!("leads/bulk") view=leads::pages::LeadBulkPage ssr=SsrMode::Async/>
                    <Route path=path!("leads/:id") view=leads::pages::LeadDetailPage ssr=SsrMode::Async/>
                    <Route path=path!("customers") view=customers::pages::CustomersPage ssr=SsrMode::Async/>
                    <Route path=path!("customers/new") view=customers::pages::CustomerNewPage ssr=SsrMode::Async/>
                    <Route path=path!("customers/bulk") view=customers::pages::CustomerBulkPage ssr=SsrMode::Async/>
                    <Route path=path!("customers/:id") view=customers::pages::CustomerDetailPage ssr=SsrMode::Async/>
                    <Route path=path!("tasks") view=tasks::pages::TasksPage ssr=SsrMode::Async/>
                    <Route path=path!("tasks/new") view=tasks::pages::TaskNewPage ssr=SsrMode::Async/>
                    <Route path=path!("tasks/bulk") view=tasks::pages::TaskBulkPage ssr=SsrMode::Async/>
                    <Route path=path!("tasks/:id") view=tasks::pages::TaskDetailPage ssr=SsrMode::Async/>
                    <Route path=path!("activity") view=activity::pages::ActivityPage ssr=SsrMode::Async/>
                    <Route path=path!("notifications") view=notifications::pages::NotificationsPage ssr=SsrMode::Async/>
                    <Route path=path!("search") view=search::pages::SearchPage ssr=SsrMode::Async/>
                    <Route path=path!("users") view=users::pages::UsersPage ssr=SsrMode::Async/>
                    <Route path=path!("users/new") view=users::pages::UserNewPage ssr=SsrMode::Async/>
                    <Route path=path!("users/:id") view=users::pages::UserDetailPage ssr=SsrMode::Async/>
                    <Route path=path!("profile") view=users::pages::ProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("profile/two-factor") view=sign_in::two_factor::pages::TwoFactorPage ssr=SsrMode::Async/>
                    <Route path=path!("profile/tokens") view=api_tokens::pages::TokensPage ssr=SsrMode::Async/>
                    <Route path=path!("settings") view=settings::pages::SettingsPage ssr=SsrMode::Async/>
                    <Route path=path!("webhooks") view=webhooks::pages::WebhooksPage ssr=SsrMode::Async/>
                    <Route path=path!("lead-forms") view=lead_forms::pages::LeadFormsPage ssr=SsrMode::Async/>
                    <Route path=path!("lead-forms/:id") view=lead_forms::pages::LeadFormPage ssr=SsrMode::Async/>
                    <Route path=path!("webhooks/:id") view=webhooks::pages::WebhookPage ssr=SsrMode::Async/>
                    <Route path=path!("import") view=import::pages::ImportPage ssr=SsrMode::Async/>
                    <Route path=path!("import/:id") view=import::pages::ImportJobPage ssr=SsrMode::Async/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
