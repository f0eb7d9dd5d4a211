//! The CSV export and the board.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_csv_export_follows_the_list_and_neutralises_formulas() {
    let (app, [maria, james]) = TestApp::signed_in_each([MARIA, JAMES]).await;
    let formula = "=HYPERLINK(\"http://evil\")";
    maria.create_lead(&[("name", formula), ("company", "Acme, Inc."), ("status", "won")]).await;
    maria.create_lead(&[("name", "Ana Silva"), ("status", "new")]).await;
    let archived = maria.create_lead(&[("name", "Old Lead"), ("status", "won")]).await;
    maria.call("/api/leads/archive", &[("id", &archived)]).await;
    james.create_lead(&[("name", "Bruno Costa"), ("status", "won")]).await;

    let csv = maria.get("/leads/export.csv?status=won").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
    assert!(csv.headers["content-disposition"]
        .to_str()
        .expect("ascii")
        .starts_with("attachment; filename=\"leads-"));
    let lines: Vec<&str> = csv.body.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 2, "header and one lead: {}", csv.body);
    assert!(lines[0].starts_with("Name,Email,Phone,Company"));
    assert!(
        lines[1].starts_with("\"'=HYPERLINK(\"\"http://evil\"\")\",,,\"Acme, Inc.\","),
        "{}",
        lines[1]
    );
    assert!(!csv.body.contains("Bruno Costa"), "only her own leads");
    assert!(!csv.body.contains("Old Lead"), "archived leads are left out");

    let admin = app.signed_in(ADMIN).await;
    let all = admin.get("/leads/export.csv").await;
    assert_eq!(all.body.split("\r\n").filter(|l| !l.is_empty()).count(), 4, "{}", all.body);
    assert_eq!(
        app.client().get_status("/leads/export.csv").await,
        StatusCode::SEE_OTHER,
        "anonymous visitors sign in first"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_export_streams_a_large_list() {
    let app = TestApp::new().await;
    let agents = kith_server::seed::agent_ids(&app.db).await.expect("agents");
    assert!(!agents.is_empty());
    kith_server::seed::seed_leads(&app.db, 3000, 30, 1, false).await.expect("seed");
    let admin = app.signed_in(ADMIN).await;
    let csv = admin.get("/leads/export.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.body.split("\r\n").filter(|l| !l.is_empty()).count(), 3001);
}

/// How many cards the board shows in a status's column, and the count in its heading.
fn board_column(html: &str, status: &str) -> (usize, i64) {
    let column = html
        .split(&format!("data-status=\"{status}\""))
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .unwrap_or_default();
    let count = column
        .split("class=\"board-count\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(-1);
    (column.matches("class=\"board-card\"").count(), count)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_board_groups_the_viewers_live_leads_by_status() {
    let (app, [maria, james]) = TestApp::signed_in_each([MARIA, JAMES]).await;
    maria.create_lead(&[("name", "Maria New")]).await;
    maria.create_lead(&[("name", "Maria Won"), ("status", "won")]).await;
    let archived = maria.create_lead(&[("name", "Maria Gone"), ("status", "won")]).await;
    james.create_lead(&[("name", "James New")]).await;
    let gone = maria.call("/api/leads/archive", &[("id", &archived)]).await;
    assert_eq!(gone.status, StatusCode::OK);

    let board = maria.get("/leads/board").await;
    assert_eq!(board.status, StatusCode::OK);
    assert_eq!(board_column(&board.body, "new"), (1, 1));
    assert_eq!(board_column(&board.body, "won"), (1, 1), "archived leads are not on the board");
    assert_eq!(board_column(&board.body, "lost"), (0, 0));
    assert!(!board.body.contains("James New"), "another agent's lead");

    let admin = app.signed_in(ADMIN).await;
    let all = admin.get("/leads/board").await;
    assert_eq!(board_column(&all.body, "new"), (2, 2));
    let searched = admin.get("/leads/board?q=james").await;
    assert_eq!(board_column(&searched.body, "new"), (1, 1), "the search applies");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moving_a_card_changes_the_status_once_and_logs_it() {
    let (app, [maria, james]) = TestApp::signed_in_each([MARIA, JAMES]).await;
    let id = maria.create_lead(&[("name", "Board Lead")]).await;

    let moved = maria
        .call("/api/leads/move", &[("id", &id), ("version", "1"), ("status", "in_progress")])
        .await;
    moved.assert_ok();
    let status_sql = format!(
        "SELECT COUNT(*) FROM leads WHERE id = '{id}' AND status = 'in_progress' AND version = 2"
    );
    assert_eq!(app.count(&status_sql).await, 1);
    let logged = app.logged_changes("entity_id = $1 AND action = 'status_change'", Some(&id)).await;
    assert!(logged.contains("In Progress"), "{logged}");

    let stale =
        maria.call("/api/leads/move", &[("id", &id), ("version", "1"), ("status", "won")]).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "moving from an old view is refused");
    let other =
        james.call("/api/leads/move", &[("id", &id), ("version", "2"), ("status", "won")]).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let bogus =
        maria.call("/api/leads/move", &[("id", &id), ("version", "2"), ("status", "closed")]).await;
    assert_eq!(bogus.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count(&status_sql).await, 1, "refused moves change nothing");

    // Without JavaScript: the card's status select posts a plain form and comes back to the board.
    let back = "/leads/board?q=board";
    let plain = maria
        .submit(
            "/api/leads/move",
            back,
            &[("id", &id), ("version", "2"), ("status", "lost"), ("back", back)],
        )
        .await;
    assert!(plain.status.is_redirection(), "{}", plain.status);
    assert_eq!(plain.location(), Some(back));
    let board = maria.get(back).await.body;
    assert_eq!(board_column(&board, "lost"), (1, 1));
}
