//! `kith backup FILE` and `kith restore FILE`.
//!
//! SQLite: a backup is `VACUUM INTO` — one consistent snapshot taken while Kith
//! serves — after which the copy's search indexes are rebuilt (the copy may number
//! its rows anew, and the indexes find rows by number) and the copy is checked:
//! `integrity_check`, `foreign_key_check`, each search index against its table.
//! A restore refuses while a server uses the database (servers hold a shared lock
//! on `<database>.lock`), checks a copy of the file the same way, swaps it in and
//! migrates it if it is older. PostgreSQL: `pg_dump`/`pg_restore` do it; Kith runs
//! `pg_dump` when it is installed and says the command otherwise.

use app::db::Db;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{ConnectOptions, Connection, SqliteConnection};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The tables whose row counts a backup reports.
const COUNTED: [&str; 7] =
    ["users", "leads", "customers", "tasks", "notes", "activity", "import_jobs"];

/// Backs the database at `url` up to `file`.
pub async fn backup(db: &Db, url: &str, file: &Path) -> Result<(), String> {
    if file.exists() {
        return Err(format!("{} exists already: choose a new file.", file.display()));
    }
    if crate::sqlite_path(url).is_none() {
        return pg_dump(url, file);
    }
    let target = file.to_str().ok_or("the backup's path is not valid UTF-8")?;
    sqlx::query("VACUUM INTO $1")
        .bind(target)
        .execute(&db.pool)
        .await
        .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    let report = check_copy(file).await?;
    println!("Backed up to {}: {report}", file.display());
    Ok(())
}

/// Replaces the SQLite database at `url` with `file`, then migrates it.
pub async fn restore(args: &crate::config::DatabaseArgs, file: &Path) -> Result<(), String> {
    let Some(database) = crate::sqlite_path(&args.database_url) else {
        return Err(format!(
            "On PostgreSQL, restore with pg_restore: pg_restore --clean --if-exists --dbname '{}' {}",
            args.database_url,
            file.display()
        ));
    };
    if !file.is_file() {
        return Err(format!("{} is not a file.", file.display()));
    }
    let lock = lock_file(&database)?;
    lock.try_lock().map_err(|_| {
        format!("A Kith server is using {}: stop it, then restore.", database.display())
    })?;
    let incoming = with_suffix(&database, ".restoring");
    std::fs::copy(file, &incoming).map_err(|e| format!("cannot copy the backup: {e}"))?;
    let report = match check_copy(&incoming).await {
        Ok(report) => report,
        Err(problem) => {
            let _ = std::fs::remove_file(&incoming);
            return Err(problem);
        }
    };
    File::open(&incoming).and_then(|f| f.sync_all()).map_err(|e| e.to_string())?;
    for stale in [with_suffix(&database, "-wal"), with_suffix(&database, "-shm")] {
        if stale.exists() {
            std::fs::remove_file(&stale)
                .map_err(|e| format!("cannot remove {}: {e}", stale.display()))?;
        }
    }
    std::fs::rename(&incoming, &database)
        .map_err(|e| format!("cannot put the backup in place: {e}"))?;
    let db = crate::open_store(args).await?;
    let (version,): (i64,) =
        sqlx::query_as("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations")
            .fetch_one(&db.pool)
            .await
            .map_err(|e| e.to_string())?;
    println!(
        "Restored {} from {} ({report}); the schema is at version {version}.",
        database.display(),
        file.display()
    );
    Ok(())
}

/// The day's scheduled backup into `dir` (`kith-YYYY-MM-DD.db`, or `.dump` on
/// PostgreSQL), taken by whichever instance claims the day first; then only the
/// `keep` newest scheduled backups stay. `None` when another instance has the day.
pub async fn scheduled(
    db: &Db,
    url: &str,
    dir: &Path,
    keep: usize,
    day: &str,
) -> Result<Option<PathBuf>, String> {
    let extension = if crate::sqlite_path(url).is_some() { "db" } else { "dump" };
    let file = dir.join(format!("kith-{day}.{extension}"));
    let claimed = sqlx::query(
        "INSERT INTO scheduled_backups (day, taken_at, file) VALUES ($1, $2, $3) ON CONFLICT (day) DO NOTHING",
    )
    .bind(day)
    .bind(app::db::now_ms())
    .bind(file.to_string_lossy().as_ref())
    .execute(&db.pool)
    .await
    .map_err(|e| e.to_string())?;
    if claimed.rows_affected() == 0 {
        return Ok(None);
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    if let Err(problem) = backup(db, url, &file).await {
        // Free the day, so the next hour's attempt (on any instance) tries again.
        let _ = sqlx::query("DELETE FROM scheduled_backups WHERE day = $1")
            .bind(day)
            .execute(&db.pool)
            .await;
        return Err(problem);
    }
    let mut taken: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| e.to_string())?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            name.starts_with("kith-") && name.ends_with(&format!(".{extension}"))
        })
        .collect();
    taken.sort();
    let surplus = taken.len().saturating_sub(keep.max(1));
    for old in &taken[..surplus] {
        std::fs::remove_file(old).map_err(|e| format!("cannot remove {}: {e}", old.display()))?;
    }
    Ok(Some(file))
}

/// The lock servers share on an SQLite database and a restore takes alone.
pub fn lock_file(database: &Path) -> Result<File, String> {
    let path = with_suffix(database, ".lock");
    File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Checks an SQLite copy of Kith's, its search indexes rebuilt first: a line of
/// what it holds, or what is wrong with it.
async fn check_copy(file: &Path) -> Result<String, String> {
    let options = SqliteConnectOptions::new()
        .filename(file)
        .journal_mode(SqliteJournalMode::Delete)
        .disable_statement_logging();
    let mut conn = SqliteConnection::connect_with(&options)
        .await
        .map_err(|e| format!("{} is not an SQLite database Kith can read: {e}", file.display()))?;
    let broken = |what: &str| format!("{} is damaged: {what}", file.display());
    let (integrity,): (String,) = sqlx::query_as("PRAGMA integrity_check(1)")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| broken(&e.to_string()))?;
    if integrity != "ok" {
        return Err(broken(&integrity));
    }
    let dangling: Vec<(String,)> = sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
        .fetch_all(&mut conn)
        .await
        .map_err(|e| broken(&e.to_string()))?;
    if let Some((table,)) = dangling.first() {
        return Err(broken(&format!("rows of {table} point at rows that are missing")));
    }
    let indexes: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%fts5%' ORDER BY name",
    )
    .fetch_all(&mut conn)
    .await
    .map_err(|e| broken(&e.to_string()))?;
    if indexes.is_empty() || !has_table(&mut conn, "_sqlx_migrations").await? {
        return Err(format!("{} is not a Kith database.", file.display()));
    }
    for (index,) in &indexes {
        sqlx::query(&format!("INSERT INTO {index} ({index}) VALUES ('rebuild')"))
            .execute(&mut conn)
            .await
            .map_err(|e| broken(&format!("its search index {index} cannot be rebuilt: {e}")))?;
        sqlx::query(&format!("INSERT INTO {index} ({index}, rank) VALUES ('integrity-check', 1)"))
            .execute(&mut conn)
            .await
            .map_err(|e| {
                broken(&format!("its search index {index} does not match its table: {e}"))
            })?;
    }
    let mut counts = Vec::new();
    for table in COUNTED {
        if has_table(&mut conn, table).await? {
            let (rows,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(&mut conn)
                .await
                .map_err(|e| broken(&e.to_string()))?;
            counts.push(format!("{rows} {table}"));
        }
    }
    conn.close().await.map_err(|e| e.to_string())?;
    Ok(format!("intact; {}; search indexes consistent", counts.join(", ")))
}

async fn has_table(conn: &mut SqliteConnection, name: &str) -> Result<bool, String> {
    let (found,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $1")
            .bind(name)
            .fetch_one(conn)
            .await
            .map_err(|e| e.to_string())?;
    Ok(found > 0)
}

/// PostgreSQL: runs `pg_dump` into `file` and lists the archive to check it, or
/// says the command when `pg_dump` is not installed.
fn pg_dump(url: &str, file: &Path) -> Result<(), String> {
    let command = format!("pg_dump --format=custom --file {} '{url}'", file.display());
    let dumped =
        Command::new("pg_dump").arg("--format=custom").arg("--file").arg(file).arg(url).status();
    match dumped {
        Ok(status) if status.success() => {}
        Ok(status) => return Err(format!("pg_dump failed ({status}); the command was: {command}")),
        Err(_) => {
            return Err(format!(
                "pg_dump is not installed here. Back the database up with: {command} \
                 (and restore with pg_restore --clean --if-exists --dbname '{url}' {})",
                file.display()
            ))
        }
    }
    let listed =
        Command::new("pg_restore").arg("--list").arg(file).output().map_err(|e| e.to_string())?;
    let entries = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .filter(|l| l.contains("TABLE DATA"))
        .count();
    if !listed.status.success() || entries == 0 {
        return Err(format!(
            "the dump in {} does not read back: check it with pg_restore --list",
            file.display()
        ));
    }
    println!(
        "Backed up to {} with pg_dump: {entries} tables' data, read back with pg_restore --list.",
        file.display()
    );
    Ok(())
}
