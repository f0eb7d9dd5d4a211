//! Server functions for customers: parse → authorize → store → map errors.

use super::{Customer, CustomerForm, CustomerPage, CustomerQuery};
use crate::error::AppError;
use crate::ids::CustomerId;
use crate::list::{BulkForm, BulkPreview};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::Checked;

#[cfg(feature = "ssr")]
use {
    super::{store, CustomerDraft},
    crate::auth::policy::{self, RecordScope},
    crate::ids::UserId,
    crate::list::Selection,
    crate::records::bulk::{unknown_action, RecordChange, Wording},
    crate::records::{self, RecordRef},
    crate::state::{app_state, go, reads, signed_in, write},
};

#[server(prefix = "/api", endpoint = "customers/list")]
pub async fn list_customers(query: CustomerQuery) -> Result<CustomerPage, AppError> {
    let viewer = signed_in()?;
    store::list(&reads().await?, &RecordScope::of(&viewer), &query).await
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
    let draft = CustomerDraft::checked(&form)?;
    let owner = policy::requested_assignee(&viewer, assignee);
    records::check_duplicates(
        &app_state()?.db,
        draft.email.as_ref(),
        &draft.phone,
        None,
        save_anyway.is_some(),
    )
    .await?;
    let id = write(async |tx| store::create(tx, &viewer, &draft, &owner, None).await).await?;
    go(&format!("/customers/{id}"))
}

#[server(prefix = "/api", endpoint = "customers/update")]
pub async fn update_customer(
    id: CustomerId,
    version: i64,
    #[server(flatten)] form: CustomerForm,
    save_anyway: Option<String>,
) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let draft = CustomerDraft::checked(&form)?;
    let record = RecordRef::Customer(id.clone());
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

/// Archives a customer ("Delete" in the interface): hidden from lists and counts.
#[server(prefix = "/api", endpoint = "customers/archive")]
pub async fn archive_customer(id: CustomerId) -> Result<(), AppError> {
    records::archive_from_page(RecordRef::Customer(id), true).await
}

/// Brings an archived customer back (admins).
#[server(prefix = "/api", endpoint = "customers/restore")]
pub async fn restore_customer(id: CustomerId) -> Result<(), AppError> {
    records::archive_from_page(RecordRef::Customer(id), false).await
}

/// Gives a customer to another active team member (admins only).
#[server(prefix = "/api", endpoint = "customers/assign")]
pub async fn assign_customer(id: CustomerId, assignee: String) -> Result<(), AppError> {
    let viewer = signed_in()?;
    if !policy::may_assign_to_others(&viewer) {
        return Err(AppError::NotFound);
    }
    let record = RecordRef::Customer(id);
    write(async |tx| records::assign(tx, &viewer, &record, &UserId::from(assignee)).await).await?;
    go(&record.path())
}

/// What a bulk action from the list would change (its confirmation page).
#[server(prefix = "/api", endpoint = "customers/bulk_preview")]
pub async fn preview_customer_changes(form: BulkForm) -> Result<BulkPreview, AppError> {
    let viewer = signed_in()?;
    let selection = Selection::read(&form, "customers")?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    let (_, (verb, rest)) = customer_change(&mut conn, &viewer, &form).await?;
    let customers = store::selected(&mut conn, &RecordScope::of(&viewer), &selection).await?;
    let names = customers.into_iter().map(|(_, name)| name).collect();
    Ok(BulkPreview::new(verb, ("customer", "customers"), &rest, names))
}

/// Assigns (admins) or deletes the customers ticked on the list, or every customer
/// it matches, in one transaction.
#[server(prefix = "/api", endpoint = "customers/bulk")]
pub async fn change_customers(form: BulkForm) -> Result<(), AppError> {
    let viewer = signed_in()?;
    let selection = Selection::read(&form, "customers")?;
    write(async |tx| {
        let (change, _) = customer_change(tx, &viewer, &form).await?;
        let customers = store::selected(tx, &RecordScope::of(&viewer), &selection).await?;
        if customers.is_empty() {
            return Err(AppError::invalid(
                "ids",
                "None of these customers can be changed any more.",
            ));
        }
        let ids: Vec<CustomerId> = customers.into_iter().map(|(id, _)| id).collect();
        store::change_many(tx, &viewer, &ids, &change).await
    })
    .await?;
    go(&crate::auth::safe_return_path(form.back.as_deref()))
}

/// The change a bulk form asks for, checked, and how the confirmation names it.
#[cfg(feature = "ssr")]
async fn customer_change(
    conn: &mut sqlx::AnyConnection,
    viewer: &crate::auth::Viewer,
    form: &BulkForm,
) -> Result<(RecordChange, Wording), AppError> {
    RecordChange::read(conn, viewer, form, "customers")
        .await?
        .ok_or_else(|| unknown_action("customers"))
}
