//! Server functions of the users area: parse → authorize → store → map errors.
//! Everything about other people's accounts is for admins; agents get 404.

use super::{PasswordChangeForm, SessionInfo, User, UserForm, UserPage, UserQuery};
use crate::error::AppError;
use crate::ids::UserId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::Checked;

#[cfg(feature = "ssr")]
use {
    super::{store, UserDraft},
    crate::auth::{password, NewPassword, PersonName},
    crate::state::{admin, app_state, go, signed_in, write},
};

#[server(prefix = "/api", endpoint = "users/list")]
pub async fn list_users(query: UserQuery) -> Result<UserPage, AppError> {
    admin()?;
    store::list(&app_state()?.db, &query).await
}

#[server(prefix = "/api", endpoint = "users/get")]
pub async fn get_user(id: UserId) -> Result<User, AppError> {
    admin()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    store::get(&mut conn, &id).await
}

/// A strong random password for the admin to hand over (shown once, in the form).
#[server(prefix = "/api", endpoint = "users/suggest_password")]
pub async fn suggested_password() -> Result<String, AppError> {
    admin()?;
    Ok(password::generate())
}

#[server(prefix = "/api", endpoint = "users/create")]
pub async fn create_user(
    #[server(flatten)] form: UserForm,
    password: String,
) -> Result<(), AppError> {
    let viewer = admin()?;
    let (draft, hash) = new_account(&form, &password).await?;
    let id = write(async |tx| store::create(tx, &viewer, &draft, &hash).await).await?;
    go(&format!("/users/{id}?created=1"))
}

/// A new team member's account checked, every field at once, with the hash of
/// their first password.
#[cfg(feature = "ssr")]
pub async fn new_account(form: &UserForm, password: &str) -> Result<(UserDraft, String), AppError> {
    let mut check = crate::auth::Validator::default();
    let draft = UserDraft::check(form, &mut check);
    let email_for_policy = draft.as_ref().map(|d| d.email.clone());
    let password = check.check(NewPassword::parse("password", password, email_for_policy.as_ref()));
    let (draft, password) = check.finish_with(|| Some((draft?, password?)))?;
    let hash = password::hash(password.expose().to_owned()).await?;
    Ok((draft, hash))
}

#[server(prefix = "/api", endpoint = "users/update")]
pub async fn update_user(
    id: UserId,
    version: i64,
    #[server(flatten)] form: UserForm,
) -> Result<(), AppError> {
    let viewer = admin()?;
    let draft = UserDraft::checked(&form)?;
    write(async |tx| store::update(tx, &viewer, &id, version, &draft).await).await?;
    go(&format!("/users/{id}"))
}

/// An admin sets a new password for someone; their sessions end.
#[server(prefix = "/api", endpoint = "users/reset_password")]
pub async fn reset_password(id: UserId, password: String) -> Result<(), AppError> {
    let viewer = admin()?;
    let state = app_state()?;
    let email = {
        let mut conn = state.db.pool.acquire().await?;
        store::email_of(&mut conn, &id).await?
    };
    let email = crate::auth::Email::parse("email", &email).ok();
    let password = NewPassword::parse("password", &password, email.as_ref())
        .map_err(|e| AppError::Invalid(vec![e]))?;
    let hash = password::hash(password.expose().to_owned()).await?;
    write(async |tx| store::reset_password(tx, &viewer, &id, &hash).await).await?;
    go(&format!("/users/{id}?reset=1"))
}

#[server(prefix = "/api", endpoint = "users/deactivate")]
pub async fn deactivate_user(id: UserId) -> Result<(), AppError> {
    set_active(id, false).await
}

#[server(prefix = "/api", endpoint = "users/reactivate")]
pub async fn reactivate_user(id: UserId) -> Result<(), AppError> {
    set_active(id, true).await
}

#[cfg(feature = "ssr")]
async fn set_active(id: UserId, active: bool) -> Result<(), AppError> {
    let viewer = admin()?;
    write(async |tx| store::set_active(tx, &viewer, &id, active).await).await?;
    go(&format!("/users/{id}"))
}

/// Deletes a user; whatever they hold goes to `receiver`, in the same transaction
/// or, when they held many records, in the background right after.
#[server(prefix = "/api", endpoint = "users/delete")]
pub async fn delete_user(id: UserId, receiver: Option<String>) -> Result<(), AppError> {
    let viewer = admin()?;
    let receiver = receiver.filter(|r| !r.is_empty()).map(UserId::from);
    let handing =
        write(async |tx| store::delete(tx, &viewer, &id, receiver.as_ref()).await).await?;
    if handing == store::Handing::Queued {
        let db = app_state()?.db.clone();
        tokio::spawn(async move {
            if let Err(error) = store::handover::run(&db).await {
                tracing::warn!(%error, "handing a deleted user's records over stopped; it resumes at the next start");
            }
        });
        return go("/users?deleted=handing");
    }
    go("/users?deleted=1")
}

// ---- Every user's own profile -------------------------------------------

#[server(prefix = "/api", endpoint = "profile/name")]
pub async fn update_profile(name: String) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let name = PersonName::parse("name", &name).map_err(|e| AppError::Invalid(vec![e]))?;
    write(async |tx| store::rename_self(tx, &viewer, &name).await).await?;
    go("/profile?saved=name")
}

/// Changes the viewer's password after checking the current one; every other
/// session ends, this one stays. Wrong guesses are throttled on their own
/// counter, apart from sign-in, so they cannot lock the viewer out.
#[server(prefix = "/api", endpoint = "profile/password")]
pub async fn change_password(#[server(flatten)] form: PasswordChangeForm) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let mut check = crate::auth::Validator::default();
    let email = crate::auth::Email::parse("email", &viewer.email).ok();
    let new = NewPassword::check_confirmed(
        &mut check,
        &form.password,
        Some(&form.password_confirm),
        email.as_ref(),
    );
    if form.current_password.is_empty() {
        check.add("current_password", "Enter your current password.");
    }
    let new = check.finish_with(|| new)?;
    crate::sign_in::api::check_current_password(&viewer, form.current_password).await?;
    let hash = password::hash(new.expose().to_owned()).await?;
    write(async |tx| store::change_own_password(tx, &viewer, &hash).await).await?;
    go("/profile?saved=password")
}

#[server(prefix = "/api", endpoint = "profile/sessions")]
pub async fn own_sessions() -> Result<Vec<SessionInfo>, AppError> {
    let viewer = signed_in()?;
    store::own_sessions(&app_state()?.db, &viewer).await
}

/// Signs one of the viewer's own sessions out (another browser or device).
#[server(prefix = "/api", endpoint = "profile/end_session")]
pub async fn end_session(id: String) -> Result<(), AppError> {
    let viewer = signed_in()?;
    if id == viewer.session_id {
        return Err(AppError::Conflict(
            "This is the session you are using. Use “Sign out” to end it.".into(),
        ));
    }
    write(async |tx| store::end_own_session(tx, &viewer, &id).await).await?;
    go("/profile?saved=session")
}
