//! The webhooks' outbox: an event for each endpoint that subscribes to it, written
//! in the transaction of the change it tells of, so a change rolled back sends
//! nothing and a committed one is never lost. The activity log calls `enqueue` for
//! each entry it writes; `webhooks` sends what is queued.

use serde::Serialize;
#[cfg(feature = "ssr")]
use {
    crate::db::{new_id, now_ms},
    sqlx::AnyConnection,
};

/// What an endpoint can subscribe to.
#[derive(
    strum::VariantArray, strum::IntoStaticStr, strum::EnumString, Debug, Clone, Copy, PartialEq, Eq,
)]
pub enum WebhookEvent {
    #[strum(serialize = "lead.created")]
    LeadCreated,
    #[strum(serialize = "lead.updated")]
    LeadUpdated,
    #[strum(serialize = "lead.status_changed")]
    LeadStatusChanged,
    #[strum(serialize = "lead.assigned")]
    LeadAssigned,
    #[strum(serialize = "lead.converted")]
    LeadConverted,
    #[strum(serialize = "lead.archived")]
    LeadArchived,
    #[strum(serialize = "lead.restored")]
    LeadRestored,
    #[strum(serialize = "customer.created")]
    CustomerCreated,
    #[strum(serialize = "customer.updated")]
    CustomerUpdated,
    #[strum(serialize = "customer.assigned")]
    CustomerAssigned,
    #[strum(serialize = "customer.archived")]
    CustomerArchived,
    #[strum(serialize = "customer.restored")]
    CustomerRestored,
    #[strum(serialize = "task.created")]
    TaskCreated,
    #[strum(serialize = "task.updated")]
    TaskUpdated,
    #[strum(serialize = "task.assigned")]
    TaskAssigned,
    #[strum(serialize = "task.deleted")]
    TaskDeleted,
    #[strum(serialize = "note.created")]
    NoteCreated,
    #[strum(serialize = "note.updated")]
    NoteUpdated,
    #[strum(serialize = "note.deleted")]
    NoteDeleted,
    /// Sent only by an admin's "Send a test event".
    #[strum(serialize = "webhook.test")]
    WebhookTest,
}

impl WebhookEvent {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// What an endpoint can subscribe to: every event but the test.
    pub fn subscribable() -> impl Iterator<Item = Self> {
        <Self as strum::VariantArray>::VARIANTS.iter().copied().filter(|e| *e != Self::WebhookTest)
    }
}

/// What happened, as the event's `data`: the record, who did it, and what changed.
#[derive(Debug, Serialize)]
pub struct EventData<'a> {
    /// `lead`, `customer`, `task` (a note's event names its lead or customer).
    pub record_type: &'a str,
    pub record_id: Option<&'a str>,
    /// What the record is called.
    pub label: &'a str,
    pub actor: Actor<'a>,
    /// Each changed field: `[old, new]`.
    pub changes: serde_json::Value,
}

#[derive(Debug, Serialize)]
pub struct Actor<'a> {
    pub id: Option<&'a str>,
    pub name: &'a str,
}

/// Queues each of `events` for every enabled endpoint that subscribes to it, in
/// the caller's transaction. Nothing is written when none does.
#[cfg(feature = "ssr")]
pub async fn enqueue(
    conn: &mut AnyConnection,
    events: &[WebhookEvent],
    data: &EventData<'_>,
) -> Result<(), sqlx::Error> {
    if events.is_empty() {
        return Ok(());
    }
    let endpoints: Vec<(String, String)> =
        sqlx::query_as("SELECT id, events FROM webhook_endpoints WHERE enabled = 1")
            .fetch_all(&mut *conn)
            .await?;
    for &event in events {
        let mut payload = None;
        for (endpoint, _) in
            endpoints.iter().filter(|(_, subscribed)| subscribes(subscribed, event))
        {
            let body = payload.get_or_insert_with(|| envelope(event, now_ms(), data));
            insert(conn, endpoint, event, body).await?;
        }
    }
    Ok(())
}

/// Queues `event` for one endpoint, whatever it subscribes to (a test send).
#[cfg(feature = "ssr")]
pub async fn enqueue_for(
    conn: &mut AnyConnection,
    endpoint: &str,
    event: WebhookEvent,
    data: &EventData<'_>,
) -> Result<(), sqlx::Error> {
    insert(conn, endpoint, event, &envelope(event, now_ms(), data)).await
}

#[cfg(feature = "ssr")]
async fn insert(
    conn: &mut AnyConnection,
    endpoint: &str,
    event: WebhookEvent,
    payload: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO webhook_deliveries (id, endpoint_id, event_type, payload, created_at, state, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, 'pending', $5)",
    )
    .bind(format!("msg_{}", new_id()))
    .bind(endpoint)
    .bind(event.as_str())
    .bind(payload)
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether an endpoint's space-separated `events` include `event`.
pub fn subscribes(events: &str, event: WebhookEvent) -> bool {
    events.split_whitespace().any(|e| e == event.as_str())
}

#[cfg(feature = "ssr")]
/// The message as Standard Webhooks shapes it: type, timestamp and data.
pub fn envelope(event: WebhookEvent, at_ms: i64, data: &EventData<'_>) -> String {
    let timestamp = chrono::DateTime::from_timestamp_millis(at_ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    serde_json::json!({ "type": event.as_str(), "timestamp": timestamp, "data": data }).to_string()
}
