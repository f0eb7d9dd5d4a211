//! User administration, profiles and organisation settings through the real
//! router: admins only (agents get 404), the last-admin guards, sessions ending,
//! deletion handing every record over, the password policy and the settings.

use crate::client::table_rows;
use crate::helpers::{Client, TestApp, TestResponse, ADMIN, JAMES, MARIA};
use axum::http::StatusCode;

const PRIYA: &str = "priya@kith.test";

async fn update_user(
    app: &TestApp,
    admin: &Client,
    id: &str,
    fields: &[(&str, &str)],
) -> TestResponse {
    let version = app.user_version(id).await;
    let (name, email, role): (String, String, String) =
        sqlx::query_as("SELECT name, email, role FROM users WHERE id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .expect("user");
    let form = crate::client::form_with(
        &[
            ("id", id),
            ("version", &version),
            ("name", &name),
            ("email", &email),
            ("role", &role),
        ],
        fields,
    );
    admin.call("/api/users/update", &form).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agents_get_404_for_every_user_and_settings_page_and_function() {
    let app = TestApp::new().await;
    let maria = app.signed_in(MARIA).await;
    let james = app.user_id(JAMES.0).await;
    let users_before = app.count("SELECT COUNT(*) FROM users").await;
    for page in [
        "/users",
        "/users/new",
        &format!("/users/{james}"),
        "/settings",
    ] {
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
            vec![
                ("id", james.as_str()),
                ("password", "a long enough password"),
            ],
        ),
        ("/api/users/deactivate", vec![("id", james.as_str())]),
        ("/api/users/reactivate", vec![("id", james.as_str())]),
        ("/api/users/delete", vec![("id", james.as_str())]),
        ("/api/settings/get", vec![]),
        (
            "/api/settings/update",
            vec![("version", "0"), ("name", "Mine"), ("time_zone", "UTC")],
        ),
        (
            "/api/activity/record",
            vec![("kind", "user"), ("id", james.as_str())],
        ),
    ];
    for (path, form) in calls {
        let res = maria.call(path, &form).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}: {}", res.body);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, users_before);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE role = 'admin' OR active = 0")
            .await,
        1,
        "no role or state changed"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM settings WHERE name = 'organisation_name'")
            .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM activity WHERE entity_type IN ('user', 'settings') AND action NOT IN ('create', 'sign_in')")
            .await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_search_filter_sort_and_page_the_team() {
    let app = TestApp::new().await;
    let admin = app.signed_in(ADMIN).await;
    app.deactivate(PRIYA).await;

    let all = admin.get("/users").await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(table_rows(&all.body), 4);
    assert!(all.body.contains("4 in all"));
    assert!(
        all.body.contains("Never"),
        "agents who never signed in say so"
    );

    let search = admin.get("/users?q=LOPEZ").await;
    assert_eq!(table_rows(&search.body), 1);
    assert!(search.body.contains("Maria Lopez"));
    let by_email = admin.get("/users?q=james%40kith").await;
    assert_eq!(table_rows(&by_email.body), 1);
    assert!(by_email.body.contains("James Chen"));

    let admins = admin.get("/users?role=admin").await;
    assert_eq!(table_rows(&admins.body), 1);
    assert!(admins.body.contains("Dana Reyes"));

    let deactivated = admin.get("/users?state=deactivated").await;
    assert_eq!(table_rows(&deactivated.body), 1);
    assert!(deactivated.body.contains("Priya Nair"));
    let active_agents = admin.get("/users?state=active&role=agent").await;
    assert_eq!(table_rows(&active_agents.body), 2);

    let paged = admin.get("/users?per_page=10&sort=email&dir=desc").await;
    let first = paged.body.find("priya@kith.test").expect("priya listed");
    let last = paged.body.rfind("admin@kith.test").expect("admin listed");
    assert!(first < last, "sorted by email, descending");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_user_needs_a_unique_email_and_a_password_that_passes_the_policy() {
    let app = TestApp::new().await;
    let admin = app.signed_in(ADMIN).await;
    let before = app.count("SELECT COUNT(*) FROM users").await;
    let cases = [
        (
            "Maria Two",
            " MARIA@Kith.Test ",
            "a long enough password",
            "already exists",
        ),
        (
            "Short",
            "short@kith.test",
            "tooshort",
            "at least 10 characters",
        ),
        ("Common", "common@kith.test", "Password123", "too common"),
        (
            "Same",
            "samesame@kith.test",
            "samesame@kith.test",
            "cannot be your email",
        ),
        ("", "bad-email", "a long enough password", "valid email"),
    ];
    for (name, email, password, message) in cases {
        let res = admin.create_user(name, email, "agent", password).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{email}");
        assert!(res.body.contains(message), "{email}: {}", res.body);
    }
    let bad_role = admin
        .create_user("Role", "role@kith.test", "owner", "a long enough password")
        .await;
    assert_eq!(bad_role.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users").await,
        before,
        "nothing written"
    );

    let res = admin
        .create_user(
            "Ana Costa",
            "Ana.Costa@Kith.test",
            "agent",
            "river stone lantern",
        )
        .await;
    let id = crate::client::created_id(&res, "/users/");
    let page = admin.get(&format!("/users/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("ana.costa@kith.test"),
        "email stored lower-cased"
    );
    let ana = app
        .signed_in(("ana.costa@kith.test", "river stone lantern"))
        .await;
    assert!(ana.is_signed_in().await);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM activity WHERE action = 'create' AND entity_type = 'user' AND actor_name = 'Dana Reyes' AND label = 'Ana Costa'")
            .await,
        1
    );

    // The new-user page offers a generated password that passes the policy.
    let form = admin.get("/users/new").await;
    assert_eq!(form.status, StatusCode::OK);
    let suggested = admin.call("/api/users/suggest_password", &[]).await;
    let password = suggested.body.trim_matches('"').to_owned();
    assert_eq!(password.len(), 19, "{password}");
    let res = admin
        .create_user("Bo Lind", "bo@kith.test", "admin", &password)
        .await;
    crate::client::created_id(&res, "/users/");
    let bo = app.signed_in(("bo@kith.test", &password)).await;
    assert!(bo.call("/api/me", &[]).await.body.contains("Admin"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_change_ends_sessions_and_stale_or_clashing_edits_are_refused() {
    let app = TestApp::new().await;
    let admin = app.signed_in(ADMIN).await;
    let maria_client = app.signed_in(MARIA).await;
    let maria = app.user_id(MARIA.0).await;

    // A name change leaves her signed in.
    let renamed = update_user(&app, &admin, &maria, &[("name", "Maria L. Lopez")]).await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    assert!(maria_client.is_signed_in().await);
    assert!(maria_client
        .call("/api/me", &[])
        .await
        .body
        .contains("Maria L. Lopez"));

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
    assert!(stale.body.contains("Someone changed this user"));

    let promoted = update_user(&app, &admin, &maria, &[("role", "admin")]).await;
    assert_eq!(promoted.status, StatusCode::OK, "{}", promoted.body);
    assert!(
        !maria_client.is_signed_in().await,
        "the role change ended her session"
    );
    let changes: (String,) = sqlx::query_as(
        "SELECT changes FROM activity WHERE entity_id = $1 AND action = 'update' ORDER BY at DESC, id DESC LIMIT 1",
    )
    .bind(&maria)
    .fetch_one(&app.db.pool)
    .await
    .expect("logged");
    assert!(
        changes.0.contains("\"role\":[\"Agent\",\"Admin\"]"),
        "{}",
        changes.0
    );
    let again = app.signed_in(MARIA).await;
    assert_eq!(
        again.get("/users").await.status,
        StatusCode::OK,
        "now an admin"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_active_admin_cannot_be_demoted_deactivated_or_deleted() {
    let app = TestApp::new().await;
    let admin = app.signed_in(ADMIN).await;
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
        update_user(&app, &admin, &maria, &[("role", "admin")])
            .await
            .status,
        StatusCode::OK
    );
    app.deactivate(MARIA.0).await;
    let demote = update_user(&app, &admin, &dana, &[("role", "agent")]).await;
    assert_eq!(demote.status, StatusCode::CONFLICT);

    // With another active admin, Dana may step down, and Maria (now the last) may not be deleted.
    assert_eq!(
        admin
            .call("/api/users/reactivate", &[("id", &maria)])
            .await
            .status,
        StatusCode::OK
    );
    let demote = update_user(&app, &admin, &dana, &[("role", "agent")]).await;
    assert_eq!(demote.status, StatusCode::OK, "{}", demote.body);
    assert!(
        !admin.is_signed_in().await,
        "her own role change signed her out too"
    );
    let maria_admin = app.signed_in(MARIA).await;
    let james = app.user_id(JAMES.0).await;
    for (path, form) in [
        ("/api/users/deactivate", vec![("id", maria.as_str())]),
        (
            "/api/users/delete",
            vec![("id", maria.as_str()), ("receiver", james.as_str())],
        ),
    ] {
        let res = maria_admin.call(path, &form).await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{path}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = 1")
            .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_user_hands_every_record_to_the_receiver_in_one_step() {
    let app = TestApp::new().await;
    let admin = app.signed_in(ADMIN).await;
    let maria_client = app.signed_in(MARIA).await;
    let maria = app.user_id(MARIA.0).await;
    let james = app.user_id(JAMES.0).await;
    let priya = app.user_id(PRIYA).await;
    maria_client.create_lead(&[("name", "Rosa Okafor")]).await;
    maria_client
        .create_lead(&[("name", "Won Deal"), ("status", "won")])
        .await;
    let archived = maria_client.create_lead(&[("name", "Old Lead")]).await;
    let res = maria_client
        .call("/api/leads/archive", &[("id", &archived)])
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    maria_client
        .create_customer(&[("name", "Harbor Books")])
        .await;
    maria_client.new_task("Call Rosa", "2030-01-01", &[]).await;
    maria_client
        .new_task("Done one", "2020-01-01", &[("status", "done")])
        .await;
    let held = |table: &'static str, column: &'static str, who: String| {
        let app = &app;
        async move {
            app.count(&format!(
                "SELECT COUNT(*) FROM {table} WHERE {column} = '{who}'"
            ))
            .await
        }
    };
    assert_eq!(held("leads", "assignee_id", maria.clone()).await, 3);

    let page = admin.get(&format!("/users/{maria}?confirm=delete")).await;
    assert!(
        page.body.contains("3 leads, 1 customer and 2 tasks"),
        "the page says what she holds"
    );

    let no_receiver = admin.call("/api/users/delete", &[("id", &maria)]).await;
    assert_eq!(no_receiver.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_receiver.body.contains("Choose who receives them"));
    app.deactivate(PRIYA).await;
    let inactive = admin
        .call("/api/users/delete", &[("id", &maria), ("receiver", &priya)])
        .await;
    assert_eq!(inactive.status, StatusCode::UNPROCESSABLE_ENTITY);
    let herself = admin
        .call("/api/users/delete", &[("id", &maria), ("receiver", &maria)])
        .await;
    assert_eq!(herself.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        held("leads", "assignee_id", maria.clone()).await,
        3,
        "nothing moved"
    );
    assert!(maria_client.is_signed_in().await);

    let res = admin
        .call("/api/users/delete", &[("id", &maria), ("receiver", &james)])
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.location(), Some("/users?deleted=1"));
    for (table, column) in [
        ("leads", "assignee_id"),
        ("customers", "owner_id"),
        ("tasks", "assignee_id"),
    ] {
        assert_eq!(held(table, column, maria.clone()).await, 0, "{table}");
    }
    assert_eq!(held("leads", "assignee_id", james.clone()).await, 3);
    assert_eq!(held("customers", "owner_id", james.clone()).await, 1);
    assert_eq!(held("tasks", "assignee_id", james.clone()).await, 2);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM activity WHERE action = 'assign' AND changes LIKE '%Maria Lopez%James Chen%'")
            .await,
        6,
        "each record's handover is in its history"
    );
    // The kept lead counts follow: James now has Maria's two live leads.
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM lead_status_counts WHERE assignee_id = '{james}'"
        ))
        .await,
        2
    );
    assert!(!maria_client.is_signed_in().await, "her sessions ended");
    assert_eq!(
        app.client().sign_in(MARIA.0, MARIA.1).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        admin.get(&format!("/users/{maria}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(!admin.get("/users").await.body.contains("Maria Lopez"));
    assert!(!admin
        .call("/api/users/team", &[])
        .await
        .body
        .contains("Maria Lopez"));
    // Her email can be given to someone new; her notes and history keep her name.
    let res = admin
        .create_user("Maria Nova", MARIA.0, "agent", "a brand new password")
        .await;
    crate::client::created_id(&res, "/users/");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM activity WHERE action = 'delete' AND entity_type = 'user' AND label = 'Maria Lopez'")
            .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_who_holds_nothing_is_deleted_directly() {
    let app = TestApp::new().await;
    let admin = app.signed_in(ADMIN).await;
    let priya = app.user_id(PRIYA).await;
    let res = admin.call("/api/users/delete", &[("id", &priya)]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE deleted_at IS NOT NULL AND active = 0")
            .await,
        1
    );
    let again = admin.call("/api/users/delete", &[("id", &priya)]).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_password_ends_sessions_and_deactivation_can_be_undone() {
    let app = TestApp::new().await;
    let admin = app.signed_in(ADMIN).await;
    let maria_client = app.signed_in(MARIA).await;
    let maria = app.user_id(MARIA.0).await;

    let weak = admin
        .call(
            "/api/users/reset_password",
            &[("id", &maria), ("password", "maria@kith.test")],
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.body.contains("cannot be your email"));
    assert!(maria_client.is_signed_in().await);

    let res = admin
        .call(
            "/api/users/reset_password",
            &[("id", &maria), ("password", "fresh start 2026")],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(!maria_client.is_signed_in().await);
    assert_eq!(
        app.client().sign_in(MARIA.0, MARIA.1).await.status,
        StatusCode::UNAUTHORIZED
    );
    let maria_client = app.signed_in((MARIA.0, "fresh start 2026")).await;

    let res = admin.call("/api/users/deactivate", &[("id", &maria)]).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(
        !maria_client.is_signed_in().await,
        "deactivation ends her session at once"
    );
    assert_eq!(
        app.client()
            .sign_in(MARIA.0, "fresh start 2026")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let res = admin.call("/api/users/reactivate", &[("id", &maria)]).await;
    assert_eq!(res.status, StatusCode::OK);
    app.signed_in((MARIA.0, "fresh start 2026")).await;

    let history = admin
        .call("/api/activity/record", &[("kind", "user"), ("id", &maria)])
        .await;
    for action in ["PasswordReset", "Deactivate", "Reactivate"] {
        assert!(history.body.contains(action), "{action}: {}", history.body);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_your_own_password_needs_the_current_one_and_ends_only_your_other_sessions() {
    let app = TestApp::new().await;
    let here = app.signed_in(MARIA).await;
    let elsewhere = app.signed_in(MARIA).await;
    let change = |current: &'static str, new: &'static str, confirm: &'static str| {
        let here = here.clone();
        async move {
            here.call(
                "/api/profile/password",
                &[
                    ("current_password", current),
                    ("password", new),
                    ("password_confirm", confirm),
                ],
            )
            .await
        }
    };
    let wrong = change(
        "not my password",
        "river stone lantern",
        "river stone lantern",
    )
    .await;
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
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(here.is_signed_in().await, "this session stays");
    assert!(!elsewhere.is_signed_in().await, "the other one ended");
    assert_eq!(
        app.client().sign_in(MARIA.0, MARIA.1).await.status,
        StatusCode::UNAUTHORIZED
    );
    app.signed_in((MARIA.0, "river stone lantern")).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM activity WHERE action = 'password_change'")
            .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn you_see_your_own_sessions_and_can_sign_out_any_other() {
    let app = TestApp::new().await;
    let here = app.signed_in(MARIA).await;
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
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
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
    let theirs = here
        .call("/api/profile/end_session", &[("id", &james_session)])
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    assert!(james.is_signed_in().await);

    let phone_session = session_of(MARIA.0, "%iPhone%").await;
    let res = here
        .call("/api/profile/end_session", &[("id", &phone_session)])
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(!phone.is_signed_in().await);
    assert!(here.is_signed_in().await);
    let own: (String,) = sqlx::query_as(
        "SELECT s.id FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1 AND s.revoked_at IS NULL",
    )
    .bind(MARIA.0)
    .fetch_one(&app.db.pool)
    .await
    .expect("current session");
    let current = here
        .call("/api/profile/end_session", &[("id", &own.0)])
        .await;
    assert_eq!(current.status, StatusCode::CONFLICT);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn renaming_yourself_is_validated_logged_and_shown() {
    let app = TestApp::new().await;
    let maria = app.signed_in(MARIA).await;
    let blank = maria.call("/api/profile/name", &[("name", "  ")]).await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = maria
        .call("/api/profile/name", &[("name", "Maria Lopez-Garcia")])
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(maria
        .get("/profile")
        .await
        .body
        .contains("Maria Lopez-Garcia"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM activity WHERE action = 'update' AND entity_type = 'user' AND changes LIKE '%Maria Lopez-Garcia%'")
            .await,
        1
    );
}

async fn save_settings(app: &TestApp, admin: &Client, name: &str, zone: &str) -> TestResponse {
    let version = app
        .count("SELECT COALESCE(MAX(updated_at), 0) FROM settings WHERE name IN ('organisation_name', 'time_zone')")
        .await
        .to_string();
    admin
        .call(
            "/api/settings/update",
            &[("version", &version), ("name", name), ("time_zone", zone)],
        )
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organisation_settings_are_validated_stored_logged_and_used_everywhere() {
    let app = TestApp::new().await;
    let admin = app.signed_in(ADMIN).await;
    let maria = app.signed_in(MARIA).await;
    maria
        .new_task("Call at nine", "2030-06-01", &[("due_time", "09:00")])
        .await;
    let due = || app.count("SELECT due_at FROM tasks WHERE title = 'Call at nine'");
    let utc_due = due().await;

    let bad = save_settings(&app, &admin, &"x".repeat(101), "Mars/Olympus").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("not a time zone"));
    assert!(bad.body.contains("\"name\""));

    let res = save_settings(&app, &admin, "Acme Sales", "Asia/Tokyo").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    // Nine in Tokyo is nine hours before nine in UTC.
    assert_eq!(utc_due - due().await, 9 * 3_600_000);
    let page = maria.get("/tasks").await;
    assert!(
        page.body.contains("Acme Sales"),
        "the header shows the name to everyone"
    );

    // Times show on the organisation's clock: a lead created now, in Tokyo.
    let lead = maria.create_lead(&[("name", "Clock Check")]).await;
    let created: (i64,) = sqlx::query_as("SELECT created_at FROM leads WHERE id = $1")
        .bind(&lead)
        .fetch_one(&app.db.pool)
        .await
        .expect("lead");
    let tokyo: chrono_tz::Tz = "Asia/Tokyo".parse().expect("zone");
    let shown = chrono::DateTime::from_timestamp_millis(created.0)
        .expect("time")
        .with_timezone(&tokyo)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let lead_page = maria.get(&format!("/leads/{lead}")).await;
    assert!(
        lead_page.body.contains(&shown),
        "{shown} on the lead's page"
    );

    let stale = admin
        .call(
            "/api/settings/update",
            &[("version", "1"), ("name", "Other"), ("time_zone", "UTC")],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let entry: (String,) = sqlx::query_as(
        "SELECT changes FROM activity WHERE entity_type = 'settings' AND action = 'update'",
    )
    .fetch_one(&app.db.pool)
    .await
    .expect("logged once");
    assert!(
        entry.0.contains("Asia/Tokyo") && entry.0.contains("Acme Sales"),
        "{}",
        entry.0
    );
    let settings_page = admin.get("/settings").await;
    assert_eq!(settings_page.status, StatusCode::OK);
    assert!(settings_page.body.contains("value=\"Acme Sales\""));
}
