//! Writing an import: every row checked as the forms check it, matched by email
//! against the records already there (the importer's own, for an agent) and the rows
//! before it, then created, updated or skipped, in the caller's transaction (a batch
//! of rows per transaction, `jobs`), so a refused row never stops the import and
//! never half-writes (`writer`). What each row did is kept for undo (`undo`); each
//! record's history shows its creation from the file or its changes (old → new).
//! `file` keeps the file itself, `preview` counts what a plan would do before anything
//! is written, `jobs` and `worker` keep and carry out the import as a job.

pub mod claims;
pub mod file;
pub mod jobs;
pub mod preview;
pub mod undo;
pub mod worker;
pub mod writer;

use super::rows::Fields;
use super::ImportKind;
use crate::auth::policy::RecordScope;
use crate::auth::{Email, Viewer};
use crate::db::Db;
use crate::error::AppResult;
use crate::ids::UserId;
use crate::sql::Filter;
use sqlx::AnyConnection;
use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

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

/// Emails met earlier in a file, kept as 64-bit fingerprints rather than text: a
/// million rows' emails take about 16 MB instead of about 80. Two different emails
/// share a fingerprint about once in thirty million imports of a million rows.
#[derive(Default)]
pub struct Seen(HashSet<u64>);

impl Seen {
    fn fingerprint(email: &str) -> u64 {
        let mut hasher = DefaultHasher::new();
        email.hash(&mut hasher);
        hasher.finish()
    }

    /// Remembers `email`; `false` when it was met before.
    pub fn insert(&mut self, email: &str) -> bool {
        self.0.insert(Self::fingerprint(email))
    }

    pub fn contains(&self, email: &str) -> bool {
        self.0.contains(&Self::fingerprint(email))
    }
}

/// The live records of `kind` in the viewer's scope that have one of `emails`: each
/// email's record id and version (one of them, when several share it).
pub async fn existing(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    kind: ImportKind,
    emails: impl IntoIterator<Item = String>,
) -> AppResult<HashMap<String, (String, i64)>> {
    let (table, owner) = match kind {
        ImportKind::Leads => ("leads", "assignee_id"),
        ImportKind::Customers => ("customers", "owner_id"),
    };
    let emails: Vec<String> = emails.into_iter().collect();
    let mut found = HashMap::new();
    // At most `BATCH` emails a statement: SQLite binds each numbered argument by
    // looking its name up among all of the statement's.
    for emails in emails.chunks(BATCH) {
        let mut filter = Filter::new();
        filter.push("archived_at IS NULL", None);
        filter.push_in("email", emails.iter().cloned());
        filter.scope(&RecordScope::of(viewer), owner);
        let sql = format!("SELECT email, id, version FROM {table} WHERE {}", filter.sql());
        // Planned for its own emails each time: a plan cached when the table was small
        // would scan it whole once it is large (PostgreSQL's generic plans).
        let rows: Vec<(String, String, i64)> =
            sqlx::query_as_with(&sql, filter.args).persistent(false).fetch_all(&mut *conn).await?;
        found.extend(rows.into_iter().map(|(email, id, version)| (email, (id, version))));
    }
    Ok(found)
}

/// The row's email, as stored, when it has a valid one.
pub fn email_of(fields: &Fields) -> Option<String> {
    Email::parse("email", &fields.email).ok().map(|email| email.as_str().to_owned())
}
