//! SQL for web-to-lead forms: the admins' changes (add, list, read, turn on and
//! off, remove, each logged), the posts' limits, and turning a post into a lead —
//! or, when its email matches a lead, into a note on that lead.

use super::{FormField, WebForm, WebFormDraft, WebFormId};
use crate::activity::store::NewEntry;
use crate::activity::{Action, EntityType};
use crate::auth::{Role, Viewer};
use crate::db::{new_id, now_ms};
use crate::error::{AppError, AppResult};
use crate::ids::{LeadId, UserId};
use crate::leads::{store as leads, LeadDraft};
use crate::records::RecordRef;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::RngCore;
use sqlx::AnyConnection;

#[derive(sqlx::FromRow)]
struct FormRow {
    id: WebFormId,
    public_key: String,
    name: String,
    fields: String,
    assignees: String,
    redirect_url: Option<String>,
    enabled: i64,
    created_at: i64,
    leads_made: i64,
}

const FORM_COLUMNS: &str =
    "id, public_key, name, fields, assignees, redirect_url, enabled, created_at, leads_made";

fn log<'a>(viewer: &'a Viewer, action: Action, id: &'a str, label: &'a str) -> NewEntry<'a> {
    NewEntry::by(viewer, action, (EntityType::Settings, id), label)
}

/// Adds a form, enabled, with a new public key; its assignees must be active.
pub async fn create(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    draft: &WebFormDraft,
) -> AppResult<WebFormId> {
    for assignee in &draft.assignees {
        crate::records::assignable_name(conn, assignee).await.map_err(|_| {
            AppError::invalid("assignees", "Choose active team members to get the form's leads.")
        })?;
    }
    let id = new_id();
    let mut key = [0u8; 18];
    rand::thread_rng().fill_bytes(&mut key);
    let now = now_ms();
    let fields: Vec<&str> = draft.fields.iter().map(|f| f.as_str()).collect();
    let assignees: Vec<&str> = draft.assignees.iter().map(UserId::as_str).collect();
    sqlx::query(
        "INSERT INTO lead_forms (id, public_key, name, fields, assignees, redirect_url, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(&id)
    .bind(URL_SAFE_NO_PAD.encode(key))
    .bind(&draft.name)
    .bind(fields.join(" "))
    .bind(assignees.join(" "))
    .bind(&draft.redirect_url)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let label = format!("Web form “{}”", draft.name);
    log(viewer, Action::Create, &id, &label).record(conn).await?;
    Ok(WebFormId::from(id))
}

/// Every form, oldest first, with its assignees' names and how many leads it brought.
pub async fn list(conn: &mut AnyConnection) -> AppResult<Vec<WebForm>> {
    let rows: Vec<FormRow> =
        sqlx::query_as(&format!("SELECT {FORM_COLUMNS} FROM lead_forms ORDER BY created_at, id"))
            .fetch_all(&mut *conn)
            .await?;
    let mut forms = Vec::with_capacity(rows.len());
    for row in rows {
        forms.push(shown(conn, row).await?);
    }
    Ok(forms)
}

pub async fn get(conn: &mut AnyConnection, id: &WebFormId) -> AppResult<WebForm> {
    let row: Option<FormRow> =
        sqlx::query_as(&format!("SELECT {FORM_COLUMNS} FROM lead_forms WHERE id = $1"))
            .bind(id.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    shown(conn, row.ok_or(AppError::NotFound)?).await
}

async fn shown(conn: &mut AnyConnection, row: FormRow) -> AppResult<WebForm> {
    let mut assignees = Vec::new();
    for id in row.assignees.split_whitespace() {
        let name: Option<(String,)> = sqlx::query_as("SELECT name FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        assignees.push((UserId::from(id), name.map_or_else(|| "(removed)".to_owned(), |(n,)| n)));
    }
    Ok(WebForm {
        id: row.id,
        public_key: row.public_key,
        fields: row.fields.split_whitespace().filter_map(FormField::parse).collect(),
        name: row.name,
        assignees,
        redirect_url: row.redirect_url,
        enabled: row.enabled == 1,
        created_at: row.created_at,
        leads: row.leads_made,
    })
}

/// What a form's leads say they came from.
fn source_of(form_name: &str) -> String {
    format!("Web form: {form_name}").chars().take(crate::leads::SOURCE_MAX).collect()
}

pub async fn set_enabled(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &WebFormId,
    enabled: bool,
) -> AppResult<()> {
    let form = get(conn, id).await?;
    if form.enabled == enabled {
        return Ok(());
    }
    sqlx::query(
        "UPDATE lead_forms SET enabled = $1, version = version + 1, updated_at = $2 WHERE id = $3",
    )
    .bind(i64::from(enabled))
    .bind(now_ms())
    .bind(id.as_str())
    .execute(&mut *conn)
    .await?;
    let label = format!("Web form “{}”", form.name);
    let (old, new) = if enabled { ("off", "on") } else { ("on", "off") };
    log(viewer, Action::Update, id.as_str(), &label)
        .changed("taking posts", old, new)
        .record(conn)
        .await?;
    Ok(())
}

pub async fn delete(conn: &mut AnyConnection, viewer: &Viewer, id: &WebFormId) -> AppResult<()> {
    let form = get(conn, id).await?;
    sqlx::query("DELETE FROM lead_forms WHERE id = $1")
        .bind(id.as_str())
        .execute(&mut *conn)
        .await?;
    let label = format!("Web form “{}”", form.name);
    log(viewer, Action::Delete, id.as_str(), &label).record(conn).await?;
    Ok(())
}

/// An enabled form, by its public key.
pub struct Taking {
    pub id: WebFormId,
    pub name: String,
    pub fields: Vec<FormField>,
    assignees: Vec<UserId>,
    pub redirect_url: Option<String>,
}

pub async fn taking(conn: &mut AnyConnection, key: &str) -> AppResult<Taking> {
    let row: Option<FormRow> = sqlx::query_as(&format!(
        "SELECT {FORM_COLUMNS} FROM lead_forms WHERE public_key = $1 AND enabled = 1"
    ))
    .bind(key)
    .fetch_optional(&mut *conn)
    .await?;
    let row = row.ok_or(AppError::NotFound)?;
    Ok(Taking {
        id: row.id,
        fields: row.fields.split_whitespace().filter_map(FormField::parse).collect(),
        assignees: row.assignees.split_whitespace().map(UserId::from).collect(),
        name: row.name,
        redirect_url: row.redirect_url,
    })
}

/// Counts a post against `bucket` in the window of `window_ms` it falls in;
/// whether it is within `limit`.
pub async fn count_post(
    conn: &mut AnyConnection,
    bucket: &str,
    window_ms: i64,
    limit: i64,
) -> AppResult<bool> {
    let now = now_ms();
    let (posts,): (i64,) = sqlx::query_as(
        "INSERT INTO lead_form_posts (bucket, window_start, posts) VALUES ($1, $2, 1) \
         ON CONFLICT (bucket, window_start) DO UPDATE SET posts = lead_form_posts.posts + 1 \
         RETURNING posts",
    )
    .bind(bucket)
    .bind(now - now.rem_euclid(window_ms))
    .fetch_one(conn)
    .await?;
    Ok(posts <= limit)
}

/// Forgets post counts older than a day (housekeeping).
pub async fn prune(db: &crate::db::Db, now: i64) -> AppResult<()> {
    sqlx::query("DELETE FROM lead_form_posts WHERE window_start < $1")
        .bind(now - 24 * 60 * 60 * 1000)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// What became of a post.
#[derive(Debug, PartialEq, Eq)]
pub enum Landed {
    /// A new lead.
    Lead(LeadId),
    /// A note on the lead with the same email.
    Note(LeadId),
}

/// Turns a checked post into a lead, given in turn to the form's active
/// assignees — or, when a live lead has its email, into a note on that lead.
pub async fn land(conn: &mut AnyConnection, form: &Taking, draft: &LeadDraft) -> AppResult<Landed> {
    if let Some(email) = &draft.email {
        let existing: Option<(LeadId, UserId)> = sqlx::query_as(
            "SELECT id, assignee_id FROM leads WHERE email = $1 AND archived_at IS NULL ORDER BY created_at DESC LIMIT 1",
        )
        .bind(email.as_str())
        .fetch_optional(&mut *conn)
        .await?;
        if let Some((lead, assignee)) = existing {
            let body =
                format!("Sent again through the web form “{}”:\n{}", form.name, summary(draft));
            let note = crate::notes::parse_body(&body).map_err(|e| AppError::Invalid(vec![e]))?;
            crate::notes::store::add(
                conn,
                &as_form(form, assignee),
                &RecordRef::Lead(lead.clone()),
                &note,
            )
            .await?;
            return Ok(Landed::Note(lead));
        }
    }
    let assignee = next_assignee(conn, form).await?;
    let draft = LeadDraft { source: source_of(&form.name), ..draft.clone() };
    let id = leads::create(conn, &as_form(form, assignee.clone()), &draft, &assignee).await?;
    sqlx::query("UPDATE lead_forms SET leads_made = leads_made + 1 WHERE id = $1")
        .bind(form.id.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(Landed::Lead(id))
}

/// The form acting on a record of `holder`: logged under the form's name.
fn as_form(form: &Taking, holder: UserId) -> Viewer {
    Viewer {
        id: holder,
        name: format!("Web form “{}”", form.name),
        email: String::new(),
        role: Role::Agent,
        session_id: format!("{}{}", crate::auth::WEB_FORM_SESSION, form.id),
        two_factor: false,
    }
}

/// The next of the form's assignees still active (the first active admin when none is).
async fn next_assignee(conn: &mut AnyConnection, form: &Taking) -> AppResult<UserId> {
    let active: Vec<(UserId, String)> =
        sqlx::query_as("SELECT id, role FROM users WHERE active = 1 AND deleted_at IS NULL ORDER BY created_at, id")
            .fetch_all(&mut *conn)
            .await?;
    let chosen: Vec<&UserId> =
        form.assignees.iter().filter(|a| active.iter().any(|(id, _)| id == *a)).collect();
    if chosen.is_empty() {
        let admin = active.iter().find(|(_, role)| role == Role::Admin.as_str());
        return admin.map(|(id, _)| id.clone()).ok_or(AppError::Busy);
    }
    let (turn,): (i64,) = sqlx::query_as(
        "UPDATE lead_forms SET next_turn = next_turn + 1 WHERE id = $1 RETURNING next_turn",
    )
    .bind(form.id.as_str())
    .fetch_one(&mut *conn)
    .await?;
    let index = usize::try_from(turn - 1).unwrap_or_default() % chosen.len();
    Ok(chosen[index].clone())
}

/// A post's fields as a note reads them.
fn summary(draft: &LeadDraft) -> String {
    [
        ("Name", draft.name.as_str()),
        ("Phone", &draft.phone),
        ("Company", &draft.company),
        ("Message", &draft.notes),
    ]
    .into_iter()
    .filter(|(_, value)| !value.is_empty())
    .map(|(label, value)| format!("{label}: {value}"))
    .collect::<Vec<_>>()
    .join("\n")
}
