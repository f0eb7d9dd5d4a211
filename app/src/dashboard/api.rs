//! The dashboard's server function.

use super::Dashboard;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::store,
    crate::state::{reads, signed_in},
};

/// The viewer's dashboard, in the organisation's calendar.
#[server(prefix = "/api", endpoint = "dashboard")]
pub async fn get_dashboard() -> Result<Dashboard, AppError> {
    let viewer = signed_in()?;
    let db = &reads().await?;
    let tz = crate::clock::org_time_zone(db).await?;
    store::load(db, &viewer, tz, chrono::Utc::now()).await
}
