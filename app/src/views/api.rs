//! Server functions of saved views: parse → authorize → store.

use super::{SavedView, ViewForm};
use crate::error::AppError;
use crate::ids::SavedViewId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::store::{self, NewView},
    super::SavedList,
    crate::state::{app_state, go, signed_in, write},
};

/// The views of a list the viewer sees (`list`: `leads`, `customers`, `tasks`).
#[server(prefix = "/api", endpoint = "views/list")]
pub async fn saved_views(list: String) -> Result<Vec<SavedView>, AppError> {
    let viewer = signed_in()?;
    let list = SavedList::from_form(&list)?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    store::list(&mut conn, &viewer, list).await
}

/// Saves the list as it is shown under a name, then shows the view.
#[server(prefix = "/api", endpoint = "views/save")]
pub async fn save_view(#[server(flatten)] form: ViewForm) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let view = NewView::checked(&form)?;
    write(async |tx| store::save(tx, &viewer, &view).await).await?;
    go(&crate::list::href(view.list.path(), &view.query))
}

/// Forgets a view (one's own; a shared one for admins), back to the whole list.
#[server(prefix = "/api", endpoint = "views/forget")]
pub async fn forget_view(id: SavedViewId) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let list = write(async |tx| store::forget(tx, &viewer, &id).await).await?;
    go(list.path())
}

/// Makes a view (`id`) what the viewer's list opens with, or with no `id` the
/// whole list again; then shows the list so.
#[server(prefix = "/api", endpoint = "views/default")]
pub async fn default_view(list: String, id: Option<SavedViewId>) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let list = SavedList::from_form(&list)?;
    let query = write(async |tx| store::set_default(tx, &viewer, list, id.as_ref()).await).await?;
    let all = format!("{}={}", super::ALL.0, super::ALL.1);
    go(&crate::list::href(list.path(), if query.is_empty() { &all } else { &query }))
}
