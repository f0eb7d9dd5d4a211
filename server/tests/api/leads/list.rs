//! The leads list: who sees which, search, filters, sort and pages.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_sees_and_finds_only_their_own_leads() {
    let (app, [maria, james]) = TestApp::signed_in_each([MARIA, JAMES]).await;
    maria.create_lead(&[("name", "Ana Silva"), ("company", "Acme")]).await;
    james.create_lead(&[("name", "Bruno Costa"), ("company", "Acme")]).await;

    let list = maria.get("/leads").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Ana Silva"));
    assert!(!list.body.contains("Bruno Costa"));
    let search = maria.get("/leads?q=acme").await;
    assert_eq!(table_rows(&search.body), 1, "the search is scoped too");

    let admin = app.signed_in(ADMIN).await;
    assert_eq!(table_rows(&admin.get("/leads?q=ACME").await.body), 2, "admins see everyone's");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_agents_lead_answers_like_a_missing_one() {
    let (app, james) = TestApp::signed_in_as(JAMES).await;
    let id = james.create_lead(&[("name", "Bruno Costa")]).await;
    let maria = app.signed_in(MARIA).await;

    let page = maria.get(&format!("/leads/{id}")).await;
    let missing = maria.get("/leads/01900000-0000-7000-8000-000000000000").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(!page.body.contains("Bruno Costa"));

    let call = maria.call("/api/leads/get", &[("id", &id)]).await;
    assert_eq!(call.status, StatusCode::NOT_FOUND);
    assert!(!call.body.contains("Bruno"));

    let edit = maria.update(&LEADS, &id, "1", &[("name", "Hijacked"), ("status", "won")]).await;
    assert_eq!(edit.status, StatusCode::NOT_FOUND);
    assert_eq!(
        maria.call_status("/api/leads/archive", &[("id", &id)]).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.rows("leads WHERE name = 'Bruno Costa' AND archived_at IS NULL").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_is_a_case_insensitive_substring_over_name_email_and_company() {
    let (_app, admin) = TestApp::signed_in_as(ADMIN).await;
    admin.create_lead(&[("name", "Ana Silva"), ("email", "ana@northwind.example")]).await;
    admin.create_lead(&[("name", "Bruno Costa"), ("company", "NorthWind Traders")]).await;
    admin.create_lead(&[("name", "Carla Dias"), ("company", "100% Organic")]).await;

    assert_eq!(table_rows(&admin.get("/leads?q=NORTHWIND").await.body), 2);
    assert_eq!(table_rows(&admin.get("/leads?q=silva").await.body), 1);
    assert_eq!(table_rows(&admin.get("/leads?q=100%25").await.body), 1, "% matches literally");
    assert_eq!(table_rows(&admin.get("/leads?q=%25").await.body), 1);
    assert_eq!(table_rows(&admin.get("/leads?q=_").await.body), 0, "_ matches literally");
    assert_eq!(table_rows(&admin.get("/leads?q=di").await.body), 1, "two letters");
    assert_eq!(
        table_rows(&admin.get("/leads?q=silva%20ana%40north").await.body),
        1,
        "a substring across fields"
    );

    let quoted = admin.create_lead(&[("name", "Dana \"DJ\" Price")]).await;
    assert_eq!(table_rows(&admin.get("/leads?q=%22dj%22").await.body), 1);
    let renamed = admin.update(&LEADS, &quoted, "1", &[("name", "Dana Okoro")]).await;
    renamed.assert_ok();
    assert_eq!(table_rows(&admin.get("/leads?q=price").await.body), 0, "the old name is forgotten");
    assert_eq!(table_rows(&admin.get("/leads?q=okoro").await.body), 1);
}

/// The lead ids a list page shows, in order.
fn listed_ids(html: &str) -> Vec<String> {
    let body = html.split("<tbody>").nth(1).unwrap_or_default();
    body.split("href=\"/leads/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

/// What a page of a search must show, straight from the table.
async fn expected_page(app: &TestApp, term: &str, order: &str, offset: i64) -> Vec<String> {
    let sql = format!(
        "SELECT id FROM leads WHERE archived_at IS NULL AND search_text LIKE $1 \
         ORDER BY {order} LIMIT 25 OFFSET {offset}"
    );
    let rows: Vec<(String,)> = sqlx::query_as(&sql)
        .bind(format!("%{term}%"))
        .fetch_all(&app.db.pool)
        .await
        .expect("expected page");
    rows.into_iter().map(|(id,)| id).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broad_and_narrow_searches_page_through_the_right_leads_in_order() {
    let app = TestApp::new().await;
    kith_server::seed::seed_leads(&app.db, 2000, 30, 7, false).await.expect("seed");
    let admin = app.signed_in(ADMIN).await;
    // Every generated email ends in ".example"; only some names are Silva.
    for (term, url, order, offset) in [
        ("example", "/leads?q=example&page=3", "created_at DESC, id DESC", 50),
        ("example", "/leads?q=Example&sort=name&dir=asc&page=2", "name ASC, id ASC", 25),
        ("silva", "/leads?q=silva&page=2", "created_at DESC, id DESC", 25),
        ("silva", "/leads?q=silva&sort=company&dir=desc", "company DESC, id DESC", 0),
    ] {
        let expected = expected_page(&app, term, order, offset).await;
        assert!(!expected.is_empty(), "{url}");
        assert_eq!(listed_ids(&admin.get(url).await.body), expected, "{url}");
    }
    let matches = app.rows("leads WHERE search_text LIKE '%silva%'").await;
    let page = admin.get("/leads?q=silva").await.body;
    assert!(page.contains(&format!("· {matches} in all")), "total of {matches}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_filters_sorts_and_paginates_from_the_url() {
    let (_app, admin) = TestApp::signed_in_as(ADMIN).await;
    for (i, status) in ["new", "won", "won", "lost", "in_progress", "won"].iter().enumerate() {
        admin.create_lead(&[("name", &format!("Lead {i}")), ("status", status)]).await;
    }
    let won = admin.get("/leads?status=won").await;
    assert_eq!(table_rows(&won.body), 3);
    assert!(won.body.contains("3 in all"));

    let first = admin.get("/leads?sort=name&dir=asc&per_page=10").await;
    assert_in_order(&first.body, &["Lead 0", "Lead 5"], "sorted by name ascending");

    let paged = admin.get("/leads?sort=name&dir=asc&per_page=10&page=1").await;
    assert_eq!(table_rows(&paged.body), 6);
    let past_the_end = admin.get("/leads?page=99").await;
    assert_eq!(past_the_end.status, StatusCode::OK);
    assert_eq!(table_rows(&past_the_end.body), 0);
    let nonsense =
        admin.get("/leads?page=-1&per_page=100000&sort=password_hash&status=bogus").await;
    assert_eq!(nonsense.status, StatusCode::OK, "bad parameters fall back to defaults");
    assert_eq!(table_rows(&nonsense.body), 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_big_search_counts_so_far_and_says_there_are_more_while_lists_count_exactly() {
    let app = TestApp::new().await;
    kith_server::seed::seed_leads(&app.db, 10_050, 30, 7, false).await.expect("seed");
    let admin = app.signed_in(ADMIN).await;
    let page = |query: &'static str| {
        let admin = admin.clone();
        async move {
            let res = admin.call("/api/leads/list", &[("query", query)]).await;
            res.assert_ok();
            serde_json::from_str::<serde_json::Value>(&res.body).expect("json")
        }
    };
    // Every generated email ends in ".example": the search matches them all.
    let all = page("q=example").await;
    let cap = app::sql::SEARCH_COUNT_CAP;
    assert_eq!(all["total"], cap, "counted as far as a search's cap");
    assert_eq!(all["more"], true);
    assert_eq!(all["rows"].as_array().map(Vec::len), Some(25));
    let html = admin.get("/leads?q=example").await.body;
    assert!(html.contains(&format!("more than {cap} in all")), "the pager says there are more");
    // The whole list and its filters are counted exactly, from the kept counts.
    let live = app.rows("leads WHERE archived_at IS NULL").await;
    assert!(live > 10_000, "{live}");
    let whole = page("").await;
    assert_eq!(whole["total"], live);
    assert_eq!(whole["more"], false);
    assert!(admin.get("/leads").await.body.contains(&format!("· {live} in all")));
    let (exact,): (i64,) = app
        .one("SELECT COUNT(*) FROM leads WHERE status = 'won' AND archived_at IS NULL", None)
        .await;
    assert!(exact > 0 && exact < 10_000, "{exact}");
    let won = page("status=won").await;
    assert_eq!(won["total"], exact);
    assert_eq!(won["more"], false);
}
