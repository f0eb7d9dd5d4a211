//! Password guesses in parallel, across instances and behind a proxy.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_guesses_never_check_more_passwords_than_the_limit() {
    let app = TestApp::new().await;
    let limit = app.auth.throttle.account_limit as usize;
    let mut passwords = vec!["wrong-password"; 15];
    passwords.push(MARIA.1);
    let checked = parallel_sign_ins(&[&app], MARIA.0, &passwords).await;
    assert!(checked <= limit, "{checked} passwords were checked");
    assert!(checked >= 1, "the first attempts are checked");
    let failed = app.rows("activity WHERE action = 'sign_in_failed'").await;
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
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
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
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "{}", refused.body);
    assert!(refused.body.contains("Too many failed password checks"));
    // Signing in is counted apart, so she can still sign in elsewhere.
    assert_eq!(app.client().sign_in(MARIA.0, MARIA.1).await.status, StatusCode::OK);
    assert!(maria.is_signed_in().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_set_up_kith_refuses_setup_before_reading_the_form() {
    let app = TestApp::new().await;
    // A form that would fail validation is refused as "already set up": the
    // refusal comes first, so nothing about the form (or its password) is worked on.
    let form = [("name", ""), ("email", "nobody"), ("password", "short")];
    let weak = app.client().call("/api/setup", &form).await;
    assert_eq!(weak.status, StatusCode::CONFLICT, "{}", weak.body);
    assert!(weak.body.contains("already set up"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_proxy_the_client_cannot_choose_its_own_address() {
    let app = TestApp::with(|s| s.throttle.address_limit = 3).await;
    // The client writes whatever it likes on the left; the proxy appends the real address.
    for (i, email) in ["a@kith.test", "b@kith.test", "c@kith.test"].into_iter().enumerate() {
        let mut attacker = app.client();
        attacker.forwarded_for = format!("10.0.0.{i}, 192.0.2.66");
        assert_eq!(attacker.sign_in(email, "guess-guess").await.status, StatusCode::UNAUTHORIZED);
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
    assert_eq!(honest.sign_in(ADMIN.0, ADMIN.1).await.status, StatusCode::OK);
    let (address,): (String,) =
        app.one("SELECT client_addr FROM sessions ORDER BY created_at DESC LIMIT 1", None).await;
    assert_eq!(address, "198.51.100.4");
}
