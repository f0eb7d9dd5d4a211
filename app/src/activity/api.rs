//! Server functions of the activity log.

use super::{ActivityEntry, ActivityPage};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{store, ActivityQuery, EntityType},
    crate::auth::policy::{self, RecordScope},
    crate::records::{visible, RecordRef},
    crate::state::{app_state, signed_in},
    crate::tasks::TaskId,
};

/// How many entries a record's page shows.
pub const RECORD_HISTORY: i64 = 50;

/// The latest history of a lead, customer, task or (admins) user (`kind`), if the viewer may see it.
#[server(prefix = "/api", endpoint = "activity/record")]
pub async fn record_activity(kind: String, id: String) -> Result<Vec<ActivityEntry>, AppError> {
    let viewer = signed_in()?;
    let scope = RecordScope::of(&viewer);
    let db = &app_state()?.db;
    let entity_type = {
        let mut conn = db.pool.acquire().await?;
        if kind == "user" {
            // A team member's account history: admins only, like their page.
            policy::require_admin(&viewer)?;
            EntityType::User
        } else if kind == "task" {
            crate::tasks::store::get(&mut conn, &scope, &TaskId(id.clone())).await?;
            EntityType::Task
        } else {
            let record = RecordRef::parse(&kind, &id)?;
            visible(&mut conn, &scope, &record).await?;
            record.entity_type()
        }
    };
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
