//! Bulk actions on the customers list: give to someone (admins), delete, in the
//! viewer's scope.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_gives_ticked_customers_to_an_agent_who_then_deletes_one() {
    let (app, admin) = TestApp::signed_in_as(ADMIN).await;
    let ana = admin.create_customer(&[("name", "Ana Silva")]).await;
    let bruno = admin.create_customer(&[("name", "Bruno Costa")]).await;
    admin.create_customer(&[("name", "Carla Dias")]).await;
    let james = app.user_id("james@kith.test").await;

    let confirm = admin
        .get(&format!("/customers/bulk?ids={ana}&ids={bruno}&action=assign&assignee={james}"))
        .await;
    assert!(confirm.body.contains("Assign 2 customers to James"), "{}", confirm.body);
    let form = [
        ("form[ids][0]", ana.as_str()),
        ("form[ids][1]", bruno.as_str()),
        ("form[action]", "assign"),
        ("form[assignee]", &james),
    ];
    let res = admin.call("/api/customers/bulk", &form).await;
    assert!(res.status.is_success() || res.status.is_redirection(), "{}", res.body);
    assert_eq!(app.rows(&format!("customers WHERE owner_id = '{james}'")).await, 2);

    let agent = app.signed_in(JAMES).await;
    let assign =
        [("form[ids][0]", ana.as_str()), ("form[action]", "assign"), ("form[assignee]", &james)];
    assert_eq!(agent.call_status("/api/customers/bulk", &assign).await, StatusCode::NOT_FOUND);
    let maria = app.signed_in(MARIA).await;
    let not_hers = [("form[ids][0]", ana.as_str()), ("form[action]", "archive")];
    maria.call("/api/customers/bulk", &not_hers).await.assert_invalid(&["ids"]);
    let delete = [("form[ids][0]", ana.as_str()), ("form[action]", "archive")];
    let res = agent.call("/api/customers/bulk", &delete).await;
    assert!(res.status.is_success() || res.status.is_redirection(), "{}", res.body);
    assert_eq!(app.rows("customers WHERE archived_at IS NOT NULL").await, 1);
    assert_eq!(app.logged("action = 'archive' AND entity_type = 'customer'").await, 1);
}
