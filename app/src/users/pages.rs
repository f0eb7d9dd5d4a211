//! The team's accounts (admins): list, new user, a user's page; and every
//! user's own profile with their password and sessions.

use super::api::{
    get_user, list_users, own_sessions, suggested_password, ChangePassword, CreateUser,
    DeactivateUser, DeleteUser, EndSession, ReactivateUser, ResetPassword, UpdateProfile,
    UpdateUser,
};
use super::{AccountState, SessionInfo, User, UserPage, UserQuery, UserSort};
use crate::activity::pages::{load_history, RecordHistory};
use crate::auth::{policy, Role};
use crate::components::{
    action_error, clear_on_success, format_time, load_team, EmptyChoice, Field, FormError,
    KeepSort, PageTitle, Pagination, PerPageSelect, SortHeader, Submit, Team, TeamSelect,
};
use crate::error::AppError;
use crate::list::SortKey;
use crate::shell::{use_viewer, ErrorPage, NotFoundPage};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Whether the viewer may see the users area; agents get the 404 page instead.
fn admins_only() -> bool {
    use_viewer().is_some_and(|v| policy::may_manage_users(&v))
}

/// A time, or "never".
fn time_or_never(at: Option<i64>) -> String {
    at.map_or_else(|| "Never".to_owned(), format_time)
}

/// A flash message chosen by a `?key=…` the last action redirected with.
#[component]
fn Saved(key: &'static str, messages: &'static [(&'static str, &'static str)]) -> impl IntoView {
    let query = use_query_map();
    let message = move || {
        let value = query.read().get(key)?;
        messages.iter().find(|(v, _)| *v == value).map(|(_, m)| *m)
    };
    view! {
        <Show when=move || message().is_some()>
            <div class="notice" role="status">{message}</div>
        </Show>
    }
}

#[component]
pub fn UsersPage() -> impl IntoView {
    if !admins_only() {
        return view! { <NotFoundPage/> }.into_any();
    }
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|p| UserQuery::from_params(|k| p.get(k))));
    let users = Resource::new(move || query.get(), list_users);
    view! {
        <PageTitle text="Users"/>
        <div class="page-header">
            <h1 class="page-title">"Users"</h1>
            <div class="actions">
                <a class="btn btn-primary" href="/users/new">"New user"</a>
            </div>
        </div>
        <Saved key="deleted" messages=&[("1", "The user was deleted.")]/>
        <UserFilters query=query/>
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading users…"</p> }>
            {move || users.get().map(|result| match result {
                Ok(page) => view! { <UserTable page=page/> }.into_any(),
                Err(error) => view! { <ErrorPage error=error/> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

/// Search and filters: a plain GET form, so it works without JavaScript and the URL holds the state.
#[component]
fn UserFilters(query: Memo<UserQuery>) -> impl IntoView {
    let current = query.get_untracked();
    let keep_sort = (current.sort, current.descending) != (UserSort::Name, false);
    let role_option = move |role: Option<Role>, label: &'static str| {
        let value = role.map_or("", Role::as_str);
        view! { <option value=value selected=current.role == role>{label}</option> }
    };
    let state_option = move |state: Option<AccountState>, label: &'static str| {
        let value = state.map_or("", AccountState::as_str);
        view! { <option value=value selected=current.state == state>{label}</option> }
    };
    view! {
        <Form method="GET" action="/users" attr:class="filters" attr:role="search">
            <KeepSort sort=current.sort.as_str() descending=current.descending keep=keep_sort/>
            <div class="field">
                <label for="user-search" class="field-label">"Search"</label>
                <input id="user-search" type="search" name="q" class="field-input" value=current.search.clone()
                    placeholder="Name or email" maxlength=crate::list::MAX_SEARCH_LEN/>
            </div>
            <div class="field">
                <label for="user-role" class="field-label">"Role"</label>
                <select id="user-role" name="role" class="field-input">
                    {role_option(None, "Any role")}
                    {role_option(Some(Role::Admin), "Admin")}
                    {role_option(Some(Role::Agent), "Agent")}
                </select>
            </div>
            <div class="field">
                <label for="user-state" class="field-label">"Status"</label>
                <select id="user-state" name="state" class="field-input">
                    {state_option(None, "Active and deactivated")}
                    {state_option(Some(AccountState::Active), "Active")}
                    {state_option(Some(AccountState::Deactivated), "Deactivated")}
                </select>
            </div>
            <PerPageSelect id="user-per-page" selected=current.per_page/>
            <button type="submit" class="btn btn-primary">"Apply"</button>
        </Form>
    }
}

#[component]
fn UserTable(page: UserPage) -> impl IntoView {
    if page.rows.is_empty() {
        return view! {
            <div class="empty"><p>"No users match these filters. " <a href="/users">"Clear filters"</a></p></div>
        }
        .into_any();
    }
    let query = page.query.clone();
    let header = move |sort: UserSort, label: &'static str| {
        view! { <SortHeader label=label active=query.sort == sort descending=query.descending href=query.sorted_by(sort).href()/> }
    };
    let pager_query = page.query.clone();
    let (page_number, page_count, total) = (page.query.page, page.page_count(), page.total);
    view! {
        <div class="table-wrap">
            <table class="data-table">
                <caption class="sr-only">"Users"</caption>
                <thead>
                    <tr>
                        {header(UserSort::Name, "Name")}
                        {header(UserSort::Email, "Email")}
                        {header(UserSort::Role, "Role")}
                        <th scope="col">"Status"</th>
                        {header(UserSort::LastSignIn, "Last sign-in")}
                        {header(UserSort::Created, "Added")}
                    </tr>
                </thead>
                <tbody>
                    {page.rows.into_iter().map(|row| view! {
                        <tr>
                            <td><a href=format!("/users/{}", row.id)>{row.name}</a></td>
                            <td>{row.email}</td>
                            <td>{row.role.label()}</td>
                            <td>{if row.active { "Active" } else { "Deactivated" }}</td>
                            <td>{time_or_never(row.last_sign_in_at)}</td>
                            <td>{format_time(row.created_at)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <Pagination page=page_number page_count=page_count total=total
            href=move |n| pager_query.on_page(n).href()/>
    }
    .into_any()
}

/// Name, email and role: the fields of the new-user and edit forms.
#[component]
fn UserFields(user: Option<User>, error: Signal<Option<AppError>>) -> impl IntoView {
    let value = |f: fn(&User) -> String| user.as_ref().map(f).unwrap_or_default();
    let role = user.as_ref().map_or(Role::Agent, |u| u.role);
    view! {
        <Field name="name" label="Name" required=true autocomplete="off" value=value(|u| u.name.clone()) error=error/>
        <Field name="email" label="Email" kind="email" required=true autocomplete="off" value=value(|u| u.email.clone()) error=error/>
        <div class="field">
            <label for="field-role" class="field-label">"Role"</label>
            <select id="field-role" name="role" class="field-input">
                <option value="agent" selected=role == Role::Agent>"Agent — works their own leads, customers and tasks"</option>
                <option value="admin" selected=role == Role::Admin>"Admin — sees everything, manages the team"</option>
            </select>
        </div>
    }
}

/// A password field pre-filled with a generated password the admin can keep or replace.
#[component]
fn GivenPassword(label: &'static str, error: Signal<Option<AppError>>) -> impl IntoView {
    let suggestion = Resource::new(|| (), |_| suggested_password());
    view! {
        <Suspense>
            {move || suggestion.get().map(|s| view! {
                <Field name="password" label=label autocomplete="off" required=true value=s.unwrap_or_default() error=error/>
            })}
        </Suspense>
        <p class="muted">"A generated password is filled in: copy it now and give it to them, it is not shown again. Or type your own: at least 10 characters, not their email, not a common password."</p>
    }
}

#[component]
pub fn UserNewPage() -> impl IntoView {
    if !admins_only() {
        return view! { <NotFoundPage/> }.into_any();
    }
    let create = ServerAction::<CreateUser>::new();
    let error = action_error(create.value());
    view! {
        <PageTitle text="New user"/>
        <h1 class="page-title">"New user"</h1>
        <FormError error=error/>
        <ActionForm action=create attr:class="form-stack form-narrow" attr:novalidate=true>
            <UserFields user=None error=error/>
            <GivenPassword label="Initial password" error=error/>
            <div class="actions">
                <Submit pending=create.pending() class="btn btn-primary">"Create user"</Submit>
                <a class="btn btn-quiet" href="/users">"Cancel"</a>
            </div>
        </ActionForm>
    }
    .into_any()
}

/// The actions of a user's page, owned by the page so their results can reload it.
#[derive(Clone, Copy)]
struct UserActions {
    update: ServerAction<UpdateUser>,
    reset: ServerAction<ResetPassword>,
    deactivate: ServerAction<DeactivateUser>,
    reactivate: ServerAction<ReactivateUser>,
    delete: ServerAction<DeleteUser>,
    reset_two_factor: ServerAction<crate::auth::two_factor::api::ResetTwoFactor>,
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
    let user = Resource::new(move || (id(), actions.version()), |(id, _)| get_user(id));
    let history = load_history(move || ("user", id()), move || actions.version());
    let confirming = move || query.read().get("confirm").is_some_and(|c| c == "delete");
    let team = load_team();
    view! {
        <Saved key="created" messages=&[("1", "User created. They can sign in with the password you gave them.")]/>
        <Saved key="reset" messages=&[("1", "Password reset. Their sessions have ended; they sign in with the new password.")]/>
        <Saved key="two_factor" messages=&[("reset", "Two-factor sign-in reset. Their sessions have ended; they sign in with their password alone until they set it up again.")]/>
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading user…"</p> }>
            {move || user.get().map(|result| match result {
                Ok(user) => view! {
                    <UserDetail user=user actions=actions confirming=confirming() team=team/>
                    <RecordHistory history=history/>
                }.into_any(),
                Err(error) => view! { <ErrorPage error=error/> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn UserDetail(user: User, actions: UserActions, confirming: bool, team: Team) -> impl IntoView {
    let UserActions {
        update,
        reset,
        deactivate,
        reactivate,
        delete,
        reset_two_factor,
    } = actions;
    let two_factor_error = action_error(reset_two_factor.value());
    let error = action_error(update.value());
    let reset_error = action_error(reset.value());
    let state_error = Signal::derive(move || {
        action_error(deactivate.value())
            .get()
            .or_else(|| action_error(reactivate.value()).get())
    });
    let delete_error = action_error(delete.value());
    let is_self = use_viewer().is_some_and(|v| v.id == user.id);
    let id = user.id.0.clone();
    let path = format!("/users/{id}");
    let status = if user.active { "Active" } else { "Deactivated" };
    let summary = format!(
        "{} · {status} · added {} · last sign-in {} · {} signed-in session{} · holds {}",
        user.role.label(),
        format_time(user.created_at),
        time_or_never(user.last_sign_in_at),
        user.live_sessions,
        if user.live_sessions == 1 { "" } else { "s" },
        user.holdings.describe(),
    );
    let (state_id, reset_id, delete_id) = (id.clone(), id.clone(), id.clone());
    let reload = path.clone();
    let (held, name, active) = (user.holdings, user.name.clone(), user.active);
    let edited = user.clone();
    view! {
        <PageTitle text=user.name.clone()/>
        <div class="page-header">
            <h1 class="page-title">{user.name.clone()}</h1>
        </div>
        <p class="muted">{summary}</p>
        <FormError error=error/>
        <Show when=move || error.get().is_some_and(|e| matches!(e, AppError::Conflict(_)))>
            <p><a href=reload.clone() rel="external">"Reload this user"</a></p>
        </Show>
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
        <section class="panel" aria-labelledby="password-title">
            <h2 id="password-title">"Reset password"</h2>
            <FormError error=reset_error/>
            <ActionForm action=reset attr:class="form-stack form-narrow" attr:novalidate=true>
                <input type="hidden" name="id" value=reset_id/>
                <GivenPassword label="New password" error=reset_error/>
                <div class="actions">
                    <Submit pending=reset.pending() class="btn btn-quiet">"Set new password"</Submit>
                </div>
            </ActionForm>
        </section>
        <section class="panel" aria-labelledby="access-title">
            <h2 id="access-title">"Access"</h2>
            <FormError error=state_error/>
            {if active {
                view! {
                    <p>"Deactivating signs them out at once and stops them signing in. Their records stay theirs."</p>
                    <ActionForm action=deactivate>
                        <input type="hidden" name="id" value=state_id/>
                        <Submit pending=deactivate.pending() class="btn btn-danger">"Deactivate"</Submit>
                    </ActionForm>
                }.into_any()
            } else {
                view! {
                    <p>"This account is deactivated: they cannot sign in."</p>
                    <ActionForm action=reactivate>
                        <input type="hidden" name="id" value=state_id/>
                        <Submit pending=reactivate.pending() class="btn btn-primary">"Reactivate"</Submit>
                    </ActionForm>
                }.into_any()
            }}
            {(!is_self).then(|| view! {
                <p><a class="btn btn-quiet" href=format!("{path}?confirm=delete")>"Delete user…"</a></p>
            })}
        </section>
        <section class="panel" aria-labelledby="two-factor-title">
            <h2 id="two-factor-title">"Two-factor sign-in"</h2>
            <FormError error=two_factor_error/>
            {if user.two_factor {
                view! {
                    <p>"On. If they lost their phone and their recovery codes, reset it: their sessions end and they sign in with their password alone until they set it up again."</p>
                    <ActionForm action=reset_two_factor>
                        <input type="hidden" name="id" value=user.id.0.clone()/>
                        <Submit pending=reset_two_factor.pending() class="btn btn-danger">"Reset two-factor sign-in"</Submit>
                    </ActionForm>
                }.into_any()
            } else {
                view! { <p>"Off."</p> }.into_any()
            }}
        </section>
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
                                    selected=None except=delete_id.clone() empty_choice=EmptyChoice::Prompt("Choose a team member")/>
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

// ---- Profile ----------------------------------------------------------------

#[component]
pub fn ProfilePage() -> impl IntoView {
    let Some(viewer) = use_viewer() else {
        return view! { <NotFoundPage/> }.into_any();
    };
    let rename = ServerAction::<UpdateProfile>::new();
    let change = ServerAction::<ChangePassword>::new();
    let end = ServerAction::<EndSession>::new();
    let sessions = Resource::new(
        move || change.version().get() + end.version().get(),
        |_| own_sessions(),
    );
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
            <a href=crate::auth::two_factor::api::PAGE class="btn btn-quiet">
                {if viewer.two_factor { "Manage two-factor sign-in" } else { "Set up two-factor sign-in" }}
            </a>
        </section>
        <section class="panel" aria-labelledby="sessions-title">
            <h2 id="sessions-title">"Where you are signed in"</h2>
            <FormError error=end_error/>
            <Suspense fallback=|| view! { <p class="muted" role="status">"Loading sessions…"</p> }>
                {move || sessions.get().map(|result| match result {
                    Ok(list) => view! { <SessionTable sessions=list end=end/> }.into_any(),
                    Err(error) => view! { <ErrorPage error=error/> }.into_any(),
                })}
            </Suspense>
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
