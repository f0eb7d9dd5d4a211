//! A user's page (admins): edit, reset password, deactivate, delete, two-factor reset, history.

use super::*;

/// The actions of a user's page, owned by the page so their results can reload it.
#[derive(Clone, Copy)]
struct UserActions {
    update: ServerAction<UpdateUser>,
    reset: ServerAction<ResetPassword>,
    deactivate: ServerAction<DeactivateUser>,
    reactivate: ServerAction<ReactivateUser>,
    delete: ServerAction<DeleteUser>,
    reset_two_factor: ServerAction<crate::sign_in::two_factor::api::ResetTwoFactor>,
}

impl UserActions {
    fn version(&self) -> usize {
        self.update.version().get()
            + self.reset.version().get()
            + self.deactivate.version().get()
            + self.reactivate.version().get()
            + self.reset_two_factor.version().get()
    }
}

#[component]
pub fn UserDetailPage() -> impl IntoView {
    if !admins_only() {
        return view! { <NotFoundPage/> }.into_any();
    }
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let actions = UserActions {
        update: ServerAction::new(),
        reset: ServerAction::new(),
        deactivate: ServerAction::new(),
        reactivate: ServerAction::new(),
        delete: ServerAction::new(),
        reset_two_factor: ServerAction::new(),
    };
    let user = Resource::new(move || (id(), actions.version()), |(id, _)| get_user(id.into()));
    let history = load_history(move || ("user", id()), move || actions.version());
    let confirming = move || query.read().get("confirm").is_some_and(|c| c == "delete");
    let team = load_team();
    view! {
        <Saved key="created" messages=&[("1", "User created. They can sign in with the password you gave them.")]/>
        <Saved key="reset" messages=&[("1", "Password reset. Their sessions have ended; they sign in with the new password.")]/>
        <Saved key="two_factor" messages=&[("reset", "Two-factor sign-in reset. Their sessions have ended; they sign in with their password alone until they set it up again.")]/>
        {loaded("Loading user…", user, move |user| view! {
                    <UserDetail user=user actions=actions confirming=confirming() team=team/>
                    <RecordHistory history=history/>
                }.into_any())}
    }
    .into_any()
}

#[component]
fn UserDetail(user: User, actions: UserActions, confirming: bool, team: Team) -> impl IntoView {
    let UserActions { update, reset, deactivate, reactivate, delete, reset_two_factor } = actions;
    let two_factor_error = action_error(reset_two_factor.value());
    let error = action_error(update.value());
    let reset_error = action_error(reset.value());
    let state_error = Signal::derive(move || {
        action_error(deactivate.value()).get().or_else(|| action_error(reactivate.value()).get())
    });
    let delete_error = action_error(delete.value());
    let is_self = use_viewer().is_some_and(|v| v.id == user.account.id);
    let id = user.account.id.to_string();
    let path = format!("/users/{id}");
    let status = if user.account.active { "Active" } else { "Deactivated" };
    let summary = format!(
        "{} · {status} · added {} · last sign-in {} · {} signed-in session{} · holds {}",
        user.account.role.label(),
        format_time(user.account.created_at),
        time_or_never(user.account.last_sign_in_at),
        user.live_sessions,
        if user.live_sessions == 1 { "" } else { "s" },
        user.holdings.describe(),
    );
    let (state_id, reset_id, delete_id) = (id.clone(), id.clone(), id.clone());
    let reload = path.clone();
    let delete_href = format!("{path}?confirm=delete");
    let (held, name, active) = (user.holdings, user.account.name.clone(), user.account.active);
    let edited = user.clone();
    view! {
        <PageTitle text=user.account.name.clone()/>
        <div class="page-header">
            <h1 class="page-title">{user.account.name.clone()}</h1>
        </div>
        <p class="muted">{summary}</p>
        <FormError error=error/>
        <ReloadAfterConflict error=error what="user" href=reload/>
        <section class="panel" aria-labelledby="account-title">
            <h2 id="account-title">"Account"</h2>
            <ActionForm action=update attr:class="form-stack form-narrow" attr:novalidate=true>
                <input type="hidden" name="id" value=id.clone()/>
                <input type="hidden" name="version" value=user.version.to_string()/>
                <UserFields user=Some(edited) error=error/>
                <p class="muted">"Changing the role signs them out everywhere, so the new role applies at once."</p>
                <div class="actions">
                    <Submit pending=update.pending() class="btn btn-primary">"Save changes"</Submit>
                </div>
            </ActionForm>
        </section>
        <FormPanel id="password" title="Reset password" action=reset error=reset_error>
            <input type="hidden" name="id" value=reset_id/>
            <GivenPassword label="New password" error=reset_error/>
            <div class="actions">
                <Submit pending=reset.pending() class="btn btn-quiet">"Set new password"</Submit>
            </div>
        </FormPanel>
        <Panel id="access" title="Access" error=state_error>
            {if active {
                view! {
                    <p>"Deactivating signs them out at once and stops them signing in. Their records stay theirs."</p>
                    <IdButton action=deactivate id=state_id class="btn btn-danger">"Deactivate"</IdButton>
                }.into_any()
            } else {
                view! {
                    <p>"This account is deactivated: they cannot sign in."</p>
                    <IdButton action=reactivate id=state_id class="btn btn-primary">"Reactivate"</IdButton>
                }.into_any()
            }}
            {(!is_self).then(|| view! {
                <p><a class="btn btn-quiet" href=delete_href>"Delete user…"</a></p>
            })}
        </Panel>
        <Panel id="two-factor" title="Two-factor sign-in" error=two_factor_error>
            {if user.two_factor {
                view! {
                    <p>"On. If they lost their phone and their recovery codes, reset it: their sessions end and they sign in with their password alone until they set it up again."</p>
                    <IdButton action=reset_two_factor id=user.account.id.to_string() class="btn btn-danger">"Reset two-factor sign-in"</IdButton>
                }.into_any()
            } else {
                view! { <p>"Off."</p> }.into_any()
            }}
        </Panel>
        {(confirming && !is_self).then(|| {
            view! {
                <div class="confirm" role="alertdialog" aria-labelledby="confirm-delete-title">
                    <h2 id="confirm-delete-title">{format!("Delete {name}?")}</h2>
                    <FormError error=delete_error/>
                    <ActionForm action=delete attr:class="form-stack form-narrow">
                        <input type="hidden" name="id" value=delete_id.clone()/>
                        {if held.is_empty() {
                            view! { <p>"They hold no leads, customers or tasks. Their notes and history keep their name."</p> }.into_any()
                        } else {
                            view! {
                                <p>{format!("They hold {}. Choose who receives them; everything moves in one step.", held.describe())}</p>
                                <TeamSelect team=team id="delete-receiver" name="receiver" label="Give their records to"
                                    selected=None except=crate::ids::UserId::from(delete_id.clone()) empty_choice=EmptyChoice::Prompt("Choose a team member")/>
                                {move || delete_error.get().and_then(|e| e.field_message("receiver")).map(|m| view! { <p class="field-error">{m}</p> })}
                            }.into_any()
                        }}
                        <div class="actions">
                            <Submit pending=delete.pending() class="btn btn-danger">"Delete user"</Submit>
                            <a class="btn btn-quiet" href=path.clone()>"Keep them"</a>
                        </div>
                    </ActionForm>
                </div>
            }
        })}
    }
}
