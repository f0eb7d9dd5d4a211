//! Bad input and races, as classes: whatever anyone sends, Kith answers with a
//! clear 4xx (never a 500, a panic or a dropped connection), never checks more
//! passwords than the throttle allows, and never lets a versioned write "succeed"
//! without applying.

use crate::helpers::{TestApp, ADMIN, MARIA};
use axum::http::StatusCode;

/// Sends `attempts` sign-ins for one account at the same moment, spread over
/// `instances`, and counts how many were checked (answered 401 or 200).
async fn parallel_sign_ins(instances: &[&TestApp], email: &str, passwords: &[&str]) -> usize {
    let mut handles = Vec::new();
    for (i, password) in passwords.iter().enumerate() {
        let client = instances[i % instances.len()].client();
        let (email, password) = (email.to_owned(), (*password).to_owned());
        handles.push(tokio::spawn(async move {
            client.sign_in(&email, &password).await.status
        }));
    }
    let mut checked = 0;
    for handle in handles {
        match handle.await.expect("sign-in task") {
            StatusCode::OK | StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("unexpected answer {other}"),
        }
    }
    checked
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_guesses_never_check_more_passwords_than_the_limit() {
    let app = TestApp::new().await;
    let limit = app.auth.throttle.account_limit as usize;
    let mut passwords = vec!["wrong-password"; 15];
    passwords.push(MARIA.1);
    let checked = parallel_sign_ins(&[&app], MARIA.0, &passwords).await;
    assert!(checked <= limit, "{checked} passwords were checked");
    assert!(checked >= 1, "the first attempts are checked");
    let failed = app
        .count("SELECT COUNT(*) FROM activity WHERE action = 'sign_in_failed'")
        .await;
    assert!(failed as usize <= limit, "{failed} failures logged");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_share_one_limit() {
    let first = TestApp::new().await;
    let second = first.another_instance().await;
    let limit = first.auth.throttle.account_limit as usize;
    let checked = parallel_sign_ins(&[&first, &second], MARIA.0, &["wrong-password"; 16]).await;
    assert!(checked <= limit, "{checked} passwords were checked");
    // The account is now locked on both instances, even for the right password.
    for instance in [&first, &second] {
        let res = instance.client().sign_in(MARIA.0, MARIA.1).await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.body);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_current_passwords_on_the_profile_never_lock_sign_in() {
    let app = TestApp::new().await;
    let maria = app.signed_in(MARIA).await;
    let guess = || {
        maria.call(
            "/api/profile/password",
            &[
                ("current_password", "not my password"),
                ("password", "river stone lantern"),
                ("password_confirm", "river stone lantern"),
            ],
        )
    };
    for _ in 0..app.auth.throttle.account_limit {
        assert_eq!(guess().await.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let refused = guess().await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.body
    );
    assert!(refused.body.contains("Too many failed password checks"));
    // Signing in is counted apart, so she can still sign in elsewhere.
    assert_eq!(
        app.client().sign_in(MARIA.0, MARIA.1).await.status,
        StatusCode::OK
    );
    assert!(maria.is_signed_in().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_set_up_kith_refuses_setup_before_reading_the_form() {
    let app = TestApp::new().await;
    // A form that would fail validation is refused as "already set up": the
    // refusal comes first, so nothing about the form (or its password) is worked on.
    let weak = app
        .client()
        .call(
            "/api/setup",
            &[
                ("name", ""),
                ("email", "nobody"),
                ("password", "short"),
                ("password_confirm", "other"),
            ],
        )
        .await;
    assert_eq!(weak.status, StatusCode::CONFLICT, "{}", weak.body);
    assert!(weak.body.contains("already set up"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_proxy_the_client_cannot_choose_its_own_address() {
    let app = TestApp::with(|s| s.throttle.address_limit = 3).await;
    // The client writes whatever it likes on the left; the proxy appends the real address.
    for (i, email) in ["a@kith.test", "b@kith.test", "c@kith.test"]
        .into_iter()
        .enumerate()
    {
        let mut attacker = app.client();
        attacker.forwarded_for = format!("10.0.0.{i}, 192.0.2.66");
        assert_eq!(
            attacker.sign_in(email, "guess-guess").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let mut attacker = app.client();
    attacker.forwarded_for = "10.9.9.9, 192.0.2.66".into();
    assert_eq!(
        attacker.sign_in(ADMIN.0, ADMIN.1).await.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the address the proxy saw is the one counted"
    );

    let mut honest = app.client();
    honest.forwarded_for = "10.9.9.9, 198.51.100.4".into();
    assert_eq!(
        honest.sign_in(ADMIN.0, ADMIN.1).await.status,
        StatusCode::OK
    );
    let (address,): (String,) =
        sqlx::query_as("SELECT client_addr FROM sessions ORDER BY created_at DESC LIMIT 1")
            .fetch_one(&app.db.pool)
            .await
            .expect("a session");
    assert_eq!(address, "198.51.100.4");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extreme_dates_anywhere_get_an_answer_not_a_panic() {
    let app = TestApp::new().await;
    let admin = app.signed_in(ADMIN).await;
    for day in [
        "%2B262142-12-31",
        "-262143-01-01",
        "262142-12-31",
        "9999-12-31",
        "0000-01-01",
    ] {
        for path in [
            format!("/activity?to={day}"),
            format!("/activity?from={day}&to={day}"),
            format!("/tasks?due_from={day}&due_to={day}"),
        ] {
            let res = admin.get(&path).await;
            assert_eq!(res.status, StatusCode::OK, "{path}");
        }
        let decoded = day.replace("%2B", "+");
        let res = admin
            .call("/api/activity/list", &[("query", &format!("to={day}"))])
            .await;
        assert_eq!(res.status, StatusCode::OK, "{day}: {}", res.body);
        let res = admin
            .call(
                "/api/tasks/create",
                &crate::client::task_form("Call", &decoded, &[]),
            )
            .await;
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
        .oneshot(
            Request::post("/api/call")
                .body(Body::empty())
                .expect("request"),
        )
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
                Request::builder()
                    .method(method)
                    .uri(path)
                    .body(Body::empty())
                    .expect("request"),
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
    let app = TestApp::new().await;
    let admin = app.signed_in(ADMIN).await;
    admin.create_lead(&[("name", "Ana Silva")]).await;
    admin.create_customer(&[("name", "Acme Ltd")]).await;
    for term in hostile_terms() {
        for path in [
            "/leads",
            "/leads/board",
            "/customers",
            "/tasks",
            "/users",
            "/activity",
        ] {
            let res = admin.get(&format!("{path}?q={term}")).await;
            assert_eq!(
                res.status,
                StatusCode::OK,
                "{path} {}",
                &term[..term.len().min(40)]
            );
        }
        for export in ["/leads/export.csv", "/customers/export.csv"] {
            let res = admin.get(&format!("{export}?q={term}")).await;
            assert_eq!(res.status, StatusCode::OK, "{export}");
            let mut reader = csv::Reader::from_reader(res.body.as_bytes());
            assert!(reader.headers().is_ok(), "a complete CSV: {}", res.body);
            assert!(res.body.ends_with("\r\n"), "not cut off: {}", res.body);
        }
        let qs = format!("q={term}");
        for list in [
            "/api/leads/list",
            "/api/leads/board",
            "/api/customers/list",
            "/api/users/list",
        ] {
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
    let app = TestApp::new().await;
    let admin = app.signed_in(ADMIN).await;
    for path in ["/leads/%00", "/customers/a%00", "/tasks/%00", "/users/%00"] {
        assert_eq!(
            admin.get(path).await.status,
            StatusCode::BAD_REQUEST,
            "{path}"
        );
    }
    let res = admin.call("/api/leads/get", &[("id", "\0")]).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let res = admin
        .call(
            "/api/leads/create",
            &crate::client::form_with(&crate::client::LEAD_DEFAULTS, &[("name", "A\0B")]),
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.count("SELECT COUNT(*) FROM leads").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_functions_keep_the_urls_bounds() {
    let app = TestApp::new().await;
    let admin = app.signed_in(ADMIN).await;
    for list in [
        "/api/leads/list",
        "/api/customers/list",
        "/api/users/list",
        "/api/tasks/list",
        "/api/activity/list",
    ] {
        let res = admin
            .call(list, &[("query", "per_page=100000&page=4294967295&q=x")])
            .await;
        assert_eq!(res.status, StatusCode::OK, "{list}: {}", res.body);
        let page: serde_json::Value = serde_json::from_str(&res.body).expect("json");
        let query = page["query"]
            .as_str()
            .expect("the query, as its query string");
        assert!(!query.contains("per_page=100000"), "{list}: {query}");
        assert!(!query.contains("4294967295"), "{list}: {query}");
    }
    // A struct-shaped body (the old wire form) cannot skip the bounds either.
    let res = admin
        .call("/api/leads/list", &[("query[per_page]", "100000")])
        .await;
    assert!(res.status.is_client_error(), "{}", res.status);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_simultaneous_edits_of_one_note_exactly_one_applies() {
    let app = TestApp::new().await;
    let maria = app.signed_in(MARIA).await;
    let lead = maria.create_lead(&[("name", "Ana Silva")]).await;
    let res = maria
        .call(
            "/api/notes/add",
            &[("kind", "lead"), ("record_id", &lead), ("body", "first")],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let (note,): (String,) = sqlx::query_as("SELECT id FROM notes")
        .fetch_one(&app.db.pool)
        .await
        .expect("a note");
    let mut handles = Vec::new();
    for i in 0..8 {
        let (client, note) = (maria.clone(), note.clone());
        handles.push(tokio::spawn(async move {
            let body = format!("edit {i}");
            let res = client
                .call(
                    "/api/notes/edit",
                    &[("id", &note), ("version", "1"), ("body", &body)],
                )
                .await;
            (res.status, body)
        }));
    }
    let mut applied = Vec::new();
    for handle in handles {
        let (status, body) = handle.await.expect("edit task");
        match status {
            StatusCode::OK => applied.push(body),
            StatusCode::CONFLICT => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(applied.len(), 1, "{applied:?}");
    let (body, version): (String, i64) = sqlx::query_as("SELECT body, version FROM notes")
        .fetch_one(&app.db.pool)
        .await
        .expect("the note");
    assert_eq!((body, version), (applied[0].clone(), 2));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM activity WHERE action = 'note_edit'")
            .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_assign_with_nothing_chosen_is_a_validation_message() {
    let app = TestApp::new().await;
    let admin = app.signed_in(ADMIN).await;
    let maria = app.user_id(MARIA.0).await;
    let none_ticked = admin
        .call(
            "/api/leads/assign",
            &[("assignee", &maria), ("back", "/leads")],
        )
        .await;
    assert_eq!(none_ticked.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none_ticked.body.contains("Tick the leads to assign first"));
    let lead = admin.create_lead(&[("name", "Ana Silva")]).await;
    let nobody = admin
        .call("/api/leads/assign", &[("ids[0]", &lead), ("assignee", "")])
        .await;
    assert_eq!(nobody.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(nobody.body.contains("Choose who gets the leads"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exported_phone_numbers_read_back_as_they_were_typed() {
    let app = TestApp::new().await;
    let admin = app.signed_in(ADMIN).await;
    admin
        .create_lead(&[
            ("name", "=cmd|' /C calc'!A0"),
            ("phone", "+1 555 0100"),
            ("company", "Acme; Sons"),
        ])
        .await;
    admin
        .create_customer(&[("name", "Ana"), ("phone", "+44 20 7946 0958")])
        .await;
    let leads = admin.get("/leads/export.csv").await;
    let mut reader = csv::Reader::from_reader(leads.body.as_bytes());
    let row = reader.records().next().expect("a row").expect("valid CSV");
    assert_eq!(&row[0], "'=cmd|' /C calc'!A0", "a formula stays text");
    assert_eq!(&row[2], "+1 555 0100", "a phone number is unchanged");
    assert_eq!(&row[3], "Acme; Sons");
    assert!(
        leads.body.contains("\"Acme; Sons\""),
        "quoted for ; readers"
    );
    let customers = admin.get("/customers/export.csv").await;
    assert!(
        customers.body.contains(",\"+44 20 7946 0958\","),
        "{}",
        customers.body
    );
}
