//! The leads list in the viewer's scope: search, filters, sort and paging.

use super::*;

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

/// One page of the leads the viewer may see, and how many match in all.
pub async fn list(db: &Db, scope: &RecordScope, query: &LeadQuery) -> AppResult<LeadPage> {
    let count_filter = list_filter(db.backend, scope, query, SearchPath::ByMatch);
    let (total, more) = crate::sql::capped_count(db, "leads l", count_filter).await?;
    let filter = list_filter(db.backend, scope, query, SearchPath::for_total(total));
    let where_sql = filter.sql();
    let offset = crate::list::offset(query.page, query.per_page);
    let rows_sql = format!(
        "SELECT l.id, l.name, l.email, l.company, l.status, u.name AS assignee_name, l.version, l.created_at \
         FROM leads l JOIN users u ON u.id = l.assignee_id WHERE {where_sql} ORDER BY {} LIMIT {} OFFSET {offset}",
        order_by(query),
        query.per_page,
    );
    let records: Vec<RowRecord> = sqlx::query_as_with(&rows_sql, filter.args)
        .fetch_all(&db.pool)
        .await?;
    let rows = records
        .into_iter()
        .map(|r| {
            Ok(LeadRow {
                id: r.id,
                status: parse_status(&r.status)?,
                name: r.name,
                email: r.email,
                company: r.company,
                assignee_name: r.assignee_name,
                version: r.version,
                created_at: r.created_at,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(LeadPage {
        rows,
        total,
        more,
        query: query.clone(),
    })
}
