//! The organisation settings.

use super::*;

async fn save_settings(app: &TestApp, admin: &Client, name: &str, zone: &str) -> TestResponse {
    let version = app
        .count("SELECT COALESCE(MAX(updated_at), 0) FROM settings WHERE name IN ('organisation_name', 'time_zone')")
        .await
        .to_string();
    admin
        .call("/api/settings/update", &[("version", &version), ("name", name), ("time_zone", zone)])
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organisation_settings_are_validated_stored_logged_and_used_everywhere() {
    let (app, [admin, maria]) = TestApp::signed_in_each([ADMIN, MARIA]).await;
    maria.new_task("Call at nine", "2030-06-01", &[("due_time", "09:00")]).await;
    let due = || app.count("SELECT due_at FROM tasks WHERE title = 'Call at nine'");
    let utc_due = due().await;

    let bad = save_settings(&app, &admin, &"x".repeat(101), "Mars/Olympus").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("not a time zone"));
    assert!(bad.body.contains("\"name\""));

    let res = save_settings(&app, &admin, "Acme Sales", "Asia/Tokyo").await;
    res.assert_ok();
    // Nine in Tokyo is nine hours before nine in UTC.
    assert_eq!(utc_due - due().await, 9 * 3_600_000);
    let page = maria.get("/tasks").await;
    assert!(page.body.contains("Acme Sales"), "the header shows the name to everyone");

    // Times show on the organisation's clock: a lead created now, in Tokyo.
    let lead = maria.create_lead(&[("name", "Clock Check")]).await;
    let created: (i64,) = app.one("SELECT created_at FROM leads WHERE id = $1", Some(&lead)).await;
    let tokyo: chrono_tz::Tz = "Asia/Tokyo".parse().expect("zone");
    let shown = chrono::DateTime::from_timestamp_millis(created.0)
        .expect("time")
        .with_timezone(&tokyo)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let lead_page = maria.get(&format!("/leads/{lead}")).await;
    assert!(lead_page.body.contains(&shown), "{shown} on the lead's page");

    let stale = admin
        .call("/api/settings/update", &[("version", "1"), ("name", "Other"), ("time_zone", "UTC")])
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let entry = app.logged_changes("entity_type = 'settings' AND action = 'update'", None).await;
    assert!(entry.contains("Asia/Tokyo") && entry.contains("Acme Sales"), "{entry}");
    let settings_page = admin.get("/settings").await;
    assert_eq!(settings_page.status, StatusCode::OK);
    assert!(settings_page.body.contains("value=\"Acme Sales\""));
}
