//! Throttling of password checks, per account and per client address. Counters
//! live in the database so every Kith instance behind a load balancer shares them.
//!
//! An attempt is *reserved* before the password is hashed: one atomic upsert per
//! counter counts it and answers whether it may go ahead. However many requests
//! arrive at once, on however many instances, at most the limit of them are
//! checked inside a window; the rest are refused without hashing anything.

use crate::db::Db;
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, Copy)]
pub struct ThrottlePolicy {
    /// Attempts counted within this window…
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

/// One counter an attempt is reserved against, and what a success does to it.
#[derive(Debug, Clone)]
pub struct Counter {
    key: String,
    limit: i64,
    /// Account counters start again after a success; address counters only give
    /// the successful attempt back, so a guesser cannot reset them with their own account.
    reset_on_success: bool,
}

impl Counter {
    /// Sign-in attempts on one account (by email, whether or not it exists).
    pub fn account(policy: &ThrottlePolicy, email: &str) -> Self {
        Self {
            key: format!("account:{email}"),
            limit: policy.account_limit,
            reset_on_success: true,
        }
    }

    /// Sign-in attempts from one client address; an IPv6 client counts by its
    /// /64 network, since one machine is usually handed a whole /64.
    pub fn address(policy: &ThrottlePolicy, address: &str) -> Self {
        let network = match address.parse::<std::net::IpAddr>() {
            Ok(std::net::IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
            Ok(ip) => ip.to_canonical().to_string(),
            Err(_) => address.to_owned(),
        };
        Self {
            key: format!("address:{network}"),
            limit: policy.address_limit,
            reset_on_success: false,
        }
    }

    /// A signed-in user confirming their current password (profile changes):
    /// kept apart from sign-in, so a wrong guess there cannot lock them out.
    pub fn password_check(policy: &ThrottlePolicy, user_id: &str) -> Self {
        Self {
            key: format!("password-check:{user_id}"),
            limit: policy.account_limit,
            reset_on_success: true,
        }
    }

    /// Two-factor codes entered for one account.
    pub fn second_factor(policy: &ThrottlePolicy, user_id: &str) -> Self {
        Self {
            key: format!("second-factor:{user_id}"),
            limit: policy.account_limit,
            reset_on_success: true,
        }
    }
}

/// An attempt that may go ahead: report how it ended with `failed` or `succeeded`.
#[must_use]
pub struct Reservation {
    counters: Vec<Counter>,
    attempts: i64,
}

/// Reserves an attempt against every counter, in order, before any costly check.
/// Refused (429, with `what` in the message) when a counter is locked or full.
pub async fn reserve(
    db: &Db,
    policy: &ThrottlePolicy,
    counters: Vec<Counter>,
    what: &str,
    now: i64,
) -> AppResult<Reservation> {
    let mut attempts = 0;
    for counter in &counters {
        // The lock or window that has run out starts a new window; a live lock stays.
        let (count, window_started_at, locked_until): (i64, i64, Option<i64>) = sqlx::query_as(
            "INSERT INTO login_throttle (throttle_key, failures, window_started_at, locked_until) \
             VALUES ($1, 1, $2, NULL) \
             ON CONFLICT (throttle_key) DO UPDATE SET \
               failures = CASE WHEN login_throttle.locked_until > $2 THEN login_throttle.failures \
                 WHEN login_throttle.locked_until IS NOT NULL OR login_throttle.window_started_at <= $3 THEN 1 \
                 ELSE login_throttle.failures + 1 END, \
               window_started_at = CASE WHEN login_throttle.locked_until > $2 THEN login_throttle.window_started_at \
                 WHEN login_throttle.locked_until IS NOT NULL OR login_throttle.window_started_at <= $3 THEN $2 \
                 ELSE login_throttle.window_started_at END, \
               locked_until = CASE WHEN login_throttle.locked_until > $2 THEN login_throttle.locked_until \
                 ELSE NULL END \
             RETURNING failures, window_started_at, locked_until",
        )
        .bind(&counter.key)
        .bind(now)
        .bind(now - policy.window_ms)
        .fetch_one(&db.pool)
        .await?;
        let until = match locked_until {
            Some(until) if until > now => Some(until),
            _ if count > counter.limit => Some(window_started_at + policy.window_ms),
            _ => None,
        };
        if let Some(until) = until {
            let minutes = ((until - now).max(1) as f64 / 60_000.0).ceil() as i64;
            return Err(AppError::TooManyRequests(format!(
                "Too many failed {what}. Try again in {minutes} minute{}.",
                if minutes == 1 { "" } else { "s" }
            )));
        }
        attempts = attempts.max(count);
    }
    Ok(Reservation { counters, attempts })
}

impl Reservation {
    /// The attempt failed: it stays counted, and a counter that reached its limit locks.
    /// Returns how long to hold back the answer.
    pub async fn failed(
        self,
        db: &Db,
        policy: &ThrottlePolicy,
        now: i64,
    ) -> AppResult<std::time::Duration> {
        for counter in &self.counters {
            sqlx::query(
                "UPDATE login_throttle SET locked_until = $2 \
                 WHERE throttle_key = $1 AND failures >= $3 AND (locked_until IS NULL OR locked_until <= $4)",
            )
            .bind(&counter.key)
            .bind(now + policy.lockout_ms)
            .bind(counter.limit)
            .bind(now)
            .execute(&db.pool)
            .await?;
        }
        let extra = (self.attempts - policy.slow_after).clamp(0, 8) as u64;
        Ok(std::time::Duration::from_millis(extra * policy.slow_step_ms))
    }

    /// The attempt succeeded: account counters start again, address counters give it back.
    pub async fn succeeded(self, db: &Db) -> AppResult<()> {
        for counter in &self.counters {
            let sql = if counter.reset_on_success {
                "DELETE FROM login_throttle WHERE throttle_key = $1"
            } else {
                "UPDATE login_throttle SET failures = failures - 1 WHERE throttle_key = $1 AND failures > 0"
            };
            sqlx::query(sql).bind(&counter.key).execute(&db.pool).await?;
        }
        Ok(())
    }
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
