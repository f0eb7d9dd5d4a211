//! Server functions of the activity log.

use super::{ActivityEntry, ActivityPage};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{store, ActivityQuery, EntityType},
    crate::auth::policy::{self, RecordScope},
    crate::state::{app_state, signed_in},
};

/// How many entries a record's page shows.
pub const RECORD_HISTORY: i64 = 50;

/// The latest history of a lead, customer, task or (admins) user (`kind`), if the viewer may see it.
#[server(prefix = "/api", endpoint = "activity/record")]
pub async fn record_activity(kind: String, id: String) -> Result<Vec<ActivityEntry>, AppError> {
    let viewer = signed_in()?;
    let scope = RecordScope::of(&viewer);
    let db = &app_state()?.db;
    let entity_type = EntityType::parse(&kind).ok_or(AppError::NotFound)?;
    match entity_type.owned_table() {
        Some(table) => {
            let mut conn = db.pool.acquire().await?;
            let _: (String,) = crate::sql::in_scope(&mut conn, &scope, table, &id, "id").await?;
        }
        // A team member's account history: admins only, like their page.
        None if entity_type == EntityType::User => policy::require_admin(&viewer)?,
        None => return Err(AppError::NotFound),
    }
    store::for_record(db, entity_type, &id, RECORD_HISTORY).await
}

/// One page of the log the viewer may see; `query` is the page's query string.
#[server(prefix = "/api", endpoint = "activity/list")]
pub async fn list_activity(query: String) -> Result<ActivityPage, AppError> {
    let viewer = signed_in()?;
    let query = ActivityQuery::from_params(crate::list::query_params(&query));
    let db = &app_state()?.db;
    let tz = crate::clock::org_time_zone(db).await?;
    store::list(db, &viewer, &query, tz).await
}
