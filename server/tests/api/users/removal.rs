//! Deleting, resetting and deactivating accounts.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_user_hands_every_record_to_the_receiver_in_one_step() {
    let (app, [admin, maria_client]) = TestApp::signed_in_each([ADMIN, MARIA]).await;
    let maria = app.user_id(MARIA.0).await;
    let james = app.user_id(JAMES.0).await;
    let priya = app.user_id(PRIYA).await;
    maria_client.create_lead(&[("name", "Rosa Okafor")]).await;
    maria_client.create_lead(&[("name", "Won Deal"), ("status", "won")]).await;
    let archived = maria_client.create_lead(&[("name", "Old Lead")]).await;
    let res = maria_client.call("/api/leads/archive", &[("id", &archived)]).await;
    res.assert_ok();
    maria_client.create_customer(&[("name", "Harbor Books")]).await;
    maria_client.new_task("Call Rosa", "2030-01-01", &[]).await;
    maria_client.new_task("Done one", "2020-01-01", &[("status", "done")]).await;
    let held = |table: &'static str, column: &'static str, who: String| {
        let app = &app;
        async move { app.count(&format!("SELECT COUNT(*) FROM {table} WHERE {column} = '{who}'")).await }
    };
    assert_eq!(held("leads", "assignee_id", maria.clone()).await, 3);

    let page = admin.get(&format!("/users/{maria}?confirm=delete")).await;
    assert!(page.body.contains("3 leads, 1 customer and 2 tasks"), "the page says what she holds");

    let no_receiver = admin.call("/api/users/delete", &[("id", &maria)]).await;
    assert_eq!(no_receiver.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_receiver.body.contains("Choose who receives them"));
    app.deactivate(PRIYA).await;
    let inactive = admin.call("/api/users/delete", &[("id", &maria), ("receiver", &priya)]).await;
    assert_eq!(inactive.status, StatusCode::UNPROCESSABLE_ENTITY);
    let herself = admin.call("/api/users/delete", &[("id", &maria), ("receiver", &maria)]).await;
    assert_eq!(herself.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(held("leads", "assignee_id", maria.clone()).await, 3, "nothing moved");
    assert!(maria_client.is_signed_in().await);

    let res = admin.call("/api/users/delete", &[("id", &maria), ("receiver", &james)]).await;
    res.assert_ok();
    assert_eq!(res.location(), Some("/users?deleted=1"));
    for (table, column) in
        [("leads", "assignee_id"), ("customers", "owner_id"), ("tasks", "assignee_id")]
    {
        assert_eq!(held(table, column, maria.clone()).await, 0, "{table}");
    }
    assert_eq!(held("leads", "assignee_id", james.clone()).await, 3);
    assert_eq!(held("customers", "owner_id", james.clone()).await, 1);
    assert_eq!(held("tasks", "assignee_id", james.clone()).await, 2);
    assert_eq!(
        app.rows("activity WHERE action = 'assign' AND changes LIKE '%Maria Lopez%James Chen%'")
            .await,
        6,
        "each record's handover is in its history"
    );
    // The kept lead counts follow: James now has Maria's two live leads.
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM lead_status_counts WHERE assignee_id = '{james}'"
        ))
        .await,
        2
    );
    assert!(!maria_client.is_signed_in().await, "her sessions ended");
    assert_eq!(app.client().sign_in(MARIA.0, MARIA.1).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(admin.get_status(&format!("/users/{maria}")).await, StatusCode::NOT_FOUND);
    assert!(!admin.get("/users").await.body.contains("Maria Lopez"));
    assert!(!admin.call("/api/users/team", &[]).await.body.contains("Maria Lopez"));
    // Her email can be given to someone new; her notes and history keep her name.
    let res = admin.create_user("Maria Nova", MARIA.0, "agent", "a brand new password").await;
    crate::client::created_id(&res, "/users/");
    let deleted = "action = 'delete' AND entity_type = 'user' AND label = 'Maria Lopez'";
    assert_eq!(app.logged(deleted).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_who_holds_nothing_is_deleted_directly() {
    let (app, admin) = TestApp::signed_in_as(ADMIN).await;
    let priya = app.user_id(PRIYA).await;
    let res = admin.call("/api/users/delete", &[("id", &priya)]).await;
    res.assert_ok();
    assert_eq!(app.rows("users WHERE deleted_at IS NOT NULL AND active = 0").await, 1);
    let again = admin.call("/api/users/delete", &[("id", &priya)]).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_password_ends_sessions_and_deactivation_can_be_undone() {
    let (app, [admin, maria_client]) = TestApp::signed_in_each([ADMIN, MARIA]).await;
    let maria = app.user_id(MARIA.0).await;

    let weak = admin
        .call("/api/users/reset_password", &[("id", &maria), ("password", "maria@kith.test")])
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.body.contains("cannot be your email"));
    assert!(maria_client.is_signed_in().await);

    let res = admin
        .call("/api/users/reset_password", &[("id", &maria), ("password", "fresh start 2026")])
        .await;
    res.assert_ok();
    assert!(!maria_client.is_signed_in().await);
    assert_eq!(app.client().sign_in(MARIA.0, MARIA.1).await.status, StatusCode::UNAUTHORIZED);
    let maria_client = app.signed_in((MARIA.0, "fresh start 2026")).await;

    let res = admin.call("/api/users/deactivate", &[("id", &maria)]).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(!maria_client.is_signed_in().await, "deactivation ends her session at once");
    assert_eq!(
        app.client().sign_in(MARIA.0, "fresh start 2026").await.status,
        StatusCode::UNAUTHORIZED
    );
    let res = admin.call("/api/users/reactivate", &[("id", &maria)]).await;
    assert_eq!(res.status, StatusCode::OK);
    app.signed_in((MARIA.0, "fresh start 2026")).await;

    let history = admin.call("/api/activity/record", &[("kind", "user"), ("id", &maria)]).await;
    for action in ["PasswordReset", "Deactivate", "Reactivate"] {
        assert!(history.body.contains(action), "{action}: {}", history.body);
    }
}

/// Gives `who` `n` new leads at once, as an import would.
async fn give_leads(app: &TestApp, who: &str, n: usize) {
    use app::auth::Checked;
    use app::leads::store::{insert_many, ImportedLead};
    use app::leads::{LeadDraft, LeadForm};
    let form =
        LeadForm { name: "Imported lead".into(), status: "new".into(), ..LeadForm::default() };
    let draft = LeadDraft::checked(&form).expect("valid");
    let leads: Vec<ImportedLead> = (0..n)
        .map(|i| ImportedLead {
            draft: draft.clone(),
            assignee_id: who.into(),
            created_at: i as i64,
        })
        .collect();
    let mut tx = app.db.transaction().await.expect("transaction");
    insert_many(&mut tx, &leads).await.expect("leads");
    tx.commit().await.expect("commit");
}

/// Waits (up to a minute) for every background handover to finish.
async fn handovers_finished(app: &TestApp) {
    for _ in 0..600 {
        if app.rows("handovers WHERE finished_at IS NULL").await == 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the handover did not finish");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_user_who_holds_thousands_answers_at_once_and_hands_them_over_after() {
    let (app, [admin, maria_client]) = TestApp::signed_in_each([ADMIN, MARIA]).await;
    let (maria, james) = (app.user_id(MARIA.0).await, app.user_id(JAMES.0).await);
    give_leads(&app, &maria, 2_500).await;
    maria_client.create_customer(&[("name", "Harbor Books")]).await;
    let james_before = app.rows(&format!("leads WHERE assignee_id = '{james}'")).await;

    let res = admin.call("/api/users/delete", &[("id", &maria), ("receiver", &james)]).await;
    res.assert_ok();
    assert_eq!(res.location(), Some("/users?deleted=handing"));
    let notice = admin.get("/users?deleted=handing").await;
    assert!(notice.body.contains("Their records are on their way"));
    assert!(!maria_client.is_signed_in().await, "her sessions ended at once");
    assert_eq!(admin.get_status(&format!("/users/{maria}")).await, StatusCode::NOT_FOUND);
    handovers_finished(&app).await;

    assert_eq!(app.rows(&format!("leads WHERE assignee_id = '{maria}'")).await, 0);
    assert_eq!(app.rows(&format!("customers WHERE owner_id = '{maria}'")).await, 0);
    assert_eq!(
        app.rows(&format!("leads WHERE assignee_id = '{james}'")).await,
        james_before + 2_500
    );
    let logged = "activity WHERE action = 'assign' AND changes LIKE '%Maria Lopez%James Chen%'";
    assert_eq!(app.rows(logged).await, 2_501, "each record's handover in its history, once");
    let kept = |who: &str| {
        format!("SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM lead_status_counts WHERE assignee_id = '{who}'")
    };
    let live = |who: &str| format!("leads WHERE assignee_id = '{who}' AND archived_at IS NULL");
    assert_eq!(app.count(&kept(&james)).await, app.rows(&live(&james)).await);
    assert_eq!(app.count(&kept(&maria)).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handover_left_unfinished_is_carried_on_once_even_by_two_instances() {
    let (app, admin) = TestApp::signed_in_as(ADMIN).await;
    let (maria, james) = (app.user_id(MARIA.0).await, app.user_id(JAMES.0).await);
    give_leads(&app, &maria, 4_500).await;
    // As a server stopped right after the deletion would leave it (Maria's row aside).
    sqlx::query(
        "INSERT INTO handovers (id, from_id, from_name, to_id, to_name, actor_id, actor_name, created_at) \
         VALUES ('h1', $1, 'Maria Lopez', $2, 'James Chen', $2, 'Dana Reyes', 1)",
    )
    .bind(&maria)
    .bind(&james)
    .execute(&app.db.pool)
    .await
    .expect("queued handover");
    // While it is under way, neither side can be deleted.
    let james_too = admin.call("/api/users/delete", &[("id", &james), ("receiver", &maria)]).await;
    assert_eq!(james_too.status, StatusCode::CONFLICT, "{}", james_too.body);
    assert!(james_too.body.contains("still being handed over"));

    let other = app.another_instance().await;
    let (one, two) = tokio::join!(
        app::users::store::handover::run(&app.db),
        app::users::store::handover::run(&other.db)
    );
    one.expect("first instance");
    two.expect("second instance");
    assert_eq!(app.rows("handovers WHERE finished_at IS NULL").await, 0);
    assert_eq!(app.rows(&format!("leads WHERE assignee_id = '{maria}'")).await, 0);
    let logged = "activity WHERE action = 'assign' AND changes LIKE '%Maria Lopez%James Chen%'";
    assert_eq!(app.rows(logged).await, 4_500, "each lead logged once");
}
