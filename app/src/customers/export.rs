//! CSV export of a customer list: the same search, filters, sort and scope as the page.

use super::store::{list_filter, order};
use super::{CustomerFilters, CustomerQuery};
use crate::auth::policy::RecordScope;
use crate::db::Backend;
use crate::export::{Column, Export};
use crate::sql::SearchPath;
use sqlx::any::AnyArguments;

impl Export for CustomerFilters {
    const NAME: &'static str = "customers";
    const COLUMNS: &'static [Column] = &[
        Column::text("Name", "c.name"),
        Column::text("Email", "c.email"),
        Column::text("Phone", "c.phone"),
        Column::text("Company", "c.company"),
        Column::text("Tags", "c.tags"),
        Column::text("Owner", "u.name"),
        Column::time("Created (UTC)", "c.created_at"),
        Column::time("Updated (UTC)", "c.updated_at"),
    ];

    /// The page's rows in its order, read as they stream out.
    fn rows(
        backend: Backend,
        scope: &RecordScope,
        query: &CustomerQuery,
        ids: &[String],
    ) -> (String, AnyArguments<'static>) {
        let mut filter = list_filter(backend, scope, query, SearchPath::BySortOrder);
        if !ids.is_empty() {
            filter.push_one_of(backend, "c.id", ids);
        }
        let sql = format!(
            "FROM customers c JOIN users u ON u.id = c.owner_id WHERE {} ORDER BY {}",
            filter.sql(),
            order(query).sql()
        );
        (sql, filter.args)
    }
}
