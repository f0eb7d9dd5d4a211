//! Test harness: the real router on a fresh database — an SQLite file, or a
//! new PostgreSQL database when `KITH_TEST_POSTGRES_URL` is set — and a client
//! with a cookie jar that signs in as a role.

#![allow(dead_code)]

use app::auth::session::AuthSettings;
use app::db::Db;
use axum::body::{to_bytes, Body, HttpBody};
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use kith_server::config::{DatabaseArgs, ServeArgs};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use tower::ServiceExt;

pub const ADMIN: (&str, &str) = ("admin@kith.test", kith_server::demo::ADMIN_PASSWORD);
pub const MARIA: (&str, &str) = ("maria@kith.test", kith_server::demo::AGENT_PASSWORD);
pub const JAMES: (&str, &str) = ("james@kith.test", kith_server::demo::AGENT_PASSWORD);

pub struct TestApp {
    pub router: Router,
    pub db: Db,
    pub auth: AuthSettings,
    pub url: String,
    dir: Option<Arc<tempfile::TempDir>>,
}

/// Session settings for tests: no slow-down, so throttling tests stay quick.
pub fn test_settings(db_secret: &str) -> AuthSettings {
    let mut settings = AuthSettings::new(db_secret.as_bytes());
    settings.throttle.slow_step_ms = 0;
    settings
}

/// How tests serve: behind a trusted proxy (clients name their address), small bodies.
/// Webhooks may reach the receivers tests run on loopback.
fn test_args() -> ServeArgs {
    ServeArgs {
        trust_proxy: true,
        body_limit: 64 * 1024,
        webhook_allow_private: true,
        ..ServeArgs::default()
    }
}

impl TestApp {
    /// The same app with its REST API allowing `per_minute` requests per token.
    pub fn with_api_rate_limit(self, per_minute: u32) -> Self {
        self.serving(|args| args.api_rate_limit = per_minute)
    }

    /// The same app, served with settings `adjust` changes.
    pub fn serving(mut self, adjust: impl FnOnce(&mut ServeArgs)) -> Self {
        let mut args = test_args();
        adjust(&mut args);
        let options = kith_server::leptos_options().expect("leptos options");
        self.router = kith_server::app_with(self.db.clone(), self.auth.clone(), &args, options)
            .expect("the app");
        self
    }

    /// A fresh database with the demo team (one admin, three agents).
    pub async fn new() -> Self {
        Self::with(|_| {}).await
    }

    /// A fresh database with the demo team, and session settings adjusted by `adjust`.
    pub async fn with(adjust: impl FnOnce(&mut AuthSettings)) -> Self {
        let app = Self::empty_with(adjust).await;
        kith_server::demo::seed_team(&app.db).await.expect("seed demo team");
        app
    }

    /// A fresh database with no users at all (first run).
    pub async fn empty() -> Self {
        Self::empty_with(|_| {}).await
    }

    async fn empty_with(adjust: impl FnOnce(&mut AuthSettings)) -> Self {
        let (url, dir) = fresh_database_url().await;
        Self::on_database(url, dir.map(Arc::new), adjust).await
    }

    /// A second Kith instance on the same database, as behind a load balancer:
    /// its own pool, router and process-local state; only the database is shared.
    pub async fn another_instance(&self) -> Self {
        let adjust = {
            let throttle = self.auth.throttle;
            move |auth: &mut AuthSettings| auth.throttle = throttle
        };
        Self::on_database(self.url.clone(), self.dir.clone(), adjust).await
    }

    async fn on_database(
        url: String,
        dir: Option<Arc<tempfile::TempDir>>,
        adjust: impl FnOnce(&mut AuthSettings),
    ) -> Self {
        let db = kith_server::open_store(&DatabaseArgs {
            database_url: url.clone(),
            db_max_connections: Some(4),
            sqlite_synchronous: app::db::Durability::default(),
        })
        .await
        .expect("open store");
        let args = test_args();
        let base = kith_server::auth_settings(&db, &args).await.expect("settings");
        let mut auth = test_settings("unused");
        auth.keys = base.keys.clone();
        adjust(&mut auth);
        let options = kith_server::leptos_options().expect("leptos options");
        let router =
            kith_server::app_with(db.clone(), auth.clone(), &args, options).expect("the app");
        Self { router, db, auth, url, dir }
    }

    pub fn client(&self) -> Client {
        Client {
            router: self.router.clone(),
            jar: Arc::new(Mutex::new(BTreeMap::new())),
            forwarded_for: "203.0.113.7".into(),
        }
    }

    /// A client already signed in with `(email, password)`.
    /// A fresh database with the demo team, and a client signed in as `who`.
    pub async fn signed_in_as(who: (&str, &str)) -> (Self, Client) {
        let app = Self::new().await;
        let client = app.signed_in(who).await;
        (app, client)
    }

    /// A fresh app and a client that has not signed in.
    pub async fn anonymous() -> (Self, Client) {
        let app = Self::new().await;
        let client = app.client();
        (app, client)
    }

    /// A fresh app with one signed-in client for each of `people`, in order.
    pub async fn signed_in_each<const N: usize>(people: [(&str, &str); N]) -> (Self, [Client; N]) {
        let app = Self::new().await;
        let mut clients = Vec::with_capacity(N);
        for who in people {
            clients.push(app.signed_in(who).await);
        }
        let Ok(clients) = clients.try_into() else { unreachable!("one client per person") };
        (app, clients)
    }

    pub async fn signed_in(&self, who: (&str, &str)) -> Client {
        let client = self.client();
        let res = client.sign_in(who.0, who.1).await;
        assert_eq!(res.status, StatusCode::OK, "sign-in failed: {}", res.body);
        client
    }

    /// How many rows `rows` holds: a table, and what to count in it
    /// (`"activity WHERE action = 'delete'"`).
    pub async fn rows(&self, rows: &str) -> i64 {
        self.count(&format!("SELECT COUNT(*) FROM {rows}")).await
    }

    /// The one row `sql` finds, with `$1` bound to `arg` when given.
    pub async fn one<T>(&self, sql: &str, arg: Option<&str>) -> T
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
    {
        let query = sqlx::query_as(sql);
        let query = match arg {
            Some(arg) => query.bind(arg.to_owned()),
            None => query,
        };
        query.fetch_one(&self.db.pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// What the latest activity entry matching `filter` changed (its `changes` JSON, as text),
    /// with `$1` bound to `arg` when given.
    pub async fn logged_changes(&self, filter: &str, arg: Option<&str>) -> String {
        let sql = format!("SELECT changes FROM activity WHERE {filter} ORDER BY at DESC, id DESC");
        let (changes,): (String,) = self.one(&sql, arg).await;
        changes
    }

    /// How many activity entries match `filter` (`"action = 'delete'"`).
    pub async fn logged(&self, filter: &str) -> i64 {
        self.rows(&format!("activity WHERE {filter}")).await
    }

    pub async fn count(&self, sql: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&self.db.pool).await.expect("count query");
        n
    }

    /// Deactivates the user with `email` as the demo admin does it, on their page.
    pub async fn deactivate(&self, email: &str) {
        let admin = self.signed_in(ADMIN).await;
        let id = self.user_id(email).await;
        let res = admin.call("/api/users/deactivate", &[("id", &id)]).await;
        assert_eq!(res.status, StatusCode::OK, "deactivate: {}", res.body);
    }

    /// The stored version of a user, for an edit form.
    pub async fn user_version(&self, id: &str) -> String {
        let (version,): (i64,) =
            self.one("SELECT version FROM users WHERE id = $1", Some(id)).await;
        version.to_string()
    }

    pub async fn user_id(&self, email: &str) -> String {
        let (id,): (String,) = self.one("SELECT id FROM users WHERE email = $1", Some(email)).await;
        id
    }
}

/// A new, empty database: PostgreSQL when `KITH_TEST_POSTGRES_URL` is set, else an SQLite
/// file in a temporary folder (kept while the folder lives).
pub async fn fresh_database_url() -> (String, Option<tempfile::TempDir>) {
    if let Ok(admin_url) = std::env::var("KITH_TEST_POSTGRES_URL") {
        sqlx::any::install_default_drivers();
        let name = format!("kith_test_{}", uuid::Uuid::now_v7().simple());
        let admin = sqlx::AnyPool::connect(&admin_url).await.expect("connect to test PostgreSQL");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&admin)
            .await
            .expect("create test database");
        admin.close().await;
        let base = admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(base, _)| base);
        return (format!("{base}/{name}"), None);
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("kith.db").display());
    (url, Some(dir))
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl TestResponse {
    /// Asserts the call succeeded (200), showing the body when it did not.
    #[track_caller]
    pub fn assert_ok(&self) {
        assert_eq!(self.status, StatusCode::OK, "{}", self.body);
    }

    /// Asserts the call was refused as invalid, with a message for each of `fields`.
    pub fn assert_invalid(&self, fields: &[&str]) {
        assert_eq!(self.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", self.body);
        for field in fields {
            assert!(
                self.body.contains(&format!("\"field\":\"{field}\"")),
                "{field}: {}",
                self.body
            );
        }
    }

    pub fn location(&self) -> Option<&str> {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok())
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect()
    }
}

/// A browser-like client: keeps cookies, sends same-origin headers.
#[derive(Clone)]
pub struct Client {
    router: Router,
    pub jar: Arc<Mutex<BTreeMap<String, String>>>,
    pub forwarded_for: String,
}

impl Client {
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.jar.lock().expect("jar").get(name).cloned()
    }

    pub fn set_cookie(&self, name: &str, value: &str) {
        self.jar.lock().expect("jar").insert(name.to_owned(), value.to_owned());
    }

    pub fn remove_cookie(&self, name: &str) {
        self.jar.lock().expect("jar").remove(name);
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.send(Request::get(path).header("sec-fetch-site", "same-origin"), Body::empty()).await
    }

    /// A server-function call as the hydrated app makes it.
    pub async fn call(&self, path: &str, form: &[(&str, &str)]) -> TestResponse {
        let body = encode_form(form);
        self.send(
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "application/json")
                .header("sec-fetch-site", "same-origin"),
            Body::from(body),
        )
        .await
    }

    /// A plain HTML form post, as a browser without JavaScript sends it.
    pub async fn submit(&self, path: &str, referer: &str, form: &[(&str, &str)]) -> TestResponse {
        let body = encode_form(form);
        self.send(
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "text/html,application/xhtml+xml")
                .header(header::REFERER, format!("http://localhost{referer}"))
                .header("sec-fetch-site", "same-origin"),
            Body::from(body),
        )
        .await
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> TestResponse {
        self.call("/api/login", &[("email", email), ("password", password)]).await
    }

    pub async fn send(&self, builder: axum::http::request::Builder, body: Body) -> TestResponse {
        let cookie_header = {
            let jar = self.jar.lock().expect("jar");
            jar.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
        };
        let mut builder = builder
            .header("x-forwarded-for", &self.forwarded_for)
            .header(header::CONTENT_LENGTH, body.size_hint().exact().unwrap_or(0));
        if !cookie_header.is_empty() {
            builder = builder.header(header::COOKIE, cookie_header);
        }
        let request = builder.body(body).expect("request");
        let response = self.router.clone().oneshot(request).await.expect("router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = to_bytes(response.into_body(), 16 * 1024 * 1024).await.expect("body");
        let res =
            TestResponse { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() };
        self.store_cookies(&res);
        res
    }

    fn store_cookies(&self, res: &TestResponse) {
        let mut jar = self.jar.lock().expect("jar");
        for line in res.set_cookies() {
            let Some((pair, attributes)) = line.split_once(';') else {
                continue;
            };
            let Some((name, value)) = pair.split_once('=') else {
                continue;
            };
            if value.is_empty() || attributes.contains("Max-Age=0") {
                jar.remove(name);
            } else {
                jar.insert(name.to_owned(), value.to_owned());
            }
        }
    }
}

fn encode_form(form: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish()
}
