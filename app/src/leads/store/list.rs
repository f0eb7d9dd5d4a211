//! The leads list in the viewer's scope: search, filters, sort and paging.

use super::*;
use crate::sql::COUNT_CAP;

#[derive(sqlx::FromRow)]
struct RowRecord {
    id: LeadId,
    name: String,
    email: String,
    company: String,
    status: String,
    assignee_name: String,
    version: i64,
    created_at: i64,
}

impl RowRecord {
    fn into_row(self) -> AppResult<LeadRow> {
        Ok(LeadRow {
            id: self.id,
            status: parse_status(&self.status)?,
            name: self.name,
            email: self.email,
            company: self.company,
            assignee_name: self.assignee_name,
            version: self.version,
            created_at: self.created_at,
        })
    }
}

/// One page of the leads the viewer may see, and how many match in all.
pub async fn list(db: &Db, scope: &RecordScope, query: &LeadQuery) -> AppResult<LeadPage> {
    let count_filter = list_filter(db.backend, scope, query, SearchPath::Counting);
    let (counted, path) = if !query.search.is_empty() {
        // A walk in creation order passes through the leads of the status and
        // assignee filtered for (an index leads with both); in any other order,
        // through all the assignee's leads.
        let by_creation = matches!(query.sort, LeadSort::Created | LeadSort::Status);
        let mut walked_through = LeadQuery { search: String::new(), ..query.clone() };
        if !by_creation {
            walked_through.filters.status = None;
        }
        let walked = if SearchIndex::answers(db.backend, &query.search) {
            kept_count(db, scope, &walked_through).await?
        } else {
            None
        };
        SEARCH.count(db, "leads l", count_filter, &query.search, query.per_page, walked).await?
    } else if let Some(total) = kept_count(db, scope, query).await? {
        ((total, false), SearchPath::ByMatch)
    } else {
        let counted = crate::sql::capped_count(db, "leads l", count_filter, COUNT_CAP).await?;
        (counted, SearchPath::ByMatch)
    };
    let filter = list_filter(db.backend, scope, query, path);
    let columns = "l.id, l.name, l.email, l.company, l.status, u.name AS assignee_name, l.version, l.created_at";
    let from = "leads l JOIN users u ON u.id = l.assignee_id";
    let page: Page<LeadFilters, RowRecord> =
        crate::sql::page(db, (columns, from), filter, &order(query), query, counted).await?;
    page.try_map(RowRecord::into_row)
}

/// How many live leads the query matches, from the counts the database keeps
/// per assignee and status (exact, and read in a few rows whatever the
/// number of leads); `None` when a search or the archive needs counting.
async fn kept_count(db: &Db, scope: &RecordScope, query: &LeadQuery) -> AppResult<Option<i64>> {
    if !query.search.is_empty() || query.archived {
        return Ok(None);
    }
    let mut filter = Filter::new();
    filter.scope(scope, "c.assignee_id");
    if let Some(status) = query.status {
        filter.push("c.status = ?", Some(status.as_str().to_owned()));
    }
    if let (Some(agent), RecordScope::Everything) = (&query.agent, scope) {
        filter.push("c.assignee_id = ?", Some(agent.to_string()));
    }
    let sql = format!(
        "SELECT CAST(COALESCE(SUM(c.n), 0) AS BIGINT) FROM lead_status_counts c WHERE {}",
        filter.sql()
    );
    let (total,): (i64,) = sqlx::query_as_with(&sql, filter.args).fetch_one(&db.pool).await?;
    Ok(Some(total))
}
