//! Saved views in the database: a person sees their own views of a list and the
//! team's; saving under a name taken replaces that view; sharing with the team and
//! forgetting a shared view are for admins.

use super::{kept_query, SavedList, SavedView};
use crate::auth::Viewer;
use crate::db::now_ms;
use crate::error::{AppError, AppResult, FieldError};
use crate::ids::SavedViewId;
use sqlx::AnyConnection;

/// The scope of views shared with the team.
const TEAM: &str = "team";
/// The longest name a view may have, in characters.
pub const NAME_MAX: usize = 60;
/// The longest query a view may keep.
pub const QUERY_MAX: usize = 2000;
/// The most views one scope keeps of one list.
pub const PER_LIST: i64 = 30;

/// The views of `list` the viewer sees: the team's first, then their own, by name.
pub async fn list(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    list: SavedList,
) -> AppResult<Vec<SavedView>> {
    let rows: Vec<(SavedViewId, String, String, String)> = sqlx::query_as(
        "SELECT id, name, query, scope FROM saved_views \
         WHERE list = $1 AND scope IN ($2, $3) \
         ORDER BY CASE WHEN scope = $2 THEN 0 ELSE 1 END, LOWER(name), id",
    )
    .bind(list.as_str())
    .bind(TEAM)
    .bind(viewer.id.as_str())
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, query, scope)| {
            let shared = scope == TEAM;
            SavedView { id, name, query, shared, removable: !shared || viewer.is_admin() }
        })
        .collect())
}

/// A view to save: checked before anything is written.
pub struct NewView {
    pub list: SavedList,
    pub name: String,
    pub query: String,
    pub shared: bool,
}

/// Saves `view` (the viewer's own, or the team's for an admin), replacing the one
/// of the same name in its scope.
pub async fn save(conn: &mut AnyConnection, viewer: &Viewer, view: &NewView) -> AppResult<()> {
    if view.shared && !viewer.is_admin() {
        return Err(AppError::NotFound);
    }
    let scope = if view.shared { TEAM } else { viewer.id.as_str() };
    let (others,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM saved_views WHERE list = $1 AND scope = $2 AND name <> $3",
    )
    .bind(view.list.as_str())
    .bind(scope)
    .bind(&view.name)
    .fetch_one(&mut *conn)
    .await?;
    if others >= PER_LIST {
        let message = format!("Keep at most {PER_LIST} views of a list: forget one first.");
        return Err(AppError::invalid("name", message));
    }
    sqlx::query(
        "INSERT INTO saved_views (id, list, scope, name, query, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (list, scope, name) DO UPDATE \
         SET query = excluded.query, created_by = excluded.created_by, created_at = excluded.created_at",
    )
    .bind(SavedViewId::generate().as_str())
    .bind(view.list.as_str())
    .bind(scope)
    .bind(&view.name)
    .bind(&view.query)
    .bind(viewer.id.as_str())
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

/// Forgets a view the viewer may remove; any other answers as missing. Gives the
/// list it was of.
pub async fn forget(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &SavedViewId,
) -> AppResult<SavedList> {
    let team = if viewer.is_admin() { TEAM } else { "" };
    let removed: Option<(String,)> = sqlx::query_as(
        "DELETE FROM saved_views WHERE id = $1 AND scope IN ($2, $3) RETURNING list",
    )
    .bind(id.as_str())
    .bind(viewer.id.as_str())
    .bind(team)
    .fetch_optional(conn)
    .await?;
    removed.and_then(|(list,)| SavedList::parse(&list)).ok_or(AppError::NotFound)
}

impl NewView {
    /// The view a form asks for, with every problem at once.
    pub fn checked(form: &super::ViewForm) -> AppResult<Self> {
        let mut problems = Vec::new();
        let list = SavedList::parse(&form.list);
        if list.is_none() {
            problems
                .push(FieldError::new("list", "Views are kept for leads, customers and tasks."));
        }
        let name = form.name.trim().to_owned();
        if name.is_empty() {
            problems.push(FieldError::new("name", "Give the view a name."));
        } else if name.chars().count() > NAME_MAX || name.chars().any(char::is_control) {
            let message = format!("Use at most {NAME_MAX} characters, on one line.");
            problems.push(FieldError::new("name", message));
        }
        let query = kept_query(&form.query);
        if query.len() > QUERY_MAX {
            problems.push(FieldError::new("query", "These filters are too long to keep."));
        }
        match list {
            Some(list) if problems.is_empty() => {
                Ok(Self { list, name, query, shared: form.shared.is_some() })
            }
            _ => Err(AppError::Invalid(problems)),
        }
    }
}
