//! SQL for customers. Every read and write is scoped by `RecordScope` inside
//! the query: an agent's query cannot reach another agent's customer.

use super::{
    join_tags, split_tags, Customer, CustomerDraft, CustomerId, CustomerPage, CustomerQuery,
    CustomerRow, CustomerSort,
};
use crate::activity::store::{record, NewEntry};
use crate::activity::{Action, EntityType};
use crate::auth::policy::RecordScope;
use crate::auth::{UserId, Viewer};
use crate::db::{applied, new_id, now_ms, Backend, Db};
use crate::error::{AppError, AppResult};
use crate::leads::LeadId;
use crate::sql::{Filter, SearchIndex, SearchPath};
use sqlx::AnyConnection;

/// Where customer searches look.
const SEARCH: SearchIndex = SearchIndex {
    alias: "c",
    fts_table: "customer_search",
};

pub(super) fn list_filter(
    backend: Backend,
    scope: &RecordScope,
    query: &CustomerQuery,
    path: SearchPath,
) -> Filter {
    let mut filter = Filter::new();
    let archived = query.archived && *scope == RecordScope::Everything;
    filter.push(
        if archived {
            "c.archived_at IS NOT NULL"
        } else {
            "c.archived_at IS NULL"
        },
        None,
    );
    filter.scope(scope, "c.owner_id");
    if let (Some(owner), RecordScope::Everything) = (&query.owner, scope) {
        filter.push("c.owner_id = ?", Some(owner.clone()));
    }
    if let Some(tag) = &query.tag {
        filter.push(
            "c.id IN (SELECT customer_id FROM customer_tags WHERE tag = ?)",
            Some(tag.clone()),
        );
    }
    if !query.search.is_empty() {
        SEARCH.push(&mut filter, backend, &query.search, path);
    }
    filter
}

pub(super) fn order_by(query: &CustomerQuery) -> String {
    let column = match query.sort {
        CustomerSort::Name => "c.name",
        CustomerSort::Company => "c.company",
        CustomerSort::Owner => "u.name",
        CustomerSort::Created => "c.created_at",
        CustomerSort::Updated => "c.updated_at",
    };
    let direction = if query.descending { "DESC" } else { "ASC" };
    format!("{column} {direction}, c.id {direction}")
}

#[derive(sqlx::FromRow)]
struct RowRecord {
    id: String,
    name: String,
    email: String,
    company: String,
    tags: String,
    owner_name: String,
    created_at: i64,
}

/// One page of the customers the viewer may see, and how many match in all.
pub async fn list(db: &Db, scope: &RecordScope, query: &CustomerQuery) -> AppResult<CustomerPage> {
    let count_filter = list_filter(db.backend, scope, query, SearchPath::ByMatch);
    let count_sql = format!(
        "SELECT COUNT(*) FROM customers c WHERE {}",
        count_filter.sql()
    );
    let (total,): (i64,) = sqlx::query_as_with(&count_sql, count_filter.args)
        .fetch_one(&db.pool)
        .await?;
    let filter = list_filter(db.backend, scope, query, SearchPath::for_total(total));
    let rows_sql = format!(
        "SELECT c.id, c.name, c.email, c.company, c.tags, u.name AS owner_name, c.created_at \
         FROM customers c JOIN users u ON u.id = c.owner_id WHERE {} ORDER BY {} LIMIT {} OFFSET {}",
        filter.sql(),
        order_by(query),
        query.per_page,
        crate::list::offset(query.page, query.per_page),
    );
    let records: Vec<RowRecord> = sqlx::query_as_with(&rows_sql, filter.args)
        .fetch_all(&db.pool)
        .await?;
    let rows = records
        .into_iter()
        .map(|r| CustomerRow {
            id: CustomerId(r.id),
            tags: split_tags(&r.tags),
            name: r.name,
            email: r.email,
            company: r.company,
            owner_name: r.owner_name,
            created_at: r.created_at,
        })
        .collect();
    Ok(CustomerPage {
        rows,
        total,
        query: query.clone(),
    })
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
    Ok(sqlx::query_as_with(&sql, filter.args)
        .fetch_all(&db.pool)
        .await?)
}

/// The tags on the customers the viewer may see, for the tag filter. The tag
/// index is walked one distinct tag at a time (a seek per tag, not a read of
/// every tagged customer); for agents each tag is kept if one of their live
/// customers carries it.
pub async fn tags_in_use(db: &Db, scope: &RecordScope) -> AppResult<Vec<String>> {
    let mut filter = Filter::new();
    filter.push("w.tag IS NOT NULL", None);
    if let RecordScope::OwnedBy(owner) = scope {
        filter.push(
            "EXISTS (SELECT 1 FROM customer_tags t JOIN customers c ON c.id = t.customer_id \
             WHERE t.tag = w.tag AND c.owner_id = ? AND c.archived_at IS NULL)",
            Some(owner.0.clone()),
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
    let rows: Vec<(String,)> = sqlx::query_as_with(&sql, filter.args)
        .fetch_all(&db.pool)
        .await?;
    Ok(rows.into_iter().map(|(tag,)| tag).collect())
}

#[derive(sqlx::FromRow)]
struct CustomerRecord {
    id: String,
    name: String,
    email: String,
    phone: String,
    company: String,
    tags: String,
    owner_id: String,
    owner_name: String,
    lead_id: Option<String>,
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
    filter.push("c.id = ?", Some(id.0.clone()));
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
        id: CustomerId(r.id),
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

fn entry<'a>(
    viewer: &'a Viewer,
    action: Action,
    id: &'a str,
    label: &'a str,
    changes: Option<String>,
) -> NewEntry<'a> {
    NewEntry {
        actor_id: Some(&viewer.id.0),
        actor_name: &viewer.name,
        action,
        entity_type: EntityType::Customer,
        entity_id: Some(id),
        label,
        changes,
    }
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

/// Inserts a customer owned by `owner` and logs it, in the caller's transaction.
/// Converting a lead passes `from_lead`; a lead converts once, so a second
/// (or simultaneous) conversion is refused by the unique `lead_id`.
pub async fn create(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    draft: &CustomerDraft,
    owner: &UserId,
    from_lead: Option<&LeadId>,
) -> AppResult<CustomerId> {
    let id = new_id();
    let now = now_ms();
    let inserted = sqlx::query(
        "INSERT INTO customers (id, name, email, phone, company, tags, search_text, owner_id, lead_id, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $10) ON CONFLICT (lead_id) DO NOTHING",
    )
    .bind(&id)
    .bind(&draft.name)
    .bind(draft.email_str())
    .bind(&draft.phone)
    .bind(&draft.company)
    .bind(join_tags(&draft.tags))
    .bind(draft.search_text())
    .bind(&owner.0)
    .bind(from_lead.map(|l| l.0.clone()))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(AppError::Conflict(
            "This lead has already been converted to a customer.".into(),
        ));
    }
    write_tags(conn, &id, &draft.tags).await?;
    record(conn, entry(viewer, Action::Create, &id, &draft.name, None)).await?;
    Ok(CustomerId(id))
}

/// The fields that changed between `before` and `draft`, as `field → [old, new]` JSON.
fn changes(before: &Customer, draft: &CustomerDraft) -> Option<String> {
    let (old_tags, new_tags) = (join_tags(&before.tags), join_tags(&draft.tags));
    let pairs = [
        ("name", before.name.as_str(), draft.name.as_str()),
        ("email", before.email.as_str(), draft.email_str()),
        ("phone", before.phone.as_str(), draft.phone.as_str()),
        ("company", before.company.as_str(), draft.company.as_str()),
        ("tags", old_tags.as_str(), new_tags.as_str()),
    ];
    crate::activity::store::changes_json(&pairs)
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
    if customer.archived {
        return Err(AppError::Conflict(
            "This customer is archived. Restore it before changing it.".into(),
        ));
    }
    if expected_version.is_some_and(|v| v != customer.version) {
        return Err(stale());
    }
    Ok(customer)
}

fn stale() -> AppError {
    AppError::Conflict(
        "Someone else changed this customer after you opened it. Reload to see their changes, then edit again.".into(),
    )
}

/// Saves an edit made on `expected_version`; a newer save by someone else, or an
/// archived customer, refuses it with `Conflict` and nothing is written.
pub async fn update(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &CustomerId,
    expected_version: i64,
    draft: &CustomerDraft,
) -> AppResult<()> {
    let before = editable(conn, viewer, id, Some(expected_version)).await?;
    let Some(changes) = changes(&before, draft) else {
        return Ok(());
    };
    let updated = sqlx::query(
        "UPDATE customers SET name = $1, email = $2, phone = $3, company = $4, tags = $5, search_text = $6, \
         version = version + 1, updated_at = $7 WHERE id = $8 AND version = $9 AND archived_at IS NULL",
    )
    .bind(&draft.name)
    .bind(draft.email_str())
    .bind(&draft.phone)
    .bind(&draft.company)
    .bind(join_tags(&draft.tags))
    .bind(draft.search_text())
    .bind(now_ms())
    .bind(&id.0)
    .bind(expected_version)
    .execute(&mut *conn)
    .await?;
    applied(updated, stale)?;
    if before.tags != draft.tags {
        write_tags(conn, &id.0, &draft.tags).await?;
    }
    record(
        conn,
        entry(viewer, Action::Update, &id.0, &draft.name, Some(changes)),
    )
    .await?;
    Ok(())
}

/// Archives (`archive = true`) or restores a customer the viewer may see.
pub async fn set_archived(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &CustomerId,
    archive: bool,
) -> AppResult<()> {
    let customer = get(conn, &RecordScope::of(viewer), id).await?;
    if customer.archived == archive {
        return Ok(());
    }
    let record_ref = crate::records::RecordRef::Customer(id.0.clone());
    let action = crate::records::write_archived(conn, &record_ref, archive).await?;
    record(conn, entry(viewer, action, &id.0, &customer.name, None)).await?;
    Ok(())
}

/// Gives a customer to another active team member (admins), logged as an assignment.
pub async fn assign(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &CustomerId,
    owner: &UserId,
) -> AppResult<()> {
    let customer = editable(conn, viewer, id, None).await?;
    if customer.owner_id == owner.0 {
        return Ok(());
    }
    let new_name =
        crate::users::store::hand_over(conn, "customers", "owner_id", &id.0, owner).await?;
    let change = serde_json::json!({ "owner": [customer.owner_name, new_name] }).to_string();
    record(
        conn,
        entry(viewer, Action::Assign, &id.0, &customer.name, Some(change)),
    )
    .await?;
    Ok(())
}

/// A customer as written by bulk loads (benchmark data sets).
pub struct ImportedCustomer {
    pub draft: CustomerDraft,
    pub owner_id: String,
    pub created_at: i64,
}

/// Inserts many customers with their tags in the caller's transaction, without logging each.
pub async fn insert_many(
    conn: &mut AnyConnection,
    customers: &[ImportedCustomer],
) -> AppResult<()> {
    for customer in customers {
        let id = new_id();
        let draft = &customer.draft;
        sqlx::query(
            "INSERT INTO customers (id, name, email, phone, company, tags, search_text, owner_id, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9)",
        )
        .bind(&id)
        .bind(&draft.name)
        .bind(draft.email_str())
        .bind(&draft.phone)
        .bind(&draft.company)
        .bind(join_tags(&draft.tags))
        .bind(draft.search_text())
        .bind(&customer.owner_id)
        .bind(customer.created_at)
        .execute(&mut *conn)
        .await?;
        write_tags(conn, &id, &draft.tags).await?;
    }
    Ok(())
}
