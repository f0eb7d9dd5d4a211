//! Signing in and out, sessions, throttling and the HTTP guards, through the
//! real router on a real database (SQLite, or PostgreSQL when configured).

use crate::helpers::{TestApp, ADMIN, JAMES, MARIA};
use app::auth::session::{ACCESS_COOKIE, REFRESH_COOKIE};
use app::auth::tokens::TokenKeys;
use axum::body::Body;
use axum::http::{Request, StatusCode};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_sets_http_only_cookies_and_opens_the_signed_in_pages() {
    let app = TestApp::new().await;
    let client = app.client();
    let res = client.sign_in("  Admin@KITH.test ", ADMIN.1).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let cookies = res.set_cookies();
    assert_eq!(cookies.len(), 2);
    for cookie in &cookies {
        assert!(
            cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Lax")
                && cookie.contains("Path=/")
        );
    }
    let page = client.get("/leads").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Dana Reyes"),
        "the shell shows the signed-in name"
    );
    assert!(
        page.body.contains(r#"href="/users""#),
        "admins see the Users link"
    );
    assert!(page.body.contains("Sign out"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_a_hash_of_the_refresh_token_is_stored() {
    let app = TestApp::new().await;
    let client = app.signed_in(ADMIN).await;
    let token = client.cookie(REFRESH_COOKIE).expect("refresh cookie");
    let (stored,): (String,) = sqlx::query_as("SELECT token_hash FROM refresh_tokens")
        .fetch_one(&app.db.pool)
        .await
        .expect("one token");
    assert_ne!(stored, token);
    assert_eq!(stored, app::auth::tokens::hash_refresh_token(&token));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let app = TestApp::new().await;
    let wrong_password = app.client().sign_in(ADMIN.0, "not-the-password").await;
    let unknown_email = app
        .client()
        .sign_in("nobody@kith.test", "not-the-password")
        .await;
    assert_eq!(wrong_password.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown_email.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong_password.body, unknown_email.body);
    assert!(wrong_password.set_cookies().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deactivated_account_cannot_sign_in_and_is_not_revealed() {
    let app = TestApp::new().await;
    app.deactivate(MARIA.0).await;
    let res = app.client().sign_in(MARIA.0, MARIA.1).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert!(res.body.contains("BadCredentials"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_sign_in_fields_get_field_messages_and_change_nothing() {
    let app = TestApp::new().await;
    let before = app.count("SELECT COUNT(*) FROM sessions").await;
    for (email, password, field) in [
        ("", "x", "email"),
        ("not-an-email", "x", "email"),
        (ADMIN.0, "", "password"),
    ] {
        let res = app.client().sign_in(email, password).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{email:?}: {}",
            res.body
        );
        assert!(
            res.body.contains(&format!("\"field\":\"{field}\"")),
            "{}",
            res.body
        );
    }
    let missing = app.client().call("/api/login", &[("email", ADMIN.0)]).await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST, "{}", missing.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, before);
    assert_eq!(app.count("SELECT COUNT(*) FROM login_throttle").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_anonymous_visitor_is_sent_to_sign_in_and_back_afterwards() {
    let app = TestApp::new().await;
    let client = app.client();
    let res = client.get("/tasks?status=open").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location(), Some("/login?next=/tasks%3Fstatus%3Dopen"));

    let res = client
        .call(
            "/api/login",
            &[
                ("email", ADMIN.0),
                ("password", ADMIN.1),
                ("next", "/tasks?status=open"),
            ],
        )
        .await;
    assert_eq!(res.location(), Some("/tasks?status=open"));
    let evil = client
        .call(
            "/api/login",
            &[
                ("email", ADMIN.0),
                ("password", ADMIN.1),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(evil.location(), Some("/"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sign_in_form_works_without_javascript() {
    let app = TestApp::new().await;
    let client = app.client();
    let failed = client
        .submit(
            "/api/login",
            "/login?next=/leads",
            &[
                ("email", ADMIN.0),
                ("password", "wrong"),
                ("next", "/leads"),
            ],
        )
        .await;
    assert_eq!(failed.status, StatusCode::FOUND);
    let back = failed
        .location()
        .expect("redirect back to the form")
        .to_owned();
    assert!(
        back.starts_with("http://localhost/login?next=/leads") && back.contains("__err="),
        "{back}"
    );
    let page = client
        .get(back.trim_start_matches("http://localhost"))
        .await;
    assert!(
        page.body.contains("Email or password is incorrect."),
        "the error is shown on the form"
    );

    let ok = client
        .submit(
            "/api/login",
            "/login?next=/leads",
            &[
                ("email", ADMIN.0),
                ("password", ADMIN.1),
                ("next", "/leads"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::FOUND);
    assert_eq!(ok.location(), Some("/leads"));
    assert_eq!(client.get("/leads").await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_access_token_is_renewed_on_a_page_load() {
    let app = TestApp::new().await;
    let client = app.signed_in(MARIA).await;
    expire_access_token(&app, &client).await;
    let old_refresh = client.cookie(REFRESH_COOKIE).expect("refresh");

    let page = client.get("/").await;
    assert_eq!(page.status, StatusCode::OK, "no detour via sign-in");
    assert!(page.body.contains("Maria Lopez"));
    let renewed = page.set_cookies();
    assert!(renewed.iter().any(|c| c.starts_with("kith_access=")));
    assert!(renewed.iter().any(|c| c.starts_with("kith_refresh=")));
    assert_ne!(
        client.cookie(REFRESH_COOKIE).expect("rotated"),
        old_refresh,
        "the refresh token rotated"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_access_token_is_renewed_on_a_server_function_call() {
    let app = TestApp::new().await;
    let client = app.signed_in(MARIA).await;
    client.remove_cookie(ACCESS_COOKIE);
    let res = client.call("/api/me", &[]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.body.contains("maria@kith.test"));
    assert!(client.cookie(ACCESS_COOKIE).is_some());
}

/// Replaces the client's access token with a correctly signed one that has expired.
async fn expire_access_token(app: &TestApp, client: &crate::helpers::Client) {
    let current = client.cookie(ACCESS_COOKIE).expect("access cookie");
    let claims = app.auth.keys.verify_access(&current).expect("valid");
    let secret = app::auth::store::setting(&app.db, "jwt_secret")
        .await
        .expect("read")
        .expect("secret");
    let expired = TokenKeys::from_secret(secret.as_bytes()).issue_access(
        &claims.sub,
        &claims.sid,
        chrono::Utc::now().timestamp() - 3600,
        900,
    );
    assert!(app.auth.keys.verify_access(&expired).is_err());
    client.set_cookie(ACCESS_COOKIE, &expired);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reusing_a_rotated_refresh_token_revokes_the_whole_session() {
    let app = TestApp::with(|s| s.reuse_grace_ms = 0).await;
    let client = app.signed_in(MARIA).await;
    let stolen = client.cookie(REFRESH_COOKIE).expect("refresh");
    client.remove_cookie(ACCESS_COOKIE);
    assert_eq!(
        client.get("/").await.status,
        StatusCode::OK,
        "the owner renews first"
    );
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;

    let thief = app.client();
    thief.set_cookie(REFRESH_COOKIE, &stolen);
    let res = thief.get("/").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location(), Some("/login?next=/&expired=1"));

    // The legitimate holder's newer token belongs to the revoked family too.
    client.remove_cookie(ACCESS_COOKIE);
    assert_eq!(client.get("/").await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sessions WHERE revoked_at IS NULL")
            .await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_requests_with_the_same_refresh_token_all_succeed() {
    let app = TestApp::new().await;
    let client = app.signed_in(JAMES).await;
    client.remove_cookie(ACCESS_COOKIE);
    let first = client.clone();
    let second = app.client();
    second.set_cookie(
        REFRESH_COOKIE,
        &client.cookie(REFRESH_COOKIE).expect("refresh"),
    );
    let (a, b) = tokio::join!(first.get("/"), second.get("/"));
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(b.status, StatusCode::OK);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sessions WHERE revoked_at IS NULL")
            .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_revokes_the_refresh_token_on_the_server() {
    let app = TestApp::new().await;
    let client = app.signed_in(MARIA).await;
    let refresh = client.cookie(REFRESH_COOKIE).expect("refresh");
    let res = client.call("/api/logout", &[]).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.set_cookies().iter().all(|c| c.contains("Max-Age=0")));
    assert!(client.cookie(REFRESH_COOKIE).is_none());

    let replay = app.client();
    replay.set_cookie(REFRESH_COOKIE, &refresh);
    assert_eq!(replay.get("/").await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM activity WHERE action = 'sign_out'")
            .await,
        1,
        "sign-out is logged"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deactivating_a_user_ends_their_sessions_at_once() {
    let app = TestApp::new().await;
    let client = app.signed_in(MARIA).await;
    assert_eq!(client.get("/").await.status, StatusCode::OK);
    app.deactivate(MARIA.0).await;

    let res = client.get("/leads").await;
    assert_eq!(
        res.status,
        StatusCode::SEE_OTHER,
        "the still-valid access token no longer works"
    );
    assert_eq!(res.location(), Some("/login?next=/leads&expired=1"));
    assert_eq!(
        client.call("/api/me", &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_a_role_ends_the_users_sessions() {
    let app = TestApp::new().await;
    let client = app.signed_in(MARIA).await;
    let maria = app.user_id(MARIA.0).await;
    let admin = app.signed_in(ADMIN).await;
    let version = app.user_version(&maria).await;
    let res = admin
        .call(
            "/api/users/update",
            &[
                ("id", &maria),
                ("version", &version),
                ("name", "Maria Lopez"),
                ("email", MARIA.0),
                ("role", "admin"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "promote: {}", res.body);
    assert_eq!(
        client.call("/api/me", &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
    let again = app.signed_in(MARIA).await;
    assert!(again.call("/api/me", &[]).await.body.contains("Admin"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_expired_and_garbled_cookies_count_as_signed_out() {
    let app = TestApp::new().await;
    let forged = TokenKeys::from_secret(b"someone-elses-secret-someone-elses").issue_access(
        &app.user_id(ADMIN.0).await,
        "any-session",
        chrono::Utc::now().timestamp(),
        900,
    );
    for (access, refresh) in [
        (forged.as_str(), ""),
        ("garbage", "garbage"),
        ("", "%00%ff!!"),
        ("a.b.c", "not-a-token"),
    ] {
        let client = app.client();
        client.set_cookie(ACCESS_COOKIE, access);
        client.set_cookie(REFRESH_COOKIE, refresh);
        let page = client.get("/").await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{access:?}/{refresh:?}");
        let call = client.call("/api/me", &[]).await;
        assert_eq!(
            call.status,
            StatusCode::UNAUTHORIZED,
            "{access:?}/{refresh:?}"
        );
    }
}

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
    assert!(
        locked.body.contains("Too many failed sign-in attempts"),
        "{}",
        locked.body
    );
    // Other accounts from other addresses are unaffected.
    let mut other = app.client();
    other.forwarded_for = "198.51.100.20".into();
    assert_eq!(other.sign_in(JAMES.0, JAMES.1).await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_email_is_throttled_like_a_real_one() {
    let app = TestApp::new().await;
    for _ in 0..app.auth.throttle.account_limit {
        app.client()
            .sign_in("ghost@kith.test", "wrong-password")
            .await;
    }
    let res = app
        .client()
        .sign_in("ghost@kith.test", "wrong-password")
        .await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_guessing_many_accounts_is_refused() {
    let app = TestApp::with(|s| s.throttle.address_limit = 3).await;
    let mut attacker = app.client();
    attacker.forwarded_for = "192.0.2.66".into();
    for email in ["a@kith.test", "b@kith.test", "c@kith.test"] {
        assert_eq!(
            attacker.sign_in(email, "guess-guess").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        attacker.sign_in(ADMIN.0, ADMIN.1).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
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
    assert_eq!(
        app.client().sign_in(MARIA.0, MARIA.1).await.status,
        StatusCode::OK
    );
    for _ in 0..app.auth.throttle.account_limit - 1 {
        app.client().sign_in(MARIA.0, "wrong-password").await;
    }
    assert_eq!(
        app.client().sign_in(MARIA.0, MARIA.1).await.status,
        StatusCode::OK
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_changing_requests_from_another_origin_are_refused() {
    let app = TestApp::new().await;
    let client = app.signed_in(ADMIN).await;
    let sessions = app
        .count("SELECT COUNT(*) FROM sessions WHERE revoked_at IS NULL")
        .await;
    for (name, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
        ("origin", "null"),
    ] {
        let res = client
            .send(
                Request::post("/api/logout")
                    .header("host", "localhost")
                    .header(name, value),
                Body::empty(),
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{name}: {value}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sessions WHERE revoked_at IS NULL")
            .await,
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
    let res = app
        .client()
        .call("/api/login", &[("email", ADMIN.0), ("password", &huge)])
        .await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app.count("SELECT COUNT(*) FROM login_throttle").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_run_creates_one_admin_through_the_setup_page() {
    let app = TestApp::empty().await;
    let client = app.client();
    let res = client.get("/").await;
    assert_eq!(res.location(), Some("/setup"));
    assert!(client
        .get("/setup")
        .await
        .body
        .contains("Create the first administrator"));

    let weak = client
        .call(
            "/api/setup",
            &[
                ("name", "Ada"),
                ("email", "ada@kith.test"),
                ("password", "short"),
                ("password_confirm", "short"),
            ],
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.body.contains("at least 10 characters"));
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);

    let form = [
        ("name", "Ada Park"),
        ("email", "Ada@Kith.test"),
        ("password", "a long admin password"),
        ("password_confirm", "a long admin password"),
    ];
    let ok = client.call("/api/setup", &form).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert!(client
        .call("/api/me", &[])
        .await
        .body
        .contains("ada@kith.test"));

    let again = app.client().call("/api/setup", &form).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
    assert!(app
        .client()
        .get("/setup")
        .await
        .body
        .contains("Kith is already set up."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agents_get_not_found_for_the_users_area() {
    let app = TestApp::new().await;
    let agent = app.signed_in(MARIA).await;
    let page = agent.get("/users").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(
        !page.body.contains(r#"href="/users""#),
        "agents have no Users link"
    );
    let admin = app.signed_in(ADMIN).await;
    assert_eq!(admin.get("/users").await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_page_is_a_404_page() {
    let app = TestApp::new().await;
    let res = app.signed_in(ADMIN).await.get("/no-such-page").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(res.body.contains("Page not found"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_security_headers_and_a_nonce_only_on_kiths_scripts() {
    let app = TestApp::new().await;
    let res = app.client().get("/login").await;
    let csp = res.headers["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"));
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("nonce in CSP");
    assert!(res
        .body
        .contains(&format!(r#"<script type="module" nonce="{nonce}">"#)));
    assert_eq!(res.headers["x-content-type-options"], "nosniff");
    assert_eq!(res.headers["referrer-policy"], "same-origin");
    let other = app.client().get("/login").await;
    assert_ne!(
        other.headers["content-security-policy"], res.headers["content-security-policy"],
        "a fresh nonce per response"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_ins_and_failed_attempts_are_logged() {
    let app = TestApp::new().await;
    app.client().sign_in(ADMIN.0, "wrong-password").await;
    app.signed_in(ADMIN).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM activity WHERE action = 'sign_in_failed'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM activity WHERE action = 'sign_in'")
            .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_health_check_answers_when_the_database_does() {
    let app = TestApp::new().await;
    let res = app.client().get("/healthz").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.body, "ok");
}
