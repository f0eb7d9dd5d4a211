//! `kith check [--repair]`: compares the data Kith derives and keeps beside the
//! records with the records themselves — the dashboard's kept lead counts (per
//! assignee and status, per assignee and 15-minute slot) and, on SQLite, each
//! search index with its table — and with `--repair` rebuilds what is wrong, in one
//! transaction. (On PostgreSQL the search indexes are the database's own.)

use app::db::{Backend, Db};

/// A kept count: how to count its wrong rows, and how to build it again.
struct Kept {
    what: &'static str,
    wrong: &'static str,
    rebuild: [&'static str; 2],
}

const KEPT: [Kept; 2] = [
    Kept {
        what: "lead counts by assignee and status",
        wrong: "SELECT (SELECT COUNT(*) FROM (SELECT assignee_id, status, COUNT(*) AS n FROM leads \
                  WHERE archived_at IS NULL GROUP BY assignee_id, status) real \
                  LEFT JOIN lead_status_counts kept USING (assignee_id, status) WHERE kept.n IS DISTINCT FROM real.n) \
              + (SELECT COUNT(*) FROM lead_status_counts kept WHERE kept.n <> 0 AND NOT EXISTS \
                  (SELECT 1 FROM leads l WHERE l.archived_at IS NULL AND l.assignee_id = kept.assignee_id AND l.status = kept.status))",
        rebuild: [
            "DELETE FROM lead_status_counts",
            "INSERT INTO lead_status_counts (assignee_id, status, n) \
             SELECT assignee_id, status, COUNT(*) FROM leads WHERE archived_at IS NULL GROUP BY assignee_id, status",
        ],
    },
    Kept {
        what: "lead counts by assignee and time of creation",
        wrong: "SELECT (SELECT COUNT(*) FROM (SELECT created_at / 900000 AS slot, assignee_id, COUNT(*) AS n FROM leads \
                  WHERE archived_at IS NULL GROUP BY 1, 2) real \
                  LEFT JOIN lead_created_counts kept USING (slot, assignee_id) WHERE kept.n IS DISTINCT FROM real.n) \
              + (SELECT COUNT(*) FROM lead_created_counts kept WHERE kept.n <> 0 AND NOT EXISTS \
                  (SELECT 1 FROM leads l WHERE l.archived_at IS NULL AND l.assignee_id = kept.assignee_id \
                   AND l.created_at / 900000 = kept.slot))",
        rebuild: [
            "DELETE FROM lead_created_counts",
            "INSERT INTO lead_created_counts (slot, assignee_id, n) \
             SELECT created_at / 900000, assignee_id, COUNT(*) FROM leads WHERE archived_at IS NULL \
             GROUP BY created_at / 900000, assignee_id",
        ],
    },
];

/// Checks (and with `repair`, rebuilds) the derived data; `Err` lists what is
/// wrong when it was not repaired.
pub async fn run(db: &Db, repair: bool) -> Result<(), String> {
    let failed = |e: sqlx::Error| e.to_string();
    let mut wrong = Vec::new();
    for kept in &KEPT {
        let (rows,): (i64,) =
            sqlx::query_as(kept.wrong).fetch_one(&db.pool).await.map_err(failed)?;
        report(kept.what, rows, repair, &mut wrong);
        if rows > 0 && repair {
            let mut tx = db.transaction().await.map_err(failed)?;
            for sql in kept.rebuild {
                sqlx::query(sql).execute(&mut *tx).await.map_err(failed)?;
            }
            tx.commit().await.map_err(failed)?;
        }
    }
    if db.backend == Backend::Sqlite {
        let indexes: Vec<(String,)> = sqlx::query_as(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%fts5%' ORDER BY name",
        )
        .fetch_all(&db.pool)
        .await
        .map_err(failed)?;
        for (index,) in indexes {
            let check =
                format!("INSERT INTO {index} ({index}, rank) VALUES ('integrity-check', 1)");
            let broken = sqlx::query(&check).execute(&db.pool).await.is_err();
            report(&format!("search index {index}"), i64::from(broken), repair, &mut wrong);
            if broken && repair {
                sqlx::query(&format!("INSERT INTO {index} ({index}) VALUES ('rebuild')"))
                    .execute(&db.pool)
                    .await
                    .map_err(failed)?;
            }
        }
    }
    match wrong.is_empty() {
        true => Ok(()),
        false => {
            Err(format!("{} wrong; run `kith check --repair` to rebuild it.", wrong.join(", ")))
        }
    }
}

fn report(what: &str, wrong_rows: i64, repair: bool, wrong: &mut Vec<String>) {
    match (wrong_rows, repair) {
        (0, _) => println!("{what}: consistent"),
        (n, true) => println!("{what}: {n} wrong, rebuilt"),
        (n, false) => {
            println!("{what}: {n} wrong");
            wrong.push(what.to_owned());
        }
    }
}
