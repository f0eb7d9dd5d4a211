//! Changing many tasks at once from the list (`records::bulk`): give them to
//! someone, move them to a status, or delete them, each as its own page would.

use super::list::{list_filter, order};
use super::*;
use crate::list::Selection;
use crate::records::bulk::{self, BulkSource};

const SOURCE: BulkSource = BulkSource {
    from: "tasks t",
    alias: "t",
    owner: "assignee_id",
    what: "tasks",
    name: "title",
    archived: false,
};

/// What a bulk action does to each task.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskChange {
    /// To another team member (admins).
    Assign(UserId),
    Status(TaskStatus),
    Delete,
}

/// The tasks in the viewer's scope that `selection` names, with their titles, in
/// the list's order.
pub async fn selected(
    conn: &mut AnyConnection,
    scope: &RecordScope,
    selection: &Selection<TaskFilters>,
) -> AppResult<Vec<(TaskId, String)>> {
    let now = now_ms();
    let matching = |_, query: &TaskQuery| (list_filter(scope, query, now), order(query).sql());
    let tasks = bulk::selected(conn, &SOURCE, scope, selection, matching).await?;
    Ok(tasks.into_iter().map(|(id, title)| (TaskId::from(id), title)).collect())
}

/// Changes each of `tasks` as the viewer would on its own page, as it is now
/// (they were just selected in this transaction).
pub async fn change_many(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    tasks: &[TaskId],
    change: &TaskChange,
) -> AppResult<()> {
    for id in tasks {
        match change {
            TaskChange::Assign(to) => assign(conn, viewer, id, to).await?,
            TaskChange::Status(status) => set_status(conn, viewer, id, None, *status).await?,
            TaskChange::Delete => {
                delete(conn, viewer, id, None).await?;
            }
        }
    }
    Ok(())
}
