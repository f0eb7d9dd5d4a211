//! The activity log through the real router: who sees which entries, its
//! filters and pages, and that entries are only ever added, with the change
//! they describe or not at all.

use crate::client::table_rows;
use crate::helpers::{Client, TestApp, ADMIN, JAMES, MARIA};
use app::activity::ActivityPage;
use axum::http::StatusCode;

async fn log(client: &Client, query: &str) -> ActivityPage {
    let res = client.call("/api/activity/list", &[("query", query)]).await;
    res.assert_ok();
    serde_json::from_str(&res.body).expect("a page of activity")
}

fn labels(page: &ActivityPage) -> Vec<&str> {
    page.rows.iter().map(|e| e.label.as_str()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agents_see_entries_on_their_records_and_their_own_actions_and_admins_see_all() {
    let (app, [maria, james, admin]) = TestApp::signed_in_each([MARIA, JAMES, ADMIN]).await;
    let maria_id = app.user_id(MARIA.0).await;
    maria.create_lead(&[("name", "Maria's lead")]).await;
    james.create_lead(&[("name", "James's lead")]).await;
    james.create_customer(&[("name", "James's customer")]).await;
    // An admin's change to Maria's lead is about her record: she sees it.
    let handed = admin.create_lead(&[("name", "Handed to Maria"), ("assignee", &maria_id)]).await;
    admin.call("/api/leads/archive", &[("id", &handed)]).await;

    let theirs = log(&maria, "type=lead").await;
    let mut seen = labels(&theirs);
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen, ["Handed to Maria", "Maria's lead"]);
    assert!(log(&maria, "type=customer").await.rows.is_empty());
    let signed_in = log(&maria, "action=sign_in").await;
    assert!(signed_in.rows.iter().all(|e| e.actor_name == "Maria Lopez"), "only her own sign-ins");
    assert!(!signed_in.rows.is_empty());

    let everyone = log(&admin, "type=lead").await;
    assert!(labels(&everyone).contains(&"James's lead"));
    let by_james = log(&admin, &format!("actor={}", app.user_id(JAMES.0).await)).await;
    assert!(by_james.rows.iter().all(|e| e.actor_name == "James Chen"));
    assert_eq!(labels(&by_james).iter().filter(|l| l.starts_with("James's")).count(), 2);
    // The actor filter is for admins; an agent's is ignored, not widened.
    let ignored = log(&maria, &format!("actor={}&type=lead", app.user_id(JAMES.0).await)).await;
    assert_eq!(ignored.total, theirs.total);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_filters_by_action_and_day_and_pages_through_the_rest() {
    let (_app, admin) = TestApp::signed_in_as(ADMIN).await;
    for n in 0..12 {
        admin.create_lead(&[("name", &format!("Lead {n:02}"))]).await;
    }
    let created = log(&admin, "action=create&type=lead&per_page=10").await;
    assert_eq!(created.total, 12);
    assert_eq!(created.rows.len(), 10);
    assert_eq!(created.rows[0].label, "Lead 11", "newest first");
    let second = log(&admin, "action=create&type=lead&per_page=10&page=2").await;
    assert_eq!(labels(&second), ["Lead 01", "Lead 00"]);

    let today = chrono::Utc::now().date_naive();
    let yesterday = today.pred_opt().expect("a day before");
    let on_today = log(&admin, &format!("action=create&type=lead&from={today}&to={today}")).await;
    assert_eq!(on_today.total, 12);
    let before = log(&admin, &format!("action=create&to={yesterday}")).await;
    assert_eq!(before.total, 0);

    // The page itself, without JavaScript: a GET form whose state is the URL.
    let page = admin.get("/activity?action=create&type=lead&per_page=10&page=2").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(table_rows(&page.body), 2);
    assert!(page.body.contains("Page 2 of 2 · 12 in all"), "{}", page.body);
    assert!(page.body.contains("<option value=\"create\" selected"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entries_can_be_added_but_never_changed_or_removed() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    maria.create_lead(&[("name", "Kept forever")]).await;
    let before = app.rows("activity").await;
    for statement in [
        "UPDATE activity SET label = 'rewritten'",
        "DELETE FROM activity",
        "DELETE FROM activity WHERE action = 'create'",
    ] {
        let refused = sqlx::query(statement).execute(&app.db.pool).await;
        assert!(refused.is_err(), "{statement} must be refused");
    }
    assert_eq!(app.rows("activity").await, before);
    assert_eq!(app.rows("activity WHERE label = 'Kept forever'").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_change_leaves_no_entry() {
    let (app, [maria, james]) = TestApp::signed_in_each([MARIA, JAMES]).await;
    let id = maria.create_lead(&[("name", "Ana")]).await;
    let before = app.rows("activity").await;

    let base = [
        ("id", id.as_str()),
        ("email", ""),
        ("phone", ""),
        ("company", ""),
        ("source", ""),
        ("status", "won"),
        ("notes", ""),
    ];
    let stale = [&base[..], &[("version", "7"), ("name", "Ana B")]].concat();
    assert_eq!(maria.call_status("/api/leads/update", &stale).await, StatusCode::CONFLICT);
    let invalid = [&base[..], &[("version", "1"), ("name", "")]].concat();
    assert_eq!(
        maria.call_status("/api/leads/update", &invalid).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let not_theirs = [&base[..], &[("version", "1"), ("name", "Taken")]].concat();
    assert_eq!(james.call_status("/api/leads/update", &not_theirs).await, StatusCode::NOT_FOUND);
    assert_eq!(app.rows("activity").await, before);
    assert_eq!(app.rows("leads WHERE status = 'won'").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_signing_out_and_failed_attempts_are_logged() {
    let (app, client) = TestApp::anonymous().await;
    client.sign_in(MARIA.0, "not her password").await;
    client.sign_in(MARIA.0, MARIA.1).await;
    client.call("/api/logout", &[]).await;
    let admin = app.signed_in(ADMIN).await;
    for (action, label) in [("sign_in_failed", MARIA.0), ("sign_out", "Maria Lopez")] {
        let page = log(&admin, &format!("action={action}")).await;
        assert_eq!(page.total, 1, "{action}");
        assert_eq!(page.rows[0].label, label, "{action}");
    }
    let sign_ins = log(&admin, "action=sign_in&type=user").await;
    assert_eq!(sign_ins.total, 2, "Maria's, then the admin's");

    // Maria sees the failed attempt on her account; James, whose account it was not, does not.
    let maria = app.signed_in(MARIA).await;
    assert_eq!(log(&maria, "action=sign_in_failed").await.total, 1);
    let james = app.signed_in(JAMES).await;
    assert_eq!(log(&james, "action=sign_in_failed").await.total, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_log_is_counted_up_to_ten_thousand_and_still_pages_on() {
    let app = TestApp::new().await;
    let maria_id = app.user_id(MARIA.0).await;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10005) \
         INSERT INTO activity (id, at, actor_id, actor_name, action, entity_type, entity_id, label) \
         SELECT 'bulk-' || i, i, $1, 'Maria Lopez', 'update', 'lead', 'gone-' || i, 'Old lead' FROM n",
    )
    .bind(&maria_id)
    .execute(&app.db.pool)
    .await
    .expect("a long history");
    let maria = app.signed_in(MARIA).await;
    let page = log(&maria, "action=update&per_page=100").await;
    assert_eq!((page.total, page.more), (10_000, true));
    let last_counted = log(&maria, "action=update&per_page=100&page=100").await;
    assert_eq!(last_counted.rows.len(), 100);
    let beyond = log(&maria, "action=update&per_page=100&page=101").await;
    assert_eq!(beyond.rows.len(), 5, "the pages past the count are still there");
    let html = maria.get("/activity?action=update&per_page=100&page=100").await.body;
    assert!(html.contains("more than 10000 in all"), "{html}");
    assert!(html.contains("rel=\"next\""));
}
