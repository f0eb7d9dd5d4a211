//! The typed client: each call a test makes to change records, by name
//! (`client.create_lead(…)`), with forms that hold only what a test cares about.

use crate::helpers::{Client, TestResponse};
use axum::http::StatusCode;

/// The id of the record a create call redirected to (`{prefix}{id}`, maybe with `#…`).
pub fn created_id(res: &TestResponse, prefix: &str) -> String {
    assert_eq!(res.status, StatusCode::OK, "create failed: {}", res.body);
    let location = res.location().expect("a redirect to the new record");
    location.trim_start_matches(prefix).split(['#', '?']).next().unwrap_or_default().to_owned()
}

/// The rows of the first table body in a page.
pub fn table_rows(html: &str) -> usize {
    html.split("<tbody>")
        .nth(1)
        .and_then(|rest| rest.split("</tbody>").next())
        .map_or(0, |body| body.matches("<tr").count())
}

/// A new lead's optional fields, empty, and its status, New.
pub const LEAD_DEFAULTS: [(&str, &str); 6] = [
    ("email", ""),
    ("phone", ""),
    ("company", ""),
    ("source", ""),
    ("status", "new"),
    ("notes", ""),
];

/// A new customer's optional fields, empty.
pub const CUSTOMER_DEFAULTS: [(&str, &str); 4] =
    [("email", ""), ("phone", ""), ("company", ""), ("tags", "")];

/// `defaults` with `fields` put over them: a form with only what a test cares about.
pub fn form_with<'a>(
    defaults: &[(&'a str, &'a str)],
    fields: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut form = defaults.to_vec();
    for (key, value) in fields {
        form.retain(|(k, _)| k != key);
        form.push((key, value));
    }
    form
}

/// A task form due `due_date`: open, medium priority, overridden by `fields`.
pub fn task_form<'a>(
    title: &'a str,
    due_date: &'a str,
    fields: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let defaults = [
        ("title", title),
        ("description", ""),
        ("due_date", due_date),
        ("due_time", ""),
        ("priority", "medium"),
        ("status", "open"),
    ];
    form_with(&defaults, fields)
}

impl Client {
    /// The status a server-function call answers.
    pub async fn call_status(&self, path: &str, form: &[(&str, &str)]) -> StatusCode {
        self.call(path, form).await.status
    }

    /// The status a page or download answers.
    pub async fn get_status(&self, path: &str) -> StatusCode {
        self.get(path).await.status
    }

    /// Whether this client's session still works.
    pub async fn is_signed_in(&self) -> bool {
        self.call("/api/me", &[]).await.status == StatusCode::OK
    }

    /// Asks to create a lead (status New unless `fields` say otherwise).
    pub async fn try_create_lead(&self, fields: &[(&str, &str)]) -> TestResponse {
        self.call("/api/leads/create", &form_with(&LEAD_DEFAULTS, fields)).await
    }

    /// Creates a lead (status New unless `fields` say otherwise) and returns its id.
    pub async fn create_lead(&self, fields: &[(&str, &str)]) -> String {
        created_id(&self.try_create_lead(fields).await, "/leads/")
    }

    /// Saves an edit of lead `id` made on `version`.
    pub async fn update_lead(
        &self,
        id: &str,
        version: &str,
        fields: &[(&str, &str)],
    ) -> TestResponse {
        self.update("leads", &LEAD_DEFAULTS, id, version, fields).await
    }

    /// Asks to create a customer.
    pub async fn try_create_customer(&self, fields: &[(&str, &str)]) -> TestResponse {
        self.call("/api/customers/create", &form_with(&CUSTOMER_DEFAULTS, fields)).await
    }

    /// Creates a customer and returns its id.
    pub async fn create_customer(&self, fields: &[(&str, &str)]) -> String {
        created_id(&self.try_create_customer(fields).await, "/customers/")
    }

    /// Saves an edit of customer `id` made on `version`.
    pub async fn update_customer(
        &self,
        id: &str,
        version: &str,
        fields: &[(&str, &str)],
    ) -> TestResponse {
        self.update("customers", &CUSTOMER_DEFAULTS, id, version, fields).await
    }

    /// Saves an edit of the `area`'s record `id` made on `version`: its `defaults` under `fields`.
    async fn update(
        &self,
        area: &str,
        defaults: &[(&str, &str)],
        id: &str,
        version: &str,
        fields: &[(&str, &str)],
    ) -> TestResponse {
        let mut form = form_with(defaults, fields);
        form.extend([("id", id), ("version", version)]);
        self.call(&format!("/api/{area}/update"), &form).await
    }

    /// Adds a note to the `kind` (`lead` or `customer`) record `id`.
    pub async fn add_note(&self, kind: &str, id: &str, body: &str) -> TestResponse {
        self.call("/api/notes/add", &[("kind", kind), ("record_id", id), ("body", body)]).await
    }

    /// Asks to create a task due `due_date` (open, medium priority unless `fields` say otherwise).
    pub async fn create_task(
        &self,
        title: &str,
        due_date: &str,
        fields: &[(&str, &str)],
    ) -> TestResponse {
        self.call("/api/tasks/create", &task_form(title, due_date, fields)).await
    }

    /// Creates a task, which must succeed.
    pub async fn new_task(&self, title: &str, due_date: &str, fields: &[(&str, &str)]) {
        let res = self.create_task(title, due_date, fields).await;
        assert_eq!(res.status, StatusCode::OK, "{title}: {}", res.body);
    }

    /// Asks to add a team member (admins).
    pub async fn create_user(
        &self,
        name: &str,
        email: &str,
        role: &str,
        password: &str,
    ) -> TestResponse {
        self.call(
            "/api/users/create",
            &[("name", name), ("email", email), ("role", role), ("password", password)],
        )
        .await
    }
}
