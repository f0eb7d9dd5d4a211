//! Server functions for customers: parse → authorize → store → map errors.

use super::{Customer, CustomerForm, CustomerPage, CustomerQuery};
use crate::error::AppError;
use crate::ids::CustomerId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{store, CustomerDraft},
    crate::auth::policy::{self, RecordScope},
    crate::ids::UserId,
    crate::records::{self, RecordRef},
    crate::state::{admin, app_state, signed_in},
    leptos_axum::redirect,
};

#[server(prefix = "/api", endpoint = "customers/list")]
pub async fn list_customers(query: CustomerQuery) -> Result<CustomerPage, AppError> {
    let viewer = signed_in()?;
    store::list(&app_state()?.db, &RecordScope::of(&viewer), &query).await
}

/// The tags in use on the customers the viewer may see.
#[server(prefix = "/api", endpoint = "customers/tags")]
pub async fn customer_tags() -> Result<Vec<String>, AppError> {
    let viewer = signed_in()?;
    store::tags_in_use(&app_state()?.db, &RecordScope::of(&viewer)).await
}

/// A customer the viewer owns (agents) or any customer (admins); otherwise 404.
#[server(prefix = "/api", endpoint = "customers/get")]
pub async fn get_customer(id: CustomerId) -> Result<Customer, AppError> {
    let viewer = signed_in()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    store::get(&mut conn, &RecordScope::of(&viewer), &id).await
}

#[server(prefix = "/api", endpoint = "customers/create")]
pub async fn create_customer(
    #[server(flatten)] form: CustomerForm,
    assignee: Option<String>,
    save_anyway: Option<String>,
) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let draft = CustomerDraft::try_from(&form)?;
    let requested = assignee.filter(|a| !a.is_empty()).map(UserId::from);
    let owner = policy::assignee_for_new_record(&viewer, requested);
    let state = app_state()?;
    records::check_duplicates(&state.db, &draft.contact(), None, save_anyway.is_some()).await?;
    let mut tx = state.db.transaction().await?;
    crate::users::store::assignable_name(&mut tx, &owner).await?;
    let id = store::create(&mut tx, &viewer, &draft, &owner, None).await?;
    tx.commit().await?;
    redirect(&format!("/customers/{id}"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "customers/update")]
pub async fn update_customer(
    id: CustomerId,
    version: i64,
    #[server(flatten)] form: CustomerForm,
    save_anyway: Option<String>,
) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let draft = CustomerDraft::try_from(&form)?;
    let state = app_state()?;
    let except = RecordRef::Customer(id.clone());
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
    redirect(&format!("/customers/{id}"));
    Ok(())
}

/// Archives a customer ("Delete" in the interface): hidden from lists and counts.
#[server(prefix = "/api", endpoint = "customers/archive")]
pub async fn archive_customer(id: CustomerId) -> Result<(), AppError> {
    set_archived(id, true).await
}

/// Brings an archived customer back (admins).
#[server(prefix = "/api", endpoint = "customers/restore")]
pub async fn restore_customer(id: CustomerId) -> Result<(), AppError> {
    admin()?;
    set_archived(id, false).await
}

#[cfg(feature = "ssr")]
async fn set_archived(id: CustomerId, archive: bool) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let state = app_state()?;
    let mut tx = state.db.transaction().await?;
    records::set_archived(&mut tx, &viewer, &RecordRef::Customer(id.clone()), archive).await?;
    tx.commit().await?;
    redirect(&if archive {
        "/customers".to_owned()
    } else {
        format!("/customers/{id}")
    });
    Ok(())
}

/// Gives a customer to another active team member (admins only).
#[server(prefix = "/api", endpoint = "customers/assign")]
pub async fn assign_customer(id: CustomerId, assignee: String) -> Result<(), AppError> {
    let viewer = signed_in()?;
    if !policy::may_assign_to_others(&viewer) {
        return Err(AppError::NotFound);
    }
    let state = app_state()?;
    let mut tx = state.db.transaction().await?;
    store::assign(&mut tx, &viewer, &id, &UserId::from(assignee)).await?;
    tx.commit().await?;
    redirect(&format!("/customers/{id}"));
    Ok(())
}
