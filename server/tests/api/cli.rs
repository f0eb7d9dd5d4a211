//! The `kith` command line, run as a real process on a real SQLite file (and the
//! bulk seed on PostgreSQL too when `KITH_TEST_POSTGRES_URL` is set).

use std::process::{Command, Output};

/// `kith args…` on the database at `db_url`, as a real process.
pub fn kith(db_url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kith"))
        .args(args)
        .env("KITH_DATABASE_URL", db_url)
        .env("KITH_LOG", "error")
        .env_remove("DATABASE_URL")
        .output()
        .expect("kith runs")
}

/// What a run printed, stdout then stderr.
pub fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn create_admin_validates_and_creates_one_admin() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("nested/kith.db").display());

    let migrated = kith(&url, &["migrate"]);
    assert!(migrated.status.success(), "{}", text(&migrated));

    let weak = kith(
        &url,
        &["create-admin", "--name", "Ada Park", "--email", "ada@kith.test", "--password", "short"],
    );
    assert!(!weak.status.success());
    assert!(text(&weak).contains("password: Use at least 10 characters."), "{}", text(&weak));

    let args = [
        "create-admin",
        "--name",
        "Ada Park",
        "--email",
        " Ada@Kith.TEST",
        "--password",
        "a long admin password",
    ];
    let created = kith(&url, &args);
    assert!(created.status.success(), "{}", text(&created));
    assert!(text(&created).contains("Created admin Ada Park <ada@kith.test>."));

    let duplicate = kith(&url, &args);
    assert!(!duplicate.status.success());
    assert!(text(&duplicate).contains("already exists"), "{}", text(&duplicate));

    let demo = kith(&url, &["seed-demo"]);
    assert!(demo.status.success());
    assert!(text(&demo).contains("already has users"), "{}", text(&demo));
}

#[test]
fn an_unsupported_database_url_is_a_clear_error() {
    let out = kith("mysql://localhost/kith", &["migrate"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("unsupported database URL"), "{}", text(&out));
}

/// The schema's indexes and triggers, as they are written (and, on PostgreSQL,
/// whether each trigger fires).
async fn schema(db: &app::db::Db) -> Vec<(String, String)> {
    let sql = match db.backend {
        app::db::Backend::Sqlite => {
            "SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') \
             AND sql IS NOT NULL ORDER BY name"
        }
        app::db::Backend::Postgres => {
            "SELECT indexname::text, indexdef FROM pg_indexes WHERE schemaname = current_schema() \
             UNION ALL SELECT tgname::text, tgenabled::text FROM pg_trigger WHERE NOT tgisinternal \
             ORDER BY 1"
        }
    };
    sqlx::query_as(sql).fetch_all(&db.pool).await.expect("schema")
}

/// Kept per-assignee, per-status lead counts that differ from the leads (none, when kept right).
const WRONG_STATUS_COUNTS: &str =
    "SELECT COUNT(*) FROM (SELECT assignee_id, status, COUNT(*) AS n FROM leads \
     WHERE archived_at IS NULL GROUP BY assignee_id, status) real \
     LEFT JOIN lead_status_counts kept USING (assignee_id, status) \
     WHERE kept.n IS DISTINCT FROM real.n";

async fn count(db: &app::db::Db, sql: &str) -> i64 {
    let (n,): (i64,) =
        sqlx::query_as(sql).fetch_one(&db.pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_seed_is_searchable_counted_and_indexed_like_rows_added_one_by_one() {
    let (url, _dir) = crate::helpers::fresh_database_url().await;
    let demo = kith(&url, &["seed-demo"]);
    assert!(demo.status.success(), "{}", text(&demo));
    let db = app::db::Db::connect(&url, 1).await.expect("db");
    let sqlite = db.backend == app::db::Backend::Sqlite;
    let before = schema(&db).await;
    let leads_before = count(&db, "SELECT COUNT(*) FROM leads").await;

    let seeded = kith(&url, &["seed", "--leads", "3000", "--customers", "400", "--tasks", "400"]);
    assert!(seeded.status.success(), "{}", text(&seeded));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM leads").await, leads_before + 3000);
    assert_eq!(schema(&db).await, before, "every index and trigger is back as it was");

    // The kept counts hold every lead, old and new, exactly.
    assert_eq!(count(&db, WRONG_STATUS_COUNTS).await, 0);
    let wrong_created_counts =
        "SELECT COUNT(*) FROM (SELECT created_at / 900000 AS slot, assignee_id, COUNT(*) AS n \
         FROM leads WHERE archived_at IS NULL GROUP BY 1, 2) real \
         LEFT JOIN lead_created_counts kept USING (slot, assignee_id) \
         WHERE kept.n IS DISTINCT FROM real.n";
    assert_eq!(count(&db, wrong_created_counts).await, 0);
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM leads WHERE (status = 'won') <> (won_at IS NOT NULL)")
            .await,
        0,
        "won leads carry the day they were won"
    );

    // The search index finds every loaded lead and customer by its text (SQLite's
    // trigram tables; PostgreSQL's trigram indexes are back in the schema above).
    for (table, index) in [("leads", "lead_search"), ("customers", "customer_search")] {
        let containing = format!("SELECT COUNT(*) FROM {table} WHERE search_text LIKE '%silva%'");
        let n = count(&db, &containing).await;
        assert!(n > 10, "{table}: {n}");
        if sqlite {
            let indexed = format!(
                "SELECT COUNT(*) FROM {table} WHERE rowid IN (SELECT rowid FROM {index} WHERE {index} MATCH '\"silva\"')"
            );
            assert_eq!(count(&db, &indexed).await, n, "{table}");
        }
    }

    // A lead added afterwards one by one is indexed and counted by the triggers again.
    sqlx::query(
        "INSERT INTO leads (id, name, email, phone, company, source, status, notes, search_text, assignee_id, \
         version, created_at, updated_at) SELECT 'after-load', 'Zed Quux', '', '', '', '', 'new', '', 'zed quux', \
         assignee_id, 1, 0, 0 FROM leads LIMIT 1",
    )
    .execute(&db.pool)
    .await
    .expect("one more lead");
    if sqlite {
        let indexed = "SELECT COUNT(*) FROM lead_search WHERE lead_search MATCH '\"quux\"'";
        assert_eq!(count(&db, indexed).await, 1);
    }
    assert_eq!(count(&db, WRONG_STATUS_COUNTS).await, 0);
}

async fn text_of(db: &app::db::Db, sql: &str, email: &str) -> String {
    let (value,): (String,) = sqlx::query_as(sql)
        .bind(email)
        .fetch_one(&db.pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    value
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crm_export_is_imported_with_its_rows_created_updated_skipped_or_refused_with_reasons() {
    let (url, _dir) = crate::helpers::fresh_database_url().await;
    assert!(kith(&url, &["seed-demo"]).status.success());
    let db = app::db::Db::connect(&url, 1).await.expect("db");
    let files = tempfile::tempdir().expect("temp dir");
    let file = files.path().join("salesforce.csv");
    // A Salesforce export as a French Excel saves it: Windows-1252, semicolons.
    let export = "First Name;Last Name;Email;Phone;Company;Lead Status;Lead Owner;Description\r\n\
        Zoë;Quartz;zoe@quartz.example;+1 555 0100;Quartz Works;Working - Contacted;James Chen;Met at the fair\r\n\
        Ann;Other;not-an-email;;;;;\r\n\
        ;;;;;;;\r\n\
        Zoë;Q;ZOE@quartz.example;;;;;\r\n\
        Ned;Nobody;ned@example.com;;;Open - Not Contacted;someone@else.example;\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(export);
    std::fs::write(&file, &bytes).expect("write export");
    let path = file.to_str().expect("path");

    let imported = kith(&url, &["import", "leads", path, "--as", "admin@kith.test"]);
    assert!(imported.status.success(), "{}", text(&imported));
    assert!(
        text(&imported).contains("2 created, 0 updated, 1 skipped, 1 rejected"),
        "{}",
        text(&imported)
    );
    let rejected = std::fs::read_to_string(files.path().join("salesforce.rejected.csv"))
        .expect("rejected rows");
    let mut lines = rejected.lines();
    assert_eq!(
        lines.next(),
        Some("First Name,Last Name,Email,Phone,Company,Lead Status,Lead Owner,Description,Reason")
    );
    let refused = lines.next().expect("one refused row");
    assert!(
        refused.starts_with("Ann,Other,not-an-email,") && refused.contains("email: "),
        "{refused}"
    );
    assert_eq!(lines.next(), None);

    let lead = "SELECT l.name || '|' || l.status || '|' || u.email || '|' || l.company || '|' || l.notes || '|' || l.phone \
                FROM leads l JOIN users u ON u.id = l.assignee_id WHERE l.email = $1";
    assert_eq!(
        text_of(&db, lead, "zoe@quartz.example").await,
        "Zoë Quartz|in_progress|james@kith.test|Quartz Works|Met at the fair|+1 555 0100"
    );
    // An owner nobody on the team has: the importer's.
    assert_eq!(text_of(&db, lead, "ned@example.com").await, "Ned Nobody|new|admin@kith.test|||");
    let logged = "SELECT label FROM activity WHERE action = 'import' AND actor_name = $1";
    assert_eq!(
        text_of(&db, logged, "Dana Reyes").await,
        "salesforce.csv: 2 created, 0 updated, 1 skipped, 1 rejected"
    );

    // The same person again, updating: the mapped, non-empty fields change, the rest stay.
    std::fs::write(&file, "Email,Phone,Company\nzoe@quartz.example,+1 555 0199,\n").expect("write");
    let updated =
        kith(&url, &["import", "leads", path, "--as", "admin@kith.test", "--duplicates", "update"]);
    assert!(
        text(&updated).contains("0 created, 1 updated, 0 skipped, 0 rejected"),
        "{}",
        text(&updated)
    );
    assert_eq!(
        text_of(&db, lead, "zoe@quartz.example").await,
        "Zoë Quartz|in_progress|james@kith.test|Quartz Works|Met at the fair|+1 555 0199"
    );
    let versions = "SELECT CAST(version AS TEXT) FROM leads WHERE email = $1";
    assert_eq!(text_of(&db, versions, "zoe@quartz.example").await, "2");
    // Again: the lead already reads so, and nothing is written.
    let again =
        kith(&url, &["import", "leads", path, "--as", "admin@kith.test", "--duplicates", "update"]);
    assert!(
        text(&again).contains("0 created, 0 updated, 1 skipped, 0 rejected"),
        "{}",
        text(&again)
    );
    assert_eq!(text_of(&db, versions, "zoe@quartz.example").await, "2");

    // An agent's rows are theirs, and only their own records are theirs to update.
    std::fs::write(&file, "Name,Email,Owner\nZoë Again,zoe@quartz.example,James Chen\n")
        .expect("write");
    let agent =
        kith(&url, &["import", "leads", path, "--as", "maria@kith.test", "--duplicates", "update"]);
    assert!(text(&agent).contains("1 created, 0 updated"), "{}", text(&agent));
    let owners = "SELECT COUNT(*) FROM leads l JOIN users u ON u.id = l.assignee_id \
                  WHERE l.email = 'zoe@quartz.example' AND u.email = 'maria@kith.test' AND l.name = 'Zoë Again'";
    assert_eq!(count(&db, owners).await, 1);
    assert_eq!(
        text_of(&db, versions.replace("email = $1", "name = $1").as_str(), "Zoë Quartz").await,
        "2"
    );

    // The kept per-status counts still equal the leads.
    assert_eq!(count(&db, WRONG_STATUS_COUNTS).await, 0);

    // Customers, from Google Contacts: labels become tags; the owner named by email.
    let contacts = "First Name,Last Name,E-mail 1 - Value,Labels,Group Membership,Contact owner\n\
                    Kit,Marlowe,kit@example.com,VIP,Press,priya@kith.test\n";
    std::fs::write(&file, contacts).expect("write");
    let customers = kith(&url, &["import", "customers", path, "--as", "admin@kith.test"]);
    assert!(text(&customers).contains("1 created"), "{}", text(&customers));
    let customer = "SELECT c.name || '|' || c.tags || '|' || u.email FROM customers c \
                    JOIN users u ON u.id = c.owner_id WHERE c.email = $1";
    assert_eq!(
        text_of(&db, customer, "kit@example.com").await,
        "Kit Marlowe|vip, press|priya@kith.test"
    );

    let unknown = kith(&url, &["import", "deals", path, "--as", "admin@kith.test"]);
    assert!(
        !unknown.status.success() && text(&unknown).contains("`leads` or `customers`"),
        "{}",
        text(&unknown)
    );
    let stranger = kith(&url, &["import", "leads", path, "--as", "nobody@kith.test"]);
    assert!(
        !stranger.status.success() && text(&stranger).contains("no active team member"),
        "{}",
        text(&stranger)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_on_the_command_line_maps_its_columns_as_a_mapping_saved_on_the_page() {
    use app::import::job::JobPlan;
    use app::import::mapping::Target;
    use app::import::rows::Mapping;
    use app::import::{store::mappings, ImportKind, OnDuplicate};
    use app::leads::LeadStatus;

    let (url, _dir) = crate::helpers::fresh_database_url().await;
    assert!(kith(&url, &["seed-demo"]).status.success());
    let db = app::db::Db::connect(&url, 1).await.expect("db");
    let email = app::auth::Email::parse("email", "priya@kith.test").expect("email");
    let priya =
        app::auth::store::viewer_by_email(&db, &email).await.expect("viewer").expect("priya");
    // Saved for another file: the description left out, "Hot" meaning in progress.
    let headers = ["Full Name", "E-mail", "Description", "Stage"].map(String::from);
    let plan = JobPlan {
        mapping: Mapping {
            targets: vec![Target::Name, Target::Email, Target::Skip, Target::Status],
            statuses: vec![("Hot".to_owned(), LeadStatus::InProgress)],
            other_status: LeadStatus::Lost,
        },
        on_duplicate: OnDuplicate::Skip,
        match_phone: false,
        default_assignee: priya.id.clone(),
    };
    let mut conn = db.pool.acquire().await.expect("connection");
    mappings::save(&mut conn, &priya, ImportKind::Leads, "Fair list", &headers, &plan)
        .await
        .expect("saved");
    drop(conn);

    let files = tempfile::tempdir().expect("temp dir");
    let file = files.path().join("fair.csv");
    std::fs::write(&file, "stage,Description,E-mail,full name\nHot,Met at the fair,hot@fair.example,Hal Hot\nCold,,cold@fair.example,Cy Cold\n")
        .expect("write");
    let path = file.to_str().expect("path");
    let imported =
        kith(&url, &["import", "leads", path, "--as", "priya@kith.test", "--mapping", "Fair list"]);
    assert!(text(&imported).contains("2 created"), "{}", text(&imported));
    let lead = "SELECT name || '|' || status || '|' || notes FROM leads WHERE email = $1";
    assert_eq!(text_of(&db, lead, "hot@fair.example").await, "Hal Hot|in_progress|");
    assert_eq!(text_of(&db, lead, "cold@fair.example").await, "Cy Cold|lost|");

    // Someone else's mapping, or a name nobody saved, is not there.
    let other =
        kith(&url, &["import", "leads", path, "--as", "maria@kith.test", "--mapping", "Fair list"]);
    assert!(!other.status.success(), "{}", text(&other));
    assert!(text(&other).contains("no mapping of leads named \"Fair list\""), "{}", text(&other));
}

#[test]
fn token_create_prints_a_token_once_for_a_team_member_and_refuses_bad_settings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("kith.db").display());
    assert!(kith(&url, &["seed-demo"]).status.success());

    let unknown = kith(&url, &["token", "create", "--email", "nobody@kith.test", "--name", "X"]);
    assert!(!unknown.status.success());
    assert!(text(&unknown).contains("no active team member"), "{}", text(&unknown));
    let bad = kith(
        &url,
        &["token", "create", "--email", "maria@kith.test", "--name", "X", "--scope", "admin"],
    );
    assert!(!bad.status.success());
    assert!(text(&bad).contains("scope:"), "{}", text(&bad));

    let args = [
        "token",
        "create",
        "--email",
        "maria@kith.test",
        "--name",
        "Nightly sync",
        "--scope",
        "write",
        "--expires-days",
        "0",
    ];
    let made = kith(&url, &args);
    assert!(made.status.success(), "{}", text(&made));
    let token = String::from_utf8_lossy(&made.stdout).trim().to_owned();
    assert!(
        token.starts_with("kith_") && !token.contains(' '),
        "only the token on standard output: {token}"
    );
    assert!(text(&made).contains("never expires"), "{}", text(&made));
}
