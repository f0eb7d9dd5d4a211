//! The search's SQL: each table asked for the query's words and phone numbers within
//! the viewer's scope, archived records left out. Lead and customer words go through
//! their trigram indexes (SQLite's FTS5 tables, PostgreSQL's `pg_trgm`), phone
//! numbers through their digits; when nothing matches exactly, each longer word is
//! asked again with one letter wrong, missing, extra or swapped.

use super::{close_patterns, HitKind, SearchHit, SearchResults, Terms, CLOSE_BUDGET};
use crate::auth::policy::{self, RecordScope};
use crate::auth::{Role, Viewer};
use crate::db::{Backend, Db};
use crate::error::AppResult;
use crate::leads::LeadStatus;
use crate::sql::{like_pattern, Filter, SearchIndex, SearchPath};
use crate::tasks::TaskStatus;

/// Hits asked of each table.
const PER_KIND: usize = 20;

/// How a table is searched: the columns the words look in, whose rows the viewer
/// may see, and the five columns a hit is made of (id, title, two details, status).
struct Searched {
    kind: HitKind,
    /// Leads and customers: their trigram index.
    index: Option<SearchIndex>,
    /// The lower-case text a word must be in (without an index), as SQL.
    text: &'static str,
    /// The column holding a phone number's digits, if the table has one.
    phone: Option<&'static str>,
    /// The table, its live rows, and the column naming their owner (an agent's own).
    from: &'static str,
    live: &'static str,
    owner: Option<&'static str>,
    select: &'static str,
    order: &'static str,
}

const LEADS: Searched = Searched {
    kind: HitKind::Lead,
    index: Some(SearchIndex { alias: "l", fts_table: "lead_search" }),
    text: "l.search_text",
    phone: Some("l.phone_digits"),
    from: "leads l",
    live: "l.archived_at IS NULL",
    owner: Some("l.assignee_id"),
    select: "l.id, l.name, l.company, l.email, l.status",
    order: "l.updated_at DESC",
};
const CUSTOMERS: Searched = Searched {
    kind: HitKind::Customer,
    index: Some(SearchIndex { alias: "c", fts_table: "customer_search" }),
    text: "c.search_text",
    phone: Some("c.phone_digits"),
    from: "customers c",
    live: "c.archived_at IS NULL",
    owner: Some("c.owner_id"),
    select: "c.id, c.name, c.company, c.email, ''",
    order: "c.updated_at DESC",
};
const TASKS: Searched = Searched {
    kind: HitKind::Task,
    index: None,
    text: "LOWER(t.title)",
    phone: None,
    from: "tasks t",
    live: "1 = 1",
    owner: Some("t.assignee_id"),
    select: "t.id, t.title, 'Due ' || t.due_date, '', t.status",
    order: "t.due_at DESC",
};
/// The team (admins only: the caller checks).
const USERS: Searched = Searched {
    kind: HitKind::User,
    index: None,
    text: "LOWER(u.name || ' ' || u.email)",
    phone: None,
    from: "users u",
    live: "u.deleted_at IS NULL",
    owner: None,
    select: "u.id, u.name, u.email, u.role, CASE WHEN u.active = 1 THEN '' ELSE 'deactivated' END",
    order: "LOWER(u.name)",
};

/// Everything `viewer` may see that answers `query`, best first.
pub async fn search(db: &Db, viewer: &Viewer, query: &str) -> AppResult<SearchResults> {
    let terms = Terms::parse(query);
    let mut results = SearchResults { query: query.to_owned(), ..SearchResults::default() };
    if terms.is_empty() {
        return Ok(results);
    }
    results.hits = everywhere(db, viewer, &terms, false).await?;
    let guessable = terms.words.iter().any(|w| !close_patterns(w).is_empty());
    if results.hits.is_empty() && guessable {
        results.hits = everywhere(db, viewer, &terms, true).await?;
        results.close = !results.hits.is_empty();
    }
    results.hits.sort_by(|a, b| b.score.cmp(&a.score).then(a.kind.cmp(&b.kind)));
    Ok(results)
}

async fn everywhere(
    db: &Db,
    viewer: &Viewer,
    terms: &Terms,
    close: bool,
) -> AppResult<Vec<SearchHit>> {
    let scope = RecordScope::of(viewer);
    let mut hits = Vec::new();
    for table in [&LEADS, &CUSTOMERS, &TASKS] {
        hits.extend(table.hits(db, &scope, terms, close).await?);
    }
    if policy::may_manage_users(viewer) {
        hits.extend(USERS.hits(db, &RecordScope::Everything, terms, close).await?);
    }
    Ok(hits)
}

impl Searched {
    /// `filter` narrowed to the rows holding every word and phone number of `terms`;
    /// `close`: each word also one letter away, the first words first, as far as
    /// `CLOSE_BUDGET` patterns go.
    fn narrow(&self, filter: &mut Filter, backend: Backend, terms: &Terms, close: bool) {
        let mut budget = if close { CLOSE_BUDGET } else { 0 };
        for word in &terms.words {
            let mut guesses = close_patterns(word);
            if guesses.len() > budget {
                guesses.clear();
            }
            budget -= guesses.len();
            if !guesses.is_empty() {
                self.push_close(filter, backend, word, guesses);
            } else if let Some(index) = self.index {
                index.push(filter, backend, word, SearchPath::ByMatch);
            } else {
                filter.push(&format!("{} LIKE ? ESCAPE '\\'", self.text), Some(like_pattern(word)));
            }
        }
        for digits in &terms.phones {
            match self.phone {
                Some(column) => {
                    filter.push(&format!("{column} LIKE ?"), Some(format!("%{digits}%")))
                }
                None => filter.push(&format!("{} LIKE ?", self.text), Some(format!("%{digits}%"))),
            }
        }
    }

    /// The word itself or any of its `guesses`. On SQLite, an indexed table asks its
    /// FTS5 trigram table, which answers `LIKE` patterns, once per pattern.
    fn push_close(&self, filter: &mut Filter, backend: Backend, word: &str, guesses: Vec<String>) {
        let mut patterns = vec![format!("%{}%", word.replace(['%', '_', '\\'], ""))];
        patterns.extend(guesses);
        match (self.index, backend) {
            (Some(SearchIndex { alias, fts_table }), Backend::Sqlite) => {
                filter.push_with(patterns, |args| {
                    let each: Vec<String> = args
                        .iter()
                        .map(|arg| {
                            format!("SELECT rowid FROM {fts_table} WHERE search_text LIKE {arg}")
                        })
                        .collect();
                    format!("{alias}.rowid IN ({})", each.join(" UNION "))
                });
            }
            _ => filter.push_with(patterns, |args| {
                let each: Vec<String> =
                    args.iter().map(|arg| format!("{} LIKE {arg}", self.text)).collect();
                format!("({})", each.join(" OR "))
            }),
        }
    }

    /// The rows of this table `scope` holds that answer `terms`, as hits.
    async fn hits(
        &self,
        db: &Db,
        scope: &RecordScope,
        terms: &Terms,
        close: bool,
    ) -> AppResult<Vec<SearchHit>> {
        let mut filter = Filter::new();
        filter.push(self.live, None);
        if let Some(owner) = self.owner {
            filter.scope(scope, owner);
        }
        self.narrow(&mut filter, db.backend, terms, close);
        let sql = format!(
            "SELECT {} FROM {} WHERE {} ORDER BY {} LIMIT {PER_KIND}",
            self.select,
            self.from,
            filter.sql(),
            self.order
        );
        let rows: Vec<(String, String, String, String, String)> =
            sqlx::query_as_with(&sql, filter.args).fetch_all(&db.pool).await?;
        Ok(rows.into_iter().map(|row| self.hit(terms, close, row)).collect())
    }

    /// A row as a hit: its title scored against the query (less when it only came close).
    fn hit(
        &self,
        terms: &Terms,
        close: bool,
        (id, title, first, second, status): (String, String, String, String, String),
    ) -> SearchHit {
        let score = terms.score(&title).saturating_sub(if close { 30 } else { 0 });
        let status = match self.kind {
            HitKind::Lead => LeadStatus::parse(&status).map_or("", LeadStatus::label),
            HitKind::Task => TaskStatus::parse(&status).map_or("", TaskStatus::label),
            HitKind::User if status == "deactivated" => "Deactivated",
            HitKind::Customer | HitKind::User => "",
        };
        // A member's second detail is their role.
        let second = match self.kind {
            HitKind::User => Role::parse(&second).map_or("", Role::label).to_owned(),
            _ => second,
        };
        let detail = [first.as_str(), second.as_str()]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" · ");
        SearchHit { kind: self.kind, id, title, detail, status: status.to_owned(), score }
    }
}
