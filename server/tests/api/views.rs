//! Saved views: a person's own and the team's, who may share and forget them, and
//! what a view keeps of the list.

use crate::helpers::{Client, TestApp, ADMIN, JAMES, MARIA};
use axum::http::StatusCode;

async fn save(who: &Client, list: &str, name: &str, query: &str, shared: bool) -> StatusCode {
    let mut form = vec![("list", list), ("name", name), ("query", query)];
    if shared {
        form.push(("shared", "1"));
    }
    who.call("/api/views/save", &form).await.status
}

async fn views(who: &Client, list: &str) -> String {
    let res = who.call("/api/views/list", &[("list", list)]).await;
    res.assert_ok();
    res.body
}

fn saved(status: StatusCode) -> bool {
    status.is_success() || status.is_redirection()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_view_is_its_savers_own_and_a_shared_one_is_everyones() {
    let (app, [admin, maria, james]) = TestApp::signed_in_each([ADMIN, MARIA, JAMES]).await;
    assert!(saved(save(&maria, "leads", "My new ones", "?status=new&page=4", false).await));
    assert!(saved(save(&admin, "leads", "Won this year", "status=won&sort=created", true).await));

    let hers = views(&maria, "leads").await;
    assert!(hers.contains("My new ones") && hers.contains("Won this year"), "{hers}");
    assert!(hers.contains("\"query\":\"status=new\""), "the page is not kept: {hers}");
    let his = views(&james, "leads").await;
    assert!(!his.contains("My new ones") && his.contains("Won this year"), "{his}");
    assert!(!views(&maria, "customers").await.contains("My new ones"), "views are per list");

    // The list shows them as tabs, the one shown marked.
    let page = maria.get("/leads?status=new").await;
    assert!(page.body.contains("My new ones") && page.body.contains("aria-current=\"page\""));

    // Saving under the same name replaces the view.
    assert!(saved(save(&maria, "leads", "My new ones", "status=in_progress", false).await));
    assert_eq!(app.rows("saved_views WHERE name = 'My new ones'").await, 1);
    assert!(views(&maria, "leads").await.contains("status=in_progress"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agents_neither_share_nor_forget_the_teams_views_nor_anothers() {
    let (app, [admin, maria, james]) = TestApp::signed_in_each([ADMIN, MARIA, JAMES]).await;
    assert_eq!(
        save(&maria, "leads", "For everyone", "status=new", true).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.rows("saved_views").await, 0);

    assert!(saved(save(&admin, "tasks", "Overdue", "overdue=1", true).await));
    assert!(saved(save(&james, "tasks", "Mine", "status=open", false).await));
    let team: (String,) = app.one("SELECT id FROM saved_views WHERE name = 'Overdue'", None).await;
    let jamess: (String,) = app.one("SELECT id FROM saved_views WHERE name = 'Mine'", None).await;
    assert!(views(&maria, "tasks").await.contains("\"removable\":false"));
    for id in [&team.0, &jamess.0] {
        assert_eq!(
            maria.call_status("/api/views/forget", &[("id", id)]).await,
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(app.rows("saved_views").await, 2);

    assert!(saved(james.call_status("/api/views/forget", &[("id", &jamess.0)]).await));
    assert!(saved(admin.call_status("/api/views/forget", &[("id", &team.0)]).await));
    assert_eq!(app.rows("saved_views").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_view_without_a_name_or_of_no_list_is_refused() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    let form = [("list", "leads"), ("name", "  "), ("query", "status=new")];
    maria.call("/api/views/save", &form).await.assert_invalid(&["name"]);
    let long = "x".repeat(61);
    let form = [("list", "leads"), ("name", long.as_str()), ("query", "")];
    maria.call("/api/views/save", &form).await.assert_invalid(&["name"]);
    let form = [("list", "users"), ("name", "Team"), ("query", "")];
    maria.call("/api/views/save", &form).await.assert_invalid(&["list"]);
    maria.call("/api/views/list", &[("list", "nothing")]).await.assert_invalid(&["list"]);
    assert_eq!(app.rows("saved_views").await, 0);
}

async fn make_default(who: &Client, list: &str, id: Option<&str>) -> StatusCode {
    let mut form = vec![("list", list)];
    if let Some(id) = id {
        form.push(("id", id));
    }
    who.call_status("/api/views/default", &form).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_default_view_opens_with_the_bare_list_for_its_chooser_only() {
    let (app, [admin, maria, james]) = TestApp::signed_in_each([ADMIN, MARIA, JAMES]).await;
    assert!(saved(save(&maria, "leads", "Mine in progress", "status=in_progress", false).await));
    assert!(saved(save(&admin, "leads", "Won", "status=won", true).await));
    let (mine,): (String,) =
        app.one("SELECT id FROM saved_views WHERE name = 'Mine in progress'", None).await;
    let (team,): (String,) = app.one("SELECT id FROM saved_views WHERE name = 'Won'", None).await;

    // Nobody has a default yet: the bare list is the whole list.
    assert_eq!(maria.get("/leads").await.status, StatusCode::OK);
    assert!(saved(make_default(&maria, "leads", Some(&mine)).await));
    let opened = maria.get("/leads").await;
    assert!(opened.status.is_redirection(), "{:?}", opened.status);
    assert_eq!(opened.location(), Some("/leads?status=in_progress"));
    // "All" and any list with a query of its own are left as asked.
    assert_eq!(maria.get("/leads?view=all").await.status, StatusCode::OK);
    assert_eq!(maria.get("/leads?q=acme").await.status, StatusCode::OK);
    assert_eq!(maria.get("/customers").await.status, StatusCode::OK, "defaults are per list");
    assert_eq!(james.get("/leads").await.status, StatusCode::OK, "and per person");
    assert!(views(&maria, "leads").await.contains("\"default\":true"));

    // Another's own view cannot be one's default; the team's can.
    assert_eq!(make_default(&james, "leads", Some(&mine)).await, StatusCode::NOT_FOUND);
    assert_eq!(make_default(&james, "customers", Some(&team)).await, StatusCode::NOT_FOUND);
    assert!(saved(make_default(&james, "leads", Some(&team)).await));
    assert_eq!(james.get("/leads").await.location(), Some("/leads?status=won"));
    assert_eq!(app.rows("view_defaults").await, 2);

    // Forgetting a view, or choosing "All", ends it being anyone's default.
    assert!(saved(admin.call_status("/api/views/forget", &[("id", &team)]).await));
    assert_eq!(james.get("/leads").await.status, StatusCode::OK);
    assert!(saved(make_default(&maria, "leads", None).await));
    assert_eq!(maria.get("/leads").await.status, StatusCode::OK);
    assert_eq!(app.rows("view_defaults").await, 0);
}
