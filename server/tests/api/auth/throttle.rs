//! Guessing limits, other origins and oversized bodies.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_failures_lock_the_account_even_for_the_right_password() {
    let app = TestApp::new().await;
    let limit = app.auth.throttle.account_limit;
    for _ in 0..limit {
        let res = app.client().sign_in(MARIA.0, "wrong-password").await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    }
    let locked = app.client().sign_in(MARIA.0, MARIA.1).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(locked.body.contains("Too many failed sign-in attempts"), "{}", locked.body);
    // Other accounts from other addresses are unaffected.
    let mut other = app.client();
    other.forwarded_for = "198.51.100.20".into();
    assert_eq!(other.sign_in(JAMES.0, JAMES.1).await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_email_is_throttled_like_a_real_one() {
    let app = TestApp::new().await;
    for _ in 0..app.auth.throttle.account_limit {
        app.client().sign_in("ghost@kith.test", "wrong-password").await;
    }
    let res = app.client().sign_in("ghost@kith.test", "wrong-password").await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_guessing_many_accounts_is_refused() {
    let app = TestApp::with(|s| s.throttle.address_limit = 3).await;
    let mut attacker = app.client();
    attacker.forwarded_for = "192.0.2.66".into();
    for email in ["a@kith.test", "b@kith.test", "c@kith.test"] {
        assert_eq!(attacker.sign_in(email, "guess-guess").await.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(attacker.sign_in(ADMIN.0, ADMIN.1).await.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        app.client().sign_in(ADMIN.0, ADMIN.1).await.status,
        StatusCode::OK,
        "other addresses still work"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_successful_sign_in_resets_the_account_counter() {
    let app = TestApp::new().await;
    for _ in 0..app.auth.throttle.account_limit - 1 {
        app.client().sign_in(MARIA.0, "wrong-password").await;
    }
    assert_eq!(app.client().sign_in(MARIA.0, MARIA.1).await.status, StatusCode::OK);
    for _ in 0..app.auth.throttle.account_limit - 1 {
        app.client().sign_in(MARIA.0, "wrong-password").await;
    }
    assert_eq!(app.client().sign_in(MARIA.0, MARIA.1).await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_changing_requests_from_another_origin_are_refused() {
    let (app, client) = TestApp::signed_in_as(ADMIN).await;
    let sessions = app.rows("sessions WHERE revoked_at IS NULL").await;
    for (name, value) in
        [("origin", "https://evil.example"), ("sec-fetch-site", "cross-site"), ("origin", "null")]
    {
        let res = client
            .send(
                Request::post("/api/logout").header("host", "localhost").header(name, value),
                Body::empty(),
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{name}: {value}");
    }
    assert_eq!(
        app.rows("sessions WHERE revoked_at IS NULL").await,
        sessions,
        "nothing was signed out"
    );
    let same_origin = client
        .send(
            Request::post("/api/logout")
                .header("host", "localhost")
                .header("origin", "http://localhost"),
            Body::empty(),
        )
        .await;
    assert_eq!(same_origin.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_body_is_refused_without_side_effects() {
    let app = TestApp::new().await;
    let huge = "x".repeat(200 * 1024);
    let res = app.client().call("/api/login", &[("email", ADMIN.0), ("password", &huge)]).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app.rows("login_throttle").await, 0);
}
