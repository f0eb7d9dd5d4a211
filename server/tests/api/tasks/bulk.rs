//! Bulk actions on the tasks list: the confirmation, one transaction, the
//! viewer's scope, all that match, and a list whose rows keep their own forms.

use super::*;

fn done(res: &crate::helpers::TestResponse) {
    assert!(res.status.is_success() || res.status.is_redirection(), "{}", res.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_marks_done_then_deletes_the_tasks_they_ticked_and_only_theirs() {
    let (app, [maria, james]) = TestApp::signed_in_each([MARIA, JAMES]).await;
    maria.new_task("Call Ana", SOME_DAY, &[]).await;
    maria.new_task("Call Bruno", SOME_DAY, &[]).await;
    james.new_task("Call Carla", SOME_DAY, &[]).await;
    let (ana, bruno, carla) = (
        task_id(&app, "Call Ana").await,
        task_id(&app, "Call Bruno").await,
        task_id(&app, "Call Carla").await,
    );

    // The bar is its own form, so each row's "Mark done" form stands alone.
    let list = maria.get("/tasks").await;
    assert!(list.body.contains("action=\"/tasks/bulk\""), "the list has the bulk bar");
    assert!(list.body.contains("form=\"tasks-bulk\""), "the tick boxes belong to it");
    let confirm = maria
        .get(&format!("/tasks/bulk?ids={ana}&ids={bruno}&ids={carla}&action=status&status=done"))
        .await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.body.contains("Move 2 tasks to Done?"), "{}", confirm.body);
    assert!(!confirm.body.contains("Call Carla"), "another agent's task is not named");
    assert_eq!(app.rows("tasks WHERE status = 'done'").await, 0, "asking changes nothing");

    let form = [
        ("form[ids][0]", ana.as_str()),
        ("form[ids][1]", bruno.as_str()),
        ("form[ids][2]", carla.as_str()),
        ("form[action]", "status"),
        ("form[status]", "done"),
        ("form[back]", "/tasks"),
    ];
    done(&maria.call("/api/tasks/bulk", &form).await);
    assert_eq!(app.rows("tasks WHERE status = 'done' AND completed_at IS NOT NULL").await, 2);
    assert_eq!(app.rows("tasks WHERE title = 'Call Carla' AND status = 'open'").await, 1);
    assert_eq!(app.logged("action = 'status_change' AND entity_type = 'task'").await, 2);

    let only_theirs = [("form[ids][0]", carla.as_str()), ("form[action]", "archive")];
    maria.call("/api/tasks/bulk", &only_theirs).await.assert_invalid(&["ids"]);
    let form = [
        ("form[ids][0]", ana.as_str()),
        ("form[ids][1]", carla.as_str()),
        ("form[action]", "archive"),
    ];
    done(&maria.call("/api/tasks/bulk", &form).await);
    assert_eq!(app.rows("tasks").await, 2, "only her own was deleted");
    assert_eq!(app.rows("tasks WHERE title = 'Call Carla'").await, 1);

    // Giving tasks to someone else is for admins.
    let james_id = app.user_id("james@kith.test").await;
    let assign = [
        ("form[ids][0]", bruno.as_str()),
        ("form[action]", "assign"),
        ("form[assignee]", &james_id),
    ];
    assert_eq!(maria.call_status("/api/tasks/bulk", &assign).await, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_gives_every_matching_task_to_someone_in_one_go() {
    let (app, admin) = TestApp::signed_in_as(ADMIN).await;
    for i in 0..30 {
        admin.new_task(&format!("Follow up {i:02}"), SOME_DAY, &[("priority", "high")]).await;
    }
    admin.new_task("Low one", SOME_DAY, &[("priority", "low")]).await;
    let list = admin.get("/tasks?priority=high").await;
    assert_eq!(table_rows(&list.body), 25, "one page of 25");
    assert!(list.body.contains("All 30 tasks that match"), "{}", list.body);

    let james = app.user_id("james@kith.test").await;
    let confirm = admin
        .get(&format!("/tasks/bulk?every=priority%3Dhigh&action=assign&assignee={james}"))
        .await;
    assert!(confirm.body.contains("Assign 30 tasks to James"), "{}", confirm.body);
    let form =
        [("form[every]", "priority=high"), ("form[action]", "assign"), ("form[assignee]", &james)];
    done(&admin.call("/api/tasks/bulk", &form).await);
    assert_eq!(
        app.rows(&format!("tasks WHERE priority = 'high' AND assignee_id = '{james}'")).await,
        30
    );
    assert_eq!(
        app.rows(&format!("tasks WHERE title = 'Low one' AND assignee_id = '{james}'")).await,
        0
    );
    assert_eq!(
        app.rows(&format!("notifications WHERE user_id = '{james}'")).await,
        30,
        "James is told"
    );

    let bad = [
        ("form[every]", "priority=high"),
        ("form[action]", "status"),
        ("form[status]", "finished"),
    ];
    admin.call("/api/tasks/bulk", &bad).await.assert_invalid(&["status"]);
    admin.call("/api/tasks/bulk", &[("form[action]", "archive")]).await.assert_invalid(&["ids"]);
}
