//! Mappings saved under a name on the mapping page and used again on another file:
//! columns followed by name, statuses kept, each person's own.

use super::{HUBSPOT, HUBSPOT_TARGETS};
use crate::helpers::{TestApp, ADMIN, MARIA};
use axum::http::StatusCode;

/// The same people in another export's shape: columns reordered and renamed in case
/// and punctuation, one new ("Region").
const REORDERED: &str =
    "email,Region,first-name,LAST NAME,Phone Number,Lead Status,Contact owner\n\
    ada@engines.example,Europe,Ada,Lovelace,+44 20 7946 0001,CONNECTED,James Chen\n";

#[tokio::test]
async fn a_mapping_saved_by_name_maps_another_files_columns_and_statuses_and_is_its_owners_alone() {
    let (app, [admin, maria]) = TestApp::signed_in_each([ADMIN, MARIA]).await;
    let first = admin.uploaded("leads", "hubspot.csv", HUBSPOT.as_bytes()).await;
    // The phone skipped, HubSpot's statuses mapped, saved as "HubSpot contacts".
    let choices = [
        ("form[status_values][0]", "CONNECTED"),
        ("form[statuses][0]", "in_progress"),
        ("form[save_as]", "  HubSpot contacts "),
    ];
    let res = admin.preview_import(&first, &HUBSPOT_TARGETS, &choices).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    // Saved again under the same name: replaced, not doubled.
    let res = admin.preview_import(&first, &HUBSPOT_TARGETS, &choices).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(app.rows("import_mappings WHERE name = 'HubSpot contacts'").await, 1);

    let long = "x".repeat(101);
    let res = admin.preview_import(&first, &HUBSPOT_TARGETS, &[("form[save_as]", &long)]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.body.contains("save_as"), "{}", res.body);

    let next = admin.uploaded("leads", "other.csv", REORDERED.as_bytes()).await;
    let page = admin.get(&format!("/import/{next}")).await;
    assert!(page.body.contains("Saved mappings") && page.body.contains("HubSpot contacts"));
    let (mapping,): (String,) =
        app.one("SELECT id FROM import_mappings WHERE name = $1", Some("HubSpot contacts")).await;
    let res = admin.call("/api/imports/use_mapping", &[("id", &next), ("mapping", &mapping)]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let page = admin.get(&format!("/import/{next}")).await;
    let chosen = |column: usize| {
        let select = format!(r#"id="column-{column}""#);
        let options = page.body.split(&select).nth(1).and_then(|s| s.split("</select>").next());
        let selected = options.and_then(|s| s.split(r#"" selected"#).next());
        selected.and_then(|s| s.rsplit(r#"value=""#).next()).unwrap_or_default().to_owned()
    };
    let fields: Vec<String> = (0..7).map(chosen).collect();
    assert_eq!(
        fields,
        ["email", "skip", "first_name", "last_name", "skip", "status", "assignee"],
        "followed by name; Region was not in the mapping and names no field"
    );
    assert!(page.body.contains("Status “CONNECTED” becomes"), "statuses kept: {}", page.body);
    let targets: Vec<&str> = fields.iter().map(String::as_str).collect();
    let res = admin.preview_import(&next, &targets, &choices[..2]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let page = admin.get(&format!("/import/{next}")).await;
    assert!(page.body.contains("1 new records would be created"), "{}", page.body);

    // Maria neither sees nor uses nor forgets the admin's mapping.
    let hers = maria.uploaded("leads", "hubspot.csv", HUBSPOT.as_bytes()).await;
    let page = maria.get(&format!("/import/{hers}")).await;
    assert!(!page.body.contains("HubSpot contacts"), "{}", page.body);
    let res = maria.call("/api/imports/use_mapping", &[("id", &hers), ("mapping", &mapping)]).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "{}", res.body);
    let res =
        maria.call("/api/imports/forget_mapping", &[("id", &hers), ("mapping", &mapping)]).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "{}", res.body);

    let res =
        admin.call("/api/imports/forget_mapping", &[("id", &next), ("mapping", &mapping)]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(app.rows("import_mappings").await, 0);
    let page = admin.get(&format!("/import/{next}")).await;
    assert!(!page.body.contains("Saved mappings"), "{}", page.body);
}
