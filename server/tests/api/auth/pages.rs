//! First-run setup, page answers, security headers, the sign-in log and the health check.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_run_creates_one_admin_through_the_setup_page() {
    let app = TestApp::empty().await;
    let client = app.client();
    let res = client.get("/").await;
    assert_eq!(res.location(), Some("/setup"));
    assert!(client.get("/setup").await.body.contains("Create the first administrator"));

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
    assert_eq!(app.rows("users").await, 0);

    let form = [
        ("name", "Ada Park"),
        ("email", "Ada@Kith.test"),
        ("password", "a long admin password"),
        ("password_confirm", "a long admin password"),
    ];
    let ok = client.call("/api/setup", &form).await;
    ok.assert_ok();
    assert!(client.call("/api/me", &[]).await.body.contains("ada@kith.test"));

    let again = app.client().call("/api/setup", &form).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(app.rows("users").await, 1);
    assert!(app.client().get("/setup").await.body.contains("Kith is already set up."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agents_get_not_found_for_the_users_area() {
    let (app, agent) = TestApp::signed_in_as(MARIA).await;
    let page = agent.get("/users").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(!page.body.contains(r#"href="/users""#), "agents have no Users link");
    let admin = app.signed_in(ADMIN).await;
    assert_eq!(admin.get_status("/users").await, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_page_is_a_404_page_inside_the_header_and_navigation() {
    let app = TestApp::new().await;
    let res = app.signed_in(ADMIN).await.get("/no-such-page").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    for shown in ["Page not found", r#"aria-label="Main""#, "Sign out", r#"<main id="main""#] {
        assert!(res.body.contains(shown), "{shown}: {}", res.body);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_security_headers_and_a_nonce_only_on_kiths_scripts() {
    let app = TestApp::new().await;
    let res = app.client().get("/login").await;
    let csp = res.headers["content-security-policy"].to_str().expect("ascii").to_owned();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"));
    let nonce =
        csp.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("nonce in CSP");
    assert!(res.body.contains(&format!(r#"<script type="module" nonce="{nonce}">"#)));
    assert_eq!(res.headers["x-content-type-options"], "nosniff");
    assert_eq!(res.headers["referrer-policy"], "same-origin");
    let other = app.client().get("/login").await;
    assert_ne!(
        other.headers["content-security-policy"], res.headers["content-security-policy"],
        "a fresh nonce per response"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_and_calls_are_never_stored_by_browsers_or_shared_caches() {
    let (app, admin) = TestApp::signed_in_as(ADMIN).await;
    for res in [
        app.client().get("/login").await,
        admin.get("/leads").await,
        admin.call("/api/me", &[]).await,
    ] {
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.headers["cache-control"], "private, no-store");
    }
    // A download says more: nothing of it is stored.
    let export = admin.get("/leads/export.csv").await;
    assert_eq!(export.headers["cache-control"], "no-store");
    // Assets without a content hash in their name are checked again too.
    let icon = app.client().get("/favicon.svg").await;
    assert_eq!(icon.headers["cache-control"], "no-cache");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_ins_and_failed_attempts_are_logged() {
    let app = TestApp::new().await;
    app.client().sign_in(ADMIN.0, "wrong-password").await;
    app.signed_in(ADMIN).await;
    assert_eq!(app.rows("activity WHERE action = 'sign_in_failed'").await, 1);
    assert_eq!(app.rows("activity WHERE action = 'sign_in'").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_health_check_answers_when_the_database_does() {
    let app = TestApp::new().await;
    let res = app.client().get("/healthz").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.body, "ok");
    let ready = app.client().get("/readyz").await;
    assert_eq!((ready.status, ready.body.as_str()), (StatusCode::OK, "ready"));

    // A migration this build knows but the database lacks: not ready.
    sqlx::query(
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
    )
    .execute(&app.db.pool)
    .await
    .expect("forget the last migration");
    let pending = app.client().get("/readyz").await;
    assert_eq!(
        (pending.status, pending.body.as_str()),
        (StatusCode::SERVICE_UNAVAILABLE, "migrations pending")
    );
}
