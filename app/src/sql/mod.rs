//! SQL building blocks shared by the areas' stores: `WHERE` clauses with
//! numbered arguments, capped counts, multi-row inserts and versioned updates;
//! substring search through the trigram indexes (`search`); a list's order and
//! its pages (`order`).

mod order;
mod search;

pub use order::{page, Order};
pub use search::{like_pattern, SearchIndex, SearchPath};

use crate::auth::policy::RecordScope;
use crate::db::Backend;
use crate::error::AppResult;
use crate::list::{Filters, KeyPart, Query};
use sqlx::any::AnyArguments;
use sqlx::Arguments;

/// A `WHERE` clause under construction, with its arguments numbered as `$1, $2…`.
pub struct Filter {
    clauses: Vec<String>,
    pub args: AnyArguments<'static>,
    count: usize,
}

impl Default for Filter {
    fn default() -> Self {
        Self::new()
    }
}

impl Filter {
    pub fn new() -> Self {
        Self { clauses: Vec::new(), args: AnyArguments::default(), count: 0 }
    }

    /// Adds a condition; `?` in it stands for the next argument.
    pub fn push(&mut self, condition: &str, value: Option<String>) {
        match value {
            Some(value) => {
                self.count += 1;
                self.clauses.push(condition.replace('?', &format!("${}", self.count)));
                let _ = self.args.add(value);
            }
            None => self.clauses.push(condition.to_owned()),
        }
    }

    /// A condition over several arguments: `condition` writes it from their
    /// placeholders, in the order of `values`.
    pub fn push_with(
        &mut self,
        values: impl IntoIterator<Item = String>,
        condition: impl FnOnce(&[String]) -> String,
    ) {
        let mut placeholders = Vec::new();
        for value in values {
            self.count += 1;
            let _ = self.args.add(value);
            placeholders.push(format!("${}", self.count));
        }
        self.clauses.push(condition(&placeholders));
    }

    /// `column IN (…)` over `values`; an empty list matches no row.
    pub fn push_in(&mut self, column: &str, values: impl IntoIterator<Item = String>) {
        self.push_with(values, |args| match args {
            [] => "1 = 0".to_owned(),
            args => format!("{column} IN ({})", args.join(", ")),
        });
    }

    /// `column` is one of `values`, however many. On SQLite they travel as one JSON
    /// array (`json_each`): SQLite binds each numbered argument by looking its name up
    /// among all of the statement's, so a long `IN ($1, …)` costs the square of its
    /// length. PostgreSQL gets the `IN` list, which it plans as a hashed array (given
    /// a JSON array, it re-read it for each row of a small table).
    pub fn push_one_of<S: AsRef<str> + serde::Serialize>(
        &mut self,
        backend: Backend,
        column: &str,
        values: &[S],
    ) {
        match backend {
            Backend::Sqlite => {
                let json = serde_json::to_string(values).unwrap_or_else(|_| "[]".to_owned());
                self.push(&format!("{column} IN (SELECT value FROM json_each(?))"), Some(json));
            }
            Backend::Postgres => self.push_in(column, values.iter().map(|v| v.as_ref().to_owned())),
        }
    }

    /// Restricts `column` (the record's owner or assignee) to the viewer's scope.
    pub fn scope(&mut self, scope: &RecordScope, column: &str) {
        if let RecordScope::OwnedBy(owner) = scope {
            self.push(&format!("{column} = ?"), Some(owner.to_string()));
        }
    }

    /// Binds `value` and gives its placeholder, for a condition with several arguments.
    fn bind(&mut self, value: &KeyPart) -> String {
        self.count += 1;
        let _ = match value {
            KeyPart::Number(n) => self.args.add(*n),
            KeyPart::Text(s) => self.args.add(s.clone()),
        };
        format!("${}", self.count)
    }

    pub fn sql(&self) -> String {
        if self.clauses.is_empty() {
            "1 = 1".to_owned()
        } else {
            self.clauses.join(" AND ")
        }
    }
}

/// The `columns` of row `id` of `table` if it is in the viewer's `scope`
/// (`owner` names the owning column); `NotFound` otherwise, exactly as for a
/// row that does not exist.
pub async fn in_scope<Row>(
    conn: &mut sqlx::AnyConnection,
    scope: &RecordScope,
    (table, owner): (&str, &str),
    id: &str,
    columns: &str,
) -> crate::error::AppResult<Row>
where
    Row: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let mut filter = Filter::new();
    filter.push("id = ?", Some(id.to_owned()));
    filter.scope(scope, owner);
    let sql = format!("SELECT {columns} FROM {table} WHERE {}", filter.sql());
    sqlx::query_as_with(&sql, filter.args)
        .fetch_optional(conn)
        .await?
        .ok_or(crate::error::AppError::NotFound)
}

/// How far a list counts its matches: past this it says "more than".
pub const COUNT_CAP: i64 = 10_000;

/// How far a search counts its matches: each match counted is a lookup by the
/// search index (a row read at random), so a search that matches much of a
/// large table stops early, having read a few hundred rows at most when the
/// matches are many.
pub const SEARCH_COUNT_CAP: i64 = 100;

/// How far the list `query` asks for counts.
pub fn count_cap<F: Filters>(query: &Query<F>) -> i64 {
    if query.search.is_empty() {
        COUNT_CAP
    } else {
        SEARCH_COUNT_CAP
    }
}

/// How many rows of `from` (a table and its alias) match `filter`, counting no
/// further than `cap`: (the count, up to the cap; whether more match). The
/// work is bounded however large the table grows.
pub async fn capped_count(
    db: &crate::db::Db,
    from: &str,
    filter: Filter,
    cap: i64,
) -> crate::error::AppResult<(i64, bool)> {
    let sql = format!(
        "SELECT COUNT(*) FROM (SELECT 1 FROM {from} WHERE {} LIMIT {}) counted",
        filter.sql(),
        cap + 1
    );
    let (total,): (i64,) = sqlx::query_as_with(&sql, filter.args).fetch_one(&db.pool).await?;
    Ok((total.min(cap), total > cap))
}

/// `$first, $first+1, …` for `count` placeholders.
pub fn placeholders(first: usize, count: usize) -> String {
    (first..first + count).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ")
}

/// Arguments a multi-row statement carries (PostgreSQL allows 65,535; SQLite's
/// default limit is 32,766).
const ARGUMENTS_PER_STATEMENT: usize = 500;

/// Inserts `rows` into `columns` of `table` with multi-row statements, in the
/// caller's transaction: `bind` adds one row's values, one per column, in order.
pub async fn insert_rows<T>(
    conn: &mut sqlx::AnyConnection,
    table: &str,
    columns: &[&str],
    rows: &[T],
    bind: impl Fn(&T, &mut AnyArguments<'static>),
) -> Result<(), sqlx::Error> {
    let per_statement = (ARGUMENTS_PER_STATEMENT / columns.len().max(1)).max(1);
    // On SQLite the arguments are anonymous (`?`): binding a numbered one
    // (`$n`) looks its name up among all of the statement's, which made every
    // statement cost the square of its arguments.
    let anonymous = conn.backend_name() == "SQLite";
    let row_of = |row: usize| {
        if anonymous {
            format!("({})", vec!["?"; columns.len()].join(", "))
        } else {
            format!("({})", placeholders(row * columns.len() + 1, columns.len()))
        }
    };
    for chunk in rows.chunks(per_statement) {
        let values = (0..chunk.len()).map(row_of).collect::<Vec<_>>().join(", ");
        let sql = format!("INSERT INTO {table} ({}) VALUES {values}", columns.join(", "));
        let mut args = AnyArguments::default();
        for row in chunk {
            bind(row, &mut args);
        }
        sqlx::query_with(&sql, args).execute(&mut *conn).await?;
    }
    Ok(())
}

/// A change to one row that makes a new version of it: sets the given columns,
/// bumps `version` and `updated_at`, and, as asked, only while nobody else has
/// saved it since the person saw it ([`Update::seen_at`]) and it is not
/// archived ([`Update::live`]).
pub struct Update {
    table: &'static str,
    assignments: Vec<String>,
    args: AnyArguments<'static>,
    expected_version: Option<i64>,
    live: bool,
}

impl Update {
    pub fn new(table: &'static str) -> Self {
        Self {
            table,
            assignments: Vec::new(),
            args: AnyArguments::default(),
            expected_version: None,
            live: false,
        }
    }

    pub fn set<T>(mut self, column: &str, value: T) -> Self
    where
        T: sqlx::Encode<'static, sqlx::Any> + sqlx::Type<sqlx::Any> + Send + 'static,
    {
        let _ = self.args.add(value);
        self.assignments.push(format!("{column} = ${}", self.assignments.len() + 1));
        self
    }

    /// Only if the row is still at `version`.
    pub fn seen_at(self, version: i64) -> Self {
        Self { expected_version: Some(version), ..self }
    }

    /// Only if the record is not archived.
    pub fn live(self) -> Self {
        Self { live: true, ..self }
    }

    /// Writes the change to row `id`, in the caller's transaction; when no row
    /// qualifies (someone else's change came first), answers `stale()` and
    /// writes nothing.
    pub async fn apply(
        self,
        conn: &mut sqlx::AnyConnection,
        id: &str,
        stale: impl FnOnce() -> crate::error::AppError,
    ) -> AppResult<()> {
        let Self { table, mut assignments, mut args, expected_version, live } = self;
        let mut n = assignments.len();
        let mut next = || {
            n += 1;
            n
        };
        assignments.push(format!("version = version + 1, updated_at = ${}", next()));
        let _ = args.add(crate::db::now_ms());
        let mut sql =
            format!("UPDATE {table} SET {} WHERE id = ${}", assignments.join(", "), next());
        let _ = args.add(id.to_owned());
        if let Some(version) = expected_version {
            sql.push_str(&format!(" AND version = ${}", next()));
            let _ = args.add(version);
        }
        if live {
            sql.push_str(" AND archived_at IS NULL");
        }
        let done = sqlx::query_with(&sql, args).execute(conn).await?;
        crate::db::applied(done, stale)
    }
}
