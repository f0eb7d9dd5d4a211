//! Bulk actions on the leads list: the confirmation page's counts, one
//! transaction, the viewer's scope, all that match beyond the page, export.

use super::*;

fn done(res: &crate::helpers::TestResponse) {
    assert!(res.status.is_success() || res.status.is_redirection(), "{}", res.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_moves_then_deletes_the_leads_they_ticked_after_a_confirmation() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    let ana = maria.create_lead(&[("name", "Ana Silva")]).await;
    let bruno = maria.create_lead(&[("name", "Bruno Costa")]).await;
    maria.create_lead(&[("name", "Carla Dias")]).await;

    let list = maria.get("/leads").await;
    assert!(list.body.contains("action=\"/leads/bulk\""), "the list has the bulk bar");
    let confirm = maria
        .get(&format!("/leads/bulk?ids={ana}&ids={bruno}&action=status&status=won&back=/leads"))
        .await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.body.contains("Move 2 leads to Closed Won?"), "{}", confirm.body);
    assert!(confirm.body.contains("Ana Silva") && confirm.body.contains("Bruno Costa"));
    assert_eq!(app.rows("leads WHERE status = 'won'").await, 0, "asking changes nothing");

    let form = [
        ("form[ids][0]", ana.as_str()),
        ("form[ids][1]", bruno.as_str()),
        ("form[action]", "status"),
        ("form[status]", "won"),
        ("form[back]", "/leads"),
    ];
    done(&maria.call("/api/leads/bulk", &form).await);
    assert_eq!(app.rows("leads WHERE status = 'won'").await, 2);
    assert_eq!(app.rows("leads WHERE name = 'Carla Dias' AND status = 'new'").await, 1);
    assert_eq!(app.logged("action = 'status_change'").await, 2, "each lead's history says so");

    let form = [("form[ids][0]", ana.as_str()), ("form[action]", "archive")];
    let confirm = maria.get(&format!("/leads/bulk?ids={ana}&action=archive")).await;
    assert!(confirm.body.contains("Delete 1 lead?"), "{}", confirm.body);
    done(&maria.call("/api/leads/bulk", &form).await);
    assert_eq!(app.rows("leads WHERE archived_at IS NOT NULL").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticked_lead_of_another_agent_is_neither_counted_nor_changed() {
    let (app, [maria, james]) = TestApp::signed_in_each([MARIA, JAMES]).await;
    let own = maria.create_lead(&[("name", "Ana Silva")]).await;
    let theirs = james.create_lead(&[("name", "Bruno Costa")]).await;

    let confirm = maria.get(&format!("/leads/bulk?ids={own}&ids={theirs}&action=archive")).await;
    assert!(confirm.body.contains("Delete 1 lead?"), "{}", confirm.body);
    assert!(!confirm.body.contains("Bruno Costa"));
    let form = [
        ("form[ids][0]", own.as_str()),
        ("form[ids][1]", theirs.as_str()),
        ("form[action]", "archive"),
    ];
    done(&maria.call("/api/leads/bulk", &form).await);
    assert_eq!(app.rows("leads WHERE name = 'Bruno Costa' AND archived_at IS NULL").await, 1);

    let only_theirs = [("form[ids][0]", theirs.as_str()), ("form[action]", "archive")];
    maria.call("/api/leads/bulk", &only_theirs).await.assert_invalid(&["ids"]);
    assert_eq!(app.rows("leads WHERE name = 'Bruno Costa' AND archived_at IS NULL").await, 1);

    // Assigning is for admins: an agent's attempt answers like a missing page.
    let james_id = app.user_id("james@kith.test").await;
    let assign =
        [("form[ids][0]", own.as_str()), ("form[action]", "assign"), ("form[assignee]", &james_id)];
    assert_eq!(maria.call_status("/api/leads/bulk", &assign).await, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_that_match_reaches_past_the_page_and_only_the_matching_leads() {
    let (app, admin) = TestApp::signed_in_as(ADMIN).await;
    for i in 0..30 {
        admin.create_lead(&[("name", &format!("Person {i:02}")), ("company", "Bulkwise")]).await;
    }
    admin.create_lead(&[("name", "Elsewhere Ltd"), ("company", "Other")]).await;
    let list = admin.get("/leads?q=bulkwise").await;
    assert_eq!(table_rows(&list.body), 25, "one page of 25");
    assert!(list.body.contains("All 30 leads that match"), "{}", list.body);

    let james = app.user_id("james@kith.test").await;
    let confirm =
        admin.get(&format!("/leads/bulk?every=q%3Dbulkwise&action=assign&assignee={james}")).await;
    assert!(confirm.body.contains("Assign 30 leads to James"), "{}", confirm.body);
    assert!(confirm.body.contains("and 20 more"), "ten names are shown");
    let form =
        [("form[every]", "q=bulkwise"), ("form[action]", "assign"), ("form[assignee]", &james)];
    done(&admin.call("/api/leads/bulk", &form).await);
    let moved = format!("leads WHERE company = 'Bulkwise' AND assignee_id = '{james}'");
    assert_eq!(app.rows(&moved).await, 30);
    assert_eq!(
        app.rows(&format!("leads WHERE name = 'Elsewhere Ltd' AND assignee_id = '{james}'")).await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_ticked_or_a_bad_choice_is_refused_and_changes_nothing() {
    let (app, admin) = TestApp::signed_in_as(ADMIN).await;
    let id = admin.create_lead(&[("name", "Ana Silva")]).await;

    let confirm = admin.get("/leads/bulk?action=archive&back=/leads").await;
    assert_eq!(confirm.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(confirm.body.contains("Tick the leads to change first"), "{}", confirm.body);
    admin.call("/api/leads/bulk", &[("form[action]", "archive")]).await.assert_invalid(&["ids"]);
    let bad_status =
        [("form[ids][0]", id.as_str()), ("form[action]", "status"), ("form[status]", "lost-ish")];
    admin.call("/api/leads/bulk", &bad_status).await.assert_invalid(&["status"]);
    let no_one =
        [("form[ids][0]", id.as_str()), ("form[action]", "assign"), ("form[assignee]", "")];
    admin.call("/api/leads/bulk", &no_one).await.assert_invalid(&["assignee"]);
    let unknown = [("form[ids][0]", id.as_str()), ("form[action]", "explode")];
    admin.call("/api/leads/bulk", &unknown).await.assert_invalid(&["action"]);
    assert_eq!(app.rows("leads WHERE status = 'new' AND archived_at IS NULL").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_ticked_downloads_only_those_leads_in_the_viewers_scope() {
    let (_app, [maria, james]) = TestApp::signed_in_each([MARIA, JAMES]).await;
    let ana = maria.create_lead(&[("name", "Ana Silva")]).await;
    maria.create_lead(&[("name", "Bruno Costa")]).await;
    let theirs = james.create_lead(&[("name", "Carla Dias")]).await;

    let csv = maria.get(&format!("/leads/export.csv?selected=1&ids={ana}&ids={theirs}")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.contains("Ana Silva"));
    assert!(!csv.body.contains("Bruno Costa") && !csv.body.contains("Carla Dias"), "{}", csv.body);
    let all = maria.get("/leads/export.csv?selected=1&every=q%3Dsilva").await;
    assert!(all.body.contains("Ana Silva") && !all.body.contains("Bruno Costa"), "{}", all.body);
    let nothing = maria.get("/leads/export.csv?selected=1").await;
    assert_eq!(nothing.status, StatusCode::UNPROCESSABLE_ENTITY);
}
