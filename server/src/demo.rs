//! The demo team, so a newcomer can sign in at once.

use app::auth::{password, store, Email, Role};
use app::db::Db;
use app::error::AppResult;
use app::sign_in::accounts;

pub const ADMIN_PASSWORD: &str = "kith-admin-demo";
pub const AGENT_PASSWORD: &str = "kith-agent-demo";

pub const TEAM: &[(&str, &str, Role)] = &[
    ("Dana Reyes", "admin@kith.test", Role::Admin),
    ("Maria Lopez", "maria@kith.test", Role::Agent),
    ("James Chen", "james@kith.test", Role::Agent),
    ("Priya Nair", "priya@kith.test", Role::Agent),
];

/// Adds the demo team when there are no users yet; returns whether it did.
pub async fn seed_team(db: &Db) -> AppResult<bool> {
    if store::user_count(db).await? > 0 {
        return Ok(false);
    }
    let admin_hash = password::hash(ADMIN_PASSWORD.to_owned()).await?;
    let agent_hash = password::hash(AGENT_PASSWORD.to_owned()).await?;
    let mut tx = db.transaction().await?;
    if !store::claim_setup(&mut tx, app::db::now_ms()).await? {
        return Ok(false);
    }
    for (name, email, role) in TEAM {
        let email =
            Email::parse("email", email).map_err(|e| app::error::AppError::Invalid(vec![e]))?;
        let hash = if *role == Role::Admin { &admin_hash } else { &agent_hash };
        accounts::create(&mut tx, None, name, &email, *role, hash).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// The whole demo: the team, their leads, customers, notes and tasks, when the
/// database has no users yet.
pub async fn seed_demo(db: &Db) -> AppResult<bool> {
    if !seed_team(db).await? {
        return Ok(false);
    }
    crate::seed::seed_leads(db, DEMO_LEADS, 30, 7, false).await?;
    crate::demo_records::seed(db, 7).await?;
    Ok(true)
}

/// Leads the demo starts with, spread over the last 30 days in every status.
pub const DEMO_LEADS: u64 = 300;

pub fn print_logins() {
    println!("Demo sign-ins:");
    for (name, email, role) in TEAM {
        let password = if *role == Role::Admin { ADMIN_PASSWORD } else { AGENT_PASSWORD };
        println!("  {:<6} {name:<12} {email:<18} password: {password}", role.label());
    }
}
