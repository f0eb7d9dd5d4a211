//! Webhooks end to end: an admin registers an endpoint, changes made on pages and
//! through the API reach a real receiver on loopback, signed so that another
//! implementation of Standard Webhooks accepts them; failures are retried and
//! logged, a rolled-back change sends nothing, two instances send each event once,
//! and addresses inside the network are refused.

use crate::helpers::{TestApp, ADMIN, MARIA};
use app::webhooks::deliver::{self, Sender};
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// A receiver on a loopback port: keeps what it is sent, answers from `answers`
/// (then 200).
#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<(HeaderMap, Bytes)>>>,
    answers: Arc<Mutex<VecDeque<u16>>>,
}

impl Receiver {
    async fn start(answers: &[u16]) -> (Self, String) {
        let receiver = Self::default();
        receiver.answers.lock().expect("answers").extend(answers);
        let state = receiver.clone();
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: HeaderMap, body: Bytes| {
                let state = state.clone();
                async move {
                    state.got.lock().expect("got").push((headers, body));
                    let status = state.answers.lock().expect("answers").pop_front().unwrap_or(200);
                    StatusCode::from_u16(status).unwrap_or(StatusCode::OK)
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://127.0.0.1:{}/hook", listener.local_addr().expect("addr").port());
        tokio::spawn(async move { axum::serve(listener, app).await });
        (receiver, url)
    }

    fn received(&self) -> Vec<(HeaderMap, Value)> {
        let got = self.got.lock().expect("got");
        got.iter().map(|(h, b)| (h.clone(), serde_json::from_slice(b).expect("json"))).collect()
    }

    fn raw(&self) -> Vec<(HeaderMap, Bytes)> {
        self.got.lock().expect("got").clone()
    }
}

fn sender() -> Sender {
    kith_server::webhook_sender(true).expect("sender")
}

/// Registers an endpoint for `events` on the webhooks page's form; its id.
async fn register(app: &TestApp, url: &str, events: &[&str]) -> String {
    let admin = app.signed_in(ADMIN).await;
    let names: Vec<String> = (0..events.len()).map(|i| format!("events[{i}]")).collect();
    let mut form: Vec<(&str, &str)> = vec![("url", url), ("description", "CRM sync")];
    form.extend(names.iter().map(String::as_str).zip(events.iter().copied()));
    let res = admin.call("/api/webhooks/create", &form).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let (id,): (String,) =
        app.one("SELECT id FROM webhook_endpoints WHERE url = $1", Some(url)).await;
    id
}

async fn run(app: &TestApp) -> usize {
    deliver::run_once(&app.db, &sender()).await.expect("deliver")
}

#[tokio::test]
async fn events_reach_the_endpoint_signed_so_another_implementation_verifies_them() {
    let app = TestApp::new().await;
    let (receiver, url) = Receiver::start(&[]).await;
    let endpoint =
        register(&app, &url, &["lead.created", "lead.status_changed", "note.created"]).await;

    // Only admins manage webhooks; others do not learn they exist.
    let maria = app.signed_in(MARIA).await;
    assert_eq!(maria.get("/webhooks").await.status, StatusCode::NOT_FOUND);
    let refused = maria
        .call("/api/webhooks/create", &[("url", url.as_str()), ("events[0]", "lead.created")])
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);

    let lead = maria.create_lead(&[("name", "Hooked Lead"), ("email", "hooked@example.com")]).await;
    let version = app.one::<(i64,)>("SELECT version FROM leads WHERE id = $1", Some(&lead)).await.0;
    let res = maria
        .call(
            "/api/leads/move",
            &[("id", &lead), ("version", &version.to_string()), ("status", "in_progress")],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    maria
        .call("/api/notes/add", &[("kind", "lead"), ("record_id", &lead), ("body", "Called.")])
        .await
        .assert_ok();
    maria.create_customer(&[("name", "Not Subscribed Co")]).await;
    assert_eq!(app.rows("webhook_deliveries").await, 3, "one per subscribed event");
    assert!(receiver.raw().is_empty(), "nothing is sent from the request itself");

    assert_eq!(run(&app).await, 3);
    let secret: (String,) =
        app.one("SELECT secret FROM webhook_endpoints WHERE id = $1", Some(&endpoint)).await;
    let verifier = standardwebhooks::Webhook::new(&secret.0).expect("secret");
    for (headers, body) in receiver.raw() {
        verifier.verify(&body, &headers).expect("a valid Standard Webhooks signature");
        let mut tampered = body.to_vec();
        tampered.push(b' ');
        assert!(verifier.verify(&tampered, &headers).is_err(), "a changed body fails");
    }
    let types: Vec<String> = receiver
        .received()
        .iter()
        .map(|(_, b)| b["type"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(types.len(), 3);
    for expected in ["lead.created", "lead.status_changed", "note.created"] {
        assert!(types.iter().any(|t| t == expected), "{types:?}");
    }
    let created = receiver
        .received()
        .into_iter()
        .find(|(_, b)| b["type"] == "lead.created")
        .expect("created")
        .1;
    assert_eq!(created["data"]["record_id"], lead.as_str());
    assert_eq!(created["data"]["label"], "Hooked Lead");
    assert_eq!(created["data"]["actor"]["name"], "Maria Lopez");
    let moved = receiver
        .received()
        .into_iter()
        .find(|(_, b)| b["type"] == "lead.status_changed")
        .expect("moved")
        .1;
    assert_eq!(moved["data"]["changes"]["status"], json!(["New", "In Progress"]), "{moved}");

    // The endpoint's page logs each delivery; a test event goes out on request.
    let admin = app.signed_in(ADMIN).await;
    let page = admin.get(&format!("/webhooks/{endpoint}")).await;
    assert!(
        page.body.contains("lead.status_changed") && page.body.contains("delivered"),
        "{}",
        page.body
    );
    admin.call("/api/webhooks/test", &[("id", &endpoint)]).await.assert_ok();
    assert_eq!(run(&app).await, 1);
    assert_eq!(receiver.received().last().expect("test").1["type"], "webhook.test");
    assert_eq!(app.rows("webhook_attempts WHERE response_status = 200").await, 4);
}

#[tokio::test]
async fn a_failing_endpoint_is_retried_later_then_given_up_and_turned_off_after_days() {
    let app = TestApp::new().await;
    let (receiver, url) = Receiver::start(&[500, 503]).await;
    let endpoint = register(&app, &url, &["customer.created"]).await;
    let maria = app.signed_in(MARIA).await;
    maria.create_customer(&[("name", "Retry Co")]).await;

    assert_eq!(run(&app).await, 1);
    let (state, attempts, next): (String, i64, i64) =
        app.one("SELECT state, attempts, next_attempt_at FROM webhook_deliveries", None).await;
    assert_eq!((state.as_str(), attempts), ("pending", 1));
    assert!(next > app::db::now_ms() + 3_000, "retried after a wait");
    assert_eq!(run(&app).await, 0, "not due yet");
    sqlx::query("UPDATE webhook_deliveries SET next_attempt_at = 0")
        .execute(&app.db.pool)
        .await
        .expect("due");
    assert_eq!(run(&app).await, 1);
    sqlx::query("UPDATE webhook_deliveries SET next_attempt_at = 0")
        .execute(&app.db.pool)
        .await
        .expect("due");
    assert_eq!(run(&app).await, 1);
    let (state, attempts): (String, i64) =
        app.one("SELECT state, attempts FROM webhook_deliveries", None).await;
    assert_eq!((state.as_str(), attempts), ("delivered", 3));
    let statuses: Vec<(Option<i64>,)> =
        sqlx::query_as("SELECT response_status FROM webhook_attempts ORDER BY attempt")
            .fetch_all(&app.db.pool)
            .await
            .expect("log");
    assert_eq!(statuses, [(Some(500),), (Some(503),), (Some(200),)]);
    let ids: Vec<String> = receiver
        .raw()
        .iter()
        .map(|(h, _)| h["webhook-id"].to_str().unwrap_or_default().to_owned())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] == w[1]), "one message id across retries: {ids:?}");

    // A receiver that never recovers: the last retry gives up, and an endpoint
    // failing for five days is turned off with a note in the log.
    receiver.answers.lock().expect("answers").extend([500; 10]);
    maria.create_customer(&[("name", "Doomed Co")]).await;
    sqlx::query("UPDATE webhook_deliveries SET attempts = 7 WHERE state = 'pending'")
        .execute(&app.db.pool)
        .await
        .expect("late");
    sqlx::query("UPDATE webhook_endpoints SET failing_since = 1")
        .execute(&app.db.pool)
        .await
        .expect("old");
    assert_eq!(run(&app).await, 1);
    assert_eq!(app.rows("webhook_deliveries WHERE state = 'failed'").await, 1);
    let (enabled, reason): (i64, Option<String>) = app
        .one(
            "SELECT enabled, disabled_reason FROM webhook_endpoints WHERE id = $1",
            Some(&endpoint),
        )
        .await;
    assert_eq!(enabled, 0);
    assert!(reason.is_some_and(|r| r.contains("5 days")));
    assert_eq!(app.logged("actor_name = 'Kith' AND entity_type = 'settings'").await, 1);

    // Off: nothing is sent; on again, a failed delivery can be sent again by hand.
    maria.create_customer(&[("name", "Quiet Co")]).await;
    assert_eq!(app.rows("webhook_deliveries").await, 2, "a disabled endpoint queues nothing");
    let admin = app.signed_in(ADMIN).await;
    admin.call("/api/webhooks/enable", &[("id", &endpoint), ("enabled", "true")]).await.assert_ok();
    receiver.answers.lock().expect("answers").clear();
    let (failed,): (String,) =
        app.one("SELECT id FROM webhook_deliveries WHERE state = 'failed'", None).await;
    admin.call("/api/webhooks/redeliver", &[("id", &failed)]).await.assert_ok();
    assert_eq!(run(&app).await, 1);
    assert_eq!(app.rows("webhook_deliveries WHERE state = 'delivered'").await, 2);
}

#[tokio::test]
async fn a_change_rolled_back_queues_nothing_and_two_instances_send_each_event_once() {
    let app = TestApp::new().await;
    let (receiver, url) = Receiver::start(&[]).await;
    register(&app, &url, &["lead.created"]).await;
    let maria_id = app.user_id("maria@kith.test").await;
    let maria = app::auth::Viewer {
        id: maria_id.clone().into(),
        name: "Maria Lopez".into(),
        email: "maria@kith.test".into(),
        role: app::auth::Role::Agent,
        session_id: "test".into(),
        two_factor: false,
    };
    let draft = app::leads::LeadDraft {
        name: "Never Saved".into(),
        email: None,
        phone: String::new(),
        company: String::new(),
        source: String::new(),
        status: app::leads::LeadStatus::New,
        notes: String::new(),
    };
    let rolled_back: Result<(), _> = app
        .db
        .write(async |tx| {
            app::leads::store::create(tx, &maria, &draft, &maria.id).await?;
            Err(app::error::AppError::Conflict("something later failed".into()))
        })
        .await;
    assert!(rolled_back.is_err());
    assert_eq!(app.rows("leads WHERE name = 'Never Saved'").await, 0);
    assert_eq!(app.rows("webhook_deliveries").await, 0, "the event went with the change");

    let client = app.signed_in(MARIA).await;
    for i in 0..12 {
        client.create_lead(&[("name", &format!("Twice? {i}"))]).await;
    }
    let other = app.another_instance().await;
    let (first, second) = (sender(), sender());
    let (one, two) =
        tokio::join!(deliver::run_once(&app.db, &first), deliver::run_once(&other.db, &second));
    assert_eq!(one.expect("one") + two.expect("two"), 12);
    let mut ids: Vec<String> = receiver
        .raw()
        .iter()
        .map(|(h, _)| h["webhook-id"].to_str().unwrap_or_default().to_owned())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!((ids.len(), receiver.raw().len()), (12, 12), "each event once");
    assert_eq!(app.rows("webhook_attempts").await, 12);
}

#[tokio::test]
async fn addresses_inside_the_network_are_refused_when_registered_and_when_sent() {
    let app = TestApp::new().await.serving(|args| args.webhook_allow_private = false);
    let admin = app.signed_in(ADMIN).await;
    for url in [
        "http://127.0.0.1:8080/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost/hook",
        "http://[::1]/",
        "http://10.0.0.5/",
    ] {
        let res = admin
            .call("/api/webhooks/create", &[("url", url), ("events[0]", "lead.created")])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{url}: {}", res.body);
        assert!(res.body.contains("inside Kith"), "{}", res.body);
    }
    assert_eq!(app.rows("webhook_endpoints").await, 0);

    // A name that resolves inside the network (this machine's own name: loopback or
    // a private address) passes registration but is refused by the sender's resolver.
    let (receiver, url) = Receiver::start(&[]).await;
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").expect("hostname");
    let by_name = url.replace("127.0.0.1", host.trim());
    let res = admin
        .call("/api/webhooks/create", &[("url", by_name.as_str()), ("events[0]", "lead.created")])
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    app.signed_in(MARIA).await.create_lead(&[("name", "Rebound")]).await;
    let guarded = kith_server::webhook_sender(false).expect("sender");
    assert_eq!(deliver::run_once(&app.db, &guarded).await.expect("run"), 1);
    assert!(receiver.raw().is_empty(), "nothing reached the loopback receiver");
    let (error,): (Option<String>,) =
        app.one("SELECT last_error FROM webhook_deliveries", None).await;
    assert!(error.as_deref().is_some_and(|e| e.contains("inside Kith")), "{error:?}");
}
