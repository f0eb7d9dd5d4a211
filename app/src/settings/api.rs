//! Server functions for the organisation settings: admins only.

use super::{Organisation, SettingsForm};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::Checked;

#[cfg(feature = "ssr")]
use {
    super::{store, OrganisationDraft},
    crate::state::{admin, app_state, go, write},
};

#[server(prefix = "/api", endpoint = "settings/get")]
pub async fn get_settings() -> Result<Organisation, AppError> {
    admin()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    store::load(&mut conn).await
}

/// Every IANA time zone name, for the settings form's suggestions.
#[server(prefix = "/api", endpoint = "settings/time_zones")]
pub async fn time_zone_names() -> Result<Vec<String>, AppError> {
    admin()?;
    Ok(chrono_tz::TZ_VARIANTS.iter().map(|zone| zone.name().to_owned()).collect())
}

#[server(prefix = "/api", endpoint = "settings/update")]
pub async fn update_settings(
    version: i64,
    #[server(flatten)] form: SettingsForm,
) -> Result<(), AppError> {
    let viewer = admin()?;
    let draft = OrganisationDraft::checked(&form)?;
    write(async |tx| store::save(tx, &viewer, version, &draft).await).await?;
    go("/settings?saved=1")
}
