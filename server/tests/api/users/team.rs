//! The team list and accounts: admins only, the password policy, role changes and the last admin.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agents_get_404_for_every_user_and_settings_page_and_function() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    let james = app.user_id(JAMES.0).await;
    let users_before = app.rows("users").await;
    for page in ["/users", "/users/new", &format!("/users/{james}"), "/settings"] {
        let res = maria.get(page).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{page}");
        assert!(res.body.contains("Page not found"), "{page}");
    }
    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "/api/users/list",
            // A list query travels as its URL query string.
            vec![("query", "sort=name&dir=asc&page=1&per_page=25")],
        ),
        ("/api/users/team", vec![]),
        ("/api/users/get", vec![("id", james.as_str())]),
        ("/api/users/suggest_password", vec![]),
        (
            "/api/users/create",
            vec![
                ("name", "Sneaky"),
                ("email", "sneaky@kith.test"),
                ("role", "admin"),
                ("password", "a long enough password"),
            ],
        ),
        (
            "/api/users/update",
            vec![
                ("id", james.as_str()),
                ("version", "1"),
                ("name", "James"),
                ("email", "james@kith.test"),
                ("role", "admin"),
            ],
        ),
        (
            "/api/users/reset_password",
            vec![("id", james.as_str()), ("password", "a long enough password")],
        ),
        ("/api/users/deactivate", vec![("id", james.as_str())]),
        ("/api/users/reactivate", vec![("id", james.as_str())]),
        ("/api/users/delete", vec![("id", james.as_str())]),
        ("/api/settings/get", vec![]),
        ("/api/settings/update", vec![("version", "0"), ("name", "Mine"), ("time_zone", "UTC")]),
        ("/api/activity/record", vec![("kind", "user"), ("id", james.as_str())]),
    ];
    for (path, form) in calls {
        let res = maria.call(path, &form).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}: {}", res.body);
    }
    assert_eq!(app.rows("users").await, users_before);
    assert_eq!(
        app.rows("users WHERE role = 'admin' OR active = 0").await,
        1,
        "no role or state changed"
    );
    assert_eq!(app.rows("settings WHERE name = 'organisation_name'").await, 0);
    assert_eq!(
        app.rows("activity WHERE entity_type IN ('user', 'settings') AND action NOT IN ('create', 'sign_in')")
            .await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_search_filter_sort_and_page_the_team() {
    let (app, admin) = TestApp::signed_in_as(ADMIN).await;
    app.deactivate(PRIYA).await;

    let all = admin.get("/users").await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(table_rows(&all.body), 4);
    assert!(all.body.contains("4 in all"));
    assert!(all.body.contains("Never"), "agents who never signed in say so");

    for (path, listed) in [
        ("/users?q=LOPEZ", "Maria Lopez"),
        ("/users?q=james%40kith", "James Chen"),
        ("/users?role=admin", "Dana Reyes"),
        ("/users?state=deactivated", "Priya Nair"),
    ] {
        let page = admin.get(path).await;
        assert_eq!(table_rows(&page.body), 1, "{path}");
        assert!(page.body.contains(listed), "{path}");
    }
    let active_agents = admin.get("/users?state=active&role=agent").await;
    assert_eq!(table_rows(&active_agents.body), 2);

    let paged = admin.get("/users?per_page=10&sort=email&dir=desc").await;
    let first = paged.body.find("priya@kith.test").expect("priya listed");
    let last = paged.body.rfind("admin@kith.test").expect("admin listed");
    assert!(first < last, "sorted by email, descending");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_user_needs_a_unique_email_and_a_password_that_passes_the_policy() {
    let (app, admin) = TestApp::signed_in_as(ADMIN).await;
    let before = app.rows("users").await;
    let cases = [
        ("Maria Two", " MARIA@Kith.Test ", "a long enough password", "already exists"),
        ("Short", "short@kith.test", "tooshort", "at least 10 characters"),
        ("Common", "common@kith.test", "Password123", "too common"),
        ("Same", "samesame@kith.test", "samesame@kith.test", "cannot be your email"),
        ("", "bad-email", "a long enough password", "valid email"),
    ];
    for (name, email, password, message) in cases {
        let res = admin.create_user(name, email, "agent", password).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{email}");
        assert!(res.body.contains(message), "{email}: {}", res.body);
    }
    let bad_role =
        admin.create_user("Role", "role@kith.test", "owner", "a long enough password").await;
    assert_eq!(bad_role.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.rows("users").await, before, "nothing written");

    let res =
        admin.create_user("Ana Costa", "Ana.Costa@Kith.test", "agent", "river stone lantern").await;
    let id = crate::client::created_id(&res, "/users/");
    let page = admin.get(&format!("/users/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("ana.costa@kith.test"), "email stored lower-cased");
    let ana = app.signed_in(("ana.costa@kith.test", "river stone lantern")).await;
    assert!(ana.is_signed_in().await);
    assert_eq!(
        app.rows("activity WHERE action = 'create' AND entity_type = 'user' AND actor_name = 'Dana Reyes' AND label = 'Ana Costa'")
            .await,
        1
    );

    // The new-user page offers a generated password that passes the policy.
    let form = admin.get("/users/new").await;
    assert_eq!(form.status, StatusCode::OK);
    let suggested = admin.call("/api/users/suggest_password", &[]).await;
    let password = suggested.body.trim_matches('"').to_owned();
    assert_eq!(password.len(), 19, "{password}");
    let res = admin.create_user("Bo Lind", "bo@kith.test", "admin", &password).await;
    crate::client::created_id(&res, "/users/");
    let bo = app.signed_in(("bo@kith.test", &password)).await;
    assert!(bo.call("/api/me", &[]).await.body.contains("Admin"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_change_ends_sessions_and_stale_or_clashing_edits_are_refused() {
    let (app, [admin, maria_client]) = TestApp::signed_in_each([ADMIN, MARIA]).await;
    let maria = app.user_id(MARIA.0).await;

    // A name change leaves her signed in.
    let renamed = update_user(&app, &admin, &maria, &[("name", "Maria L. Lopez")]).await;
    renamed.assert_ok();
    assert!(maria_client.is_signed_in().await);
    assert!(maria_client.call("/api/me", &[]).await.body.contains("Maria L. Lopez"));

    let taken = update_user(&app, &admin, &maria, &[("email", "JAMES@kith.test")]).await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.body.contains("Another user already has this email"));

    let stale = admin
        .call(
            "/api/users/update",
            &[
                ("id", &maria),
                ("version", "1"),
                ("name", "Old"),
                ("email", MARIA.0),
                ("role", "agent"),
            ],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("Someone else changed this user"));

    let promoted = update_user(&app, &admin, &maria, &[("role", "admin")]).await;
    promoted.assert_ok();
    assert!(!maria_client.is_signed_in().await, "the role change ended her session");
    let changes = app.logged_changes("entity_id = $1 AND action = 'update'", Some(&maria)).await;
    assert!(changes.contains("\"role\":[\"Agent\",\"Admin\"]"), "{changes}");
    let again = app.signed_in(MARIA).await;
    assert_eq!(again.get_status("/users").await, StatusCode::OK, "now an admin");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_active_admin_cannot_be_demoted_deactivated_or_deleted() {
    let (app, admin) = TestApp::signed_in_as(ADMIN).await;
    let dana = app.user_id(ADMIN.0).await;

    let demote = update_user(&app, &admin, &dana, &[("role", "agent")]).await;
    assert_eq!(demote.status, StatusCode::CONFLICT);
    assert!(demote.body.contains("last active admin"), "{}", demote.body);
    let deactivate = admin.call("/api/users/deactivate", &[("id", &dana)]).await;
    assert_eq!(deactivate.status, StatusCode::CONFLICT);
    let delete = admin.call("/api/users/delete", &[("id", &dana)]).await;
    assert_eq!(delete.status, StatusCode::CONFLICT);
    assert!(delete.body.contains("cannot delete your own account"));
    assert!(admin.is_signed_in().await);

    // A second admin who is deactivated does not count.
    let maria = app.user_id(MARIA.0).await;
    assert_eq!(
        update_user(&app, &admin, &maria, &[("role", "admin")]).await.status,
        StatusCode::OK
    );
    app.deactivate(MARIA.0).await;
    let demote = update_user(&app, &admin, &dana, &[("role", "agent")]).await;
    assert_eq!(demote.status, StatusCode::CONFLICT);

    // With another active admin, Dana may step down, and Maria (now the last) may not be deleted.
    assert_eq!(admin.call_status("/api/users/reactivate", &[("id", &maria)]).await, StatusCode::OK);
    let demote = update_user(&app, &admin, &dana, &[("role", "agent")]).await;
    demote.assert_ok();
    assert!(!admin.is_signed_in().await, "her own role change signed her out too");
    let maria_admin = app.signed_in(MARIA).await;
    let james = app.user_id(JAMES.0).await;
    for (path, form) in [
        ("/api/users/deactivate", vec![("id", maria.as_str())]),
        ("/api/users/delete", vec![("id", maria.as_str()), ("receiver", james.as_str())]),
    ] {
        let res = maria_admin.call(path, &form).await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{path}");
    }
    assert_eq!(app.rows("users WHERE role = 'admin' AND active = 1").await, 1);
}
