//! `kith backup` and `kith restore`, as real processes: a backup taken while leads
//! are being written holds every write acknowledged before it began, with its
//! search index consistent; a restore refuses a damaged file and a database a
//! server is using, and migrates what it restores.

use crate::cli::{kith, text as said};
use std::process::Command;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_write_load_restores_with_every_acknowledged_write() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}", dir.path().join("kith.db").display());
    assert!(kith(&url, &["seed-demo"]).status.success());
    let db = app::db::Db::connect(&url, 2).await.expect("db");
    let (maria,): (String,) =
        sqlx::query_as("SELECT id FROM users WHERE email = 'maria@kith.test'")
            .fetch_one(&db.pool)
            .await
            .expect("maria");
    let viewer = app::auth::Viewer {
        id: maria.clone().into(),
        name: "Maria Lopez".into(),
        email: "maria@kith.test".into(),
        role: app::auth::Role::Agent,
        session_id: "test".into(),
        two_factor: false,
    };

    // Leads written one transaction each, as fast as they go, while the backup runs.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (db, stop, viewer) = (db.clone(), stop.clone(), viewer.clone());
        tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            let mut i = 0;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                let name = format!("Written {i} Zephyrine");
                let draft = app::leads::LeadDraft {
                    name: name.clone(),
                    email: None,
                    phone: String::new(),
                    company: "Backup Load Co".into(),
                    source: String::new(),
                    status: app::leads::LeadStatus::New,
                    notes: String::new(),
                };
                db.write(async |tx| {
                    app::leads::store::create(tx, &viewer, &draft, &viewer.id).await
                })
                .await
                .expect("write");
                acknowledged.push((std::time::Instant::now(), name));
                i += 1;
            }
            acknowledged
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let file = dir.path().join("kith-backup.db");
    let file_arg = file.to_str().expect("path").to_owned();
    let started = std::time::Instant::now();
    let backup = {
        let url = url.clone();
        let file_arg = file_arg.clone();
        tokio::task::spawn_blocking(move || kith(&url, &["backup", &file_arg]))
            .await
            .expect("backup")
    };
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let acknowledged = writer.await.expect("writer");
    assert!(backup.status.success(), "{}", said(&backup));
    assert!(
        said(&backup).contains("intact") && said(&backup).contains("search indexes consistent"),
        "{}",
        said(&backup)
    );
    let before: Vec<&String> =
        acknowledged.iter().filter(|(at, _)| *at < started).map(|(_, n)| n).collect();
    assert!(before.len() > 10, "the load was running: {}", before.len());
    assert!(
        !kith(&url, &["backup", &file_arg]).status.success(),
        "an existing file is never overwritten"
    );

    // Restored elsewhere: every write acknowledged before the backup, found by search.
    let restored_url = format!("sqlite://{}", dir.path().join("restored/kith.db").display());
    std::fs::create_dir_all(dir.path().join("restored")).expect("dir");
    let restored = kith(&restored_url, &["restore", &file_arg]);
    assert!(restored.status.success(), "{}", said(&restored));
    let copy = app::db::Db::connect(&restored_url, 1).await.expect("copy");
    for name in &before {
        let (found,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM leads WHERE name = $1")
            .bind(name.as_str())
            .fetch_one(&copy.pool)
            .await
            .expect("count");
        assert_eq!(found, 1, "{name} was acknowledged before the backup began");
    }
    let (searched,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM leads l JOIN lead_search s ON s.rowid = l.rowid WHERE lead_search MATCH 'zephyrine' AND l.name LIKE '%Zephyrine'",
    )
    .fetch_one(&copy.pool)
    .await
    .expect("search");
    let (rows,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM leads WHERE name LIKE '%Zephyrine'")
        .fetch_one(&copy.pool)
        .await
        .expect("rows");
    assert_eq!(searched, rows, "the search index finds every restored lead");
    copy.pool.close().await;

    // A server on the database (its shared lock) holds a restore off; a damaged file is refused.
    let lock = kith_server::backup::lock_file(&dir.path().join("restored/kith.db")).expect("lock");
    lock.lock_shared().expect("shared");
    let busy = kith(&restored_url, &["restore", &file_arg]);
    assert!(
        !busy.status.success() && said(&busy).contains("A Kith server is using"),
        "{}",
        said(&busy)
    );
    drop(lock);
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, vec![7u8; 4096]).expect("junk");
    let damaged = kith(&restored_url, &["restore", junk.to_str().expect("path")]);
    assert!(!damaged.status.success(), "{}", said(&damaged));
    assert!(
        said(&damaged).contains("not an SQLite database") || said(&damaged).contains("damaged"),
        "{}",
        said(&damaged)
    );
    let copy = app::db::Db::connect(&restored_url, 1).await.expect("still there");
    let (still,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM leads WHERE name LIKE '%Zephyrine'")
            .fetch_one(&copy.pool)
            .await
            .expect("rows");
    assert_eq!(still, rows, "a refused restore leaves the database as it was");
}

#[test]
fn a_postgresql_backup_is_pg_dump_and_reads_back() {
    let Ok(url) = std::env::var("KITH_TEST_POSTGRES_URL") else {
        return; // PostgreSQL runs in `make test`'s second pass.
    };
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("kith.dump");
    let path = format!("/usr/lib/postgresql/15/bin:{}", std::env::var("PATH").unwrap_or_default());
    let output = Command::new(env!("CARGO_BIN_EXE_kith"))
        .args(["backup", file.to_str().expect("path")])
        .env("KITH_DATABASE_URL", &url)
        .env("KITH_LOG", "error")
        .env("PATH", path)
        .output()
        .expect("kith runs");
    assert!(output.status.success(), "{}", said(&output));
    assert!(said(&output).contains("read back with pg_restore --list"), "{}", said(&output));
    let without = kith(&url, &["backup", dir.path().join("other.dump").to_str().expect("path")]);
    if !without.status.success() {
        assert!(said(&without).contains("pg_dump"), "says the command: {}", said(&without));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_instance_takes_each_days_backup_and_only_the_newest_are_kept() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}", dir.path().join("kith.db").display());
    assert!(kith(&url, &["seed-demo"]).status.success());
    let one = app::db::Db::connect(&url, 2).await.expect("one");
    let two = app::db::Db::connect(&url, 2).await.expect("two");
    let backups = dir.path().join("backups");
    for day in ["2026-11-28", "2026-11-29", "2026-11-30", "2026-12-01"] {
        let (a, b) = tokio::join!(
            kith_server::backup::scheduled(&one, &url, &backups, 3, day),
            kith_server::backup::scheduled(&two, &url, &backups, 3, day)
        );
        let taken = [a.expect("a"), b.expect("b")].into_iter().flatten().count();
        assert_eq!(taken, 1, "{day}: exactly one instance takes it");
    }
    let mut files: Vec<String> = std::fs::read_dir(&backups)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["kith-2026-11-29.db", "kith-2026-11-30.db", "kith-2026-12-01.db"]);
    assert_eq!(
        kith_server::backup::scheduled(&one, &url, &backups, 3, "2026-12-01").await.expect("again"),
        None
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_finds_wrong_kept_counts_and_a_broken_search_index_and_repair_rebuilds_them() {
    let (url, _dir) = crate::helpers::fresh_database_url().await;
    assert!(kith(&url, &["seed-demo"]).status.success());
    let clean = kith(&url, &["check"]);
    assert!(clean.status.success(), "{}", said(&clean));
    assert!(
        said(&clean).contains("lead counts by assignee and status: consistent"),
        "{}",
        said(&clean)
    );

    let db = app::db::Db::connect(&url, 1).await.expect("db");
    sqlx::query("UPDATE lead_status_counts SET n = n + 5 WHERE status = 'new'")
        .execute(&db.pool)
        .await
        .expect("skew");
    sqlx::query("INSERT INTO lead_created_counts (slot, assignee_id, n) VALUES (1, 'nobody', 3)")
        .execute(&db.pool)
        .await
        .expect("ghost");
    let sqlite = db.backend == app::db::Backend::Sqlite;
    if sqlite {
        sqlx::query("INSERT INTO lead_search (lead_search, rowid, search_text) SELECT 'delete', rowid, search_text FROM leads LIMIT 1")
            .execute(&db.pool)
            .await
            .expect("break the index");
    }
    let found = kith(&url, &["check"]);
    assert!(!found.status.success(), "{}", said(&found));
    for wrong in
        ["lead counts by assignee and status: ", "lead counts by assignee and time of creation: "]
    {
        assert!(
            said(&found).lines().any(|l| l.starts_with(wrong) && l.ends_with("wrong")),
            "{}",
            said(&found)
        );
    }
    if sqlite {
        assert!(said(&found).contains("search index lead_search: 1 wrong"), "{}", said(&found));
    }
    let repaired = kith(&url, &["check", "--repair"]);
    assert!(
        repaired.status.success() && said(&repaired).contains("rebuilt"),
        "{}",
        said(&repaired)
    );
    let again = kith(&url, &["check"]);
    assert!(again.status.success(), "{}", said(&again));
    assert!(!said(&again).contains("wrong"), "{}", said(&again));
}
