//! The store: one sqlx `Any` pool that speaks SQLite (default) or PostgreSQL
//! through the same queries. Times are UTC epoch milliseconds, ids UUIDv7 text.

use sqlx::any::{AnyPoolOptions, AnyQueryResult, AnyTransactionManager};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Connection, Executor, TransactionManager};
use std::borrow::Cow;
use std::time::Duration;

mod bulk;
mod replica;
pub use bulk::{BulkLoad, SetAside};
pub use replica::WROTE_COOKIE;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The database `conn` talks to.
    pub fn of(conn: &sqlx::AnyConnection) -> Self {
        if conn.backend_name() == "SQLite" {
            Self::Sqlite
        } else {
            Self::Postgres
        }
    }

    pub fn of_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Self::Postgres)
        } else {
            None
        }
    }
}

/// The answer to a change made on a version of a record that someone else has
/// since replaced (`what`: "lead", "task"…).
pub fn stale(what: &str) -> crate::error::AppError {
    crate::error::AppError::Stale(format!(
        "Someone else changed this {what} after you opened it. Reload to see their changes, then try again."
    ))
}

/// Refuses a change to a record that is archived (`doing`: "editing",
/// "moving it"…) or, when `expected_version` is given, was saved by someone else
/// since the person saw it.
pub fn check_current(
    what: &str,
    (archived, version): (bool, i64),
    expected_version: Option<i64>,
    doing: &str,
) -> crate::error::AppResult<()> {
    if archived {
        return Err(crate::error::AppError::Conflict(format!(
            "This {what} is archived. Restore it before {doing}."
        )));
    }
    if expected_version.is_some_and(|expected| expected != version) {
        return Err(stale(what));
    }
    Ok(())
}

/// A write guarded by a version (`… WHERE id = $n AND version = $m`) that
/// changed no row lost a race: someone else's change came first. Every versioned
/// write goes through here, so none can "succeed" without applying.
pub fn applied(
    done: AnyQueryResult,
    stale: impl FnOnce() -> crate::error::AppError,
) -> crate::error::AppResult<()> {
    if done.rows_affected() == 0 {
        Err(stale())
    } else {
        Ok(())
    }
}

/// The database says what is unique: a write that breaks a unique constraint
/// becomes a message on the form field it is about, not a 500 (and no SELECT
/// beforehand can race with another writer).
pub trait OnUnique<T> {
    fn on_unique(self, field: &str, message: &str) -> crate::error::AppResult<T>;
}

impl<T> OnUnique<T> for Result<T, sqlx::Error> {
    fn on_unique(self, field: &str, message: &str) -> crate::error::AppResult<T> {
        self.map_err(|err| match &err {
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                crate::error::AppError::invalid(field, message)
            }
            _ => err.into(),
        })
    }
}

#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

/// Migrations every backend runs, and those written for one backend only (search
/// indexes differ); version numbers are unique across all three folders.
static SHARED_MIGRATIONS: Migrator = sqlx::migrate!("../migrations");
static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

/// The shared migrations and the backend's own, in version order.
fn migrator(backend: Backend) -> Migrator {
    let own = match backend {
        Backend::Sqlite => &SQLITE_MIGRATIONS,
        Backend::Postgres => &POSTGRES_MIGRATIONS,
    };
    let mut migrations: Vec<_> = SHARED_MIGRATIONS.iter().chain(own.iter()).cloned().collect();
    migrations.sort_by_key(|m| m.version);
    // sqlx builds migrators from these fields itself (`migrate!`); sqlx is pinned in Cargo.lock.
    Migrator { migrations: Cow::Owned(migrations), ..Migrator::DEFAULT }
}

/// What every SQLite connection runs first (then its `Durability`).
const SQLITE_SETUP: &str =
    "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;";

/// When SQLite's commits reach the disk (`KITH_SQLITE_SYNCHRONOUS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Durability {
    /// `synchronous = NORMAL`: a commit survives Kith crashing or being killed;
    /// the last commits before a power loss or an operating-system crash may be
    /// lost (the database stays intact). Several times faster to write.
    #[default]
    Normal,
    /// `synchronous = FULL`: every commit is on the disk before it is answered.
    Full,
}

impl Durability {
    pub fn parse(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "normal" => Some(Self::Normal),
            "full" => Some(Self::Full),
            _ => None,
        }
    }

    fn pragma(self) -> &'static str {
        match self {
            Self::Normal => "PRAGMA synchronous = NORMAL;",
            Self::Full => "PRAGMA synchronous = FULL;",
        }
    }
}

/// How much memory an SQLite connection uses, whatever the database's size: 4
/// MB of page cache (the operating system's file cache holds the rest of the
/// database, shared by every connection; at 16 MB a connection, the server
/// of a 1M-lead database grew to 200 MB for pages the file cache had anyway),
/// no map of the file, which would count towards the server's memory, and the
/// rare large sort spilled to a temporary file.
pub(crate) const SQLITE_MEMORY: &str =
    "PRAGMA cache_size = -4000; PRAGMA mmap_size = 0; PRAGMA temp_store = FILE;";

impl Db {
    /// Opens a pool. SQLite files are created if missing and run in WAL mode with
    /// foreign keys on and a busy timeout; PostgreSQL is used as configured.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, String> {
        Self::connect_with(url, max_connections, Durability::default()).await
    }

    /// The same, with SQLite's commits as durable as `durability` says.
    pub async fn connect_with(
        url: &str,
        max_connections: u32,
        durability: Durability,
    ) -> Result<Self, String> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url).ok_or_else(|| {
            format!("unsupported database URL {url:?}: use sqlite: or postgres://")
        })?;
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url.to_owned(),
        };
        // A connection goes back to the pool only outside a transaction. A task
        // given up mid-transaction (a client that left, an import worker stopped)
        // can hand its connection back still inside one (sqlx's rollback on drop
        // did not always run before the release): kept, it would hold SQLite's
        // write lock for good and nest the next user's transaction inside its own,
        // never committed. It is closed instead, which rolls back.
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(SQLITE_SETUP).await?;
                        conn.execute(durability.pragma()).await?;
                        conn.execute(SQLITE_MEMORY).await?;
                    }
                    Ok(())
                })
            })
            .after_release(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // Whatever is still queued on the connection's thread runs first.
                        conn.ping().await?;
                    }
                    Ok(AnyTransactionManager::get_transaction_depth(conn) == 0)
                })
            })
            .connect(&url)
            .await
            .map_err(|e| format!("cannot open the database: {e}"))?;
        Ok(Self { pool, backend })
    }

    /// Applies pending migrations. On PostgreSQL the migrator holds an advisory
    /// lock, so two instances starting together migrate once.
    pub async fn migrate(&self) -> Result<(), String> {
        // Indexes an import put off and could not build again (Kith stopped), before
        // a migration could need them.
        self.build_put_off_indexes()
            .await
            .map_err(|e| format!("building the indexes an import put off failed: {e}"))?;
        migrator(self.backend).run(&self.pool).await.map_err(|e| format!("migration failed: {e}"))
    }

    /// Whether every migration this build knows has been applied (a newer one may
    /// have been, by a newer instance).
    pub async fn is_migrated(&self) -> Result<bool, sqlx::Error> {
        let latest = migrator(self.backend).migrations.iter().map(|m| m.version).max().unwrap_or(0);
        let (applied,): (i64,) = sqlx::query_as(
            "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success = TRUE",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(applied >= latest)
    }

    /// Starts a write transaction. On SQLite it takes the write lock up front
    /// (`BEGIN IMMEDIATE`): a transaction that reads and then writes could
    /// otherwise fail at once when another writer got there first.
    pub async fn transaction(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// Runs `change` in one transaction, committed when it succeeds and rolled
    /// back (nothing written) when it fails.
    pub async fn write<T>(
        &self,
        change: impl AsyncFnOnce(&mut sqlx::AnyConnection) -> crate::error::AppResult<T>,
    ) -> crate::error::AppResult<T> {
        let mut tx = self.transaction().await?;
        let done = change(&mut tx).await?;
        tx.commit().await?;
        Ok(done)
    }

    /// Refreshes the query planner's statistics after a bulk load (and, on
    /// PostgreSQL, the visibility map that lets counts use index-only scans).
    pub async fn analyze(&self) -> Result<(), sqlx::Error> {
        let sql = match self.backend {
            Backend::Sqlite => "ANALYZE",
            Backend::Postgres => "VACUUM ANALYZE",
        };
        self.execute(sql).await.map(|_| ())
    }

    pub async fn execute(&self, sql: &str) -> Result<AnyQueryResult, sqlx::Error> {
        sqlx::query(sql).execute(&self.pool).await
    }
}

/// A pool size that suits the machine: SQLite has one writer, so a few
/// connections are plenty; PostgreSQL gets a couple per core.
pub fn default_pool_size(backend: Backend) -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get()) as u32;
    match backend {
        Backend::Sqlite => (cores * 2).clamp(4, 16),
        Backend::Postgres => (cores * 4).clamp(8, 32),
    }
}

/// Now, as UTC epoch milliseconds.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// A new time-ordered id.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
