//! Notes on customers and leads.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notes_are_newest_first_escaped_and_keep_their_line_breaks() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    let id = maria.create_customer(&[("name", "Harbor Books")]).await;
    let first = maria.add_note("customer", &id, "First call").await;
    first.assert_ok();
    assert_eq!(first.location(), Some(format!("/customers/{id}#notes").as_str()));
    maria.add_note("customer", &id, "<script>alert(1)</script>\nline two").await;

    let page = maria.get(&format!("/customers/{id}")).await;
    assert_in_order(&page.body, &["line two", "First call"], "newest first");
    assert!(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;\nline two"));
    assert!(!page.body.contains("<script>alert(1)"));
    assert!(page.body.contains("Maria Lopez"), "with its author");

    let too_long = "x".repeat(app::notes::BODY_MAX + 1);
    let res = maria.add_note("customer", &id, &too_long).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let empty = maria.add_note("customer", &id, "   ").await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.rows("notes").await, 2);
    assert_eq!(app.rows("activity WHERE action = 'note_add'").await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authors_and_admins_edit_or_delete_notes_and_nobody_else() {
    let (app, [maria, admin]) = TestApp::signed_in_each([MARIA, ADMIN]).await;
    let id = maria.create_customer(&[("name", "Harbor Books")]).await;
    maria.add_note("customer", &id, "Maria's note").await;
    admin.add_note("customer", &id, "Admin's note").await;
    let marias = note_id(&app, "Maria's note").await;
    let admins = note_id(&app, "Admin's note").await;

    let forbidden = maria
        .call("/api/notes/edit", &[("id", &admins), ("version", "1"), ("body", "Changed")])
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    let own = maria
        .call(
            "/api/notes/edit",
            &[("id", &marias), ("version", "1"), ("body", "Maria's note, edited")],
        )
        .await;
    own.assert_ok();
    let stale = admin
        .call("/api/notes/edit", &[("id", &marias), ("version", "1"), ("body", "Stale")])
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let by_admin = admin.call("/api/notes/delete", &[("id", &marias), ("version", "2")]).await;
    by_admin.assert_ok();

    let james = app.signed_in(JAMES).await;
    let outsider = james.call("/api/notes/delete", &[("id", &admins), ("version", "1")]).await;
    assert_eq!(outsider.status, StatusCode::NOT_FOUND, "James cannot see the customer");
    assert_eq!(app.rows("notes").await, 1);
    let deleted = app.logged_changes("action = 'note_delete'", None).await;
    assert!(deleted.contains("Maria's note, edited"), "the log keeps the text: {deleted}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leads_carry_notes_too() {
    let (app, maria) = TestApp::signed_in_as(MARIA).await;
    let lead = maria.create_lead(&[("name", "Ana Silva")]).await;
    maria.add_note("lead", &lead, "Met at the expo").await.assert_ok();
    let page = maria.get(&format!("/leads/{lead}")).await;
    assert!(page.body.contains("Met at the expo"));
    // The note stands in the timeline itself; its log entry is not shown beside it.
    assert!(!page.body.contains("added a note"));
    assert_eq!(app.logged("action = 'note_add'").await, 1, "the log still has it");
    let james = app.signed_in(JAMES).await;
    assert_eq!(james.add_note("lead", &lead, "Not mine").await.status, StatusCode::NOT_FOUND);
    assert_eq!(maria.add_note("order", &lead, "Bad kind").await.status, StatusCode::BAD_REQUEST);
}
