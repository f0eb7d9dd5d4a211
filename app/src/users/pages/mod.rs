//! The users pages, one per file: the team's accounts for admins (list, new
//! user, a user's page) and everyone's own profile; here what they share.

mod detail;
mod list;
mod new;
mod profile;

pub use detail::UserDetailPage;
pub use list::UsersPage;
pub use new::UserNewPage;
pub use profile::ProfilePage;

use super::api::{
    get_user, list_users, own_sessions, suggested_password, ChangePassword, CreateUser,
    DeactivateUser, DeleteUser, EndSession, ReactivateUser, ResetPassword, UpdateProfile,
    UpdateUser,
};
use super::{SessionInfo, User, UserPage, UserQuery, UserSort};
use crate::activity::pages::{load_history, RecordHistory};
use crate::auth::{policy, Role};
use crate::components::{
    action_error, format_time, load_team, paged_table, Column, EmptyChoice, EmptyList, Field,
    FormError, KeepSort, Moment, Notice, PageHeading, PageTitle, PerPageSelect, Submit, Team,
    TeamSelect,
};
use crate::components::{
    data_table, loaded, use_viewer, ChoiceFilter, FormPanel, IdButton, NotFoundPage, Panel,
    ReloadAfterConflict, SearchFilter,
};
use crate::error::AppError;
use crate::list::SortKey;
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
        <Notice when=move || message().is_some()>{message}</Notice>
    }
}

/// Name, email and role: the fields of the new-user and edit forms.
#[component]
fn UserFields(user: Option<User>, error: Signal<Option<AppError>>) -> impl IntoView {
    let value = |f: fn(&User) -> String| user.as_ref().map(f).unwrap_or_default();
    let role = user.as_ref().map_or(Role::Agent, |u| u.account.role);
    view! {
        <Field name="name" label="Name" required=true autocomplete="off" value=value(|u| u.account.name.clone()) error=error/>
        <Field name="email" label="Email" kind="email" required=true autocomplete="off" value=value(|u| u.account.email.clone()) error=error/>
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
