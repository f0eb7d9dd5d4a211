//! Which rows an import takes for duplicates: by email and, when asked, by the
//! phone's digits, among leads and customers both and the file's earlier rows.

use crate::helpers::{TestApp, ADMIN};
use axum::http::StatusCode;

/// A lead known by its phone, a customer by its email, and a file that names both.
const FILE: &str = "Name,Email,Phone\n\
    Same Phone,,1 555 010 0100\n\
    Customer Email,CUST@example.com,\n\
    Fresh,fresh@example.com,555.010.0200\n\
    Fresh Again,,(555) 010-0200\n";

#[tokio::test]
async fn rows_matching_a_lead_or_a_customer_by_email_or_by_phone_digits_are_duplicates() {
    let (app, admin) = TestApp::signed_in_as(ADMIN).await;
    let lead = admin.create_lead(&[("name", "Phone Lead"), ("phone", "+1 (555) 010-0100")]).await;
    admin.create_customer(&[("name", "Cust Omer"), ("email", "cust@example.com")]).await;
    let targets = ["name", "email", "phone"];

    // By email alone: only the customer's email is a duplicate.
    let id = admin.uploaded("leads", "people.csv", FILE.as_bytes()).await;
    let res = admin.preview_import(&id, &targets, &[]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let page = admin.get(&format!("/import/{id}")).await;
    for shown in ["3 new records would be created", "1 duplicates would be skipped"] {
        assert!(page.body.contains(shown), "{shown}: {}", page.body);
    }

    // By phone too: the lead's number written otherwise, and an earlier row's.
    let by_phone = [("form[match_phone]", "on")];
    let res = admin.preview_import(&id, &targets, &by_phone).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let page = admin.get(&format!("/import/{id}")).await;
    for shown in ["1 new records would be created", "3 duplicates would be skipped"] {
        assert!(page.body.contains(shown), "{shown}: {}", page.body);
    }
    assert!(page.body.contains(r#"name="form[match_phone]" value="on" checked"#), "kept");
    admin.call("/api/imports/start", &[("id", &id)]).await;
    app.work().await;
    assert_eq!(app.import_counts(&id).await, ("done".into(), 4, 1, 0, 3, 0));
    assert_eq!(app.rows("leads WHERE phone_digits = '15550100100'").await, 1);
    assert_eq!(
        app.rows("leads WHERE email = 'cust@example.com'").await,
        0,
        "no lead for the customer"
    );

    // Updating: the lead found by its phone takes the row's values; the customer,
    // another kind, is left as it is.
    let id = admin.uploaded("leads", "people-again.csv", FILE.as_bytes()).await;
    let update = [("form[match_phone]", "on"), ("form[on_duplicate]", "update")];
    let res = admin.preview_import(&id, &targets, &update).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    admin.call("/api/imports/start", &[("id", &id)]).await;
    app.work().await;
    // Fresh (created by the first import) is updated with nothing new: skipped.
    assert_eq!(app.import_counts(&id).await, ("done".into(), 4, 0, 1, 3, 0));
    let (name, phone): (String, String) =
        app.one("SELECT name, phone FROM leads WHERE id = $1", Some(&lead)).await;
    assert_eq!((name.as_str(), phone.as_str()), ("Same Phone", "1 555 010 0100"));
    let (customer,): (String,) =
        app.one("SELECT name FROM customers WHERE email = $1", Some("cust@example.com")).await;
    assert_eq!(customer, "Cust Omer");
}
