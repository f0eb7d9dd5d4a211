//! Files of every shape through the import: unreadable ones refused whole, a
//! workbook under a CSV name, ragged rows, huge cells, formulas, stray bytes.

use crate::helpers::{TestApp, ADMIN};
use axum::http::StatusCode;

#[tokio::test]
async fn a_file_that_cannot_be_read_is_refused_whole_with_a_clear_message() {
    let (app, admin) = TestApp::signed_in_as(ADMIN).await;
    let mut zip_not_xlsx = b"PK\x03\x04".to_vec();
    zip_not_xlsx.extend_from_slice(&[7; 200]);
    let cases: [(&str, &[u8], &str); 5] = [
        ("empty.csv", b"", "The file is empty"),
        ("header.csv", b"Name,Email\n", "no rows"),
        ("blank.csv", b"\n\n ,\n", "The file is empty"),
        ("fake.xlsx", &zip_not_xlsx, "could not be opened"),
        ("binary.csv", b"\x00\x01\x02\x00binary\x00", "neither text nor a workbook"),
    ];
    for (name, bytes, message) in cases {
        let res = admin.upload("leads", name, bytes, "text/html").await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{name}");
        let location = res.location().expect("back to the upload page").to_owned();
        assert!(location.starts_with("/import?error="), "{name}: {location}");
        let page = admin.get(&location).await;
        assert!(page.body.contains(message), "{name}: {message}: {}", page.body);
        let res = admin.upload("leads", name, bytes, "application/json").await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {}", res.body);
        assert!(res.body.contains(message), "{name}: {}", res.body);
    }
    let res = admin.upload("deals", "x.csv", b"Name\nA\n", "application/json").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert_eq!(app.rows("imports").await, 0, "nothing kept from a file that cannot be read");

    // Only the upload may exceed the body limit of other requests (64 KB in tests).
    let mut big = String::from("Name,Email\n");
    while big.len() < 200 * 1024 {
        big.push_str("Someone,someone@example.com\n");
    }
    let id = admin.uploaded("leads", "big.csv", big.as_bytes()).await;
    assert!(!id.is_empty());
    let res = admin.call("/api/leads/create", &[("name", &big)]).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn a_workbook_named_csv_is_read_as_one_and_another_sheet_can_be_chosen() {
    let (app, admin) = TestApp::signed_in_as(ADMIN).await;
    let workbook = include_bytes!("../fixtures/customers.xlsx");
    let id = admin.uploaded("customers", "renamed.csv", workbook).await;
    let page = admin.get(&format!("/import/{id}")).await;
    for shown in ["Excel workbook", "About this export", r#"<option value="Customers">"#] {
        assert!(page.body.contains(shown), "{shown}: {}", page.body);
    }
    // The second sheet: its columns are proposed afresh, whatever the form said.
    let res = admin.preview_import(&id, &["name"], &[("form[sheet]", "Customers")]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let page = admin.get(&format!("/import/{id}")).await;
    assert!(page.body.contains("2 new records would be created"), "{}", page.body);
    assert!(page.body.contains(r#"<option value="tags" selected"#), "tags proposed");
    admin.call("/api/imports/start", &[("id", &id)]).await;
    app.work().await;
    let customer = "SELECT c.name || '|' || c.tags || '|' || u.email FROM customers c \
                    JOIN users u ON u.id = c.owner_id WHERE c.email = $1";
    let (quartz,): (String,) = app.one(customer, Some("ops@quartz.example")).await;
    assert_eq!(quartz, "Quartz Works|vip, retail|maria@kith.test");
    // A formula's cell is what the spreadsheet showed, never evaluated by Kith.
    let (formula,): (String,) = app.one(customer, Some("formula@example.com")).await;
    assert_eq!(formula, "FORMULA CO||james@kith.test");
}

#[tokio::test]
async fn ragged_rows_huge_cells_formulas_stray_bytes_and_mixed_line_ends_never_break_an_import() {
    let (app, admin) = TestApp::signed_in_as(ADMIN).await;
    let huge = "x".repeat(1024 * 1024);
    let mut file = b"Name,Email,Company\r\n".to_vec();
    file.extend_from_slice(b"Short Row,short@example.com\n");
    file.extend_from_slice(b"Long Row,long@example.com,Acme,extra,cells\r");
    file.extend_from_slice(format!("{huge},huge@example.com,\n").as_bytes());
    file.extend_from_slice(
        b"Formula,formula@example.com,\"=HYPERLINK(\"\"http://evil.example\"\")\"\n",
    );
    file.extend_from_slice(b"Caf\xe9 Stray,stray@example.com,Caf\xe9 \xff\n");
    let id = admin.uploaded("leads", "ragged.csv", &file).await;
    let targets = ["name", "email", "company"];
    let res = admin.preview_import(&id, &targets, &[]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    admin.call("/api/imports/start", &[("id", &id)]).await;
    app.work().await;
    assert_eq!(app.import_counts(&id).await, ("done".into(), 5, 4, 0, 0, 1));
    let (company,): (String,) =
        app.one("SELECT company FROM leads WHERE email = $1", Some("formula@example.com")).await;
    assert_eq!(company, r#"=HYPERLINK("http://evil.example")"#, "kept as text");
    let (name,): (String,) =
        app.one("SELECT name FROM leads WHERE email = $1", Some("stray@example.com")).await;
    assert_eq!(name, "Café Stray", "read as Windows-1252 when not UTF-8");
    let csv = admin.get(&format!("/import/{id}/rejected.csv")).await;
    assert!(
        csv.body.contains("huge@example.com") && csv.body.len() > huge.len(),
        "the huge row, whole"
    );

    // Ten thousand columns: refused with why, nothing kept.
    let wide = (0..10_000).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",") + "\nx\n";
    let res = admin.upload("leads", "wide.csv", wide.as_bytes(), "application/json").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("10000 columns"), "{}", res.body);
    assert_eq!(app.rows("imports WHERE file_name = 'wide.csv'").await, 0);
}
