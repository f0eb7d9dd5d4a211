//! Signing in, with and without JavaScript.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_sets_http_only_cookies_and_opens_the_signed_in_pages() {
    let (_app, client) = TestApp::anonymous().await;
    let res = client.sign_in("  Admin@KITH.test ", ADMIN.1).await;
    res.assert_ok();
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
    assert!(page.body.contains("Dana Reyes"), "the shell shows the signed-in name");
    assert!(page.body.contains(r#"href="/users""#), "admins see the Users link");
    assert!(page.body.contains("Sign out"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_a_hash_of_the_refresh_token_is_stored() {
    let (app, client) = TestApp::signed_in_as(ADMIN).await;
    let token = client.cookie(REFRESH_COOKIE).expect("refresh cookie");
    let (stored,): (String,) = app.one("SELECT token_hash FROM refresh_tokens", None).await;
    assert_ne!(stored, token);
    assert_eq!(stored, app::auth::tokens::hash_refresh_token(&token));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let app = TestApp::new().await;
    let wrong_password = app.client().sign_in(ADMIN.0, "not-the-password").await;
    let unknown_email = app.client().sign_in("nobody@kith.test", "not-the-password").await;
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
    let before = app.rows("sessions").await;
    for (email, password, field) in
        [("", "x", "email"), ("not-an-email", "x", "email"), (ADMIN.0, "", "password")]
    {
        let res = app.client().sign_in(email, password).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{email:?}: {}", res.body);
        assert!(res.body.contains(&format!("\"field\":\"{field}\"")), "{}", res.body);
    }
    let missing = app.client().call("/api/login", &[("email", ADMIN.0)]).await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST, "{}", missing.body);
    assert_eq!(app.rows("sessions").await, before);
    assert_eq!(app.rows("login_throttle").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_anonymous_visitor_is_sent_to_sign_in_and_back_afterwards() {
    let (_app, client) = TestApp::anonymous().await;
    let res = client.get("/tasks?status=open").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location(), Some("/login?next=/tasks%3Fstatus%3Dopen"));

    for (next, landed) in [("/tasks?status=open", "/tasks?status=open"), ("//evil.example/", "/")] {
        let form = [("email", ADMIN.0), ("password", ADMIN.1), ("next", next)];
        assert_eq!(client.call("/api/login", &form).await.location(), Some(landed));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sign_in_form_works_without_javascript() {
    let (_app, client) = TestApp::anonymous().await;
    let failed = client
        .submit(
            "/api/login",
            "/login?next=/leads",
            &[("email", ADMIN.0), ("password", "wrong"), ("next", "/leads")],
        )
        .await;
    assert_eq!(failed.status, StatusCode::FOUND);
    let back = failed.location().expect("redirect back to the form").to_owned();
    assert!(
        back.starts_with("http://localhost/login?next=/leads") && back.contains("__err="),
        "{back}"
    );
    let page = client.get(back.trim_start_matches("http://localhost")).await;
    assert!(
        page.body.contains("Email or password is incorrect."),
        "the error is shown on the form"
    );

    let ok = client
        .submit(
            "/api/login",
            "/login?next=/leads",
            &[("email", ADMIN.0), ("password", ADMIN.1), ("next", "/leads")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::FOUND);
    assert_eq!(ok.location(), Some("/leads"));
    assert_eq!(client.get_status("/leads").await, StatusCode::OK);
}
