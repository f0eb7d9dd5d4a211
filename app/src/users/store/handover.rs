//! A deleted user's records going to their receiver, each handover logged on its
//! record: in the deletion's own transaction when they are few, otherwise in the
//! background (`handovers`), one batch per transaction, so a deletion answers at
//! once however much the user held.

use super::*;

/// Up to this many records move with the deletion itself; more go in the background.
pub const AT_ONCE: i64 = 2_000;
/// Records moved per background transaction.
const BATCH: i64 = 2_000;
/// How long a claim on a handover lasts without another batch (milliseconds).
const LEASE_MS: i64 = 60_000;

/// A kind of record a user can hold, as a deleted user's handover needs it.
struct Held {
    table: &'static str,
    /// The column naming the holder.
    owner: &'static str,
    /// The column the log labels a record with.
    label: &'static str,
    /// The field name the log uses for the holder.
    field: &'static str,
    entity_type: EntityType,
}

const HELD: [Held; 3] = [
    Held {
        table: "leads",
        owner: "assignee_id",
        label: "name",
        field: "assignee",
        entity_type: EntityType::Lead,
    },
    Held {
        table: "customers",
        owner: "owner_id",
        label: "name",
        field: "owner",
        entity_type: EntityType::Customer,
    },
    Held {
        table: "tasks",
        owner: "assignee_id",
        label: "title",
        field: "assignee",
        entity_type: EntityType::Task,
    },
];

/// Who gives records to whom (id and name each), on whose behalf.
#[derive(sqlx::FromRow)]
pub struct Handover {
    id: String,
    from_id: String,
    from_name: String,
    to_id: String,
    to_name: String,
    actor_id: String,
    actor_name: String,
}

impl Handover {
    pub fn new(viewer: &Viewer, from: (&UserId, &str), to: (&UserId, &str)) -> Self {
        Self {
            id: new_id(),
            from_id: from.0.to_string(),
            from_name: from.1.to_owned(),
            to_id: to.0.to_string(),
            to_name: to.1.to_owned(),
            actor_id: viewer.id.to_string(),
            actor_name: viewer.name.clone(),
        }
    }

    /// Moves everything now, in the caller's transaction.
    pub async fn all_at_once(&self, conn: &mut AnyConnection) -> AppResult<()> {
        for held in &HELD {
            self.move_some(conn, held, None).await?;
        }
        Ok(())
    }

    /// Records the handover for the background to carry out (`run`) once the
    /// caller's transaction commits.
    pub async fn queue(&self, conn: &mut AnyConnection) -> AppResult<()> {
        sqlx::query(
            "INSERT INTO handovers (id, from_id, from_name, to_id, to_name, actor_id, actor_name, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&self.id)
        .bind(&self.from_id)
        .bind(&self.from_name)
        .bind(&self.to_id)
        .bind(&self.to_name)
        .bind(&self.actor_id)
        .bind(&self.actor_name)
        .bind(now_ms())
        .execute(conn)
        .await?;
        Ok(())
    }

    /// Moves up to `limit` records of one kind (all without one) and logs one
    /// handover on each record moved. Returns how many moved.
    async fn move_some(
        &self,
        conn: &mut AnyConnection,
        held: &Held,
        limit: Option<i64>,
    ) -> AppResult<usize> {
        let Held { table, owner: column, label, field, entity_type } = *held;
        let limit = limit.map_or(String::new(), |n| format!(" LIMIT {n}"));
        let now = now_ms();
        let moved: Vec<(String, String)> = sqlx::query_as(&format!(
            "UPDATE {table} SET {column} = $1, version = version + 1, updated_at = $2 \
             WHERE id IN (SELECT id FROM {table} WHERE {column} = $3{limit}) RETURNING id, {label}"
        ))
        .bind(&self.to_id)
        .bind(now)
        .bind(&self.from_id)
        .fetch_all(&mut *conn)
        .await?;
        let change = serde_json::json!({ field: [&self.from_name, &self.to_name] }).to_string();
        let entries: Vec<NewEntry<'_>> = moved
            .iter()
            .map(|(id, name)| NewEntry {
                actor_id: Some(&self.actor_id),
                actor_name: &self.actor_name,
                action: Action::Assign,
                entity_type,
                entity_id: Some(id),
                label: name,
                changes: Some(change.clone()),
            })
            .collect();
        crate::activity::store::record_all(conn, &entries).await?;
        Ok(moved.len())
    }
}

/// Whether `id` gives or receives records in a handover still under way.
pub async fn under_way(conn: &mut AnyConnection, id: &UserId) -> AppResult<bool> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM handovers WHERE finished_at IS NULL AND (from_id = $1 OR to_id = $1)",
    )
    .bind(id.as_str())
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// Carries every unfinished handover on, a batch per transaction, until none is
/// left that another instance is not already carrying on.
pub async fn run(db: &Db) -> AppResult<()> {
    while let Some(handover) = claim_next(db).await? {
        loop {
            let mut tx = db.transaction().await?;
            let mut moved = 0;
            for held in &HELD {
                moved = handover.move_some(&mut tx, held, Some(BATCH)).await?;
                if moved > 0 {
                    break;
                }
            }
            let now = now_ms();
            let finished = (moved == 0).then_some(now);
            sqlx::query("UPDATE handovers SET claimed_until = $1, finished_at = $2 WHERE id = $3")
                .bind(now + LEASE_MS)
                .bind(finished)
                .bind(&handover.id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            if finished.is_some() {
                break;
            }
        }
    }
    Ok(())
}

/// The oldest unfinished handover nobody holds a live claim on, now claimed.
async fn claim_next(db: &Db) -> AppResult<Option<Handover>> {
    let now = now_ms();
    let free = "finished_at IS NULL AND (claimed_until IS NULL OR claimed_until < $1)";
    let next: Option<Handover> = sqlx::query_as(&format!(
        "SELECT id, from_id, from_name, to_id, to_name, actor_id, actor_name FROM handovers \
         WHERE {free} ORDER BY created_at LIMIT 1"
    ))
    .bind(now)
    .fetch_optional(&db.pool)
    .await?;
    let Some(next) = next else { return Ok(None) };
    let claimed =
        sqlx::query(&format!("UPDATE handovers SET claimed_until = $2 WHERE id = $3 AND {free}"))
            .bind(now)
            .bind(now + LEASE_MS)
            .bind(&next.id)
            .execute(&db.pool)
            .await?;
    // Another instance claimed it between the two statements: look again.
    if claimed.rows_affected() == 0 {
        return Box::pin(claim_next(db)).await;
    }
    Ok(Some(next))
}
