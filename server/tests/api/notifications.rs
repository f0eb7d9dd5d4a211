//! Notifications: who is told of what (assignments, @mentions, tasks falling due),
//! that nobody hears of their own doing, and that nobody reads or marks another's.

use crate::helpers::{Client, TestApp, ADMIN, JAMES, MARIA};
use axum::http::StatusCode;

const LATER: &str = "2030-01-01";

/// The viewer's notifications as the list call answers them (JSON).
async fn notices(who: &Client) -> String {
    let res = who.call("/api/notifications/list", &[]).await;
    res.assert_ok();
    res.body
}

fn unread(json: &str) -> i64 {
    let value: serde_json::Value = serde_json::from_str(json).expect("notifications JSON");
    value["unread"].as_i64().expect("an unread count")
}

fn done(status: StatusCode) -> bool {
    status.is_success() || status.is_redirection()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_given_by_someone_else_is_told_to_its_new_holder_and_nobody_hears_of_their_own() {
    let (app, [admin, maria, james]) = TestApp::signed_in_each([ADMIN, MARIA, JAMES]).await;
    let maria_id = app.user_id("maria@kith.test").await;
    let james_id = app.user_id("james@kith.test").await;

    maria.create_lead(&[("name", "Her Own Lead")]).await;
    assert_eq!(unread(&notices(&maria).await), 0, "her own lead tells her nothing");

    let lead = admin.create_lead(&[("name", "Given Lead"), ("assignee", &maria_id)]).await;
    let hers = notices(&maria).await;
    assert!(hers.contains("Given Lead") && hers.contains("\"kind\":\"Assigned\""), "{hers}");
    assert!(hers.contains("Dana Reyes"), "who gave it: {hers}");
    assert_eq!(unread(&hers), 1);
    assert_eq!(unread(&notices(&admin).await), 0, "the giver is told nothing");
    assert!(!notices(&james).await.contains("Given Lead"));

    // The bell on every page says how many are unread, and links to the list.
    let page = maria.get("/leads").await;
    assert!(page.body.contains("aria-label=\"Notifications, 1 unread\""), "{}", page.body);
    let list = maria.get("/notifications").await;
    assert!(list.body.contains(&format!("href=\"/leads/{lead}\"")), "{}", list.body);

    let res = admin
        .call(
            "/api/leads/assign",
            &[("ids[0]", &lead), ("assignee", &james_id), ("back", "/leads")],
        )
        .await;
    assert!(done(res.status), "{}", res.body);
    assert!(notices(&james).await.contains("Given Lead"), "reassigning tells the new holder");

    admin.new_task("Call back", LATER, &[("assignee", &james_id)]).await;
    let customer =
        admin.create_customer(&[("name", "Owned Customer"), ("assignee", &maria_id)]).await;
    let his = notices(&james).await;
    assert!(his.contains("Call back") && !his.contains("Owned Customer"), "{his}");
    assert!(notices(&maria).await.contains(&customer), "a customer given to her");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mention_in_a_note_tells_the_members_named_who_may_see_the_record_once() {
    let (app, [admin, maria, james]) = TestApp::signed_in_each([ADMIN, MARIA, JAMES]).await;
    let lead = maria.create_lead(&[("name", "Mentioned Co")]).await;
    let res = maria
        .add_note("lead", &lead, "@Dana can you call them? cc @James Chen, mail bob@maria.com")
        .await;
    assert!(done(res.status), "{}", res.body);

    let hers = notices(&admin).await;
    assert!(hers.contains("\"kind\":\"Mentioned\"") && hers.contains("Mentioned Co"), "{hers}");
    assert!(hers.contains("can you call them?"), "the note's start is shown: {hers}");
    assert!(hers.contains("Maria Lopez"), "{hers}");
    // James may not see Maria's lead: he is told nothing, not even its name.
    assert!(!notices(&james).await.contains("Mentioned Co"));
    assert_eq!(unread(&notices(&maria).await), 0, "mentioning yourself tells nobody");

    // Editing the note tells only those it newly names.
    let (note, version): (String, i64) =
        app.one("SELECT id, version FROM notes WHERE lead_id = $1", Some(&lead)).await;
    let body = "@Dana can you call them? @dana again";
    let res = maria
        .call(
            "/api/notes/edit",
            &[("id", &note), ("version", &version.to_string()), ("body", body)],
        )
        .await;
    assert!(done(res.status), "{}", res.body);
    assert_eq!(app.rows("notifications WHERE kind = 'mentioned'").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_reads_or_marks_another_members_notifications() {
    let (app, [admin, maria, james]) = TestApp::signed_in_each([ADMIN, MARIA, JAMES]).await;
    let maria_id = app.user_id("maria@kith.test").await;
    for name in ["First Given", "Second Given"] {
        admin.create_lead(&[("name", name), ("assignee", &maria_id)]).await;
    }
    let (hers,): (String,) =
        app.one("SELECT id FROM notifications WHERE label = 'First Given'", None).await;

    assert_eq!(
        james.call_status("/api/notifications/read", &[("id", &hers)]).await,
        StatusCode::NOT_FOUND
    );
    assert!(done(james.call_status("/api/notifications/read_all", &[]).await));
    assert!(!james.get("/notifications").await.body.contains("First Given"));
    assert_eq!(unread(&notices(&maria).await), 2, "James marked nothing of hers");

    assert!(done(maria.call_status("/api/notifications/read", &[("id", &hers)]).await));
    assert_eq!(unread(&notices(&maria).await), 1);
    assert!(done(maria.call_status("/api/notifications/read_all", &[]).await));
    let page = maria.get("/notifications").await;
    assert!(page.body.contains("Nothing unread.") && page.body.contains("Second Given"));
    assert_eq!(
        maria.call("/api/notifications/list", &[("before", "not-a-cursor")]).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_is_reminded_once_within_the_hour_before_it_falls_due_and_once_when_overdue() {
    let (app, [admin]) = TestApp::signed_in_each([ADMIN]).await;
    let maria_id = app.user_id("maria@kith.test").await;
    admin.new_task("Timed call", LATER, &[("assignee", &maria_id), ("due_time", "10:00")]).await;
    admin.new_task("Any time that day", LATER, &[("assignee", &maria_id)]).await;
    let (due_at,): (i64,) =
        app.one("SELECT due_at FROM tasks WHERE title = 'Timed call'", None).await;
    let remind =
        async |now| app::notifications::store::remind(&app.db, now).await.expect("a sweep");
    let assigned = app.rows("notifications").await;

    assert_eq!(remind(due_at - 2 * 3_600_000).await, 0, "not yet");
    assert_eq!(remind(due_at - 1_800_000).await, 1, "within the hour");
    assert_eq!(remind(due_at - 1_700_000).await, 0, "once");
    assert_eq!(remind(due_at + 60_000).await, 1, "overdue");
    assert_eq!(remind(due_at + 120_000).await, 0, "once");
    let kinds =
        app.rows("notifications WHERE label = 'Timed call' AND kind IN ('due_soon', 'overdue')");
    assert_eq!(kinds.await, 2);
    // A task due on a day, not at a time, is reminded when the day is over, not before.
    assert_eq!(app.rows("notifications WHERE label = 'Any time that day'").await, 1);
    assert_eq!(app.rows("notifications").await, assigned + 2);
}
