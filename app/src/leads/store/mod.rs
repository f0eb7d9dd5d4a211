//! SQL for leads, one part per file: the list, the changes a person makes (one
//! lead or many), conversion to a customer, and the dashboard's counts; here what
//! they share (the list's filter and order, reading a lead, its columns, bulk inserts).

mod bulk;
mod changes;
mod convert;
mod counts;
mod list;

pub use bulk::{change_many, selected, LeadChange};
pub use changes::create;
pub use changes::set_status;
pub use changes::{update, update_imported};
pub use convert::convert;
pub use counts::created_per_day;
pub use counts::status_counts;
pub use counts::theirs_since;
pub use counts::won_since;
pub use list::list;

use super::{
    DayCount, Lead, LeadDraft, LeadFilters, LeadId, LeadPage, LeadQuery, LeadRow, LeadSort,
    LeadStatus,
};
use crate::activity::store::NewEntry;
use crate::activity::{Action, EntityType};
use crate::auth::policy::RecordScope;
use crate::auth::Checked;
use crate::auth::{UserId, Viewer};
use crate::customers::{CustomerDraft, CustomerForm, CustomerId};
use crate::db::{check_current, new_id, now_ms, Backend, Db, SetAside};
use crate::error::{AppError, AppResult};
use crate::list::Page;
use crate::sql::{insert_rows, placeholders, Filter, Order, SearchIndex, SearchPath, Update};
use sqlx::any::AnyArguments;
use sqlx::{AnyConnection, Arguments};

/// Where lead searches look.
const SEARCH: SearchIndex = SearchIndex { alias: "l", fts_table: "lead_search" };

pub(super) fn list_filter(
    backend: Backend,
    scope: &RecordScope,
    query: &LeadQuery,
    path: SearchPath,
) -> Filter {
    let mut filter = Filter::new();
    let archived = query.archived && *scope == RecordScope::Everything;
    filter.push(if archived { "l.archived_at IS NOT NULL" } else { "l.archived_at IS NULL" }, None);
    filter.scope(scope, "l.assignee_id");
    if let Some(status) = query.status {
        filter.push("l.status = ?", Some(status.as_str().to_owned()));
    }
    if let (Some(agent), RecordScope::Everything) = (&query.agent, scope) {
        filter.push("l.assignee_id = ?", Some(agent.to_string()));
    }
    if !query.search.is_empty() {
        SEARCH.push(&mut filter, backend, &query.search, path);
    }
    filter
}

/// The order of a lead list: its sort column, then the id (statuses: by
/// creation within each, in the same direction; assignees: their name, then
/// which assignee, so each one's leads stay together). Every order but the
/// assignee's has an index (0002, 0010).
pub(super) fn order(query: &LeadQuery) -> Order {
    let desc = query.descending;
    let order = Order::default();
    let order = match query.sort {
        LeadSort::Name => order.text("l.name", desc),
        LeadSort::Company => order.text("l.company", desc),
        LeadSort::Status => order.text("l.status", desc).number("l.created_at", desc),
        LeadSort::Assignee => order.text("u.name", desc).text("l.assignee_id", desc),
        LeadSort::Created => order.number("l.created_at", desc),
        LeadSort::Updated => order.number("l.updated_at", desc),
    };
    order.text("l.id", desc)
}

fn parse_status(raw: &str) -> AppResult<LeadStatus> {
    raw.parse().map_err(|_| AppError::internal("unknown lead status in the database", raw))
}

#[derive(sqlx::FromRow)]
struct LeadRecord {
    id: LeadId,
    name: String,
    email: String,
    phone: String,
    company: String,
    source: String,
    status: String,
    assignee_id: UserId,
    assignee_name: String,
    notes: String,
    customer_id: Option<CustomerId>,
    version: i64,
    archived_at: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

impl LeadRecord {
    fn into_lead(self) -> AppResult<Lead> {
        Ok(Lead {
            id: self.id,
            status: parse_status(&self.status)?,
            name: self.name,
            email: self.email,
            phone: self.phone,
            company: self.company,
            source: self.source,
            assignee_id: self.assignee_id,
            assignee_name: self.assignee_name,
            notes: self.notes,
            customer_id: self.customer_id,
            version: self.version,
            archived: self.archived_at.is_some(),
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// The lead, if it exists and the viewer may see it; otherwise `NotFound`.
pub async fn get(conn: &mut AnyConnection, scope: &RecordScope, id: &LeadId) -> AppResult<Lead> {
    let mut filter = Filter::new();
    filter.push("l.id = ?", Some(id.to_string()));
    filter.scope(scope, "l.assignee_id");
    let sql = format!(
        "SELECT l.id, l.name, l.email, l.phone, l.company, l.source, l.status, l.assignee_id, \
         u.name AS assignee_name, l.notes, l.customer_id, l.version, l.archived_at, l.created_at, l.updated_at \
         FROM leads l JOIN users u ON u.id = l.assignee_id WHERE {}",
        filter.sql()
    );
    let record: Option<LeadRecord> =
        sqlx::query_as_with(&sql, filter.args).fetch_optional(conn).await?;
    record.ok_or(AppError::NotFound)?.into_lead()
}

/// The columns a `LeadDraft` writes, in the order `draft_values` yields them.
const DRAFT_COLUMNS: [&str; 8] =
    ["name", "email", "phone", "company", "source", "status", "notes", "search_text"];

fn draft_values(draft: &LeadDraft) -> [String; 8] {
    [
        draft.name.clone(),
        draft.email.as_ref().map_or(String::new(), |e| e.as_str().to_owned()),
        draft.phone.clone(),
        draft.company.clone(),
        draft.source.clone(),
        draft.status.as_str().to_owned(),
        draft.notes.clone(),
        draft.search_text(),
    ]
}

/// The fields that changed between `before` and `draft`, as `field → [old, new]` JSON.
fn changes(before: &Lead, draft: &LeadDraft) -> Option<String> {
    let email = draft.email.as_ref().map_or("", |e| e.as_str());
    let pairs = [
        ("name", before.name.as_str(), draft.name.as_str()),
        ("email", before.email.as_str(), email),
        ("phone", before.phone.as_str(), draft.phone.as_str()),
        ("company", before.company.as_str(), draft.company.as_str()),
        ("source", before.source.as_str(), draft.source.as_str()),
        ("status", before.status.label(), draft.status.label()),
        ("background", before.notes.as_str(), draft.notes.as_str()),
    ];
    crate::activity::store::changes_json(&pairs)
}

fn stale() -> AppError {
    crate::db::stale("lead")
}

/// A lead as written by bulk loads (demo data, benchmark data sets).
pub struct ImportedLead {
    pub draft: LeadDraft,
    pub assignee_id: String,
    pub created_at: i64,
}

/// Leads a caller hands to `insert_many` at a time.
pub const IMPORT_BATCH: usize = 1000;

/// Inserts many leads with multi-row statements, in the caller's transaction, without
/// logging them; gives their new ids in order.
pub async fn insert_many(
    conn: &mut AnyConnection,
    leads: &[ImportedLead],
) -> AppResult<Vec<LeadId>> {
    let columns: Vec<&str> = DRAFT_COLUMNS
        .into_iter()
        .chain(["id", "assignee_id", "created_at", "updated_at", "won_at", "version"])
        .collect();
    let rows: Vec<(LeadId, &ImportedLead)> =
        leads.iter().map(|l| (LeadId::generate(), l)).collect();
    insert_rows(conn, "leads", &columns, &rows, |(id, lead), args| {
        for value in draft_values(&lead.draft) {
            let _ = args.add(value);
        }
        let _ = args.add(id.to_string());
        let _ = args.add(lead.assignee_id.clone());
        let _ = args.add(lead.created_at);
        let _ = args.add(lead.created_at);
        // Won when created, as the database's own rule would record it,
        // without going back to each row.
        let won = lead.draft.status == LeadStatus::Won;
        let _ = args.add(won.then_some(lead.created_at));
        let _ = args.add(1_i64);
    })
    .await?;
    Ok(rows.into_iter().map(|(id, _)| id).collect())
}

/// The indexes that only sort the leads list, on values in no order (names,
/// companies): a long import puts them off (`Db::put_off_indexes`). The email and
/// phone indexes stay, as the import looks its duplicates up by them.
pub const SORT_INDEXES: &[&str] = &[
    "leads_name_idx",
    "leads_company_idx",
    "leads_assignee_name_idx",
    "leads_assignee_company_idx",
];

/// What a bulk load of leads (seeding, imports) sets aside in the caller's
/// transaction (`BulkLoad`): the search index and the kept counts catch up once at
/// the end instead of row by row.
pub const SET_ASIDE: SetAside = SetAside {
    table: "leads",
    sqlite_triggers: &["lead_search_insert", "leads_counts_insert"],
    sqlite_catch_up: &[
        "INSERT INTO lead_search (rowid, search_text) SELECT rowid, search_text FROM leads WHERE rowid >= $1",
        "INSERT INTO lead_status_counts (assignee_id, status, n) \
         SELECT assignee_id, status, COUNT(*) FROM leads WHERE rowid >= $1 AND archived_at IS NULL \
         GROUP BY assignee_id, status \
         ON CONFLICT (assignee_id, status) DO UPDATE SET n = n + excluded.n",
        "INSERT INTO lead_created_counts (slot, assignee_id, n) \
         SELECT created_at / 900000, assignee_id, COUNT(*) FROM leads WHERE rowid >= $1 AND archived_at IS NULL \
         GROUP BY created_at / 900000, assignee_id \
         ON CONFLICT (slot, assignee_id) DO UPDATE SET n = n + excluded.n",
    ],
    postgres_triggers: &["leads_keep_counts"],
    postgres_catch_up: &[
        "DELETE FROM lead_status_counts",
        "INSERT INTO lead_status_counts (assignee_id, status, n) \
         SELECT assignee_id, status, COUNT(*) FROM leads WHERE archived_at IS NULL \
         GROUP BY assignee_id, status",
        "DELETE FROM lead_created_counts",
        "INSERT INTO lead_created_counts (slot, assignee_id, n) \
         SELECT created_at / 900000, assignee_id, COUNT(*) FROM leads WHERE archived_at IS NULL \
         GROUP BY created_at / 900000, assignee_id",
    ],
};
