//! The organisation settings page (admins).

use super::api::{get_settings, time_zone_names, UpdateSettings};
use super::{Organisation, NAME_MAX};
use crate::components::loaded;
use crate::components::{action_error, FormError, Submit};
use crate::components::{Notice, PageHeading};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let update = ServerAction::<UpdateSettings>::new();
    let settings = Resource::new(move || update.version().get(), |_| get_settings());
    let zones = Resource::new(|| (), |_| time_zone_names());
    let query = use_query_map();
    let saved = move || {
        query.read().get("saved").is_some() && update.value().get().is_none_or(|r| r.is_ok())
    };
    view! {
        <PageHeading text="Organisation settings" tab="Settings"/>
        <Notice when=saved>"Settings saved."</Notice>
        {loaded("Loading settings…", settings, move |current| view! { <SettingsForm current=current update=update zones=zones/> }.into_any())}
        <section class="panel" aria-labelledby="connect-title">
            <h2 id="connect-title">"Connecting other tools"</h2>
            <p><a href="/webhooks">"Webhooks"</a>": send events to other systems as they happen."</p>
            <p><a href="/lead-forms">"Web forms"</a>": turn what visitors send from your website into leads."</p>
            <p><a href="/api/docs">"REST API reference"</a>": what programs can do with a token made on a profile."</p>
        </section>
    }
}

#[component]
fn SettingsForm(
    current: Organisation,
    update: ServerAction<UpdateSettings>,
    zones: Resource<Result<Vec<String>, AppError>>,
) -> impl IntoView {
    let error = action_error(update.value());
    let conflict = move || {
        error.get().is_some_and(|e| matches!(e, AppError::Conflict(_) | AppError::Stale(_)))
    };
    view! {
        <FormError error=error/>
        <Show when=conflict>
            <p><a href="/settings" rel="external">"Reload the settings"</a></p>
        </Show>
        <ActionForm action=update attr:class="form-stack form-narrow" attr:novalidate=true>
            <input type="hidden" name="version" value=current.version.to_string()/>
            <crate::components::Field name="name" label="Organisation name (shown in the header)" value=current.name.clone() error=error/>
            <TimeZoneField selected=current.time_zone.clone() zones=zones error=error/>
            <div class="field field-check">
                <input id="field-require_two_factor" type="checkbox" name="require_two_factor" value="on"
                    checked=current.require_two_factor aria-describedby="field-require_two_factor-hint"/>
                <label for="field-require_two_factor">"Require two-factor sign-in for everyone"</label>
                <p id="field-require_two_factor-hint" class="muted">"Team members without it are taken to set it up the next time they open a page."</p>
            </div>
            <div class="actions">
                <Submit pending=update.pending() class="btn btn-primary">"Save settings"</Submit>
            </div>
        </ActionForm>
        <p class="muted">{format!("Names are at most {NAME_MAX} characters. Changing the time zone moves what counts as today, overdue and this month, and every time Kith shows.")}</p>
    }
}

/// A time zone by its IANA name, with every known zone offered as a suggestion.
#[component]
fn TimeZoneField(
    selected: String,
    zones: Resource<Result<Vec<String>, AppError>>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let message = move || error.get().and_then(|e| e.field_message("time_zone"));
    let invalid = move || if message().is_some() { "true" } else { "false" };
    view! {
        <div class="field">
            <label for="field-time_zone" class="field-label">"Time zone"</label>
            <input id="field-time_zone" name="time_zone" class="field-input" list="time-zones" required=true
                value=selected autocomplete="off" spellcheck="false"
                aria-invalid=invalid aria-describedby="field-time_zone-hint"/>
            <p id="field-time_zone-hint" class="muted">"An IANA name, such as Europe/Lisbon, America/New_York or UTC."</p>
            <Show when=move || message().is_some()>
                <p class="field-error" role="alert">{message}</p>
            </Show>
            <datalist id="time-zones">
                <Suspense>
                    {move || zones.get().and_then(Result::ok).map(|zones| {
                        zones.into_iter().map(|zone| view! { <option value=zone/> }).collect_view()
                    })}
                </Suspense>
            </datalist>
        </div>
    }
}
