//! SQL building blocks shared by the areas' stores: `WHERE` clauses with
//! numbered arguments, and substring search through the trigram indexes.

use crate::auth::policy::RecordScope;
use crate::db::{Backend, Db};
use crate::error::AppResult;
use crate::list::{Filters, Key, KeyPart, Page, Query};
use sqlx::any::AnyArguments;
use sqlx::{Arguments, Row as _};

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

/// How a search narrows a list on SQLite: look each match up through the
/// trigram index and sort them (few matches), or walk the list in its sort
/// order and keep the rows whose text contains the term (matches dense among
/// the rows the walk passes: a page fills long before the walk ends).
/// `SearchIndex::count` chooses. PostgreSQL's planner makes this choice itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchPath {
    ByMatch,
    BySortOrder,
    /// Counting: the matches are read from the trigram index one by one, in
    /// rowid order, each looked up in the table, until the count's cap.
    Counting,
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
        let indexed = backend == Backend::Sqlite && term.chars().count() >= TRIGRAM;
        if indexed && path == SearchPath::ByMatch {
            filter.push(
                &format!(
                    "{alias}.rowid IN (SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH ?)"
                ),
                Some(fts_phrase(term)),
            );
        } else if indexed && path == SearchPath::Counting {
            filter.push(&format!("s.{fts_table} MATCH ?"), Some(fts_phrase(term)));
        } else {
            filter
                .push(&format!("{alias}.search_text LIKE ? ESCAPE '\\'"), Some(like_pattern(term)));
        }
    }
}

impl SearchIndex {
    /// Counts the rows of `table` (a table and its alias) that `filter` (built
    /// with `SearchPath::Counting`) keeps for the search `term`, up to
    /// `SEARCH_COUNT_CAP`, and chooses the path of the list's page.
    ///
    /// On SQLite, for a term the trigram index answers, the index's matches are
    /// looked up in `table` one by one in rowid order (`CROSS JOIN`), so the
    /// count stops at its cap having looked up no more matches than it needed.
    /// When it stops there, how far into the table it got tells how the matches
    /// spread: the page walks the list's order when that reads fewer rows than
    /// looking every match up would. `walked` is how many rows the walk would
    /// pass through (the rows of the order's index that the filters it covers
    /// keep), when known; else the whole table.
    pub async fn count(
        self,
        db: &Db,
        table: &str,
        filter: Filter,
        term: &str,
        per_page: u32,
        walked: Option<i64>,
    ) -> AppResult<((i64, bool), SearchPath)> {
        if db.backend != Backend::Sqlite || term.chars().count() < TRIGRAM {
            let counted = capped_count(db, table, filter, SEARCH_COUNT_CAP).await?;
            return Ok((counted, SearchPath::ByMatch));
        }
        let Self { alias, fts_table } = self;
        let sql = format!(
            "SELECT COUNT(*), COALESCE(MAX(r), 0) FROM (SELECT {alias}.rowid AS r \
             FROM {fts_table} s CROSS JOIN {table} ON {alias}.rowid = s.rowid WHERE {} LIMIT {}) counted",
            filter.sql(),
            SEARCH_COUNT_CAP + 1
        );
        let (found, last): (i64, i64) =
            sqlx::query_as_with(&sql, filter.args).fetch_one(&db.pool).await?;
        if found <= SEARCH_COUNT_CAP {
            return Ok(((found, false), SearchPath::ByMatch));
        }
        // The matches up to the last one counted, and the share of the table's
        // rowids that far: from these, how many matches the search has in all,
        // and how many of them the filters keep.
        let (looked_up,): (i64,) = sqlx::query_as(&format!(
            "SELECT COUNT(*) FROM {fts_table} WHERE {fts_table} MATCH $1 AND rowid <= $2"
        ))
        .bind(fts_phrase(term))
        .bind(last)
        .fetch_one(&db.pool)
        .await?;
        let table_name = table.split_whitespace().next().unwrap_or(table);
        let (rows,): (i64,) =
            sqlx::query_as(&format!("SELECT COALESCE(MAX(rowid), 0) FROM {table_name}"))
                .fetch_one(&db.pool)
                .await?;
        let reach = last as f64 / rows.max(1) as f64;
        let by_match = looked_up as f64 / reach;
        let kept = found as f64 / reach;
        let by_walking = f64::from(per_page) * walked.unwrap_or(rows) as f64 / kept;
        let path =
            if by_walking < by_match { SearchPath::BySortOrder } else { SearchPath::ByMatch };
        tracing::debug!(table, by_walking, by_match, ?path, "search path");
        Ok(((SEARCH_COUNT_CAP, true), path))
    }
}

/// One column of a list's order: an SQL expression, whether it holds numbers
/// (or text), and its direction.
#[derive(Debug, Clone, Copy)]
struct SortColumn {
    expr: &'static str,
    number: bool,
    descending: bool,
}

/// The order of a list: its columns, most significant first, ending with the
/// row's id so that every row has one place. A page is found from its
/// neighbour's place (`WHERE (name, id) > ($1, $2)`), which an index on the
/// same columns answers with a seek however deep the page is.
#[derive(Debug, Clone, Default)]
pub struct Order(Vec<SortColumn>);

impl Order {
    /// A text column, in the list's direction.
    pub fn text(self, expr: &'static str, descending: bool) -> Self {
        self.then(expr, false, descending)
    }

    /// A number column, in the list's direction.
    pub fn number(self, expr: &'static str, descending: bool) -> Self {
        self.then(expr, true, descending)
    }

    fn then(mut self, expr: &'static str, number: bool, descending: bool) -> Self {
        self.0.push(SortColumn { expr, number, descending });
        self
    }

    /// The `ORDER BY` list.
    pub fn sql(&self) -> String {
        self.order_by(false)
    }

    fn order_by(&self, reversed: bool) -> String {
        self.0
            .iter()
            .map(|c| {
                let descending = c.descending != reversed;
                format!("{} {}", c.expr, if descending { "DESC" } else { "ASC" })
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The columns as `k0, k1…`, read back as a row's key.
    fn key_columns(&self) -> String {
        self.0
            .iter()
            .enumerate()
            .map(|(n, c)| format!("{} AS k{n}", c.expr))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Whether `key` is a place in this order: as many values, of the columns' kinds.
    fn fits(&self, key: &Key) -> bool {
        key.len() == self.0.len()
            && self.0.iter().zip(key).all(|(c, part)| {
                matches!((c.number, part), (true, KeyPart::Number(_)) | (false, KeyPart::Text(_)))
            })
    }

    /// Narrows `filter` to the rows past `key` in this order (`reversed`: before it).
    fn seek(&self, filter: &mut Filter, key: &Key, reversed: bool) {
        let placeholders: Vec<String> = key.iter().map(|part| filter.bind(part)).collect();
        let uniform = self.0.iter().all(|c| c.descending == self.0[0].descending);
        let condition = if uniform {
            // One row-value comparison, which an index on the columns seeks to.
            let columns: Vec<&str> = self.0.iter().map(|c| c.expr).collect();
            let past = if self.0[0].descending != reversed { "<" } else { ">" };
            format!("({}) {past} ({})", columns.join(", "), placeholders.join(", "))
        } else {
            // Columns in mixed directions: the same comparison column by column.
            let mut condition = String::new();
            for (n, c) in self.0.iter().enumerate().rev() {
                let past = if c.descending != reversed { "<" } else { ">" };
                let here = format!("{} {past} {}", c.expr, placeholders[n]);
                condition = if condition.is_empty() {
                    here
                } else {
                    format!("({here} OR ({} = {} AND {condition}))", c.expr, placeholders[n])
                };
            }
            condition
        };
        filter.push(&condition, None);
    }
}

/// A page of a list: the rows of `columns` (a `SELECT` list) from `from` (the
/// list's table and its alias, then any joins) that match `filter` (which
/// names the list's table only), in `order` (whose last column is the id), as
/// `query` asks: from its seek when it has one, else counted from the start.
/// `counted` is what the caller found for the list's total.
pub async fn page<F, Row>(
    db: &Db,
    (columns, from): (&str, &str),
    mut filter: Filter,
    order: &Order,
    query: &Query<F>,
    counted: (i64, bool),
) -> AppResult<Page<F, Row>>
where
    F: Filters,
    Row: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let seek = query.seek.as_ref().filter(|seek| order.fits(seek.key()));
    let reversed = seek.is_some_and(|seek| seek.is_backward());
    let offset = match seek {
        Some(seek) => {
            order.seek(&mut filter, seek.key(), reversed);
            0
        }
        None => crate::list::offset(query.page, query.per_page),
    };
    let limit = query.per_page + 1;
    let order_by = order.order_by(reversed);
    let sql = if offset == 0 {
        format!(
            "SELECT {columns}, {} FROM {from} WHERE {} ORDER BY {order_by} LIMIT {limit}",
            order.key_columns(),
            filter.sql(),
        )
    } else {
        // Rows skipped by number are skipped in the order's index alone: the ids
        // of the page are found first, from the list's own table when the order
        // needs nothing joined, and only those rows are read and joined.
        let table = from.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
        let alias = format!("{}.", table.split(' ').nth(1).unwrap_or_default());
        let keys_from =
            if order.0.iter().all(|c| c.expr.starts_with(&alias)) { table.as_str() } else { from };
        let id = order.0.last().map_or("id", |c| c.expr);
        format!(
            "SELECT {columns}, {} FROM {from} WHERE {id} IN \
             (SELECT {id} FROM {keys_from} WHERE {} ORDER BY {order_by} LIMIT {limit} OFFSET {offset}) \
             ORDER BY {order_by}",
            order.key_columns(),
            filter.sql(),
        )
    };
    let fetched = sqlx::query_with(&sql, filter.args)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|row| {
            let key = order
                .0
                .iter()
                .enumerate()
                .map(|(n, c)| {
                    let name = format!("k{n}");
                    if c.number {
                        row.try_get::<i64, _>(name.as_str()).map(KeyPart::Number)
                    } else {
                        row.try_get::<String, _>(name.as_str()).map(KeyPart::Text)
                    }
                })
                .collect::<Result<Key, _>>()?;
            Ok((Row::from_row(row)?, key))
        })
        .collect::<Result<Vec<(Row, Key)>, sqlx::Error>>()?;
    let mut query = query.clone();
    if seek.is_none() {
        query.seek = None;
    }
    Page::from_fetched(fetched, counted, query, |(_, key)| key.clone()).try_map(|(row, _)| Ok(row))
}

/// Arguments a statement may carry before binding them costs more than the
/// round trips a bigger statement saves (SQLite looks each argument up among
/// all of the statement's).
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
    for chunk in rows.chunks(per_statement) {
        let values = (0..chunk.len())
            .map(|row| format!("({})", placeholders(row * columns.len() + 1, columns.len())))
            .collect::<Vec<_>>()
            .join(", ");
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
