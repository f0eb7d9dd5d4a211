//! Customers: ownership per role, validation, the list, concurrency, reassignment and archive.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_sees_only_their_own_customers_and_others_answer_404() {
    let (app, [maria, james]) = TestApp::signed_in_each([MARIA, JAMES]).await;
    maria.create_customer(&[("name", "Harbor Books"), ("tags", "vip")]).await;
    let theirs = james.create_customer(&[("name", "Rossi Wines"), ("tags", "vip, wine")]).await;

    let list = maria.get("/customers?tag=vip").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Harbor Books"));
    assert!(!list.body.contains("Rossi Wines"));
    assert_eq!(table_rows(&list.body), 1);
    assert!(list.body.contains("value=\"vip\""), "the tag filter offers her tags");
    assert!(!list.body.contains("value=\"wine\""), "and not other agents' tags");

    assert_eq!(maria.get_status(&format!("/customers/{theirs}")).await, StatusCode::NOT_FOUND);
    let edit = maria.update(&CUSTOMERS, &theirs, "1", &[("name", "Hijacked")]).await;
    assert_eq!(edit.status, StatusCode::NOT_FOUND);
    let archive = maria.call("/api/customers/archive", &[("id", &theirs)]).await;
    assert_eq!(archive.status, StatusCode::NOT_FOUND);
    let note = maria.add_note("customer", &theirs, "Sneaky").await;
    assert_eq!(note.status, StatusCode::NOT_FOUND);
    let notes = maria.call("/api/notes/list", &[("kind", "customer"), ("id", &theirs)]).await;
    assert_eq!(notes.status, StatusCode::NOT_FOUND);
    let history =
        maria.call("/api/activity/record", &[("kind", "customer"), ("id", &theirs)]).await;
    assert_eq!(history.status, StatusCode::NOT_FOUND);
    assert_eq!(app.rows("customers WHERE name = 'Rossi Wines' AND archived_at IS NULL").await, 1);
    assert_eq!(app.rows("notes").await, 0);

    let admin = app.signed_in(ADMIN).await;
    let everyone = admin.get("/customers?tag=vip").await.body;
    assert_eq!(table_rows(&everyone), 2);
    assert!(everyone.contains("value=\"wine\""), "admins filter by every tag");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_customer_fields_get_messages_and_nothing_is_written() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    let fields =
        [("name", " "), ("email", "not-an-email"), ("phone", "call me"), ("tags", "ok, <b>")];
    let res = maria.try_create(&CUSTOMERS, &fields).await;
    res.assert_invalid(&["name", "email", "phone", "tags"]);
    assert_eq!(app.rows("customers").await, 0);
    assert_eq!(app.rows("customer_tags").await, 0);
    assert_eq!(app.rows("activity WHERE entity_type = 'customer'").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_searches_name_email_company_and_tags_and_filters_sorts_and_pages() {
    let (_app, admin) = TestApp::signed_in_as(ADMIN).await;
    admin
        .create_customer(&[
            ("name", "Harbor Books"),
            ("email", "orders@harbor.example"),
            ("tags", "VIP, retail"),
        ])
        .await;
    let lena = [("name", "Lena Fischer"), ("company", "Fischer Design"), ("tags", "wholesale")];
    admin.create_customer(&lena).await;
    admin.create_customer(&[("name", "Marco Rossi"), ("company", "Harbor Wines")]).await;

    assert_eq!(table_rows(&admin.get("/customers?q=harbor").await.body), 2);
    assert_eq!(table_rows(&admin.get("/customers?q=HOLESAL").await.body), 1, "tags are searched");
    assert_eq!(table_rows(&admin.get("/customers?q=orders%40harbor").await.body), 1);
    let tagged = admin.get("/customers?tag=vip").await;
    assert_eq!(table_rows(&tagged.body), 1);
    assert!(tagged.body.contains("Harbor Books"));

    let by_name = admin.get("/customers?sort=name&dir=asc&per_page=10").await;
    let names = ["Harbor Books", "Lena Fischer", "Marco Rossi"];
    assert_in_order(&by_name.body, &names, "sorted by name ascending");
    assert!(by_name.body.contains("3 in all"));

    let export = admin.get("/customers/export.csv?tag=retail").await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(export.body.starts_with("Name,Email,Phone,Company,Tags,Owner"));
    assert_eq!(export.body.lines().count(), 2, "{}", export.body);
    assert!(export.body.contains("\"vip, retail\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_edit_is_refused_and_a_good_one_logs_old_and_new_values() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    let id = maria.create_customer(&[("name", "Harbor Books"), ("tags", "retail")]).await;

    let first = maria
        .update(&CUSTOMERS, &id, "1", &[("name", "Harbor Books Ltd"), ("tags", "retail, vip")])
        .await;
    first.assert_ok();
    let stale = maria.update(&CUSTOMERS, &id, "1", &[("name", "Lost edit")]).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);

    let (name, version, tags): (String, i64, String) =
        app.one("SELECT name, version, tags FROM customers WHERE id = $1", Some(&id)).await;
    assert_eq!((name.as_str(), version, tags.as_str()), ("Harbor Books Ltd", 2, "retail, vip"));
    assert_eq!(app.rows("customer_tags WHERE tag = 'vip'").await, 1);
    let changes = app.logged_changes("entity_type = 'customer' AND action = 'update'", None).await;
    assert!(changes.contains("[\"Harbor Books\",\"Harbor Books Ltd\"]"), "{changes}");
    assert!(changes.contains("[\"retail\",\"retail, vip\"]"), "{changes}");
    let page = maria.get(&format!("/customers/{id}")).await;
    assert!(page.body.contains("Harbor Books Ltd"));
    assert!(page.body.contains("changed it"), "the record's activity is on its page");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_reassign_customers_and_agents_cannot() {
    let (app, [maria, admin, james]) = TestApp::signed_in_each([MARIA, ADMIN, JAMES]).await;
    let id = maria.create_customer(&[("name", "Harbor Books")]).await;
    let james_id = app.user_id(JAMES.0).await;
    let to_james = [("id", id.as_str()), ("assignee", james_id.as_str())];

    assert_eq!(maria.call_status("/api/customers/assign", &to_james).await, StatusCode::NOT_FOUND);
    admin.call("/api/customers/assign", &to_james).await.assert_ok();

    assert_eq!(james.get_status(&format!("/customers/{id}")).await, StatusCode::OK);
    assert_eq!(maria.get_status(&format!("/customers/{id}")).await, StatusCode::NOT_FOUND);
    assert_eq!(app.rows("activity WHERE entity_type = 'customer' AND action = 'assign'").await, 1);
    let changes = app.logged_changes("entity_type = 'customer' AND action = 'assign'", None).await;
    let changes: serde_json::Value = serde_json::from_str(&changes).expect("JSON");
    assert_eq!(
        changes["owner"],
        serde_json::json!(["Maria Lopez", "James Chen"]),
        "the log names the old and the new owner"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn archiving_hides_a_customer_and_only_admins_restore_it() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    let id = maria.create_customer(&[("name", "Harbor Books")]).await;
    let res = maria.call("/api/customers/archive", &[("id", &id)]).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(!maria.get("/customers").await.body.contains("Harbor Books"));
    assert_eq!(
        maria.call_status("/api/customers/restore", &[("id", &id)]).await,
        StatusCode::NOT_FOUND
    );
    let admin = app.signed_in(ADMIN).await;
    assert!(admin.get("/customers?archived=1").await.body.contains("Harbor Books"));
    let restore = admin.call("/api/customers/restore", &[("id", &id)]).await;
    assert_eq!(restore.status, StatusCode::OK);
    assert!(maria.get("/customers").await.body.contains("Harbor Books"));
}
