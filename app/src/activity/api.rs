//! Server functions of the activity log.

use super::ActivityEntry;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{store, EntityType},
    crate::auth::policy::{self, RecordScope},
    crate::records::{visible, RecordRef},
    crate::state::{app_state, request_viewer},
    crate::tasks::TaskId,
};

/// How many entries a record's page shows.
pub const RECORD_HISTORY: i64 = 50;

/// The latest history of a lead, customer or task (`kind`), if the viewer may see it.
#[server(prefix = "/api", endpoint = "activity/record")]
pub async fn record_activity(kind: String, id: String) -> Result<Vec<ActivityEntry>, AppError> {
    let viewer = policy::require_signed_in(request_viewer())?;
    let scope = RecordScope::of(&viewer);
    let mut conn = app_state()?.db.pool.acquire().await?;
    let entity_type = if kind == "task" {
        crate::tasks::store::get(&mut conn, &scope, &TaskId(id.clone())).await?;
        EntityType::Task
    } else {
        let record = RecordRef::parse(&kind, &id)?;
        visible(&mut conn, &scope, &record).await?;
        record.entity_type()
    };
    Ok(store::for_record(&mut conn, entity_type, &id, RECORD_HISTORY).await?)
}
