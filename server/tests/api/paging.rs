//! Paging by a neighbour's place ("Next" and "Previous" carry the last or first
//! row's place in the order) lists exactly the rows that counting from the
//! start lists, and in the order the database sorts them: every sort of every
//! list, both directions, with ties in the sorted column.

use crate::client::{form_with, table_rows, LEADS};
use crate::helpers::{Client, TestApp, ADMIN, JAMES, MARIA};
use axum::http::StatusCode;

/// The ids of the records a list page's table links to (`/leads/ID`), in order.
fn listed(html: &str, path: &str) -> Vec<String> {
    let body = html
        .split("<tbody>")
        .nth(1)
        .and_then(|rest| rest.split("</tbody>").next())
        .unwrap_or_default();
    let mut ids: Vec<String> = body
        .split(&format!("href=\"{path}/"))
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect();
    ids.dedup();
    ids
}

/// The page's link marked `rel` ("next" or "prev"), as a path.
fn link(html: &str, rel: &str) -> Option<String> {
    let nav = html.split("class=\"pagination\"").nth(1)?;
    let anchor = nav.split("<a ").skip(1).find(|a| a.contains(&format!("rel=\"{rel}\"")))?;
    let href = anchor.split("href=\"").nth(1)?.split('"').next()?;
    Some(href.replace("&amp;", "&"))
}

/// The pages from `url` on, following each page's `rel` link to the end, and
/// the last page's URL.
async fn follow(client: &Client, url: &str, path: &str, rel: &str) -> (Vec<Vec<String>>, String) {
    let mut pages = Vec::new();
    let mut url = url.to_owned();
    loop {
        let res = client.get(&url).await;
        assert_eq!(res.status, StatusCode::OK, "{url}");
        pages.push(listed(&res.body, path));
        match link(&res.body, rel) {
            Some(next) => url = next,
            None => return (pages, url),
        }
        assert!(pages.len() < 50, "{url} pages on and on");
    }
}

/// The pages of `list` (a URL with its query) by number, 1 to `count`.
async fn numbered(client: &Client, list: &str, path: &str, count: usize) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    for n in 1..=count {
        let res = client.get(&format!("{list}&page={n}")).await;
        pages.push(listed(&res.body, path));
    }
    pages
}

/// The ids `sql` selects, in its order.
async fn ids(app: &TestApp, sql: &str) -> Vec<String> {
    let rows: Vec<(String,)> =
        sqlx::query_as(sql).fetch_all(&app.db.pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    rows.into_iter().map(|(id,)| id).collect()
}

/// Checks that list `list` (with `per_page=10`) pages forward, back and by
/// number through exactly the rows `expected` gives, in its order.
async fn pages_through(client: &Client, list: &str, path: &str, expected: &[String]) {
    let (forward, last) = follow(client, list, path, "next").await;
    let pages = expected.len().div_ceil(10);
    assert_eq!(forward.len(), pages, "{list}: one page per ten rows");
    assert_eq!(forward.concat(), expected, "{list}: Next after Next");
    assert_eq!(
        numbered(client, list, path, pages).await,
        forward,
        "{list}: the same pages by number"
    );
    // From the last page, reached by Next, back to the first by Previous.
    let (mut backward, first) = follow(client, &last, path, "prev").await;
    backward.reverse();
    assert_eq!(backward, forward, "{list}: Previous before Previous");
    assert!(!first.contains("after=") && !first.contains("before="), "{first}");
}

/// Checks `pages_through` for list `path` in each of `sorts` (the sort's name
/// and its SQL order, `{d}` standing for the direction), both directions,
/// against the `rows` ids `select` (the list's query without its order) gives.
async fn every_sort(
    client: &Client,
    path: &str,
    app: &TestApp,
    select: &str,
    sorts: &[(&str, &str)],
    rows: usize,
) {
    for (sort, columns) in sorts {
        for dir in ["asc", "desc"] {
            let order = columns.replace("{d}", dir);
            let expected = ids(app, &format!("{select} ORDER BY {order}")).await;
            assert_eq!(expected.len(), rows, "{sort} {dir}");
            let list = format!("{path}?sort={sort}&dir={dir}&per_page=10");
            pages_through(client, &list, path, &expected).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lead_pages_follow_the_order_of_every_sort_both_ways_with_ties() {
    let (app, admin) = TestApp::signed_in_as(ADMIN).await;
    // A second "Maria Lopez": the assignee sort keeps each one's leads together.
    let res =
        admin.create_user("Maria Lopez", "maria2@kith.test", "agent", "another-agent-pass").await;
    res.assert_ok();
    let agents = [
        app.signed_in(MARIA).await,
        app.signed_in(JAMES).await,
        app.signed_in(("maria2@kith.test", "another-agent-pass")).await,
    ];
    let names = ["Ana Silva", "Bruno Costa", "Ana Silva", "Carla Dias"];
    let statuses = ["new", "won", "in_progress", "lost", "new"];
    for i in 0..33 {
        let name = names[i % names.len()];
        let company = if i % 2 == 0 { "Acme" } else { "Globex" };
        agents[i % agents.len()]
            .create_lead(&[
                ("name", name),
                ("company", company),
                ("status", statuses[i % statuses.len()]),
            ])
            .await;
    }
    // Ties in the dates too: a third of the leads share one moment.
    app.db
        .execute("UPDATE leads SET created_at = 1767225600000, updated_at = 1767225600000 WHERE company = 'Acme'")
        .await
        .expect("ties");

    every_sort(
        &admin,
        "/leads",
        &app,
        "SELECT l.id FROM leads l JOIN users u ON u.id = l.assignee_id WHERE l.archived_at IS NULL",
        &[
            ("name", "l.name {d}, l.id {d}"),
            ("company", "l.company {d}, l.id {d}"),
            ("status", "l.status {d}, l.created_at {d}, l.id {d}"),
            ("assignee", "u.name {d}, l.assignee_id {d}, l.id {d}"),
            ("created", "l.created_at {d}, l.id {d}"),
            ("updated", "l.updated_at {d}, l.id {d}"),
        ],
        33,
    )
    .await;

    // An agent's list, whole and searched, pages the same way.
    let maria_id = app.user_id(MARIA.0).await;
    for (list, narrower) in [
        ("/leads?sort=name&dir=desc&per_page=10", ""),
        ("/leads?q=globex&sort=company&dir=asc&per_page=10", "AND company = 'Globex'"),
    ] {
        let expected = ids(
            &app,
            &format!(
                "SELECT id FROM leads WHERE archived_at IS NULL AND assignee_id = '{maria_id}' \
                 {narrower} ORDER BY {}",
                if narrower.is_empty() { "name DESC, id DESC" } else { "company ASC, id ASC" }
            ),
        )
        .await;
        assert!(!expected.is_empty(), "{list}");
        pages_through(&agents[0], list, "/leads", &expected).await;
    }
}

/// Searches that match more than a search counts: one whose matches the filters mostly
/// drop (each match is looked up) and one whose matches are most of what the filters keep
/// (the list's order is walked) page through exactly the rows they match.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn searches_past_the_count_cap_page_like_the_rows_they_match() {
    let (app, admin) = TestApp::signed_in_as(ADMIN).await;
    kith_server::seed::seed_leads(&app.db, 3_000, 30, 11, false).await.expect("seed");
    let live = "SELECT id FROM leads WHERE archived_at IS NULL";
    for (list, narrower, order) in [
        ("/leads?q=silva", "", "created_at DESC, id DESC"),
        ("/leads?q=example&status=lost", "AND status = 'lost'", "created_at DESC, id DESC"),
        ("/leads?q=example&status=lost&sort=name&dir=asc", "AND status = 'lost'", "name, id"),
    ] {
        let term = list.split("q=").nth(1).and_then(|q| q.split('&').next()).unwrap_or_default();
        let expected = ids(
            &app,
            &format!("{live} AND search_text LIKE '%{term}%' {narrower} ORDER BY {order}"),
        )
        .await;
        let cap = usize::try_from(app::sql::SEARCH_COUNT_CAP).expect("cap");
        assert!(expected.len() > cap && expected.len() < 500, "{list}: {}", expected.len());
        pages_through(&admin, &format!("{list}&per_page=10"), "/leads", &expected).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn task_pages_follow_the_order_of_every_sort_both_ways_with_ties() {
    let (app, admin) = TestApp::signed_in_as(ADMIN).await;
    let priorities = ["high", "medium", "low", "medium"];
    let statuses = ["open", "in_progress", "open"];
    let days = ["2030-01-10", "2030-01-11", "2030-01-10", "2030-01-12", "2030-01-13"];
    for i in 0..27 {
        let title = format!("Task {}", i % 4);
        admin
            .new_task(
                &title,
                days[i % days.len()],
                &[
                    ("priority", priorities[i % priorities.len()]),
                    ("status", statuses[i % statuses.len()]),
                ],
            )
            .await;
    }
    let priority = "CASE priority WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END";
    let status = "CASE status WHEN 'open' THEN 1 WHEN 'in_progress' THEN 2 ELSE 3 END";
    let priority_order = format!("{priority} {{d}}, due_at ASC, id ASC");
    let status_order = format!("{status} {{d}}, due_at ASC, id ASC");
    every_sort(
        &admin,
        "/tasks",
        &app,
        "SELECT id FROM tasks WHERE status <> 'done'",
        &[
            ("due", "due_at {d}, id {d}"),
            ("title", "title {d}, id {d}"),
            ("priority", &priority_order),
            ("status", &status_order),
        ],
        27,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customer_and_activity_pages_follow_their_order_both_ways() {
    let (app, [admin, maria]) = TestApp::signed_in_each([ADMIN, MARIA]).await;
    for i in 0..24 {
        let who = if i % 2 == 0 { &admin } else { &maria };
        let name = ["Ana Silva", "Bruno Costa", "Ana Silva"][i % 3];
        who.create_customer(&[("name", name), ("company", "Acme")]).await;
    }
    every_sort(
        &admin,
        "/customers",
        &app,
        "SELECT c.id FROM customers c JOIN users u ON u.id = c.owner_id WHERE c.archived_at IS NULL",
        &[
            ("name", "c.name {d}, c.id {d}"),
            ("owner", "u.name {d}, c.owner_id {d}, c.id {d}"),
            ("created", "c.created_at {d}, c.id {d}"),
        ],
        24,
    )
    .await;
    // The activity log: newest first, one entry per customer created.
    let expected = ids(
        &app,
        "SELECT entity_id FROM activity WHERE entity_type = 'customer' ORDER BY at DESC, id DESC",
    )
    .await;
    assert_eq!(expected.len(), 24);
    pages_through(&admin, "/activity?type=customer&per_page=10", "/customers", &expected).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_place_that_does_not_fit_the_order_is_ignored_not_an_error() {
    let (_app, admin) = TestApp::signed_in_as(ADMIN).await;
    admin.create_lead(&[("name", "Ana Silva")]).await;
    for query in [
        "after=%5B%22x%22%5D",
        "after=%5B1%2C2%2C3%2C4%2C5%5D",
        "before=%5B%22Ana%22%2C%22x%22%5D&sort=created",
        "after=%5B%22Ana%22%2C7%5D&sort=name",
        "after=not-json",
        "after=%5B%5D",
    ] {
        let res = admin.get(&format!("/leads?{query}")).await;
        assert_eq!(res.status, StatusCode::OK, "{query}");
        assert_eq!(table_rows(&res.body), 1, "{query}: the first page");
        let call = admin.call("/api/leads/list", &[("query", query)]).await;
        assert_eq!(call.status, StatusCode::OK, "{query}: {}", call.body);
    }
}

/// The total a lead list says it holds, through its server function.
async fn listed_total(client: &Client, query: &str) -> i64 {
    let res = client.call("/api/leads/list", &[("query", query)]).await;
    assert_eq!(res.status, StatusCode::OK, "{query}: {}", res.body);
    let page: serde_json::Value = serde_json::from_str(&res.body).expect("a page");
    assert_eq!(page["more"], false, "{query}: counted exactly");
    page["total"].as_i64().expect("a total")
}

/// Checks every list total the kept counts answer against a count of the rows.
async fn totals_match(app: &TestApp, admin: &Client, agent: &Client, agent_id: &str, after: &str) {
    for status in ["", "new", "in_progress", "won", "lost"] {
        let (query, narrower) = if status.is_empty() {
            (String::new(), String::new())
        } else {
            (format!("status={status}"), format!("AND status = '{status}'"))
        };
        let live = format!("SELECT COUNT(*) FROM leads WHERE archived_at IS NULL {narrower}");
        assert_eq!(
            listed_total(admin, &query).await,
            app.count(&live).await,
            "after {after}: admin, {query}"
        );
        let mine = format!("{live} AND assignee_id = '{agent_id}'");
        assert_eq!(
            listed_total(agent, &query).await,
            app.count(&mine).await,
            "after {after}: agent, {query}"
        );
        let by_agent = format!("{query}&agent={agent_id}");
        assert_eq!(
            listed_total(admin, &by_agent).await,
            app.count(&mine).await,
            "after {after}: admin, {by_agent}"
        );
    }
}

/// A change to make through a server function: who, which, with what form.
type Change<'a> = (&'a Client, &'a str, Vec<(&'a str, &'a str)>);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kept_lead_counts_equal_the_rows_after_every_kind_of_change() {
    let (app, [admin, maria, james]) = TestApp::signed_in_each([ADMIN, MARIA, JAMES]).await;
    let maria_id = app.user_id(MARIA.0).await;
    let james_id = app.user_id(JAMES.0).await;
    let mut ids = Vec::new();
    for (who, status) in [(&maria, "new"), (&maria, "won"), (&james, "new"), (&maria, "lost")] {
        ids.push(who.create_lead(&[("name", "Ana Silva"), ("status", status)]).await);
    }
    totals_match(&app, &admin, &maria, &maria_id, "create").await;

    let mut edit = form_with(LEADS.defaults, &[("name", "Ana Silva"), ("status", "in_progress")]);
    edit.extend([("id", ids[0].as_str()), ("version", "1")]);
    let changes: [Change; 8] = [
        (&maria, "leads/update", edit),
        (&maria, "leads/move", vec![("id", &ids[0]), ("version", "2"), ("status", "won")]),
        (&admin, "leads/assign", vec![("ids[]", &ids[1]), ("assignee", &james_id)]),
        (&maria, "leads/archive", vec![("id", &ids[3])]),
        (&admin, "leads/restore", vec![("id", &ids[3])]),
        (&maria, "leads/convert", vec![("id", &ids[0])]),
        (&admin, "users/delete", vec![("id", &james_id), ("receiver", &maria_id)]),
        (&maria, "leads/archive", vec![("id", &ids[2])]),
    ];
    for (who, change, form) in changes {
        let res = who.call(&format!("/api/{change}"), &form).await;
        assert_eq!(res.status, StatusCode::OK, "{change}: {}", res.body);
        totals_match(&app, &admin, &maria, &maria_id, change).await;
    }
    assert_eq!(listed_total(&maria, "").await, 3, "Maria holds all that are live");
}
