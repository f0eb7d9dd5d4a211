//! Notifications in the database. Each is its person's: every query names the
//! viewer, so nobody reads or marks another's. They are written in the transaction
//! of the change they tell of; reminders by a sweep any instance may run.

use super::{mentions, NoticeKind, Notification, Notifications, UNREAD_CAP};
use crate::activity::EntityType;
use crate::auth::{Role, Viewer};
use crate::db::{new_id, now_ms, Db};
use crate::error::{AppError, AppResult};
use crate::ids::{NotificationId, UserId};
use sqlx::AnyConnection;

/// Notifications a page shows at once.
pub const PAGE: usize = 50;
/// How much of a note a mention shows, in characters.
const EXCERPT: usize = 140;
/// Read notifications are kept this long.
const KEEP_READ_MS: i64 = 90 * 24 * 3_600_000;
/// A task is reminded of once when it falls due within this time…
const SOON_MS: i64 = 3_600_000;
/// …and once when it is overdue, if that happened within this time (an old
/// overdue task is on the dashboard, not worth a notification on first start).
const OVERDUE_WITHIN_MS: i64 = 24 * 3_600_000;
/// Tasks reminded of per sweep; the rest wait for the next minute.
const SWEEP: i64 = 500;

/// What a notification is about: the record's kind, id and name.
pub type About<'a> = (EntityType, &'a str, &'a str);

/// Tells `to` that the viewer did something (`kind`) to a record, in the caller's
/// transaction. Nobody is told of their own doing; a web form's leads are told to
/// the member they land with.
pub async fn tell(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    to: &UserId,
    kind: NoticeKind,
    (entity_type, entity_id, label): About<'_>,
    excerpt: &str,
) -> AppResult<()> {
    if *to == viewer.id && !viewer.is_web_form() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO notifications (id, user_id, kind, entity_type, entity_id, label, actor_name, excerpt, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(new_id())
    .bind(to.as_str())
    .bind(kind.as_str())
    .bind(entity_type.as_str())
    .bind(entity_id)
    .bind(label)
    .bind(&viewer.name)
    .bind(excerpt_of(excerpt))
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

/// The start of a note on one line.
fn excerpt_of(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(EXCERPT) {
        Some((end, _)) => format!("{}…", &line[..end]),
        None => line,
    }
}

/// The active members a note's text mentions (see `super::mentions`), with their
/// roles, the viewer left out. Web forms mention nobody: their text is a stranger's.
pub async fn mentioned(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    body: &str,
) -> AppResult<Vec<(UserId, Role)>> {
    if !body.contains('@') || viewer.is_web_form() {
        return Ok(Vec::new());
    }
    let team = others(conn, viewer).await?;
    let named: Vec<((UserId, Role), String)> = team
        .into_iter()
        .map(|(id, name, role)| ((id, Role::parse(&role).unwrap_or(Role::Agent)), name))
        .collect();
    Ok(mentions(body, &named).into_iter().cloned().collect())
}

/// The viewer's active teammates: id, name and role, by name.
async fn others(
    conn: &mut AnyConnection,
    viewer: &Viewer,
) -> AppResult<Vec<(UserId, String, String)>> {
    let team = sqlx::query_as(
        "SELECT id, name, role FROM users WHERE active = 1 AND deleted_at IS NULL AND id <> $1 ORDER BY name, id",
    )
    .bind(viewer.id.as_str())
    .fetch_all(conn)
    .await?;
    Ok(team)
}

/// The names a note may mention: the viewer's active teammates.
pub async fn mentionable(conn: &mut AnyConnection, viewer: &Viewer) -> AppResult<Vec<String>> {
    Ok(others(conn, viewer).await?.into_iter().map(|(_, name, _)| name).collect())
}

/// A page of `user`'s notifications, newest first, from before `before` (the
/// `older` of the page before), with their unread count.
pub async fn list(
    conn: &mut AnyConnection,
    user: &UserId,
    before: Option<&str>,
) -> AppResult<Notifications> {
    let before = before.filter(|b| !b.is_empty()).map(parse_cursor).transpose()?;
    let (at, id) = before.unwrap_or((i64::MAX, String::new()));
    let rows: Vec<NoticeRow> = sqlx::query_as(
        "SELECT id, kind, entity_type, entity_id, label, actor_name, excerpt, created_at, read_at \
         FROM notifications WHERE user_id = $1 AND (created_at < $2 OR (created_at = $2 AND id < $3)) \
         ORDER BY created_at DESC, id DESC LIMIT $4",
    )
    .bind(user.as_str())
    .bind(at)
    .bind(if id.is_empty() { "~".to_owned() } else { id })
    .bind(PAGE as i64 + 1)
    .fetch_all(&mut *conn)
    .await?;
    let more = rows.len() > PAGE;
    let items: Vec<Notification> =
        rows.into_iter().take(PAGE).filter_map(NoticeRow::shown).collect();
    let older = more.then(|| items.last().map(|n| format!("{}.{}", n.at, n.id))).flatten();
    Ok(Notifications { unread: unread(conn, user).await?, items, older })
}

fn parse_cursor(before: &str) -> AppResult<(i64, String)> {
    let parsed = before.split_once('.').and_then(|(at, id)| {
        let fine = !id.is_empty()
            && id.len() <= 64
            && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        Some((at.parse::<i64>().ok()?, id.to_owned())).filter(|_| fine)
    });
    parsed.ok_or_else(|| {
        AppError::invalid("before", "This link to older notifications is not valid.")
    })
}

#[derive(sqlx::FromRow)]
struct NoticeRow {
    id: NotificationId,
    kind: String,
    entity_type: String,
    entity_id: String,
    label: String,
    actor_name: String,
    excerpt: String,
    created_at: i64,
    read_at: Option<i64>,
}

impl NoticeRow {
    fn shown(self) -> Option<Notification> {
        Some(Notification {
            id: self.id,
            kind: NoticeKind::parse(&self.kind)?,
            entity_type: EntityType::parse(&self.entity_type)?,
            entity_id: self.entity_id,
            label: self.label,
            actor_name: self.actor_name,
            excerpt: self.excerpt,
            at: self.created_at,
            read: self.read_at.is_some(),
        })
    }
}

/// How many of `user`'s notifications are unread, up to `UNREAD_CAP`.
pub async fn unread(conn: &mut AnyConnection, user: &UserId) -> AppResult<i64> {
    let (count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM (SELECT 1 FROM notifications WHERE user_id = $1 AND read_at IS NULL LIMIT $2) unread",
    )
    .bind(user.as_str())
    .bind(UNREAD_CAP)
    .fetch_one(conn)
    .await?;
    Ok(count)
}

/// Marks one of `user`'s notifications read; anyone else's answers as missing.
pub async fn mark_read(
    conn: &mut AnyConnection,
    user: &UserId,
    id: &NotificationId,
) -> AppResult<()> {
    let done = sqlx::query(
        "UPDATE notifications SET read_at = COALESCE(read_at, $3) WHERE id = $1 AND user_id = $2",
    )
    .bind(id.as_str())
    .bind(user.as_str())
    .bind(now_ms())
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Marks every notification of `user` read; says how many were unread.
pub async fn mark_all_read(conn: &mut AnyConnection, user: &UserId) -> AppResult<u64> {
    let done =
        sqlx::query("UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL")
            .bind(user.as_str())
            .bind(now_ms())
            .execute(conn)
            .await?;
    Ok(done.rows_affected())
}

/// Reminds each assignee of their open tasks that fall due within the hour (those
/// with a time) or have just become overdue, once per due moment: the unique index
/// drops a reminder already written, by this sweep or another instance's.
/// Says how many were written.
pub async fn remind(db: &Db, now: i64) -> AppResult<u64> {
    let mut tx = db.transaction().await?;
    let due: Vec<(String, UserId, String, i64)> = sqlx::query_as(
        "SELECT t.id, t.assignee_id, t.title, t.due_at FROM tasks t \
         WHERE t.status <> 'done' AND t.due_at > $1 AND t.due_at <= $2 \
         AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = t.assignee_id \
             AND n.entity_id = t.id AND n.due_at = t.due_at \
             AND n.kind = CASE WHEN t.due_at <= $3 THEN 'overdue' ELSE 'due_soon' END) \
         AND (t.due_at <= $3 OR t.due_time IS NOT NULL) \
         ORDER BY t.due_at, t.id LIMIT $4",
    )
    .bind(now - OVERDUE_WITHIN_MS)
    .bind(now + SOON_MS)
    .bind(now)
    .bind(SWEEP)
    .fetch_all(&mut *tx)
    .await?;
    let mut written = 0;
    for (task, assignee, title, due_at) in due {
        let kind = if due_at <= now { NoticeKind::Overdue } else { NoticeKind::DueSoon };
        let done = sqlx::query(
            "INSERT INTO notifications (id, user_id, kind, entity_type, entity_id, label, due_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (user_id, entity_id, kind, due_at) DO NOTHING",
        )
        .bind(new_id())
        .bind(assignee.as_str())
        .bind(kind.as_str())
        .bind(EntityType::Task.as_str())
        .bind(&task)
        .bind(&title)
        .bind(due_at)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        written += done.rows_affected();
    }
    tx.commit().await?;
    Ok(written)
}

/// Forgets read notifications older than 90 days.
pub async fn prune(db: &Db, now: i64) -> AppResult<u64> {
    let done =
        sqlx::query("DELETE FROM notifications WHERE read_at IS NOT NULL AND created_at < $1")
            .bind(now - KEEP_READ_MS)
            .execute(&db.pool)
            .await?;
    Ok(done.rows_affected())
}
