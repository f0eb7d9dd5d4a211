//! Tasks through the real router: who sees and changes which, overdue in the
//! organisation's time zone, quick actions, conversion and archived links.

use crate::client::{created_id, table_rows, task_form};
use crate::helpers::{Client, TestApp, ADMIN, JAMES, MARIA};
use axum::http::StatusCode;
use chrono::{Days, Duration};

async fn task_id(app: &TestApp, title: &str) -> String {
    let (id,): (String,) = sqlx::query_as("SELECT id FROM tasks WHERE title = $1")
        .bind(title)
        .fetch_one(&app.db.pool)
        .await
        .expect("task");
    id
}

const SOME_DAY: &str = "2030-05-01";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agents_have_only_their_own_tasks_and_admins_assign_any() {
    let app = TestApp::new().await;
    let maria = app.signed_in(MARIA).await;
    let james_id = app.user_id(JAMES.0).await;
    let res = maria
        .create_task("Maria's task", SOME_DAY, &[("assignee", &james_id)])
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let (assignee,): (String,) = sqlx::query_as("SELECT assignee_id FROM tasks")
        .fetch_one(&app.db.pool)
        .await
        .expect("task");
    assert_eq!(
        assignee,
        app.user_id(MARIA.0).await,
        "agents' tasks are their own"
    );

    let admin = app.signed_in(ADMIN).await;
    let res = admin
        .create_task("For James", SOME_DAY, &[("assignee", &james_id)])
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let james = app.signed_in(JAMES).await;
    let list = james.get("/tasks").await;
    assert!(list.body.contains("For James"));
    assert!(!list.body.contains("Maria&#x27;s task") && !list.body.contains("Maria's task"));
    assert_eq!(table_rows(&admin.get("/tasks").await.body), 2);

    let theirs = task_id(&app, "For James").await;
    assert_eq!(
        maria.get(&format!("/tasks/{theirs}")).await.status,
        StatusCode::NOT_FOUND
    );
    let mut edit = task_form("Hijacked", SOME_DAY, &[]);
    edit.extend([("id", theirs.as_str()), ("version", "1")]);
    assert_eq!(
        maria.call("/api/tasks/update", &edit).await.status,
        StatusCode::NOT_FOUND
    );
    let done = maria
        .call(
            "/api/tasks/status",
            &[("id", &theirs), ("version", "1"), ("status", "done")],
        )
        .await;
    assert_eq!(done.status, StatusCode::NOT_FOUND);
    let delete = maria
        .call("/api/tasks/delete", &[("id", &theirs), ("version", "1")])
        .await;
    assert_eq!(delete.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM tasks WHERE title = 'For James' AND status = 'open'")
            .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_cannot_hang_a_task_on_someone_elses_lead() {
    let app = TestApp::new().await;
    let james = app.signed_in(JAMES).await;
    let lead = james
        .create_lead(&[("name", "Bruno Costa"), ("status", "in_progress")])
        .await;
    let maria = app.signed_in(MARIA).await;
    let res = maria
        .create_task(
            "Sneaky",
            SOME_DAY,
            &[("kind", "lead"), ("record_id", &lead)],
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let page = maria.get(&format!("/tasks/new?lead={lead}")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(app.count("SELECT COUNT(*) FROM tasks").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_task_fields_get_messages_and_nothing_is_written() {
    let app = TestApp::new().await;
    let maria = app.signed_in(MARIA).await;
    let res = maria
        .create_task(
            "",
            "31/12/2030",
            &[
                ("due_time", "25:00"),
                ("priority", "urgent"),
                ("status", "someday"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["title", "due_date", "due_time", "priority", "status"] {
        assert!(
            res.body.contains(&format!("\"{field}\"")),
            "{field}: {}",
            res.body
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM tasks").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM activity WHERE entity_type = 'task'")
            .await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overdue_means_not_done_and_past_its_moment_in_the_organisations_time_zone() {
    let app = TestApp::new().await;
    kith_server::set_time_zone(&app.db, "America/New_York")
        .await
        .expect("time zone");
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
        (
            "Due a moment ago",
            past_day.as_str(),
            vec![("due_time", past_time.as_str())],
        ),
        (
            "Due in a moment",
            future_day.as_str(),
            vec![("due_time", future_time.as_str())],
        ),
        ("Due tomorrow", tomorrow.as_str(), vec![]),
        (
            "Done yesterday",
            yesterday.as_str(),
            vec![("status", "done")],
        ),
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
    let app = TestApp::new().await;
    let maria = app.signed_in(MARIA).await;
    maria.create_task("Midsummer", "2030-06-21", &[]).await;
    let due = || async {
        let (at,): (i64,) = sqlx::query_as("SELECT due_at FROM tasks")
            .fetch_one(&app.db.pool)
            .await
            .expect("task");
        at
    };
    let utc_end = due().await;
    kith_server::set_time_zone(&app.db, "Europe/Lisbon")
        .await
        .expect("zone");
    assert_eq!(
        utc_end - due().await,
        3_600_000,
        "Lisbon's summer day ends an hour earlier"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn marking_done_and_reopening_from_the_list_checks_the_version_and_logs_it() {
    let app = TestApp::new().await;
    let maria = app.signed_in(MARIA).await;
    maria.create_task("Send the quote", SOME_DAY, &[]).await;
    let id = task_id(&app, "Send the quote").await;

    let done = maria
        .submit(
            "/api/tasks/status",
            "/tasks",
            &[
                ("id", &id),
                ("version", "1"),
                ("status", "done"),
                ("back", "/tasks?priority=medium"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::FOUND, "{}", done.body);
    assert_eq!(done.location(), Some("/tasks?priority=medium"));
    let (completed,): (Option<i64>,) = sqlx::query_as("SELECT completed_at FROM tasks")
        .fetch_one(&app.db.pool)
        .await
        .expect("task");
    assert!(completed.is_some());
    assert!(
        !maria.get("/tasks").await.body.contains("Send the quote"),
        "done tasks leave the default list"
    );

    let stale = maria
        .call(
            "/api/tasks/status",
            &[("id", &id), ("version", "1"), ("status", "open")],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let reopen = maria
        .call(
            "/api/tasks/status",
            &[("id", &id), ("version", "2"), ("status", "open")],
        )
        .await;
    assert_eq!(reopen.status, StatusCode::OK, "{}", reopen.body);
    let (status, completed): (String, Option<i64>) =
        sqlx::query_as("SELECT status, completed_at FROM tasks")
            .fetch_one(&app.db.pool)
            .await
            .expect("task");
    assert_eq!((status.as_str(), completed), ("open", None));
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM activity WHERE entity_type = 'task' AND action = 'status_change'"
        )
        .await,
        2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_log_changes_and_deletes_keep_the_task_in_the_log() {
    let app = TestApp::new().await;
    let maria = app.signed_in(MARIA).await;
    maria.create_task("Call Ana", SOME_DAY, &[]).await;
    let id = task_id(&app, "Call Ana").await;
    let mut edit = task_form(
        "Call Ana back",
        SOME_DAY,
        &[("priority", "high"), ("due_time", "09:30")],
    );
    edit.extend([("id", id.as_str()), ("version", "1")]);
    let res = maria.call("/api/tasks/update", &edit).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let stale = maria.call("/api/tasks/update", &edit).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let (changes,): (String,) = sqlx::query_as(
        "SELECT changes FROM activity WHERE entity_type = 'task' AND action = 'update'",
    )
    .fetch_one(&app.db.pool)
    .await
    .expect("logged");
    assert!(changes.contains("[\"Medium\",\"High\"]"), "{changes}");
    assert!(changes.contains("[\"\",\"09:30\"]"), "{changes}");

    let page = maria.get(&format!("/tasks/{id}")).await;
    assert!(page.body.contains("2030-05-01 09:30"));
    let delete = maria
        .call("/api/tasks/delete", &[("id", &id), ("version", "2")])
        .await;
    assert_eq!(delete.status, StatusCode::OK, "{}", delete.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM tasks").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM activity WHERE entity_type = 'task' AND action = 'delete' AND label = 'Call Ana back'")
            .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn converting_a_lead_moves_its_open_tasks_to_the_customer() {
    let app = TestApp::new().await;
    let maria = app.signed_in(MARIA).await;
    let lead = maria
        .create_lead(&[("name", "Ana Silva"), ("status", "in_progress")])
        .await;
    for (title, status) in [
        ("Open one", "open"),
        ("Started one", "in_progress"),
        ("Finished one", "done"),
    ] {
        let res = maria
            .create_task(
                title,
                SOME_DAY,
                &[("kind", "lead"), ("record_id", &lead), ("status", status)],
            )
            .await;
        assert_eq!(
            res.location(),
            Some(format!("/leads/{lead}#tasks").as_str())
        );
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
    assert_eq!(
        app.count("SELECT COUNT(*) FROM activity WHERE entity_type = 'task' AND action = 'update'")
            .await,
        2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tasks_of_an_archived_record_stay_listed_with_the_link_marked() {
    let app = TestApp::new().await;
    let maria = app.signed_in(MARIA).await;
    let lead = maria
        .create_lead(&[("name", "Ana Silva"), ("status", "in_progress")])
        .await;
    maria
        .create_task(
            "Call Ana",
            SOME_DAY,
            &[("kind", "lead"), ("record_id", &lead)],
        )
        .await;
    maria.call("/api/leads/archive", &[("id", &lead)]).await;

    let list = maria.get("/tasks").await;
    assert!(list.body.contains("Call Ana"));
    assert!(list.body.contains(&format!("/leads/{lead}")));
    assert!(list.body.contains(">archived<"), "{}", list.body);
    let more = maria
        .create_task(
            "Another",
            SOME_DAY,
            &[("kind", "lead"), ("record_id", &lead)],
        )
        .await;
    assert_eq!(more.status, StatusCode::CONFLICT);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_filters_by_status_priority_and_due_range_and_sorts_by_priority() {
    let app = TestApp::new().await;
    let admin = app.signed_in(ADMIN).await;
    admin
        .create_task("Low early", "2030-01-10", &[("priority", "low")])
        .await;
    admin
        .create_task("High late", "2030-03-10", &[("priority", "high")])
        .await;
    admin.create_task("Medium middle", "2030-02-10", &[]).await;
    admin
        .create_task(
            "Done high",
            "2030-02-11",
            &[("priority", "high"), ("status", "done")],
        )
        .await;

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
    assert_eq!(
        table_rows(&admin.get("/tasks?status=all&priority=high").await.body),
        2
    );
    assert_eq!(table_rows(&admin.get("/tasks?status=done").await.body), 1);
    let range = admin
        .get("/tasks?status=all&due_from=2030-02-01&due_to=2030-02-28")
        .await
        .body;
    assert_eq!(table_rows(&range), 2);
    assert!(range.contains("Medium middle") && range.contains("Done high"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_time_zone_set_by_kith_itself_moves_due_instants_and_is_logged_like_an_admins() {
    let app = TestApp::new().await;
    let maria = app.signed_in(MARIA).await;
    let res = maria.create_task("Call Ana", "2026-03-08", &[]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let due = || app.count("SELECT due_at FROM tasks");
    let in_utc = due().await;
    kith_server::set_time_zone(&app.db, "Asia/Tokyo")
        .await
        .expect("time zone");
    assert_eq!(
        in_utc - due().await,
        9 * 3_600_000,
        "due nine hours earlier"
    );
    let (actor, changes): (String, String) =
        sqlx::query_as("SELECT actor_name, changes FROM activity WHERE entity_type = 'settings'")
            .fetch_one(&app.db.pool)
            .await
            .expect("the change is logged");
    assert_eq!(actor, "Kith");
    assert!(changes.contains("Asia/Tokyo"), "{changes}");
}
