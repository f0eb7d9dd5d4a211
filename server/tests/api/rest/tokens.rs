//! Personal tokens and the API's reads: made on the tokens page and shown once,
//! kept hashed, refused once revoked, expired or their owner deactivated; every
//! answer scoped as the pages are, lists a cursor at a time.

use super::{api_get, is_problem, json};
use crate::helpers::{TestApp, ADMIN, JAMES, MARIA};
use axum::http::{header, StatusCode};

#[tokio::test]
async fn a_token_made_on_the_profile_reaches_the_api_as_its_owner_until_revoked() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    let own = maria.create_lead(&[("name", "Maria's Lead"), ("email", "ml@example.com")]).await;
    let james = app.signed_in(JAMES).await;
    let other = james.create_lead(&[("name", "James's Lead")]).await;
    let token = maria.make_token("Website sync", "read").await;
    assert_eq!(app.rows(&format!("api_tokens WHERE token_hash = '{token}'")).await, 0, "hashed");
    assert_eq!(app.logged("action = 'token_create' AND label = 'Website sync'").await, 1);

    // No token, a wrong one, or only the session cookie: 401 with a challenge.
    let anonymous = app.client().get("/api/v1/leads").await;
    is_problem(&anonymous, StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.headers[header::WWW_AUTHENTICATE], "Bearer");
    is_problem(&api_get(&app, "/api/v1/leads", "kith_not-a-token").await, StatusCode::UNAUTHORIZED);
    is_problem(&maria.get("/api/v1/leads").await, StatusCode::UNAUTHORIZED);

    // The token sees what Maria sees: her lead, not James's (404 as if missing).
    let list = api_get(&app, "/api/v1/leads", &token).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let ids: Vec<String> = json(&list)["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|l| l["id"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(ids, std::slice::from_ref(&own));
    let lead = api_get(&app, &format!("/api/v1/leads/{own}"), &token).await;
    assert_eq!(lead.status, StatusCode::OK, "{}", lead.body);
    assert_eq!(lead.headers[header::ETAG], "\"1\"");
    let body = json(&lead);
    assert_eq!(
        (body["status"].as_str(), body["email"].as_str()),
        (Some("new"), Some("ml@example.com"))
    );
    assert!(body["created_at"].as_str().is_some_and(|t| t.ends_with('Z')), "{body}");
    is_problem(
        &api_get(&app, &format!("/api/v1/leads/{other}"), &token).await,
        StatusCode::NOT_FOUND,
    );
    let missing = api_get(&app, "/api/v1/leads/no-such-lead", &token).await;
    assert_eq!(
        json(&missing),
        json(&api_get(&app, &format!("/api/v1/leads/{other}"), &token).await)
    );

    // Its first use is logged once, and its last use shown.
    assert_eq!(app.logged("action = 'token_first_use'").await, 1);
    let (used, from): (Option<i64>, Option<String>) = app
        .one(
            "SELECT last_used_at, last_used_from FROM api_tokens WHERE name = $1",
            Some("Website sync"),
        )
        .await;
    assert!(used.is_some() && from.as_deref() == Some("203.0.113.7"), "{from:?}");

    // Revoked on the page: refused from then on.
    let (id,): (String,) =
        app.one("SELECT id FROM api_tokens WHERE name = $1", Some("Website sync")).await;
    let res = maria.call("/api/tokens/revoke", &[("id", &id)]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    is_problem(&api_get(&app, "/api/v1/leads", &token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.logged("action = 'token_revoke'").await, 1);
    // Another agent cannot revoke it, nor learn it exists.
    let res = james.call("/api/tokens/revoke", &[("id", &id)]).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "{}", res.body);
}

#[tokio::test]
async fn deactivating_the_owner_or_the_expiry_date_ends_a_token_and_admins_see_everyones() {
    let (app, [admin, maria]) = TestApp::signed_in_each([ADMIN, MARIA]).await;
    let token = maria.make_token("Zap", "write").await;
    let kept = maria.make_token("Sheet", "read").await;
    assert_eq!(api_get(&app, "/api/v1/leads", &token).await.status, StatusCode::OK);

    // An admin sees everyone's tokens and may revoke them.
    let page = admin.get("/profile/tokens").await;
    assert!(
        page.body.contains("Everyone&#x27;s tokens") || page.body.contains("Everyone's tokens")
    );
    assert!(page.body.contains("Zap") && page.body.contains("Maria"), "{}", page.body);
    assert!(!maria.get("/profile/tokens").await.body.contains("Everyone"), "agents see their own");

    sqlx::query("UPDATE api_tokens SET expires_at = 1 WHERE name = 'Sheet'")
        .execute(&app.db.pool)
        .await
        .expect("expire");
    is_problem(&api_get(&app, "/api/v1/leads", &kept).await, StatusCode::UNAUTHORIZED);

    app.deactivate("maria@kith.test").await;
    is_problem(&api_get(&app, "/api/v1/leads", &token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.rows("api_tokens WHERE revoked_at IS NULL AND name = 'Zap'").await, 0);
}

#[tokio::test]
async fn a_list_is_read_a_cursor_at_a_time_without_repeats_when_leads_are_added_meanwhile() {
    let (app, admin) = TestApp::signed_in_as(ADMIN).await;
    let token = admin.make_token("Export", "read").await;
    for i in 0..5 {
        admin.create_lead(&[("name", &format!("Paged {i}")), ("company", "Paging Co")]).await;
    }
    let mut seen = Vec::new();
    let mut path = "/api/v1/leads?q=paging&limit=2".to_owned();
    loop {
        let res = api_get(&app, &path, &token).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let page = json(&res);
        assert_eq!(page["total"], 5 + if seen.is_empty() { 0 } else { 1 }, "{page}");
        seen.extend(page["data"].as_array().expect("data").iter().map(|l| l["name"].to_string()));
        if seen.len() == 2 {
            // A lead added now goes before the first page: the pages after do not shift.
            admin.create_lead(&[("name", "Late One"), ("company", "Paging Co")]).await;
        }
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/leads?cursor={cursor}&limit=2"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 5, "{seen:?}");
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 5, "no lead twice: {seen:?}");

    for bad in ["limit=0", "limit=101", "status=maybe", "dir=up", "cursor=%21%21"] {
        let res = api_get(&app, &format!("/api/v1/leads?{bad}"), &token).await;
        is_problem(&res, StatusCode::UNPROCESSABLE_ENTITY);
        let field = bad.split('=').next().unwrap_or_default();
        assert_eq!(json(&res)["errors"][0]["field"], field, "{}", res.body);
    }
}
