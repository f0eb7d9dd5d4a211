//! A long import into a small table on SQLite puts off the indexes that only sort
//! the list, and builds them again when it ends, or when Kith next opens the
//! database after stopping half-way.

use crate::helpers::{TestApp, ADMIN};
use app::db::Backend;
use app::import::store::worker::PUT_OFF_FROM;
use app::leads::store::SORT_INDEXES;
use axum::http::StatusCode;

impl TestApp {
    /// How many of the leads list's sorting indexes the database has.
    async fn sorting_indexes(&self) -> i64 {
        let names = SORT_INDEXES.iter().map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", ");
        self.count(&match self.db.backend {
            Backend::Sqlite => {
                format!(
                    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN ({names})"
                )
            }
            Backend::Postgres => {
                format!("SELECT COUNT(*) FROM pg_indexes WHERE indexname IN ({names})")
            }
        })
        .await
    }
}

#[tokio::test]
async fn a_large_import_into_a_small_table_sorts_its_list_as_before_once_done() {
    let (app, admin) = TestApp::signed_in_as(ADMIN).await;
    let rows = PUT_OFF_FROM as usize;
    let mut file = String::from("Name,Email,Company\n");
    for i in 0..rows {
        file.push_str(&format!("Person {i:05},p{i}@example.com,Company {}\n", (i * 7919) % rows));
    }
    let id = admin.uploaded("leads", "large.csv", file.as_bytes()).await;
    let res = admin.preview_import(&id, &["name", "email", "company"], &[]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let res = admin.call("/api/imports/start", &[("id", &id)]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    app.work().await;
    assert_eq!(app.import_counts(&id).await, ("done".into(), rows as i64, rows as i64, 0, 0, 0));

    assert_eq!(app.sorting_indexes().await, SORT_INDEXES.len() as i64);
    if app.db.backend == Backend::Sqlite {
        assert_eq!(app.rows("put_off_indexes").await, 0);
        // Built again after the import: newer than the table that keeps put-off indexes.
        let rebuilt = app
            .count(
                "SELECT COUNT(*) FROM sqlite_master i, sqlite_master t WHERE i.name = 'leads_name_idx' \
                 AND t.name = 'put_off_indexes' AND i.rowid > t.rowid",
            )
            .await;
        assert_eq!(rebuilt, 1, "the sorting indexes were put off during the import");
    }
    let page = admin.get("/leads?sort=company&dir=desc&q=Person").await;
    assert_eq!(page.status, StatusCode::OK);
    // Sorted as text: "Company 9999" comes last of "Company 0" … "Company 19999".
    assert!(page.body.contains("Company 9999"), "{}", page.body);
}

#[tokio::test]
async fn indexes_put_off_by_an_import_that_stopped_are_built_when_kith_opens_the_database() {
    let app = TestApp::new().await;
    app.db.put_off_indexes(SORT_INDEXES).await.expect("put off");
    let kept = match app.db.backend {
        Backend::Sqlite => 0,
        // PostgreSQL writes its indexes fast enough to keep them.
        Backend::Postgres => SORT_INDEXES.len() as i64,
    };
    assert_eq!(app.sorting_indexes().await, kept);

    app.db.migrate().await.expect("open again");
    assert_eq!(app.sorting_indexes().await, SORT_INDEXES.len() as i64);
    if app.db.backend == Backend::Sqlite {
        assert_eq!(app.rows("put_off_indexes").await, 0);
    }
}
