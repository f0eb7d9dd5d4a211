//! The demo's customers, notes and tasks, made through the same store functions
//! the app uses, so their history reads like real work.

use app::auth::{Checked, Role, UserId, Viewer};
use app::customers::{CustomerDraft, CustomerForm, CustomerId};
use app::db::Db;
use app::error::AppResult;
use app::leads::LeadId;
use app::records::RecordRef;
use app::tasks::{Priority, TaskDraft, TaskStatus};
use chrono::{Days, NaiveTime};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use strum::VariantArray;

/// The tags demo and seeded customers carry.
pub(crate) const TAGS: &[&str] =
    &["vip", "retail", "wholesale", "newsletter", "key account", "renewal due"];
const NOTES: &[&str] = &[
    "Called to introduce ourselves; they want a demo next week.",
    "Sent the price list.\nThey compare us with two other vendors.",
    "Decision maker is the operations manager, not the owner.",
    "Happy with the first order; ask about a yearly contract.",
    "Prefers calls after 3 pm.",
];
const TASKS: &[&str] = &[
    "Call to follow up",
    "Send the quote",
    "Prepare the contract",
    "Schedule a demo",
    "Check in after delivery",
    "Ask for a referral",
];
/// Customers converted from won leads, and customers added directly.
const CONVERTED: usize = 40;
const DIRECT: &[(&str, &str, &str)] = &[
    ("Harbor Books", "orders@harborbooks.example", "Harbor Books"),
    ("Lena Fischer", "lena@fischer-design.example", "Fischer Design"),
    ("Marco Rossi", "marco@rossi-wines.example", "Rossi Wines"),
];

/// Someone the demo acts as: the agent (or admin) who did each piece of work.
async fn actors(db: &Db) -> AppResult<Vec<Viewer>> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT id, name, email, role FROM users WHERE active = 1 ORDER BY role, id",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, email, role)| Viewer {
            id: UserId::from(id),
            name,
            email,
            role: if role == "admin" { Role::Admin } else { Role::Agent },
            session_id: String::new(),
            two_factor: false,
        })
        .collect())
}

fn actor_for<'a>(actors: &'a [Viewer], user_id: &str) -> Option<&'a Viewer> {
    actors.iter().find(|a| a.id.as_str() == user_id)
}

/// Converts some won leads, adds a few customers directly, and gives leads and
/// customers tags, notes and tasks: overdue, due today, later and done.
pub async fn seed(db: &Db, seed: u64) -> AppResult<()> {
    let mut rng = StdRng::seed_from_u64(seed);
    let actors = actors(db).await?;
    let tz = app::clock::org_time_zone(db).await?;
    let today = chrono::Utc::now().with_timezone(&tz).date_naive();
    let won: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, assignee_id FROM leads WHERE status = 'won' AND customer_id IS NULL ORDER BY created_at DESC, id",
    )
    .fetch_all(&db.pool)
    .await?;
    let open: Vec<(app::ids::LeadId, String)> = sqlx::query_as(
        "SELECT id, assignee_id FROM leads WHERE status IN ('new', 'in_progress') ORDER BY created_at DESC, id LIMIT 60",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut tx = db.transaction().await?;
    let mut customers: Vec<(CustomerId, String)> = Vec::new();
    for (lead, assignee) in won.iter().take(CONVERTED) {
        let Some(actor) = actor_for(&actors, assignee) else {
            continue;
        };
        let id = app::leads::store::convert(&mut tx, actor, &LeadId::from(lead.clone())).await?;
        customers.push((id, assignee.clone()));
    }
    if let Some(agent) = actors.iter().find(|a| a.role == Role::Agent) {
        for (name, email, company) in DIRECT {
            let form = CustomerForm {
                name: name.to_string(),
                email: email.to_string(),
                company: company.to_string(),
                tags: "retail".into(),
                ..CustomerForm::default()
            };
            let draft = CustomerDraft::checked(&form)?;
            let id = app::customers::store::create(&mut tx, agent, &draft, &agent.id, None).await?;
            customers.push((id, agent.id.to_string()));
        }
    }
    for (i, (id, owner)) in customers.iter().enumerate() {
        let Some(actor) = actor_for(&actors, owner) else {
            continue;
        };
        let scope = app::auth::policy::RecordScope::of(actor);
        let customer = app::customers::store::get(&mut tx, &scope, id).await?;
        let how_many = rng.gen_range(1..=2);
        let tags: Vec<&str> = TAGS.choose_multiple(&mut rng, how_many).copied().collect();
        let form = CustomerForm {
            name: customer.name,
            email: customer.email,
            phone: customer.phone,
            company: customer.company,
            tags: tags.join(", "),
        };
        let draft = CustomerDraft::checked(&form)?;
        app::customers::store::update(&mut tx, actor, id, customer.version, &draft).await?;
        let record = RecordRef::Customer(id.clone());
        if i % 2 == 0 {
            let note = NOTES.choose(&mut rng).copied().unwrap_or("Called.");
            app::notes::store::add(&mut tx, actor, &record, note).await?;
        }
        add_task(&mut tx, actor, &record, &mut rng, today, tz, i).await?;
    }
    for (i, (lead, assignee)) in open.iter().enumerate() {
        let Some(actor) = actor_for(&actors, assignee) else {
            continue;
        };
        let record = RecordRef::Lead(lead.clone());
        if i % 3 == 0 {
            let note = NOTES.choose(&mut rng).copied().unwrap_or("Called.");
            app::notes::store::add(&mut tx, actor, &record, note).await?;
        }
        if i % 2 == 0 {
            add_task(&mut tx, actor, &record, &mut rng, today, tz, i).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// One task for `record`: by turns overdue, due today (some at a time), later, or done.
async fn add_task(
    conn: &mut sqlx::AnyConnection,
    actor: &Viewer,
    record: &RecordRef,
    rng: &mut StdRng,
    today: chrono::NaiveDate,
    tz: chrono_tz::Tz,
    turn: usize,
) -> AppResult<()> {
    let (due, time, status) = match turn % 5 {
        0 => (today - Days::new(rng.gen_range(1..6)), None, TaskStatus::Open),
        1 => (today, NaiveTime::from_hms_opt(rng.gen_range(8..18), 0, 0), TaskStatus::Open),
        2 => (today, None, TaskStatus::InProgress),
        3 => (today + Days::new(rng.gen_range(1..14)), None, TaskStatus::Open),
        _ => (today - Days::new(rng.gen_range(1..10)), None, TaskStatus::Done),
    };
    let priority = *Priority::VARIANTS.choose(rng).unwrap_or(&Priority::Medium);
    let draft = TaskDraft {
        title: TASKS.choose(rng).copied().unwrap_or("Call").to_owned(),
        description: String::new(),
        due_date: due,
        due_time: time,
        priority,
        status,
    };
    app::tasks::store::create(conn, actor, &draft, &actor.id, Some(record), tz).await?;
    Ok(())
}
