//! Substring search through the trigram indexes: the term as a `LIKE` pattern or
//! a full-text phrase, and how a search is counted and its page found.

use super::{capped_count, Filter, SEARCH_COUNT_CAP};
use crate::db::{Backend, Db};
use crate::error::AppResult;

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
    /// Whether the trigram index answers a search for `term` (SQLite, three
    /// characters or more); otherwise the search is a `LIKE` the planner places.
    pub fn answers(backend: Backend, term: &str) -> bool {
        backend == Backend::Sqlite && term.chars().count() >= TRIGRAM
    }

    /// Narrows `filter` to rows whose search text contains `term`.
    pub fn push(self, filter: &mut Filter, backend: Backend, term: &str, path: SearchPath) {
        let Self { alias, fts_table } = self;
        let indexed = Self::answers(backend, term);
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
        if !Self::answers(db.backend, term) {
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
