//! Leads through the real router: visibility per role, validation, optimistic
//! concurrency, archive/restore and the activity they write.

use crate::client::table_rows;
use crate::helpers::{TestApp, ADMIN, JAMES, MARIA};
use axum::http::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_sees_and_finds_only_their_own_leads() {
    let app = TestApp::new().await;
    let maria = app.signed_in(MARIA).await;
    let james = app.signed_in(JAMES).await;
    maria
        .create_lead(&[("name", "Ana Silva"), ("company", "Acme")])
        .await;
    james
        .create_lead(&[("name", "Bruno Costa"), ("company", "Acme")])
        .await;

    let list = maria.get("/leads").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Ana Silva"));
    assert!(!list.body.contains("Bruno Costa"));
    let search = maria.get("/leads?q=acme").await;
    assert_eq!(table_rows(&search.body), 1, "the search is scoped too");

    let admin = app.signed_in(ADMIN).await;
    assert_eq!(
        table_rows(&admin.get("/leads?q=ACME").await.body),
        2,
        "admins see everyone's"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_agents_lead_answers_like_a_missing_one() {
    let app = TestApp::new().await;
    let james = app.signed_in(JAMES).await;
    let id = james.create_lead(&[("name", "Bruno Costa")]).await;
    let maria = app.signed_in(MARIA).await;

    let page = maria.get(&format!("/leads/{id}")).await;
    let missing = maria
        .get("/leads/01900000-0000-7000-8000-000000000000")
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(!page.body.contains("Bruno Costa"));

    let call = maria.call("/api/leads/get", &[("id", &id)]).await;
    assert_eq!(call.status, StatusCode::NOT_FOUND);
    assert!(!call.body.contains("Bruno"));

    let edit = maria
        .update_lead(&id, "1", &[("name", "Hijacked"), ("status", "won")])
        .await;
    assert_eq!(edit.status, StatusCode::NOT_FOUND);
    assert_eq!(
        maria
            .call("/api/leads/archive", &[("id", &id)])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM leads WHERE name = 'Bruno Costa' AND archived_at IS NULL")
            .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_is_a_case_insensitive_substring_over_name_email_and_company() {
    let app = TestApp::new().await;
    let admin = app.signed_in(ADMIN).await;
    admin
        .create_lead(&[("name", "Ana Silva"), ("email", "ana@northwind.example")])
        .await;
    admin
        .create_lead(&[("name", "Bruno Costa"), ("company", "NorthWind Traders")])
        .await;
    admin
        .create_lead(&[("name", "Carla Dias"), ("company", "100% Organic")])
        .await;

    assert_eq!(table_rows(&admin.get("/leads?q=NORTHWIND").await.body), 2);
    assert_eq!(table_rows(&admin.get("/leads?q=silva").await.body), 1);
    assert_eq!(
        table_rows(&admin.get("/leads?q=100%25").await.body),
        1,
        "% matches literally"
    );
    assert_eq!(table_rows(&admin.get("/leads?q=%25").await.body), 1);
    assert_eq!(
        table_rows(&admin.get("/leads?q=_").await.body),
        0,
        "_ matches literally"
    );
    assert_eq!(
        table_rows(&admin.get("/leads?q=di").await.body),
        1,
        "two letters"
    );
    assert_eq!(
        table_rows(&admin.get("/leads?q=silva%20ana%40north").await.body),
        1,
        "a substring across fields"
    );

    let quoted = admin.create_lead(&[("name", "Dana \"DJ\" Price")]).await;
    assert_eq!(table_rows(&admin.get("/leads?q=%22dj%22").await.body), 1);
    let renamed = admin
        .update_lead(&quoted, "1", &[("name", "Dana Okoro")])
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    assert_eq!(
        table_rows(&admin.get("/leads?q=price").await.body),
        0,
        "the old name is forgotten"
    );
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
    kith_server::seed::seed_leads(&app.db, 2000, 30, 7, false)
        .await
        .expect("seed");
    let admin = app.signed_in(ADMIN).await;
    // Every generated email ends in ".example"; only some names are Silva.
    for (term, url, order, offset) in [
        (
            "example",
            "/leads?q=example&page=3",
            "created_at DESC, id DESC",
            50,
        ),
        (
            "example",
            "/leads?q=Example&sort=name&dir=asc&page=2",
            "name ASC, id ASC",
            25,
        ),
        (
            "silva",
            "/leads?q=silva&page=2",
            "created_at DESC, id DESC",
            25,
        ),
        (
            "silva",
            "/leads?q=silva&sort=company&dir=desc",
            "company DESC, id DESC",
            0,
        ),
    ] {
        let expected = expected_page(&app, term, order, offset).await;
        assert!(!expected.is_empty(), "{url}");
        assert_eq!(listed_ids(&admin.get(url).await.body), expected, "{url}");
    }
    let matches = app
        .count("SELECT COUNT(*) FROM leads WHERE search_text LIKE '%silva%'")
        .await;
    let page = admin.get("/leads?q=silva").await.body;
    assert!(
        page.contains(&format!("· {matches} in all")),
        "total of {matches}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_filters_sorts_and_paginates_from_the_url() {
    let app = TestApp::new().await;
    let admin = app.signed_in(ADMIN).await;
    for (i, status) in ["new", "won", "won", "lost", "in_progress", "won"]
        .iter()
        .enumerate()
    {
        admin
            .create_lead(&[("name", &format!("Lead {i}")), ("status", status)])
            .await;
    }
    let won = admin.get("/leads?status=won").await;
    assert_eq!(table_rows(&won.body), 3);
    assert!(won.body.contains("3 in all"));

    let first = admin.get("/leads?sort=name&dir=asc&per_page=10").await;
    let a = first.body.find("Lead 0").expect("Lead 0");
    let b = first.body.find("Lead 5").expect("Lead 5");
    assert!(a < b, "sorted by name ascending");

    let paged = admin
        .get("/leads?sort=name&dir=asc&per_page=10&page=1")
        .await;
    assert_eq!(table_rows(&paged.body), 6);
    let past_the_end = admin.get("/leads?page=99").await;
    assert_eq!(past_the_end.status, StatusCode::OK);
    assert_eq!(table_rows(&past_the_end.body), 0);
    let nonsense = admin
        .get("/leads?page=-1&per_page=100000&sort=password_hash&status=bogus")
        .await;
    assert_eq!(
        nonsense.status,
        StatusCode::OK,
        "bad parameters fall back to defaults"
    );
    assert_eq!(table_rows(&nonsense.body), 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_fields_get_messages_and_nothing_is_written() {
    let app = TestApp::new().await;
    let maria = app.signed_in(MARIA).await;
    let long = "x".repeat(200);
    let res = maria
        .call(
            "/api/leads/create",
            &[
                ("name", ""),
                ("email", "nope"),
                ("phone", "call me"),
                ("company", &long),
                ("source", ""),
                ("status", "maybe"),
                ("notes", ""),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["name", "email", "phone", "company", "status"] {
        assert!(
            res.body.contains(&format!("\"field\":\"{field}\"")),
            "{field}: {}",
            res.body
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM leads").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM activity WHERE entity_type = 'lead'")
            .await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_cannot_give_a_new_lead_to_someone_else() {
    let app = TestApp::new().await;
    let maria = app.signed_in(MARIA).await;
    let james_id = app.user_id(JAMES.0).await;
    let id = maria
        .create_lead(&[("name", "Ana Silva"), ("assignee", &james_id)])
        .await;
    let (assignee,): (String,) = sqlx::query_as("SELECT assignee_id FROM leads WHERE id = $1")
        .bind(&id)
        .fetch_one(&app.db.pool)
        .await
        .expect("lead");
    assert_eq!(assignee, app.user_id(MARIA.0).await);

    let admin = app.signed_in(ADMIN).await;
    let given = admin
        .create_lead(&[("name", "Bruno Costa"), ("assignee", &james_id)])
        .await;
    let (assignee,): (String,) = sqlx::query_as("SELECT assignee_id FROM leads WHERE id = $1")
        .bind(&given)
        .fetch_one(&app.db.pool)
        .await
        .expect("lead");
    assert_eq!(assignee, james_id, "admins choose the assignee");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_second_of_two_concurrent_edits_is_refused_and_nothing_is_lost() {
    let app = TestApp::new().await;
    let admin = app.signed_in(ADMIN).await;
    let id = admin.create_lead(&[("name", "Ana Silva")]).await;
    let edit = |name: &'static str, phone: &'static str| {
        let id = id.clone();
        let admin = admin.clone();
        async move {
            admin
                .update_lead(
                    &id,
                    "1",
                    &[("name", name), ("phone", phone), ("status", "in_progress")],
                )
                .await
        }
    };
    let first = edit("Ana Silva", "+1 555 0100").await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let second = edit("Ana S.", "").await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert!(second.body.contains("Someone else changed this lead"));
    let (name, phone, version): (String, String, i64) =
        sqlx::query_as("SELECT name, phone, version FROM leads WHERE id = $1")
            .bind(&id)
            .fetch_one(&app.db.pool)
            .await
            .expect("lead");
    assert_eq!(
        (name.as_str(), phone.as_str(), version),
        ("Ana Silva", "+1 555 0100", 2)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_logs_the_changed_fields_old_and_new() {
    let app = TestApp::new().await;
    let maria = app.signed_in(MARIA).await;
    let id = maria
        .create_lead(&[("name", "Ana Silva"), ("company", "Acme")])
        .await;
    let res = maria
        .update_lead(
            &id,
            "1",
            &[
                ("name", "Ana Silva"),
                ("company", "Globex"),
                ("status", "won"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let (changes,): (String,) =
        sqlx::query_as("SELECT changes FROM activity WHERE entity_id = $1 AND action = 'update'")
            .bind(&id)
            .fetch_one(&app.db.pool)
            .await
            .expect("update logged");
    let changes: serde_json::Value = serde_json::from_str(&changes).expect("json");
    assert_eq!(changes["company"], serde_json::json!(["Acme", "Globex"]));
    assert_eq!(changes["status"], serde_json::json!(["New", "Closed Won"]));
    assert!(
        changes.get("name").is_none(),
        "unchanged fields are not listed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn archiving_hides_a_lead_and_only_admins_restore_it() {
    let app = TestApp::new().await;
    let maria = app.signed_in(MARIA).await;
    let id = maria.create_lead(&[("name", "Ana Silva")]).await;
    assert_eq!(
        maria
            .call("/api/leads/archive", &[("id", &id)])
            .await
            .status,
        StatusCode::OK
    );
    assert!(!maria.get("/leads").await.body.contains("Ana Silva"));
    let edit = maria.update_lead(&id, "2", &[("name", "Ana")]).await;
    assert_eq!(
        edit.status,
        StatusCode::CONFLICT,
        "archived leads are not editable"
    );
    assert_eq!(
        maria
            .call("/api/leads/restore", &[("id", &id)])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert!(
        !maria
            .get("/leads?archived=1")
            .await
            .body
            .contains("Ana Silva"),
        "agents have no archive view"
    );

    let admin = app.signed_in(ADMIN).await;
    assert!(!admin.get("/leads").await.body.contains("Ana Silva"));
    assert!(admin
        .get("/leads?archived=1")
        .await
        .body
        .contains("Ana Silva"));
    assert_eq!(
        admin
            .call("/api/leads/restore", &[("id", &id)])
            .await
            .status,
        StatusCode::OK
    );
    assert!(maria.get("/leads").await.body.contains("Ana Silva"));
    let actions = app.count("SELECT COUNT(*) FROM activity WHERE entity_id IS NOT NULL AND action IN ('archive', 'restore')").await;
    assert_eq!(actions, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_matching_email_or_phone_warns_until_confirmed() {
    let app = TestApp::new().await;
    let maria = app.signed_in(MARIA).await;
    maria
        .create_lead(&[("name", "Ana Silva"), ("email", "ana@example.com")])
        .await;
    let fields = [
        ("name", "Ana S."),
        ("email", "ANA@example.com "),
        ("phone", ""),
        ("company", ""),
        ("source", ""),
        ("status", "new"),
        ("notes", ""),
    ];
    let warned = maria.call("/api/leads/create", &fields).await;
    assert_eq!(warned.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(warned.body.contains("\"field\":\"duplicate\""));
    assert_eq!(app.count("SELECT COUNT(*) FROM leads").await, 1);

    let mut confirmed = fields.to_vec();
    confirmed.push(("save_anyway", "1"));
    assert_eq!(
        maria.call("/api/leads/create", &confirmed).await.status,
        StatusCode::OK
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM leads").await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_from_users_is_escaped_on_the_page() {
    let app = TestApp::new().await;
    let admin = app.signed_in(ADMIN).await;
    let name = "</title><script>alert(1)</script>";
    let id = admin
        .create_lead(&[
            ("name", name),
            ("notes", "</textarea><img src=x onerror=alert(1)>"),
        ])
        .await;
    let page = admin.get(&format!("/leads/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains("<script>alert(1)</script>"),
        "no markup from a lead's name"
    );
    assert!(
        !page.body.contains("<img src=x"),
        "no markup from a lead's notes"
    );
    assert!(
        page.body
            .contains("&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the name is shown as text"
    );
    let list = admin.get("/leads").await;
    assert!(!list.body.contains("<script>alert(1)</script>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn converting_copies_the_contact_links_both_ways_and_marks_the_lead_won() {
    let app = TestApp::new().await;
    let maria = app.signed_in(MARIA).await;
    let id = maria
        .create_lead(&[
            ("name", "Ana Silva"),
            ("email", "ana@example.com"),
            ("phone", "+1 555 0100"),
            ("company", "Acme"),
        ])
        .await;
    let res = maria.call("/api/leads/convert", &[("id", &id)]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let customer_id = res
        .location()
        .expect("to the customer")
        .trim_start_matches("/customers/")
        .to_owned();

    let (name, email, phone, company, owner, lead_id): (
        String,
        String,
        String,
        String,
        String,
        Option<String>,
    ) = sqlx::query_as(
        "SELECT name, email, phone, company, owner_id, lead_id FROM customers WHERE id = $1",
    )
    .bind(&customer_id)
    .fetch_one(&app.db.pool)
    .await
    .expect("customer");
    assert_eq!(
        (
            name.as_str(),
            email.as_str(),
            phone.as_str(),
            company.as_str()
        ),
        ("Ana Silva", "ana@example.com", "+1 555 0100", "Acme")
    );
    assert_eq!(owner, app.user_id(MARIA.0).await);
    assert_eq!(lead_id.as_deref(), Some(id.as_str()));
    let (status, linked): (String, Option<String>) =
        sqlx::query_as("SELECT status, customer_id FROM leads WHERE id = $1")
            .bind(&id)
            .fetch_one(&app.db.pool)
            .await
            .expect("lead");
    assert_eq!(
        (status.as_str(), linked.as_deref()),
        ("won", Some(customer_id.as_str()))
    );

    let customer_page = maria.get(&format!("/customers/{customer_id}")).await;
    assert_eq!(customer_page.status, StatusCode::OK);
    assert!(customer_page.body.contains(&format!("/leads/{id}")));
    assert!(maria
        .get(&format!("/leads/{id}"))
        .await
        .body
        .contains(&format!("/customers/{customer_id}")));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM activity WHERE action = 'convert'")
            .await,
        1
    );
    assert_eq!(
        app.signed_in(JAMES)
            .await
            .get(&format!("/customers/{customer_id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn converting_twice_keeps_one_customer() {
    let app = TestApp::new().await;
    let maria = app.signed_in(MARIA).await;
    let id = maria.create_lead(&[("name", "Ana Silva")]).await;
    assert_eq!(
        maria
            .call("/api/leads/convert", &[("id", &id)])
            .await
            .status,
        StatusCode::OK
    );
    let again = maria.call("/api/leads/convert", &[("id", &id)]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("already been converted"));
    assert_eq!(app.count("SELECT COUNT(*) FROM customers").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_simultaneous_conversions_leave_one_customer() {
    let app = TestApp::new().await;
    let maria = app.signed_in(MARIA).await;
    let admin = app.signed_in(ADMIN).await;
    for round in 0..5 {
        let id = maria
            .create_lead(&[("name", &format!("Lead {round}"))])
            .await;
        let form = [("id", id.as_str())];
        let (a, b) = tokio::join!(
            maria.call("/api/leads/convert", &form),
            admin.call("/api/leads/convert", &form)
        );
        let mut statuses = [a.status, b.status];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::OK, StatusCode::CONFLICT],
            "{} / {}",
            a.body,
            b.body
        );
        let customers = app
            .count(&format!(
                "SELECT COUNT(*) FROM customers WHERE lead_id = '{id}'"
            ))
            .await;
        assert_eq!(customers, 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_assign_leads_one_at_a_time_or_in_bulk_and_agents_cannot() {
    let app = TestApp::new().await;
    let maria = app.signed_in(MARIA).await;
    let first = maria.create_lead(&[("name", "Ana Silva")]).await;
    let second = maria.create_lead(&[("name", "Bruno Costa")]).await;
    let james_id = app.user_id(JAMES.0).await;

    let refused = maria
        .call(
            "/api/leads/assign",
            &[("ids[0]", &first), ("assignee", &james_id)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);

    let admin = app.signed_in(ADMIN).await;
    let bulk = admin
        .call(
            "/api/leads/assign",
            &[
                ("ids[0]", &first),
                ("ids[3]", &second),
                ("assignee", &james_id),
                ("back", "/leads?q=a"),
            ],
        )
        .await;
    assert_eq!(bulk.status, StatusCode::OK, "{}", bulk.body);
    assert_eq!(bulk.location(), Some("/leads?q=a"));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM leads WHERE assignee_id = '{james_id}'"
        ))
        .await,
        2
    );
    assert_eq!(
        maria.get(&format!("/leads/{first}")).await.status,
        StatusCode::NOT_FOUND,
        "no longer hers"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM activity WHERE action = 'assign'")
            .await,
        2
    );

    let maria_id = app.user_id(MARIA.0).await;
    app.deactivate(MARIA.0).await;
    let to_inactive = admin
        .call(
            "/api/leads/assign",
            &[("ids[0]", &first), ("assignee", &maria_id)],
        )
        .await;
    assert_eq!(to_inactive.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_converted_lead_is_not_a_duplicate_of_its_own_customer() {
    let app = TestApp::new().await;
    let maria = app.signed_in(MARIA).await;
    let id = maria
        .create_lead(&[("name", "Ana Silva"), ("email", "ana@example.com")])
        .await;
    assert_eq!(
        maria
            .call("/api/leads/convert", &[("id", &id)])
            .await
            .status,
        StatusCode::OK
    );
    let edit = maria
        .update_lead(
            &id,
            "2",
            &[
                ("name", "Ana Silva"),
                ("email", "ana@example.com"),
                ("status", "won"),
                ("notes", "Signed"),
            ],
        )
        .await;
    assert_eq!(edit.status, StatusCode::OK, "{}", edit.body);
    let other = maria
        .call(
            "/api/leads/create",
            &[
                ("name", "Ana S."),
                ("email", "ana@example.com"),
                ("phone", ""),
                ("company", ""),
                ("source", ""),
                ("status", "new"),
                ("notes", ""),
            ],
        )
        .await;
    assert_eq!(
        other.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a new lead still matches the customer"
    );
    assert!(other.body.contains("a customer"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_csv_export_follows_the_list_and_neutralises_formulas() {
    let app = TestApp::new().await;
    let maria = app.signed_in(MARIA).await;
    let james = app.signed_in(JAMES).await;
    maria
        .create_lead(&[
            ("name", "=HYPERLINK(\"http://evil\")"),
            ("company", "Acme, Inc."),
            ("status", "won"),
        ])
        .await;
    maria
        .create_lead(&[("name", "Ana Silva"), ("status", "new")])
        .await;
    let archived = maria
        .create_lead(&[("name", "Old Lead"), ("status", "won")])
        .await;
    maria.call("/api/leads/archive", &[("id", &archived)]).await;
    james
        .create_lead(&[("name", "Bruno Costa"), ("status", "won")])
        .await;

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
    assert!(
        !csv.body.contains("Old Lead"),
        "archived leads are left out"
    );

    let admin = app.signed_in(ADMIN).await;
    let all = admin.get("/leads/export.csv").await;
    assert_eq!(
        all.body.split("\r\n").filter(|l| !l.is_empty()).count(),
        4,
        "{}",
        all.body
    );
    assert_eq!(
        app.client().get("/leads/export.csv").await.status,
        StatusCode::SEE_OTHER,
        "anonymous visitors sign in first"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_export_streams_a_large_list() {
    let app = TestApp::new().await;
    let agents = kith_server::seed::agent_ids(&app.db).await.expect("agents");
    assert!(!agents.is_empty());
    kith_server::seed::seed_leads(&app.db, 3000, 30, 1, false)
        .await
        .expect("seed");
    let admin = app.signed_in(ADMIN).await;
    let csv = admin.get("/leads/export.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(
        csv.body.split("\r\n").filter(|l| !l.is_empty()).count(),
        3001
    );
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
    let app = TestApp::new().await;
    let maria = app.signed_in(MARIA).await;
    let james = app.signed_in(JAMES).await;
    maria.create_lead(&[("name", "Maria New")]).await;
    maria
        .create_lead(&[("name", "Maria Won"), ("status", "won")])
        .await;
    let archived = maria
        .create_lead(&[("name", "Maria Gone"), ("status", "won")])
        .await;
    james.create_lead(&[("name", "James New")]).await;
    let gone = maria.call("/api/leads/archive", &[("id", &archived)]).await;
    assert_eq!(gone.status, StatusCode::OK);

    let board = maria.get("/leads/board").await;
    assert_eq!(board.status, StatusCode::OK);
    assert_eq!(board_column(&board.body, "new"), (1, 1));
    assert_eq!(
        board_column(&board.body, "won"),
        (1, 1),
        "archived leads are not on the board"
    );
    assert_eq!(board_column(&board.body, "lost"), (0, 0));
    assert!(!board.body.contains("James New"), "another agent's lead");

    let admin = app.signed_in(ADMIN).await;
    let all = admin.get("/leads/board").await;
    assert_eq!(board_column(&all.body, "new"), (2, 2));
    let searched = admin.get("/leads/board?q=james").await;
    assert_eq!(
        board_column(&searched.body, "new"),
        (1, 1),
        "the search applies"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moving_a_card_changes_the_status_once_and_logs_it() {
    let app = TestApp::new().await;
    let maria = app.signed_in(MARIA).await;
    let james = app.signed_in(JAMES).await;
    let id = maria.create_lead(&[("name", "Board Lead")]).await;

    let moved = maria
        .call(
            "/api/leads/move",
            &[("id", &id), ("version", "1"), ("status", "in_progress")],
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let status_sql = format!(
        "SELECT COUNT(*) FROM leads WHERE id = '{id}' AND status = 'in_progress' AND version = 2"
    );
    assert_eq!(app.count(&status_sql).await, 1);
    let logged: (String,) = sqlx::query_as(
        "SELECT changes FROM activity WHERE entity_id = $1 AND action = 'status_change'",
    )
    .bind(&id)
    .fetch_one(&app.db.pool)
    .await
    .expect("logged");
    assert!(logged.0.contains("In Progress"), "{}", logged.0);

    let stale = maria
        .call(
            "/api/leads/move",
            &[("id", &id), ("version", "1"), ("status", "won")],
        )
        .await;
    assert_eq!(
        stale.status,
        StatusCode::CONFLICT,
        "moving from an old view is refused"
    );
    let other = james
        .call(
            "/api/leads/move",
            &[("id", &id), ("version", "2"), ("status", "won")],
        )
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let bogus = maria
        .call(
            "/api/leads/move",
            &[("id", &id), ("version", "2"), ("status", "closed")],
        )
        .await;
    assert_eq!(bogus.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.count(&status_sql).await,
        1,
        "refused moves change nothing"
    );

    // Without JavaScript: the card's status select posts a plain form and comes back to the board.
    let back = "/leads/board?q=board";
    let plain = maria
        .submit(
            "/api/leads/move",
            back,
            &[
                ("id", &id),
                ("version", "2"),
                ("status", "lost"),
                ("back", back),
            ],
        )
        .await;
    assert!(plain.status.is_redirection(), "{}", plain.status);
    assert_eq!(plain.location(), Some(back));
    let board = maria.get(back).await.body;
    assert_eq!(board_column(&board, "lost"), (1, 1));
}
