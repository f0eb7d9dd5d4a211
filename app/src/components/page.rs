//! What every page reads from the page around it (the signed-in viewer and the
//! organisation, which the layout provides), and the pages for errors: not
//! found, failed, and "sign in (again)" with the way back.

use crate::auth::Viewer;
use crate::error::AppError;
use crate::organisation::Organisation;
use leptos::prelude::*;

/// The signed-in viewer, provided by the layout to every page inside it.
pub fn use_viewer() -> Option<Viewer> {
    use_context::<Viewer>()
}

/// The organisation (name, time zone), provided by the layout.
pub fn use_organisation() -> Option<Organisation> {
    use_context::<Organisation>()
}

/// Sets the HTTP status of the page being rendered on the server.
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(code))
    {
        response.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_status(404);
    view! {
        <super::PageTitle text="Not found"/>
        <section class="error-page">
            <h1>"Page not found"</h1>
            <p>"There is nothing here, or you do not have access to it."</p>
            <a class="btn btn-primary" href="/">"Back to the dashboard"</a>
        </section>
    }
}

/// `found` once it has loaded, as `shown` renders it; `loading` until then, and
/// the error page if loading failed.
pub fn loaded<T, V>(
    loading: &'static str,
    found: Resource<Result<T, AppError>>,
    shown: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=move || view! { <p class="muted" role="status">{loading}</p> }>
            {move || found.get().map(|result| match result {
                Ok(found) => shown(found).into_any(),
                Err(error) => view! { <ErrorPage error=error/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    match error {
        AppError::NotFound => return view! { <NotFoundPage/> }.into_any(),
        ref error if error.needs_sign_in() => send_to_sign_in(error),
        _ => {}
    }
    set_status(error.status());
    view! {
        <super::PageTitle text="Error"/>
        <section class="error-page">
            <h1>"Something went wrong"</h1>
            <p>{error.to_string()}</p>
            <a class="btn btn-primary" href="/">"Back to the dashboard"</a>
        </section>
    }
    .into_any()
}

/// On the client, a page that needs a session goes to sign-in and comes back
/// afterwards (the server redirects page loads itself); "session expired" only
/// when one did expire.
pub fn send_to_sign_in(error: &AppError) {
    #[cfg(feature = "hydrate")]
    {
        let location = window().location();
        let (path, search) =
            (location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
        let target = sign_in_href(&path, &search, matches!(error, AppError::SessionExpired));
        let _ = location.set_href(&target);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = error;
}

/// The sign-in page that returns to `path` with its query (`search`, with or
/// without its leading `?`).
pub fn sign_in_href(path: &str, search: &str, expired: bool) -> String {
    let search = search.trim_start_matches('?');
    let here = if search.is_empty() { path.to_owned() } else { format!("{path}?{search}") };
    // Slashes stay readable; everything else that is not plain text is escaped.
    const NEXT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~')
        .remove(b'/');
    let next = percent_encoding::utf8_percent_encode(&here, NEXT);
    if expired {
        format!("/login?next={next}&expired=1")
    } else {
        format!("/login?next={next}")
    }
}
