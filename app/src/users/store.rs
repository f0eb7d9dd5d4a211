//! SQL about team members that other areas need.

use crate::auth::UserId;
use crate::db::{now_ms, Db};
use crate::error::{AppError, AppResult};
use sqlx::AnyConnection;

/// The name of `user`, if it is an active team member who can be given records;
/// otherwise a validation error on the `assignee` field.
pub async fn assignable_name(conn: &mut AnyConnection, user: &UserId) -> AppResult<String> {
    let found: Option<(String, i64)> =
        sqlx::query_as("SELECT name, active FROM users WHERE id = $1")
            .bind(&user.0)
            .fetch_optional(conn)
            .await?;
    match found {
        Some((name, 1)) => Ok(name),
        _ => Err(AppError::invalid(
            "assignee",
            "Choose an active team member.",
        )),
    }
}

/// Gives record `id` of `table` to `to`, an active team member, by writing its
/// owner `column` (a new version); returns the new owner's name for the log.
/// `table` and `column` are the caller's constants, never user input.
pub async fn hand_over(
    conn: &mut AnyConnection,
    table: &str,
    column: &str,
    id: &str,
    to: &UserId,
) -> AppResult<String> {
    let name = assignable_name(conn, to).await?;
    sqlx::query(&format!(
        "UPDATE {table} SET {column} = $1, version = version + 1, updated_at = $2 WHERE id = $3"
    ))
    .bind(&to.0)
    .bind(now_ms())
    .bind(id)
    .execute(conn)
    .await?;
    Ok(name)
}

/// Every team member, former ones too: (id, name, active), by name.
pub async fn names(db: &Db) -> AppResult<Vec<(String, String, bool)>> {
    let rows: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT id, name, active FROM users ORDER BY name, id")
            .fetch_all(&db.pool)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, active)| (id, name, active == 1))
        .collect())
}
