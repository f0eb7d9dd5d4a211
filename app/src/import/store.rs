//! Writing an import: every row checked as the forms check it, matched by email
//! against the records already there (the importer's own, for an agent) and the rows
//! before it, then created, updated or skipped; a batch of rows per transaction, so
//! a refused row never stops the import and never half-writes. Each record's history
//! shows its creation or its changes (old → new), and one entry logs the file.

use super::rows::{Fields, Mapping};
use super::source::Table;
use super::ImportKind;
use crate::activity::{store::NewEntry, Action, EntityType};
use crate::auth::policy::RecordScope;
use crate::auth::{Checked, Email, Viewer};
use crate::customers::{self, CustomerDraft, CustomerForm, CustomerId};
use crate::db::Db;
use crate::error::AppResult;
use crate::ids::UserId;
use crate::leads::{self, LeadDraft, LeadForm, LeadId};
use crate::sql::Filter;
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use std::collections::HashSet;

/// Rows written per transaction.
pub const BATCH: usize = 500;

/// What happens to a row whose email matches a record already there, or an earlier row.
#[derive(strum::VariantArray, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OnDuplicate {
    /// Leave the record as it is.
    Skip,
    /// Fill the record's fields from the row's mapped, non-empty values.
    Update,
    /// Create a record anyway.
    Create,
}

crate::named_variants!(OnDuplicate, field = "on_duplicate");

impl OnDuplicate {
    pub fn label(self) -> &'static str {
        match self {
            Self::Skip => "Skip the row",
            Self::Update => "Update the existing record",
            Self::Create => "Create a new record anyway",
        }
    }
}

/// An import as decided: the file's table, what each column fills, what to do with duplicates.
pub struct Plan<'a> {
    pub kind: ImportKind,
    /// The file's name, for the activity log.
    pub file_name: &'a str,
    pub table: &'a Table,
    pub mapping: &'a Mapping,
    pub on_duplicate: OnDuplicate,
    /// An admin's import: whom rows go to that name nobody on the team.
    pub default_assignee: &'a UserId,
}

/// A row Kith refused: its number among the file's rows (1 is the first after the header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    pub row: usize,
    pub values: Vec<String>,
    pub reason: String,
}

/// What an import did. Skipped rows are duplicates left alone, and duplicates that
/// already read as their row says.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub created: usize,
    pub updated: usize,
    pub skipped: usize,
    pub rejected: Vec<Rejected>,
}

impl Outcome {
    pub fn summary(&self) -> String {
        format!(
            "{} created, {} updated, {} skipped, {} rejected",
            self.created,
            self.updated,
            self.skipped,
            self.rejected.len()
        )
    }
}

enum Written {
    Created,
    Updated,
    Skipped,
    Rejected(String),
}

impl Written {
    /// A duplicate updated from its row; one that already read as the row says is skipped.
    fn updated(changed: bool) -> Self {
        if changed {
            Self::Updated
        } else {
            Self::Skipped
        }
    }
}

/// Imports `plan` as `viewer`. An agent's rows are theirs whatever the file says.
pub async fn run(db: &Db, viewer: &Viewer, plan: &Plan<'_>) -> AppResult<Outcome> {
    let team = Team::load(db).await?;
    let mut outcome = Outcome::default();
    let mut seen = HashSet::new();
    for (batch, rows) in plan.table.rows.chunks(BATCH).enumerate() {
        let mut tx = db.transaction().await?;
        for (i, row) in rows.iter().enumerate() {
            let fields = plan.mapping.fields(&plan.table.headers, row);
            let assignee = team.assignee(viewer, fields.assignee.as_deref(), plan.default_assignee);
            let mut write = Writer { conn: &mut tx, viewer, plan, seen: &mut seen };
            let written = match plan.kind {
                ImportKind::Leads => write.lead(&fields, &assignee).await?,
                ImportKind::Customers => write.customer(&fields, &assignee).await?,
            };
            match written {
                Written::Created => outcome.created += 1,
                Written::Updated => outcome.updated += 1,
                Written::Skipped => outcome.skipped += 1,
                Written::Rejected(reason) => outcome.rejected.push(Rejected {
                    row: batch * BATCH + i + 1,
                    values: row.clone(),
                    reason,
                }),
            }
        }
        tx.commit().await?;
    }
    let mut conn = db.pool.acquire().await?;
    let entity = match plan.kind {
        ImportKind::Leads => EntityType::Lead,
        ImportKind::Customers => EntityType::Customer,
    };
    let label = format!("{}: {}", plan.file_name, outcome.summary());
    NewEntry {
        actor_id: Some(viewer.id.as_str()),
        actor_name: &viewer.name,
        action: Action::Import,
        entity_type: entity,
        entity_id: None,
        label: &label,
        changes: None,
    }
    .record(&mut conn)
    .await?;
    Ok(outcome)
}

/// The active team, to find whom a row names as its assignee (by email or by name).
struct Team(Vec<(UserId, String, String)>);

impl Team {
    async fn load(db: &Db) -> AppResult<Self> {
        let members: Vec<(String, String, String)> =
            sqlx::query_as("SELECT id, name, email FROM users WHERE active = 1")
                .fetch_all(&db.pool)
                .await?;
        Ok(Self(members.into_iter().map(|(id, name, email)| (id.into(), name, email)).collect()))
    }

    fn assignee(&self, viewer: &Viewer, named: Option<&str>, default: &UserId) -> UserId {
        if !viewer.is_admin() {
            return viewer.id.clone();
        }
        let named = named.map(str::trim).unwrap_or_default();
        self.0
            .iter()
            .find(|(_, name, email)| {
                !named.is_empty()
                    && (email.eq_ignore_ascii_case(named) || name.eq_ignore_ascii_case(named))
            })
            .map_or_else(|| default.clone(), |(id, ..)| id.clone())
    }
}

struct Writer<'w, 'p> {
    conn: &'w mut AnyConnection,
    viewer: &'w Viewer,
    plan: &'w Plan<'p>,
    seen: &'w mut HashSet<String>,
}

/// `new` when the row has a value for it, else `old`.
fn or_kept(new: &str, old: &str) -> String {
    if new.is_empty() { old } else { new }.to_owned()
}

impl Writer<'_, '_> {
    /// The id and version of a live record of `table` in the viewer's scope with the
    /// row's email; `None` also when duplicates are created anyway or the row has no
    /// valid email. A second row with an email already seen in the file is a duplicate too.
    async fn duplicate(&mut self, table: &str, owner: &str, fields: &Fields) -> AppResult<Found> {
        let email = Email::parse("email", &fields.email).ok();
        let Some(email) = email.filter(|_| self.plan.on_duplicate != OnDuplicate::Create) else {
            return Ok(Found::New);
        };
        let email = email.as_str();
        if self.seen.contains(email) {
            return Ok(Found::EarlierRow);
        }
        let mut filter = Filter::new();
        filter.push("archived_at IS NULL", None);
        filter.push("email = ?", Some(email.to_owned()));
        filter.scope(&RecordScope::of(self.viewer), owner);
        let sql = format!("SELECT id, version FROM {table} WHERE {} LIMIT 1", filter.sql());
        let found: Option<(String, i64)> =
            sqlx::query_as_with(&sql, filter.args).fetch_optional(&mut *self.conn).await?;
        Ok(found.map_or(Found::New, |(id, version)| Found::Record(id, version)))
    }

    /// A row written: a later row with its email is a duplicate.
    fn written(&mut self, fields: &Fields, written: Written) -> AppResult<Written> {
        if let Ok(email) = Email::parse("email", &fields.email) {
            self.seen.insert(email.as_str().to_owned());
        }
        Ok(written)
    }

    async fn lead(&mut self, fields: &Fields, assignee: &UserId) -> AppResult<Written> {
        match self.duplicate("leads", "assignee_id", fields).await? {
            Found::New => match self.plan.mapping.lead(fields) {
                Ok(draft) => {
                    leads::store::create(self.conn, self.viewer, &draft, assignee).await?;
                    self.written(fields, Written::Created)
                }
                Err(error) => Ok(Written::Rejected(error.in_one_line())),
            },
            Found::Record(id, version) if self.plan.on_duplicate == OnDuplicate::Update => {
                let id = LeadId::from(id);
                let old = leads::store::get(self.conn, &RecordScope::of(self.viewer), &id).await?;
                let status = match fields.status {
                    Some(_) => self.plan.mapping.status_of(fields.status.as_deref()),
                    None => old.status,
                };
                let form = LeadForm {
                    name: or_kept(&fields.name, &old.name),
                    email: or_kept(&fields.email, &old.email),
                    phone: or_kept(&fields.phone, &old.phone),
                    company: or_kept(&fields.company, &old.company),
                    source: or_kept(&fields.source, &old.source),
                    status: status.as_str().to_owned(),
                    notes: or_kept(&fields.notes, &old.notes),
                };
                match LeadDraft::checked(&form) {
                    Ok(merged) => {
                        let changed =
                            leads::store::update(self.conn, self.viewer, &id, version, &merged)
                                .await?;
                        self.written(fields, Written::updated(changed))
                    }
                    Err(error) => Ok(Written::Rejected(error.in_one_line())),
                }
            }
            Found::Record(..) | Found::EarlierRow => Ok(Written::Skipped),
        }
    }

    async fn customer(&mut self, fields: &Fields, owner: &UserId) -> AppResult<Written> {
        match self.duplicate("customers", "owner_id", fields).await? {
            Found::New => match self.plan.mapping.customer(fields) {
                Ok(draft) => {
                    customers::store::create(self.conn, self.viewer, &draft, owner, None).await?;
                    self.written(fields, Written::Created)
                }
                Err(error) => Ok(Written::Rejected(error.in_one_line())),
            },
            Found::Record(id, version) if self.plan.on_duplicate == OnDuplicate::Update => {
                let id = CustomerId::from(id);
                let scope = RecordScope::of(self.viewer);
                let old = customers::store::get(self.conn, &scope, &id).await?;
                let form = CustomerForm {
                    name: or_kept(&fields.name, &old.name),
                    email: or_kept(&fields.email, &old.email),
                    phone: or_kept(&fields.phone, &old.phone),
                    company: or_kept(&fields.company, &old.company),
                    tags: or_kept(&fields.tags, &old.tags.join(", ")),
                };
                match CustomerDraft::checked(&form) {
                    Ok(merged) => {
                        let changed =
                            customers::store::update(self.conn, self.viewer, &id, version, &merged)
                                .await?;
                        self.written(fields, Written::updated(changed))
                    }
                    Err(error) => Ok(Written::Rejected(error.in_one_line())),
                }
            }
            Found::Record(..) | Found::EarlierRow => Ok(Written::Skipped),
        }
    }
}

enum Found {
    New,
    EarlierRow,
    Record(String, i64),
}
