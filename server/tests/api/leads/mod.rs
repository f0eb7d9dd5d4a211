//! Leads through the real router: visibility per role, validation, optimistic
//! concurrency, archive/restore and the activity they write.

use crate::client::{assert_in_order, table_rows, LEADS};
use crate::helpers::{TestApp, ADMIN, JAMES, MARIA};
use axum::http::StatusCode;

mod board;
mod bulk;
mod convert;
mod edits;
mod list;
