//! CSV export of a customer list: the same search, filters, sort and scope as the page.

use super::store::{list_filter, order};
use super::{CustomerFilters, CustomerQuery};
use crate::auth::policy::RecordScope;
use crate::components::format_time_in;
use crate::db::Backend;
use crate::export::{CsvRecord, Export};
use crate::sql::SearchPath;
use sqlx::any::AnyArguments;

impl Export for CustomerFilters {
    const NAME: &'static str = "customers";
    const HEADER: &'static [&'static str] = &[
        "Name",
        "Email",
        "Phone",
        "Company",
        "Tags",
        "Owner",
        "Created (UTC)",
        "Updated (UTC)",
    ];
    type Record = ExportRecord;

    fn select(
        backend: Backend,
        scope: &RecordScope,
        query: &CustomerQuery,
    ) -> (String, AnyArguments<'static>) {
        let filter = list_filter(backend, scope, query, SearchPath::BySortOrder);
        let sql = format!(
            "SELECT c.name, c.email, c.phone, c.company, c.tags, u.name AS owner_name, c.created_at, c.updated_at \
             FROM customers c JOIN users u ON u.id = c.owner_id WHERE {} ORDER BY {}",
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
    tags: String,
    owner_name: String,
    created_at: i64,
    updated_at: i64,
}

impl CsvRecord for ExportRecord {
    fn cells(self) -> Vec<String> {
        vec![
            self.name,
            self.email,
            self.phone,
            self.company,
            self.tags,
            self.owner_name,
            format_time_in("UTC", self.created_at),
            format_time_in("UTC", self.updated_at),
        ]
    }
}
