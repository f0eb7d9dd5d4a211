//! `/metrics` and request ids: requests counted and timed by route, the pool and
//! the queues, webhook outcomes; a token when one is set; an id on every answer.

use crate::helpers::{TestApp, MARIA};
use axum::body::Body;
use axum::http::{Request, StatusCode};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_and_time_requests_by_the_route_they_matched() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    let lead = maria.create_lead(&[("name", "Ana Silva")]).await;
    assert_eq!(maria.get(&format!("/leads/{lead}")).await.status, StatusCode::OK);
    maria.get("/no-such-page").await;

    let metrics = app.client().get("/metrics").await;
    assert_eq!(metrics.status, StatusCode::OK);
    assert!(metrics.headers["content-type"].to_str().expect("text").starts_with("text/plain"));
    let body = metrics.body;
    for line in [
        r#"kith_http_requests_total{method="GET",route="/leads/{id}",status="200"}"#,
        r#"kith_http_requests_total{method="POST",route="/api/leads/create","#,
        r#"kith_http_requests_total{method="GET",route="unmatched",status="404"}"#,
        r#"kith_http_request_duration_seconds_bucket{method="GET",route="/leads/{id}",le="0.05"}"#,
        "kith_db_pool_connections ",
        "kith_import_jobs_waiting 0",
        "kith_webhook_deliveries_pending 0",
    ] {
        assert!(body.contains(line), "{line} in:\n{body}");
    }
    assert!(!body.contains(&lead), "ids never become labels");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_answer_only_the_token_when_one_is_set() {
    let app = TestApp::new().await.serving(|args| args.metrics_token = Some("m3trics".into()));
    let client = app.client();
    assert_eq!(client.get("/metrics").await.status, StatusCode::UNAUTHORIZED);
    let wrong = Request::get("/metrics").header("authorization", "Bearer nope");
    assert_eq!(client.send(wrong, Body::empty()).await.status, StatusCode::UNAUTHORIZED);
    let right = Request::get("/metrics").header("authorization", "Bearer m3trics");
    assert_eq!(client.send(right, Body::empty()).await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_carries_a_request_id_and_keeps_the_callers() {
    let app = TestApp::new().await;
    let client = app.client();
    let first = client.get("/healthz").await;
    let second = client.get("/healthz").await;
    let id = |res: &crate::helpers::TestResponse| {
        res.headers["x-request-id"].to_str().expect("text").to_owned()
    };
    assert_eq!(id(&first).len(), 36, "a new UUID");
    assert_ne!(id(&first), id(&second));
    let given = Request::get("/login").header("x-request-id", "trace-me-42");
    assert_eq!(id(&client.send(given, Body::empty()).await), "trace-me-42");
}
