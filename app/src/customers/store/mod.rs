//! SQL for customers, one part per file: the list with its counts and tags,
//! and the changes a person makes (one customer or many); here what they share (the list's filter and
//! order, reading a customer, its tags, bulk inserts).

mod bulk;
mod changes;
mod list;

pub use bulk::{change_many, selected};
pub use changes::create;
pub use changes::{update, update_imported};
pub use list::list;
pub use list::live_counts;
pub use list::tags_in_use;

use super::{
    join_tags, split_tags, Customer, CustomerDraft, CustomerFilters, CustomerId, CustomerPage,
    CustomerQuery, CustomerRow, CustomerSort,
};
use crate::activity::store::NewEntry;
use crate::activity::{Action, EntityType};
use crate::auth::policy::RecordScope;
use crate::auth::{UserId, Viewer};
use crate::db::{check_current, new_id, now_ms, Backend, Db, SetAside};
use crate::error::{AppError, AppResult};
use crate::ids::LeadId;
use crate::list::Page;
use crate::sql::{insert_rows, Filter, Order, SearchIndex, SearchPath, Update};
use sqlx::AnyConnection;
use sqlx::Arguments;

/// Where customer searches look.
const SEARCH: SearchIndex = SearchIndex { alias: "c", fts_table: "customer_search" };

pub(super) fn list_filter(
    backend: Backend,
    scope: &RecordScope,
    query: &CustomerQuery,
    path: SearchPath,
) -> Filter {
    let mut filter = Filter::new();
    let archived = query.archived && *scope == RecordScope::Everything;
    filter.push(if archived { "c.archived_at IS NOT NULL" } else { "c.archived_at IS NULL" }, None);
    filter.scope(scope, "c.owner_id");
    if let (Some(owner), RecordScope::Everything) = (&query.owner, scope) {
        filter.push("c.owner_id = ?", Some(owner.to_string()));
    }
    if let Some(tag) = &query.tag {
        filter.push(
            // Checked per customer (one seek in the tag's key), not by reading
            // every customer with the tag: the list's order leads.
            "EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = c.id AND t.tag = ?)",
            Some(tag.clone()),
        );
    }
    if !query.search.is_empty() {
        SEARCH.push(&mut filter, backend, &query.search, path);
    }
    filter
}

/// The order of a customer list: its sort column, then the id (owners: their
/// name, then which owner, so each one's customers stay together).
pub(super) fn order(query: &CustomerQuery) -> Order {
    let desc = query.descending;
    let order = Order::default();
    let order = match query.sort {
        CustomerSort::Name => order.text("c.name", desc),
        CustomerSort::Company => order.text("c.company", desc),
        CustomerSort::Owner => order.text("u.name", desc).text("c.owner_id", desc),
        CustomerSort::Created => order.number("c.created_at", desc),
        CustomerSort::Updated => order.number("c.updated_at", desc),
    };
    order.text("c.id", desc)
}

#[derive(sqlx::FromRow)]
struct CustomerRecord {
    id: CustomerId,
    name: String,
    email: String,
    phone: String,
    company: String,
    tags: String,
    owner_id: UserId,
    owner_name: String,
    lead_id: Option<LeadId>,
    lead_name: Option<String>,
    version: i64,
    archived_at: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

/// The customer, if it exists and the viewer may see it; otherwise `NotFound`.
pub async fn get(
    conn: &mut AnyConnection,
    scope: &RecordScope,
    id: &CustomerId,
) -> AppResult<Customer> {
    let mut filter = Filter::new();
    filter.push("c.id = ?", Some(id.to_string()));
    filter.scope(scope, "c.owner_id");
    let sql = format!(
        "SELECT c.id, c.name, c.email, c.phone, c.company, c.tags, c.owner_id, u.name AS owner_name, \
         c.lead_id, l.name AS lead_name, c.version, c.archived_at, c.created_at, c.updated_at \
         FROM customers c JOIN users u ON u.id = c.owner_id LEFT JOIN leads l ON l.id = c.lead_id WHERE {}",
        filter.sql()
    );
    let r: CustomerRecord = sqlx::query_as_with(&sql, filter.args)
        .fetch_optional(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Customer {
        id: r.id,
        tags: split_tags(&r.tags),
        name: r.name,
        email: r.email,
        phone: r.phone,
        company: r.company,
        owner_id: r.owner_id,
        owner_name: r.owner_name,
        lead: r.lead_id.zip(r.lead_name),
        version: r.version,
        archived: r.archived_at.is_some(),
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

/// Replaces a customer's tag rows with `tags`.
async fn write_tags(conn: &mut AnyConnection, id: &str, tags: &[String]) -> AppResult<()> {
    sqlx::query("DELETE FROM customer_tags WHERE customer_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for tag in tags {
        sqlx::query("INSERT INTO customer_tags (customer_id, tag) VALUES ($1, $2)")
            .bind(id)
            .bind(tag)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The customer for a change: visible to the viewer, not archived, and (when
/// `expected_version` is given) unchanged since the viewer saw it.
async fn editable(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &CustomerId,
    expected_version: Option<i64>,
) -> AppResult<Customer> {
    let customer = get(conn, &RecordScope::of(viewer), id).await?;
    let state = (customer.archived, customer.version);
    check_current("customer", state, expected_version, "changing it")?;
    Ok(customer)
}

fn stale() -> AppError {
    crate::db::stale("customer")
}

/// A customer as written by bulk loads (benchmark data sets).
pub struct ImportedCustomer {
    pub draft: CustomerDraft,
    pub owner_id: String,
    pub created_at: i64,
}

/// The indexes that only sort the customers list, on values in no order: a long
/// import puts them off (`Db::put_off_indexes`), as for leads.
pub const SORT_INDEXES: &[&str] = &[
    "customers_name_idx",
    "customers_company_idx",
    "customers_owner_name_idx",
    "customers_owner_company_idx",
];

/// What a bulk load of customers (seeding, imports) sets aside in the caller's
/// transaction (`BulkLoad`): the search index catches up once at the end instead of row by row.
pub const SET_ASIDE: SetAside = SetAside {
    table: "customers",
    sqlite_triggers: &["customer_search_insert"],
    sqlite_catch_up: &["INSERT INTO customer_search (rowid, search_text) \
                        SELECT rowid, search_text FROM customers WHERE rowid >= $1"],
    postgres_triggers: &[],
    postgres_catch_up: &[],
};

/// Inserts many customers with their tags in the caller's transaction, without
/// logging each, with multi-row statements; gives their new ids in order.
pub async fn insert_many(
    conn: &mut AnyConnection,
    customers: &[ImportedCustomer],
) -> AppResult<Vec<CustomerId>> {
    let rows: Vec<(String, &ImportedCustomer)> = customers.iter().map(|c| (new_id(), c)).collect();
    let columns = [
        "id",
        "name",
        "email",
        "phone",
        "company",
        "tags",
        "search_text",
        "owner_id",
        "version",
        "created_at",
        "updated_at",
    ];
    insert_rows(conn, "customers", &columns, &rows, |(id, customer), args| {
        let draft = &customer.draft;
        let _ = args.add(id.clone());
        let _ = args.add(draft.name.clone());
        let _ = args.add(draft.email_str().to_owned());
        let _ = args.add(draft.phone.clone());
        let _ = args.add(draft.company.clone());
        let _ = args.add(join_tags(&draft.tags));
        let _ = args.add(draft.search_text());
        let _ = args.add(customer.owner_id.clone());
        let _ = args.add(1_i64);
        let _ = args.add(customer.created_at);
        let _ = args.add(customer.created_at);
    })
    .await?;
    let tags: Vec<(&String, &String)> = rows
        .iter()
        .flat_map(|(id, customer)| customer.draft.tags.iter().map(move |tag| (id, tag)))
        .collect();
    insert_rows(conn, "customer_tags", &["customer_id", "tag"], &tags, |(id, tag), args| {
        let _ = args.add((*id).clone());
        let _ = args.add((*tag).clone());
    })
    .await?;
    Ok(rows.into_iter().map(|(id, _)| CustomerId::from(id)).collect())
}
