//! Writing many rows at once. `BulkLoad`: in one transaction (seeding, generated
//! data), a table's indexes and counting triggers are set aside and rebuilt at the
//! end. Put-off indexes: across the many transactions of a long import on SQLite,
//! the indexes that only sort a list are dropped and built again when it ends.

use super::{Backend, Db, SQLITE_MEMORY};

/// What a bulk load into one table sets aside, and how the loaded rows catch
/// up on the work it skipped.
pub struct SetAside {
    pub table: &'static str,
    /// SQLite triggers that index or count each new row.
    pub sqlite_triggers: &'static [&'static str],
    /// Their work for every loaded row (`$1`: the first loaded rowid).
    pub sqlite_catch_up: &'static [&'static str],
    /// PostgreSQL triggers that count each new row.
    pub postgres_triggers: &'static [&'static str],
    /// Their work, done again over the whole table (PostgreSQL has no rowid
    /// that tells the loaded rows apart).
    pub postgres_catch_up: &'static [&'static str],
}

/// A bulk load into one table (seeding, imports): the table's non-unique
/// indexes and the triggers that index or count its rows one at a time are
/// set aside for the load and put back after it, when the rows are indexed and
/// counted at once, which is several times faster for many rows. Everything
/// happens in the caller's transaction, so a load that fails or is interrupted
/// leaves the table, its indexes and triggers as they were. On PostgreSQL the
/// table is locked for others until the transaction ends.
pub struct BulkLoad {
    backend: Backend,
    what: &'static SetAside,
    /// What puts the indexes and triggers back, in order.
    put_back: Vec<String>,
    /// The first rowid the load writes (SQLite numbers new rows upwards).
    first_rowid: i64,
}

impl BulkLoad {
    /// Memory to sort the loaded rows in while their indexes are built: 256 MB.
    const SORT_KIB: u32 = 256 * 1024;

    /// Sets aside the indexes and triggers `what` names.
    pub async fn start(
        conn: &mut sqlx::AnyConnection,
        backend: Backend,
        what: &'static SetAside,
    ) -> Result<Self, sqlx::Error> {
        let table = what.table;
        let (indexes, triggers, room) = match backend {
            Backend::Sqlite => (
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $1 \
                 AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'",
                what.sqlite_triggers,
                format!("PRAGMA cache_size = -{}; PRAGMA temp_store = MEMORY", Self::SORT_KIB),
            ),
            Backend::Postgres => (
                "SELECT indexname::text, indexdef FROM pg_indexes WHERE schemaname = current_schema() \
                 AND tablename = $1 AND indexdef NOT LIKE 'CREATE UNIQUE%'",
                what.postgres_triggers,
                format!("SET LOCAL maintenance_work_mem = '{}kB'", Self::SORT_KIB),
            ),
        };
        let indexes: Vec<(String, String)> =
            sqlx::query_as(indexes).bind(table).fetch_all(&mut *conn).await?;
        sqlx::query(&room).execute(&mut *conn).await?;
        let mut put_back = Vec::new();
        for (name, sql) in indexes {
            sqlx::query(&format!("DROP INDEX {name}")).execute(&mut *conn).await?;
            put_back.push(sql);
        }
        for trigger in triggers {
            put_back.push(match backend {
                Backend::Sqlite => {
                    let (sql,): (String,) = sqlx::query_as(
                        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = $1 AND tbl_name = $2",
                    )
                    .bind(trigger)
                    .bind(table)
                    .fetch_one(&mut *conn)
                    .await?;
                    sqlx::query(&format!("DROP TRIGGER {trigger}")).execute(&mut *conn).await?;
                    sql
                }
                Backend::Postgres => {
                    sqlx::query(&format!("ALTER TABLE {table} DISABLE TRIGGER {trigger}"))
                        .execute(&mut *conn)
                        .await?;
                    format!("ALTER TABLE {table} ENABLE TRIGGER {trigger}")
                }
            });
        }
        let first_rowid = match backend {
            Backend::Sqlite => {
                let (last,): (i64,) =
                    sqlx::query_as(&format!("SELECT COALESCE(MAX(rowid), 0) FROM {table}"))
                        .fetch_one(&mut *conn)
                        .await?;
                last + 1
            }
            Backend::Postgres => 0,
        };
        Ok(Self { backend, what, put_back, first_rowid })
    }

    /// Does for the loaded rows what the set-aside triggers would have done one
    /// row at a time, then puts the indexes and triggers back.
    pub async fn finish(self, conn: &mut sqlx::AnyConnection) -> Result<(), sqlx::Error> {
        match self.backend {
            Backend::Sqlite => {
                for sql in self.what.sqlite_catch_up {
                    sqlx::query(sql).bind(self.first_rowid).execute(&mut *conn).await?;
                }
            }
            Backend::Postgres => {
                for sql in self.what.postgres_catch_up {
                    sqlx::query(sql).execute(&mut *conn).await?;
                }
            }
        }
        for sql in &self.put_back {
            sqlx::query(sql).execute(&mut *conn).await?;
        }
        if self.backend == Backend::Sqlite {
            sqlx::query(SQLITE_MEMORY).execute(&mut *conn).await?;
        }
        Ok(())
    }
}

/// Indexes a long write on SQLite does without, across its many transactions: each
/// is dropped in the transaction that keeps the statement building it in
/// `put_off_indexes`, so it is built again when the write ends — or, after a
/// crash, when Kith next opens the database, before any migration could need it.
impl Db {
    /// Drops those of `names` that exist (SQLite only: PostgreSQL writes its indexes
    /// fast enough).
    pub async fn put_off_indexes(&self, names: &[&str]) -> Result<(), sqlx::Error> {
        if self.backend != Backend::Sqlite {
            return Ok(());
        }
        let mut tx = self.transaction().await?;
        for name in names {
            let sql: Option<String> = sqlx::query_scalar(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = $1 AND sql IS NOT NULL",
            )
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(sql) = sql else { continue };
            sqlx::query("INSERT INTO put_off_indexes (name, sql) VALUES ($1, $2)")
                .bind(name)
                .bind(sql)
                .execute(&mut *tx)
                .await?;
            sqlx::query(&format!("DROP INDEX {name}")).execute(&mut *tx).await?;
        }
        tx.commit().await
    }

    /// Builds every put-off index again, each in its own transaction (other writers
    /// go in between), and says how many it built.
    pub async fn build_put_off_indexes(&self) -> Result<usize, sqlx::Error> {
        if self.backend != Backend::Sqlite {
            return Ok(0);
        }
        // A database older than the table has none.
        let kept: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'put_off_indexes'",
        )
        .fetch_one(&self.pool)
        .await?;
        if kept == 0 {
            return Ok(0);
        }
        let put_off: Vec<(String, String)> =
            sqlx::query_as("SELECT name, sql FROM put_off_indexes ORDER BY name")
                .fetch_all(&self.pool)
                .await?;
        for (name, sql) in &put_off {
            let mut tx = self.transaction().await?;
            let exists: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = $1",
            )
            .bind(name)
            .fetch_one(&mut *tx)
            .await?;
            if exists == 0 {
                sqlx::query(sql).execute(&mut *tx).await?;
            }
            sqlx::query("DELETE FROM put_off_indexes WHERE name = $1")
                .bind(name)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
        Ok(put_off.len())
    }
}
