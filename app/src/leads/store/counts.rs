//! The dashboard's lead numbers, from the counts triggers keep in step with the leads.

use super::*;

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
    let rows: Vec<(String, String, i64)> =
        sqlx::query_as_with(&sql, filter.args).fetch_all(&db.pool).await?;
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
        &format!("c.slot >= {} AND c.slot < {}", first / CREATED_SLOT_MS, end / CREATED_SLOT_MS),
        None,
    );
    filter.scope(scope, "c.assignee_id");
    let sql = format!(
        "SELECT c.slot, CAST(SUM(c.n) AS BIGINT) FROM lead_created_counts c WHERE {} GROUP BY c.slot",
        filter.sql()
    );
    let slots: Vec<(i64, i64)> = sqlx::query_as_with(&sql, filter.args).fetch_all(&db.pool).await?;
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
        .map(|((date, _), count)| DayCount { date: date.to_string(), count })
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
    Ok(sqlx::query_as_with(&sql, filter.args).fetch_all(&db.pool).await?)
}

/// The live leads of `owner` that became theirs at `since` or later — created for
/// them, or assigned to them — newest first, at most `limit`: the name, company,
/// and when.
pub async fn theirs_since(
    db: &Db,
    owner: &UserId,
    since: i64,
    limit: i64,
) -> AppResult<Vec<(LeadId, String, String, i64)>> {
    // Each half reads an index: leads by assignee and creation, assignments by time.
    let created: Vec<(LeadId, String, String, i64)> = sqlx::query_as(
        "SELECT id, name, company, created_at FROM leads \
         WHERE assignee_id = $1 AND archived_at IS NULL AND created_at >= $2 \
         ORDER BY created_at DESC, id DESC LIMIT $3",
    )
    .bind(owner.as_str())
    .bind(since)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    let assigned: Vec<(LeadId, String, String, i64)> = sqlx::query_as(
        "SELECT l.id, l.name, l.company, MAX(a.at) FROM activity a JOIN leads l ON l.id = a.entity_id \
         WHERE a.action = 'assign' AND a.entity_type = 'lead' AND a.at >= $2 \
           AND l.assignee_id = $1 AND l.archived_at IS NULL \
         GROUP BY l.id, l.name, l.company ORDER BY MAX(a.at) DESC LIMIT $3",
    )
    .bind(owner.as_str())
    .bind(since)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    let fresh: Vec<_> =
        created.into_iter().filter(|c| !assigned.iter().any(|a| a.0 == c.0)).collect();
    let mut leads = assigned;
    leads.extend(fresh);
    leads.sort_by_key(|lead| std::cmp::Reverse(lead.3));
    leads.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(leads)
}
