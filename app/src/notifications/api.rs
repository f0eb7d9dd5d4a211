//! Server functions of notifications: each person reads and marks only their own.

use super::Notifications;
use crate::error::AppError;
use crate::ids::NotificationId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::store,
    crate::state::{app_state, go, signed_in, write},
};

/// The page of the notifications list.
pub const PAGE: &str = "/notifications";

/// The viewer's notifications, newest first, older than `before` when given.
#[server(prefix = "/api", endpoint = "notifications/list")]
pub async fn my_notifications(before: Option<String>) -> Result<Notifications, AppError> {
    let viewer = signed_in()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    store::list(&mut conn, &viewer.id, before.as_deref()).await
}

/// Marks one of the viewer's notifications read.
#[server(prefix = "/api", endpoint = "notifications/read")]
pub async fn mark_read(id: NotificationId) -> Result<(), AppError> {
    let viewer = signed_in()?;
    write(async |tx| store::mark_read(tx, &viewer.id, &id).await).await?;
    go(PAGE)
}

/// Marks all of the viewer's notifications read.
#[server(prefix = "/api", endpoint = "notifications/read_all")]
pub async fn mark_all_read() -> Result<(), AppError> {
    let viewer = signed_in()?;
    write(async |tx| store::mark_all_read(tx, &viewer.id).await).await?;
    go(PAGE)
}
