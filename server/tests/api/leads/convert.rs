//! Converting leads to customers, and assigning them.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn converting_copies_the_contact_links_both_ways_and_marks_the_lead_won() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    let id = maria
        .create_lead(&[
            ("name", "Ana Silva"),
            ("email", "ana@example.com"),
            ("phone", "+1 555 0100"),
            ("company", "Acme"),
        ])
        .await;
    let res = maria.call("/api/leads/convert", &[("id", &id)]).await;
    res.assert_ok();
    let customer_id =
        res.location().expect("to the customer").trim_start_matches("/customers/").to_owned();

    let (name, email, phone, company, owner, lead_id): (
        String,
        String,
        String,
        String,
        String,
        Option<String>,
    ) = app
        .one(
            "SELECT name, email, phone, company, owner_id, lead_id FROM customers WHERE id = $1",
            Some(&customer_id),
        )
        .await;
    assert_eq!(
        (name.as_str(), email.as_str(), phone.as_str(), company.as_str()),
        ("Ana Silva", "ana@example.com", "+1 555 0100", "Acme")
    );
    assert_eq!(owner, app.user_id(MARIA.0).await);
    assert_eq!(lead_id.as_deref(), Some(id.as_str()));
    let (status, linked): (String, Option<String>) =
        app.one("SELECT status, customer_id FROM leads WHERE id = $1", Some(&id)).await;
    assert_eq!((status.as_str(), linked.as_deref()), ("won", Some(customer_id.as_str())));

    let customer_page = maria.get(&format!("/customers/{customer_id}")).await;
    assert_eq!(customer_page.status, StatusCode::OK);
    assert!(customer_page.body.contains(&format!("/leads/{id}")));
    assert!(maria
        .get(&format!("/leads/{id}"))
        .await
        .body
        .contains(&format!("/customers/{customer_id}")));
    assert_eq!(app.rows("activity WHERE action = 'convert'").await, 1);
    assert_eq!(
        app.signed_in(JAMES).await.get_status(&format!("/customers/{customer_id}")).await,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn converting_twice_keeps_one_customer() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    let id = maria.create_lead(&[("name", "Ana Silva")]).await;
    assert_eq!(maria.call_status("/api/leads/convert", &[("id", &id)]).await, StatusCode::OK);
    let again = maria.call("/api/leads/convert", &[("id", &id)]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("already been converted"));
    assert_eq!(app.rows("customers").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_simultaneous_conversions_leave_one_customer() {
    let (app, [maria, admin]) = TestApp::signed_in_each([MARIA, ADMIN]).await;
    for round in 0..5 {
        let id = maria.create_lead(&[("name", &format!("Lead {round}"))]).await;
        let form = [("id", id.as_str())];
        let (a, b) = tokio::join!(
            maria.call("/api/leads/convert", &form),
            admin.call("/api/leads/convert", &form)
        );
        let mut statuses = [a.status, b.status];
        statuses.sort();
        assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT], "{} / {}", a.body, b.body);
        let customers =
            app.count(&format!("SELECT COUNT(*) FROM customers WHERE lead_id = '{id}'")).await;
        assert_eq!(customers, 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_assign_leads_one_at_a_time_or_in_bulk_and_agents_cannot() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    let first = maria.create_lead(&[("name", "Ana Silva")]).await;
    let second = maria.create_lead(&[("name", "Bruno Costa")]).await;
    let james_id = app.user_id(JAMES.0).await;

    let refused =
        maria.call("/api/leads/assign", &[("ids[0]", &first), ("assignee", &james_id)]).await;
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
    bulk.assert_ok();
    assert_eq!(bulk.location(), Some("/leads?q=a"));
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM leads WHERE assignee_id = '{james_id}'")).await,
        2
    );
    assert_eq!(
        maria.get_status(&format!("/leads/{first}")).await,
        StatusCode::NOT_FOUND,
        "no longer hers"
    );
    assert_eq!(app.rows("activity WHERE action = 'assign'").await, 2);

    let maria_id = app.user_id(MARIA.0).await;
    app.deactivate(MARIA.0).await;
    let to_inactive =
        admin.call("/api/leads/assign", &[("ids[0]", &first), ("assignee", &maria_id)]).await;
    assert_eq!(to_inactive.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_converted_lead_is_not_a_duplicate_of_its_own_customer() {
    let (_app, maria) = TestApp::signed_in_as(MARIA).await;
    let id = maria.create_lead(&[("name", "Ana Silva"), ("email", "ana@example.com")]).await;
    assert_eq!(maria.call_status("/api/leads/convert", &[("id", &id)]).await, StatusCode::OK);
    let won = [("name", "Ana Silva"), ("email", "ana@example.com"), ("status", "won")];
    let edit = maria.update(&LEADS, &id, "2", &won).await;
    edit.assert_ok();
    let other = maria.try_create(&LEADS, &[("name", "Ana S."), ("email", "ana@example.com")]).await;
    assert_eq!(
        other.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a new lead still matches the customer"
    );
    assert!(other.body.contains("a customer"));
}
