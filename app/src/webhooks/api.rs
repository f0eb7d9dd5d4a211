//! Server functions of webhooks, for admins only: list and add endpoints, read
//! one with its delivery log, turn one on or off, remove it, send it a test event,
//! send a delivery again.

use super::{Endpoint, EndpointDetail, EndpointForm, WebhookId};
use crate::error::AppError;
use crate::ids::DeliveryId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{guard, store, EndpointDraft},
    crate::auth::Checked,
    crate::state::{admin, app_state, go, write},
};

/// The webhooks page.
pub const PAGE: &str = "/webhooks";

#[server(prefix = "/api", endpoint = "webhooks/list")]
pub async fn list_webhooks() -> Result<Vec<Endpoint>, AppError> {
    admin()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    store::list(&mut conn).await
}

#[server(prefix = "/api", endpoint = "webhooks/get")]
pub async fn get_webhook(id: WebhookId) -> Result<EndpointDetail, AppError> {
    admin()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    store::detail(&mut conn, &id).await
}

/// Adds an endpoint; its page then shows the secret to verify signatures with.
#[server(prefix = "/api", endpoint = "webhooks/create")]
pub async fn create_webhook(#[server(flatten)] form: EndpointForm) -> Result<(), AppError> {
    let viewer = admin()?;
    let draft = EndpointDraft::checked(&form)?;
    guard::check_url(&draft.url, app_state()?.allow_private_webhooks)?;
    let id = write(async |tx| store::create(tx, &viewer, &draft).await).await?;
    go(&format!("{PAGE}/{id}?created=1"))
}

/// Turns an endpoint on (`enabled` = `true`) or off.
#[server(prefix = "/api", endpoint = "webhooks/enable")]
pub async fn enable_webhook(id: WebhookId, enabled: bool) -> Result<(), AppError> {
    let viewer = admin()?;
    write(async |tx| store::set_enabled(tx, &viewer, &id, enabled).await).await?;
    go(&format!("{PAGE}/{id}"))
}

#[server(prefix = "/api", endpoint = "webhooks/delete")]
pub async fn delete_webhook(id: WebhookId) -> Result<(), AppError> {
    let viewer = admin()?;
    write(async |tx| store::delete(tx, &viewer, &id).await).await?;
    go(&format!("{PAGE}?deleted=1"))
}

/// Queues a `webhook.test` event for the endpoint; its log shows how it went.
#[server(prefix = "/api", endpoint = "webhooks/test")]
pub async fn test_webhook(id: WebhookId) -> Result<(), AppError> {
    let viewer = admin()?;
    write(async |tx| store::send_test(tx, &viewer, &id).await).await?;
    go(&format!("{PAGE}/{id}?tested=1"))
}

/// Sends a delivery again now.
#[server(prefix = "/api", endpoint = "webhooks/redeliver")]
pub async fn redeliver(id: DeliveryId) -> Result<(), AppError> {
    admin()?;
    let endpoint = write(async |tx| store::redeliver(tx, &id).await).await?;
    go(&format!("{PAGE}/{endpoint}?redelivered=1"))
}
