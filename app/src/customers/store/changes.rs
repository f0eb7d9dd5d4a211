//! A person's changes to customers: create, edit with a version check, archive and restore, assign; each logged.

use super::*;
use crate::activity::store::with_origin;
use crate::activity::Logged;
use crate::notifications::{store::tell, NoticeKind};

/// Inserts a customer owned by `owner` and logs it, in the caller's transaction.
/// A new customer's owner is an active team member. Converting a lead passes
/// `from_lead` (the customer keeps the lead's assignee); a lead converts once,
/// so a second (or simultaneous) conversion is refused by the unique `lead_id`.
pub async fn create(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    draft: &CustomerDraft,
    owner: &UserId,
    from_lead: Option<&LeadId>,
) -> AppResult<CustomerId> {
    if from_lead.is_none() {
        crate::records::assignable_name(conn, owner).await?;
    }
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
    .bind(owner.as_str())
    .bind(from_lead.map(|l| l.to_string()))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(AppError::Conflict(
            "This lead has already been converted to a customer.".into(),
        ));
    }
    write_tags(conn, &id, &draft.tags).await?;
    NewEntry::by(viewer, Action::Create, (EntityType::Customer, &id), &draft.name)
        .record(conn)
        .await?;
    let about = (EntityType::Customer, id.as_str(), draft.name.as_str());
    tell(conn, viewer, owner, NoticeKind::Assigned, about, "").await?;
    Ok(CustomerId::from(id))
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

/// Saves an edit made on `expected_version`, and says whether anything changed; a newer
/// save by someone else, or an archived customer, refuses it with `Conflict` and nothing
/// is written.
pub async fn update(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &CustomerId,
    expected_version: i64,
    draft: &CustomerDraft,
) -> AppResult<bool> {
    update_imported(conn, viewer, (id, expected_version), draft, None).await
}

/// The same, for a row of an imported `file` when there is one: the history names it.
pub async fn update_imported(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    (id, expected_version): (&CustomerId, i64),
    draft: &CustomerDraft,
    file: Option<&str>,
) -> AppResult<bool> {
    let before = editable(conn, viewer, id, Some(expected_version)).await?;
    let Some(changes) = changes(&before, draft) else {
        return Ok(false);
    };
    Update::new("customers")
        .set("name", draft.name.clone())
        .set("email", draft.email_str().to_owned())
        .set("phone", draft.phone.clone())
        .set("company", draft.company.clone())
        .set("tags", join_tags(&draft.tags))
        .set("search_text", draft.search_text())
        .seen_at(expected_version)
        .live()
        .apply(conn, id.as_str(), stale)
        .await?;
    if before.tags != draft.tags {
        write_tags(conn, id.as_str(), &draft.tags).await?;
    }
    NewEntry::by(viewer, Action::Update, id.entity(), &draft.name)
        .changes(Some(with_origin(changes, file)))
        .record(conn)
        .await?;
    Ok(true)
}
