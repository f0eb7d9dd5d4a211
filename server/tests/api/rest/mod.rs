//! The REST API (`/api/v1`) from outside: a client that sends a personal token
//! and JSON, and reads problem documents.

mod contract;
mod records;
mod tokens;

use crate::helpers::{Client, TestApp, TestResponse};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::Value;

impl Client {
    /// Makes a token on the tokens page and reads it off the page, where it shows once.
    pub async fn make_token(&self, name: &str, scope: &str) -> String {
        let form = [("name", name), ("scope", scope), ("expires_days", "90")];
        let res = self.call("/api/tokens/create", &form).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let page = self.get("/profile/tokens").await;
        let token: String = page
            .body
            .split(r#"id="new-token""#)
            .nth(1)
            .and_then(|rest| rest.split_once('>'))
            .map(|(_, rest)| {
                rest.chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                    .collect()
            })
            .unwrap_or_default();
        assert!(token.starts_with("kith_") && token.len() > 40, "{}", page.body);
        let again = self.get("/profile/tokens").await;
        assert!(!again.body.contains(&token), "shown once");
        assert!(again.body.contains(&token[..12]), "its first characters are listed");
        token
    }
}

/// A program calling the API with a token, and no cookie.
pub struct Api {
    client: Client,
    token: String,
}

impl TestApp {
    /// `who` signs in and makes a token of `scope` (`read` or `write`) on their profile.
    pub async fn api_as(&self, who: (&str, &str), scope: &str) -> Api {
        let token = self.signed_in(who).await.make_token("Test program", scope).await;
        Api { client: self.client(), token }
    }
}

impl Api {
    /// `method path` (under `/api/v1`) with `headers` and a JSON `body`.
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> TestResponse {
        let mut request = Request::builder()
            .method(method)
            .uri(format!("/api/v1{path}"))
            .header(header::AUTHORIZATION, format!("Bearer {}", self.token));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let body = match body {
            Some(json) => {
                request = request.header(header::CONTENT_TYPE, "application/json");
                Body::from(json.to_string())
            }
            None => Body::empty(),
        };
        self.client.send(request, body).await
    }

    /// `request` as it is, with the token and `body` as sent bytes.
    pub async fn raw(&self, request: axum::http::request::Builder, body: &str) -> TestResponse {
        let request = request.header(header::AUTHORIZATION, format!("Bearer {}", self.token));
        self.client.send(request, Body::from(body.to_owned())).await
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.send("GET", path, &[], None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> TestResponse {
        self.send("POST", path, &[], Some(body)).await
    }

    /// `PATCH path` on the version `etag` names.
    pub async fn patch(&self, path: &str, etag: &str, body: Value) -> TestResponse {
        self.send("PATCH", path, &[("if-match", etag)], Some(body)).await
    }

    pub async fn delete(&self, path: &str, etag: Option<&str>) -> TestResponse {
        let headers: Vec<(&str, &str)> = etag.map(|e| ("if-match", e)).into_iter().collect();
        self.send("DELETE", path, &headers, None).await
    }

    /// Creates a record at `path` and returns its id, checking the answer says where it is.
    pub async fn create(&self, path: &str, body: Value) -> String {
        let res = self.post(path, body).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        let id = json(&res)["id"].as_str().expect("id").to_owned();
        assert_eq!(res.headers[header::ETAG], "\"1\"");
        if let Some(location) = res.headers.get(header::LOCATION) {
            assert!(location.to_str().is_ok_and(|l| l.ends_with(&id)), "{location:?}");
        }
        id
    }
}

/// `GET path` with `Authorization: Bearer token`, and no cookie.
pub async fn api_get(app: &TestApp, path: &str, token: &str) -> TestResponse {
    let request = Request::get(path).header(header::AUTHORIZATION, format!("Bearer {token}"));
    app.client().send(request, Body::empty()).await
}

pub fn json(res: &TestResponse) -> Value {
    serde_json::from_str(&res.body).unwrap_or_else(|e| panic!("{e}: {}", res.body))
}

/// Asserts `res` is a problem document with `status`.
pub fn is_problem(res: &TestResponse, status: StatusCode) {
    assert_eq!(res.status, status, "{}", res.body);
    assert_eq!(res.headers[header::CONTENT_TYPE], "application/problem+json");
    assert_eq!(json(res)["status"], status.as_u16());
}

/// The record's `ETag`.
pub fn etag(res: &TestResponse) -> String {
    res.headers[header::ETAG].to_str().expect("etag").to_owned()
}
