//! Everyone's own profile: name, password, two-factor sign-in, API tokens and sessions.

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
    let end_error = action_error(end.value());
    view! {
        <PageHeading text="Your profile" tab="Profile"/>
        <Saved key="saved" messages=&[
            ("name", "Your name was saved."),
            ("password", "Password changed. Your other sessions have been signed out."),
            ("session", "That session was signed out."),
        ]/>
        <p class="muted">{format!("{} · {}", viewer.email, viewer.role.label())}</p>
        <FormPanel id="name" title="Name" action=rename error=name_error>
            <Field name="name" label="Your name" autocomplete="name" required=true value=viewer.name.clone() error=name_error/>
            <div class="actions"><Submit pending=rename.pending() class="btn btn-primary">"Save name"</Submit></div>
        </FormPanel>
        <FormPanel id="change-password" title="Password" action=change error=password_error>
            <input type="hidden" name="username" autocomplete="username" value=viewer.email.clone()/>
            <Field name="current_password" label="Current password" kind="password" autocomplete="current-password" required=true error=password_error/>
            <Field name="password" label="New password (at least 10 characters)" kind="password" autocomplete="new-password" required=true error=password_error/>
            <Field name="password_confirm" label="Repeat new password" kind="password" autocomplete="new-password" required=true error=password_error/>
            <p class="muted">"Changing it signs you out everywhere else; you stay signed in here."</p>
            <div class="actions"><Submit pending=change.pending() class="btn btn-primary">"Change password"</Submit></div>
        </FormPanel>
        <section class="panel" aria-labelledby="two-factor-title">
            <h2 id="two-factor-title">"Two-factor sign-in"</h2>
            <p>{if viewer.two_factor { "On: signing in asks for a code from your authenticator app." } else { "Off: you sign in with your password alone." }}</p>
            <a href=crate::sign_in::two_factor::api::PAGE class="btn btn-quiet">
                {if viewer.two_factor { "Manage two-factor sign-in" } else { "Set up two-factor sign-in" }}
            </a>
        </section>
        <section class="panel" aria-labelledby="tokens-title">
            <h2 id="tokens-title">"API tokens"</h2>
            <p>"Let a program (your website, a spreadsheet, an automation) use Kith's REST API as you."</p>
            <a href=crate::api_tokens::api::PAGE class="btn btn-quiet">"Manage API tokens"</a>
        </section>
        <Panel id="sessions" title="Where you are signed in" error=end_error>
            {loaded("Loading sessions…", sessions, move |list| view! { <SessionTable sessions=list end=end/> }.into_any())}
        </Panel>
    }
    .into_any()
}

#[component]
fn SessionTable(sessions: Vec<SessionInfo>, end: ServerAction<EndSession>) -> impl IntoView {
    let mut columns: Vec<Column> =
        ["Device", "Address", "Signed in", "Last used"].map(Column::new).into();
    columns.push(Column::quiet("Action"));
    let rows = sessions
        .into_iter()
        .map(|s| {
            let action = if s.current {
                view! { <span class="muted">"This browser"</span> }.into_any()
            } else {
                view! {
                    <IdButton action=end id=s.id.clone() class="btn btn-quiet">"Sign out"</IdButton>
                }
                .into_any()
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
        })
        .collect_view();
    data_table("sessions-table", "Your signed-in sessions", columns, rows)
}
