//! Writing an import: every row checked as the forms check it, matched by email
//! against the records already there (the importer's own, for an agent) and the rows
//! before it, then created, updated or skipped, in the caller's transaction (a batch
//! of rows per transaction, `jobs`), so a refused row never stops the import and
//! never half-writes. What each row did is kept for undo (`undo`); each record's
//! history shows its creation or its changes (old → new). `file` keeps the file
//! itself, `preview` counts what a plan would do before anything is written.

pub mod file;
pub mod jobs;
pub mod preview;
pub mod undo;
pub mod worker;

use super::job::JobPlan;
use super::rows::Fields;
use super::{ImportKind, OnDuplicate};
use crate::auth::policy::RecordScope;
use crate::auth::{Checked, Email, Viewer};
use crate::customers::{self, CustomerDraft, CustomerForm, CustomerId};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::ids::UserId;
use crate::leads::{self, LeadDraft, LeadForm, LeadId};
use crate::sql::Filter;
use sqlx::AnyConnection;
use std::collections::HashSet;

/// Rows written per transaction.
pub const BATCH: usize = 500;

/// What one row did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// A record created (its id).
    Created(String),
    /// A record updated: its id, its version now, and its values before as the form's JSON.
    Updated {
        id: String,
        version: i64,
        previous: String,
    },
    Skipped,
    Rejected(String),
}

/// The active team, to find whom a row names as its assignee (by email or by name).
pub struct Team(Vec<(UserId, String, String)>);

impl Team {
    pub async fn load(db: &Db) -> AppResult<Self> {
        let members: Vec<(String, String, String)> =
            sqlx::query_as("SELECT id, name, email FROM users WHERE active = 1")
                .fetch_all(&db.pool)
                .await?;
        Ok(Self(members.into_iter().map(|(id, name, email)| (id.into(), name, email)).collect()))
    }

    /// Whom a row goes to: an agent's rows are theirs whatever the file says; an
    /// admin's go to the member the row names, else to the plan's default.
    pub fn assignee(&self, viewer: &Viewer, named: Option<&str>, default: &UserId) -> UserId {
        if !viewer.is_admin() {
            return viewer.id.clone();
        }
        self.named(named).map_or_else(|| default.clone(), |(id, _)| id.clone())
    }

    /// The active member a row names by email or by name, with their name.
    pub fn named(&self, named: Option<&str>) -> Option<(&UserId, &str)> {
        let named = named.map(str::trim).filter(|n| !n.is_empty())?;
        self.0
            .iter()
            .find(|(_, name, email)| {
                email.eq_ignore_ascii_case(named) || name.eq_ignore_ascii_case(named)
            })
            .map(|(id, name, _)| (id, name.as_str()))
    }
}

/// Writes rows of one import, remembering the emails written so a later row with one
/// is a duplicate.
pub struct Writer<'w> {
    pub viewer: &'w Viewer,
    pub kind: ImportKind,
    pub plan: &'w JobPlan,
    pub team: &'w Team,
    pub seen: HashSet<String>,
}

/// `new` when the row has a value for it, else `old`.
fn or_kept(new: &str, old: &str) -> String {
    if new.is_empty() { old } else { new }.to_owned()
}

/// The row's email, as stored, when it has a valid one.
pub fn email_of(fields: &Fields) -> Option<String> {
    Email::parse("email", &fields.email).ok().map(|email| email.as_str().to_owned())
}

impl Writer<'_> {
    /// Writes one row in `conn`'s transaction.
    pub async fn row(&mut self, conn: &mut AnyConnection, fields: &Fields) -> AppResult<Written> {
        let assignee = self.team.assignee(
            self.viewer,
            fields.assignee.as_deref(),
            &self.plan.default_assignee,
        );
        let written = match self.kind {
            ImportKind::Leads => self.lead(conn, fields, &assignee).await,
            ImportKind::Customers => self.customer(conn, fields, &assignee).await,
        };
        // A refusal of the store (the assignee left the team, the record changed
        // meanwhile) is the row's; a failed statement stops the batch.
        let written = match written {
            Err(error @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
                Written::Rejected(error.in_one_line())
            }
            other => other?,
        };
        if matches!(written, Written::Created(_) | Written::Updated { .. }) {
            self.seen.extend(email_of(fields));
        }
        Ok(written)
    }

    /// A row that would be a duplicate of an earlier row of the file: remembered
    /// without writing (a job taken up again replays the rows it already wrote).
    pub fn replay(&mut self, fields: &Fields) {
        self.seen.extend(email_of(fields));
    }

    /// The id and version of a live record of `table` in the viewer's scope with the
    /// row's email; `New` also when duplicates are created anyway or the row has no
    /// valid email. A second row with an email already seen in the file is a duplicate too.
    async fn duplicate(
        &self,
        conn: &mut AnyConnection,
        table: &str,
        owner: &str,
        fields: &Fields,
    ) -> AppResult<Found> {
        let email = email_of(fields);
        let Some(email) = email.filter(|_| self.plan.on_duplicate != OnDuplicate::Create) else {
            return Ok(Found::New);
        };
        if self.seen.contains(&email) {
            return Ok(Found::EarlierRow);
        }
        let mut filter = Filter::new();
        filter.push("archived_at IS NULL", None);
        filter.push("email = ?", Some(email));
        filter.scope(&RecordScope::of(self.viewer), owner);
        let sql = format!("SELECT id, version FROM {table} WHERE {} LIMIT 1", filter.sql());
        let found: Option<(String, i64)> =
            sqlx::query_as_with(&sql, filter.args).fetch_optional(&mut *conn).await?;
        Ok(found.map_or(Found::New, |(id, version)| Found::Record(id, version)))
    }

    async fn lead(
        &self,
        conn: &mut AnyConnection,
        fields: &Fields,
        assignee: &UserId,
    ) -> AppResult<Written> {
        match self.duplicate(conn, "leads", "assignee_id", fields).await? {
            Found::New => match self.plan.mapping.lead(fields) {
                Ok(draft) => {
                    let id = leads::store::create(conn, self.viewer, &draft, assignee).await?;
                    Ok(Written::Created(id.into_string()))
                }
                Err(error) => Ok(Written::Rejected(error.in_one_line())),
            },
            Found::Record(id, version) if self.plan.on_duplicate == OnDuplicate::Update => {
                let id = LeadId::from(id);
                let old = leads::store::get(conn, &RecordScope::of(self.viewer), &id).await?;
                let status = match fields.status {
                    Some(_) => self.plan.mapping.status_of(fields.status.as_deref()),
                    None => old.status,
                };
                let previous = LeadForm {
                    name: old.name.clone(),
                    email: old.email.clone(),
                    phone: old.phone.clone(),
                    company: old.company.clone(),
                    source: old.source.clone(),
                    status: old.status.as_str().to_owned(),
                    notes: old.notes.clone(),
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
                let merged = match LeadDraft::checked(&form) {
                    Ok(merged) => merged,
                    Err(error) => return Ok(Written::Rejected(error.in_one_line())),
                };
                let changed =
                    leads::store::update(conn, self.viewer, &id, version, &merged).await?;
                Ok(Written::updated(changed, id.into_string(), version, &previous))
            }
            Found::Record(..) | Found::EarlierRow => Ok(Written::Skipped),
        }
    }

    async fn customer(
        &self,
        conn: &mut AnyConnection,
        fields: &Fields,
        owner: &UserId,
    ) -> AppResult<Written> {
        match self.duplicate(conn, "customers", "owner_id", fields).await? {
            Found::New => match self.plan.mapping.customer(fields) {
                Ok(draft) => {
                    let id =
                        customers::store::create(conn, self.viewer, &draft, owner, None).await?;
                    Ok(Written::Created(id.into_string()))
                }
                Err(error) => Ok(Written::Rejected(error.in_one_line())),
            },
            Found::Record(id, version) if self.plan.on_duplicate == OnDuplicate::Update => {
                let id = CustomerId::from(id);
                let old = customers::store::get(conn, &RecordScope::of(self.viewer), &id).await?;
                let previous = CustomerForm {
                    name: old.name.clone(),
                    email: old.email.clone(),
                    phone: old.phone.clone(),
                    company: old.company.clone(),
                    tags: old.tags.join(", "),
                };
                let form = CustomerForm {
                    name: or_kept(&fields.name, &old.name),
                    email: or_kept(&fields.email, &old.email),
                    phone: or_kept(&fields.phone, &old.phone),
                    company: or_kept(&fields.company, &old.company),
                    tags: or_kept(&fields.tags, &previous.tags),
                };
                let merged = match CustomerDraft::checked(&form) {
                    Ok(merged) => merged,
                    Err(error) => return Ok(Written::Rejected(error.in_one_line())),
                };
                let changed =
                    customers::store::update(conn, self.viewer, &id, version, &merged).await?;
                Ok(Written::updated(changed, id.into_string(), version, &previous))
            }
            Found::Record(..) | Found::EarlierRow => Ok(Written::Skipped),
        }
    }
}

impl Written {
    /// A duplicate updated from its row (its version moves on by one); one that
    /// already read as the row says is skipped.
    fn updated(changed: bool, id: String, version: i64, previous: &impl serde::Serialize) -> Self {
        if !changed {
            return Self::Skipped;
        }
        let previous = serde_json::to_string(previous).unwrap_or_default();
        Self::Updated { id, version: version + 1, previous }
    }
}

enum Found {
    New,
    EarlierRow,
    Record(String, i64),
}
