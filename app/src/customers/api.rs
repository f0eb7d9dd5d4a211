//! Server functions for customers.

use super::Customer;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    auth::policy::{self, RecordScope},
    state::{app_state, request_viewer},
};

/// A customer the viewer owns (agents) or any customer (admins); otherwise 404.
#[server(prefix = "/api", endpoint = "customers/get")]
pub async fn get_customer(id: String) -> Result<Customer, AppError> {
    let viewer = policy::require_signed_in(request_viewer())?;
    let (scope_sql, owner) = RecordScope::of(&viewer).sql_condition("c.owner_id", 2);
    let sql = format!(
        "SELECT c.id, c.name, c.email, c.phone, c.company, u.name, c.lead_id, c.created_at \
         FROM customers c JOIN users u ON u.id = c.owner_id WHERE c.id = $1 AND c.archived_at IS NULL AND {scope_sql}"
    );
    let mut query = sqlx::query_as::<
        _,
        (
            String,
            String,
            String,
            String,
            String,
            String,
            Option<String>,
            i64,
        ),
    >(&sql)
    .bind(id);
    if let Some(owner) = owner {
        query = query.bind(owner);
    }
    let row = query
        .fetch_optional(&app_state()?.db.pool)
        .await?
        .ok_or(AppError::NotFound)?;
    let (id, name, email, phone, company, owner_name, lead_id, created_at) = row;
    Ok(Customer {
        id,
        name,
        email,
        phone,
        company,
        owner_name,
        lead_id,
        created_at,
    })
}
