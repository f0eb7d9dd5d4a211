//! Server functions of the users area.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    auth::policy,
    state::{app_state, request_viewer},
};

/// A team member someone can be assigned to, for pickers and filters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    pub id: String,
    pub name: String,
}

/// Active team members (admins only: agents cannot pick anyone but themselves).
#[server(prefix = "/api", endpoint = "users/team")]
pub async fn team_members() -> Result<Vec<TeamMember>, AppError> {
    let viewer = policy::require_signed_in(request_viewer())?;
    policy::require_admin(&viewer)?;
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, name FROM users WHERE active = 1 ORDER BY name, id")
            .fetch_all(&app_state()?.db.pool)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| TeamMember { id, name })
        .collect())
}
