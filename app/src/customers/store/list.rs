//! The customers list in the viewer's scope, the dashboard's counts and the tags in use.

use super::*;
use crate::sql::COUNT_CAP;

#[derive(sqlx::FromRow)]
struct RowRecord {
    id: CustomerId,
    name: String,
    email: String,
    company: String,
    tags: String,
    owner_name: String,
    created_at: i64,
}

impl RowRecord {
    fn into_row(self) -> CustomerRow {
        CustomerRow {
            id: self.id,
            tags: split_tags(&self.tags),
            name: self.name,
            email: self.email,
            company: self.company,
            owner_name: self.owner_name,
            created_at: self.created_at,
        }
    }
}

/// One page of the customers the viewer may see, and how many match in all.
pub async fn list(db: &Db, scope: &RecordScope, query: &CustomerQuery) -> AppResult<CustomerPage> {
    let count_filter = list_filter(db.backend, scope, query, SearchPath::Counting);
    let (counted, path) = if query.search.is_empty() {
        let counted = crate::sql::capped_count(db, "customers c", count_filter, COUNT_CAP).await?;
        (counted, SearchPath::ByMatch)
    } else {
        SEARCH.count(db, "customers c", count_filter, &query.search, query.per_page, None).await?
    };
    let filter = list_filter(db.backend, scope, query, path);
    let columns = "c.id, c.name, c.email, c.company, c.tags, u.name AS owner_name, c.created_at";
    let from = "customers c JOIN users u ON u.id = c.owner_id";
    let page: Page<CustomerFilters, RowRecord> =
        crate::sql::page(db, (columns, from), filter, &order(query), query, counted).await?;
    page.try_map(|r| Ok(r.into_row()))
}

/// Live customers the viewer may see, per owner.
pub async fn live_counts(db: &Db, scope: &RecordScope) -> AppResult<Vec<(String, i64)>> {
    let mut filter = Filter::new();
    filter.push("c.archived_at IS NULL", None);
    filter.scope(scope, "c.owner_id");
    let sql = format!(
        "SELECT c.owner_id, COUNT(*) FROM customers c WHERE {} GROUP BY c.owner_id",
        filter.sql()
    );
    Ok(sqlx::query_as_with(&sql, filter.args).fetch_all(&db.pool).await?)
}

/// The tags on the customers the viewer may see, for the tag filter. The tag
/// index is walked one distinct tag at a time (a seek per tag, not a read of
/// every tagged customer); for agents each tag is kept if one of their live
/// customers carries it, looked for tag by tag until the first (a subquery
/// with a limit, which PostgreSQL does not turn into a join over every tag).
pub async fn tags_in_use(db: &Db, scope: &RecordScope) -> AppResult<Vec<String>> {
    let mut filter = Filter::new();
    filter.push("w.tag IS NOT NULL", None);
    if let RecordScope::OwnedBy(owner) = scope {
        filter.push(
            "(SELECT 1 FROM customer_tags t JOIN customers c ON c.id = t.customer_id \
             WHERE t.tag = w.tag AND c.owner_id = ? AND c.archived_at IS NULL LIMIT 1) IS NOT NULL",
            Some(owner.to_string()),
        );
    }
    let sql = format!(
        "WITH RECURSIVE walk (tag) AS ( \
           SELECT MIN(tag) FROM customer_tags \
           UNION ALL \
           SELECT (SELECT MIN(t.tag) FROM customer_tags t WHERE t.tag > walk.tag) FROM walk WHERE walk.tag IS NOT NULL) \
         SELECT w.tag FROM walk w WHERE {} LIMIT 200",
        filter.sql()
    );
    let rows: Vec<(String,)> = sqlx::query_as_with(&sql, filter.args).fetch_all(&db.pool).await?;
    Ok(rows.into_iter().map(|(tag,)| tag).collect())
}
