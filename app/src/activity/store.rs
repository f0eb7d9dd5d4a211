//! Writes activity entries. There is deliberately no update or delete here:
//! the log is append-only, and each entry is written in the transaction of the
//! change it describes.

use super::{Action, ActivityEntry, ActivityFilters, ActivityPage, ActivityQuery, EntityType};
use crate::auth::Viewer;
use crate::clock;
use crate::db::{new_id, now_ms, Db};
use crate::error::{AppError, AppResult};
use crate::list::Page;
use crate::outbox::{self, EventData, WebhookEvent};
use crate::sql::{Filter, Order};
use chrono::NaiveDate;
use chrono_tz::Tz;
use sqlx::AnyConnection;

pub struct NewEntry<'a> {
    pub actor_id: Option<&'a str>,
    pub actor_name: &'a str,
    pub action: Action,
    pub entity_type: EntityType,
    pub entity_id: Option<&'a str>,
    /// A readable description that outlives the record (e.g. the lead's name).
    pub label: &'a str,
    /// For updates: JSON of the changed fields, old → new.
    pub changes: Option<String>,
}

impl<'a> NewEntry<'a> {
    /// An entry for something `viewer` did to the record `entity` (its type
    /// and id), described by `label`.
    pub fn by(
        viewer: &'a Viewer,
        action: Action,
        (entity_type, entity_id): (EntityType, &'a str),
        label: &'a str,
    ) -> Self {
        Self {
            actor_id: Some(viewer.id.as_str()),
            actor_name: &viewer.name,
            action,
            entity_type,
            entity_id: Some(entity_id),
            label,
            changes: None,
        }
    }

    /// The same entry with the fields that changed (JSON, old → new).
    pub fn changes(self, changes: Option<String>) -> Self {
        Self { changes, ..self }
    }

    /// The same entry with one field that changed, `old` → `new`.
    pub fn changed(self, field: &str, old: &str, new: &str) -> Self {
        self.changes(Some(serde_json::json!({ field: [old, new] }).to_string()))
    }
}

impl NewEntry<'_> {
    /// Appends the entry to the log, in the caller's transaction.
    pub async fn record(self, conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
        let entry = self;
        sqlx::query(
        "INSERT INTO activity (id, at, actor_id, actor_name, action, entity_type, entity_id, label, changes) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(new_id())
    .bind(now_ms())
    .bind(entry.actor_id)
    .bind(entry.actor_name)
    .bind(entry.action.as_str())
    .bind(entry.entity_type.as_str())
    .bind(entry.entity_id)
    .bind(entry.label)
    .bind(&entry.changes)
    .execute(&mut *conn)
    .await?;
        outbox::enqueue(conn, &entry.webhook_events(), &entry.event_data()).await?;
        Ok(())
    }

    /// The webhook events this entry tells of (none for signing in and the like,
    /// nor for the rows of an import).
    fn webhook_events(&self) -> Vec<WebhookEvent> {
        use Action as A;
        use EntityType as T;
        use WebhookEvent as E;
        let changed = self.changed_fields();
        // An import's rows are one `Import` entry's work: no event per row.
        if changed.as_ref().is_some_and(|c| c.contains_key(IMPORTED_FROM)) {
            return Vec::new();
        }
        let status_changed = changed.is_some_and(|c| c.contains_key("status"));
        match (self.entity_type, self.action) {
            (T::Lead, A::Create) => vec![E::LeadCreated],
            (T::Lead, A::Update) if status_changed => vec![E::LeadUpdated, E::LeadStatusChanged],
            (T::Lead, A::Update) => vec![E::LeadUpdated],
            (T::Lead, A::StatusChange) => vec![E::LeadUpdated, E::LeadStatusChanged],
            (T::Lead, A::Assign) => vec![E::LeadAssigned],
            (T::Lead, A::Convert) => vec![E::LeadConverted],
            (T::Lead, A::Archive) => vec![E::LeadArchived],
            (T::Lead, A::Restore) => vec![E::LeadRestored],
            (T::Customer, A::Create) => vec![E::CustomerCreated],
            (T::Customer, A::Update) => vec![E::CustomerUpdated],
            (T::Customer, A::Assign) => vec![E::CustomerAssigned],
            (T::Customer, A::Archive) => vec![E::CustomerArchived],
            (T::Customer, A::Restore) => vec![E::CustomerRestored],
            (T::Task, A::Create) => vec![E::TaskCreated],
            (T::Task, A::Update | A::StatusChange) => vec![E::TaskUpdated],
            (T::Task, A::Assign) => vec![E::TaskAssigned],
            (T::Task, A::Delete) => vec![E::TaskDeleted],
            (T::Lead | T::Customer, A::NoteAdd) => vec![E::NoteCreated],
            (T::Lead | T::Customer, A::NoteEdit) => vec![E::NoteUpdated],
            (T::Lead | T::Customer, A::NoteDelete) => vec![E::NoteDeleted],
            _ => Vec::new(),
        }
    }

    fn changed_fields(&self) -> Option<serde_json::Map<String, serde_json::Value>> {
        self.changes.as_deref().and_then(|c| serde_json::from_str(c).ok())
    }

    fn event_data(&self) -> EventData<'_> {
        EventData {
            record_type: self.entity_type.as_str(),
            record_id: self.entity_id,
            label: self.label,
            actor: outbox::Actor { id: self.actor_id, name: self.actor_name },
            changes: self
                .changed_fields()
                .map_or(serde_json::Value::Null, serde_json::Value::Object),
        }
    }
}

/// Appends many entries at once (an import's records), in the caller's transaction.
pub async fn record_all(
    conn: &mut AnyConnection,
    entries: &[NewEntry<'_>],
) -> Result<(), sqlx::Error> {
    use sqlx::Arguments;
    let columns = [
        "id",
        "at",
        "actor_id",
        "actor_name",
        "action",
        "entity_type",
        "entity_id",
        "label",
        "changes",
    ];
    let now = now_ms();
    crate::sql::insert_rows(conn, "activity", &columns, entries, |entry, args| {
        let _ = args.add(new_id());
        let _ = args.add(now);
        let _ = args.add(entry.actor_id.map(str::to_owned));
        let _ = args.add(entry.actor_name.to_owned());
        let _ = args.add(entry.action.as_str());
        let _ = args.add(entry.entity_type.as_str());
        let _ = args.add(entry.entity_id.map(str::to_owned));
        let _ = args.add(entry.label.to_owned());
        let _ = args.add(entry.changes.clone());
    })
    .await
}

/// The fields whose values differ, as `{"field": [old, new]}` JSON; `None` when nothing changed.
pub fn changes_json(pairs: &[(&str, &str, &str)]) -> Option<String> {
    let changed: serde_json::Map<String, serde_json::Value> = pairs
        .iter()
        .filter(|(_, old, new)| old != new)
        .map(|(field, old, new)| ((*field).to_owned(), serde_json::json!([old, new])))
        .collect();
    (!changed.is_empty()).then(|| serde_json::Value::Object(changed).to_string())
}

/// A record's changes, and the file they were imported from when they were.
pub fn with_origin(changes: String, file: Option<&str>) -> String {
    let Some(file) = file else {
        return changes;
    };
    match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&changes) {
        Ok(mut changed) => {
            changed.insert(IMPORTED_FROM.to_owned(), serde_json::json!(["", file]));
            serde_json::Value::Object(changed).to_string()
        }
        Err(_) => changes,
    }
}

/// How a record's history names the file it was imported from.
pub const IMPORTED_FROM: &str = "imported from";

const ENTRY_COLUMNS: &str =
    "a.id, a.at, a.actor_name, a.action, a.entity_type, a.entity_id, a.label, a.changes";

#[derive(sqlx::FromRow)]
struct EntryRecord {
    id: String,
    at: i64,
    actor_name: String,
    action: String,
    entity_type: String,
    entity_id: Option<String>,
    label: String,
    changes: Option<String>,
}

impl EntryRecord {
    /// The entry, or `None` for an action or record type this version does not know.
    fn into_entry(self) -> Option<ActivityEntry> {
        Some(ActivityEntry {
            id: self.id,
            at: self.at,
            actor_name: self.actor_name,
            action: Action::parse(&self.action)?,
            entity_type: EntityType::parse(&self.entity_type)?,
            entity_id: self.entity_id,
            label: self.label,
            changes: self.changes.as_deref().map(parse_changes).unwrap_or_default(),
        })
    }
}

async fn entries(db: &Db, filter: Filter, tail: &str) -> AppResult<Vec<ActivityEntry>> {
    let sql = format!("SELECT {ENTRY_COLUMNS} FROM activity a WHERE {} {tail}", filter.sql());
    let records: Vec<EntryRecord> =
        sqlx::query_as_with(&sql, filter.args).fetch_all(&db.pool).await?;
    Ok(records.into_iter().filter_map(EntryRecord::into_entry).collect())
}

/// The latest entries about one record, newest first (the caller has checked
/// that the viewer may see the record).
pub async fn for_record(
    db: &Db,
    entity_type: EntityType,
    id: &str,
    limit: i64,
) -> AppResult<Vec<ActivityEntry>> {
    let mut filter = Filter::new();
    filter.push("a.entity_type = ?", Some(entity_type.as_str().to_owned()));
    filter.push("a.entity_id = ?", Some(id.to_owned()));
    entries(db, filter, &format!("ORDER BY a.at DESC, a.id DESC LIMIT {limit}")).await
}

/// Limits `filter` to what `viewer` may see: admins everything; agents their
/// own actions, entries about their account, and entries about the leads,
/// customers and tasks assigned to them now. The record test is one `CASE`, not
/// `OR`s the planner could split over several indexes: the log is then read
/// newest first from its time index, and a page stops after its rows.
fn restrict_to(filter: &mut Filter, viewer: &Viewer) {
    if viewer.is_admin() {
        return;
    }
    // Each entry's record is looked up by its id (a scalar subquery per entry,
    // in the order the list reads): an `EXISTS … AND assignee = ?` would let
    // PostgreSQL hash every record the agent holds on each request instead.
    filter.push(
        "(a.actor_id = ? OR CASE a.entity_type \
         WHEN 'lead' THEN (SELECT l.assignee_id FROM leads l WHERE l.id = a.entity_id) = ? \
         WHEN 'customer' THEN (SELECT c.owner_id FROM customers c WHERE c.id = a.entity_id) = ? \
         WHEN 'task' THEN (SELECT t.assignee_id FROM tasks t WHERE t.id = a.entity_id) = ? \
         WHEN 'user' THEN a.entity_id = ? \
         ELSE FALSE END)",
        Some(viewer.id.to_string()),
    );
}

fn list_filter(viewer: &Viewer, query: &ActivityQuery, tz: Tz) -> AppResult<Filter> {
    let mut filter = Filter::new();
    restrict_to(&mut filter, viewer);
    if let (Some(actor), true) = (&query.actor, viewer.is_admin()) {
        filter.push("a.actor_id = ?", Some(actor.to_string()));
    }
    if let Some(entity_type) = query.entity_type {
        filter.push("a.entity_type = ?", Some(entity_type.as_str().to_owned()));
    }
    if let Some(action) = query.action {
        filter.push("a.action = ?", Some(action.as_str().to_owned()));
    }
    // Day bounds are instants we computed, written into the SQL.
    if let Some(from) = day(query.from.as_deref())? {
        filter.push(&format!("a.at >= {}", clock::day_start(tz, from)), None);
    }
    if let Some(to) = day(query.to.as_deref())? {
        let next = to.checked_add_days(chrono::Days::new(1)).unwrap_or(to);
        let end = clock::day_start(tz, next);
        filter.push(&format!("a.at < {end}"), None);
    }
    Ok(filter)
}

fn day(raw: Option<&str>) -> AppResult<Option<NaiveDate>> {
    raw.map(|d| {
        crate::fields::parse_day(d)
            .ok_or_else(|| AppError::invalid("date", "Enter a date as YYYY-MM-DD."))
    })
    .transpose()
}

/// One page of the entries the viewer may see under the query, newest first,
/// and how many match in all.
pub async fn list(
    db: &Db,
    viewer: &Viewer,
    query: &ActivityQuery,
    tz: Tz,
) -> AppResult<ActivityPage> {
    let count_filter = list_filter(viewer, query, tz)?;
    let counted =
        crate::sql::capped_count(db, "activity a", count_filter, crate::sql::count_cap(query))
            .await?;
    let order = Order::default().number("a.at", true).text("a.id", true);
    let page: Page<ActivityFilters, EntryRecord> = crate::sql::page(
        db,
        (ENTRY_COLUMNS, "activity a"),
        list_filter(viewer, query, tz)?,
        &order,
        query,
        counted,
    )
    .await?;
    Ok(page.filter_map(EntryRecord::into_entry))
}

/// The latest `limit` entries the viewer may see (the dashboard's feed).
pub async fn recent(db: &Db, viewer: &Viewer, limit: i64) -> AppResult<Vec<ActivityEntry>> {
    let mut filter = Filter::new();
    restrict_to(&mut filter, viewer);
    entries(db, filter, &format!("ORDER BY a.at DESC, a.id DESC LIMIT {limit}")).await
}

/// `{"field": [old, new]}` JSON back into (field, old, new) triples.
fn parse_changes(json: &str) -> Vec<(String, String, String)> {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str(json) else {
        return Vec::new();
    };
    let text = |v: Option<&serde_json::Value>| match v {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    map.into_iter().map(|(field, pair)| (field, text(pair.get(0)), text(pair.get(1)))).collect()
}
