//! Converting a lead: one transaction makes the customer, links both ways, closes the lead as won and moves its open tasks.

use super::*;
use crate::activity::Logged;
use crate::tasks::store::Converted;

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
    check_current("lead", (lead.archived, lead.version), None, "converting it")?;
    let contact = CustomerForm {
        name: lead.name.clone(),
        email: lead.email.clone(),
        phone: lead.phone.clone(),
        company: lead.company.clone(),
        tags: String::new(),
    };
    let draft = CustomerDraft::checked(&contact).map_err(|e| {
        AppError::internal("a stored lead is not a valid customer", format!("{e:?}"))
    })?;
    let owner = lead.assignee_id.clone();
    let customer = crate::customers::store::create(conn, viewer, &draft, &owner, Some(id)).await?;
    sqlx::query(
        "UPDATE leads SET customer_id = $1, status = $2, version = version + 1, updated_at = $3 WHERE id = $4 AND customer_id IS NULL",
    )
    .bind(customer.as_str())
    .bind(LeadStatus::Won.as_str())
    .bind(now_ms())
    .bind(id.as_str())
    .execute(&mut *conn)
    .await?;
    let status_change = (lead.status != LeadStatus::Won).then(|| {
        serde_json::json!({ "status": [lead.status.label(), LeadStatus::Won.label()] }).to_string()
    });
    NewEntry::by(viewer, Action::Convert, id.entity(), &lead.name)
        .changes(status_change)
        .record(conn)
        .await?;
    let from =
        Converted { lead: id, name: &lead.name, owner: (&lead.assignee_id, &lead.assignee_name) };
    crate::tasks::store::move_open_tasks(conn, viewer, from, &customer).await?;
    Ok(customer)
}
