//! The typed client: each call a test makes to change records, by name
//! (`client.create_lead(…)`), with forms that hold only what a test cares about.

use crate::helpers::{Client, TestResponse};
use axum::http::StatusCode;

/// Form fields as a test writes them: `&[("name", "Ana")]`.
pub type Form<'a> = [(&'a str, &'a str)];

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

/// Asserts that every one of `texts` appears in `html`, each after the one before.
pub fn assert_in_order(html: &str, texts: &[&str], why: &str) {
    let at: Vec<usize> =
        texts.iter().map(|t| html.find(t).unwrap_or_else(|| panic!("{t} not shown"))).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{why}: {texts:?} at {at:?}");
}

/// Leads or customers: where their server functions are, and their form's optional fields.
pub struct Area {
    name: &'static str,
    pub defaults: &'static Form<'static>,
}

/// A new lead's optional fields are empty and its status is New.
pub const LEADS: Area = Area {
    name: "leads",
    defaults: &[
        ("email", ""),
        ("phone", ""),
        ("company", ""),
        ("source", ""),
        ("status", "new"),
        ("notes", ""),
    ],
};

/// A new customer's optional fields are empty.
pub const CUSTOMERS: Area = Area {
    name: "customers",
    defaults: &[("email", ""), ("phone", ""), ("company", ""), ("tags", "")],
};

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

    /// Asks to create a record in `area` (a lead is New unless `fields` say otherwise).
    pub async fn try_create(&self, area: &Area, fields: &Form<'_>) -> TestResponse {
        self.call(&format!("/api/{}/create", area.name), &form_with(area.defaults, fields)).await
    }

    /// Creates a record in `area` and returns its id.
    pub async fn create(&self, area: &Area, fields: &Form<'_>) -> String {
        created_id(&self.try_create(area, fields).await, &format!("/{}/", area.name))
    }

    /// Creates a lead (status New unless `fields` say otherwise) and returns its id.
    pub async fn create_lead(&self, fields: &Form<'_>) -> String {
        self.create(&LEADS, fields).await
    }

    /// Creates a customer and returns its id.
    pub async fn create_customer(&self, fields: &Form<'_>) -> String {
        self.create(&CUSTOMERS, fields).await
    }

    /// Saves an edit of the `area`'s record `id` made on `version`.
    pub async fn update(
        &self,
        area: &Area,
        id: &str,
        version: &str,
        fields: &Form<'_>,
    ) -> TestResponse {
        let mut form = form_with(area.defaults, fields);
        form.extend([("id", id), ("version", version)]);
        self.call(&format!("/api/{}/update", area.name), &form).await
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
