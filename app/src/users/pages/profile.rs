//! Everyone's own profile: name, password, two-factor sign-in and sessions.

use super::*;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let Some(viewer) = use_viewer() else {
        return view! { <NotFoundPage/> }.into_any();
    };
    let rename = ServerAction::<UpdateProfile>::new();
    let change = ServerAction::<ChangePassword>::new();
    let end = ServerAction::<EndSession>::new();
    let sessions =
        Resource::new(move || change.version().get() + end.version().get(), |_| own_sessions());
    let name_error = action_error(rename.value());
    let password_error = action_error(change.value());
    let password_form = clear_on_success(change.value());
    let end_error = action_error(end.value());
    view! {
        <PageTitle text="Profile"/>
        <h1 class="page-title">"Your profile"</h1>
        <Saved key="saved" messages=&[
            ("name", "Your name was saved."),
            ("password", "Password changed. Your other sessions have been signed out."),
            ("session", "That session was signed out."),
        ]/>
        <p class="muted">{format!("{} · {}", viewer.email, viewer.role.label())}</p>
        <section class="panel" aria-labelledby="name-title">
            <h2 id="name-title">"Name"</h2>
            <FormError error=name_error/>
            <ActionForm action=rename attr:class="form-stack form-narrow" attr:novalidate=true>
                <Field name="name" label="Your name" autocomplete="name" required=true value=viewer.name.clone() error=name_error/>
                <div class="actions"><Submit pending=rename.pending() class="btn btn-primary">"Save name"</Submit></div>
            </ActionForm>
        </section>
        <section class="panel" aria-labelledby="change-password-title">
            <h2 id="change-password-title">"Password"</h2>
            <FormError error=password_error/>
            <ActionForm action=change node_ref=password_form attr:class="form-stack form-narrow" attr:novalidate=true>
                <input type="hidden" name="username" autocomplete="username" value=viewer.email.clone()/>
                <Field name="current_password" label="Current password" kind="password" autocomplete="current-password" required=true error=password_error/>
                <Field name="password" label="New password (at least 10 characters)" kind="password" autocomplete="new-password" required=true error=password_error/>
                <Field name="password_confirm" label="Repeat new password" kind="password" autocomplete="new-password" required=true error=password_error/>
                <p class="muted">"Changing it signs you out everywhere else; you stay signed in here."</p>
                <div class="actions"><Submit pending=change.pending() class="btn btn-primary">"Change password"</Submit></div>
            </ActionForm>
        </section>
        <section class="panel" aria-labelledby="two-factor-title">
            <h2 id="two-factor-title">"Two-factor sign-in"</h2>
            <p>{if viewer.two_factor { "On: signing in asks for a code from your authenticator app." } else { "Off: you sign in with your password alone." }}</p>
            <a href=crate::sign_in::two_factor::api::PAGE class="btn btn-quiet">
                {if viewer.two_factor { "Manage two-factor sign-in" } else { "Set up two-factor sign-in" }}
            </a>
        </section>
        <section class="panel" aria-labelledby="sessions-title">
            <h2 id="sessions-title">"Where you are signed in"</h2>
            <FormError error=end_error/>
            {loaded("Loading sessions…", sessions, move |list| view! { <SessionTable sessions=list end=end/> }.into_any())}
        </section>
    }
    .into_any()
}

#[component]
fn SessionTable(sessions: Vec<SessionInfo>, end: ServerAction<EndSession>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="data-table" id="sessions-table">
                <caption class="sr-only">"Your signed-in sessions"</caption>
                <thead><tr>
                    <th scope="col">"Device"</th>
                    <th scope="col">"Address"</th>
                    <th scope="col">"Signed in"</th>
                    <th scope="col">"Last used"</th>
                    <th scope="col"><span class="sr-only">"Action"</span></th>
                </tr></thead>
                <tbody>
                    {sessions.into_iter().map(|s| {
                        let action = if s.current {
                            view! { <span class="muted">"This browser"</span> }.into_any()
                        } else {
                            view! {
                                <ActionForm action=end>
                                    <input type="hidden" name="id" value=s.id.clone()/>
                                    <Submit pending=end.pending() class="btn btn-quiet">"Sign out"</Submit>
                                </ActionForm>
                            }.into_any()
                        };
                        view! {
                            <tr>
                                <td>{s.device.clone()}</td>
                                <td>{s.address.clone()}</td>
                                <td>{format_time(s.signed_in_at)}</td>
                                <td>{format_time(s.last_used_at)}</td>
                                <td>{action}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
