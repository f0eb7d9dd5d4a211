//! Two-factor sign-in through the real router: setting it up, signing in with
//! a code or a recovery code (each once), throttling, turning it off, an
//! admin's reset, and an organisation that requires it.

use crate::helpers::{Client, TestApp, ADMIN, MARIA};
use app::sign_in::two_factor::store::code_at;
use axum::http::StatusCode;

/// The code Maria's authenticator app shows `ahead` seconds from now.
async fn code(app: &TestApp, email: &str, ahead: i64) -> String {
    let (secret,): (String,) = app
        .one(
            "SELECT t.secret FROM user_totp t JOIN users u ON u.id = t.user_id WHERE u.email = $1",
            Some(email),
        )
        .await;
    code_at(&secret, app::db::now_ms() / 1000 + ahead).expect("a code")
}

/// Sets up two-factor sign-in for a signed-in client; returns its recovery codes.
async fn enrol(app: &TestApp, client: &Client, email: &str) -> Vec<String> {
    let res = client.call("/api/two_factor/start", &[]).await;
    res.assert_ok();
    let now = code(app, email, 0).await;
    let res = client.call("/api/two_factor/confirm", &[("code", &now)]).await;
    res.assert_ok();
    let status: serde_json::Value =
        serde_json::from_str(&client.call("/api/two_factor/status", &[]).await.body).expect("json");
    assert_eq!(status["enabled"], true);
    status["fresh_recovery_codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|c| c.as_str().expect("a code").to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn setting_up_shows_a_qr_code_and_the_secret_and_needs_a_right_first_code() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    let page = maria.get("/profile/two-factor").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Set up two-factor sign-in"));

    assert_eq!(maria.call_status("/api/two_factor/start", &[]).await, StatusCode::OK);
    let (secret,): (String,) = app.one("SELECT secret FROM user_totp", None).await;
    let page = maria.get("/profile/two-factor").await;
    assert!(page.body.contains("<svg"), "a QR code drawn inline");
    assert!(page.body.contains(&secret[..4]), "the key to type");

    let wrong = maria.call("/api/two_factor/confirm", &[("code", "000000")]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.rows("user_totp WHERE confirmed_at IS NULL").await, 1, "not on yet");
    let codes = {
        let now = code(&app, MARIA.0, 0).await;
        let res = maria.call("/api/two_factor/confirm", &[("code", &now)]).await;
        res.assert_ok();
        let status = maria.call("/api/two_factor/status", &[]).await.body;
        assert!(!status.contains(&secret), "the secret is never sent back once confirmed");
        let status: serde_json::Value = serde_json::from_str(&status).expect("json");
        status["fresh_recovery_codes"].as_array().expect("codes").clone()
    };
    assert_eq!(codes.len(), 10);
    let again: serde_json::Value =
        serde_json::from_str(&maria.call("/api/two_factor/status", &[]).await.body).expect("json");
    assert_eq!(again["fresh_recovery_codes"].as_array().map(Vec::len), Some(0), "shown once");
    assert_eq!(again["recovery_codes_left"], 10);
    let stored: Vec<(String,)> = sqlx::query_as("SELECT code_hash FROM recovery_codes")
        .fetch_all(&app.db.pool)
        .await
        .expect("codes");
    assert_eq!(stored.len(), 10);
    for code in &codes {
        let code = code.as_str().expect("text");
        assert!(stored.iter().all(|(hash,)| !hash.contains(code)), "only hashes are kept");
    }
    let logged = app
        .count("SELECT COUNT(*) FROM activity WHERE action = 'two_factor_on' AND changes IS NULL")
        .await;
    assert_eq!(logged, 1);
    let secrets_in_log = app
        .count(&format!("SELECT COUNT(*) FROM activity WHERE changes LIKE '%{}%'", &secret[..8]))
        .await;
    assert_eq!(secrets_in_log, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_asks_for_a_code_after_the_password_and_each_code_works_once() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    let recovery = enrol(&app, &maria, MARIA.0).await;

    let phone = app.client();
    let res = phone.sign_in(MARIA.0, MARIA.1).await;
    res.assert_ok();
    assert!(res.location().is_some_and(|l| l.starts_with("/login/code")), "{:?}", res.location());
    assert!(phone.cookie("kith_access").is_none(), "no session before the code");
    assert!(!phone.is_signed_in().await);
    assert_eq!(phone.get_status("/login/code").await, StatusCode::OK);

    let wrong = phone.call("/api/login/code", &[("code", "123456")]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!phone.is_signed_in().await);
    // The step the set-up code used is spent; the next one is accepted.
    let next_code = code(&app, MARIA.0, 30).await;
    let res = phone.call("/api/login/code", &[("code", &next_code), ("next", "/tasks")]).await;
    res.assert_ok();
    assert_eq!(res.location(), Some("/tasks"));
    assert!(phone.is_signed_in().await);
    assert!(phone.cookie("kith_pending_sign_in").is_none(), "the waiting sign-in is over");

    // The same code again, on another device: refused.
    let laptop = app.client();
    laptop.sign_in(MARIA.0, MARIA.1).await;
    let replay = laptop.call("/api/login/code", &[("code", &next_code)]).await;
    assert_eq!(replay.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A recovery code works, once.
    let res = laptop.call("/api/login/code", &[("code", &recovery[0].to_uppercase())]).await;
    res.assert_ok();
    assert!(laptop.is_signed_in().await);
    let tablet = app.client();
    tablet.sign_in(MARIA.0, MARIA.1).await;
    let used = tablet.call("/api/login/code", &[("code", &recovery[0])]).await;
    assert_eq!(used.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.rows("activity WHERE action = 'sign_in' AND changes LIKE '%recovery code%'").await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_guesses_are_throttled_like_passwords() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    enrol(&app, &maria, MARIA.0).await;
    let phone = app.client();
    phone.sign_in(MARIA.0, MARIA.1).await;
    for _ in 0..app.auth.throttle.account_limit {
        let res = phone.call("/api/login/code", &[("code", "000000")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let right = code(&app, MARIA.0, 30).await;
    let locked = phone.call("/api/login/code", &[("code", &right)]).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS, "{}", locked.body);
    assert!(!phone.is_signed_in().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_without_a_password_first_is_refused() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    enrol(&app, &maria, MARIA.0).await;
    let stranger = app.client();
    let right = code(&app, MARIA.0, 30).await;
    let res = stranger.call("/api/login/code", &[("code", &right)]).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    stranger.set_cookie("kith_pending_sign_in", "made-up");
    let res = stranger.call("/api/login/code", &[("code", &right)]).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(!stranger.is_signed_in().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn turning_it_off_needs_the_password_and_a_code() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    let recovery = enrol(&app, &maria, MARIA.0).await;
    let off = |password: &'static str, code: String| {
        let maria = maria.clone();
        async move {
            maria
                .call("/api/two_factor/disable", &[("current_password", password), ("code", &code)])
                .await
        }
    };
    let res = off("not my password", recovery[1].clone()).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("current_password"));
    let res = off(MARIA.1, "000000".into()).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("\"code\""));
    assert_eq!(app.rows("user_totp").await, 1);
    let res = off(MARIA.1, recovery[1].clone()).await;
    res.assert_ok();
    assert_eq!(app.rows("user_totp").await, 0);
    assert_eq!(app.rows("recovery_codes").await, 0);
    assert_eq!(app.rows("activity WHERE action = 'two_factor_off'").await, 1);
    assert!(app.signed_in(MARIA).await.is_signed_in().await, "the password alone signs in");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_resets_a_lost_phone_and_the_users_sessions_end() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    enrol(&app, &maria, MARIA.0).await;
    let maria_id = app.user_id(MARIA.0).await;

    let james = app.signed_in(crate::helpers::JAMES).await;
    let res = james.call("/api/users/reset_two_factor", &[("id", &maria_id)]).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "agents cannot");
    assert_eq!(app.rows("user_totp").await, 1);

    let admin = app.signed_in(ADMIN).await;
    assert!(admin
        .get(&format!("/users/{maria_id}"))
        .await
        .body
        .contains("Reset two-factor sign-in"));
    let res = admin.call("/api/users/reset_two_factor", &[("id", &maria_id)]).await;
    res.assert_ok();
    assert_eq!(app.rows("user_totp").await, 0);
    assert!(!maria.is_signed_in().await, "her sessions ended");
    assert_eq!(app.rows("activity WHERE action = 'two_factor_reset'").await, 1);
    // She signs in with her password alone now.
    assert!(app.signed_in(MARIA).await.is_signed_in().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organisation_that_requires_it_sends_everyone_without_it_to_set_it_up() {
    let (app, admin) = TestApp::signed_in_as(ADMIN).await;
    let settings: serde_json::Value =
        serde_json::from_str(&admin.call("/api/settings/get", &[]).await.body).expect("json");
    let version = settings["version"].as_i64().expect("version").to_string();
    let required = ("require_two_factor", "on");
    let form = [("version", version.as_str()), ("name", ""), ("time_zone", "UTC"), required];
    let res = admin.call("/api/settings/update", &form).await;
    res.assert_ok();
    assert!(app.rows("activity WHERE changes LIKE '%two-factor sign-in%'").await == 1);

    let maria = app.signed_in(MARIA).await;
    let res = maria.get("/leads").await;
    assert_eq!(res.location(), Some("/profile/two-factor"));
    let page = maria.get("/profile/two-factor").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Your organisation requires two-factor sign-in"));
    enrol(&app, &maria, MARIA.0).await;
    assert_eq!(maria.get_status("/leads").await, StatusCode::OK);
}
