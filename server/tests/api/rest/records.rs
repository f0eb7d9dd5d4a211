//! Changing records through the API, per caller: a read token, an agent's write
//! token on their own and on another agent's records, an admin's; versions as
//! `ETag` and `If-Match`; the same history as the pages write.

use super::{etag, is_problem, json};
use crate::helpers::{TestApp, ADMIN, JAMES, MARIA};
use axum::http::{header, StatusCode};
use serde_json::json;

#[tokio::test]
async fn leads_are_created_changed_archived_and_restored_by_whoever_may_and_nobody_else() {
    let app = TestApp::new().await;
    let maria = app.api_as(MARIA, "write").await;
    let james = app.api_as(JAMES, "write").await;
    let reader = app.api_as(MARIA, "read").await;
    let admin = app.api_as(ADMIN, "write").await;
    let james_id = app.user_id("james@kith.test").await;

    // An agent's lead is their own, whoever they name.
    let new = json!({"name": "Tara Brightside", "email": "tara@brightside.example",
        "company": "Brightside", "assignee_id": james_id});
    let lead = maria.create("/leads", new.clone()).await;
    let path = format!("/leads/{lead}");
    let read = maria.get(&path).await;
    assert_eq!(json(&read)["assignee_name"], "Maria Lopez", "{}", read.body);
    assert_eq!(json(&read)["status"], "new");
    assert_eq!(app.logged(&format!("action = 'create' AND entity_id = '{lead}'")).await, 1);

    // A read token reads but does not write; without a token nothing happens.
    assert_eq!(reader.get(&path).await.status, StatusCode::OK);
    is_problem(&reader.post("/leads", json!({"name": "Nope"})).await, StatusCode::FORBIDDEN);
    is_problem(&reader.patch(&path, "\"1\"", json!({"name": "Nope"})).await, StatusCode::FORBIDDEN);
    is_problem(&reader.delete(&path, None).await, StatusCode::FORBIDDEN);
    let anonymous = app.client();
    let anonymous = anonymous
        .send(axum::http::Request::delete(format!("/api/v1{path}")), axum::body::Body::empty())
        .await;
    is_problem(&anonymous, StatusCode::UNAUTHORIZED);

    // The same email again is a duplicate unless allowed.
    let twice = maria.post("/leads", new.clone()).await;
    is_problem(&twice, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json(&twice)["errors"][0]["field"], "duplicate");

    // Another agent's lead is not found, whatever they try.
    for res in [
        james.get(&path).await,
        james.patch(&path, "\"1\"", json!({"name": "Mine now"})).await,
        james.delete(&path, None).await,
        james.post(&format!("{path}/convert"), json!({})).await,
    ] {
        is_problem(&res, StatusCode::NOT_FOUND);
    }

    // A change needs the version it was made on.
    let change = json!({"status": "in_progress", "phone": "+1 555 010 2030"});
    let unversioned = maria.send("PATCH", &path, &[], Some(change.clone())).await;
    is_problem(&unversioned, StatusCode::PRECONDITION_REQUIRED);
    is_problem(&maria.patch(&path, "\"7\"", change.clone()).await, StatusCode::PRECONDITION_FAILED);
    let changed = maria.patch(&path, "\"1\"", change.clone()).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(etag(&changed), "\"2\"");
    let body = json(&changed);
    assert_eq!(
        (body["status"].as_str(), body["name"].as_str()),
        (Some("in_progress"), Some("Tara Brightside"))
    );
    let history = app.logged_changes("action = 'update' AND entity_id = $1", Some(&lead)).await;
    assert!(history.contains("In Progress") && history.contains("555"), "{history}");
    // The version it was made on is gone now: someone else's change would be overwritten.
    is_problem(
        &maria.patch(&path, "\"1\"", json!({"name": "Old"})).await,
        StatusCode::PRECONDITION_FAILED,
    );
    let invalid = maria.patch(&path, "\"2\"", json!({"email": "nope", "status": "maybe"})).await;
    is_problem(&invalid, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json(&invalid)["errors"].as_array().map(Vec::len), Some(2), "{}", invalid.body);

    // Deleting archives: gone from lists; only an admin restores it.
    assert_eq!(maria.delete(&path, None).await.status, StatusCode::NO_CONTENT);
    assert_eq!(json(&maria.get("/leads?q=brightside").await)["total"], 0);
    is_problem(&maria.post(&format!("{path}/restore"), json!({})).await, StatusCode::NOT_FOUND);
    let archive = admin.get("/leads?archived=true&q=brightside").await;
    assert_eq!(json(&archive)["total"], 1, "{}", archive.body);
    let restored = admin.post(&format!("{path}/restore"), json!({})).await;
    assert_eq!(restored.status, StatusCode::OK, "{}", restored.body);
    assert_eq!(json(&restored)["archived"], false);
    assert_eq!(
        app.logged(&format!("action IN ('archive', 'restore') AND entity_id = '{lead}'")).await,
        2
    );
}

#[tokio::test]
async fn an_admin_assigns_and_the_new_agent_converts_once_then_works_the_customer() {
    let app = TestApp::new().await;
    let maria = app.api_as(MARIA, "write").await;
    let james = app.api_as(JAMES, "write").await;
    let admin = app.api_as(ADMIN, "write").await;
    let james_id = app.user_id("james@kith.test").await;
    let lead =
        maria.create("/leads", json!({"name": "Omar Haddad", "company": "Haddad & Sons"})).await;
    let task = maria
        .create("/tasks", json!({"title": "Call Omar", "due_date": "2030-01-10", "lead_id": lead}))
        .await;

    // Assigning is for admins; agents do not learn the endpoint exists.
    let to_james = json!({"assignee_id": james_id});
    is_problem(
        &maria.post(&format!("/leads/{lead}/assign"), to_james.clone()).await,
        StatusCode::NOT_FOUND,
    );
    let nobody =
        admin.post(&format!("/leads/{lead}/assign"), json!({"assignee_id": "nobody"})).await;
    is_problem(&nobody, StatusCode::UNPROCESSABLE_ENTITY);
    let assigned = admin.post(&format!("/leads/{lead}/assign"), to_james).await;
    assert_eq!(json(&assigned)["assignee_name"], "James Chen", "{}", assigned.body);
    is_problem(&maria.get(&format!("/leads/{lead}")).await, StatusCode::NOT_FOUND);

    // Converting makes one customer; the second attempt is a conflict.
    let converted = james.post(&format!("/leads/{lead}/convert"), json!({})).await;
    assert_eq!(converted.status, StatusCode::CREATED, "{}", converted.body);
    let customer = json(&converted)["id"].as_str().expect("customer").to_owned();
    assert_eq!(json(&converted)["lead_id"], lead.as_str());
    assert!(converted.headers[header::LOCATION]
        .to_str()
        .is_ok_and(|l| l == format!("/api/v1/customers/{customer}")));
    is_problem(
        &james.post(&format!("/leads/{lead}/convert"), json!({})).await,
        StatusCode::CONFLICT,
    );
    assert_eq!(app.rows(&format!("customers WHERE lead_id = '{lead}'")).await, 1);
    let lead_now = json(&james.get(&format!("/leads/{lead}")).await);
    assert_eq!(
        (lead_now["status"].as_str(), lead_now["customer_id"].as_str()),
        (Some("won"), Some(customer.as_str()))
    );

    // The customer: tags, notes, a task; Maria reaches none of it.
    let customer_path = format!("/customers/{customer}");
    let tagged =
        james.patch(&customer_path, "\"1\"", json!({"tags": ["VIP", "yearly plan"]})).await;
    assert_eq!(json(&tagged)["tags"], json!(["vip", "yearly plan"]), "{}", tagged.body);
    let note =
        james.post(&format!("{customer_path}/notes"), json!({"body": "Signed for a year."})).await;
    assert_eq!(note.status, StatusCode::CREATED, "{}", note.body);
    let note_id = json(&note)["id"].as_str().expect("note").to_owned();
    is_problem(&maria.get(&format!("{customer_path}/notes")).await, StatusCode::NOT_FOUND);
    is_problem(
        &maria.post(&format!("{customer_path}/notes"), json!({"body": "Hi"})).await,
        StatusCode::NOT_FOUND,
    );
    is_problem(
        &maria.patch(&format!("/notes/{note_id}"), "\"1\"", json!({"body": "Mine"})).await,
        StatusCode::NOT_FOUND,
    );
    let edited = james
        .patch(&format!("/notes/{note_id}"), "\"1\"", json!({"body": "Signed for two years."}))
        .await;
    assert_eq!(json(&edited)["body"], "Signed for two years.", "{}", edited.body);
    is_problem(
        &james.delete(&format!("/notes/{note_id}"), Some("\"1\"")).await,
        StatusCode::PRECONDITION_FAILED,
    );
    assert_eq!(
        james.delete(&format!("/notes/{note_id}"), Some("\"2\"")).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(json(&james.get(&format!("{customer_path}/notes")).await), json!([]));

    // The lead's open task moved to the customer with it, and to James, who owns both now.
    let moved = json(&james.get(&format!("/tasks/{task}")).await);
    assert_eq!(moved["customer_id"], customer.as_str(), "{moved}");
    assert_eq!(moved["assignee_id"], james_id.as_str(), "{moved}");
    is_problem(&maria.get(&format!("/tasks/{task}")).await, StatusCode::NOT_FOUND);
    is_problem(
        &james.patch(&format!("/tasks/{task}"), "\"9\"", json!({"status": "done"})).await,
        StatusCode::PRECONDITION_FAILED,
    );
    let version = etag(&james.get(&format!("/tasks/{task}")).await);
    let maria_id = app.user_id("maria@kith.test").await;
    let give_away =
        james.patch(&format!("/tasks/{task}"), &version, json!({"assignee_id": maria_id})).await;
    is_problem(&give_away, StatusCode::NOT_FOUND);
    let done = james.patch(&format!("/tasks/{task}"), &version, json!({"status": "done"})).await;
    assert_eq!(json(&done)["status"], "done", "{}", done.body);
    is_problem(
        &maria.delete(&format!("/tasks/{task}"), Some(&etag(&done))).await,
        StatusCode::NOT_FOUND,
    );
    assert_eq!(
        james.delete(&format!("/tasks/{task}"), Some(&etag(&done))).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.rows(&format!("tasks WHERE id = '{task}'")).await, 0);
}

#[tokio::test]
async fn agents_read_the_active_team_and_admins_manage_it() {
    let app = TestApp::new().await;
    let maria = app.api_as(MARIA, "write").await;
    let admin = app.api_as(ADMIN, "write").await;

    let team = json(&maria.get("/users").await);
    assert_eq!(team["total"], 4, "{team}");
    assert!(team["data"][0]["last_sign_in_at"].is_null(), "{team}");
    let new = json!({"name": "Noor Ali", "email": "noor@kith.test", "role": "agent", "password": "a long enough password"});
    is_problem(&maria.post("/users", new.clone()).await, StatusCode::NOT_FOUND);
    let weak = admin.post("/users", json!({"name": "Noor Ali", "email": "noor@kith.test", "role": "agent", "password": "short"})).await;
    is_problem(&weak, StatusCode::UNPROCESSABLE_ENTITY);
    let noor = admin.create("/users", new).await;
    let path = format!("/users/{noor}");
    is_problem(&maria.patch(&path, "\"1\"", json!({"active": false})).await, StatusCode::NOT_FOUND);
    let deactivated =
        admin.patch(&path, "\"1\"", json!({"active": false, "name": "Noor A. Ali"})).await;
    assert_eq!(deactivated.status, StatusCode::OK, "{}", deactivated.body);
    assert_eq!(json(&deactivated)["active"], false);
    assert_eq!(json(&deactivated)["name"], "Noor A. Ali");
    is_problem(&maria.get(&path).await, StatusCode::NOT_FOUND);
    assert_eq!(json(&maria.get("/users").await)["total"], 4, "agents see active members only");
    assert_eq!(json(&admin.get("/users?state=deactivated").await)["total"], 1);
    // The last admin stays one.
    let admin_id = app.user_id("admin@kith.test").await;
    let version = etag(&admin.get(&format!("/users/{admin_id}")).await);
    let demoted =
        admin.patch(&format!("/users/{admin_id}"), &version, json!({"role": "agent"})).await;
    assert!(demoted.status.is_client_error(), "{}", demoted.body);
    assert_eq!(app.rows("users WHERE role = 'admin'").await, 1);
}

#[tokio::test]
async fn the_activity_log_reads_as_the_page_shows_it_to_each_role() {
    let app = TestApp::new().await;
    let maria = app.api_as(MARIA, "write").await;
    let james = app.api_as(JAMES, "write").await;
    let admin = app.api_as(ADMIN, "read").await;
    maria.create("/leads", json!({"name": "Logged Lead"})).await;
    james.create("/leads", json!({"name": "Other Lead"})).await;

    let mine = json(&maria.get("/activity?entity_type=lead&action=create").await);
    let labels: Vec<&str> =
        mine["data"].as_array().expect("data").iter().filter_map(|e| e["label"].as_str()).collect();
    assert_eq!(labels, ["Logged Lead"], "{mine}");
    let all = json(&admin.get("/activity?entity_type=lead&action=create").await);
    assert_eq!(all["total"], 2, "{all}");
    assert!(all["data"][0]["at"].as_str().is_some_and(|t| t.ends_with('Z')));
    let bad = admin.get("/activity?action=explode&from=yesterday").await;
    is_problem(&bad, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json(&bad)["errors"].as_array().map(Vec::len), Some(2), "{}", bad.body);
}
