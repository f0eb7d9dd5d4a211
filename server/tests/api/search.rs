//! Finding anything through `/api/search` and the `/search` page: several words
//! across fields, phone numbers in any format, one letter wrong, each viewer's
//! records only.

use crate::helpers::{Client, TestApp, ADMIN, JAMES, MARIA};
use app::search::{HitKind, SearchResults};
use axum::http::StatusCode;

impl Client {
    /// What the search answers `q`.
    async fn search(&self, q: &str) -> SearchResults {
        let res = self.call("/api/search", &[("q", q)]).await;
        assert_eq!(res.status, StatusCode::OK, "{q}: {}", res.body);
        serde_json::from_str(&res.body).unwrap_or_else(|e| panic!("{e}: {}", res.body))
    }

    /// The titles of what the search answers `q`, best first.
    async fn found(&self, q: &str) -> Vec<String> {
        self.search(q).await.hits.into_iter().map(|h| h.title).collect()
    }
}

#[tokio::test]
async fn search_matches_words_across_fields_phone_digits_and_a_letter_wrong_within_scope() {
    let (app, [admin, maria, james]) = TestApp::signed_in_each([ADMIN, MARIA, JAMES]).await;
    maria
        .create_lead(&[
            ("name", "Tara Quinn"),
            ("company", "Brightside Labs"),
            ("email", "tara@brightside.example"),
            ("phone", "+1 (555) 010-0199"),
        ])
        .await;
    james.create_lead(&[("name", "Tara Stone"), ("company", "Granite Co")]).await;
    maria.create_customer(&[("name", "Brightside Labs"), ("phone", "555 010 0777")]).await;
    maria.new_task("Call Tara about the Brightside pilot", "2030-01-15", &[]).await;

    // Two words, one in the name and one in the company: only that lead, best first.
    let hits = maria.search("tara brightside").await;
    assert!(!hits.close);
    assert_eq!(hits.hits[0].title, "Tara Quinn");
    assert_eq!(hits.hits[0].kind, HitKind::Lead);
    assert!(hits.hits[0].detail.contains("Brightside Labs"), "{:?}", hits.hits[0]);
    assert!(!hits.hits.iter().any(|h| h.title == "Tara Stone"));
    // "brightside" alone: the lead (by company), the customer, the task.
    let mut kinds: Vec<HitKind> =
        maria.search("Brightside").await.hits.iter().map(|h| h.kind).collect();
    kinds.sort();
    assert_eq!(kinds, [HitKind::Lead, HitKind::Customer, HitKind::Task]);

    // Phone numbers by their digits, however they are written.
    assert_eq!(maria.found("555-010-0199").await, ["Tara Quinn"]);
    assert_eq!(maria.found("(555) 0100777").await, ["Brightside Labs"]);
    assert_eq!(maria.found("555 010").await.len(), 2);

    // One letter wrong, missing, extra or swapped.
    for typo in ["brigthside", "brightsde", "brighttside", "brixhtside"] {
        let close = maria.search(typo).await;
        assert!(close.close, "{typo}: said to be close");
        assert!(close.hits.iter().any(|h| h.title == "Tara Quinn"), "{typo}: {:?}", close.hits);
    }
    assert!(maria.found("zzzqqq").await.is_empty());

    // Agents see only their own; James has his Tara, not Maria's.
    assert_eq!(james.found("tara").await, ["Tara Stone"]);
    assert!(james.found("brightside").await.is_empty());
    assert!(james.found("555 010 0199").await.is_empty());
    // Admins see everyone's, and the team.
    assert_eq!(admin.found("tara").await.len(), 3);
    let team = admin.search("maria").await;
    assert!(
        team.hits.iter().any(|h| h.kind == HitKind::User && h.title == "Maria Lopez"),
        "{team:?}"
    );
    assert!(maria.search("maria").await.hits.iter().all(|h| h.kind != HitKind::User));

    // Archived records are not found.
    let (id,): (String,) =
        app.one("SELECT id FROM customers WHERE name = $1", Some("Brightside Labs")).await;
    let res = admin.call("/api/customers/archive", &[("id", &id)]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(!admin.found("brightside").await.contains(&"Brightside Labs".to_owned()));

    // The page: a plain GET form with the hits grouped by kind, escaped.
    let page = maria.get("/search?q=tara+brightside").await;
    assert_eq!(page.status, StatusCode::OK);
    for shown in ["Leads (1)", "Tara Quinn", r#"href="/leads/"#, "Tasks (1)"] {
        assert!(page.body.contains(shown), "{shown}: {}", page.body);
    }
    let page = maria.get("/search?q=%3Cscript%3Ex").await;
    assert!(page.body.contains("Nothing you can see matches “&lt;script&gt;x”"), "{}", page.body);
    // A query past the limit is cut, not refused; an empty one finds nothing.
    assert!(maria.search(&"tara ".repeat(100)).await.hits.len() <= 3);
    assert!(maria.search("   ").await.hits.is_empty());
    // One long word, and six long words: each asked, none too many patterns for the database.
    assert!(maria.search(&"q".repeat(200)).await.hits.is_empty());
    assert!(maria
        .search(&format!("{} ", "abcdefghijklmnopqrstuvwxyzabcde").repeat(6))
        .await
        .hits
        .is_empty());
    let anonymous = app.client();
    assert_eq!(
        anonymous.call("/api/search", &[("q", "tara")]).await.status,
        StatusCode::UNAUTHORIZED
    );
}
