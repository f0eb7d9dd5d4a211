//! A read replica (`KITH_DATABASE_REPLICA_URL`, PostgreSQL): the lists read from it
//! when it answers, from the primary when it does not, and a browser that changed
//! something carries the primary's position after it. (The replica lagging behind a
//! browser's own change is shown by `make cluster-test`, on a real standby.)

use crate::helpers::{test_settings, TestApp, ADMIN};
use app::db::{Backend, Db, WROTE_COOKIE};
use axum::http::StatusCode;
use kith_server::config::ServeArgs;

const REPLICA_DOWN: &str = "postgres://postgres@127.0.0.1:9/nowhere";

#[tokio::test]
async fn a_replica_goes_with_a_postgresql_primary_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("kith.db").display());
    let db = Db::connect(&url, 2).await.expect("open");
    let args =
        ServeArgs { database_replica_url: Some(REPLICA_DOWN.to_owned()), ..ServeArgs::default() };
    let options = kith_server::leptos_options().expect("leptos options");
    let refused = kith_server::app_with(db, test_settings("unused"), &args, options);
    let Err(error) = refused else { panic!("a replica beside SQLite was accepted") };
    assert!(error.contains("PostgreSQL primary"), "{error}");
}

#[tokio::test]
async fn the_lists_read_from_a_replica_that_answers_and_from_the_primary_when_it_does_not() {
    // Another database stands in for the replica: it lacks the primary's new lead.
    let stand_in = TestApp::new().await;
    if stand_in.db.backend != Backend::Postgres {
        return; // a replica is PostgreSQL's (refused with SQLite above)
    }
    let app =
        TestApp::new().await.serving(|args| args.database_replica_url = Some(stand_in.url.clone()));
    let writer = app.signed_in(ADMIN).await;
    let id = writer.create_lead(&[("name", "Only On Primary")]).await;
    assert!(
        writer.cookie(WROTE_COOKIE).is_some_and(|position| position.contains('/')),
        "the change's position is kept"
    );
    let reader = app.signed_in(ADMIN).await;
    let list = reader.get("/leads?q=Only+On+Primary").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(!list.body.contains(&id), "read from the replica");
    // Its own page reads the primary.
    assert_eq!(reader.get(&format!("/leads/{id}")).await.status, StatusCode::OK);

    let app = app.serving(|args| args.database_replica_url = Some(REPLICA_DOWN.to_owned()));
    let reader = app.signed_in(ADMIN).await;
    let started = std::time::Instant::now();
    let list = reader.get("/leads?q=Only+On+Primary").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains(&id), "read from the primary: {}", list.body);
    assert!(started.elapsed().as_secs() < 5, "the replica was waited for");
}
