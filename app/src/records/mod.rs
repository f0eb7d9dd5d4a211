//! A lead or a customer: the records notes, tasks and activity belong to, and
//! what their pages and lists share (archive, assign, duplicates, bulk actions).

#[cfg(feature = "ssr")]
pub mod bulk;
mod pages;

pub use pages::{
    ArchiveConfirm, ArchivedNotice, ContactFields, ContactLinks, DeleteLink, DuplicateNotice,
    RecordActions, RecordEditor, RecordLayout, RecordView,
};

use crate::activity::EntityType;
use crate::auth::{Email, Validator};
use crate::error::AppError;
use crate::fields::{optional_email, parse_phone, text_field};
use crate::ids::{CustomerId, LeadId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RecordRef {
    Lead(LeadId),
    Customer(CustomerId),
}

impl RecordRef {
    /// From a form's `kind` (`lead` or `customer`) and `id` fields.
    pub fn parse(kind: &str, id: &str) -> Result<Self, AppError> {
        let id = id.trim().to_owned();
        if id.is_empty() || id.len() > 64 {
            return Err(AppError::NotFound);
        }
        match kind {
            "lead" => Ok(Self::Lead(id.into())),
            "customer" => Ok(Self::Customer(id.into())),
            _ => {
                Err(AppError::BadRequest("A note or task belongs to a lead or a customer.".into()))
            }
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Self::Lead(_) => "lead",
            Self::Customer(_) => "customer",
        }
    }

    pub fn id(&self) -> &str {
        match self {
            Self::Lead(id) => id.as_str(),
            Self::Customer(id) => id.as_str(),
        }
    }

    /// The record's page.
    pub fn path(&self) -> String {
        match self {
            Self::Lead(id) => format!("/leads/{id}"),
            Self::Customer(id) => format!("/customers/{id}"),
        }
    }

    /// The list this kind of record is found in.
    pub fn list_path(&self) -> &'static str {
        match self {
            Self::Lead(_) => "/leads",
            Self::Customer(_) => "/customers",
        }
    }

    /// The record as the activity log names it: its type and id.
    pub fn entity(&self) -> (EntityType, &str) {
        (self.entity_type(), self.id())
    }

    pub fn entity_type(&self) -> EntityType {
        match self {
            Self::Lead(_) => EntityType::Lead,
            Self::Customer(_) => EntityType::Customer,
        }
    }

    /// The table the record lives in.
    pub fn table(&self) -> &'static str {
        match self {
            Self::Lead(_) => "leads",
            Self::Customer(_) => "customers",
        }
    }

    /// The column naming who the record belongs to: a lead's assignee, a customer's owner.
    pub fn owner_column(&self) -> &'static str {
        match self {
            Self::Lead(_) => "assignee_id",
            Self::Customer(_) => "owner_id",
        }
    }

    /// The column of a note or task that points at this kind of record.
    pub fn column(&self) -> &'static str {
        match self {
            Self::Lead(_) => "lead_id",
            Self::Customer(_) => "customer_id",
        }
    }

    /// The values of a row's `lead_id` and `customer_id` columns.
    pub fn columns(&self) -> (Option<LeadId>, Option<CustomerId>) {
        match self {
            Self::Lead(id) => (Some(id.clone()), None),
            Self::Customer(id) => (None, Some(id.clone())),
        }
    }

    /// From a row's `lead_id` and `customer_id` columns.
    pub fn from_columns(lead_id: Option<LeadId>, customer_id: Option<CustomerId>) -> Option<Self> {
        lead_id.map(Self::Lead).or(customer_id.map(Self::Customer))
    }
}

/// A related record as lists show it: a link by name, marked when archived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordLink {
    pub record: RecordRef,
    pub name: String,
    pub archived: bool,
}

/// The record, if the viewer may see it; otherwise `NotFound`.
#[cfg(feature = "ssr")]
pub async fn visible(
    conn: &mut sqlx::AnyConnection,
    scope: &crate::auth::policy::RecordScope,
    record: &RecordRef,
) -> crate::error::AppResult<RecordLink> {
    let (name, archived_at): (String, Option<i64>) = crate::sql::in_scope(
        conn,
        scope,
        (record.table(), record.owner_column()),
        record.id(),
        "name, archived_at",
    )
    .await?;
    let archived = archived_at.is_some();
    Ok(RecordLink { record: record.clone(), name, archived })
}

/// Limits of a contact's name and company, in characters.
pub const NAME_MAX: usize = 120;
pub const COMPANY_MAX: usize = 120;

/// The contact details a lead and a customer both hold, checked.
pub struct ContactDetails {
    pub name: String,
    pub email: Option<Email>,
    pub phone: String,
    pub company: String,
}

impl ContactDetails {
    /// Checks a posted name, email, phone and company into `check`.
    pub fn check(check: &mut Validator, [name, email, phone, company]: [&str; 4]) -> Option<Self> {
        let name = check.check(text_field("name", name, NAME_MAX, true));
        let email = check.check(optional_email(email));
        let phone = check.check(parse_phone(phone));
        let company = check.check(text_field("company", company, COMPANY_MAX, false));
        Some(Self { name: name?, email: email?, phone: phone?, company: company? })
    }
}

/// The contact details that identify a person across leads and customers: the
/// email, and the phone by its digits alone.
#[cfg(feature = "ssr")]
pub struct Contact<'a> {
    pub email: &'a str,
    pub phone_digits: String,
}

#[cfg(feature = "ssr")]
impl<'a> Contact<'a> {
    pub fn of(email: Option<&'a crate::auth::Email>, phone: &str) -> Self {
        Self {
            email: email.map_or("", crate::auth::Email::as_str),
            phone_digits: crate::fields::phone_digits(phone),
        }
    }
}

/// Live leads and customers with the same email or phone as `contact`, other than
/// `except` and the record it converted from or into: `lead` or `customer` each.
#[cfg(feature = "ssr")]
pub async fn duplicates(
    db: &crate::db::Db,
    contact: &Contact<'_>,
    except: Option<&RecordRef>,
) -> crate::error::AppResult<Vec<String>> {
    if contact.email.is_empty() && contact.phone_digits.is_empty() {
        return Ok(Vec::new());
    }
    let (except_lead, except_customer) = except.map(RecordRef::columns).unwrap_or_default();
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT 'lead' FROM leads WHERE archived_at IS NULL AND id <> $3 AND (customer_id IS NULL OR customer_id <> $4) \
           AND ((email <> '' AND email = $1) OR (phone_digits <> '' AND phone_digits = $2)) \
         UNION ALL \
         SELECT 'customer' FROM customers WHERE archived_at IS NULL AND id <> $4 AND (lead_id IS NULL OR lead_id <> $3) \
           AND ((email <> '' AND email = $1) OR (phone_digits <> '' AND phone_digits = $2))",
    )
    .bind(contact.email)
    .bind(&contact.phone_digits)
    .bind(except_lead.unwrap_or_default())
    .bind(except_customer.unwrap_or_default())
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|(kind,)| kind).collect())
}

/// Refuses a save whose email or phone matches another lead or customer, unless
/// the person confirmed it ("Save anyway").
#[cfg(feature = "ssr")]
pub async fn check_duplicates(
    db: &crate::db::Db,
    email: Option<&crate::auth::Email>,
    phone: &str,
    except: Option<&RecordRef>,
    confirmed: bool,
) -> crate::error::AppResult<()> {
    if confirmed {
        return Ok(());
    }
    let found = duplicates(db, &Contact::of(email, phone), except).await?;
    if found.is_empty() {
        return Ok(());
    }
    let what = if found.iter().any(|k| k == "customer") { "a customer" } else { "a lead" };
    Err(AppError::invalid(
        "duplicate",
        format!("The email or phone matches {what}. Check it is not a duplicate, then tick \u{201c}Save anyway\u{201d}."),
    ))
}

/// Archives (`archive = true`) or restores a lead or customer the viewer may
/// see, bumping its version, and logs it on the record.
#[cfg(feature = "ssr")]
pub async fn set_archived(
    conn: &mut sqlx::AnyConnection,
    viewer: &crate::auth::Viewer,
    record: &RecordRef,
    archive: bool,
) -> crate::error::AppResult<()> {
    use crate::activity::{store::NewEntry, Action};
    let scope = crate::auth::policy::RecordScope::of(viewer);
    let link = visible(conn, &scope, record).await?;
    if link.archived == archive {
        return Ok(());
    }
    let now = crate::db::now_ms();
    sqlx::query(&format!(
        "UPDATE {} SET archived_at = $1, version = version + 1, updated_at = $2 WHERE id = $3",
        record.table()
    ))
    .bind(archive.then_some(now))
    .bind(now)
    .bind(record.id())
    .execute(&mut *conn)
    .await?;
    let action = if archive { Action::Archive } else { Action::Restore };
    NewEntry::by(viewer, action, record.entity(), &link.name).record(conn).await?;
    Ok(())
}

/// "Delete" (archive) or "Restore" on a lead's or customer's page: restoring is
/// for admins; afterwards the browser goes to the list (archived) or back to
/// the record (restored).
#[cfg(feature = "ssr")]
pub async fn archive_from_page(record: RecordRef, archive: bool) -> crate::error::AppResult<()> {
    use crate::state::{admin, go, signed_in, write};
    let viewer = if archive { signed_in()? } else { admin()? };
    write(async |tx| set_archived(tx, &viewer, &record, archive).await).await?;
    go(&if archive { record.list_path().to_owned() } else { record.path() })
}

/// The name of `user`, if it is an active team member who can be given records;
/// otherwise a validation error on the `assignee` field.
#[cfg(feature = "ssr")]
pub async fn assignable_name(
    conn: &mut sqlx::AnyConnection,
    user: &crate::ids::UserId,
) -> crate::error::AppResult<String> {
    let found: Option<(String, i64)> =
        sqlx::query_as("SELECT name, active FROM users WHERE id = $1")
            .bind(user.as_str())
            .fetch_optional(conn)
            .await?;
    match found {
        Some((name, 1)) => Ok(name),
        _ => Err(AppError::invalid("assignee", "Choose an active team member.")),
    }
}

/// A record (lead, customer, task) being given to another team member: where
/// it is held and how the log names it.
#[cfg(feature = "ssr")]
pub struct Reassignment<'a> {
    /// The record's table and the column naming its holder: the caller's
    /// constants, never user input.
    pub table: (&'static str, &'static str),
    /// The record as the log names it: its type and id, and its label.
    pub entity: (EntityType, &'a str),
    pub label: &'a str,
    /// What the log calls the holder ("assignee", "owner"), and who holds it now.
    pub holder: (&'static str, &'a crate::ids::UserId, &'a str),
}

/// Gives a record to `to`, an active team member, by writing its holder
/// column (a new version), and logs it as an assignment, old name → new name.
/// Giving it to whoever holds it already changes nothing.
#[cfg(feature = "ssr")]
pub async fn hand_over(
    conn: &mut sqlx::AnyConnection,
    viewer: &crate::auth::Viewer,
    record_to_move: Reassignment<'_>,
    to: &crate::ids::UserId,
) -> crate::error::AppResult<()> {
    use crate::activity::{store::NewEntry, Action};
    use crate::notifications::NoticeKind;
    let Reassignment { table: (table, column), entity, label, holder: (field, old, old_name) } =
        record_to_move;
    if old == to {
        return Ok(());
    }
    let name = assignable_name(conn, to).await?;
    crate::sql::Update::new(table)
        .set(column, to.to_string())
        .apply(conn, entity.1, || AppError::NotFound)
        .await?;
    NewEntry::by(viewer, Action::Assign, entity, label)
        .changed(field, old_name, &name)
        .record(conn)
        .await?;
    let about = (entity.0, entity.1, label);
    crate::notifications::store::tell(conn, viewer, to, NoticeKind::Assigned, about, "").await
}

/// Gives a lead or customer the viewer may see, and that is not archived, to
/// `to` (admins), logged as an assignment.
#[cfg(feature = "ssr")]
pub async fn assign(
    conn: &mut sqlx::AnyConnection,
    viewer: &crate::auth::Viewer,
    record: &RecordRef,
    to: &crate::ids::UserId,
) -> crate::error::AppResult<()> {
    let (table, column) = (record.table(), record.owner_column());
    let scope = crate::auth::policy::RecordScope::of(viewer);
    let columns = format!(
        "name, archived_at, version, {column}, (SELECT u.name FROM users u WHERE u.id = {column})"
    );
    let (name, archived_at, version, holder, holder_name): (
        String,
        Option<i64>,
        i64,
        crate::ids::UserId,
        String,
    ) = crate::sql::in_scope(conn, &scope, (table, column), record.id(), &columns).await?;
    let state = (archived_at.is_some(), version);
    crate::db::check_current(record.kind(), state, None, "assigning it")?;
    let field = match record {
        RecordRef::Lead(_) => "assignee",
        RecordRef::Customer(_) => "owner",
    };
    let reassignment = Reassignment {
        table: (table, column),
        entity: record.entity(),
        label: &name,
        holder: (field, &holder, &holder_name),
    };
    hand_over(conn, viewer, reassignment, to).await
}
