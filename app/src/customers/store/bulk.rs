//! Changing many customers at once from the list (`records::bulk`).

use super::*;
use crate::list::Selection;
use crate::records::bulk::{self, BulkSource, RecordChange};
use crate::records::RecordRef;

const SOURCE: BulkSource = BulkSource {
    from: "customers c JOIN users u ON u.id = c.owner_id",
    alias: "c",
    owner: "owner_id",
    what: "customers",
    name: "name",
    archived: true,
};

/// The live customers in the viewer's scope that `selection` names, with their
/// names, in the list's order.
pub async fn selected(
    conn: &mut AnyConnection,
    scope: &RecordScope,
    selection: &Selection<CustomerFilters>,
) -> AppResult<Vec<(CustomerId, String)>> {
    let matching = |backend, query: &CustomerQuery| {
        let filters = CustomerFilters { archived: false, ..query.filters.clone() };
        let query = CustomerQuery { filters, ..query.clone() };
        (list_filter(backend, scope, &query, SearchPath::BySortOrder), order(&query).sql())
    };
    let customers = bulk::selected(conn, &SOURCE, scope, selection, matching).await?;
    Ok(customers.into_iter().map(|(id, name)| (CustomerId::from(id), name)).collect())
}

/// Changes each of `customers` as the viewer would on its own page.
pub async fn change_many(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    customers: &[CustomerId],
    change: &RecordChange,
) -> AppResult<()> {
    for id in customers {
        change.apply(conn, viewer, &RecordRef::Customer(id.clone())).await?;
    }
    Ok(())
}
