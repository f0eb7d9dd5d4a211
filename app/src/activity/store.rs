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

/// The fields whose values differ, as `{"field": [old, new]}` JSON; `None` when nothing changed.
pub fn changes_json(pairs: &[(&str, &str, &str)]) -> Option<String> {
    let changed: serde_json::Map<String, serde_json::Value> = pairs
        .iter()
        .filter(|(_, old, new)| old != new)
        .map(|(field, old, new)| ((*field).to_owned(), serde_json::json!([old, new])))
        .collect();
    (!changed.is_empty()).then(|| serde_json::Value::Object(changed).to_string())
}

/// The latest entries about one record, newest first.
pub async fn for_record(
    conn: &mut AnyConnection,
    entity_type: EntityType,
    id: &str,
    limit: i64,
) -> Result<Vec<super::ActivityEntry>, sqlx::Error> {
    let rows: Vec<(i64, String, String, Option<String>)> = sqlx::query_as(&format!(
        "SELECT at, actor_name, action, changes FROM activity WHERE entity_type = $1 AND entity_id = $2 \
         ORDER BY at DESC, id DESC LIMIT {limit}"
    ))
    .bind(entity_type.as_str())
    .bind(id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(at, actor_name, action, changes)| {
            Some(super::ActivityEntry {
                at,
                actor_name,
                action: Action::parse(&action)?,
                changes: changes.as_deref().map(parse_changes).unwrap_or_default(),
            })
        })
        .collect())
}

/// `{"field": [old, new]}` JSON back into (field, old, new) triples.
fn parse_changes(json: &str) -> Vec<(String, String, String)> {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str(json) else {
        return Vec::new();
    };
    let text = |v: Option<&serde_json::Value>| match v {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    map.into_iter()
        .map(|(field, pair)| (field, text(pair.get(0)), text(pair.get(1))))
        .collect()
}
