//! Server functions for leads: parse → authorize → store → map errors.

use super::{Lead, LeadBoard, LeadForm, LeadPage, LeadQuery};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::error::FieldError;
use crate::ids::LeadId;
use crate::list::{BulkForm, BulkPreview};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::Checked;

#[cfg(feature = "ssr")]
use {
    super::{store, LeadDraft, LeadStatus},
    crate::auth::policy::{self, RecordScope},
    crate::ids::UserId,
    crate::list::Selection,
    crate::records::bulk::{unknown_action, RecordChange, Wording},
    crate::records::{self, RecordRef},
    crate::state::{app_state, go, reads, signed_in, write},
    strum::VariantArray,
};

#[server(prefix = "/api", endpoint = "leads/list")]
pub async fn list_leads(query: LeadQuery) -> Result<LeadPage, AppError> {
    let viewer = signed_in()?;
    store::list(&reads().await?, &RecordScope::of(&viewer), &query).await
}

/// The leads the viewer may see, grouped by status, under the list's filters.
#[server(prefix = "/api", endpoint = "leads/board")]
pub async fn get_lead_board(query: LeadQuery) -> Result<LeadBoard, AppError> {
    let viewer = signed_in()?;
    let db = &reads().await?;
    let scope = RecordScope::of(&viewer);
    let mut columns = Vec::with_capacity(LeadStatus::VARIANTS.len());
    for &status in LeadStatus::VARIANTS {
        let mut column =
            LeadQuery { page: 1, per_page: LeadBoard::CARDS_PER_COLUMN, ..query.clone() };
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
    write(async |tx| store::set_status(tx, &viewer, &id, Some(version), status).await).await?;
    go(&crate::auth::safe_return_path(back.as_deref()))
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
    let draft = LeadDraft::checked(&form)?;
    let assignee = policy::requested_assignee(&viewer, assignee);
    records::check_duplicates(
        &app_state()?.db,
        draft.email.as_ref(),
        &draft.phone,
        None,
        save_anyway.is_some(),
    )
    .await?;
    let id = write(async |tx| store::create(tx, &viewer, &draft, &assignee).await).await?;
    go(&format!("/leads/{id}"))
}

#[server(prefix = "/api", endpoint = "leads/update")]
pub async fn update_lead(
    id: LeadId,
    version: i64,
    #[server(flatten)] form: LeadForm,
    save_anyway: Option<String>,
) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let draft = LeadDraft::checked(&form)?;
    let record = RecordRef::Lead(id.clone());
    records::check_duplicates(
        &app_state()?.db,
        draft.email.as_ref(),
        &draft.phone,
        Some(&record),
        save_anyway.is_some(),
    )
    .await?;
    write(async |tx| store::update(tx, &viewer, &id, version, &draft).await).await?;
    go(&record.path())
}

/// Archives a lead ("Delete" in the interface): hidden from lists, counts and stats.
#[server(prefix = "/api", endpoint = "leads/archive")]
pub async fn archive_lead(id: LeadId) -> Result<(), AppError> {
    records::archive_from_page(RecordRef::Lead(id), true).await
}

/// Brings an archived lead back (admins).
#[server(prefix = "/api", endpoint = "leads/restore")]
pub async fn restore_lead(id: LeadId) -> Result<(), AppError> {
    records::archive_from_page(RecordRef::Lead(id), false).await
}

/// How many of the lead's tasks are not done: what converting it moves to the customer.
#[server(prefix = "/api", endpoint = "leads/open_tasks")]
pub async fn open_task_count(id: LeadId) -> Result<i64, AppError> {
    let viewer = signed_in()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    store::get(&mut conn, &RecordScope::of(&viewer), &id).await?;
    crate::tasks::store::open_of_lead(&mut conn, &id).await
}

/// Converts a lead into a customer; a second attempt is refused.
#[server(prefix = "/api", endpoint = "leads/convert")]
pub async fn convert_lead(id: LeadId) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let customer = write(async |tx| store::convert(tx, &viewer, &id).await).await?;
    go(&format!("/customers/{customer}"))
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
    let assignee = UserId::from(assignee);
    write(async |tx| {
        for id in ids {
            records::assign(tx, &viewer, &RecordRef::Lead(LeadId::from(id)), &assignee).await?;
        }
        Ok(())
    })
    .await?;
    go(&crate::auth::safe_return_path(back.as_deref()))
}

/// What a bulk action from the list would change (its confirmation page): the
/// leads it names that the viewer may change, and what it does to them.
#[server(prefix = "/api", endpoint = "leads/bulk_preview")]
pub async fn preview_lead_changes(form: BulkForm) -> Result<BulkPreview, AppError> {
    let viewer = signed_in()?;
    let selection = Selection::read(&form, "leads")?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    let (_, (verb, rest)) = lead_change(&mut conn, &viewer, &form).await?;
    let leads = store::selected(&mut conn, &RecordScope::of(&viewer), &selection).await?;
    let names = leads.into_iter().map(|(_, name)| name).collect();
    Ok(BulkPreview::new(verb, ("lead", "leads"), &rest, names))
}

/// Changes the leads ticked on the list, or every lead it matches, in one
/// transaction: assigns them (admins), moves them to a status, or deletes them.
#[server(prefix = "/api", endpoint = "leads/bulk")]
pub async fn change_leads(form: BulkForm) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let selection = Selection::read(&form, "leads")?;
    write(async |tx| {
        let (change, _) = lead_change(tx, &viewer, &form).await?;
        let leads = store::selected(tx, &RecordScope::of(&viewer), &selection).await?;
        if leads.is_empty() {
            return Err(AppError::invalid("ids", "None of these leads can be changed any more."));
        }
        let ids: Vec<LeadId> = leads.into_iter().map(|(id, _)| id).collect();
        store::change_many(tx, &viewer, &ids, &change).await
    })
    .await?;
    go(&crate::auth::safe_return_path(form.back.as_deref()))
}

/// The change a bulk form asks for, checked, and how the confirmation names it.
#[cfg(feature = "ssr")]
async fn lead_change(
    conn: &mut sqlx::AnyConnection,
    viewer: &crate::auth::Viewer,
    form: &BulkForm,
) -> Result<(store::LeadChange, Wording), AppError> {
    if let Some((change, wording)) = RecordChange::read(conn, viewer, form, "leads").await? {
        return Ok((store::LeadChange::Record(change), wording));
    }
    if form.action != "status" {
        return Err(unknown_action("leads"));
    }
    let status: LeadStatus = form.status.parse().map_err(|e| AppError::Invalid(vec![e]))?;
    Ok((store::LeadChange::Status(status), ("Move", format!("to {}", status.label()))))
}
