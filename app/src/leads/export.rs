//! CSV export of a lead list: the same search, filters, sort and scope as the page.

use super::store::{list_filter, order};
use super::{LeadFilters, LeadQuery, LeadStatus};
use crate::auth::policy::RecordScope;
use crate::components::format_time_in;
use crate::db::Backend;
use crate::export::{CsvRecord, Export};
use crate::sql::SearchPath;
use sqlx::any::AnyArguments;

impl Export for LeadFilters {
    const NAME: &'static str = "leads";
    const HEADER: &'static [&'static str] = &[
        "Name",
        "Email",
        "Phone",
        "Company",
        "Source",
        "Status",
        "Assigned to",
        "Created (UTC)",
        "Updated (UTC)",
    ];
    type Record = ExportRecord;

    fn select(
        backend: Backend,
        scope: &RecordScope,
        query: &LeadQuery,
    ) -> (String, AnyArguments<'static>) {
        // Rows leave in sort order as they are read, so nothing piles up in memory.
        let filter = list_filter(backend, scope, query, SearchPath::BySortOrder);
        let sql = format!(
            "SELECT l.name, l.email, l.phone, l.company, l.source, l.status, u.name AS assignee_name, l.created_at, l.updated_at \
             FROM leads l JOIN users u ON u.id = l.assignee_id WHERE {} ORDER BY {}",
            filter.sql(),
            order(query).sql()
        );
        (sql, filter.args)
    }
}

#[derive(sqlx::FromRow)]
pub struct ExportRecord {
    name: String,
    email: String,
    phone: String,
    company: String,
    source: String,
    status: String,
    assignee_name: String,
    created_at: i64,
    updated_at: i64,
}

impl CsvRecord for ExportRecord {
    fn cells(self) -> Vec<String> {
        let status = self
            .status
            .parse::<LeadStatus>()
            .map_or(self.status.clone(), |s| s.label().to_owned());
        vec![
            self.name,
            self.email,
            self.phone,
            self.company,
            self.source,
            status,
            self.assignee_name,
            format_time_in("UTC", self.created_at),
            format_time_in("UTC", self.updated_at),
        ]
    }
}
