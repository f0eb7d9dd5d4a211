//! Races and round trips: simultaneous note edits, empty bulk assignment, exported phone numbers.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_simultaneous_edits_of_one_note_exactly_one_applies() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    let lead = maria.create_lead(&[("name", "Ana Silva")]).await;
    let res = maria
        .call("/api/notes/add", &[("kind", "lead"), ("record_id", &lead), ("body", "first")])
        .await;
    res.assert_ok();
    let (note,): (String,) = app.one("SELECT id FROM notes", None).await;
    let mut handles = Vec::new();
    for i in 0..8 {
        let (client, note) = (maria.clone(), note.clone());
        handles.push(tokio::spawn(async move {
            let body = format!("edit {i}");
            let res = client
                .call("/api/notes/edit", &[("id", &note), ("version", "1"), ("body", &body)])
                .await;
            (res.status, body)
        }));
    }
    let mut applied = Vec::new();
    for handle in handles {
        let (status, body) = handle.await.expect("edit task");
        match status {
            StatusCode::OK => applied.push(body),
            StatusCode::CONFLICT => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(applied.len(), 1, "{applied:?}");
    let (body, version): (String, i64) = app.one("SELECT body, version FROM notes", None).await;
    assert_eq!((body, version), (applied[0].clone(), 2));
    assert_eq!(app.rows("activity WHERE action = 'note_edit'").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_assign_with_nothing_chosen_is_a_validation_message() {
    let (app, admin) = TestApp::signed_in_as(ADMIN).await;
    let maria = app.user_id(MARIA.0).await;
    let none_ticked =
        admin.call("/api/leads/assign", &[("assignee", &maria), ("back", "/leads")]).await;
    assert_eq!(none_ticked.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none_ticked.body.contains("Tick the leads to assign first"));
    let lead = admin.create_lead(&[("name", "Ana Silva")]).await;
    let nobody = admin.call("/api/leads/assign", &[("ids[0]", &lead), ("assignee", "")]).await;
    assert_eq!(nobody.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(nobody.body.contains("Choose who gets the leads"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exported_phone_numbers_read_back_as_they_were_typed() {
    let (_app, admin) = TestApp::signed_in_as(ADMIN).await;
    let formula = "=cmd|' /C calc'!A0";
    admin
        .create_lead(&[("name", formula), ("phone", "+1 555 0100"), ("company", "Acme; Sons")])
        .await;
    admin.create_customer(&[("name", "Ana"), ("phone", "+44 20 7946 0958")]).await;
    let leads = admin.get("/leads/export.csv").await;
    let mut reader = csv::Reader::from_reader(leads.body.as_bytes());
    let row = reader.records().next().expect("a row").expect("valid CSV");
    assert_eq!(&row[0], "'=cmd|' /C calc'!A0", "a formula stays text");
    assert_eq!(&row[2], "+1 555 0100", "a phone number is unchanged");
    assert_eq!(&row[3], "Acme; Sons");
    assert!(leads.body.contains("\"Acme; Sons\""), "quoted for ; readers");
    let customers = admin.get("/customers/export.csv").await;
    assert!(customers.body.contains(",\"+44 20 7946 0958\","), "{}", customers.body);
}
