//! Who sees and changes which task, validation, and overdue in the organisation's time zone.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agents_have_only_their_own_tasks_and_admins_assign_any() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    let james_id = app.user_id(JAMES.0).await;
    let res = maria.create_task("Maria's task", SOME_DAY, &[("assignee", &james_id)]).await;
    res.assert_ok();
    let (assignee,): (String,) = app.one("SELECT assignee_id FROM tasks", None).await;
    assert_eq!(assignee, app.user_id(MARIA.0).await, "agents' tasks are their own");

    let admin = app.signed_in(ADMIN).await;
    let res = admin.create_task("For James", SOME_DAY, &[("assignee", &james_id)]).await;
    res.assert_ok();
    let james = app.signed_in(JAMES).await;
    let list = james.get("/tasks").await;
    assert!(list.body.contains("For James"));
    assert!(!list.body.contains("Maria&#x27;s task") && !list.body.contains("Maria's task"));
    assert_eq!(table_rows(&admin.get("/tasks").await.body), 2);

    let theirs = task_id(&app, "For James").await;
    assert_eq!(maria.get_status(&format!("/tasks/{theirs}")).await, StatusCode::NOT_FOUND);
    let mut edit = task_form("Hijacked", SOME_DAY, &[]);
    edit.extend([("id", theirs.as_str()), ("version", "1")]);
    assert_eq!(maria.call_status("/api/tasks/update", &edit).await, StatusCode::NOT_FOUND);
    let done = maria
        .call("/api/tasks/status", &[("id", &theirs), ("version", "1"), ("status", "done")])
        .await;
    assert_eq!(done.status, StatusCode::NOT_FOUND);
    let delete = maria.call("/api/tasks/delete", &[("id", &theirs), ("version", "1")]).await;
    assert_eq!(delete.status, StatusCode::NOT_FOUND);
    assert_eq!(app.rows("tasks WHERE title = 'For James' AND status = 'open'").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_cannot_hang_a_task_on_someone_elses_lead() {
    let (app, james) = TestApp::signed_in_as(JAMES).await;
    let lead = james.create_lead(&[("name", "Bruno Costa"), ("status", "in_progress")]).await;
    let maria = app.signed_in(MARIA).await;
    let res =
        maria.create_task("Sneaky", SOME_DAY, &[("kind", "lead"), ("record_id", &lead)]).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let page = maria.get(&format!("/tasks/new?lead={lead}")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(app.rows("tasks").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_task_fields_get_messages_and_nothing_is_written() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    let res = maria
        .create_task(
            "",
            "31/12/2030",
            &[("due_time", "25:00"), ("priority", "urgent"), ("status", "someday")],
        )
        .await;
    res.assert_invalid(&["title", "due_date", "due_time", "priority", "status"]);
    assert_eq!(app.rows("tasks").await, 0);
    assert_eq!(app.rows("activity WHERE entity_type = 'task'").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overdue_means_not_done_and_past_its_moment_in_the_organisations_time_zone() {
    let app = TestApp::new().await;
    kith_server::set_time_zone(&app.db, "America/New_York").await.expect("time zone");
    let tz: chrono_tz::Tz = "America/New_York".parse().expect("zone");
    let now = chrono::Utc::now().with_timezone(&tz);
    let today = now.date_naive();
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let (yesterday, tomorrow) = (day(today - Days::new(1)), day(today + Days::new(1)));
    let (past, future) = (now - Duration::minutes(3), now + Duration::minutes(3));
    let (past_day, past_time) = (day(past.date_naive()), past.format("%H:%M").to_string());
    let (future_day, future_time) = (day(future.date_naive()), future.format("%H:%M").to_string());
    let today = day(today);

    let maria = app.signed_in(MARIA).await;
    for (title, date, fields) in [
        ("Due yesterday", yesterday.as_str(), vec![]),
        ("Due today", today.as_str(), vec![]),
        ("Due a moment ago", past_day.as_str(), vec![("due_time", past_time.as_str())]),
        ("Due in a moment", future_day.as_str(), vec![("due_time", future_time.as_str())]),
        ("Due tomorrow", tomorrow.as_str(), vec![]),
        ("Done yesterday", yesterday.as_str(), vec![("status", "done")]),
    ] {
        let res = maria.create_task(title, date, &fields).await;
        assert_eq!(res.status, StatusCode::OK, "{title}: {}", res.body);
    }

    let overdue = maria.get("/tasks?overdue=1&status=all").await;
    assert_eq!(table_rows(&overdue.body), 2, "{}", overdue.body);
    assert!(overdue.body.contains("Due yesterday"));
    assert!(overdue.body.contains("Due a moment ago"));
    let all = maria.get("/tasks?status=all").await;
    assert_eq!(all.body.matches("Overdue</span>").count(), 2);

    let overdue_for = |client: Client| async move {
        let res = client.call("/api/dashboard", &[]).await;
        let board: app::dashboard::Dashboard = serde_json::from_str(&res.body).expect("dashboard");
        board.overdue_tasks
    };
    assert_eq!(overdue_for(maria.clone()).await, 2);
    assert_eq!(overdue_for(app.signed_in(JAMES).await).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_time_zone_moves_when_date_only_tasks_fall_due() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    maria.create_task("Midsummer", "2030-06-21", &[]).await;
    let due = || async {
        let (at,): (i64,) = app.one("SELECT due_at FROM tasks", None).await;
        at
    };
    let utc_end = due().await;
    kith_server::set_time_zone(&app.db, "Europe/Lisbon").await.expect("zone");
    assert_eq!(utc_end - due().await, 3_600_000, "Lisbon's summer day ends an hour earlier");
}
