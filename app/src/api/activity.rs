//! `/api/v1/activity`: the log, newest first, with the activity page's filters;
//! agents read the entries about their own records, admins everything.

use super::extract::Query;
use super::paging::{self, List, Paging};
use super::problem::Problem;
use super::{rfc3339, Caller};
use crate::activity::{store, Action, ActivityEntry, EntityType};
use crate::error::FieldError;
use crate::state::AppState;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

/// What the log narrows to.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ActivityFilterParams {
    /// Admins: entries by this user id.
    actor: Option<String>,
    /// Entries about this kind of record.
    #[param(value_type = Option<EntityType>, inline)]
    entity_type: Option<String>,
    #[param(value_type = Option<Action>, inline)]
    action: Option<String>,
    /// On or after this day, in the organisation's calendar.
    #[param(value_type = Option<String>, format = Date)]
    from: Option<String>,
    /// On or before this day.
    #[param(value_type = Option<String>, format = Date)]
    to: Option<String>,
}

/// One entry of the log.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntryOut {
    id: String,
    at: String,
    actor_name: String,
    #[schema(value_type = Action)]
    action: &'static str,
    #[schema(value_type = EntityType)]
    entity_type: &'static str,
    entity_id: Option<String>,
    /// What the record was called then.
    label: String,
    /// Each changed field: its old and new value.
    changes: Vec<Change>,
}

/// A changed field.
#[derive(Debug, Serialize, ToSchema)]
pub struct Change {
    field: String,
    old: String,
    new: String,
}

impl From<ActivityEntry> for EntryOut {
    fn from(entry: ActivityEntry) -> Self {
        Self {
            id: entry.id,
            at: rfc3339(entry.at),
            actor_name: entry.actor_name,
            action: entry.action.as_str(),
            entity_type: entry.entity_type.as_str(),
            entity_id: entry.entity_id,
            label: entry.label,
            changes: entry
                .changes
                .into_iter()
                .map(|(field, old, new)| Change { field, old, new })
                .collect(),
        }
    }
}

/// The log entries the caller may see, newest first, a page at a time.
#[utoipa::path(get, path = "/activity", tag = "activity", operation_id = "list_activity", params(ActivityFilterParams, Paging),
    responses((status = 200, body = List<EntryOut>), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    caller: Caller,
    State(state): State<AppState>,
    Query(filters): Query<ActivityFilterParams>,
    Query(paging): Query<Paging>,
) -> Result<axum::Json<List<EntryOut>>, Problem> {
    let mut errors = Vec::new();
    let entity_type = paging::known::<EntityType>("entity_type", &filters.entity_type, &mut errors);
    let action = paging::known::<Action>("action", &filters.action, &mut errors);
    for (field, day) in [("from", &filters.from), ("to", &filters.to)] {
        if day.as_deref().is_some_and(|d| crate::fields::parse_day(d).is_none()) {
            errors.push(FieldError::new(field, "Write a day as YYYY-MM-DD."));
        }
    }
    let query = paging::query(
        &paging,
        None,
        |name| match name {
            "actor" => filters.actor.clone(),
            "type" => entity_type.clone(),
            "action" => action.clone(),
            "from" => filters.from.clone(),
            "to" => filters.to.clone(),
            _ => None,
        },
        errors,
    )?;
    let tz = crate::clock::org_time_zone(&state.db).await?;
    let page = store::list(&state.db, &caller.viewer, &query, tz).await?;
    Ok(axum::Json(List::of(page)))
}
