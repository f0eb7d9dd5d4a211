//! Writing an import: every row checked as the forms check it, matched by email
//! against the records already there (the importer's own, for an agent) and the rows
//! before it, then created, updated or skipped, in the caller's transaction (a batch
//! of rows per transaction, `jobs`), so a refused row never stops the import and
//! never half-writes (`writer`). What each row did is kept for undo (`undo`); each
//! record's history shows its creation from the file or its changes (old → new).
//! `file` keeps the file itself, `mappings` the plans saved under a name, `preview` counts what a plan would do before anything
//! is written, `jobs` and `worker` keep and carry out the import as a job.

pub mod claims;
pub mod file;
pub mod jobs;
pub mod mappings;
pub mod matching;
pub mod preview;
pub mod undo;
pub mod worker;
pub mod writer;

use crate::auth::Viewer;
use crate::db::Db;
use crate::error::AppResult;
use crate::ids::UserId;

/// Rows read, looked up or undone at a time (and previewed: a batch of emails a query).
pub const BATCH: usize = 500;

/// Rows written per transaction. Each index of a large table takes a batch's new
/// entries on pages spread across it, and every page written goes to the journal
/// once per transaction: at 2,000 rows a transaction a million leads took 377 s
/// on SQLite and 133 s on PostgreSQL, at 500 rows 425 s and 158 s. A batch holds
/// the write lock for well under a second.
pub const WRITE_BATCH: usize = 2000;

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

    /// Whether `id` is an active member (one who can be given records).
    pub fn has(&self, id: &UserId) -> bool {
        self.0.iter().any(|(member, ..)| member == id)
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
