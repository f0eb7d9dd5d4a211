//! User administration, profiles and organisation settings through the real
//! router: admins only (agents get 404), the last-admin guards, sessions ending,
//! deletion handing every record over, the password policy and the settings.

use crate::client::table_rows;
use crate::helpers::{Client, TestApp, TestResponse, ADMIN, JAMES, MARIA};
use axum::http::StatusCode;

mod profile;
mod removal;
mod settings;
mod team;

const PRIYA: &str = "priya@kith.test";

async fn update_user(
    app: &TestApp,
    admin: &Client,
    id: &str,
    fields: &[(&str, &str)],
) -> TestResponse {
    let version = app.user_version(id).await;
    let (name, email, role): (String, String, String) =
        app.one("SELECT name, email, role FROM users WHERE id = $1", Some(id)).await;
    let form = crate::client::form_with(
        &[("id", id), ("version", &version), ("name", &name), ("email", &email), ("role", &role)],
        fields,
    );
    admin.call("/api/users/update", &form).await
}
