//! What leads and customers (contacts) share in the API, as on their pages: archive
//! (`DELETE`), restore (admins) and assign (admins), each in one transaction
//! that then reads the record back as the caller sees it.

use super::problem::Problem;
use super::Caller;
use crate::auth::policy::{self, RecordScope};
use crate::error::{AppError, AppResult};
use crate::ids::UserId;
use crate::records::{self, RecordRef};
use crate::state::AppState;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use utoipa::ToSchema;

/// Who gets a lead or customer.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    /// An active team member's id.
    pub assignee_id: String,
}

/// Archives a record the caller may change: 204.
pub async fn archive(
    state: &AppState,
    caller: &Caller,
    record: RecordRef,
) -> Result<StatusCode, Problem> {
    let viewer = caller.writer()?;
    state.db.write(async |tx| records::set_archived(tx, viewer, &record, true).await).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Brings an archived record back (admins), then `read`s it.
pub async fn restore<T>(
    state: &AppState,
    caller: &Caller,
    record: RecordRef,
    read: impl AsyncFnOnce(&mut AnyConnection, &RecordScope) -> AppResult<T>,
) -> Result<T, Problem> {
    let viewer = caller.writer()?;
    policy::require_admin(viewer)?;
    let scope = RecordScope::of(viewer);
    Ok(state
        .db
        .write(async |tx| {
            records::set_archived(tx, viewer, &record, false).await?;
            read(tx, &scope).await
        })
        .await?)
}

/// Gives a record to another active team member (admins), then `read`s it.
pub async fn assign<T>(
    state: &AppState,
    caller: &Caller,
    record: RecordRef,
    to: Assignment,
    read: impl AsyncFnOnce(&mut AnyConnection, &RecordScope) -> AppResult<T>,
) -> Result<T, Problem> {
    let viewer = caller.writer()?;
    if !policy::may_assign_to_others(viewer) {
        return Err(AppError::NotFound.into());
    }
    let scope = RecordScope::of(viewer);
    let assignee = UserId::from(to.assignee_id);
    Ok(state
        .db
        .write(async |tx| {
            records::assign(tx, viewer, &record, &assignee).await?;
            read(tx, &scope).await
        })
        .await?)
}
