//! Server functions for leads: parse → authorize → store → map errors.

use super::{Lead, LeadBoard, LeadForm, LeadPage, LeadQuery};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::error::FieldError;
use crate::ids::LeadId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{store, LeadDraft, LeadStatus},
    crate::auth::policy::{self, RecordScope},
    crate::ids::UserId,
    crate::records::{self, RecordRef},
    crate::state::{admin, app_state, signed_in},
    leptos_axum::redirect,
    strum::VariantArray,
};

#[server(prefix = "/api", endpoint = "leads/list")]
pub async fn list_leads(query: LeadQuery) -> Result<LeadPage, AppError> {
    let viewer = signed_in()?;
    store::list(&app_state()?.db, &RecordScope::of(&viewer), &query).await
}

/// The leads the viewer may see, grouped by status, under the list's filters.
#[server(prefix = "/api", endpoint = "leads/board")]
pub async fn get_lead_board(query: LeadQuery) -> Result<LeadBoard, AppError> {
    let viewer = signed_in()?;
    let db = &app_state()?.db;
    let scope = RecordScope::of(&viewer);
    let mut columns = Vec::with_capacity(LeadStatus::VARIANTS.len());
    for &status in LeadStatus::VARIANTS {
        let mut column = LeadQuery {
            page: 1,
            per_page: LeadBoard::CARDS_PER_COLUMN,
            ..query.clone()
        };
        column.status = Some(status);
        column.archived = false;
        columns.push(store::list(db, &scope, &column).await?);
    }
    Ok(LeadBoard { columns })
}

/// Moves a lead to another status (the board), seen at `version`.
#[server(prefix = "/api", endpoint = "leads/move")]
pub async fn move_lead(
    id: LeadId,
    version: i64,
    status: String,
    back: Option<String>,
) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let status: LeadStatus = status.parse().map_err(|e| AppError::Invalid(vec![e]))?;
    let state = app_state()?;
    let mut tx = state.db.transaction().await?;
    store::set_status(&mut tx, &viewer, &id, version, status).await?;
    tx.commit().await?;
    redirect(&crate::auth::safe_return_path(back.as_deref()));
    Ok(())
}

#[server(prefix = "/api", endpoint = "leads/get")]
pub async fn get_lead(id: LeadId) -> Result<Lead, AppError> {
    let viewer = signed_in()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    store::get(&mut conn, &RecordScope::of(&viewer), &id).await
}

#[server(prefix = "/api", endpoint = "leads/create")]
pub async fn create_lead(
    #[server(flatten)] form: LeadForm,
    assignee: Option<String>,
    save_anyway: Option<String>,
) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let draft = LeadDraft::try_from(&form)?;
    let requested = assignee.filter(|a| !a.is_empty()).map(UserId::from);
    let assignee = policy::assignee_for_new_record(&viewer, requested);
    let state = app_state()?;
    records::check_duplicates(&state.db, &draft.contact(), None, save_anyway.is_some()).await?;
    let mut tx = state.db.transaction().await?;
    crate::users::store::assignable_name(&mut tx, &assignee).await?;
    let id = store::create(&mut tx, &viewer, &draft, &assignee).await?;
    tx.commit().await?;
    redirect(&format!("/leads/{id}"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "leads/update")]
pub async fn update_lead(
    id: LeadId,
    version: i64,
    #[server(flatten)] form: LeadForm,
    save_anyway: Option<String>,
) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let draft = LeadDraft::try_from(&form)?;
    let state = app_state()?;
    let except = RecordRef::Lead(id.clone());
    records::check_duplicates(
        &state.db,
        &draft.contact(),
        Some(&except),
        save_anyway.is_some(),
    )
    .await?;
    let mut tx = state.db.transaction().await?;
    store::update(&mut tx, &viewer, &id, version, &draft).await?;
    tx.commit().await?;
    redirect(&format!("/leads/{id}"));
    Ok(())
}

/// Archives a lead ("Delete" in the interface): hidden from lists, counts and stats.
#[server(prefix = "/api", endpoint = "leads/archive")]
pub async fn archive_lead(id: LeadId) -> Result<(), AppError> {
    set_archived(id, true).await
}

/// Brings an archived lead back (admins).
#[server(prefix = "/api", endpoint = "leads/restore")]
pub async fn restore_lead(id: LeadId) -> Result<(), AppError> {
    admin()?;
    set_archived(id, false).await
}

#[cfg(feature = "ssr")]
async fn set_archived(id: LeadId, archive: bool) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let state = app_state()?;
    let mut tx = state.db.transaction().await?;
    records::set_archived(&mut tx, &viewer, &RecordRef::Lead(id.clone()), archive).await?;
    tx.commit().await?;
    redirect(
        if archive {
            "/leads".to_owned()
        } else {
            format!("/leads/{id}")
        }
        .as_str(),
    );
    Ok(())
}

/// Converts a lead into a customer; a second attempt is refused.
#[server(prefix = "/api", endpoint = "leads/convert")]
pub async fn convert_lead(id: LeadId) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let state = app_state()?;
    let mut tx = state.db.transaction().await?;
    let customer = store::convert(&mut tx, &viewer, &id).await?;
    tx.commit().await?;
    redirect(&format!("/customers/{customer}"));
    Ok(())
}

/// Gives leads to another active team member (admins only): one from its page,
/// or several at once from the list.
#[server(prefix = "/api", endpoint = "leads/assign")]
pub async fn assign_leads(
    // Nothing ticked sends no `ids` at all: a validation message, not an unreadable form.
    #[server(default)] ids: Vec<String>,
    #[server(default)] assignee: String,
    back: Option<String>,
) -> Result<(), AppError> {
    let viewer = signed_in()?;
    if !policy::may_assign_to_others(&viewer) {
        return Err(AppError::NotFound);
    }
    let mut problems = Vec::new();
    if ids.is_empty() {
        problems.push(FieldError::new("ids", "Tick the leads to assign first."));
    } else if ids.len() > 500 {
        problems.push(FieldError::new("ids", "Choose at most 500 leads at once."));
    }
    if assignee.trim().is_empty() {
        problems.push(FieldError::new("assignee", "Choose who gets the leads."));
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let state = app_state()?;
    let assignee = UserId::from(assignee);
    let mut tx = state.db.transaction().await?;
    for id in &ids {
        store::assign(&mut tx, &viewer, &LeadId::from(id.clone()), &assignee).await?;
    }
    tx.commit().await?;
    redirect(&crate::auth::safe_return_path(back.as_deref()));
    Ok(())
}
