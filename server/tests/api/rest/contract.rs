//! What every call can rely on: retried creates answer once (`Idempotency-Key`),
//! each token has its own rate limit, and input the API cannot read is a problem
//! document with a 4xx, never a 500.

use super::{is_problem, json};
use crate::helpers::{TestApp, ADMIN, MARIA};
use axum::http::{header, StatusCode};
use serde_json::json;

#[tokio::test]
async fn a_create_retried_with_its_idempotency_key_answers_once() {
    let app = TestApp::new().await;
    let maria = app.api_as(MARIA, "write").await;
    let lead = json!({"name": "Once Only", "email": "once@example.com"});
    let key = [("idempotency-key", "5f0c-retry-1")];

    let first = maria.send("POST", "/leads", &key, Some(lead.clone())).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let again = maria.send("POST", "/leads", &key, Some(lead.clone())).await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
    assert_eq!(json(&again)["id"], json(&first)["id"]);
    assert_eq!(again.headers[header::LOCATION], first.headers[header::LOCATION]);
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(app.rows("leads WHERE email = 'once@example.com'").await, 1);

    // The same key for another request is refused; another token's keys are its own.
    let other = maria.send("POST", "/leads", &key, Some(json!({"name": "Someone Else"}))).await;
    is_problem(&other, StatusCode::UNPROCESSABLE_ENTITY);
    let admin = app.api_as(ADMIN, "write").await;
    let theirs = admin.send("POST", "/leads", &key, Some(json!({"name": "Admin's Own"}))).await;
    assert_eq!(theirs.status, StatusCode::CREATED, "{}", theirs.body);

    // A refused request frees its key for the corrected retry.
    let key = [("idempotency-key", "fix-and-retry")];
    let refused = maria.send("POST", "/customers", &key, Some(json!({"name": ""}))).await;
    is_problem(&refused, StatusCode::UNPROCESSABLE_ENTITY);
    let fixed = maria.send("POST", "/customers", &key, Some(json!({"name": "Fixed Co"}))).await;
    assert_eq!(fixed.status, StatusCode::CREATED, "{}", fixed.body);
    let bad_key = maria.send("POST", "/leads", &[("idempotency-key", "")], Some(lead)).await;
    is_problem(&bad_key, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn each_token_has_its_own_rate_limit_and_is_told_where_it_stands() {
    let app = TestApp::new().await.with_api_rate_limit(3);
    let maria = app.api_as(MARIA, "read").await;
    let admin = app.api_as(ADMIN, "read").await;
    for remaining in ["2", "1", "0"] {
        let res = maria.get("/leads").await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(res.headers["ratelimit-limit"], "3");
        assert_eq!(res.headers["ratelimit-remaining"], remaining);
    }
    let limited = maria.get("/leads").await;
    is_problem(&limited, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 =
        limited.headers[header::RETRY_AFTER].to_str().expect("retry").parse().expect("seconds");
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(limited.headers["ratelimit-remaining"], "0");
    assert_eq!(admin.get("/leads").await.status, StatusCode::OK, "another token is not limited");
}

#[tokio::test]
async fn input_the_api_cannot_read_is_a_problem_document_never_a_500() {
    let app = TestApp::new().await;
    let admin = app.api_as(ADMIN, "write").await;
    type Case<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str)>, Option<&'a str>, StatusCode);
    let cases: Vec<Case> = vec![
        (
            "POST",
            "/leads",
            vec![("content-type", "application/json")],
            Some("{not json"),
            StatusCode::BAD_REQUEST,
        ),
        (
            "POST",
            "/leads",
            vec![("content-type", "text/plain")],
            Some(r#"{"name":"X"}"#),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "POST",
            "/leads",
            vec![("content-type", "application/json")],
            Some(r#"{"name":"X","nmae":"Y"}"#),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "POST",
            "/leads",
            vec![("content-type", "application/json")],
            Some(r#"{"name":7}"#),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "PATCH",
            "/leads/x",
            vec![("content-type", "application/json"), ("if-match", "soon")],
            Some("{}"),
            StatusCode::BAD_REQUEST,
        ),
        ("GET", "/leads?limit=lots", vec![], None, StatusCode::UNPROCESSABLE_ENTITY),
        (
            "GET",
            "/tasks?due_from=2024-13-45&overdue=maybe",
            vec![],
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        ("GET", "/nowhere", vec![], None, StatusCode::NOT_FOUND),
        ("PUT", "/leads", vec![], None, StatusCode::METHOD_NOT_ALLOWED),
    ];
    for (method, path, headers, body, status) in cases {
        let mut request =
            axum::http::Request::builder().method(method).uri(format!("/api/v1{path}"));
        for (name, value) in &headers {
            request = request.header(*name, *value);
        }
        let res = admin.raw(request, body.unwrap_or_default()).await;
        is_problem(&res, status);
        assert!(!json(&res)["detail"].as_str().unwrap_or_default().is_empty(), "{method} {path}");
    }
    let missing = json(&admin.post("/tasks", json!({"title": "No day"})).await);
    assert_eq!(missing["status"], 422, "{missing}");
}
