//! Server functions of the users area: parse → authorize → store → map errors.
//! Everything about other people's accounts is for admins; agents get 404.

use super::{PasswordChangeForm, SessionInfo, User, UserForm, UserPage, UserQuery};
use crate::error::AppError;
use crate::ids::UserId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{store, UserDraft},
    crate::auth::{password, NewPassword, PersonName},
    crate::state::{admin, app_state, signed_in},
    leptos_axum::redirect,
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
    let mut check = crate::auth::Validator::default();
    let draft = UserDraft::check(&mut check, &form);
    let email_for_policy = draft.as_ref().map(|d| d.email.clone());
    let password = check.check(NewPassword::parse(
        "password",
        &password,
        email_for_policy.as_ref(),
    ));
    check.finish()?;
    let (Some(draft), Some(password)) = (draft, password) else {
        return Err(AppError::Internal);
    };
    let hash = password::hash(password.expose().to_owned()).await?;
    let mut tx = app_state()?.db.transaction().await?;
    let id = store::create(&mut tx, &viewer, &draft, &hash).await?;
    tx.commit().await?;
    redirect(&format!("/users/{id}?created=1"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "users/update")]
pub async fn update_user(
    id: UserId,
    version: i64,
    #[server(flatten)] form: UserForm,
) -> Result<(), AppError> {
    let viewer = admin()?;
    let draft = UserDraft::try_from(&form)?;
    let mut tx = app_state()?.db.transaction().await?;
    store::update(&mut tx, &viewer, &id, version, &draft).await?;
    tx.commit().await?;
    redirect(&format!("/users/{id}"));
    Ok(())
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
    let mut tx = state.db.transaction().await?;
    store::reset_password(&mut tx, &viewer, &id, &hash).await?;
    tx.commit().await?;
    redirect(&format!("/users/{id}?reset=1"));
    Ok(())
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
    let mut tx = app_state()?.db.transaction().await?;
    store::set_active(&mut tx, &viewer, &id, active).await?;
    tx.commit().await?;
    redirect(&format!("/users/{id}"));
    Ok(())
}

/// Deletes a user; whatever they hold goes to `receiver` in the same transaction.
#[server(prefix = "/api", endpoint = "users/delete")]
pub async fn delete_user(id: UserId, receiver: Option<String>) -> Result<(), AppError> {
    let viewer = admin()?;
    let receiver = receiver.filter(|r| !r.is_empty()).map(UserId::from);
    let mut tx = app_state()?.db.transaction().await?;
    store::delete(&mut tx, &viewer, &id, receiver.as_ref()).await?;
    tx.commit().await?;
    redirect("/users?deleted=1");
    Ok(())
}

// ---- Every user's own profile -------------------------------------------

#[server(prefix = "/api", endpoint = "profile/name")]
pub async fn update_profile(name: String) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let name = PersonName::parse("name", &name).map_err(|e| AppError::Invalid(vec![e]))?;
    let mut tx = app_state()?.db.transaction().await?;
    store::rename_self(&mut tx, &viewer, &name).await?;
    tx.commit().await?;
    redirect("/profile?saved=name");
    Ok(())
}

/// Changes the viewer's password after checking the current one; every other
/// session ends, this one stays. Wrong guesses are throttled on their own
/// counter, apart from sign-in, so they cannot lock the viewer out.
#[server(prefix = "/api", endpoint = "profile/password")]
pub async fn change_password(#[server(flatten)] form: PasswordChangeForm) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let state = app_state()?;
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
    check.finish()?;
    let new = new.ok_or(AppError::Internal)?;
    crate::sign_in::api::check_current_password(&viewer, form.current_password).await?;
    let hash = password::hash(new.expose().to_owned()).await?;
    let mut tx = state.db.transaction().await?;
    store::change_own_password(&mut tx, &viewer, &hash).await?;
    tx.commit().await?;
    redirect("/profile?saved=password");
    Ok(())
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
    let mut tx = app_state()?.db.transaction().await?;
    store::end_own_session(&mut tx, &viewer, &id).await?;
    tx.commit().await?;
    redirect("/profile?saved=session");
    Ok(())
}
