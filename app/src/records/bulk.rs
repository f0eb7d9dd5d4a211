//! What a bulk action on a list (leads, customers, tasks) does to every record it
//! selects, whichever the list: find them (ticked ones in the viewer's scope, or
//! all the list's filters match), and assign or delete each as its own page would.
//! The areas add their own changes (a lead's or a task's status).

use super::{assign, assignable_name, set_archived, RecordRef};
use crate::auth::policy::{self, RecordScope};
use crate::auth::Viewer;
use crate::db::Backend;
use crate::error::{AppError, AppResult};
use crate::ids::UserId;
use crate::list::selection::{too_many, LIMIT};
use crate::list::{BulkForm, Filters, Selection};
use crate::sql::Filter;
use sqlx::AnyConnection;

/// Where a list's records are read from.
pub struct BulkSource {
    /// `FROM` and `WHERE` of the list's own query: `leads l JOIN users u ON …`.
    pub from: &'static str,
    /// The record table's alias in `from`.
    pub alias: &'static str,
    /// The column naming the record's holder (`assignee_id`, `owner_id`).
    pub owner: &'static str,
    /// The column naming the record (`name`, a task's `title`).
    pub name: &'static str,
    /// Whether deleted records stay, archived (`archived_at`), and are left out.
    pub archived: bool,
    /// The records, in messages ("leads").
    pub what: &'static str,
}

/// The live records in the viewer's scope that `selection` names, with their
/// names, in the list's order (`matching`: the list's filter and order for a
/// query). Ticked records the viewer may not see are left out, as if they did not
/// exist.
pub async fn selected<F: Filters>(
    conn: &mut AnyConnection,
    source: &BulkSource,
    scope: &RecordScope,
    selection: &Selection<F>,
    matching: impl FnOnce(Backend, &crate::list::Query<F>) -> (Filter, String),
) -> AppResult<Vec<(String, String)>> {
    let backend = Backend::of(conn);
    let (a, name) = (source.alias, source.name);
    let (filter, order) = match selection {
        Selection::Ticked(ids) => {
            let mut filter = Filter::new();
            if source.archived {
                filter.push(&format!("{a}.archived_at IS NULL"), None);
            }
            filter.push_one_of(backend, &format!("{a}.id"), ids);
            filter.scope(scope, &format!("{a}.{}", source.owner));
            (filter, format!("{a}.{name}, {a}.id"))
        }
        Selection::Matching(query) => matching(backend, query),
    };
    let sql = format!(
        "SELECT {a}.id, {a}.{name} FROM {} WHERE {} ORDER BY {order} LIMIT {}",
        source.from,
        filter.sql(),
        LIMIT + 1
    );
    let records: Vec<(String, String)> =
        sqlx::query_as_with(&sql, filter.args).persistent(false).fetch_all(conn).await?;
    if records.len() > LIMIT {
        return Err(too_many(source.what));
    }
    Ok(records)
}

/// A change every list of records offers.
#[derive(Debug, Clone, PartialEq)]
pub enum RecordChange {
    /// To another team member (admins).
    Assign(UserId),
    /// "Delete".
    Archive,
}

/// How a confirmation names a change: its verb, and what follows the records.
pub type Wording = (&'static str, String);

impl RecordChange {
    /// The change `form` asks for, if it is one of these, checked: assigning is
    /// for admins (anyone else is answered as if the page did not exist).
    pub async fn read(
        conn: &mut AnyConnection,
        viewer: &Viewer,
        form: &BulkForm,
        what: &str,
    ) -> AppResult<Option<(Self, Wording)>> {
        Ok(match form.action.as_str() {
            "assign" => {
                if !policy::may_assign_to_others(viewer) {
                    return Err(AppError::NotFound);
                }
                if form.assignee.trim().is_empty() {
                    return Err(AppError::invalid(
                        "assignee",
                        format!("Choose who gets the {what}."),
                    ));
                }
                let to = UserId::from(form.assignee.clone());
                let name = assignable_name(conn, &to).await?;
                Some((Self::Assign(to), ("Assign", format!("to {name}"))))
            }
            "archive" => Some((Self::Archive, ("Delete", String::new()))),
            _ => None,
        })
    }

    /// Makes the change to `record` as the viewer would on its page.
    pub async fn apply(
        &self,
        conn: &mut AnyConnection,
        viewer: &Viewer,
        record: &RecordRef,
    ) -> AppResult<()> {
        match self {
            Self::Assign(to) => assign(conn, viewer, record, to).await,
            Self::Archive => set_archived(conn, viewer, record, true).await,
        }
    }
}

/// The refusal of an action no list offers.
pub fn unknown_action(what: &str) -> AppError {
    AppError::invalid("action", format!("Choose what to do with the {what}."))
}
