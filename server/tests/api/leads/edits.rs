//! Creating and editing leads: validation, ownership, concurrent edits, archive and duplicates.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_fields_get_messages_and_nothing_is_written() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    let long = "x".repeat(200);
    let fields = [
        ("name", ""),
        ("email", "nope"),
        ("phone", "call me"),
        ("company", long.as_str()),
        ("status", "maybe"),
    ];
    let res = maria.try_create(&LEADS, &fields).await;
    res.assert_invalid(&["name", "email", "phone", "company", "status"]);
    assert_eq!(app.rows("leads").await, 0);
    assert_eq!(app.rows("activity WHERE entity_type = 'lead'").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_cannot_give_a_new_lead_to_someone_else() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    let james_id = app.user_id(JAMES.0).await;
    let id = maria.create_lead(&[("name", "Ana Silva"), ("assignee", &james_id)]).await;
    let (assignee,): (String,) =
        app.one("SELECT assignee_id FROM leads WHERE id = $1", Some(&id)).await;
    assert_eq!(assignee, app.user_id(MARIA.0).await);

    let admin = app.signed_in(ADMIN).await;
    let given = admin.create_lead(&[("name", "Bruno Costa"), ("assignee", &james_id)]).await;
    let (assignee,): (String,) =
        app.one("SELECT assignee_id FROM leads WHERE id = $1", Some(&given)).await;
    assert_eq!(assignee, james_id, "admins choose the assignee");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_second_of_two_concurrent_edits_is_refused_and_nothing_is_lost() {
    let (app, admin) = TestApp::signed_in_as(ADMIN).await;
    let id = admin.create_lead(&[("name", "Ana Silva")]).await;
    let edit = |name: &'static str, phone: &'static str| {
        let id = id.clone();
        let admin = admin.clone();
        async move {
            admin
                .update(
                    &LEADS,
                    &id,
                    "1",
                    &[("name", name), ("phone", phone), ("status", "in_progress")],
                )
                .await
        }
    };
    let first = edit("Ana Silva", "+1 555 0100").await;
    first.assert_ok();
    let second = edit("Ana S.", "").await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert!(second.body.contains("Someone else changed this lead"));
    let (name, phone, version): (String, String, i64) =
        app.one("SELECT name, phone, version FROM leads WHERE id = $1", Some(&id)).await;
    assert_eq!((name.as_str(), phone.as_str(), version), ("Ana Silva", "+1 555 0100", 2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_logs_the_changed_fields_old_and_new() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    let id = maria.create_lead(&[("name", "Ana Silva"), ("company", "Acme")]).await;
    let res = maria
        .update(
            &LEADS,
            &id,
            "1",
            &[("name", "Ana Silva"), ("company", "Globex"), ("status", "won")],
        )
        .await;
    res.assert_ok();
    let changes = app.logged_changes("entity_id = $1 AND action = 'update'", Some(&id)).await;
    let changes: serde_json::Value = serde_json::from_str(&changes).expect("json");
    assert_eq!(changes["company"], serde_json::json!(["Acme", "Globex"]));
    assert_eq!(changes["status"], serde_json::json!(["New", "Closed Won"]));
    assert!(changes.get("name").is_none(), "unchanged fields are not listed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn archiving_hides_a_lead_and_only_admins_restore_it() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    let id = maria.create_lead(&[("name", "Ana Silva")]).await;
    assert_eq!(maria.call_status("/api/leads/archive", &[("id", &id)]).await, StatusCode::OK);
    assert!(!maria.get("/leads").await.body.contains("Ana Silva"));
    let edit = maria.update(&LEADS, &id, "2", &[("name", "Ana")]).await;
    assert_eq!(edit.status, StatusCode::CONFLICT, "archived leads are not editable");
    assert_eq!(
        maria.call_status("/api/leads/restore", &[("id", &id)]).await,
        StatusCode::NOT_FOUND
    );
    assert!(
        !maria.get("/leads?archived=1").await.body.contains("Ana Silva"),
        "agents have no archive view"
    );

    let admin = app.signed_in(ADMIN).await;
    assert!(!admin.get("/leads").await.body.contains("Ana Silva"));
    assert!(admin.get("/leads?archived=1").await.body.contains("Ana Silva"));
    assert_eq!(admin.call_status("/api/leads/restore", &[("id", &id)]).await, StatusCode::OK);
    assert!(maria.get("/leads").await.body.contains("Ana Silva"));
    let actions =
        app.rows("activity WHERE entity_id IS NOT NULL AND action IN ('archive', 'restore')").await;
    assert_eq!(actions, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_matching_email_or_phone_warns_until_confirmed() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    maria.create_lead(&[("name", "Ana Silva"), ("email", "ana@example.com")]).await;
    let fields = [("name", "Ana S."), ("email", "ANA@example.com ")];
    let warned = maria.try_create(&LEADS, &fields).await;
    assert_eq!(warned.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(warned.body.contains("\"field\":\"duplicate\""));
    assert_eq!(app.rows("leads").await, 1);

    let confirmed = [&fields[..], &[("save_anyway", "1")]].concat();
    assert_eq!(maria.try_create(&LEADS, &confirmed).await.status, StatusCode::OK);
    assert_eq!(app.rows("leads").await, 2);

    // A phone is the same number however it is written: its digits decide.
    maria.create_lead(&[("name", "Bo Lind"), ("phone", "+1 (555) 010-0100")]).await;
    let written_otherwise = [("name", "Bo L."), ("phone", "1 555.010.0100")];
    let warned = maria.try_create(&LEADS, &written_otherwise).await;
    assert_eq!(warned.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", warned.body);
    assert!(warned.body.contains("\"field\":\"duplicate\""));
    let other_number = [("name", "Bo L."), ("phone", "1 555 010 0101")];
    assert_eq!(maria.try_create(&LEADS, &other_number).await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_from_users_is_escaped_on_the_page() {
    let (_app, admin) = TestApp::signed_in_as(ADMIN).await;
    let name = "</title><script>alert(1)</script>";
    let id = admin
        .create_lead(&[("name", name), ("notes", "</textarea><img src=x onerror=alert(1)>")])
        .await;
    let page = admin.get(&format!("/leads/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("<script>alert(1)</script>"), "no markup from a lead's name");
    assert!(!page.body.contains("<img src=x"), "no markup from a lead's notes");
    assert!(
        page.body.contains("&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the name is shown as text"
    );
    let list = admin.get("/leads").await;
    assert!(!list.body.contains("<script>alert(1)</script>"));
}
