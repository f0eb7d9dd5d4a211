//! SQL building blocks shared by the areas' stores: `WHERE` clauses with
//! numbered arguments, and substring search through the trigram indexes.

use crate::auth::policy::RecordScope;
use crate::db::Backend;
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
        Self {
            clauses: Vec::new(),
            args: AnyArguments::default(),
            count: 0,
        }
    }

    /// Adds a condition; `?` in it stands for the next argument.
    pub fn push(&mut self, condition: &str, value: Option<String>) {
        match value {
            Some(value) => {
                self.count += 1;
                self.clauses
                    .push(condition.replace('?', &format!("${}", self.count)));
                let _ = self.args.add(value);
            }
            None => self.clauses.push(condition.to_owned()),
        }
    }

    /// Restricts `column` (the record's owner or assignee) to the viewer's scope.
    pub fn scope(&mut self, scope: &RecordScope, column: &str) {
        if let RecordScope::OwnedBy(owner) = scope {
            self.push(&format!("{column} = ?"), Some(owner.to_string()));
        }
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

/// How many rows of `from` (a table and its alias) match `filter`, counting no
/// further than [`COUNT_CAP`]: (the count, up to the cap; whether more match).
/// The work is bounded however large the table grows.
pub async fn capped_count(
    db: &crate::db::Db,
    from: &str,
    filter: Filter,
) -> crate::error::AppResult<(i64, bool)> {
    let sql = format!(
        "SELECT COUNT(*) FROM (SELECT 1 FROM {from} WHERE {} LIMIT {}) counted",
        filter.sql(),
        COUNT_CAP + 1
    );
    let (total,): (i64,) = sqlx::query_as_with(&sql, filter.args)
        .fetch_one(&db.pool)
        .await?;
    Ok((total.min(COUNT_CAP), total > COUNT_CAP))
}

/// `$first, $first+1, …` for `count` placeholders.
pub fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Escapes `%`, `_` and `\` so a search term matches literally.
pub fn like_pattern(term: &str) -> String {
    let escaped: String = term
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("%{escaped}%")
}

/// How a search narrows a list on SQLite, where the trigram index answers which
/// rows contain the term: look each match up (few matches; counts), or walk the
/// list in its sort order and keep the matches (many matches: a page fills long
/// before the walk ends). PostgreSQL's planner makes this choice itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchPath {
    ByMatch,
    BySortOrder,
}

impl SearchPath {
    /// Above this many matches, walking the sort order finds a page faster than
    /// looking up and sorting every match.
    const MATCHES_WORTH_WALKING: i64 = 1500;

    /// The path for a page of a list whose filters match `total` rows.
    pub fn for_total(total: i64) -> Self {
        if total > Self::MATCHES_WORTH_WALKING {
            Self::BySortOrder
        } else {
            Self::ByMatch
        }
    }
}

/// A table's searchable text: its alias in list queries and, on SQLite, the
/// FTS5 trigram table that indexes its `search_text` by rowid.
#[derive(Debug, Clone, Copy)]
pub struct SearchIndex {
    pub alias: &'static str,
    pub fts_table: &'static str,
}

/// The trigram index matches substrings of three characters or more.
const TRIGRAM: usize = 3;

/// `term` as a full-text phrase: the exact substring, quotes doubled.
fn fts_phrase(term: &str) -> String {
    format!("\"{}\"", term.to_lowercase().replace('"', "\"\""))
}

impl SearchIndex {
    /// Narrows `filter` to rows whose search text contains `term`.
    pub fn push(self, filter: &mut Filter, backend: Backend, term: &str, path: SearchPath) {
        let Self { alias, fts_table } = self;
        if backend == Backend::Sqlite && term.chars().count() >= TRIGRAM {
            // A `+` keeps SQLite from driving the query by rowid, so it walks the sort index.
            let walk = if path == SearchPath::BySortOrder {
                "+"
            } else {
                ""
            };
            filter.push(
                &format!(
                    "{walk}{alias}.rowid IN (SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH ?)"
                ),
                Some(fts_phrase(term)),
            );
        } else {
            filter.push(
                &format!("{alias}.search_text LIKE ? ESCAPE '\\'"),
                Some(like_pattern(term)),
            );
        }
    }
}
