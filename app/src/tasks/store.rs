//! SQL for tasks. Agents reach only the tasks assigned to them, in the query itself.

use super::{
    Priority, StatusFilter, Task, TaskDraft, TaskId, TaskPage, TaskQuery, TaskSort, TaskStatus,
};
use crate::activity::store::{changes_json, record, NewEntry};
use crate::activity::{Action, EntityType};
use crate::auth::policy::RecordScope;
use crate::auth::{UserId, Viewer};
use crate::clock::{day_start, local_instant};
use crate::customers::CustomerId;
use crate::db::{applied, new_id, now_ms, Db};
use crate::error::{AppError, AppResult};
use crate::leads::LeadId;
use crate::records::{RecordLink, RecordRef};
use crate::sql::Filter;
use chrono::{Days, NaiveDate, NaiveTime};
use chrono_tz::Tz;
use sqlx::AnyConnection;

/// The instant a task becomes overdue: its due time on its due day in the
/// organisation's time zone, or, without a time, the end of that day.
pub fn due_at(tz: Tz, date: NaiveDate, time: Option<NaiveTime>) -> i64 {
    match time {
        Some(time) => local_instant(tz, date.and_time(time)),
        None => day_start(tz, date.checked_add_days(Days::new(1)).unwrap_or(date)),
    }
}

/// The one definition of overdue, as SQL over the task alias `t`: not done, and
/// its due moment (`due_at`, see above) has come by `now` (epoch ms). Every list,
/// count and the dashboard use it.
pub fn overdue_sql(now: i64) -> String {
    format!("(t.status <> 'done' AND t.due_at <= {now})")
}

fn list_filter(scope: &RecordScope, query: &TaskQuery, now: i64) -> Filter {
    let mut filter = Filter::new();
    filter.scope(scope, "t.assignee_id");
    match query.status {
        StatusFilter::NotDone => filter.push("t.status <> 'done'", None),
        StatusFilter::All => {}
        StatusFilter::Only(status) => filter.push("t.status = ?", Some(status.as_str().to_owned())),
    }
    if let Some(priority) = query.priority {
        filter.push("t.priority = ?", Some(priority.as_str().to_owned()));
    }
    if let (Some(assignee), RecordScope::Everything) = (&query.assignee, scope) {
        filter.push("t.assignee_id = ?", Some(assignee.clone()));
    }
    if let Some(from) = &query.due_from {
        filter.push("t.due_date >= ?", Some(from.clone()));
    }
    if let Some(to) = &query.due_to {
        filter.push("t.due_date <= ?", Some(to.clone()));
    }
    if query.overdue_only {
        filter.push(&overdue_sql(now), None);
    }
    if let Some(record) = &query.record {
        filter.push(
            &format!("t.{} = ?", record.column()),
            Some(record.id().to_owned()),
        );
    }
    filter
}

fn order_by(query: &TaskQuery) -> String {
    let direction = if query.descending { "DESC" } else { "ASC" };
    let first = match query.sort {
        TaskSort::Due => return format!("t.due_at {direction}, t.id {direction}"),
        TaskSort::Title => return format!("t.title {direction}, t.id {direction}"),
        TaskSort::Priority => "CASE t.priority WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END",
        TaskSort::Status => "CASE t.status WHEN 'open' THEN 1 WHEN 'in_progress' THEN 2 ELSE 3 END",
    };
    format!("{first} {direction}, t.due_at ASC, t.id ASC")
}

/// The columns of a `Task`, over `tasks t` joined as in `FROM_TASKS`.
fn select_task(now: i64) -> String {
    format!(
        "SELECT t.id, t.title, t.description, t.due_date, t.due_time, t.priority, t.status, t.assignee_id, \
         u.name AS assignee_name, t.lead_id, t.customer_id, COALESCE(l.name, c.name) AS related_name, \
         COALESCE(l.archived_at, c.archived_at) AS related_archived_at, t.completed_at, \
         CAST(CASE WHEN {} THEN 1 ELSE 0 END AS BIGINT) AS overdue, t.version, t.created_at, t.updated_at {FROM_TASKS}",
        overdue_sql(now)
    )
}

const FROM_TASKS: &str = "FROM tasks t JOIN users u ON u.id = t.assignee_id \
     LEFT JOIN leads l ON l.id = t.lead_id LEFT JOIN customers c ON c.id = t.customer_id";

#[derive(sqlx::FromRow)]
struct TaskRecord {
    id: String,
    title: String,
    description: String,
    due_date: String,
    due_time: Option<String>,
    priority: String,
    status: String,
    assignee_id: String,
    assignee_name: String,
    lead_id: Option<String>,
    customer_id: Option<String>,
    related_name: Option<String>,
    related_archived_at: Option<i64>,
    completed_at: Option<i64>,
    overdue: i64,
    version: i64,
    created_at: i64,
    updated_at: i64,
}

impl TaskRecord {
    fn into_task(self) -> AppResult<Task> {
        let corrupt = |what: &str, raw: &str| AppError::internal(what, raw);
        let related =
            RecordRef::from_columns(self.lead_id, self.customer_id).map(|record| RecordLink {
                record,
                name: self.related_name.unwrap_or_default(),
                archived: self.related_archived_at.is_some(),
            });
        Ok(Task {
            id: TaskId(self.id),
            priority: self
                .priority
                .parse::<Priority>()
                .map_err(|_| corrupt("unknown task priority in the database", &self.priority))?,
            status: self
                .status
                .parse::<TaskStatus>()
                .map_err(|_| corrupt("unknown task status in the database", &self.status))?,
            title: self.title,
            description: self.description,
            due_date: self.due_date,
            due_time: self.due_time,
            assignee_id: self.assignee_id,
            assignee_name: self.assignee_name,
            related,
            completed_at: self.completed_at,
            overdue: self.overdue == 1,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// One page of the tasks the viewer may see, and how many match in all.
pub async fn list(db: &Db, scope: &RecordScope, query: &TaskQuery) -> AppResult<TaskPage> {
    let now = now_ms();
    let count_filter = list_filter(scope, query, now);
    let count_sql = format!("SELECT COUNT(*) FROM tasks t WHERE {}", count_filter.sql());
    let (total,): (i64,) = sqlx::query_as_with(&count_sql, count_filter.args)
        .fetch_one(&db.pool)
        .await?;
    let filter = list_filter(scope, query, now);
    let sql = format!(
        "{} WHERE {} ORDER BY {} LIMIT {} OFFSET {}",
        select_task(now),
        filter.sql(),
        order_by(query),
        query.per_page,
        crate::list::offset(query.page, query.per_page)
    );
    let records: Vec<TaskRecord> = sqlx::query_as_with(&sql, filter.args)
        .fetch_all(&db.pool)
        .await?;
    let rows = records
        .into_iter()
        .map(TaskRecord::into_task)
        .collect::<AppResult<Vec<_>>>()?;
    Ok(TaskPage {
        rows,
        total,
        query: query.clone(),
    })
}

/// The viewer's tasks not done yet, per assignee: (assignee, open, overdue now).
pub async fn open_counts(
    db: &Db,
    scope: &RecordScope,
    now: i64,
) -> AppResult<Vec<(String, i64, i64)>> {
    let mut filter = Filter::new();
    filter.push("t.status <> 'done'", None);
    filter.scope(scope, "t.assignee_id");
    let sql = format!(
        "SELECT t.assignee_id, COUNT(*), SUM(CASE WHEN {} THEN 1 ELSE 0 END) FROM tasks t \
         WHERE {} GROUP BY t.assignee_id",
        overdue_sql(now),
        filter.sql()
    );
    Ok(sqlx::query_as_with(&sql, filter.args)
        .fetch_all(&db.pool)
        .await?)
}

/// The task, if it exists and the viewer may see it; otherwise `NotFound`.
pub async fn get(conn: &mut AnyConnection, scope: &RecordScope, id: &TaskId) -> AppResult<Task> {
    let mut filter = Filter::new();
    filter.push("t.id = ?", Some(id.0.clone()));
    filter.scope(scope, "t.assignee_id");
    let sql = format!("{} WHERE {}", select_task(now_ms()), filter.sql());
    let record: TaskRecord = sqlx::query_as_with(&sql, filter.args)
        .fetch_optional(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    record.into_task()
}

fn entry<'a>(
    viewer: &'a Viewer,
    action: Action,
    id: &'a str,
    label: &'a str,
    changes: Option<String>,
) -> NewEntry<'a> {
    NewEntry {
        actor_id: Some(&viewer.id.0),
        actor_name: &viewer.name,
        action,
        entity_type: EntityType::Task,
        entity_id: Some(id),
        label,
        changes,
    }
}

/// When a task in `status` was completed: now for a task just done, kept for one
/// already done, none otherwise.
fn completed_at(status: TaskStatus, before: Option<&Task>, now: i64) -> Option<i64> {
    match (status, before) {
        (TaskStatus::Done, Some(task)) if task.status == TaskStatus::Done => task.completed_at,
        (TaskStatus::Done, _) => Some(now),
        _ => None,
    }
}

/// Inserts a task for `assignee`, related to a record the caller checked the
/// viewer may see, and logs it, in the caller's transaction.
pub async fn create(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    draft: &TaskDraft,
    assignee: &UserId,
    related: Option<&RecordRef>,
    tz: Tz,
) -> AppResult<TaskId> {
    let id = new_id();
    let now = now_ms();
    let (lead_id, customer_id) = related.map(RecordRef::columns).unwrap_or_default();
    sqlx::query(
        "INSERT INTO tasks (id, title, description, due_date, due_time, due_at, priority, status, assignee_id, \
         lead_id, customer_id, completed_at, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $13)",
    )
    .bind(&id)
    .bind(&draft.title)
    .bind(&draft.description)
    .bind(draft.due_date_str())
    .bind(draft.due_time_str())
    .bind(due_at(tz, draft.due_date, draft.due_time))
    .bind(draft.priority.as_str())
    .bind(draft.status.as_str())
    .bind(&assignee.0)
    .bind(lead_id)
    .bind(customer_id)
    .bind(completed_at(draft.status, None, now))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    record(conn, entry(viewer, Action::Create, &id, &draft.title, None)).await?;
    Ok(TaskId(id))
}

fn stale() -> AppError {
    AppError::Conflict(
        "Someone else changed this task after you opened it. Reload to see their changes, then try again.".into(),
    )
}

/// The task for a change: visible to the viewer and unchanged since they saw it.
async fn current(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &TaskId,
    expected_version: i64,
) -> AppResult<Task> {
    let task = get(conn, &RecordScope::of(viewer), id).await?;
    if task.version != expected_version {
        return Err(stale());
    }
    Ok(task)
}

/// Saves an edit made on `expected_version`. A change of status alone is logged
/// as a status change; anything else as an update with every changed field.
pub async fn update(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &TaskId,
    expected_version: i64,
    draft: &TaskDraft,
    tz: Tz,
) -> AppResult<()> {
    let before = current(conn, viewer, id, expected_version).await?;
    let (due_date, due_time) = (draft.due_date_str(), draft.due_time_str());
    let pairs = [
        ("title", before.title.as_str(), draft.title.as_str()),
        (
            "description",
            before.description.as_str(),
            draft.description.as_str(),
        ),
        ("due date", before.due_date.as_str(), due_date.as_str()),
        (
            "due time",
            before.due_time.as_deref().unwrap_or(""),
            due_time.as_deref().unwrap_or(""),
        ),
        ("priority", before.priority.label(), draft.priority.label()),
        ("status", before.status.label(), draft.status.label()),
    ];
    let Some(changes) = changes_json(&pairs) else {
        return Ok(());
    };
    let now = now_ms();
    let updated = sqlx::query(
        "UPDATE tasks SET title = $1, description = $2, due_date = $3, due_time = $4, due_at = $5, priority = $6, \
         status = $7, completed_at = $8, version = version + 1, updated_at = $9 WHERE id = $10 AND version = $11",
    )
    .bind(&draft.title)
    .bind(&draft.description)
    .bind(&due_date)
    .bind(&due_time)
    .bind(due_at(tz, draft.due_date, draft.due_time))
    .bind(draft.priority.as_str())
    .bind(draft.status.as_str())
    .bind(completed_at(draft.status, Some(&before), now))
    .bind(now)
    .bind(&id.0)
    .bind(expected_version)
    .execute(&mut *conn)
    .await?;
    applied(updated, stale)?;
    let only_status = pairs
        .iter()
        .all(|(field, old, new)| *field == "status" || old == new);
    let action = if only_status {
        Action::StatusChange
    } else {
        Action::Update
    };
    record(
        conn,
        entry(viewer, action, &id.0, &draft.title, Some(changes)),
    )
    .await?;
    Ok(())
}

/// Marks a task seen at `expected_version` done, or reopens it (the list's quick actions).
pub async fn set_status(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &TaskId,
    expected_version: i64,
    status: TaskStatus,
) -> AppResult<()> {
    let before = current(conn, viewer, id, expected_version).await?;
    if before.status == status {
        return Ok(());
    }
    let now = now_ms();
    let updated = sqlx::query(
        "UPDATE tasks SET status = $1, completed_at = $2, version = version + 1, updated_at = $3 \
         WHERE id = $4 AND version = $5",
    )
    .bind(status.as_str())
    .bind(completed_at(status, Some(&before), now))
    .bind(now)
    .bind(&id.0)
    .bind(expected_version)
    .execute(&mut *conn)
    .await?;
    applied(updated, stale)?;
    let change =
        serde_json::json!({ "status": [before.status.label(), status.label()] }).to_string();
    record(
        conn,
        entry(
            viewer,
            Action::StatusChange,
            &id.0,
            &before.title,
            Some(change),
        ),
    )
    .await?;
    Ok(())
}

/// Gives a task to another active team member (admins), logged as an assignment.
pub async fn assign(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &TaskId,
    assignee: &UserId,
) -> AppResult<()> {
    let task = get(conn, &RecordScope::of(viewer), id).await?;
    if task.assignee_id == assignee.0 {
        return Ok(());
    }
    let new_name =
        crate::users::store::hand_over(conn, "tasks", "assignee_id", &id.0, assignee).await?;
    let change = serde_json::json!({ "assignee": [task.assignee_name, new_name] }).to_string();
    record(
        conn,
        entry(viewer, Action::Assign, &id.0, &task.title, Some(change)),
    )
    .await?;
    Ok(())
}

/// Deletes a task seen at `expected_version`; the log keeps what it was.
pub async fn delete(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &TaskId,
    expected_version: i64,
) -> AppResult<Option<RecordRef>> {
    let task = current(conn, viewer, id, expected_version).await?;
    let done = sqlx::query("DELETE FROM tasks WHERE id = $1 AND version = $2")
        .bind(&id.0)
        .bind(expected_version)
        .execute(&mut *conn)
        .await?;
    applied(done, stale)?;
    let snapshot = serde_json::json!({
        "title": [task.title, ""],
        "due": [task.due_label(), ""],
        "status": [task.status.label(), ""],
        "assignee": [task.assignee_name, ""],
    })
    .to_string();
    record(
        conn,
        entry(viewer, Action::Delete, &id.0, &task.title, Some(snapshot)),
    )
    .await?;
    Ok(task.related.map(|r| r.record))
}

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
    .bind(&lead.0)
    .fetch_all(&mut *conn)
    .await?;
    if open.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "UPDATE tasks SET lead_id = NULL, customer_id = $1, version = version + 1, updated_at = $2 \
         WHERE lead_id = $3 AND status <> 'done'",
    )
    .bind(&customer.0)
    .bind(now_ms())
    .bind(&lead.0)
    .execute(&mut *conn)
    .await?;
    let change =
        serde_json::json!({ "related to": [format!("Lead {name}"), format!("Customer {name}")] })
            .to_string();
    for (id, title) in &open {
        record(
            conn,
            entry(viewer, Action::Update, id, title, Some(change.clone())),
        )
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

/// A task as written by bulk loads (demo data, benchmark data sets).
pub struct ImportedTask {
    pub draft: TaskDraft,
    pub assignee_id: String,
    pub related: Option<RecordRef>,
    pub created_at: i64,
}

/// Inserts many tasks in the caller's transaction, without logging each one.
pub async fn insert_many(
    conn: &mut AnyConnection,
    tasks: &[ImportedTask],
    tz: Tz,
) -> AppResult<()> {
    for task in tasks {
        let (lead_id, customer_id) = task
            .related
            .as_ref()
            .map(RecordRef::columns)
            .unwrap_or_default();
        let draft = &task.draft;
        sqlx::query(
            "INSERT INTO tasks (id, title, description, due_date, due_time, due_at, priority, status, assignee_id, \
             lead_id, customer_id, completed_at, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $13)",
        )
        .bind(new_id())
        .bind(&draft.title)
        .bind(&draft.description)
        .bind(draft.due_date_str())
        .bind(draft.due_time_str())
        .bind(due_at(tz, draft.due_date, draft.due_time))
        .bind(draft.priority.as_str())
        .bind(draft.status.as_str())
        .bind(&task.assignee_id)
        .bind(lead_id)
        .bind(customer_id)
        .bind(completed_at(draft.status, None, task.created_at))
        .bind(task.created_at)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> i64 {
        s.parse::<chrono::DateTime<chrono::Utc>>()
            .expect("a UTC time")
            .timestamp_millis()
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("a date")
    }

    fn time(s: &str) -> Option<NaiveTime> {
        Some(NaiveTime::parse_from_str(s, "%H:%M").expect("a time"))
    }

    #[test]
    fn a_task_due_on_a_day_is_due_at_that_days_end_in_the_organisations_zone() {
        let lisbon: Tz = "Europe/Lisbon".parse().expect("zone");
        // Lisbon is UTC+1 in summer: the day ends at 23:00 UTC.
        assert_eq!(
            due_at(lisbon, date("2026-07-01"), None),
            utc("2026-07-01T23:00:00Z")
        );
        assert_eq!(
            due_at(Tz::UTC, date("2026-07-01"), None),
            utc("2026-07-02T00:00:00Z")
        );
    }

    #[test]
    fn a_timed_task_is_due_at_that_wall_clock_time() {
        let new_york: Tz = "America/New_York".parse().expect("zone");
        assert_eq!(
            due_at(new_york, date("2026-01-15"), time("09:30")),
            utc("2026-01-15T14:30:00Z")
        );
        // 23:59 local is already the next day in UTC, and still due that evening.
        assert_eq!(
            due_at(new_york, date("2026-01-15"), time("23:59")),
            utc("2026-01-16T04:59:00Z")
        );
    }

    #[test]
    fn due_moments_follow_clock_changes() {
        let new_york: Tz = "America/New_York".parse().expect("zone");
        // Clocks go forward at 02:00 on 8 March 2026: that day has 23 hours.
        assert_eq!(
            due_at(new_york, date("2026-03-08"), None),
            utc("2026-03-09T04:00:00Z")
        );
        assert_eq!(
            due_at(new_york, date("2026-03-07"), None),
            utc("2026-03-08T05:00:00Z")
        );
        // 02:30 never happens that day: due when the clock reaches 03:00 (EDT).
        assert_eq!(
            due_at(new_york, date("2026-03-08"), time("02:30")),
            utc("2026-03-08T07:00:00Z")
        );
        // Clocks go back on 1 November: 01:30 happens twice; the first one counts.
        assert_eq!(
            due_at(new_york, date("2026-11-01"), time("01:30")),
            utc("2026-11-01T05:30:00Z")
        );
        assert_eq!(
            due_at(new_york, date("2026-11-01"), None),
            utc("2026-11-02T05:00:00Z")
        );
    }
}
