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
    let rows: Vec<(SavedViewId, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT v.id, v.name, v.query, v.scope, d.view_id FROM saved_views v \
         LEFT JOIN view_defaults d ON d.view_id = v.id AND d.user_id = $3 AND d.list = $1 \
         WHERE v.list = $1 AND v.scope IN ($2, $3) \
         ORDER BY CASE WHEN v.scope = $2 THEN 0 ELSE 1 END, LOWER(v.name), v.id",
    )
    .bind(list.as_str())
    .bind(TEAM)
    .bind(viewer.id.as_str())
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, query, scope, default)| {
            let shared = scope == TEAM;
            let removable = !shared || viewer.is_admin();
            SavedView { id, name, query, shared, removable, default: default.is_some() }
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

/// The query of the view the viewer's `list` opens with, if they chose one.
pub async fn default_query(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    list: SavedList,
) -> AppResult<Option<String>> {
    let found: Option<(String,)> = sqlx::query_as(
        "SELECT v.query FROM view_defaults d JOIN saved_views v ON v.id = d.view_id \
         WHERE d.user_id = $1 AND d.list = $2 AND v.scope IN ($1, $3)",
    )
    .bind(viewer.id.as_str())
    .bind(list.as_str())
    .bind(TEAM)
    .fetch_optional(conn)
    .await?;
    Ok(found.map(|(query,)| query))
}

/// Makes the view `id` (one the viewer sees, of `list`) what their list opens
/// with, or, with none, the whole list again. Gives the query it opens with.
pub async fn set_default(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    list: SavedList,
    id: Option<&SavedViewId>,
) -> AppResult<String> {
    let Some(id) = id else {
        sqlx::query("DELETE FROM view_defaults WHERE user_id = $1 AND list = $2")
            .bind(viewer.id.as_str())
            .bind(list.as_str())
            .execute(conn)
            .await?;
        return Ok(String::new());
    };
    let (query,): (String,) = sqlx::query_as(
        "SELECT query FROM saved_views WHERE id = $1 AND list = $2 AND scope IN ($3, $4)",
    )
    .bind(id.as_str())
    .bind(list.as_str())
    .bind(viewer.id.as_str())
    .bind(TEAM)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    sqlx::query(
        "INSERT INTO view_defaults (user_id, list, view_id) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, list) DO UPDATE SET view_id = excluded.view_id",
    )
    .bind(viewer.id.as_str())
    .bind(list.as_str())
    .bind(id.as_str())
    .execute(conn)
    .await?;
    Ok(query)
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
