//! Importing through the import pages: upload, mapping and preview, the job a
//! worker carries out (and takes up again), the rejected rows' download, undo,
//! and agents' scope; files of every shape in `files`.

mod duplicates;
mod files;
mod large;
mod mappings;

use crate::client::LEADS;
use crate::helpers::{Client, TestApp, TestResponse, ADMIN, JAMES, MARIA};
use app::import::store::{claims, worker};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};

/// A HubSpot contacts export: a good row, a row with a bad email, an owner by name.
pub(super) const HUBSPOT: &str =
    "First Name,Last Name,Email,Phone Number,Company Name,Lead Status,Contact owner\n\
    Ada,Lovelace,ada@engines.example,+44 20 7946 0001,Analytical Engines,OPEN,James Chen\n\
    Bad,Row,not-an-email,,,,\n\
    Grace,Hopper,grace@navy.example,,US Navy,CONNECTED,someone@else.example\n";

impl Client {
    /// Uploads `bytes` as the import page's form does, as a browser (`text/html`) or not.
    pub async fn upload(&self, kind: &str, name: &str, bytes: &[u8], accept: &str) -> TestResponse {
        let boundary = "kith-test-boundary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        self.send(
            Request::post("/import/upload")
                .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
                .header(header::ACCEPT, accept)
                .header("sec-fetch-site", "same-origin"),
            Body::from(body),
        )
        .await
    }

    /// Uploads a file as a browser and returns the new import's id.
    pub async fn uploaded(&self, kind: &str, name: &str, bytes: &[u8]) -> String {
        let res = self.upload(kind, name, bytes, "text/html").await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let location = res.location().expect("redirect").to_owned();
        let id = location.strip_prefix("/import/").unwrap_or_else(|| panic!("{location}"));
        id.to_owned()
    }

    /// Previews import `id` with the page's form: `targets` one per column, and `extra` fields.
    pub async fn preview_import(
        &self,
        id: &str,
        targets: &[&str],
        extra: &[(&str, &str)],
    ) -> TestResponse {
        let names: Vec<String> =
            (0..targets.len()).map(|i| format!("form[targets][{i}]")).collect();
        let mut form: Vec<(&str, &str)> =
            vec![("form[id]", id), ("form[on_duplicate]", "skip"), ("form[other_status]", "new")];
        form.extend(names.iter().map(String::as_str).zip(targets.iter().copied()));
        for (key, value) in extra {
            form.retain(|(k, _)| k != key);
            form.push((key, value));
        }
        self.call("/api/imports/preview", &form).await
    }
}

impl TestApp {
    /// What the import's row says: state and its counts.
    pub(super) async fn import_counts(&self, id: &str) -> (String, i64, i64, i64, i64, i64) {
        self.one(
            "SELECT state, rows_done, created, updated, skipped, rejected FROM imports WHERE id = $1",
            Some(id),
        )
        .await
    }

    /// Carries out every job waiting for a worker, as a server's background task does.
    pub(super) async fn work(&self) {
        worker::work(&self.db).await.expect("work on imports");
    }
}

pub(super) const HUBSPOT_TARGETS: [&str; 7] =
    ["first_name", "last_name", "email", "skip", "company", "status", "assignee"];

#[tokio::test]
async fn a_crm_export_uploaded_mapped_and_previewed_is_imported_by_a_worker_with_its_rejected_rows_to_download(
) {
    let (app, admin) = TestApp::signed_in_as(ADMIN).await;
    let id = admin.uploaded("leads", "hubspot.csv", HUBSPOT.as_bytes()).await;

    // The mapping page shows each column with its first value and the proposed field.
    let page = admin.get(&format!("/import/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    for shown in ["Contact owner", "Analytical Engines", "3 rows", "CSV"] {
        assert!(page.body.contains(shown), "{shown}: {}", page.body);
    }
    assert!(page.body.contains(r#"<option value="phone" selected"#), "phone proposed");

    // The phone column is skipped instead; HubSpot's statuses are asked about.
    let res = admin.preview_import(&id, &HUBSPOT_TARGETS, &[]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let page = admin.get(&format!("/import/{id}")).await;
    for shown in [
        "2 new records would be created",
        "1 rows would be rejected",
        "Row 2: email:",
        "Status “OPEN” becomes",
        "Status “CONNECTED” becomes",
        "Ada Lovelace",
        "James Chen",
        "Nobody on the team is “someone@else.example”",
    ] {
        assert!(page.body.contains(shown), "{shown}: {}", page.body);
    }
    assert_eq!(
        app.rows("leads WHERE email = 'ada@engines.example'").await,
        0,
        "nothing written yet"
    );

    // Map the statuses, start, and let a worker write it.
    let statuses = [
        ("form[status_values][0]", "OPEN"),
        ("form[statuses][0]", "new"),
        ("form[status_values][1]", "CONNECTED"),
        ("form[statuses][1]", "in_progress"),
    ];
    let res = admin.preview_import(&id, &HUBSPOT_TARGETS, &statuses).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let res = admin.call("/api/imports/start", &[("id", &id)]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let page = admin.get(&format!("/import/{id}")).await;
    assert!(page.body.contains(r#"http-equiv="refresh""#), "refreshes while importing");
    app.work().await;
    assert_eq!(app.import_counts(&id).await, ("done".into(), 3, 2, 0, 0, 1));

    let lead =
        "SELECT l.name || '|' || l.status || '|' || u.email || '|' || l.company || '|' || l.phone \
                FROM leads l JOIN users u ON u.id = l.assignee_id WHERE l.email = $1";
    let (ada,): (String,) = app.one(lead, Some("ada@engines.example")).await;
    assert_eq!(ada, "Ada Lovelace|new|james@kith.test|Analytical Engines|");
    let (grace,): (String,) = app.one(lead, Some("grace@navy.example")).await;
    assert_eq!(grace, "Grace Hopper|in_progress|admin@kith.test|US Navy|");
    assert_eq!(app.logged("action = 'import' AND label LIKE 'hubspot.csv: 2 created%'").await, 1);
    // Each created lead's history says where it came from.
    let created =
        "action = 'create' AND entity_type = 'lead' AND changes LIKE '%imported from%hubspot.csv%'";
    assert_eq!(app.logged(created).await, 2);
    assert_eq!(
        app.rows(&format!("import_chunks WHERE import_id = '{id}'")).await,
        0,
        "file dropped"
    );

    let page = admin.get(&format!("/import/{id}")).await;
    assert!(page.body.contains("Undo this import"), "{}", page.body);
    let csv = admin.get(&format!("/import/{id}/rejected.csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap_or_default()
        .contains("hubspot-rejected"));
    let mut lines = csv.body.lines();
    assert_eq!(
        lines.next(),
        Some(
            "First Name,Last Name,Email,Phone Number,Company Name,Lead Status,Contact owner,Reason"
        )
    );
    let refused = lines.next().expect("the refused row");
    assert!(
        refused.starts_with("Bad,Row,not-an-email,,,,,") && refused.contains("email"),
        "{refused}"
    );
    assert_eq!(lines.next(), None);

    // A started import cannot be planned, started or discarded again.
    let again = admin.call("/api/imports/start", &[("id", &id)]).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    let again = admin.preview_import(&id, &HUBSPOT_TARGETS, &[]).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);

    // The same export again: mapped as last time (the phone skipped, the statuses
    // known), and it must be previewed before it starts.
    let next = admin.uploaded("leads", "hubspot-2.csv", HUBSPOT.as_bytes()).await;
    let page = admin.get(&format!("/import/{next}")).await;
    assert!(page.body.contains("mapped as you mapped them before"), "{}", page.body);
    let phone =
        page.body.split(r#"id="column-3""#).nth(1).and_then(|s| s.split("</select>").next());
    assert!(phone.is_some_and(|s| s.contains(r#"<option value="skip" selected"#)), "{phone:?}");
    assert!(page.body.contains("Status “CONNECTED” becomes"), "{}", page.body);
    let early = admin.call("/api/imports/start", &[("id", &next)]).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", early.body);
}

#[tokio::test]
async fn undo_archives_what_an_import_created_and_puts_back_what_it_updated_but_leaves_records_changed_since(
) {
    let (app, admin) = TestApp::signed_in_as(ADMIN).await;
    let kept_id = admin
        .create_lead(&[("name", "Kept Lead"), ("email", "kept@example.com"), ("company", "Old Co")])
        .await;
    let changed_id = admin
        .create_lead(&[
            ("name", "Changed Lead"),
            ("email", "changed@example.com"),
            ("company", "Old Co"),
        ])
        .await;
    let file = "Name,Email,Company\n\
        Kept Lead,kept@example.com,New Co\n\
        Changed Lead,changed@example.com,New Co\n\
        Fresh One,fresh@example.com,\n\
        Fresh Two,fresh2@example.com,\n";
    let id = admin.uploaded("leads", "update.csv", file.as_bytes()).await;
    let targets = ["name", "email", "company"];
    let res = admin.preview_import(&id, &targets, &[("form[on_duplicate]", "update")]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    admin.call("/api/imports/start", &[("id", &id)]).await;
    app.work().await;
    assert_eq!(app.import_counts(&id).await, ("done".into(), 4, 2, 2, 0, 0));
    // An updated record's history shows old → new and the file it came from.
    let updated = format!(
        "action = 'update' AND entity_id = '{kept_id}' \
         AND changes LIKE '%Old Co%New Co%' AND changes LIKE '%imported from%update.csv%'"
    );
    assert_eq!(app.logged(&updated).await, 1);

    // Someone edits one updated and one created record after the import.
    let (version,): (i64,) =
        app.one("SELECT version FROM leads WHERE id = $1", Some(&changed_id)).await;
    let edit =
        [("name", "Changed Lead"), ("email", "changed@example.com"), ("company", "Edited Co")];
    let res = admin.update(&LEADS, &changed_id, &version.to_string(), &edit).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let (fresh_id, fresh_version): (String, i64) =
        app.one("SELECT id, version FROM leads WHERE email = $1", Some("fresh2@example.com")).await;
    let edit = [("name", "Fresh Two"), ("email", "fresh2@example.com"), ("phone", "+1 555 0199")];
    let res = admin.update(&LEADS, &fresh_id, &fresh_version.to_string(), &edit).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);

    let res = admin.call("/api/imports/undo", &[("id", &id)]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    app.work().await;
    let (state, done, kept): (String, i64, i64) =
        app.one("SELECT state, undo_done, undo_kept FROM imports WHERE id = $1", Some(&id)).await;
    assert_eq!((state.as_str(), done, kept), ("undone", 2, 2));
    let company = "SELECT company FROM leads WHERE id = $1";
    assert_eq!(app.one::<(String,)>(company, Some(&kept_id)).await.0, "Old Co", "put back");
    assert_eq!(app.one::<(String,)>(company, Some(&changed_id)).await.0, "Edited Co", "left alone");
    assert_eq!(
        app.rows("leads WHERE email = 'fresh@example.com' AND archived_at IS NOT NULL").await,
        1
    );
    assert_eq!(
        app.rows("leads WHERE email = 'fresh2@example.com' AND archived_at IS NULL").await,
        1
    );
    assert_eq!(app.logged("action = 'undo_import' AND label = 'update.csv'").await, 1);
    let page = admin.get(&format!("/import/{id}")).await;
    assert!(page.body.contains("2 left alone because they changed since"), "{}", page.body);
    let kept = admin.call("/api/imports/kept", &[("id", &id)]).await;
    assert!(kept.body.contains(&changed_id) && kept.body.contains(&fresh_id), "{}", kept.body);
    let again = admin.call("/api/imports/undo", &[("id", &id)]).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_taken_over_from_a_stopped_worker_goes_on_after_its_last_batch_and_one_worker_wins_a_claim(
) {
    let (app, admin) = TestApp::signed_in_as(ADMIN).await;
    let rows = 10_000;
    let mut file = String::from("Name,Email\n");
    for i in 0..rows {
        file.push_str(&format!("Person {i},person{i}@example.com\n"));
    }
    let id = admin.uploaded("leads", "many.csv", file.as_bytes()).await;
    admin.preview_import(&id, &["name", "email"], &[]).await;
    admin.call("/api/imports/start", &[("id", &id)]).await;

    // Two instances reach for the job at once: exactly one holds it.
    let other = app.another_instance().await;
    let (first, second) = tokio::join!(claims::claim_next(&app.db), claims::claim_next(&other.db));
    let (first, second) = (first.expect("claim"), second.expect("claim"));
    assert!(first.is_some() != second.is_some(), "exactly one claim");
    let stopped = first.or(second).expect("a claim");

    // Its worker writes; once a batch is in, it stops as a killed server does (its
    // open transaction never commits), and once the claim has lapsed another
    // instance's worker takes the job up.
    let db = app.db.clone();
    let writing = tokio::spawn(async move { worker::carry_out(&db, &stopped).await });
    let taken_at = loop {
        let (_, done, ..) = app.import_counts(&id).await;
        if done > 0 {
            break done;
        }
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    };
    writing.abort();
    assert!(writing.await.is_err_and(|e| e.is_cancelled()), "stopped mid-way");
    assert!(
        claims::claim_next(&other.db).await.expect("claim").is_none(),
        "claimed until it lapses"
    );
    // The stopped worker's connection rolls its open batch back as it goes; until then
    // the database may still be locked.
    let mut lapsed = Err(sqlx::Error::PoolClosed);
    for _ in 0..50 {
        lapsed = sqlx::query("UPDATE imports SET claimed_until = 0 WHERE id = $1")
            .bind(&id)
            .execute(&other.db.pool)
            .await;
        if lapsed.is_ok() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    lapsed.expect("lapse the claim");
    let taker = claims::claim_next(&other.db).await.expect("claim").expect("the lapsed job");
    worker::carry_out(&other.db, &taker).await.expect("carry on");

    assert!(taken_at < rows, "taken over part way ({taken_at} of {rows})");
    assert_eq!(app.import_counts(&id).await, ("done".into(), rows, rows, 0, 0, 0));
    assert_eq!(
        app.rows("leads WHERE email LIKE 'person%@example.com'").await,
        rows,
        "each row once"
    );
    assert_eq!(app.rows(&format!("import_records WHERE import_id = '{id}'")).await, rows);
}

#[tokio::test]
async fn agents_import_for_themselves_only_and_nobody_else_sees_their_import() {
    let (app, [maria, james, admin]) = TestApp::signed_in_each([MARIA, JAMES, ADMIN]).await;
    let id = maria.uploaded("leads", "mine.csv", HUBSPOT.as_bytes()).await;
    // An agent plans without a default assignee: an admin's field is ignored.
    let james_id = app.user_id("james@kith.test").await;
    let res = maria.preview_import(&id, &HUBSPOT_TARGETS, &[("form[assignee]", &james_id)]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);

    for path in [format!("/import/{id}"), format!("/import/{id}/rejected.csv")] {
        assert_eq!(james.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    for call in [
        "/api/imports/get",
        "/api/imports/progress",
        "/api/imports/start",
        "/api/imports/undo",
        "/api/imports/discard",
    ] {
        let res = james.call(call, &[("id", &id)]).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{call}: {}", res.body);
    }
    let res = james.preview_import(&id, &HUBSPOT_TARGETS, &[]).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "{}", res.body);
    assert!(!james.get("/import").await.body.contains("mine.csv"));
    assert!(admin.get("/import").await.body.contains("mine.csv"));

    maria.call("/api/imports/start", &[("id", &id)]).await;
    app.work().await;
    let owners = "leads l JOIN users u ON u.id = l.assignee_id \
                  WHERE l.email IN ('ada@engines.example', 'grace@navy.example') AND u.email = 'maria@kith.test'";
    assert_eq!(app.rows(owners).await, 2, "both rows are Maria's, whatever the file says");
}
