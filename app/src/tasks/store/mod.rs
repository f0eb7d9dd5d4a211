//! SQL for tasks, one part per file: the list and counts, the changes a person
//! makes (one at a time, or many from the list), and tasks following their record
//! or the clock; here what they share (overdue and due instants, reading a task,
//! bulk inserts).

mod bulk;
mod changes;
mod follow;
mod list;

pub use bulk::{change_many, selected, TaskChange};
pub use changes::assign;
pub use changes::create;
pub use changes::delete;
pub use changes::set_status;
pub use changes::update;
pub use follow::reschedule;
pub use follow::{move_open_tasks, open_of_lead, Converted};
pub use list::list;
pub use list::open_counts;

use super::{
    Priority, StatusFilter, Task, TaskDraft, TaskFilters, TaskId, TaskPage, TaskQuery, TaskSort,
    TaskStatus,
};
use crate::activity::store::{changes_json, NewEntry};
use crate::activity::{Action, EntityType};
use crate::auth::policy::RecordScope;
use crate::auth::{UserId, Viewer};
use crate::clock::{day_start, local_instant};
use crate::db::{applied, check_current, new_id, now_ms, Db, SetAside};
use crate::error::{AppError, AppResult};
use crate::ids::CustomerId;
use crate::ids::LeadId;
use crate::list::Page;
use crate::records::{RecordLink, RecordRef};
use crate::sql::{insert_rows, Filter, Order, Update};
use chrono::{Days, NaiveDate, NaiveTime};
use chrono_tz::Tz;
use sqlx::AnyConnection;
use sqlx::Arguments;

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

/// The columns of a `Task`, over `tasks t` joined as in `FROM_TASKS`.
fn select_task(now: i64) -> String {
    format!("SELECT {} FROM {FROM_TASKS}", task_columns(now))
}

/// The columns of a `TaskRecord`.
fn task_columns(now: i64) -> String {
    format!(
        "t.id, t.title, t.description, t.due_date, t.due_time, t.priority, t.status, t.assignee_id, \
         u.name AS assignee_name, t.lead_id, t.customer_id, COALESCE(l.name, c.name) AS related_name, \
         COALESCE(l.archived_at, c.archived_at) AS related_archived_at, t.completed_at, \
         CAST(CASE WHEN {} THEN 1 ELSE 0 END AS BIGINT) AS overdue, t.version, t.created_at, t.updated_at",
        overdue_sql(now)
    )
}

const FROM_TASKS: &str = "tasks t JOIN users u ON u.id = t.assignee_id \
     LEFT JOIN leads l ON l.id = t.lead_id LEFT JOIN customers c ON c.id = t.customer_id";

#[derive(sqlx::FromRow)]
struct TaskRecord {
    id: TaskId,
    title: String,
    description: String,
    due_date: String,
    due_time: Option<String>,
    priority: String,
    status: String,
    assignee_id: UserId,
    assignee_name: String,
    lead_id: Option<LeadId>,
    customer_id: Option<CustomerId>,
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
            id: self.id,
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

/// The task, if it exists and the viewer may see it; otherwise `NotFound`.
pub async fn get(conn: &mut AnyConnection, scope: &RecordScope, id: &TaskId) -> AppResult<Task> {
    let mut filter = Filter::new();
    filter.push("t.id = ?", Some(id.to_string()));
    filter.scope(scope, "t.assignee_id");
    let sql = format!("{} WHERE {}", select_task(now_ms()), filter.sql());
    let record: TaskRecord = sqlx::query_as_with(&sql, filter.args)
        .fetch_optional(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    record.into_task()
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

fn stale() -> AppError {
    crate::db::stale("task")
}

/// The task for a change: visible to the viewer and unchanged since they saw it.
async fn current(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &TaskId,
    expected_version: Option<i64>,
) -> AppResult<Task> {
    let task = get(conn, &RecordScope::of(viewer), id).await?;
    check_current("task", (false, task.version), expected_version, "")?;
    Ok(task)
}

/// A task as written by bulk loads (demo data, benchmark data sets).
pub struct ImportedTask {
    pub draft: TaskDraft,
    pub assignee_id: String,
    pub related: Option<RecordRef>,
    pub created_at: i64,
}

/// What a bulk load of tasks (seeding, imports) sets aside in the caller's
/// transaction (`BulkLoad`): the indexes are built once at the end instead of row by row.
pub const SET_ASIDE: SetAside = SetAside {
    table: "tasks",
    sqlite_triggers: &[],
    sqlite_catch_up: &[],
    postgres_triggers: &[],
    postgres_catch_up: &[],
};

/// Inserts many tasks in the caller's transaction, without logging each one,
/// with multi-row statements.
pub async fn insert_many(
    conn: &mut AnyConnection,
    tasks: &[ImportedTask],
    tz: Tz,
) -> AppResult<()> {
    let columns = [
        "id",
        "title",
        "description",
        "due_date",
        "due_time",
        "due_at",
        "priority",
        "status",
        "assignee_id",
        "lead_id",
        "customer_id",
        "completed_at",
        "version",
        "created_at",
        "updated_at",
    ];
    insert_rows(conn, "tasks", &columns, tasks, |task, args| {
        let (lead_id, customer_id) =
            task.related.as_ref().map(RecordRef::columns).unwrap_or_default();
        let draft = &task.draft;
        let _ = args.add(new_id());
        let _ = args.add(draft.title.clone());
        let _ = args.add(draft.description.clone());
        let _ = args.add(draft.due_date_str());
        let _ = args.add(draft.due_time_str());
        let _ = args.add(due_at(tz, draft.due_date, draft.due_time));
        let _ = args.add(draft.priority.as_str());
        let _ = args.add(draft.status.as_str());
        let _ = args.add(task.assignee_id.clone());
        let _ = args.add(lead_id.map(LeadId::into_string));
        let _ = args.add(customer_id.map(CustomerId::into_string));
        let _ = args.add(completed_at(draft.status, None, task.created_at));
        let _ = args.add(1_i64);
        let _ = args.add(task.created_at);
        let _ = args.add(task.created_at);
    })
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> i64 {
        s.parse::<chrono::DateTime<chrono::Utc>>().expect("a UTC time").timestamp_millis()
    }

    /// When a task on `day` (at `at`, or "" for the whole day) is due in `zone`.
    fn due(zone: &str, day: &str, at: &str) -> i64 {
        let zone: Tz = zone.parse().expect("zone");
        let day: NaiveDate = day.parse().expect("a date");
        let at = (!at.is_empty()).then(|| NaiveTime::parse_from_str(at, "%H:%M").expect("a time"));
        due_at(zone, day, at)
    }

    #[test]
    fn a_task_due_on_a_day_is_due_at_that_days_end_in_the_organisations_zone() {
        // Lisbon is UTC+1 in summer: the day ends at 23:00 UTC.
        assert_eq!(due("Europe/Lisbon", "2026-07-01", ""), utc("2026-07-01T23:00:00Z"));
        assert_eq!(due("UTC", "2026-07-01", ""), utc("2026-07-02T00:00:00Z"));
    }

    #[test]
    fn a_timed_task_is_due_at_that_wall_clock_time() {
        assert_eq!(due("America/New_York", "2026-01-15", "09:30"), utc("2026-01-15T14:30:00Z"));
        // 23:59 local is already the next day in UTC, and still due that evening.
        assert_eq!(due("America/New_York", "2026-01-15", "23:59"), utc("2026-01-16T04:59:00Z"));
    }

    #[test]
    fn due_moments_follow_clock_changes() {
        let new_york = |day, at| due("America/New_York", day, at);
        // Clocks go forward at 02:00 on 8 March 2026: that day has 23 hours.
        assert_eq!(new_york("2026-03-08", ""), utc("2026-03-09T04:00:00Z"));
        assert_eq!(new_york("2026-03-07", ""), utc("2026-03-08T05:00:00Z"));
        // 02:30 never happens that day: due when the clock reaches 03:00 (EDT).
        assert_eq!(new_york("2026-03-08", "02:30"), utc("2026-03-08T07:00:00Z"));
        // Clocks go back on 1 November: 01:30 happens twice; the first one counts.
        assert_eq!(new_york("2026-11-01", "01:30"), utc("2026-11-01T05:30:00Z"));
        assert_eq!(new_york("2026-11-01", ""), utc("2026-11-02T05:00:00Z"));
    }
}
