//! The search's server function: the `/search` page and the command palette ask it.

use super::SearchResults;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::state::{app_state, signed_in};

/// What the viewer may see that answers `q` (the first `QUERY_MAX` characters of it).
#[server(prefix = "/api", endpoint = "search")]
pub async fn search(q: String) -> Result<SearchResults, AppError> {
    let viewer = signed_in()?;
    super::store::search(&app_state()?.db, &viewer, &q).await
}
