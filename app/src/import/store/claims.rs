//! Workers' claims on import jobs: a claim is a token (`claimed_by`) that holds a
//! job until `claimed_until`; every batch renews it in its own transaction and stops
//! when another worker holds the job, so one job is written by one worker at a time,
//! and a job whose worker stopped is taken up once its claim lapses.

use crate::db::{new_id, now_ms, Db};
use crate::error::AppResult;
use crate::ids::ImportId;
use crate::import::job::JobState;
use sqlx::AnyConnection;

/// How long a claim lasts without another batch (milliseconds).
pub const LEASE_MS: i64 = 60_000;

/// A worker's hold on a job: the job and the token its batches renew the claim with.
pub struct Claim {
    pub id: ImportId,
    pub token: String,
    pub state: JobState,
}

const CLAIMABLE: &str =
    "state IN ('queued', 'undoing') AND (claimed_until IS NULL OR claimed_until < $1)";

/// The oldest job with work left that nobody holds a live claim on, now claimed.
pub async fn claim_next(db: &Db) -> AppResult<Option<Claim>> {
    loop {
        let now = now_ms();
        let next: Option<(ImportId, String)> = sqlx::query_as(&format!(
            "SELECT id, state FROM imports WHERE {CLAIMABLE} ORDER BY created_at LIMIT 1"
        ))
        .bind(now)
        .fetch_optional(&db.pool)
        .await?;
        let Some((id, state)) = next else { return Ok(None) };
        let token = new_id();
        let claimed = sqlx::query(&format!(
            "UPDATE imports SET claimed_by = $2, claimed_until = $3 WHERE id = $4 AND {CLAIMABLE}"
        ))
        .bind(now)
        .bind(&token)
        .bind(now + LEASE_MS)
        .bind(id.as_str())
        .execute(&db.pool)
        .await?;
        // Another instance claimed it between the two statements: look again.
        if claimed.rows_affected() == 1 {
            let state = JobState::parse(&state).unwrap_or(JobState::Queued);
            return Ok(Some(Claim { id, token, state }));
        }
    }
}

/// Claims `id` for this process, when it has work left and nobody holds it.
pub async fn claim(db: &Db, id: &ImportId) -> AppResult<Option<Claim>> {
    let now = now_ms();
    let token = new_id();
    let claimed: Option<(String,)> = sqlx::query_as(&format!(
        "UPDATE imports SET claimed_by = $2, claimed_until = $3 WHERE id = $4 AND {CLAIMABLE} \
         RETURNING state"
    ))
    .bind(now)
    .bind(&token)
    .bind(now + LEASE_MS)
    .bind(id.as_str())
    .fetch_optional(&db.pool)
    .await?;
    Ok(claimed.map(|(state,)| Claim {
        id: id.clone(),
        token,
        state: JobState::parse(&state).unwrap_or(JobState::Queued),
    }))
}

impl Claim {
    /// Renews the claim in the batch's transaction; `false` when another worker holds
    /// the job now (the caller rolls the batch back and stops).
    pub async fn renew(&self, conn: &mut AnyConnection) -> AppResult<bool> {
        let renewed =
            sqlx::query("UPDATE imports SET claimed_until = $1 WHERE id = $2 AND claimed_by = $3")
                .bind(now_ms() + LEASE_MS)
                .bind(self.id.as_str())
                .bind(&self.token)
                .execute(conn)
                .await?;
        Ok(renewed.rows_affected() == 1)
    }

    /// Ends the job in `state` (with an error to show, when it failed) and lets the claim go.
    pub async fn finish(
        &self,
        conn: &mut AnyConnection,
        state: JobState,
        error: Option<&str>,
    ) -> AppResult<()> {
        sqlx::query(
            "UPDATE imports SET state = $1, error = $2, finished_at = $3, claimed_by = NULL, \
             claimed_until = NULL WHERE id = $4 AND claimed_by = $5",
        )
        .bind(state.as_str())
        .bind(error)
        .bind(now_ms())
        .bind(self.id.as_str())
        .bind(&self.token)
        .execute(conn)
        .await?;
        Ok(())
    }
}
