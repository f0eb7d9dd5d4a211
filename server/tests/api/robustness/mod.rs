//! Bad input and races, as classes: whatever anyone sends, Kith answers with a
//! clear 4xx (never a 500, a panic or a dropped connection), never checks more
//! passwords than the throttle allows, and never lets a versioned write "succeed"
//! without applying.

use crate::client::LEADS;
use crate::helpers::{TestApp, ADMIN, MARIA};
use axum::http::StatusCode;

mod answers;
mod guessing;
mod races;

/// Sends `attempts` sign-ins for one account at the same moment, spread over
/// `instances`, and counts how many were checked (answered 401 or 200).
async fn parallel_sign_ins(instances: &[&TestApp], email: &str, passwords: &[&str]) -> usize {
    let mut handles = Vec::new();
    for (i, password) in passwords.iter().enumerate() {
        let client = instances[i % instances.len()].client();
        let (email, password) = (email.to_owned(), (*password).to_owned());
        handles.push(tokio::spawn(async move { client.sign_in(&email, &password).await.status }));
    }
    let mut checked = 0;
    for handle in handles {
        match handle.await.expect("sign-in task") {
            StatusCode::OK | StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("unexpected answer {other}"),
        }
    }
    checked
}
