//! Changing tasks: quick actions, edits, conversion, archived links, the list and time zone moves.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn marking_done_and_reopening_from_the_list_checks_the_version_and_logs_it() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    maria.create_task("Send the quote", SOME_DAY, &[]).await;
    let id = task_id(&app, "Send the quote").await;

    let back = "/tasks?priority=medium";
    let form = [("id", id.as_str()), ("version", "1"), ("status", "done"), ("back", back)];
    let done = maria.submit("/api/tasks/status", "/tasks", &form).await;
    assert_eq!(done.status, StatusCode::FOUND, "{}", done.body);
    assert_eq!(done.location(), Some("/tasks?priority=medium"));
    let (completed,): (Option<i64>,) = app.one("SELECT completed_at FROM tasks", None).await;
    assert!(completed.is_some());
    assert!(
        !maria.get("/tasks").await.body.contains("Send the quote"),
        "done tasks leave the default list"
    );

    let stale =
        maria.call("/api/tasks/status", &[("id", &id), ("version", "1"), ("status", "open")]).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let reopen =
        maria.call("/api/tasks/status", &[("id", &id), ("version", "2"), ("status", "open")]).await;
    reopen.assert_ok();
    let (status, completed): (String, Option<i64>) =
        app.one("SELECT status, completed_at FROM tasks", None).await;
    assert_eq!((status.as_str(), completed), ("open", None));
    assert_eq!(
        app.rows("activity WHERE entity_type = 'task' AND action = 'status_change'").await,
        2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_log_changes_and_deletes_keep_the_task_in_the_log() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    maria.create_task("Call Ana", SOME_DAY, &[]).await;
    let id = task_id(&app, "Call Ana").await;
    let mut edit =
        task_form("Call Ana back", SOME_DAY, &[("priority", "high"), ("due_time", "09:30")]);
    edit.extend([("id", id.as_str()), ("version", "1")]);
    let res = maria.call("/api/tasks/update", &edit).await;
    res.assert_ok();
    let stale = maria.call("/api/tasks/update", &edit).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let changes = app.logged_changes("entity_type = 'task' AND action = 'update'", None).await;
    assert!(changes.contains("[\"Medium\",\"High\"]"), "{changes}");
    assert!(changes.contains("[\"\",\"09:30\"]"), "{changes}");

    let page = maria.get(&format!("/tasks/{id}")).await;
    assert!(page.body.contains("2030-05-01 09:30"));
    let delete = maria.call("/api/tasks/delete", &[("id", &id), ("version", "2")]).await;
    delete.assert_ok();
    assert_eq!(app.rows("tasks").await, 0);
    let deleted = "entity_type = 'task' AND action = 'delete' AND label = 'Call Ana back'";
    assert_eq!(app.logged(deleted).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn converting_a_lead_moves_its_open_tasks_to_the_customer() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    let lead = maria.create_lead(&[("name", "Ana Silva"), ("status", "in_progress")]).await;
    for (title, status) in
        [("Open one", "open"), ("Started one", "in_progress"), ("Finished one", "done")]
    {
        let res = maria
            .create_task(
                title,
                SOME_DAY,
                &[("kind", "lead"), ("record_id", &lead), ("status", status)],
            )
            .await;
        assert_eq!(res.location(), Some(format!("/leads/{lead}#tasks").as_str()));
    }
    let res = maria.call("/api/leads/convert", &[("id", &lead)]).await;
    let customer = created_id(&res, "/customers/");

    let moved = app
        .count(&format!(
            "SELECT COUNT(*) FROM tasks WHERE customer_id = '{customer}' AND lead_id IS NULL"
        ))
        .await;
    assert_eq!(moved, 2);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM tasks WHERE lead_id = '{lead}' AND title = 'Finished one'"
        ))
        .await,
        1,
        "done tasks stay with the lead"
    );
    let page = maria.get(&format!("/customers/{customer}")).await;
    assert!(page.body.contains("Open one") && page.body.contains("Started one"));
    assert!(!page.body.contains("Finished one"));
    assert_eq!(app.rows("activity WHERE entity_type = 'task' AND action = 'update'").await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn converting_asks_first_and_hands_the_open_tasks_to_the_leads_current_assignee() {
    let (app, [admin, maria]) = TestApp::signed_in_each([ADMIN, MARIA]).await;
    let lead = maria.create_lead(&[("name", "Handed Co")]).await;
    let res =
        maria.create_task("Follow up", SOME_DAY, &[("kind", "lead"), ("record_id", &lead)]).await;
    assert!(res.location().is_some(), "{}", res.body);
    let james = app.user_id("james@kith.test").await;
    let res = admin
        .call("/api/leads/assign", &[("ids[0]", &lead), ("assignee", &james), ("back", "/leads")])
        .await;
    assert!(res.status.is_success() || res.status.is_redirection(), "{}", res.body);

    // The lead's page asks before converting, and says what will happen.
    let page = admin.get(&format!("/leads/{lead}?confirm=convert")).await;
    for shown in [
        "Convert Handed Co to a customer?",
        "owned by James Chen",
        "Its 1 open task moves to the customer, assigned to James Chen.",
    ] {
        assert!(page.body.contains(shown), "{shown}: {}", page.body);
    }
    assert_eq!(
        maria.call_status("/api/leads/open_tasks", &[("id", &lead)]).await,
        StatusCode::NOT_FOUND
    );

    let res = admin.call("/api/leads/convert", &[("id", &lead)]).await;
    let customer = created_id(&res, "/customers/");
    let (assignee,): (String,) =
        app.one("SELECT assignee_id FROM tasks WHERE customer_id = $1", Some(&customer)).await;
    assert_eq!(assignee, james, "the customer's owner works its tasks");
    let logged = app.logged_changes("entity_type = 'task' AND action = 'update'", None).await;
    assert!(logged.contains("assigned to") && logged.contains("James Chen"), "{logged}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tasks_of_an_archived_record_stay_listed_with_the_link_marked() {
    let (_app, maria) = TestApp::signed_in_as(MARIA).await;
    let lead = maria.create_lead(&[("name", "Ana Silva"), ("status", "in_progress")]).await;
    maria.create_task("Call Ana", SOME_DAY, &[("kind", "lead"), ("record_id", &lead)]).await;
    maria.call("/api/leads/archive", &[("id", &lead)]).await;

    let list = maria.get("/tasks").await;
    assert!(list.body.contains("Call Ana"));
    assert!(list.body.contains(&format!("/leads/{lead}")));
    assert!(list.body.contains(">archived<"), "{}", list.body);
    let more =
        maria.create_task("Another", SOME_DAY, &[("kind", "lead"), ("record_id", &lead)]).await;
    assert_eq!(more.status, StatusCode::CONFLICT);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_filters_by_status_priority_and_due_range_and_sorts_by_priority() {
    let (_app, admin) = TestApp::signed_in_as(ADMIN).await;
    admin.create_task("Low early", "2030-01-10", &[("priority", "low")]).await;
    admin.create_task("High late", "2030-03-10", &[("priority", "high")]).await;
    admin.create_task("Medium middle", "2030-02-10", &[]).await;
    admin.create_task("Done high", "2030-02-11", &[("priority", "high"), ("status", "done")]).await;

    let default = admin.get("/tasks").await.body;
    assert_eq!(table_rows(&default), 3, "not done, by default");
    let (low, medium, high) = (
        default.find("Low early").expect("listed"),
        default.find("Medium middle").expect("listed"),
        default.find("High late").expect("listed"),
    );
    assert!(low < medium && medium < high, "soonest due first");

    let by_priority = admin.get("/tasks?sort=priority&dir=desc").await.body;
    assert!(by_priority.find("High late") < by_priority.find("Medium middle"));
    assert_eq!(table_rows(&admin.get("/tasks?status=all&priority=high").await.body), 2);
    assert_eq!(table_rows(&admin.get("/tasks?status=done").await.body), 1);
    let range = admin.get("/tasks?status=all&due_from=2030-02-01&due_to=2030-02-28").await.body;
    assert_eq!(table_rows(&range), 2);
    assert!(range.contains("Medium middle") && range.contains("Done high"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_time_zone_set_by_kith_itself_moves_due_instants_and_is_logged_like_an_admins() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    let res = maria.create_task("Call Ana", "2026-03-08", &[]).await;
    res.assert_ok();
    let due = || app.count("SELECT due_at FROM tasks");
    let in_utc = due().await;
    kith_server::set_time_zone(&app.db, "Asia/Tokyo").await.expect("time zone");
    assert_eq!(in_utc - due().await, 9 * 3_600_000, "due nine hours earlier");
    let (actor, changes): (String, String) = app
        .one("SELECT actor_name, changes FROM activity WHERE entity_type = 'settings'", None)
        .await;
    assert_eq!(actor, "Kith");
    assert!(changes.contains("Asia/Tokyo"), "{changes}");
}
