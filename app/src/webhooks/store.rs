//! SQL for webhooks: endpoints (add, list, read with their latest deliveries, turn
//! on and off, remove), a test event, and sending a delivery again. Each change is
//! logged on the organisation's settings.

use super::{Delivery, Endpoint, EndpointDetail, EndpointDraft, WebhookId, SECRET_PREFIX};
use crate::activity::store::NewEntry;
use crate::activity::{Action, EntityType};
use crate::auth::Viewer;
use crate::db::{new_id, now_ms};
use crate::error::{AppError, AppResult};
use crate::ids::DeliveryId;
use crate::outbox::{self, Actor, EventData, WebhookEvent};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use rand::RngCore;
use sqlx::AnyConnection;

/// How many deliveries an endpoint's page shows.
pub const LOG_LENGTH: i64 = 50;

const ENDPOINT_COLUMNS: &str = "e.id, e.url, e.description, e.events, e.enabled, e.disabled_reason, \
     e.failing_since, e.version, e.created_at, \
     (SELECT COUNT(*) FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND d.state = 'pending') AS pending";

#[derive(sqlx::FromRow)]
struct EndpointRow {
    id: WebhookId,
    url: String,
    description: String,
    events: String,
    enabled: i64,
    disabled_reason: Option<String>,
    failing_since: Option<i64>,
    version: i64,
    created_at: i64,
    pending: i64,
}

impl From<EndpointRow> for Endpoint {
    fn from(row: EndpointRow) -> Self {
        Self {
            id: row.id,
            url: row.url,
            description: row.description,
            events: row.events.split_whitespace().map(str::to_owned).collect(),
            enabled: row.enabled == 1,
            disabled_reason: row.disabled_reason,
            failing_since: row.failing_since,
            version: row.version,
            created_at: row.created_at,
            pending: row.pending,
        }
    }
}

/// A new signing secret: `whsec_` and 32 random bytes in base64.
fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("{SECRET_PREFIX}{}", STANDARD.encode(bytes))
}

fn log<'a>(viewer: &'a Viewer, action: Action, id: &'a str, label: &'a str) -> NewEntry<'a> {
    NewEntry::by(viewer, action, (EntityType::Settings, id), label)
}

/// Adds an endpoint (enabled, with a new secret) and logs it.
pub async fn create(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    draft: &EndpointDraft,
) -> AppResult<WebhookId> {
    let id = new_id();
    let now = now_ms();
    let events: Vec<&str> = draft.events.iter().map(|e| e.as_str()).collect();
    sqlx::query(
        "INSERT INTO webhook_endpoints (id, url, description, events, secret, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(&id)
    .bind(&draft.url)
    .bind(&draft.description)
    .bind(events.join(" "))
    .bind(new_secret())
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let label = format!("Webhook {}", draft.url);
    log(viewer, Action::Create, &id, &label).record(conn).await?;
    Ok(WebhookId::from(id))
}

/// Every endpoint, oldest first.
pub async fn list(conn: &mut AnyConnection) -> AppResult<Vec<Endpoint>> {
    let sql =
        format!("SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints e ORDER BY e.created_at, e.id");
    let rows: Vec<EndpointRow> = sqlx::query_as(&sql).fetch_all(conn).await?;
    Ok(rows.into_iter().map(Endpoint::from).collect())
}

async fn endpoint(conn: &mut AnyConnection, id: &WebhookId) -> AppResult<Endpoint> {
    let sql = format!("SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints e WHERE e.id = $1");
    let row: Option<EndpointRow> =
        sqlx::query_as(&sql).bind(id.as_str()).fetch_optional(conn).await?;
    row.map(Endpoint::from).ok_or(AppError::NotFound)
}

#[derive(sqlx::FromRow)]
struct DeliveryRow {
    id: DeliveryId,
    event_type: String,
    state: String,
    attempts: i64,
    last_status: Option<i64>,
    last_error: Option<String>,
    last_duration_ms: Option<i64>,
    created_at: i64,
    next_attempt_at: i64,
}

/// An endpoint with its secret and latest deliveries.
pub async fn detail(conn: &mut AnyConnection, id: &WebhookId) -> AppResult<EndpointDetail> {
    let endpoint = endpoint(conn, id).await?;
    let (secret,): (String,) = sqlx::query_as("SELECT secret FROM webhook_endpoints WHERE id = $1")
        .bind(id.as_str())
        .fetch_one(&mut *conn)
        .await?;
    let rows: Vec<DeliveryRow> = sqlx::query_as(&format!(
        "SELECT d.id, d.event_type, d.state, d.attempts, d.last_status, d.last_error, \
           (SELECT a.duration_ms FROM webhook_attempts a WHERE a.delivery_id = d.id ORDER BY a.attempt DESC LIMIT 1) AS last_duration_ms, \
           d.created_at, d.next_attempt_at \
         FROM webhook_deliveries d WHERE d.endpoint_id = $1 ORDER BY d.created_at DESC, d.id DESC LIMIT {LOG_LENGTH}"
    ))
    .bind(id.as_str())
    .fetch_all(&mut *conn)
    .await?;
    let deliveries = rows
        .into_iter()
        .map(|row| Delivery {
            next_attempt_at: (row.state == "pending").then_some(row.next_attempt_at),
            id: row.id,
            event_type: row.event_type,
            state: row.state,
            attempts: row.attempts,
            last_status: row.last_status,
            last_error: row.last_error,
            last_duration_ms: row.last_duration_ms,
            created_at: row.created_at,
        })
        .collect();
    Ok(EndpointDetail { endpoint, secret, deliveries })
}

/// Turns an endpoint on (clearing why it was off and its failures) or off.
pub async fn set_enabled(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &WebhookId,
    enabled: bool,
) -> AppResult<()> {
    let found = endpoint(conn, id).await?;
    if found.enabled == enabled {
        return Ok(());
    }
    sqlx::query(
        "UPDATE webhook_endpoints SET enabled = $1, disabled_reason = NULL, failing_since = NULL, \
         version = version + 1, updated_at = $2 WHERE id = $3",
    )
    .bind(i64::from(enabled))
    .bind(now_ms())
    .bind(id.as_str())
    .execute(&mut *conn)
    .await?;
    let label = format!("Webhook {}", found.url);
    let (old, new) = if enabled { ("off", "on") } else { ("on", "off") };
    log(viewer, Action::Update, id.as_str(), &label)
        .changed("sending", old, new)
        .record(conn)
        .await?;
    Ok(())
}

/// Removes an endpoint, with its deliveries.
pub async fn delete(conn: &mut AnyConnection, viewer: &Viewer, id: &WebhookId) -> AppResult<()> {
    let found = endpoint(conn, id).await?;
    sqlx::query("DELETE FROM webhook_endpoints WHERE id = $1")
        .bind(id.as_str())
        .execute(&mut *conn)
        .await?;
    let label = format!("Webhook {}", found.url);
    log(viewer, Action::Delete, id.as_str(), &label).record(conn).await?;
    Ok(())
}

/// Queues a `webhook.test` event for the endpoint, whatever it subscribes to.
pub async fn send_test(conn: &mut AnyConnection, viewer: &Viewer, id: &WebhookId) -> AppResult<()> {
    endpoint(conn, id).await?;
    let data = EventData {
        record_type: "webhook",
        record_id: Some(id.as_str()),
        label: "A test event sent from Kith's webhooks page",
        actor: Actor { id: Some(viewer.id.as_str()), name: &viewer.name },
        changes: serde_json::Value::Null,
    };
    outbox::enqueue_for(conn, id.as_str(), WebhookEvent::WebhookTest, &data).await?;
    Ok(())
}

/// Sends a delivery again now (after its endpoint was fixed), counting on from its attempts.
pub async fn redeliver(conn: &mut AnyConnection, id: &DeliveryId) -> AppResult<WebhookId> {
    let found: Option<(WebhookId,)> =
        sqlx::query_as("SELECT endpoint_id FROM webhook_deliveries WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    let (endpoint,) = found.ok_or(AppError::NotFound)?;
    sqlx::query(
        "UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = $1, lease_until = NULL WHERE id = $2",
    )
    .bind(now_ms())
    .bind(id.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(endpoint)
}
