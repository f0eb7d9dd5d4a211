//! Properties over every way in: random and extreme values in every field of
//! every server function, and in every list page's URL, as an admin and as an
//! agent, never get a 5xx or a panic.

use crate::helpers::{Client, TestApp, ADMIN, MARIA};
use axum::http::StatusCode;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

/// Every server function and its form fields, space-separated (`[]` marks a list field).
const SERVER_FUNCTIONS: &[(&str, &str)] = &[
    ("activity/record", "kind id"),
    ("activity/list", "query"),
    ("me", ""),
    ("setup_needed", ""),
    ("login", "email password next"),
    ("setup", "name email password password_confirm"),
    ("login/code", "code next"),
    ("two_factor/status", ""),
    ("two_factor/start", ""),
    ("two_factor/confirm", "code"),
    ("two_factor/recovery_codes", "current_password"),
    ("two_factor/disable", "current_password code"),
    ("users/reset_two_factor", "id"),
    ("customers/list", "query"),
    ("customers/tags", ""),
    ("customers/get", "id"),
    ("customers/create", "name email phone company tags assignee save_anyway"),
    ("customers/update", "id version name email phone company tags save_anyway"),
    ("customers/archive", "id"),
    ("customers/restore", "id"),
    ("customers/assign", "id assignee"),
    (
        "customers/bulk_preview",
        "form[ids][] form[every] form[action] form[assignee] form[status] form[back]",
    ),
    (
        "customers/bulk",
        "form[ids][] form[every] form[action] form[assignee] form[status] form[back]",
    ),
    ("dashboard", ""),
    ("leads/list", "query"),
    ("leads/board", "query"),
    ("leads/move", "id version status back"),
    ("leads/get", "id"),
    ("leads/create", "name email phone company source status notes assignee save_anyway"),
    ("leads/update", "id version name email phone company source status notes save_anyway"),
    ("leads/archive", "id"),
    ("leads/restore", "id"),
    ("leads/convert", "id"),
    ("leads/assign", "ids[] assignee back"),
    (
        "leads/bulk_preview",
        "form[ids][] form[every] form[action] form[assignee] form[status] form[back]",
    ),
    ("leads/bulk", "form[ids][] form[every] form[action] form[assignee] form[status] form[back]"),
    (
        "tasks/bulk_preview",
        "form[ids][] form[every] form[action] form[assignee] form[status] form[back]",
    ),
    ("tasks/bulk", "form[ids][] form[every] form[action] form[assignee] form[status] form[back]"),
    ("notes/list", "kind id"),
    ("notes/add", "kind record_id body"),
    ("notes/edit", "id version body"),
    ("notes/delete", "id version"),
    ("notes/mentionable", ""),
    ("settings/get", ""),
    ("settings/time_zones", ""),
    ("settings/update", "version name time_zone require_two_factor"),
    ("tasks/list", "query"),
    ("tasks/get", "id"),
    ("tasks/record", "kind id"),
    ("tasks/create", "title description due_date due_time priority status assignee kind record_id"),
    ("tasks/update", "id version title description due_date due_time priority status assignee"),
    ("tasks/status", "id version status back"),
    ("tasks/delete", "id version"),
    ("users/team", ""),
    ("users/list", "query"),
    ("users/get", "id"),
    ("users/suggest_password", ""),
    ("users/create", "name email role password"),
    ("users/update", "id version name email role"),
    ("users/reset_password", "id password"),
    ("users/deactivate", "id"),
    ("users/reactivate", "id"),
    ("users/delete", "id receiver"),
    ("profile/name", "name"),
    ("profile/password", "current_password password password_confirm"),
    ("profile/sessions", ""),
    ("profile/end_session", "id"),
    ("views/list", "list"),
    ("views/save", "list name query shared"),
    ("views/forget", "id"),
    ("views/default", "list id"),
    ("notifications/list", "before"),
    ("notifications/read", "id"),
    ("notifications/read_all", ""),
    ("imports/get", "id"),
    ("imports/recent", ""),
    ("imports/progress", "id"),
    ("imports/kept", "id"),
    (
        "imports/preview",
        "form[id] form[encoding] form[delimiter] form[sheet] form[targets][] form[on_duplicate] \
         form[assignee] form[status_values][] form[statuses][] form[other_status]",
    ),
    ("imports/start", "id"),
    ("imports/undo", "id"),
    ("imports/discard", "id"),
];

/// The keys list pages read from their URL.
const LIST_KEYS: &[&str] = &[
    "q", "status", "agent", "sort", "dir", "page", "per_page", "archived", "tag", "owner",
    "priority", "assignee", "due_from", "due_to", "overdue", "actor", "type", "action", "from",
    "to", "lead", "customer", "active", "role", "error", "ids", "every", "action", "selected",
    "before",
];

const LIST_PAGES: &[&str] = &[
    "/leads",
    "/leads/board",
    "/customers",
    "/tasks",
    "/users",
    "/activity",
    "/leads/export.csv",
    "/customers/export.csv",
    "/leads/bulk",
    "/customers/bulk",
    "/tasks/bulk",
    "/import",
    "/notifications",
];

/// Values of every class that has broken a form somewhere: control
/// characters, huge and empty text, extreme numbers and dates, query syntax,
/// enum-like words, and the ids of real records.
fn value(ids: Vec<String>) -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        any::<String>(),
        "[\\x00-\\x1f\\x7f]{1,3}",
        "[a-z0-9 @.+-]{0,24}",
        (0usize..80_000).prop_map(|n| "x".repeat(n)),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| format!("{n}{n}")),
        prop::sample::select(vec![
            "+262142-12-31",
            "-0001-01-01",
            "9999-12-31",
            "2026-02-30",
            "2026-03-08",
            "24:00",
            "23:59",
            "\"*^:()",
            "%_\\",
            "NEAR(a b)",
            "lead",
            "customer",
            "task",
            "user",
            "new",
            "in_progress",
            "won",
            "closed_won",
            "high",
            "done",
            "admin",
            "agent",
            "1",
            "0",
            "-1",
            "true",
            "Europe/Lisbon",
            "Mars/Base",
            "/leads?x=1",
            "//evil.example",
            "ana@example.com",
            "kith-agent-demo",
        ])
        .prop_map(str::to_owned),
        prop::sample::select(ids),
    ]
}

/// A form for `fields` (space-separated), each present or missing; a list field gets up to
/// three entries.
fn form(fields: &'static str, ids: Vec<String>) -> impl Strategy<Value = Vec<(String, String)>> {
    let fields: Vec<&str> = fields.split_whitespace().collect();
    prop::collection::vec(prop::collection::vec(value(ids), 0..=3), fields.len()).prop_map(
        move |values| {
            let mut form = Vec::new();
            for (field, values) in fields.iter().zip(values) {
                match field.strip_suffix("[]") {
                    Some(list) => {
                        for (i, v) in values.into_iter().enumerate() {
                            form.push((format!("{list}[{i}]"), v));
                        }
                    }
                    None => {
                        if let Some(v) = values.into_iter().next() {
                            form.push(((*field).to_owned(), v));
                        }
                    }
                }
            }
            form
        },
    )
}

fn query_string(ids: Vec<String>) -> impl Strategy<Value = String> {
    prop::collection::vec((prop::sample::select(LIST_KEYS), value(ids)), 0..6).prop_map(|pairs| {
        // An address has room for about 64 kB; longer ones never reach Kith.
        let pairs = pairs.into_iter().map(|(k, v)| (k, v.chars().take(6_000).collect::<String>()));
        pairs
            .into_iter()
            .map(|(k, v)| {
                let v: String =
                    percent_encoding::utf8_percent_encode(&v, percent_encoding::NON_ALPHANUMERIC)
                        .collect();
                format!("{k}={v}")
            })
            .collect::<Vec<_>>()
            .join("&")
    })
}

fn check(what: &str, status: StatusCode, body: &str) -> Result<(), TestCaseError> {
    prop_assert!(!status.is_server_error(), "{what}: {status} {}", &body[..body.len().min(300)]);
    Ok(())
}

/// A signed-in admin and agent, a lead, customer, task and note to aim at.
async fn scene(app: &TestApp) -> (Client, Client, Vec<String>) {
    let admin = app.signed_in(ADMIN).await;
    let maria = app.signed_in(MARIA).await;
    let lead = maria.create_lead(&[("name", "Ana Silva")]).await;
    let customer = admin.create_customer(&[("name", "Acme Ltd")]).await;
    maria.new_task("Call Ana", "2026-03-08", &[("kind", "lead"), ("record_id", &lead)]).await;
    maria
        .call("/api/notes/add", &[("kind", "lead"), ("record_id", &lead), ("body", "hello")])
        .await;
    let import =
        maria.uploaded("leads", "leads.csv", b"Name,Email,Status\nAna,ana@example.com,Hot\n").await;
    let mut ids =
        vec![lead, customer, app.user_id(MARIA.0).await, app.user_id(ADMIN.0).await, import];
    for table in ["tasks", "notes"] {
        let (id,): (String,) = sqlx::query_as(&format!("SELECT id FROM {table} LIMIT 1"))
            .fetch_one(&app.db.pool)
            .await
            .expect("a row");
        ids.push(id);
    }
    (admin, maria, ids)
}

/// Random and extreme values in every field of every server function, and
/// in every list page's URL, as an admin and as an agent: never a 5xx or a panic.
#[test]
fn no_form_and_no_list_url_gets_a_server_error() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let app = runtime.block_on(TestApp::new());
    let (admin, maria, ids) = runtime.block_on(scene(&app));
    // Bounded so the whole run stays well under a minute per database.
    let cases = std::env::var("KITH_FUZZ_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(32);
    let config =
        Config { cases, failure_persistence: None, max_shrink_iters: 64, ..Config::default() };
    for (endpoint, fields) in SERVER_FUNCTIONS {
        let mut runner = TestRunner::new(config.clone());
        let strategy = (form(fields, ids.clone()), any::<bool>());
        runner
            .run(&strategy, |(form, as_admin)| {
                let client = if as_admin { &admin } else { &maria };
                let pairs: Vec<(&str, &str)> =
                    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                let res = runtime.block_on(client.call(&format!("/api/{endpoint}"), &pairs));
                check(endpoint, res.status, &res.body)
            })
            .unwrap_or_else(|e| panic!("{endpoint}: {e}"));
    }
    for page in LIST_PAGES {
        let mut runner = TestRunner::new(config.clone());
        let strategy = (query_string(ids.clone()), any::<bool>());
        runner
            .run(&strategy, |(qs, as_admin)| {
                let client = if as_admin { &admin } else { &maria };
                let path = format!("{page}?{qs}");
                let res = runtime.block_on(client.get(&path));
                check(&path, res.status, &res.body)
            })
            .unwrap_or_else(|e| panic!("{page}: {e}"));
    }
}
