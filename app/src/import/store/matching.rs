//! Which record or earlier row an import's row duplicates: by its email and, when
//! the plan asks, by its phone's digits, among the importer's live leads and
//! customers (looked up a batch of rows at a time) and the file's earlier rows. A
//! record of the other kind is a duplicate too, but only one of the imported kind can
//! be updated from the row.

use crate::auth::policy::RecordScope;
use crate::auth::{Email, Viewer};
use crate::db::Backend;
use crate::error::AppResult;
use crate::fields::{parse_phone, phone_digits};
use crate::import::job::JobPlan;
use crate::import::rows::Fields;
use crate::import::{ImportKind, OnDuplicate};
use crate::sql::Filter;
use sqlx::AnyConnection;
use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

/// What a row duplicates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    New,
    EarlierRow,
    /// A record of the imported kind: its id and version.
    Record(String, i64),
    /// A lead, for a file of customers, or a customer, for a file of leads.
    OtherKind,
}

/// How a row is matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    Email,
    Phone,
}

impl Key {
    fn column(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Phone => "phone_digits",
        }
    }
}

/// The records a batch's rows match, by key and value.
#[derive(Default)]
pub struct Existing(HashMap<(Key, String), Found>);

/// A row's values it is matched by (its email, its phone's digits), worked out once.
#[derive(Debug, Default, Clone)]
pub struct RowKeys(Vec<(Key, String)>);

/// How rows are looked up: by which of their values, among which records. A small
/// copy, so batches can be keyed and looked up on other threads and tasks.
#[derive(Debug, Clone, Copy)]
pub struct Lookup {
    kind: ImportKind,
    email: bool,
    phone: bool,
}

impl Lookup {
    /// Nothing matches when the plan creates records whatever their duplicates.
    fn of(kind: ImportKind, plan: &JobPlan) -> Self {
        let matching = plan.on_duplicate != OnDuplicate::Create;
        Self { kind, email: matching, phone: matching && plan.match_phone }
    }

    /// The row's values it is matched by.
    pub fn keys(self, fields: &Fields) -> RowKeys {
        let mut keys = Vec::with_capacity(2);
        if let Some(email) = self.email.then(|| Email::parse("email", &fields.email).ok()).flatten()
        {
            keys.push((Key::Email, email.into_string()));
        }
        if let Some(phone) = self.phone.then(|| parse_phone(&fields.phone).ok()).flatten() {
            keys.push((Key::Phone, phone_digits(&phone)));
        }
        keys.retain(|(_, value)| !value.is_empty());
        RowKeys(keys)
    }

    /// The live records in the viewer's scope that `rows` match, a few queries a batch.
    pub async fn look_up<'f>(
        self,
        conn: &mut AnyConnection,
        viewer: &Viewer,
        rows: impl IntoIterator<Item = &'f RowKeys>,
    ) -> AppResult<Existing> {
        let mut wanted: HashMap<Key, HashSet<&str>> = HashMap::new();
        for keys in rows {
            for (key, value) in &keys.0 {
                wanted.entry(*key).or_default().insert(value);
            }
        }
        let mut existing = Existing::default();
        // The imported kind last: its records win over the other kind's.
        let kinds = match self.kind {
            ImportKind::Leads => [ImportKind::Customers, ImportKind::Leads],
            ImportKind::Customers => [ImportKind::Leads, ImportKind::Customers],
        };
        for kind in kinds {
            for (key, values) in &wanted {
                let values: Vec<&str> = values.iter().copied().collect();
                for (value, id, version) in records(conn, viewer, kind, *key, &values).await? {
                    let found = if kind == self.kind {
                        Found::Record(id, version)
                    } else {
                        Found::OtherKind
                    };
                    existing.0.insert((*key, value), found);
                }
            }
        }
        Ok(existing)
    }
}

/// Matches a file's rows, remembering the ones written so a later row with one of
/// their keys is a duplicate.
pub struct Matcher {
    lookup: Lookup,
    seen: Seen,
}

impl Matcher {
    pub fn new(kind: ImportKind, plan: &JobPlan) -> Self {
        Self { lookup: Lookup::of(kind, plan), seen: Seen::default() }
    }

    pub fn lookup(&self) -> Lookup {
        self.lookup
    }

    /// The row's values it is matched by.
    pub fn keys(&self, fields: &Fields) -> RowKeys {
        self.lookup.keys(fields)
    }

    /// The live records in the viewer's scope that `rows` match, a few queries a batch.
    pub async fn look_up<'f>(
        &self,
        conn: &mut AnyConnection,
        viewer: &Viewer,
        rows: impl IntoIterator<Item = &'f RowKeys>,
    ) -> AppResult<Existing> {
        self.lookup.look_up(conn, viewer, rows).await
    }

    /// What the row duplicates: an earlier row written, else a record (matched by
    /// email before phone, of the imported kind before the other).
    pub fn find(&self, existing: &Existing, keys: &RowKeys) -> Found {
        if keys.0.iter().any(|(key, value)| self.seen.contains(*key, value)) {
            return Found::EarlierRow;
        }
        let hits = || keys.0.iter().filter_map(|k| existing.0.get(k));
        hits()
            .find(|found| matches!(found, Found::Record(..)))
            .or_else(|| hits().next())
            .cloned()
            .unwrap_or(Found::New)
    }

    /// A row written: a later row with its email or phone is a duplicate of it.
    pub fn remember(&mut self, keys: &RowKeys) {
        for (key, value) in &keys.0 {
            self.seen.insert(*key, value);
        }
    }
}

/// The live records of `kind` in the viewer's scope whose `key` is one of `values`:
/// the value, the record's id and its version.
async fn records(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    kind: ImportKind,
    key: Key,
    values: &[&str],
) -> AppResult<Vec<(String, String, i64)>> {
    let (table, owner) = match kind {
        ImportKind::Leads => ("leads", "assignee_id"),
        ImportKind::Customers => ("customers", "owner_id"),
    };
    let mut filter = Filter::new();
    filter.push("archived_at IS NULL", None);
    filter.push_one_of(Backend::of(conn), key.column(), values);
    filter.scope(&RecordScope::of(viewer), owner);
    let column = key.column();
    let sql = format!("SELECT {column}, id, version FROM {table} WHERE {}", filter.sql());
    // Planned for its own values each time: a plan cached when the table was small
    // would scan it whole once it is large (PostgreSQL's generic plans).
    let rows = sqlx::query_as_with(&sql, filter.args).persistent(false).fetch_all(conn).await?;
    Ok(rows)
}

/// Emails and phones met earlier in a file, kept as 64-bit fingerprints rather than
/// text: a million rows' emails take about 16 MB instead of about 80. Two different
/// values share a fingerprint about once in thirty million imports of a million rows.
#[derive(Default)]
struct Seen(HashSet<u64>);

impl Seen {
    fn fingerprint(key: Key, value: &str) -> u64 {
        let mut hasher = DefaultHasher::new();
        (key, value).hash(&mut hasher);
        hasher.finish()
    }

    fn insert(&mut self, key: Key, value: &str) -> bool {
        self.0.insert(Self::fingerprint(key, value))
    }

    fn contains(&self, key: Key, value: &str) -> bool {
        self.0.contains(&Self::fingerprint(key, value))
    }
}
