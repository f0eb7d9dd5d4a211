//! Writes activity entries. There is deliberately no update or delete here:
//! the log is append-only, and each entry is written in the transaction of the
//! change it describes.

use super::{Action, EntityType};
use crate::db::{new_id, now_ms};
use sqlx::AnyConnection;

pub struct NewEntry<'a> {
    pub actor_id: Option<&'a str>,
    pub actor_name: &'a str,
    pub action: Action,
    pub entity_type: EntityType,
    pub entity_id: Option<&'a str>,
    /// A readable description that outlives the record (e.g. the lead's name).
    pub label: &'a str,
    /// For updates: JSON of the changed fields, old → new.
    pub changes: Option<String>,
}

pub async fn record(conn: &mut AnyConnection, entry: NewEntry<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO activity (id, at, actor_id, actor_name, action, entity_type, entity_id, label, changes) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(new_id())
    .bind(now_ms())
    .bind(entry.actor_id)
    .bind(entry.actor_name)
    .bind(entry.action.as_str())
    .bind(entry.entity_type.as_str())
    .bind(entry.entity_id)
    .bind(entry.label)
    .bind(entry.changes)
    .execute(conn)
    .await?;
    Ok(())
}
