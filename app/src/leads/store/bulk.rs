//! Changing many leads at once from the list (`records::bulk`), with the change
//! only leads have: moving them to a status.

use super::*;
use crate::list::Selection;
use crate::records::bulk::{self, BulkSource, RecordChange};
use crate::records::RecordRef;

const SOURCE: BulkSource = BulkSource {
    from: "leads l JOIN users u ON u.id = l.assignee_id",
    alias: "l",
    owner: "assignee_id",
    what: "leads",
    name: "name",
    archived: true,
};

/// What a bulk action does to each lead.
#[derive(Debug, Clone, PartialEq)]
pub enum LeadChange {
    Record(RecordChange),
    Status(LeadStatus),
}

/// The live leads in the viewer's scope that `selection` names, with their names,
/// in the list's order.
pub async fn selected(
    conn: &mut AnyConnection,
    scope: &RecordScope,
    selection: &Selection<LeadFilters>,
) -> AppResult<Vec<(LeadId, String)>> {
    let matching = |backend, query: &LeadQuery| {
        let filters = LeadFilters { archived: false, ..query.filters.clone() };
        let query = LeadQuery { filters, ..query.clone() };
        (list_filter(backend, scope, &query, SearchPath::BySortOrder), order(&query).sql())
    };
    let leads = bulk::selected(conn, &SOURCE, scope, selection, matching).await?;
    Ok(leads.into_iter().map(|(id, name)| (LeadId::from(id), name)).collect())
}

/// Changes each of `leads` as the viewer would on its own page.
pub async fn change_many(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    leads: &[LeadId],
    change: &LeadChange,
) -> AppResult<()> {
    for id in leads {
        match change {
            LeadChange::Record(change) => {
                change.apply(conn, viewer, &RecordRef::Lead(id.clone())).await?;
            }
            LeadChange::Status(status) => set_status(conn, viewer, id, None, *status).await?,
        }
    }
    Ok(())
}
