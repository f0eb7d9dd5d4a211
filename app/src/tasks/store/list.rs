//! The tasks list and the dashboard's open and overdue counts, in the viewer's scope.

use super::*;

pub(super) fn list_filter(scope: &RecordScope, query: &TaskQuery, now: i64) -> Filter {
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
        filter.push("t.assignee_id = ?", Some(assignee.to_string()));
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
        filter.push(&format!("t.{} = ?", record.column()), Some(record.id().to_owned()));
    }
    filter
}

/// The order of a task list: its sort column; priority and status then by
/// due time, soonest first; the id last.
pub(super) fn order(query: &TaskQuery) -> Order {
    let desc = query.descending;
    let order = Order::default();
    match query.sort {
        TaskSort::Due => order.number("t.due_at", desc).text("t.id", desc),
        TaskSort::Title => order.text("t.title", desc).text("t.id", desc),
        TaskSort::Priority => order
            .number("(CASE t.priority WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END)", desc)
            // Then soonest due first, whichever way the list runs.
            .number("t.due_at", false)
            .text("t.id", false),
        TaskSort::Status => order
            .number("(CASE t.status WHEN 'open' THEN 1 WHEN 'in_progress' THEN 2 ELSE 3 END)", desc)
            // Then soonest due first, whichever way the list runs.
            .number("t.due_at", false)
            .text("t.id", false),
    }
}

/// One page of the tasks the viewer may see, and how many match in all.
pub async fn list(db: &Db, scope: &RecordScope, query: &TaskQuery) -> AppResult<TaskPage> {
    let now = now_ms();
    let count_filter = list_filter(scope, query, now);
    let counted =
        crate::sql::capped_count(db, "tasks t", count_filter, crate::sql::count_cap(query)).await?;
    let filter = list_filter(scope, query, now);
    let page: Page<TaskFilters, TaskRecord> = crate::sql::page(
        db,
        (&task_columns(now), FROM_TASKS),
        filter,
        &order(query),
        query,
        counted,
    )
    .await?;
    page.try_map(TaskRecord::into_task)
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
    Ok(sqlx::query_as_with(&sql, filter.args).fetch_all(&db.pool).await?)
}
