//! The second step of signing in, and the page where a person sets up or turns
//! off two-factor sign-in. Both work without JavaScript.

use super::api::{
    my_two_factor, ConfirmTwoFactor, DisableTwoFactor, RenewRecoveryCodes, StartTwoFactor,
};
use super::{TwoFactorStatus, RECOVERY_CODES};
use crate::components::loaded;
use crate::components::{action_error, Field, FormError, FormPanel, PageTitle, Submit};
use crate::components::{Notice, PageHeading};
use crate::error::AppError;
use crate::sign_in::api::LoginCode;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// After the right password: the code from the authenticator app, or a recovery code.
#[component]
pub fn LoginCodePage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let submit = ServerAction::<LoginCode>::new();
    let error = action_error(submit.value());
    let timed_out = move || error.get().is_some_and(|e| matches!(e, AppError::Conflict(_)));
    view! {
        <PageTitle text="Two-factor sign-in"/>
        <main class="auth-page">
            <div class="auth-card">
                <h1 class="auth-title">"Two-factor sign-in"</h1>
                <p class="muted">"Open your authenticator app and enter the 6-digit code it shows for Kith. Lost your phone? Enter one of your recovery codes instead."</p>
                <FormError error=error/>
                <Show when=timed_out>
                    <p><a href="/login">"Sign in again"</a></p>
                </Show>
                <ActionForm action=submit attr:class="form-stack" attr:novalidate=true>
                    <input type="hidden" name="next" value=next/>
                    <Field name="code" label="Code" autocomplete="one-time-code" required=true error=error/>
                    <Submit pending=submit.pending() class="btn btn-primary w-full">"Verify"</Submit>
                </ActionForm>
            </div>
        </main>
    }
}

/// `/profile/two-factor`: set up an authenticator app (QR code or typed
/// secret, confirmed by its first code), see recovery codes once, renew them,
/// or turn two-factor sign-in off with the password and a code.
#[component]
pub fn TwoFactorPage() -> impl IntoView {
    let start = ServerAction::<StartTwoFactor>::new();
    let confirm = ServerAction::<ConfirmTwoFactor>::new();
    let renew = ServerAction::<RenewRecoveryCodes>::new();
    let disable = ServerAction::<DisableTwoFactor>::new();
    let status = Resource::new(
        move || {
            start.version().get()
                + confirm.version().get()
                + renew.version().get()
                + disable.version().get()
        },
        |_| my_two_factor(),
    );
    let query = use_query_map();
    let turned_off = move || query.read().get("off").is_some();
    view! {
        <PageHeading text="Two-factor sign-in"/>
        <Notice when=turned_off>"Two-factor sign-in is off. You sign in with your password alone."</Notice>
        {loaded("Loading…", status, move |status| view! {
                    <TwoFactorPanels status=status start=start confirm=confirm renew=renew disable=disable/>
                }.into_any())}
        <p><a href="/profile">"Back to your profile"</a></p>
    }
}

#[component]
fn TwoFactorPanels(
    status: TwoFactorStatus,
    start: ServerAction<StartTwoFactor>,
    confirm: ServerAction<ConfirmTwoFactor>,
    renew: ServerAction<RenewRecoveryCodes>,
    disable: ServerAction<DisableTwoFactor>,
) -> impl IntoView {
    let start_error = action_error(start.value());
    let confirm_error = action_error(confirm.value());
    let renew_error = action_error(renew.value());
    let disable_error = action_error(disable.value());
    let required = (status.required && !status.enabled).then(|| view! {
        <div class="notice" role="status">"Your organisation requires two-factor sign-in. Set it up to go on using Kith."</div>
    });
    let fresh = (!status.fresh_recovery_codes.is_empty()).then(|| {
        let codes = status.fresh_recovery_codes.clone();
        view! {
            <section class="panel" aria-labelledby="codes-title">
                <h2 id="codes-title">"Your recovery codes"</h2>
                <p>"Each code signs you in once if you lose your phone. Keep them somewhere safe, such as a password manager: they are shown only now."</p>
                <ul class="recovery-codes" aria-label="Recovery codes">
                    {codes.into_iter().map(|code| view! { <li>{code}</li> }).collect_view()}
                </ul>
            </section>
        }
    });
    let main = if status.enabled {
        view! {
            <section class="panel" aria-labelledby="on-title">
                <h2 id="on-title">"On"</h2>
                <p>"Signing in asks for a code from your authenticator app after your password."</p>
                <p class="muted">{format!("{} of {RECOVERY_CODES} recovery codes left.", status.recovery_codes_left)}</p>
            </section>
            <FormPanel id="renew" title="New recovery codes" action=renew error=renew_error>
                <Field name="current_password" form="renew" label="Current password" kind="password" autocomplete="current-password" required=true error=renew_error/>
                <div class="actions"><Submit pending=renew.pending() class="btn btn-quiet">"Make new recovery codes"</Submit></div>
            </FormPanel>
            <FormPanel id="off" title="Turn off" action=disable error=disable_error>
                <Field name="current_password" form="disable" label="Current password" kind="password" autocomplete="current-password" required=true error=disable_error/>
                <Field name="code" label="Code from your app, or a recovery code" autocomplete="one-time-code" required=true error=disable_error/>
                <div class="actions"><Submit pending=disable.pending() class="btn btn-danger">"Turn off two-factor sign-in"</Submit></div>
            </FormPanel>
        }
        .into_any()
    } else if let Some(setup) = status.setup.clone() {
        view! {
            <section class="panel" aria-labelledby="setup-title">
                <h2 id="setup-title">"Set up your authenticator app"</h2>
                <ol class="form-stack">
                    <li>"Scan this code with an authenticator app (such as Google Authenticator, Microsoft Authenticator, 1Password or Aegis):"
                        <div class="qr-code" role="img" aria-label="QR code for your authenticator app" inner_html=setup.qr_svg></div>
                    </li>
                    <li>"Or type this key into the app:" <p class="secret" id="two-factor-secret">{setup.secret}</p></li>
                    <li>"Enter the 6-digit code the app shows to finish."</li>
                </ol>
                <FormError error=confirm_error/>
                <ActionForm action=confirm attr:class="form-stack form-narrow" attr:novalidate=true>
                    <Field name="code" label="Code from the app" autocomplete="one-time-code" required=true error=confirm_error/>
                    <div class="actions"><Submit pending=confirm.pending() class="btn btn-primary">"Turn on two-factor sign-in"</Submit></div>
                </ActionForm>
            </section>
        }
        .into_any()
    } else {
        view! {
            <section class="panel" aria-labelledby="off-state-title">
                <h2 id="off-state-title">"Off"</h2>
                <p>"Protect your account with a second step at sign-in: a code from an authenticator app on your phone."</p>
                <FormError error=start_error/>
                <ActionForm action=start>
                    <Submit pending=start.pending() class="btn btn-primary">"Set up two-factor sign-in"</Submit>
                </ActionForm>
            </section>
        }
        .into_any()
    };
    view! { {required} {fresh} {main} }
}
