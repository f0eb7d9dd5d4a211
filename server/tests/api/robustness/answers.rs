//! Whatever is sent, an answer: dates, panics, timeouts, search text, NUL bytes and URL bounds.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extreme_dates_anywhere_get_an_answer_not_a_panic() {
    let (_app, admin) = TestApp::signed_in_as(ADMIN).await;
    for day in ["%2B262142-12-31", "-262143-01-01", "262142-12-31", "9999-12-31", "0000-01-01"] {
        for path in [
            format!("/activity?to={day}"),
            format!("/activity?from={day}&to={day}"),
            format!("/tasks?due_from={day}&due_to={day}"),
        ] {
            let res = admin.get(&path).await;
            assert_eq!(res.status, StatusCode::OK, "{path}");
        }
        let decoded = day.replace("%2B", "+");
        let res = admin.call("/api/activity/list", &[("query", &format!("to={day}"))]).await;
        assert_eq!(res.status, StatusCode::OK, "{day}: {}", res.body);
        let res =
            admin.call("/api/tasks/create", &crate::client::task_form("Call", &decoded, &[])).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{day}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_still_gets_an_answer() {
    use axum::body::{to_bytes, Body};
    use axum::http::Request;
    use tower::ServiceExt;
    async fn boom() -> &'static str {
        panic!("a bug")
    }
    let router = kith_server::router::guard(
        axum::Router::new()
            .route("/page", axum::routing::get(boom))
            .route("/api/call", axum::routing::post(boom)),
        std::time::Duration::from_secs(5),
    );
    let page = router
        .clone()
        .oneshot(Request::get("/page").body(Body::empty()).expect("request"))
        .await
        .expect("an answer");
    assert_eq!(page.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body = to_bytes(page.into_body(), 1 << 20).await.expect("body");
    assert!(String::from_utf8_lossy(&body).contains("Something went wrong"));
    let call = router
        .oneshot(Request::post("/api/call").body(Body::empty()).expect("request"))
        .await
        .expect("an answer");
    assert_eq!(call.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body = to_bytes(call.into_body(), 1 << 20).await.expect("body");
    assert_eq!(&body[..], br#""Internal""#);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_that_never_comes_is_given_up_with_a_503() {
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;
    async fn hang() -> &'static str {
        std::future::pending::<()>().await;
        "never"
    }
    let router = kith_server::router::guard(
        axum::Router::new()
            .route("/page", axum::routing::get(hang))
            .route("/api/call", axum::routing::post(hang)),
        std::time::Duration::from_millis(200),
    );
    for (method, path) in [("GET", "/page"), ("POST", "/api/call")] {
        let res = router
            .clone()
            .oneshot(
                Request::builder().method(method).uri(path).body(Body::empty()).expect("request"),
            )
            .await
            .expect("an answer");
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
    }
}

/// Search terms nobody should be able to break a list with.
fn hostile_terms() -> Vec<String> {
    vec![
        "%00".into(),
        "a%00b".into(),
        "%01%02%1F%7F".into(),
        "%ED%A0%80".into(),          // a lone surrogate, as UTF-8 bytes
        "%22%2A%5E%3A%28%29".into(), // " * ^ : ( ) for full-text syntax
        "%25_%5C".into(),            // % _ \ for LIKE
        "NEAR%28a+b%29+OR+x".into(),
        "x".repeat(60_000),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn any_search_text_searches_safely_on_every_list_and_export() {
    let (_app, admin) = TestApp::signed_in_as(ADMIN).await;
    admin.create_lead(&[("name", "Ana Silva")]).await;
    admin.create_customer(&[("name", "Acme Ltd")]).await;
    for term in hostile_terms() {
        for path in ["/leads", "/leads/board", "/customers", "/tasks", "/users", "/activity"] {
            let res = admin.get(&format!("{path}?q={term}")).await;
            assert_eq!(res.status, StatusCode::OK, "{path} {}", &term[..term.len().min(40)]);
        }
        for export in ["/leads/export.csv", "/customers/export.csv"] {
            let res = admin.get(&format!("{export}?q={term}")).await;
            assert_eq!(res.status, StatusCode::OK, "{export}");
            let mut reader = csv::Reader::from_reader(res.body.as_bytes());
            assert!(reader.headers().is_ok(), "a complete CSV: {}", res.body);
            assert!(res.body.ends_with("\r\n"), "not cut off: {}", res.body);
        }
        let qs = format!("q={term}");
        for list in
            ["/api/leads/list", "/api/leads/board", "/api/customers/list", "/api/users/list"]
        {
            let decoded = percent_encoding::percent_decode_str(&qs).decode_utf8_lossy();
            let res = admin.call(list, &[("query", &decoded)]).await;
            assert!(
                res.status == StatusCode::OK || res.status.is_client_error(),
                "{list}: {} {}",
                res.status,
                &res.body[..res.body.len().min(200)]
            );
        }
        for list in ["/api/tasks/list", "/api/activity/list"] {
            let res = admin.call(list, &[("query", &qs)]).await;
            assert_eq!(res.status, StatusCode::OK, "{list}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_nul_in_a_path_or_form_is_bad_input() {
    let (app, admin) = TestApp::signed_in_as(ADMIN).await;
    for path in ["/leads/%00", "/customers/a%00", "/tasks/%00", "/users/%00"] {
        assert_eq!(admin.get_status(path).await, StatusCode::BAD_REQUEST, "{path}");
    }
    let res = admin.call("/api/leads/get", &[("id", "\0")]).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let res = admin.try_create(&LEADS, &[("name", "A\0B")]).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.rows("leads").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_functions_keep_the_urls_bounds() {
    let (_app, admin) = TestApp::signed_in_as(ADMIN).await;
    for list in [
        "/api/leads/list",
        "/api/customers/list",
        "/api/users/list",
        "/api/tasks/list",
        "/api/activity/list",
    ] {
        let res = admin.call(list, &[("query", "per_page=100000&page=4294967295&q=x")]).await;
        assert_eq!(res.status, StatusCode::OK, "{list}: {}", res.body);
        let page: serde_json::Value = serde_json::from_str(&res.body).expect("json");
        let query = page["query"].as_str().expect("the query, as its query string");
        assert!(!query.contains("per_page=100000"), "{list}: {query}");
        assert!(!query.contains("4294967295"), "{list}: {query}");
    }
    // A struct-shaped body (the old wire form) cannot skip the bounds either.
    let res = admin.call("/api/leads/list", &[("query[per_page]", "100000")]).await;
    assert!(res.status.is_client_error(), "{}", res.status);
}
