//! The `kith` command line, run as a real process on a real SQLite file.

use std::process::{Command, Output};

fn kith(db_url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kith"))
        .args(args)
        .env("KITH_DATABASE_URL", db_url)
        .env("KITH_LOG", "error")
        .env_remove("DATABASE_URL")
        .output()
        .expect("kith runs")
}

fn text(output: &Output) -> String {
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
        &[
            "create-admin",
            "--name",
            "Ada Park",
            "--email",
            "ada@kith.test",
            "--password",
            "short",
        ],
    );
    assert!(!weak.status.success());
    assert!(
        text(&weak).contains("password: Use at least 10 characters."),
        "{}",
        text(&weak)
    );

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
    assert!(
        text(&duplicate).contains("already exists"),
        "{}",
        text(&duplicate)
    );

    let demo = kith(&url, &["seed-demo"]);
    assert!(demo.status.success());
    assert!(text(&demo).contains("already has users"), "{}", text(&demo));
}

#[test]
fn an_unsupported_database_url_is_a_clear_error() {
    let out = kith("mysql://localhost/kith", &["migrate"]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("unsupported database URL"),
        "{}",
        text(&out)
    );
}
