//! Realistic lead data: a few hundred for the demo, or 100k–1M for benchmarks.

use crate::demo_records::TAGS;
use app::auth::Email;
use app::db::{now_ms, BulkLoad, Db};
use app::error::{AppError, AppResult};
use app::leads::store::{self as leads, ImportedLead, IMPORT_BATCH};
use app::leads::{LeadDraft, LeadStatus};
use indicatif::{ProgressBar, ProgressStyle};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use sqlx::AnyConnection;
use strum::VariantArray;

const FIRST: &[&str] = &[
    "Ana", "Bruno", "Carla", "David", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kira",
    "Liam", "Mei", "Nadia", "Omar", "Paula", "Quentin", "Rosa", "Sven", "Tara", "Umar", "Vera",
    "Wes", "Ximena", "Yusuf", "Zoe",
];
const LAST: &[&str] = &[
    "Silva", "Costa", "Dias", "Novak", "Okafor", "Haddad", "Kim", "Larsen", "Moreau", "Nguyen",
    "Patel", "Quinn", "Rossi", "Schmidt", "Tanaka", "Ueda", "Varga", "Weber", "Yilmaz", "Zhang",
    "Fischer", "Garcia", "Ibrahim",
];
const COMPANIES: &[&str] = &[
    "Northwind Traders",
    "Acme Tools",
    "Globex",
    "Initech",
    "Umbrella Foods",
    "Stark Logistics",
    "Wayne Textiles",
    "Hooli",
    "Vandelay Imports",
    "Soylent Farms",
    "Pied Piper",
    "Blue Harbor Cafe",
    "Copperleaf Dental",
    "Brightside Solar",
    "Tidewater Realty",
    "Summit Fitness",
    "Oakridge Clinic",
    "Lumen Print Co",
];
const SOURCES: &[&str] =
    &["Website", "Referral", "Trade show", "Cold call", "LinkedIn", "Newsletter", "Partner"];
const NOTES: &[&str] = &[
    "",
    "",
    "Asked for a quote for the spring season.",
    "Prefers email. Follow up after the budget meeting.",
    "Met at the trade show; interested in the premium plan.",
    "Call back on Thursday morning.",
];

/// Deterministic generator of plausible leads spread over the last `days` days.
pub struct LeadGenerator {
    rng: StdRng,
    agents: Vec<String>,
    now: i64,
    days: i64,
    serial: u64,
}

impl LeadGenerator {
    pub fn new(seed: u64, agents: Vec<String>, days: i64) -> Self {
        Self { rng: StdRng::seed_from_u64(seed), agents, now: now_ms(), days, serial: 0 }
    }

    pub fn next_lead(&mut self) -> AppResult<ImportedLead> {
        self.serial += 1;
        let first = *FIRST.choose(&mut self.rng).unwrap_or(&"Ana");
        let last = *LAST.choose(&mut self.rng).unwrap_or(&"Silva");
        let company = *COMPANIES.choose(&mut self.rng).unwrap_or(&"Acme Tools");
        let domain: String =
            company.to_lowercase().chars().filter(char::is_ascii_alphanumeric).collect();
        let email = format!(
            "{}.{}{}@{domain}.example",
            first.to_lowercase(),
            last.to_lowercase(),
            self.serial
        );
        let phone = format!(
            "+1 555 {:03} {:04}",
            self.rng.gen_range(100..999),
            self.rng.gen_range(0..9999)
        );
        let status = match self.rng.gen_range(0..100) {
            0..=39 => LeadStatus::New,
            40..=69 => LeadStatus::InProgress,
            70..=84 => LeadStatus::Won,
            _ => LeadStatus::Lost,
        };
        let age_ms = self.rng.gen_range(0..self.days.max(1) * 86_400_000);
        let draft = LeadDraft {
            name: format!("{first} {last}"),
            email: Some(Email::parse("email", &email).map_err(|e| AppError::Invalid(vec![e]))?),
            phone,
            company: company.to_owned(),
            source: (*SOURCES.choose(&mut self.rng).unwrap_or(&"Website")).to_owned(),
            status,
            notes: (*NOTES.choose(&mut self.rng).unwrap_or(&"")).to_owned(),
        };
        let assignee_id = self.agents.choose(&mut self.rng).cloned().unwrap_or_default();
        Ok(ImportedLead { draft, assignee_id, created_at: self.now - age_ms })
    }
}

/// The ids of active agents, who receive generated leads.
pub async fn agent_ids(db: &Db) -> AppResult<Vec<String>> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT id FROM users WHERE role = 'agent' AND active = 1 ORDER BY id")
            .fetch_all(&db.pool)
            .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Inserts `count` generated leads in transactions of a few batches each.
pub async fn seed_leads(
    db: &Db,
    count: u64,
    days: i64,
    seed: u64,
    show_progress: bool,
) -> AppResult<()> {
    let agents = agent_ids(db).await?;
    if agents.is_empty() {
        return Err(AppError::Conflict(
            "There are no active agents to assign leads to: run `kith seed-demo` first.".into(),
        ));
    }
    let mut generator = LeadGenerator::new(seed, agents, days);
    let progress = progress_bar(count, "leads", show_progress);
    // One transaction: an interrupted load leaves nothing behind.
    let mut tx = db.transaction().await?;
    let load = BulkLoad::start(&mut tx, db.backend, &leads::SET_ASIDE).await?;
    let batch = |n| (0..n).map(|_| generator.next_lead()).collect::<AppResult<Vec<_>>>();
    let add = async |tx: &mut AnyConnection, rows: &[ImportedLead]| {
        leads::insert_many(tx, rows).await.map(drop)
    };
    in_batches(&mut tx, (count, (IMPORT_BATCH * 10) as u64), &progress, batch, add).await?;
    load.finish(&mut tx).await?;
    tx.commit().await?;
    db.analyze().await?;
    Ok(())
}

const TASK_TITLES: &[&str] = &[
    "Call to follow up",
    "Send the quote",
    "Prepare the contract",
    "Schedule a demo",
    "Check in after delivery",
];

/// Makes (`batch(n)`) and writes (`add`) `count` rows, `per_batch` at a time,
/// in the caller's transaction, moving `progress` along.
async fn in_batches<Row>(
    tx: &mut AnyConnection,
    (count, per_batch): (u64, u64),
    progress: &ProgressBar,
    mut batch: impl FnMut(u64) -> AppResult<Vec<Row>>,
    add: impl AsyncFn(&mut AnyConnection, &[Row]) -> AppResult<()>,
) -> AppResult<()> {
    let mut done = 0;
    while done < count {
        let n = per_batch.min(count - done);
        add(tx, &batch(n)?).await?;
        done += n;
        progress.set_position(done);
    }
    progress.finish();
    Ok(())
}

fn progress_bar(count: u64, what: &str, show: bool) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(count);
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "{{bar:40}} {{pos}}/{{len}} {what}  {{per_sec}}  eta {{eta}}"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// Inserts `count` generated customers (contacts from the lead generator, one or
/// two tags each), owned by the active agents.
pub async fn seed_customers(db: &Db, count: u64, seed: u64, show_progress: bool) -> AppResult<()> {
    use app::customers::store::{self, ImportedCustomer};
    use app::customers::CustomerDraft;
    let agents = agent_ids(db).await?;
    let mut generator = LeadGenerator::new(seed ^ 0xC057, agents, 365);
    let mut rng = StdRng::seed_from_u64(seed);
    let progress = progress_bar(count, "customers", show_progress);
    let mut tx = db.transaction().await?;
    let load = BulkLoad::start(&mut tx, db.backend, &store::SET_ASIDE).await?;
    let batch = |n| -> AppResult<Vec<ImportedCustomer>> {
        let mut batch = Vec::with_capacity(n as usize);
        for _ in 0..n {
            let lead = generator.next_lead()?;
            let how_many = rng.gen_range(1..=2);
            let tags: Vec<String> =
                TAGS.choose_multiple(&mut rng, how_many).map(|t| (*t).to_owned()).collect();
            batch.push(ImportedCustomer {
                draft: CustomerDraft {
                    name: lead.draft.name,
                    email: lead.draft.email,
                    phone: lead.draft.phone,
                    company: lead.draft.company,
                    tags,
                },
                owner_id: lead.assignee_id,
                created_at: lead.created_at,
            });
        }
        Ok(batch)
    };
    let add = async |tx: &mut AnyConnection, rows: &[ImportedCustomer]| {
        store::insert_many(tx, rows).await.map(drop)
    };
    in_batches(&mut tx, (count, 5_000), &progress, batch, add).await?;
    load.finish(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Inserts `count` generated tasks for live leads' assignees, linked to those
/// leads, due from 30 days ago to 30 days ahead, a third of them done.
pub async fn seed_tasks(db: &Db, count: u64, seed: u64, show_progress: bool) -> AppResult<()> {
    use app::tasks::store::{self, ImportedTask};
    use app::tasks::{Priority, TaskDraft, TaskStatus};
    let leads: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, assignee_id FROM leads WHERE archived_at IS NULL ORDER BY id LIMIT 200000",
    )
    .fetch_all(&db.pool)
    .await?;
    if leads.is_empty() {
        return Err(AppError::Conflict(
            "There are no leads to give tasks to: seed leads first.".into(),
        ));
    }
    let tz = app::clock::org_time_zone(db).await?;
    let today = chrono::Utc::now().with_timezone(&tz).date_naive();
    let mut rng = StdRng::seed_from_u64(seed);
    let progress = progress_bar(count, "tasks", show_progress);
    let now = now_ms();
    let mut tx = db.transaction().await?;
    let load = BulkLoad::start(&mut tx, db.backend, &store::SET_ASIDE).await?;
    let batch = |n| -> AppResult<Vec<ImportedTask>> {
        let mut batch = Vec::with_capacity(n as usize);
        for _ in 0..n {
            let (lead, assignee) = leads.choose(&mut rng).cloned().unwrap_or_default();
            let offset = rng.gen_range(-30..=30_i64);
            let due_date = today + chrono::Duration::days(offset);
            let status = match rng.gen_range(0..3) {
                0 => TaskStatus::Done,
                1 => TaskStatus::InProgress,
                _ => TaskStatus::Open,
            };
            batch.push(ImportedTask {
                draft: TaskDraft {
                    title: (*TASK_TITLES.choose(&mut rng).unwrap_or(&"Call")).to_owned(),
                    description: String::new(),
                    due_date,
                    due_time: None,
                    priority: *Priority::VARIANTS.choose(&mut rng).unwrap_or(&Priority::Medium),
                    status,
                },
                assignee_id: assignee,
                related: Some(app::records::RecordRef::Lead(lead.into())),
                created_at: now,
            });
        }
        Ok(batch)
    };
    let add = async |tx: &mut AnyConnection, rows: &[ImportedTask]| {
        store::insert_many(tx, rows, tz).await
    };
    in_batches(&mut tx, (count, 5_000), &progress, batch, add).await?;
    load.finish(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}
