//! Sessions: renewal, rotation, revocation and forged cookies.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_access_token_is_renewed_on_a_page_load() {
    let (app, client) = TestApp::signed_in_as(MARIA).await;
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
    let (_app, client) = TestApp::signed_in_as(MARIA).await;
    client.remove_cookie(ACCESS_COOKIE);
    let res = client.call("/api/me", &[]).await;
    res.assert_ok();
    assert!(res.body.contains("maria@kith.test"));
    assert!(client.cookie(ACCESS_COOKIE).is_some());
}

/// Replaces the client's access token with a correctly signed one that has expired.
async fn expire_access_token(app: &TestApp, client: &crate::helpers::Client) {
    let current = client.cookie(ACCESS_COOKIE).expect("access cookie");
    let claims = app.auth.keys.verify_access(&current).expect("valid");
    let secret =
        app::auth::store::setting(&app.db, "jwt_secret").await.expect("read").expect("secret");
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
    assert_eq!(client.get_status("/").await, StatusCode::OK, "the owner renews first");
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;

    let thief = app.client();
    thief.set_cookie(REFRESH_COOKIE, &stolen);
    let res = thief.get("/").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location(), Some("/login?next=/&expired=1"));

    // The legitimate holder's newer token belongs to the revoked family too.
    client.remove_cookie(ACCESS_COOKIE);
    assert_eq!(client.get_status("/").await, StatusCode::SEE_OTHER);
    assert_eq!(app.rows("sessions WHERE revoked_at IS NULL").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_requests_with_the_same_refresh_token_all_succeed() {
    let (app, client) = TestApp::signed_in_as(JAMES).await;
    client.remove_cookie(ACCESS_COOKIE);
    let first = client.clone();
    let second = app.client();
    second.set_cookie(REFRESH_COOKIE, &client.cookie(REFRESH_COOKIE).expect("refresh"));
    let (a, b) = tokio::join!(first.get("/"), second.get("/"));
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(b.status, StatusCode::OK);
    assert_eq!(app.rows("sessions WHERE revoked_at IS NULL").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_revokes_the_refresh_token_on_the_server() {
    let (app, client) = TestApp::signed_in_as(MARIA).await;
    let refresh = client.cookie(REFRESH_COOKIE).expect("refresh");
    let res = client.call("/api/logout", &[]).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.set_cookies().iter().all(|c| c.contains("Max-Age=0")));
    assert!(client.cookie(REFRESH_COOKIE).is_none());

    let replay = app.client();
    replay.set_cookie(REFRESH_COOKIE, &refresh);
    assert_eq!(replay.get_status("/").await, StatusCode::SEE_OTHER);
    assert_eq!(app.rows("activity WHERE action = 'sign_out'").await, 1, "sign-out is logged");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deactivating_a_user_ends_their_sessions_at_once() {
    let (app, client) = TestApp::signed_in_as(MARIA).await;
    assert_eq!(client.get_status("/").await, StatusCode::OK);
    app.deactivate(MARIA.0).await;

    let res = client.get("/leads").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "the still-valid access token no longer works");
    assert_eq!(res.location(), Some("/login?next=/leads&expired=1"));
    assert_eq!(client.call_status("/api/me", &[]).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_a_role_ends_the_users_sessions() {
    let (app, client) = TestApp::signed_in_as(MARIA).await;
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
    assert_eq!(client.call_status("/api/me", &[]).await, StatusCode::UNAUTHORIZED);
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
    for (access, refresh) in
        [(forged.as_str(), ""), ("garbage", "garbage"), ("", "%00%ff!!"), ("a.b.c", "not-a-token")]
    {
        let client = app.client();
        client.set_cookie(ACCESS_COOKIE, access);
        client.set_cookie(REFRESH_COOKIE, refresh);
        let page = client.get("/").await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{access:?}/{refresh:?}");
        let call = client.call("/api/me", &[]).await;
        assert_eq!(call.status, StatusCode::UNAUTHORIZED, "{access:?}/{refresh:?}");
    }
}
