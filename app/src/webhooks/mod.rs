//! Webhooks: admins register endpoints that receive the events they choose
//! (`outbox::WebhookEvent`), signed as Standard Webhooks prescribe (`webhook-id`,
//! `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256>`, `whsec_`
//! secrets). Events are queued with the change that caused them (`outbox`);
//! `deliver` sends them, retrying with backoff for more than a day, logging every
//! attempt, and turns off an endpoint that has failed for days. `guard` refuses
//! addresses inside the network (loopback, private, link-local, metadata).
//! `api` has the server functions, `store` the SQL, `pages` the pages.

pub mod api;
#[cfg(feature = "ssr")]
pub mod deliver;
#[cfg(feature = "ssr")]
pub mod guard;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use crate::auth::{Checked, Validator};
use crate::error::FieldError;
use crate::fields::text_field;
pub use crate::ids::{DeliveryId, WebhookId};
use crate::outbox::WebhookEvent;
use serde::{Deserialize, Serialize};

/// The longest URL and description kept, in characters.
pub const URL_MAX: usize = 2000;
pub const DESCRIPTION_MAX: usize = 200;
/// What a signing secret starts with.
pub const SECRET_PREFIX: &str = "whsec_";

/// An endpoint as the webhooks page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    pub id: WebhookId,
    pub url: String,
    pub description: String,
    /// The event types it receives.
    pub events: Vec<String>,
    pub enabled: bool,
    /// Why Kith turned it off, if it did.
    pub disabled_reason: Option<String>,
    /// Since when its deliveries fail.
    pub failing_since: Option<i64>,
    pub version: i64,
    pub created_at: i64,
    /// Deliveries waiting to be sent or retried.
    pub pending: i64,
}

/// One event sent (or being sent) to an endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub id: DeliveryId,
    pub event_type: String,
    /// `pending`, `delivered` or `failed`.
    pub state: String,
    pub attempts: i64,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    /// How long the last attempt took, in milliseconds.
    pub last_duration_ms: Option<i64>,
    pub created_at: i64,
    pub next_attempt_at: Option<i64>,
}

/// An endpoint's page: the endpoint, its secret (admins only reach it) and its
/// latest deliveries, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointDetail {
    pub endpoint: Endpoint,
    pub secret: String,
    pub deliveries: Vec<Delivery>,
}

/// A new endpoint as its form posts it: the URL, what it is for, and the events
/// ticked (`events[0]`, `events[3]`…).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EndpointForm {
    pub url: String,
    pub description: String,
    pub events: Vec<String>,
}

/// An endpoint's fields, checked (the URL's address is checked again before each send).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointDraft {
    pub url: String,
    pub description: String,
    pub events: Vec<WebhookEvent>,
}

impl Checked<EndpointForm> for EndpointDraft {
    fn check(form: &EndpointForm, check: &mut Validator) -> Option<Self> {
        let url = check.check(parse_url(&form.url));
        let description =
            check.check(text_field("description", &form.description, DESCRIPTION_MAX, false));
        let events = check.check(parse_events(&form.events));
        Some(Self { url: url?, description: description?, events: events? })
    }
}

/// An `http` or `https` URL with a host, no credentials and no fragment.
fn parse_url(raw: &str) -> Result<String, FieldError> {
    let url = text_field("url", raw, URL_MAX, true)?;
    let lower = url.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    let authority = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or_default());
    match authority {
        Some(host)
            if !host.is_empty()
                && !host.contains('@')
                && !url.contains('#')
                && !url.contains(' ') =>
        {
            Ok(url)
        }
        _ => Err(FieldError::new(
            "url",
            "Enter the endpoint's full address, such as https://example.com/kith-events.",
        )),
    }
}

fn parse_events(raw: &[String]) -> Result<Vec<WebhookEvent>, FieldError> {
    let mut events = Vec::new();
    for name in raw.iter().filter(|n| !n.is_empty()) {
        let event = WebhookEvent::subscribable().find(|e| e.as_str() == name);
        match event {
            Some(event) if !events.contains(&event) => events.push(event),
            Some(_) => {}
            None => {
                return Err(FieldError::new(
                    "events",
                    format!("`{name}` is not an event Kith sends."),
                ))
            }
        }
    }
    if events.is_empty() {
        return Err(FieldError::new("events", "Tick at least one event to send."));
    }
    Ok(events)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endpoint_needs_a_web_address_and_an_event() {
        let form = |url: &str, events: &[&str]| EndpointForm {
            url: url.into(),
            description: String::new(),
            events: events.iter().map(|e| e.to_string()).collect(),
        };
        let ok = EndpointDraft::checked(&form("https://hooks.example.com/kith", &["lead.created"]));
        assert_eq!(ok.expect("valid").events, [WebhookEvent::LeadCreated]);
        for bad in
            ["ftp://example.com", "https://", "https://user:pw@example.com/", "example.com/x"]
        {
            let err = EndpointDraft::checked(&form(bad, &["lead.created"])).expect_err(bad);
            assert!(err.field_message("url").is_some(), "{bad}");
        }
        for events in [&[][..], &["webhook.test"], &["lead.exploded"]] {
            let err =
                EndpointDraft::checked(&form("https://example.com", events)).expect_err("events");
            assert!(err.field_message("events").is_some(), "{events:?}");
        }
    }
}
