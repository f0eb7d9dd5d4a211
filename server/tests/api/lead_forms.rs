//! Web-to-lead forms: an admin makes one, and posts from other sites — plain HTML
//! forms and JSON — become leads given out in turn, with a honeypot, limits per
//! address kept in the database, and a note on the lead when the email is known.

use crate::helpers::{TestApp, ADMIN, JAMES, MARIA};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};

/// An admin makes a form taking `fields`, for `assignees` in turn; its public key.
async fn make_form(
    app: &TestApp,
    name: &str,
    fields: &[&str],
    assignees: &[&str],
    redirect: &str,
) -> String {
    let admin = app.signed_in(ADMIN).await;
    let mut ids = Vec::new();
    for email in assignees {
        ids.push(app.user_id(email).await);
    }
    let field_names: Vec<String> = (0..fields.len()).map(|i| format!("fields[{i}]")).collect();
    let assignee_names: Vec<String> = (0..ids.len()).map(|i| format!("assignees[{i}]")).collect();
    let mut form: Vec<(&str, &str)> = vec![("name", name), ("redirect_url", redirect)];
    form.extend(field_names.iter().map(String::as_str).zip(fields.iter().copied()));
    form.extend(assignee_names.iter().map(String::as_str).zip(ids.iter().map(String::as_str)));
    let res = admin.call("/api/lead_forms/create", &form).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let (key,): (String,) =
        app.one("SELECT public_key FROM lead_forms WHERE name = $1", Some(name)).await;
    key
}

/// A visitor's post from `origin`, from `address`.
async fn post(
    app: &TestApp,
    key: &str,
    content_type: &str,
    body: &str,
    address: &str,
) -> crate::helpers::TestResponse {
    let mut client = app.client();
    client.forwarded_for = address.to_owned();
    let request = Request::post(format!("/forms/{key}"))
        .header(header::CONTENT_TYPE, content_type)
        .header(header::ORIGIN, "https://www.example-shop.com")
        .header("sec-fetch-site", "cross-site");
    client.send(request, Body::from(body.to_owned())).await
}

#[tokio::test]
async fn posts_from_another_site_become_leads_given_out_in_turn() {
    let app = TestApp::new().await;
    let key = make_form(
        &app,
        "Contact us",
        &["email", "company", "message"],
        &["maria@kith.test", "james@kith.test"],
        "https://www.example-shop.com/thanks",
    )
    .await;

    // A plain HTML form: sent on to the thank-you page, open to any origin.
    let html = post(&app, &key, "application/x-www-form-urlencoded",
        "name=Ada+Visitor&email=ada%40visitor.example&company=Visitor+Ltd&message=Call+me&phone=555-0100&website=", "198.51.100.1").await;
    assert_eq!(html.status, StatusCode::SEE_OTHER, "{}", html.body);
    assert_eq!(html.headers[header::LOCATION], "https://www.example-shop.com/thanks");
    assert_eq!(html.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    let (assignee, source, notes, phone): (String, String, String, String) = app
        .one("SELECT u.email, l.source, l.notes, l.phone FROM leads l JOIN users u ON u.id = l.assignee_id WHERE l.name = $1", Some("Ada Visitor"))
        .await;
    assert_eq!(
        (assignee.as_str(), source.as_str(), notes.as_str()),
        ("maria@kith.test", "Web form: Contact us", "Call me")
    );
    assert_eq!(phone, "", "a field the form does not take is ignored");
    assert_eq!(app.logged("action = 'create' AND actor_name = 'Web form “Contact us”'").await, 1);

    // JSON from a script: the next lead goes to the next agent.
    let json = post(
        &app,
        &key,
        "application/json",
        r#"{"name":"Bo Script","email":"bo@script.example"}"#,
        "198.51.100.2",
    )
    .await;
    assert_eq!(json.status, StatusCode::CREATED, "{}", json.body);
    let (assignee,): (String,) = app
        .one(
            "SELECT u.email FROM leads l JOIN users u ON u.id = l.assignee_id WHERE l.name = $1",
            Some("Bo Script"),
        )
        .await;
    assert_eq!(assignee, "james@kith.test");
    let james = app.signed_in(JAMES).await;
    assert!(james.get("/leads?q=script").await.body.contains("Bo Script"));
    let maria = app.signed_in(MARIA).await;
    assert!(!maria.get("/leads?q=script").await.body.contains("Bo Script"));

    // The same email again: a note on that lead, not a second lead.
    let again = post(
        &app,
        &key,
        "application/json",
        r#"{"name":"Bo Script","email":"BO@script.example","message":"Still keen"}"#,
        "198.51.100.3",
    )
    .await;
    assert_eq!(again.status, StatusCode::CREATED, "the same answer: {}", again.body);
    assert_eq!(app.rows("leads WHERE email = 'bo@script.example'").await, 1);
    let (note,): (String,) =
        app.one("SELECT body FROM notes WHERE body LIKE $1", Some("Sent again%")).await;
    assert!(note.contains("Still keen"), "{note}");

    // The browser's preflight for a JSON post is answered for any origin.
    let preflight = app
        .client()
        .send(
            Request::options(format!("/forms/{key}"))
                .header(header::ORIGIN, "https://www.example-shop.com")
                .header("access-control-request-method", "POST"),
            Body::empty(),
        )
        .await;
    assert_eq!(preflight.status, StatusCode::NO_CONTENT);
    assert_eq!(preflight.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
}

#[tokio::test]
async fn robots_floods_and_bad_posts_create_nothing() {
    let app = TestApp::new().await;
    let key = make_form(&app, "Newsletter", &["email"], &["maria@kith.test"], "").await;

    // The honeypot: thanked, dropped.
    let robot = post(
        &app,
        &key,
        "application/x-www-form-urlencoded",
        "name=Spam+Bot&email=bot%40spam.example&website=http%3A%2F%2Fspam",
        "203.0.113.50",
    )
    .await;
    assert_eq!(robot.status, StatusCode::OK, "{}", robot.body);
    assert!(robot.body.contains("Thank you"));
    assert_eq!(app.rows("leads WHERE name = 'Spam Bot'").await, 0);

    // Bad fields: a clear page with each problem, nothing written.
    let bad = post(
        &app,
        &key,
        "application/x-www-form-urlencoded",
        "name=&email=not-an-email",
        "203.0.113.51",
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("email") && bad.body.contains("name"), "{}", bad.body);
    let bad_json = post(&app, &key, "application/json", r#"{"name": 7}"#, "203.0.113.51").await;
    assert_eq!(bad_json.status, StatusCode::BAD_REQUEST, "{}", bad_json.body);
    let huge = post(
        &app,
        &key,
        "application/x-www-form-urlencoded",
        &format!("name={}", "a".repeat(20_000)),
        "203.0.113.52",
    )
    .await;
    assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        post(&app, "no-such-form", "application/json", r#"{"name":"X"}"#, "203.0.113.53")
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // One address may post five times in ten minutes.
    for i in 0..5 {
        let res = post(
            &app,
            &key,
            "application/json",
            &format!(r#"{{"name":"Flood {i}"}}"#),
            "203.0.113.60",
        )
        .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    }
    let limited =
        post(&app, &key, "application/json", r#"{"name":"Flood 5"}"#, "203.0.113.60").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS, "{}", limited.body);
    assert_eq!(app.rows("leads WHERE name LIKE 'Flood%'").await, 5);
    let other =
        post(&app, &key, "application/json", r#"{"name":"Another Visitor"}"#, "203.0.113.61").await;
    assert_eq!(other.status, StatusCode::CREATED, "another address is not limited");

    // A form turned off takes nothing; only admins manage forms.
    let (id,): (String,) =
        app.one("SELECT id FROM lead_forms WHERE public_key = $1", Some(&key)).await;
    let admin = app.signed_in(ADMIN).await;
    admin.call("/api/lead_forms/enable", &[("id", &id), ("enabled", "false")]).await.assert_ok();
    assert_eq!(
        post(&app, &key, "application/json", r#"{"name":"Too Late"}"#, "203.0.113.70").await.status,
        StatusCode::NOT_FOUND
    );
    let maria = app.signed_in(MARIA).await;
    assert_eq!(maria.get("/lead-forms").await.status, StatusCode::NOT_FOUND);
    let page = admin.get(&format!("/lead-forms/{id}")).await;
    assert!(
        page.body.contains(&format!("/forms/{key}")) && page.body.contains("name=\"website\"")
            || page.body.contains("name=&quot;website&quot;"),
        "{}",
        page.body
    );
}
