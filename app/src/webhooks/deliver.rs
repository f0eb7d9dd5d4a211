//! Sending queued deliveries. Every second a worker leases the deliveries that are
//! due (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite: its single writer), so each
//! attempt is made by one instance however many run, and posts each, signed, with
//! a 10-second limit. A 2xx delivers it; anything else is retried after 5 s, 5 min,
//! 30 min, 2 h, 5 h, 10 h and 10 h (27 hours in all), then marked failed. Every
//! attempt is logged. An endpoint whose deliveries have failed for five days is
//! turned off, and the log tells the admins.

use super::guard::{self, PublicOnly};
use super::SECRET_PREFIX;
use crate::activity::store::NewEntry;
use crate::activity::{Action, EntityType};
use crate::db::{now_ms, Backend, Db};
use crate::error::AppResult;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::time::{Duration, Instant};

/// Waits before each retry, in seconds.
const RETRY_AFTER: [i64; 7] = [5, 300, 1800, 7200, 18_000, 36_000, 36_000];
/// How long one instance holds a delivery it is sending.
const LEASE_MS: i64 = 60_000;
/// Deliveries leased at once.
const BATCH: i64 = 20;
/// An endpoint failing this long is turned off.
pub const DISABLE_AFTER_MS: i64 = 5 * 24 * 60 * 60 * 1000;
/// How much of a receiver's error answer is kept.
const ERROR_KEPT: usize = 300;

/// What sends deliveries: an HTTP client that follows no redirect, uses no proxy
/// and connects only to addresses `guard` allows.
#[derive(Clone)]
pub struct Sender {
    client: reqwest::Client,
    allow_private: bool,
}

impl Sender {
    /// A sender; `allow_private` lets it reach addresses inside the network.
    /// (A TLS crypto provider must be installed for the process first.)
    pub fn new(allow_private: bool) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .dns_resolver(PublicOnly { allow_private })
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(10))
            .user_agent(concat!("Kith-Webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("cannot make the webhook sender: {e}"))?;
        Ok(Self { client, allow_private })
    }
}

#[derive(sqlx::FromRow)]
struct Due {
    id: String,
    payload: String,
    attempts: i64,
    endpoint_id: String,
    url: String,
    secret: String,
}

/// Leases the deliveries due now and sends them; how many were attempted.
pub async fn run_once(db: &Db, sender: &Sender) -> AppResult<usize> {
    let now = now_ms();
    let lease = now + LEASE_MS;
    let skip_locked = match db.backend {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let leased: Vec<(String,)> = sqlx::query_as(&format!(
        "UPDATE webhook_deliveries SET lease_until = $1 WHERE id IN ( \
           SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id \
           WHERE d.state = 'pending' AND d.next_attempt_at <= $2 AND e.enabled = 1 \
             AND (d.lease_until IS NULL OR d.lease_until < $2) \
           ORDER BY d.next_attempt_at LIMIT {BATCH}{skip_locked}) \
         RETURNING id"
    ))
    .bind(lease)
    .bind(now)
    .fetch_all(&db.pool)
    .await?;
    for (id,) in &leased {
        let due: Option<Due> = sqlx::query_as(
            "SELECT d.id, d.payload, d.attempts, d.endpoint_id, e.url, e.secret \
             FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id \
             WHERE d.id = $1 AND d.lease_until = $2",
        )
        .bind(id)
        .bind(lease)
        .fetch_optional(&db.pool)
        .await?;
        if let Some(due) = due {
            attempt(db, sender, due, lease).await?;
        }
    }
    Ok(leased.len())
}

/// One attempt at a delivery, its outcome written while the lease is still ours.
async fn attempt(db: &Db, sender: &Sender, due: Due, lease: i64) -> AppResult<()> {
    let started = Instant::now();
    let outcome = post(sender, &due).await;
    let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    let now = now_ms();
    let attempt = due.attempts + 1;
    let (status, error) = match &outcome {
        Ok(status) if (200..300).contains(status) => (Some(*status), None),
        Ok(status) => (Some(*status), Some(format!("The endpoint answered {status}."))),
        Err(error) => (None, Some(error.clone())),
    };
    let delivered = error.is_none();
    let retry = RETRY_AFTER.get(usize::try_from(due.attempts).unwrap_or(usize::MAX));
    let (state, next) = match (delivered, retry) {
        (true, _) => ("delivered", now),
        (false, Some(wait)) => ("pending", now + wait * 1000),
        (false, None) => ("failed", now),
    };
    let outcome = match state {
        "pending" => "retrying",
        done => done,
    };
    metrics::counter!("kith_webhook_deliveries_total", "outcome" => outcome).increment(1);
    db.write(async |tx| {
        let mine = sqlx::query(
            "UPDATE webhook_deliveries SET state = $1, attempts = $2, next_attempt_at = $3, lease_until = NULL, \
             last_status = $4, last_error = $5, delivered_at = $6 WHERE id = $7 AND lease_until = $8",
        )
        .bind(state)
        .bind(attempt)
        .bind(next)
        .bind(status)
        .bind(&error)
        .bind(delivered.then_some(now))
        .bind(&due.id)
        .bind(lease)
        .execute(&mut *tx)
        .await?;
        if mine.rows_affected() == 0 {
            return Ok(()); // The lease ran out and another instance took it over.
        }
        sqlx::query(
            "INSERT INTO webhook_attempts (delivery_id, attempt, at, response_status, duration_ms, error) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&due.id)
        .bind(attempt)
        .bind(now)
        .bind(status)
        .bind(duration_ms)
        .bind(&error)
        .execute(&mut *tx)
        .await?;
        note_health(tx, &due, delivered, now).await
    })
    .await
}

/// Marks the endpoint as failing since its first failure (cleared by a success),
/// and turns it off once it has failed for `DISABLE_AFTER_MS`.
async fn note_health(
    conn: &mut sqlx::AnyConnection,
    due: &Due,
    delivered: bool,
    now: i64,
) -> AppResult<()> {
    if delivered {
        sqlx::query("UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1")
            .bind(&due.endpoint_id)
            .execute(&mut *conn)
            .await?;
        return Ok(());
    }
    sqlx::query(
        "UPDATE webhook_endpoints SET failing_since = $1 WHERE id = $2 AND failing_since IS NULL",
    )
    .bind(now)
    .bind(&due.endpoint_id)
    .execute(&mut *conn)
    .await?;
    let reason = "Kith turned it off: its deliveries have failed for 5 days. Fix the receiver, then turn it on again.";
    let turned_off = sqlx::query(
        "UPDATE webhook_endpoints SET enabled = 0, disabled_reason = $1, version = version + 1, updated_at = $2 \
         WHERE id = $3 AND enabled = 1 AND failing_since <= $4",
    )
    .bind(reason)
    .bind(now)
    .bind(&due.endpoint_id)
    .bind(now - DISABLE_AFTER_MS)
    .execute(&mut *conn)
    .await?;
    if turned_off.rows_affected() == 1 {
        let label = format!("Webhook {}", due.url);
        let entry = NewEntry {
            actor_id: None,
            actor_name: "Kith",
            action: Action::Update,
            entity_type: EntityType::Settings,
            entity_id: Some(&due.endpoint_id),
            label: &label,
            changes: None,
        };
        entry.changed("sending", "on", "off (failing for 5 days)").record(conn).await?;
    }
    Ok(())
}

/// Posts the delivery, signed; the answer's status, or why there was none.
async fn post(sender: &Sender, due: &Due) -> Result<i64, String> {
    let url = guard::check_url(&due.url, sender.allow_private).map_err(|e| e.in_one_line())?;
    let timestamp = now_ms() / 1000;
    let signature = sign(&due.secret, &due.id, timestamp, &due.payload)?;
    let response = sender
        .client
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", &due.id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(due.payload.clone())
        .send()
        .await
        .map_err(|e| describe(&e))?;
    Ok(i64::from(response.status().as_u16()))
}

/// `v1,<base64 HMAC-SHA256 of "id.timestamp.payload">` under the secret's key.
pub fn sign(secret: &str, id: &str, timestamp: i64, payload: &str) -> Result<String, String> {
    let key = STANDARD
        .decode(secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret))
        .map_err(|_| "the endpoint's secret is not base64".to_owned())?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).map_err(|e| e.to_string())?;
    mac.update(format!("{id}.{timestamp}.{payload}").as_bytes());
    Ok(format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes())))
}

/// A send that got no answer, in a person's words, with the cause kept short.
fn describe(error: &reqwest::Error) -> String {
    let what = if error.is_timeout() {
        "No answer within 10 seconds"
    } else if error.is_connect() {
        "Could not connect"
    } else {
        "The request failed"
    };
    let mut cause = String::new();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        cause = inner.to_string();
        source = inner.source();
    }
    let text = if cause.is_empty() { what.to_owned() } else { format!("{what}: {cause}") };
    text.chars().take(ERROR_KEPT).collect()
}
