//! The dashboard's server function.

use super::Dashboard;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::store,
    crate::auth::policy,
    crate::state::{app_state, request_viewer},
};

/// The viewer's dashboard, in the organisation's calendar.
#[server(prefix = "/api", endpoint = "dashboard")]
pub async fn get_dashboard() -> Result<Dashboard, AppError> {
    let viewer = policy::require_signed_in(request_viewer())?;
    let db = &app_state()?.db;
    let tz = crate::clock::org_time_zone(db).await?;
    store::load(db, &viewer, tz, chrono::Utc::now()).await
}
