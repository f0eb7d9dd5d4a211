//! Mappings saved under a name: what a team member decided for one export's columns
//! (a field per column, status values, rules), kept to plan the next file of the same
//! kind the same way. Each is its owner's alone; saving under a name already taken
//! replaces that mapping.

use crate::auth::Viewer;
use crate::db::now_ms;
use crate::error::{AppError, AppResult, FieldError};
use crate::ids::SavedMappingId;
use crate::import::job::{JobPlan, SavedMapping};
use crate::import::mapping::adapt;
use crate::import::ImportKind;
use sqlx::AnyConnection;

/// The longest name a mapping may have, in characters.
pub const NAME_MAX: usize = 100;

/// Saves `plan`, made for a file with the columns `headers`, as `name` (trimmed):
/// replaces the viewer's mapping of that name, if any.
pub async fn save(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    kind: ImportKind,
    name: &str,
    headers: &[String],
    plan: &JobPlan,
) -> AppResult<()> {
    let name = checked_name(name)?;
    sqlx::query(
        "INSERT INTO import_mappings (id, kind, name, headers, plan, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (created_by, kind, name) DO UPDATE \
         SET headers = excluded.headers, plan = excluded.plan, created_at = excluded.created_at",
    )
    .bind(SavedMappingId::generate().as_str())
    .bind(kind.as_str())
    .bind(name)
    .bind(json(&headers)?)
    .bind(json(plan)?)
    .bind(viewer.id.as_str())
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

fn checked_name(name: &str) -> AppResult<&str> {
    let name = name.trim();
    if name.is_empty() {
        return Err(refused("Give the mapping a name."));
    }
    if name.chars().count() > NAME_MAX {
        return Err(refused(&format!("Use at most {NAME_MAX} characters.")));
    }
    Ok(name)
}

fn refused(message: &str) -> AppError {
    AppError::Invalid(vec![FieldError::new("save_as", message)])
}

fn json(value: &impl serde::Serialize) -> AppResult<String> {
    serde_json::to_string(value).map_err(|e| AppError::internal("a mapping could not be saved", e))
}

fn stored<T: serde::de::DeserializeOwned>(text: &str) -> AppResult<T> {
    serde_json::from_str(text).map_err(|e| AppError::internal("a saved mapping is unreadable", e))
}

/// The viewer's saved mappings for files of `kind`, by name.
pub async fn list(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    kind: ImportKind,
) -> AppResult<Vec<SavedMapping>> {
    let rows: Vec<(SavedMappingId, String, String)> = sqlx::query_as(
        "SELECT id, name, headers FROM import_mappings WHERE created_by = $1 AND kind = $2 \
         ORDER BY LOWER(name)",
    )
    .bind(viewer.id.as_str())
    .bind(kind.as_str())
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(id, name, headers)| {
            Ok(SavedMapping { id, name, columns: stored::<Vec<String>>(&headers)?.len() })
        })
        .collect()
}

/// The plan the viewer's mapping `id` makes for a file of `kind` with the columns
/// `headers`; `NotFound` for a mapping of anyone else or of another kind.
pub async fn plan_for(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &SavedMappingId,
    kind: ImportKind,
    headers: &[String],
) -> AppResult<JobPlan> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT headers, plan FROM import_mappings WHERE id = $1 AND created_by = $2 AND kind = $3",
    )
    .bind(id.as_str())
    .bind(viewer.id.as_str())
    .bind(kind.as_str())
    .fetch_optional(conn)
    .await?;
    let (saved, plan) = row.ok_or(AppError::NotFound)?;
    let mut plan: JobPlan = stored(&plan)?;
    let saved: Vec<String> = stored(&saved)?;
    plan.mapping.targets = adapt(kind, &saved, &plan.mapping.targets, headers);
    if !viewer.is_admin() {
        plan.default_assignee = viewer.id.clone();
    }
    Ok(plan)
}

/// The viewer's mapping of files of `kind` saved as `name`, for `kith import --mapping`.
pub async fn named(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    kind: ImportKind,
    name: &str,
) -> AppResult<Option<SavedMappingId>> {
    let id = sqlx::query_scalar(
        "SELECT id FROM import_mappings WHERE created_by = $1 AND kind = $2 AND name = $3",
    )
    .bind(viewer.id.as_str())
    .bind(kind.as_str())
    .bind(name.trim())
    .fetch_optional(conn)
    .await?;
    Ok(id)
}

/// Forgets the viewer's mapping `id`.
pub async fn delete(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &SavedMappingId,
) -> AppResult<()> {
    let done = sqlx::query("DELETE FROM import_mappings WHERE id = $1 AND created_by = $2")
        .bind(id.as_str())
        .bind(viewer.id.as_str())
        .execute(conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}
