//! Tasks that follow their record or the clock: a converted lead's open tasks move to its customer; a new time zone moves every due instant.

use super::*;

/// How many tasks of the lead are not done.
pub async fn open_of_lead(conn: &mut AnyConnection, lead: &LeadId) -> AppResult<i64> {
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM tasks WHERE lead_id = $1 AND status <> 'done'")
            .bind(lead.as_str())
            .fetch_one(conn)
            .await?;
    Ok(count)
}

/// The lead a converted lead's open tasks move from: its id and name, and the
/// team member it is assigned to (id and name), who owns the new customer.
pub struct Converted<'a> {
    pub lead: &'a LeadId,
    pub name: &'a str,
    pub owner: (&'a UserId, &'a str),
}

/// A converted lead's open tasks move to its new customer and to the customer's
/// owner (the lead's assignee now, whoever held a task before), each move logged.
pub async fn move_open_tasks(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    from: Converted<'_>,
    customer: &CustomerId,
) -> AppResult<()> {
    let open: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT t.id, t.title, t.assignee_id, u.name FROM tasks t JOIN users u ON u.id = t.assignee_id \
         WHERE t.lead_id = $1 AND t.status <> 'done' ORDER BY t.id",
    )
    .bind(from.lead.as_str())
    .fetch_all(&mut *conn)
    .await?;
    if open.is_empty() {
        return Ok(());
    }
    let (owner, owner_name) = from.owner;
    sqlx::query(
        "UPDATE tasks SET lead_id = NULL, customer_id = $1, assignee_id = $2, version = version + 1, \
         updated_at = $3 WHERE lead_id = $4 AND status <> 'done'",
    )
    .bind(customer.as_str())
    .bind(owner.as_str())
    .bind(now_ms())
    .bind(from.lead.as_str())
    .execute(&mut *conn)
    .await?;
    let name = from.name;
    for (id, title, assignee, assignee_name) in &open {
        let mut change = serde_json::json!({
            "related to": [format!("Lead {name}"), format!("Customer {name}")]
        });
        if assignee != owner.as_str() {
            change["assigned to"] = serde_json::json!([assignee_name, owner_name]);
        }
        NewEntry::by(viewer, Action::Update, (EntityType::Task, id), title)
            .changes(Some(change.to_string()))
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
