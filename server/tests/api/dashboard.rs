//! The dashboard through the real router, against numbers counted by hand on a
//! fixed team: per role, without archived records, in the organisation's calendar.

use crate::client::table_rows;
use crate::helpers::{Client, TestApp, ADMIN, JAMES, MARIA};
use app::dashboard::{AgentNumbers, Dashboard};
use axum::http::StatusCode;
use chrono::{Days, NaiveDate};

const ZONE: &str = "America/New_York";

async fn dashboard(client: &Client) -> Dashboard {
    let res = client.call("/api/dashboard", &[]).await;
    res.assert_ok();
    serde_json::from_str(&res.body).expect("a dashboard")
}

async fn run(app: &TestApp, sql: &str, id: &str) {
    sqlx::query(sql).bind(id).execute(&app.db.pool).await.expect("adjust test data");
}

/// The hand-counted team. Returns the organisation's last 14 days (day, start).
async fn seed(app: &TestApp) -> Vec<(NaiveDate, i64)> {
    sqlx::query("INSERT INTO settings (name, value, updated_at) VALUES ('time_zone', $1, 0)")
        .bind(ZONE)
        .execute(&app.db.pool)
        .await
        .expect("time zone");
    let tz: chrono_tz::Tz = ZONE.parse().expect("zone");
    let (days, _) = app::clock::recent_days(tz, chrono::Utc::now(), 14);
    let (today, first) = (days[13].1, days[0].1);
    let month_start = app::clock::month_start(tz, chrono::Utc::now());
    let maria = app.signed_in(MARIA).await;
    let james = app.signed_in(JAMES).await;

    // Maria's leads, each created at a chosen instant around the calendar's edges.
    for (name, status, created_at) in [
        ("Just after midnight", "new", today + 60_000),
        ("Won today", "won", today + 120_000),
        ("Just before midnight", "new", today - 60_000),
        ("First day", "in_progress", first),
        ("Too old", "new", first - 1),
        ("Won long ago", "won", first - 1),
    ] {
        let id = maria.create_lead(&[("name", name), ("status", status)]).await;
        run(app, &format!("UPDATE leads SET created_at = {created_at} WHERE id = $1"), &id).await;
        if name == "Won long ago" {
            run(app, &format!("UPDATE leads SET won_at = {} WHERE id = $1", month_start - 1), &id)
                .await;
        }
        if name == "Won today" {
            let res = maria.call("/api/leads/convert", &[("id", &id)]).await;
            assert!(res.status.is_success() || res.status.is_redirection(), "{}", res.body);
        }
    }
    let archived = maria.create_lead(&[("name", "Archived today"), ("status", "won")]).await;
    maria.call("/api/leads/archive", &[("id", &archived)]).await;
    james.create_lead(&[("name", "James today")]).await;

    maria.create_customer(&[("name", "Direct Co")]).await;
    let gone = maria.create_customer(&[("name", "Archived Co")]).await;
    maria.call("/api/customers/archive", &[("id", &gone)]).await;
    james.create_customer(&[("name", "James Customer")]).await;

    let day = |back: u64| (days[13].0 - Days::new(back)).to_string();
    let tomorrow = (days[13].0 + Days::new(1)).to_string();
    maria.new_task("Maria overdue longest", &day(3), &[]).await;
    maria.new_task("Maria overdue since yesterday", &day(1), &[]).await;
    maria.new_task("Maria due tomorrow", &tomorrow, &[]).await;
    maria.new_task("Maria done late", &day(1), &[("status", "done")]).await;
    james.new_task("James overdue", &day(2), &[]).await;
    days
}

fn member<'a>(team: &'a [AgentNumbers], id: &str) -> &'a AgentNumbers {
    team.iter().find(|a| a.id.as_str() == id).expect("a row per team member")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agents_dashboard_counts_only_their_live_records_in_the_organisations_calendar() {
    let app = TestApp::new().await;
    let days = seed(&app).await;
    let maria = app.signed_in(MARIA).await;
    let board = dashboard(&maria).await;

    let by_status: Vec<i64> = board.leads_by_status.iter().map(|(_, n)| *n).collect();
    assert_eq!(by_status, vec![3, 1, 2, 0], "new, in progress, won, lost");
    let per_day: Vec<i64> = board.created_per_day.iter().map(|d| d.count).collect();
    let mut expected = vec![0; 14];
    expected[13] = 2; // just after midnight, won today
    expected[12] = 1; // just before midnight
    expected[0] = 1; // the first day's first moment
    assert_eq!(per_day, expected);
    assert_eq!(board.created_per_day[13].date, days[13].0.to_string());
    assert_eq!(board.created_per_day[0].date, days[0].0.to_string());
    assert_eq!(board.customers, 2, "the converted lead and Direct Co; not the archived one");
    assert_eq!((board.open_tasks, board.overdue_tasks), (3, 2));
    let overdue: Vec<&str> = board.overdue.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(overdue, ["Maria overdue longest", "Maria overdue since yesterday"]);
    assert!(board.team.is_none(), "agents get no per-agent breakdown");
    assert!(!board.recent.is_empty());
    assert!(
        board.recent.iter().all(|e| !e.label.starts_with("James")),
        "James's records stay out of Maria's feed: {:?}",
        board.recent
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admins_dashboard_counts_everyone_with_a_row_per_team_member() {
    let app = TestApp::new().await;
    seed(&app).await;
    let admin = app.signed_in(ADMIN).await;
    let board = dashboard(&admin).await;

    let by_status: Vec<i64> = board.leads_by_status.iter().map(|(_, n)| *n).collect();
    assert_eq!(by_status, vec![4, 1, 2, 0]);
    assert_eq!(board.created_per_day[13].count, 3, "James's lead counts for admins");
    assert_eq!(board.customers, 3);
    assert_eq!((board.open_tasks, board.overdue_tasks), (4, 3));
    let overdue: Vec<&str> = board.overdue.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(
        overdue,
        ["Maria overdue longest", "James overdue", "Maria overdue since yesterday"],
        "oldest first, everyone's"
    );

    let team = board.team.expect("admins see the breakdown");
    let maria = member(&team, &app.user_id(MARIA.0).await);
    assert_eq!(maria.name, "Maria Lopez");
    assert_eq!(
        (
            maria.open_leads,
            maria.won_this_month,
            maria.leads,
            maria.won,
            maria.customers,
            maria.overdue_tasks
        ),
        (4, 1, 6, 2, 2, 2)
    );
    assert_eq!(maria.conversion_percent(), Some(33));
    let james = member(&team, &app.user_id(JAMES.0).await);
    assert_eq!(
        (james.open_leads, james.won_this_month, james.leads, james.customers, james.overdue_tasks),
        (1, 0, 1, 1, 1)
    );
    assert_eq!(james.conversion_percent(), Some(0));
    let admin_row = member(&team, &app.user_id(ADMIN.0).await);
    assert_eq!((admin_row.leads, admin_row.conversion_percent()), (0, None));
    assert!(board.recent.iter().any(|e| e.label == "James overdue"), "everyone's activity");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_page_links_its_cards_to_filtered_lists_and_shows_the_numbers_as_tables() {
    let app = TestApp::new().await;
    seed(&app).await;
    let maria = app.signed_in(MARIA).await;
    let page = maria.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.body;
    let section = |id: &str| -> String {
        html.split(&format!("id=\"{id}\""))
            .nth(1)
            .and_then(|rest| rest.split("</table>").next())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(table_rows(&section("leads-per-day-table")), 14);
    assert!(!html.contains("leads-by-status"), "the cards say it; no chart repeats them");
    assert_eq!(table_rows(&section("overdue-table")), 2);
    assert!(html.contains("href=\"/leads?status=in_progress\""));
    assert!(html.contains("href=\"/tasks?overdue=1\""));
    assert!(html.contains("href=\"/customers\""));
    assert!(!html.contains("id=\"team-table\""), "agents get no team table");
    assert!(html.contains("id=\"recent-activity\""));

    let admin = app.signed_in(ADMIN).await;
    let html = admin.get("/dashboard").await.body;
    assert!(html.contains("id=\"team-table\""));
    assert!(html.contains("James Chen"));
}

/// Live leads per assignee and status, counted from the leads themselves.
async fn counted(app: &TestApp) -> Vec<(String, String, i64)> {
    sqlx::query_as(
        "SELECT assignee_id, status, COUNT(*) FROM leads WHERE archived_at IS NULL \
         GROUP BY assignee_id, status ORDER BY assignee_id, status",
    )
    .fetch_all(&app.db.pool)
    .await
    .expect("count leads")
}

/// What the counts table says, in the same shape.
async fn kept(app: &TestApp) -> Vec<(String, String, i64)> {
    sqlx::query_as(
        "SELECT assignee_id, status, n FROM lead_status_counts WHERE n <> 0 ORDER BY assignee_id, status",
    )
    .fetch_all(&app.db.pool)
    .await
    .expect("read counts")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_kept_lead_counts_follow_every_kind_of_change() {
    let (app, [maria, admin]) = TestApp::signed_in_each([MARIA, ADMIN]).await;
    let james_id = app.user_id(JAMES.0).await;
    let a = maria.create_lead(&[("name", "A")]).await;
    let b = maria.create_lead(&[("name", "B"), ("status", "in_progress")]).await;
    let c = maria.create_lead(&[("name", "C")]).await;
    assert_eq!(kept(&app).await, counted(&app).await);

    maria.call("/api/leads/move", &[("id", &a), ("version", "1"), ("status", "lost")]).await;
    maria.call("/api/leads/convert", &[("id", &b)]).await;
    admin.call("/api/leads/assign", &[("ids[0]", &c), ("assignee", &james_id)]).await;
    maria.call("/api/leads/archive", &[("id", &a)]).await;
    assert_eq!(kept(&app).await, counted(&app).await);
    admin.call("/api/leads/restore", &[("id", &a)]).await;
    assert_eq!(kept(&app).await, counted(&app).await);
    assert_eq!(
        app.rows("leads WHERE won_at IS NOT NULL").await,
        1,
        "the converted lead became Closed Won just now"
    );
    let created: i64 = app.count("SELECT CAST(SUM(n) AS BIGINT) FROM lead_created_counts").await;
    assert_eq!(created, 3, "every live lead sits in one creation slot");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn days_split_at_midnight_in_a_zone_a_quarter_hour_off_utc() {
    let app = TestApp::new().await;
    sqlx::query(
        "INSERT INTO settings (name, value, updated_at) VALUES ('time_zone', 'Asia/Kathmandu', 0)",
    )
    .execute(&app.db.pool)
    .await
    .expect("time zone");
    let tz: chrono_tz::Tz = "Asia/Kathmandu".parse().expect("zone");
    let (days, _) = app::clock::recent_days(tz, chrono::Utc::now(), 14);
    let maria = app.signed_in(MARIA).await;
    // Kathmandu is UTC+5:45: its midnight falls on a quarter hour, never on a UTC hour.
    for (name, at) in [("Before", days[13].1 - 1), ("After", days[13].1)] {
        let id = maria.create_lead(&[("name", name)]).await;
        run(&app, &format!("UPDATE leads SET created_at = {at} WHERE id = $1"), &id).await;
    }
    let board = dashboard(&maria).await;
    assert_eq!((board.created_per_day[12].count, board.created_per_day[13].count), (1, 1));
}

#[tokio::test]
async fn my_day_lists_my_tasks_due_today_my_overdue_latest_first_and_leads_new_to_me() {
    let (app, [admin, maria, james]) = TestApp::signed_in_each([ADMIN, MARIA, JAMES]).await;
    let today = chrono::Utc::now().date_naive();
    let day = |offset: i64| (today + chrono::Duration::days(offset)).format("%Y-%m-%d").to_string();
    maria.new_task("Send the quote", &day(0), &[]).await;
    maria.new_task("Call back, last week", &day(-7), &[]).await;
    maria.new_task("Call back, yesterday", &day(-1), &[]).await;
    maria.new_task("Next week's demo", &day(7), &[]).await;
    james.new_task("James's own, today", &day(0), &[]).await;
    // A lead James had is given to Maria; a lead made for her by the admin.
    let moved = james.create_lead(&[("name", "Handed over")]).await;
    let maria_id = app.user_id("maria@kith.test").await;
    let res = admin
        .call(
            "/api/leads/assign",
            &[("ids[0]", &moved), ("assignee", &maria_id), ("back", "/leads")],
        )
        .await;
    assert!(res.status.is_success() || res.status.is_redirection(), "{}", res.body);
    let old = maria.create_lead(&[("name", "Long-standing")]).await;
    run(&app, "UPDATE leads SET created_at = 1000 WHERE id = $1", &old).await;

    let day_of = |d: &Dashboard| {
        let titles =
            |tasks: &[app::tasks::Task]| tasks.iter().map(|t| t.title.clone()).collect::<Vec<_>>();
        let leads: Vec<String> = d.my_day.new_leads.iter().map(|l| l.1.clone()).collect();
        (titles(&d.my_day.due_today), titles(&d.my_day.overdue), d.my_day.overdue_total, leads)
    };
    let (due, overdue, overdue_total, leads) = day_of(&dashboard(&maria).await);
    assert_eq!(due, ["Send the quote"]);
    assert_eq!(overdue, ["Call back, yesterday", "Call back, last week"], "latest first");
    assert_eq!(overdue_total, 2);
    assert_eq!(leads, ["Handed over"], "not her lead of long ago");
    // The admin's own day is theirs alone, not the team's.
    let (due, overdue, _, leads) = day_of(&dashboard(&admin).await);
    assert!(
        due.is_empty() && overdue.is_empty() && leads.is_empty(),
        "{due:?} {overdue:?} {leads:?}"
    );
    let page = maria.get("/").await;
    for shown in ["My day", "Due today (1)", "Overdue (2)", "1 day overdue", "Handed over"] {
        assert!(page.body.contains(shown), "{shown}: {}", page.body);
    }
}

#[tokio::test]
async fn the_feed_shows_a_members_sign_ins_in_a_row_as_one_line() {
    let (app, admin) = TestApp::signed_in_as(ADMIN).await;
    for _ in 0..3 {
        app.signed_in(MARIA).await;
    }
    let page = admin.get("/").await;
    assert!(page.body.contains("signed in 3 times"), "{}", page.body);
}
