//! CSV export of a lead list: the same search, filters, sort and scope as the page.

use super::store::{list_filter, order};
use super::{LeadFilters, LeadQuery, LeadStatus};
use crate::auth::policy::RecordScope;
use crate::db::Backend;
use crate::export::{Column, Export};
use crate::sql::SearchPath;
use sqlx::any::AnyArguments;

impl Export for LeadFilters {
    const NAME: &'static str = "leads";
    const COLUMNS: &'static [Column] = &[
        Column::text("Name", "l.name"),
        Column::text("Email", "l.email"),
        Column::text("Phone", "l.phone"),
        Column::text("Company", "l.company"),
        Column::text("Source", "l.source"),
        Column::label("Status", "l.status", |stored| {
            stored.parse::<LeadStatus>().ok().map(LeadStatus::label)
        }),
        Column::text("Assigned to", "u.name"),
        Column::time("Created (UTC)", "l.created_at"),
        Column::time("Updated (UTC)", "l.updated_at"),
    ];

    fn rows(
        backend: Backend,
        scope: &RecordScope,
        query: &LeadQuery,
        ids: &[String],
    ) -> (String, AnyArguments<'static>) {
        // Rows leave in sort order as they are read, so nothing piles up in memory.
        let mut filter = list_filter(backend, scope, query, SearchPath::BySortOrder);
        if !ids.is_empty() {
            filter.push_one_of(backend, "l.id", ids);
        }
        let (filter_sql, order) = (filter.sql(), order(query).sql());
        let from = "leads l JOIN users u ON u.id = l.assignee_id";
        (format!("FROM {from} WHERE {filter_sql} ORDER BY {order}"), filter.args)
    }
}
