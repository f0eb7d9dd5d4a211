//! Customers and notes through the real router: ownership per role, the list's
//! filters, validation, optimistic concurrency, archive and the activity log.

use crate::client::{assert_in_order, table_rows, CUSTOMERS};
use crate::helpers::{TestApp, ADMIN, JAMES, MARIA};
use axum::http::StatusCode;

mod bulk;
mod notes;
mod records;

async fn note_id(app: &TestApp, body: &str) -> String {
    let (id,): (String,) = app.one("SELECT id FROM notes WHERE body = $1", Some(body)).await;
    id
}
