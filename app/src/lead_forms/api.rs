//! Server functions of web-to-lead forms, for admins only: list and add forms,
//! read one with its snippet's address, turn one on or off, remove it.

use super::{WebForm, WebFormDetail, WebFormId, WebFormInput};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{store, WebFormDraft, PUBLIC_PATH},
    crate::auth::Checked,
    crate::state::{admin, app_state, go, request_origin, write},
};

/// The forms page.
pub const PAGE: &str = "/lead-forms";

#[server(prefix = "/api", endpoint = "lead_forms/list")]
pub async fn list_lead_forms() -> Result<Vec<WebForm>, AppError> {
    admin()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    store::list(&mut conn).await
}

#[server(prefix = "/api", endpoint = "lead_forms/get")]
pub async fn get_lead_form(id: WebFormId) -> Result<WebFormDetail, AppError> {
    admin()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    let form = store::get(&mut conn, &id).await?;
    let post_url = format!("{}{PUBLIC_PATH}/{}", request_origin(), form.public_key);
    Ok(WebFormDetail { form, post_url })
}

#[server(prefix = "/api", endpoint = "lead_forms/create")]
pub async fn create_lead_form(#[server(flatten)] input: WebFormInput) -> Result<(), AppError> {
    let viewer = admin()?;
    let draft = WebFormDraft::checked(&input)?;
    let id = write(async |tx| store::create(tx, &viewer, &draft).await).await?;
    go(&format!("{PAGE}/{id}?created=1"))
}

/// Takes posts (`enabled` = `true`) or refuses them.
#[server(prefix = "/api", endpoint = "lead_forms/enable")]
pub async fn enable_lead_form(id: WebFormId, enabled: bool) -> Result<(), AppError> {
    let viewer = admin()?;
    write(async |tx| store::set_enabled(tx, &viewer, &id, enabled).await).await?;
    go(&format!("{PAGE}/{id}"))
}

#[server(prefix = "/api", endpoint = "lead_forms/delete")]
pub async fn delete_lead_form(id: WebFormId) -> Result<(), AppError> {
    let viewer = admin()?;
    write(async |tx| store::delete(tx, &viewer, &id).await).await?;
    go(&format!("{PAGE}?deleted=1"))
}
