//! SQL for leads. Every read and write is scoped by `RecordScope` inside the
//! query, so an agent's query simply cannot reach another agent's lead.

use super::{
    DayCount, Lead, LeadDraft, LeadId, LeadPage, LeadQuery, LeadRow, LeadSort, LeadStatus,
};
use crate::activity::store::{record, NewEntry};
use crate::activity::{Action, EntityType};
use crate::auth::policy::RecordScope;
use crate::auth::{UserId, Viewer};
use crate::customers::{CustomerDraft, CustomerId};
use crate::db::{applied, new_id, now_ms, Backend, Db};
use crate::error::{AppError, AppResult};
use crate::sql::{placeholders, Filter, SearchIndex, SearchPath};
use sqlx::any::AnyArguments;
use sqlx::{AnyConnection, Arguments};

/// Where lead searches look.
const SEARCH: SearchIndex = SearchIndex {
    alias: "l",
    fts_table: "lead_search",
};

pub(super) fn list_filter(
    backend: Backend,
    scope: &RecordScope,
    query: &LeadQuery,
    path: SearchPath,
) -> Filter {
    let mut filter = Filter::new();
    let archived = query.archived && *scope == RecordScope::Everything;
    filter.push(
        if archived {
            "l.archived_at IS NOT NULL"
        } else {
            "l.archived_at IS NULL"
        },
        None,
    );
    filter.scope(scope, "l.assignee_id");
    if let Some(status) = query.status {
        filter.push("l.status = ?", Some(status.as_str().to_owned()));
    }
    if let (Some(agent), RecordScope::Everything) = (&query.agent, scope) {
        filter.push("l.assignee_id = ?", Some(agent.clone()));
    }
    if !query.search.is_empty() {
        SEARCH.push(&mut filter, backend, &query.search, path);
    }
    filter
}

pub(super) fn order_by(query: &LeadQuery) -> String {
    let column = match query.sort {
        LeadSort::Name => "l.name",
        LeadSort::Company => "l.company",
        LeadSort::Status => "l.status",
        LeadSort::Assignee => "u.name",
        LeadSort::Created => "l.created_at",
        LeadSort::Updated => "l.updated_at",
    };
    let direction = if query.descending { "DESC" } else { "ASC" };
    format!("{column} {direction}, l.id {direction}")
}

#[derive(sqlx::FromRow)]
struct RowRecord {
    id: String,
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
    let count_sql = format!("SELECT COUNT(*) FROM leads l WHERE {}", count_filter.sql());
    let (total,): (i64,) = sqlx::query_as_with(&count_sql, count_filter.args)
        .fetch_one(&db.pool)
        .await?;
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
                id: LeadId(r.id),
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
        query: query.clone(),
    })
}

fn parse_status(raw: &str) -> AppResult<LeadStatus> {
    raw.parse()
        .map_err(|_| AppError::internal("unknown lead status in the database", raw))
}

#[derive(sqlx::FromRow)]
struct LeadRecord {
    id: String,
    name: String,
    email: String,
    phone: String,
    company: String,
    source: String,
    status: String,
    assignee_id: String,
    assignee_name: String,
    notes: String,
    customer_id: Option<String>,
    version: i64,
    archived_at: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

impl LeadRecord {
    fn into_lead(self) -> AppResult<Lead> {
        Ok(Lead {
            id: LeadId(self.id),
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
    filter.push("l.id = ?", Some(id.0.clone()));
    filter.scope(scope, "l.assignee_id");
    let sql = format!(
        "SELECT l.id, l.name, l.email, l.phone, l.company, l.source, l.status, l.assignee_id, \
         u.name AS assignee_name, l.notes, l.customer_id, l.version, l.archived_at, l.created_at, l.updated_at \
         FROM leads l JOIN users u ON u.id = l.assignee_id WHERE {}",
        filter.sql()
    );
    let record: Option<LeadRecord> = sqlx::query_as_with(&sql, filter.args)
        .fetch_optional(conn)
        .await?;
    record.ok_or(AppError::NotFound)?.into_lead()
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
        entity_type: EntityType::Lead,
        entity_id: Some(id),
        label,
        changes,
    }
}

/// The columns a `LeadDraft` writes, in the order `draft_values` yields them.
const DRAFT_COLUMNS: [&str; 8] = [
    "name",
    "email",
    "phone",
    "company",
    "source",
    "status",
    "notes",
    "search_text",
];

fn draft_values(draft: &LeadDraft) -> [String; 8] {
    [
        draft.name.clone(),
        draft
            .email
            .as_ref()
            .map_or(String::new(), |e| e.as_str().to_owned()),
        draft.phone.clone(),
        draft.company.clone(),
        draft.source.clone(),
        draft.status.as_str().to_owned(),
        draft.notes.clone(),
        draft.search_text(),
    ]
}

/// Inserts a lead assigned to `assignee` and logs it, in the caller's transaction.
pub async fn create(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    draft: &LeadDraft,
    assignee: &UserId,
) -> AppResult<LeadId> {
    let id = new_id();
    let now = now_ms();
    let sql = format!(
        "INSERT INTO leads ({}, id, assignee_id, created_at, updated_at, version) VALUES ({}, $9, $10, $11, $11, 1)",
        DRAFT_COLUMNS.join(", "),
        placeholders(1, DRAFT_COLUMNS.len())
    );
    let mut args = AnyArguments::default();
    for value in draft_values(draft) {
        let _ = args.add(value);
    }
    let _ = args.add(id.clone());
    let _ = args.add(assignee.0.clone());
    let _ = args.add(now);
    sqlx::query_with(&sql, args).execute(&mut *conn).await?;
    record(conn, entry(viewer, Action::Create, &id, &draft.name, None)).await?;
    Ok(LeadId(id))
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

/// Saves an edit made on `expected_version`. Someone else's newer save, or an
/// archived lead, refuses it with `Conflict`; nothing is written then.
pub async fn update(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &LeadId,
    expected_version: i64,
    draft: &LeadDraft,
) -> AppResult<()> {
    let scope = RecordScope::of(viewer);
    let before = get(conn, &scope, id).await?;
    if before.archived {
        return Err(AppError::Conflict(
            "This lead is archived. Restore it before editing.".into(),
        ));
    }
    if before.version != expected_version {
        return Err(stale());
    }
    let Some(changes) = changes(&before, draft) else {
        return Ok(());
    };
    let assignments = DRAFT_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, column)| format!("{column} = ${}", i + 1))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "UPDATE leads SET {assignments}, version = version + 1, updated_at = $9 \
         WHERE id = $10 AND version = $11 AND archived_at IS NULL"
    );
    let mut args = AnyArguments::default();
    for value in draft_values(draft) {
        let _ = args.add(value);
    }
    let _ = args.add(now_ms());
    let _ = args.add(id.0.clone());
    let _ = args.add(expected_version);
    let updated = sqlx::query_with(&sql, args).execute(&mut *conn).await?;
    applied(updated, stale)?;
    record(
        conn,
        entry(viewer, Action::Update, &id.0, &draft.name, Some(changes)),
    )
    .await?;
    Ok(())
}

/// Moves a lead seen at `expected_version` to another status (the board), logged
/// as a status change. A newer save by someone else refuses it, as for edits.
pub async fn set_status(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &LeadId,
    expected_version: i64,
    status: LeadStatus,
) -> AppResult<()> {
    let before = get(conn, &RecordScope::of(viewer), id).await?;
    if before.archived {
        return Err(AppError::Conflict(
            "This lead is archived. Restore it before moving it.".into(),
        ));
    }
    if before.version != expected_version {
        return Err(stale());
    }
    if before.status == status {
        return Ok(());
    }
    let updated = sqlx::query(
        "UPDATE leads SET status = $1, version = version + 1, updated_at = $2 \
         WHERE id = $3 AND version = $4 AND archived_at IS NULL",
    )
    .bind(status.as_str())
    .bind(now_ms())
    .bind(&id.0)
    .bind(expected_version)
    .execute(&mut *conn)
    .await?;
    applied(updated, stale)?;
    let change =
        serde_json::json!({ "status": [before.status.label(), status.label()] }).to_string();
    record(
        conn,
        entry(
            viewer,
            Action::StatusChange,
            &id.0,
            &before.name,
            Some(change),
        ),
    )
    .await?;
    Ok(())
}

fn stale() -> AppError {
    AppError::Conflict(
        "Someone else changed this lead after you opened it. Reload to see their changes, then edit again.".into(),
    )
}

/// Archives (`archive = true`) or restores a lead the viewer may see.
pub async fn set_archived(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &LeadId,
    archive: bool,
) -> AppResult<()> {
    let lead = get(conn, &RecordScope::of(viewer), id).await?;
    if lead.archived == archive {
        return Ok(());
    }
    let record_ref = crate::records::RecordRef::Lead(id.0.clone());
    let action = crate::records::write_archived(conn, &record_ref, archive).await?;
    record(conn, entry(viewer, action, &id.0, &lead.name, None)).await?;
    Ok(())
}

/// Converts a lead into a customer in the caller's transaction: copies the
/// contact fields, links both ways, marks the lead Closed Won, moves its open
/// tasks to the customer and logs it all. A lead converts once: the customer's
/// unique `lead_id` refuses a second (or simultaneous) conversion.
pub async fn convert(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &LeadId,
) -> AppResult<CustomerId> {
    let lead = get(conn, &RecordScope::of(viewer), id).await?;
    if lead.customer_id.is_some() {
        return Err(AppError::Conflict(
            "This lead has already been converted to a customer.".into(),
        ));
    }
    if lead.archived {
        return Err(AppError::Conflict(
            "This lead is archived. Restore it before converting.".into(),
        ));
    }
    let draft = CustomerDraft::parse(&lead.name, &lead.email, &lead.phone, &lead.company, "")
        .map_err(|e| {
            AppError::internal("a stored lead is not a valid customer", format!("{e:?}"))
        })?;
    let owner = UserId(lead.assignee_id.clone());
    let customer = crate::customers::store::create(conn, viewer, &draft, &owner, Some(id)).await?;
    sqlx::query(
        "UPDATE leads SET customer_id = $1, status = $2, version = version + 1, updated_at = $3 WHERE id = $4 AND customer_id IS NULL",
    )
    .bind(&customer.0)
    .bind(LeadStatus::Won.as_str())
    .bind(now_ms())
    .bind(&id.0)
    .execute(&mut *conn)
    .await?;
    let status_change = (lead.status != LeadStatus::Won).then(|| {
        serde_json::json!({ "status": [lead.status.label(), LeadStatus::Won.label()] }).to_string()
    });
    record(
        conn,
        entry(viewer, Action::Convert, &id.0, &lead.name, status_change),
    )
    .await?;
    crate::tasks::store::move_open_tasks(conn, viewer, id, &customer, &lead.name).await?;
    Ok(customer)
}

/// Gives a lead to another active team member (admins), logged as an assignment.
pub async fn assign(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &LeadId,
    assignee: &UserId,
) -> AppResult<()> {
    let lead = get(conn, &RecordScope::of(viewer), id).await?;
    if lead.archived {
        return Err(AppError::Conflict(
            "This lead is archived. Restore it before assigning it.".into(),
        ));
    }
    if lead.assignee_id == assignee.0 {
        return Ok(());
    }
    let new_name =
        crate::users::store::hand_over(conn, "leads", "assignee_id", &id.0, assignee).await?;
    let change = serde_json::json!({ "assignee": [lead.assignee_name, new_name] }).to_string();
    record(
        conn,
        entry(viewer, Action::Assign, &id.0, &lead.name, Some(change)),
    )
    .await?;
    Ok(())
}

/// Live leads in the viewer's scope per assignee and status, read from the
/// counts the database keeps (migration 0006) rather than counted row by row.
pub async fn status_counts(
    db: &Db,
    scope: &RecordScope,
) -> AppResult<Vec<(String, LeadStatus, i64)>> {
    let mut filter = Filter::new();
    filter.push("c.n > 0", None);
    filter.scope(scope, "c.assignee_id");
    let sql = format!(
        "SELECT c.assignee_id, c.status, c.n FROM lead_status_counts c WHERE {}",
        filter.sql()
    );
    let rows: Vec<(String, String, i64)> = sqlx::query_as_with(&sql, filter.args)
        .fetch_all(&db.pool)
        .await?;
    rows.into_iter()
        .map(|(assignee, status, n)| Ok((assignee, parse_status(&status)?, n)))
        .collect()
}

/// How long one slot of `lead_created_counts` is: 15 minutes, so that every time
/// zone's midnight is a slot boundary.
const CREATED_SLOT_MS: i64 = 15 * 60 * 1000;

/// Live leads in the viewer's scope created on each of the organisation's last
/// `count` days, oldest first (each day bounded by its own start, so
/// clock changes count right), days without leads included.
pub async fn created_per_day(
    db: &Db,
    scope: &RecordScope,
    tz: chrono_tz::Tz,
    now: chrono::DateTime<chrono::Utc>,
    count: u64,
) -> AppResult<Vec<DayCount>> {
    let (days, end) = crate::clock::recent_days(tz, now, count);
    let first = days.first().map_or(end, |d| d.1);
    let mut filter = Filter::new();
    // Slot numbers are integers we computed, written into the SQL.
    filter.push(
        &format!(
            "c.slot >= {} AND c.slot < {}",
            first / CREATED_SLOT_MS,
            end / CREATED_SLOT_MS
        ),
        None,
    );
    filter.scope(scope, "c.assignee_id");
    let sql = format!(
        "SELECT c.slot, CAST(SUM(c.n) AS BIGINT) FROM lead_created_counts c WHERE {} GROUP BY c.slot",
        filter.sql()
    );
    let slots: Vec<(i64, i64)> = sqlx::query_as_with(&sql, filter.args)
        .fetch_all(&db.pool)
        .await?;
    let mut counts = vec![0; days.len()];
    for (slot, n) in slots {
        let at = slot * CREATED_SLOT_MS;
        // The last day whose start is at or before the slot.
        if let Some(day) = days.iter().rposition(|(_, start)| *start <= at) {
            counts[day] += n;
        }
    }
    Ok(days
        .into_iter()
        .zip(counts)
        .map(|((date, _), count)| DayCount {
            date: date.to_string(),
            count,
        })
        .collect())
}

/// Live leads in the viewer's scope won at or after `since`, per assignee.
pub async fn won_since(db: &Db, scope: &RecordScope, since: i64) -> AppResult<Vec<(String, i64)>> {
    let mut filter = Filter::new();
    filter.push("l.archived_at IS NULL", None);
    filter.push(&format!("l.won_at >= {since}"), None);
    filter.scope(scope, "l.assignee_id");
    let sql = format!(
        "SELECT l.assignee_id, COUNT(*) FROM leads l WHERE {} GROUP BY l.assignee_id",
        filter.sql()
    );
    Ok(sqlx::query_as_with(&sql, filter.args)
        .fetch_all(&db.pool)
        .await?)
}

/// A lead as written by bulk loads (demo data, benchmark data sets).
pub struct ImportedLead {
    pub draft: LeadDraft,
    pub assignee_id: String,
    pub created_at: i64,
}

/// Columns per row of a bulk insert; rows per statement stay under SQLite's bind limit.
const IMPORT_COLUMNS: usize = DRAFT_COLUMNS.len() + 4;
pub const IMPORT_BATCH: usize = 1000;

/// Inserts many leads with multi-row statements, in the caller's transaction.
pub async fn insert_many(conn: &mut AnyConnection, leads: &[ImportedLead]) -> AppResult<()> {
    for batch in leads.chunks(IMPORT_BATCH) {
        let rows = (0..batch.len())
            .map(|row| {
                format!(
                    "({}, 1)",
                    placeholders(row * IMPORT_COLUMNS + 1, IMPORT_COLUMNS)
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO leads ({}, id, assignee_id, created_at, updated_at, version) VALUES {rows}",
            DRAFT_COLUMNS.join(", ")
        );
        let mut args = AnyArguments::default();
        for lead in batch {
            for value in draft_values(&lead.draft) {
                let _ = args.add(value);
            }
            let _ = args.add(new_id());
            let _ = args.add(lead.assignee_id.clone());
            let _ = args.add(lead.created_at);
            let _ = args.add(lead.created_at);
        }
        sqlx::query_with(&sql, args).execute(&mut *conn).await?;
    }
    Ok(())
}
