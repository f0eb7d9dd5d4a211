//! Each person's own profile: password, sessions and name.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_your_own_password_needs_the_current_one_and_ends_only_your_other_sessions() {
    let (app, [here, elsewhere]) = TestApp::signed_in_each([MARIA, MARIA]).await;
    let change = |current: &'static str, new: &'static str, confirm: &'static str| {
        let here = here.clone();
        async move {
            here.call(
                "/api/profile/password",
                &[("current_password", current), ("password", new), ("password_confirm", confirm)],
            )
            .await
        }
    };
    let wrong = change("not my password", "river stone lantern", "river stone lantern").await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("not your current password"));
    let mismatch = change(MARIA.1, "river stone lantern", "river stone lanterns").await;
    assert!(mismatch.body.contains("do not match"));
    let short = change(MARIA.1, "short", "short").await;
    assert!(short.body.contains("at least 10 characters"));
    let common_one = change(MARIA.1, "qwertyuiop", "qwertyuiop").await;
    assert!(common_one.body.contains("too common"));
    let own_email = change(MARIA.1, "MARIA@kith.test", "MARIA@kith.test").await;
    assert!(own_email.body.contains("cannot be your email"));
    assert!(elsewhere.is_signed_in().await, "nothing changed yet");

    let done = change(MARIA.1, "river stone lantern", "river stone lantern").await;
    done.assert_ok();
    assert!(here.is_signed_in().await, "this session stays");
    assert!(!elsewhere.is_signed_in().await, "the other one ended");
    assert_eq!(app.client().sign_in(MARIA.0, MARIA.1).await.status, StatusCode::UNAUTHORIZED);
    app.signed_in((MARIA.0, "river stone lantern")).await;
    assert_eq!(app.rows("activity WHERE action = 'password_change'").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn you_see_your_own_sessions_and_can_sign_out_any_other() {
    let (app, here) = TestApp::signed_in_as(MARIA).await;
    let phone = app.client();
    let res = phone
        .send(
            axum::http::Request::post("/api/login")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept", "application/json")
                .header("sec-fetch-site", "same-origin")
                .header(
                    "user-agent",
                    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
                ),
            axum::body::Body::from("email=maria%40kith.test&password=kith-agent-demo"),
        )
        .await;
    res.assert_ok();
    let james = app.signed_in(JAMES).await;

    let page = here.get("/profile").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Safari on iPhone"));
    assert!(page.body.contains("This browser"));
    assert_eq!(table_rows(&page.body), 2, "only her own sessions");

    let session_of = |email: &'static str, agent: &'static str| {
        let app = &app;
        async move {
            let (id,): (String,) = sqlx::query_as(
                "SELECT s.id FROM sessions s JOIN users u ON u.id = s.user_id \
                 WHERE u.email = $1 AND s.user_agent LIKE $2",
            )
            .bind(email)
            .bind(agent)
            .fetch_one(&app.db.pool)
            .await
            .expect("session");
            id
        }
    };
    let james_session = session_of(JAMES.0, "%").await;
    let theirs = here.call("/api/profile/end_session", &[("id", &james_session)]).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    assert!(james.is_signed_in().await);

    let phone_session = session_of(MARIA.0, "%iPhone%").await;
    let res = here.call("/api/profile/end_session", &[("id", &phone_session)]).await;
    res.assert_ok();
    assert!(!phone.is_signed_in().await);
    assert!(here.is_signed_in().await);
    let own: (String,) = app.one("SELECT s.id FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1 AND s.revoked_at IS NULL", Some(MARIA.0)).await;
    let current = here.call("/api/profile/end_session", &[("id", &own.0)]).await;
    assert_eq!(current.status, StatusCode::CONFLICT);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn renaming_yourself_is_validated_logged_and_shown() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    let blank = maria.call("/api/profile/name", &[("name", "  ")]).await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = maria.call("/api/profile/name", &[("name", "Maria Lopez-Garcia")]).await;
    res.assert_ok();
    assert!(maria.get("/profile").await.body.contains("Maria Lopez-Garcia"));
    assert_eq!(
        app.rows("activity WHERE action = 'update' AND entity_type = 'user' AND changes LIKE '%Maria Lopez-Garcia%'")
            .await,
        1
    );
}
