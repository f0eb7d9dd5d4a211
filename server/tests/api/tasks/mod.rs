//! Tasks through the real router: who sees and changes which, overdue in the
//! organisation's time zone, quick actions, conversion and archived links.

use crate::client::{created_id, table_rows, task_form};
use crate::helpers::{Client, TestApp, ADMIN, JAMES, MARIA};
use axum::http::StatusCode;
use chrono::{Days, Duration};

mod bulk;
mod changes;
mod rules;

async fn task_id(app: &TestApp, title: &str) -> String {
    let (id,): (String,) = app.one("SELECT id FROM tasks WHERE title = $1", Some(title)).await;
    id
}

const SOME_DAY: &str = "2030-05-01";
