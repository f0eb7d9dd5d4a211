//! Tasks that follow their record or the clock: a converted lead's open tasks move to its customer; a new time zone moves every due instant.

use super::*;

/// A converted lead's open tasks move to its new customer, each move logged.
pub async fn move_open_tasks(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    lead: &LeadId,
    customer: &CustomerId,
    name: &str,
) -> AppResult<()> {
    let open: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, title FROM tasks WHERE lead_id = $1 AND status <> 'done' ORDER BY id",
    )
    .bind(lead.as_str())
    .fetch_all(&mut *conn)
    .await?;
    if open.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "UPDATE tasks SET lead_id = NULL, customer_id = $1, version = version + 1, updated_at = $2 \
         WHERE lead_id = $3 AND status <> 'done'",
    )
    .bind(customer.as_str())
    .bind(now_ms())
    .bind(lead.as_str())
    .execute(&mut *conn)
    .await?;
    let change =
        serde_json::json!({ "related to": [format!("Lead {name}"), format!("Customer {name}")] })
            .to_string();
    for (id, title) in &open {
        NewEntry::by(viewer, Action::Update, (EntityType::Task, id), title)
            .changes(Some(change.clone()))
            .record(conn)
            .await?;
    }
    Ok(())
}

/// Recomputes every task's due instant for the organisation's time zone `tz`
/// (after the time zone changes), inside the caller's transaction.
pub async fn reschedule(conn: &mut AnyConnection, tz: Tz) -> AppResult<()> {
    let tasks: Vec<(String, String, Option<String>, i64)> =
        sqlx::query_as("SELECT id, due_date, due_time, due_at FROM tasks")
            .fetch_all(&mut *conn)
            .await?;
    for (id, date, time, old) in tasks {
        let Ok(date) = NaiveDate::parse_from_str(&date, "%Y-%m-%d") else {
            continue;
        };
        let time = time.and_then(|t| NaiveTime::parse_from_str(&t, "%H:%M").ok());
        let new = due_at(tz, date, time);
        if new != old {
            sqlx::query("UPDATE tasks SET due_at = $1 WHERE id = $2")
                .bind(new)
                .bind(&id)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}
