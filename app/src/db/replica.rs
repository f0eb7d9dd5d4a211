//! A PostgreSQL read replica (`KITH_DATABASE_REPLICA_URL`) for reads that may lag a
//! little: the lists, the board and the dashboard. Read-your-writes: a browser that
//! changed something carries the primary's WAL position after its change
//! (`WROTE_COOKIE`), and its reads go to the replica only once the replica has
//! replayed that far; otherwise, and whenever the replica does not answer at once,
//! they go to the primary.

use super::{Backend, Db};
use sqlx::any::AnyPoolOptions;
use std::time::Duration;

/// The cookie holding the primary's WAL position after the browser's last change.
pub const WROTE_COOKIE: &str = "kith_wrote";

/// How long a read waits for the replica before going to the primary.
const REPLICA_WITHIN: Duration = Duration::from_millis(500);

impl Db {
    /// A pool on a replica, connected as it is first needed (Kith starts while the
    /// replica is down), and quick to give up on a connection.
    pub fn replica(url: &str, max_connections: u32) -> Result<Self, String> {
        sqlx::any::install_default_drivers();
        if Backend::of_url(url) != Some(Backend::Postgres) {
            return Err("KITH_DATABASE_REPLICA_URL must be a postgres:// URL".to_owned());
        }
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(REPLICA_WITHIN)
            .connect_lazy(url)
            .map_err(|e| format!("cannot use the replica: {e}"))?;
        Ok(Self { pool, backend: Backend::Postgres })
    }

    /// Whether this replica answers and has replayed the primary's WAL up to
    /// `position` (`None`: nothing to wait for). A database that is no standby
    /// (a replica promoted) has everything.
    pub async fn has_replayed(&self, position: Option<&str>) -> bool {
        let check = sqlx::query_scalar::<_, bool>(
            "SELECT COALESCE(pg_last_wal_replay_lsn() >= CAST($1 AS pg_lsn), TRUE)",
        )
        .bind(position.unwrap_or("0/0").to_owned())
        .fetch_one(&self.pool);
        matches!(tokio::time::timeout(REPLICA_WITHIN, check).await, Ok(Ok(true)))
    }

    /// The primary's WAL position now: a replica that has replayed it shows every
    /// change committed before.
    pub async fn write_position(&self) -> Option<String> {
        if self.backend != Backend::Postgres {
            return None;
        }
        sqlx::query_scalar("SELECT CAST(pg_current_wal_lsn() AS TEXT)")
            .fetch_one(&self.pool)
            .await
            .ok()
    }
}
