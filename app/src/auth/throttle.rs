//! Login throttling, per account and per client address. Counters live in the
//! database so every Kith instance behind a load balancer shares them.

use crate::db::Db;
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, Copy)]
pub struct ThrottlePolicy {
    /// Failures counted within this window…
    pub window_ms: i64,
    /// …up to this many per account before it is locked…
    pub account_limit: i64,
    /// …or this many per client address…
    pub address_limit: i64,
    /// …for this long.
    pub lockout_ms: i64,
    /// Failures after which each further answer is slowed down.
    pub slow_after: i64,
    pub slow_step_ms: u64,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        Self {
            window_ms: 15 * 60 * 1000,
            account_limit: 5,
            address_limit: 30,
            lockout_ms: 15 * 60 * 1000,
            slow_after: 2,
            slow_step_ms: 400,
        }
    }
}

pub fn account_key(email: &str) -> String {
    format!("account:{email}")
}

pub fn address_key(addr: &str) -> String {
    format!("address:{addr}")
}

/// Refuses the attempt while any of `keys` is locked.
pub async fn check(db: &Db, keys: &[String], now: i64) -> AppResult<()> {
    for key in keys {
        let locked_until: Option<(Option<i64>,)> =
            sqlx::query_as("SELECT locked_until FROM login_throttle WHERE throttle_key = $1")
                .bind(key)
                .fetch_optional(&db.pool)
                .await?;
        if let Some((Some(until),)) = locked_until {
            if until > now {
                let minutes = ((until - now) as f64 / 60_000.0).ceil() as i64;
                return Err(AppError::TooManyRequests(format!(
                    "Too many failed sign-in attempts. Try again in {minutes} minute{}.",
                    if minutes == 1 { "" } else { "s" }
                )));
            }
        }
    }
    Ok(())
}

/// Counts a failure against `key`, locking it once it reaches `limit` within the window.
/// Returns the number of failures in the current window.
pub async fn record_failure(
    db: &Db,
    policy: &ThrottlePolicy,
    key: &str,
    limit: i64,
    now: i64,
) -> AppResult<i64> {
    let (failures,): (i64,) = sqlx::query_as(
        "INSERT INTO login_throttle (throttle_key, failures, window_started_at, locked_until) \
         VALUES ($1, 1, $2, NULL) \
         ON CONFLICT (throttle_key) DO UPDATE SET \
           failures = CASE WHEN login_throttle.window_started_at <= $3 THEN 1 ELSE login_throttle.failures + 1 END, \
           window_started_at = CASE WHEN login_throttle.window_started_at <= $3 THEN $2 ELSE login_throttle.window_started_at END \
         RETURNING failures",
    )
    .bind(key)
    .bind(now)
    .bind(now - policy.window_ms)
    .fetch_one(&db.pool)
    .await?;
    if failures >= limit {
        sqlx::query("UPDATE login_throttle SET locked_until = $2, failures = 0, window_started_at = $3 WHERE throttle_key = $1")
            .bind(key)
            .bind(now + policy.lockout_ms)
            .bind(now)
            .execute(&db.pool)
            .await?;
    }
    Ok(failures)
}

/// A successful sign-in clears the account's counter (never the address's).
pub async fn clear(db: &Db, key: &str) -> AppResult<()> {
    sqlx::query("DELETE FROM login_throttle WHERE throttle_key = $1")
        .bind(key)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// How long to hold back the answer after `failures` recent failures.
pub fn slowdown(policy: &ThrottlePolicy, failures: i64) -> std::time::Duration {
    let extra = (failures - policy.slow_after).clamp(0, 8) as u64;
    std::time::Duration::from_millis(extra * policy.slow_step_ms)
}

/// Forgets counters whose window and lock have both passed; safe to run from
/// several instances at once.
pub async fn prune(db: &Db, policy: &ThrottlePolicy, now: i64) -> AppResult<u64> {
    let done = sqlx::query(
        "DELETE FROM login_throttle WHERE window_started_at < $1 AND (locked_until IS NULL OR locked_until < $2)",
    )
    .bind(now - policy.window_ms)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected())
}
