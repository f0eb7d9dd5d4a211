//! SQL for team members: the admins' user administration, each user's own
//! profile and sessions, and the owner changes other areas make.

use super::{
    describe_device, AccountState, Holdings, SessionInfo, User, UserDraft, UserPage, UserQuery,
    UserRow, UserSort,
};
use crate::activity::store::{changes_json, record, NewEntry};
use crate::activity::{Action, EntityType};
use crate::auth::accounts::{self, Actor};
use crate::auth::store::revoke_all_sessions;
use crate::auth::{Role, UserId, Viewer};
use crate::db::{applied, new_id, now_ms, Db, OnUnique};
use crate::error::{AppError, AppResult};
use crate::sql::{like_pattern, Filter};
use sqlx::AnyConnection;

/// The name of `user`, if it is an active team member who can be given records;
/// otherwise a validation error on the `assignee` field.
pub async fn assignable_name(conn: &mut AnyConnection, user: &UserId) -> AppResult<String> {
    let found: Option<(String, i64)> =
        sqlx::query_as("SELECT name, active FROM users WHERE id = $1")
            .bind(&user.0)
            .fetch_optional(conn)
            .await?;
    match found {
        Some((name, 1)) => Ok(name),
        _ => Err(AppError::invalid(
            "assignee",
            "Choose an active team member.",
        )),
    }
}

/// Gives record `id` of `table` to `to`, an active team member, by writing its
/// owner `column` (a new version); returns the new owner's name for the log.
/// `table` and `column` are the caller's constants, never user input.
pub async fn hand_over(
    conn: &mut AnyConnection,
    table: &str,
    column: &str,
    id: &str,
    to: &UserId,
) -> AppResult<String> {
    let name = assignable_name(conn, to).await?;
    sqlx::query(&format!(
        "UPDATE {table} SET {column} = $1, version = version + 1, updated_at = $2 WHERE id = $3"
    ))
    .bind(&to.0)
    .bind(now_ms())
    .bind(id)
    .execute(conn)
    .await?;
    Ok(name)
}

/// Every team member, former ones too: (id, name, active), by name.
pub async fn names(db: &Db) -> AppResult<Vec<(String, String, bool)>> {
    let rows: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT id, name, active FROM users ORDER BY name, id")
            .fetch_all(&db.pool)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, active)| (id, name, active == 1))
        .collect())
}

/// The active team members: (id, name), by name.
pub async fn active_members(db: &Db) -> AppResult<Vec<(String, String)>> {
    Ok(
        sqlx::query_as("SELECT id, name FROM users WHERE active = 1 ORDER BY name, id")
            .fetch_all(&db.pool)
            .await?,
    )
}

// ---- The admins' list and pages -------------------------------------------

fn list_filter(query: &UserQuery) -> Filter {
    let mut filter = Filter::new();
    filter.push("u.deleted_at IS NULL", None);
    if !query.search.is_empty() {
        filter.push(
            "(LOWER(u.name) LIKE ? ESCAPE '\\' OR u.email LIKE ? ESCAPE '\\')",
            Some(like_pattern(&query.search)),
        );
    }
    if let Some(role) = query.role {
        filter.push("u.role = ?", Some(role.as_str().to_owned()));
    }
    match query.state {
        Some(AccountState::Active) => filter.push("u.active = 1", None),
        Some(AccountState::Deactivated) => filter.push("u.active = 0", None),
        None => {}
    }
    filter
}

fn order_by(query: &UserQuery) -> String {
    let column = match query.sort {
        UserSort::Name => "LOWER(u.name)",
        UserSort::Email => "u.email",
        UserSort::Role => "u.role",
        // Never signed in sorts as the oldest.
        UserSort::LastSignIn => "COALESCE(u.last_login_at, 0)",
        UserSort::Created => "u.created_at",
    };
    let direction = if query.descending { "DESC" } else { "ASC" };
    format!("{column} {direction}, u.id {direction}")
}

#[derive(sqlx::FromRow)]
struct UserRecord {
    id: String,
    name: String,
    email: String,
    role: String,
    active: i64,
    version: i64,
    created_at: i64,
    last_login_at: Option<i64>,
}

const SELECT_USER: &str =
    "SELECT u.id, u.name, u.email, u.role, u.active, u.version, u.created_at, u.last_login_at FROM users u";

impl UserRecord {
    fn role(&self) -> AppResult<Role> {
        self.role
            .parse()
            .map_err(|_| AppError::internal("unknown role in users table", &self.role))
    }

    fn into_row(self) -> AppResult<UserRow> {
        Ok(UserRow {
            role: self.role()?,
            id: UserId(self.id),
            name: self.name,
            email: self.email,
            active: self.active == 1,
            last_sign_in_at: self.last_login_at,
            created_at: self.created_at,
        })
    }
}

/// One page of the team (deleted users never appear), and how many match in all.
pub async fn list(db: &Db, query: &UserQuery) -> AppResult<UserPage> {
    let filter = list_filter(query);
    let count_sql = format!("SELECT COUNT(*) FROM users u WHERE {}", filter.sql());
    let (total,): (i64,) = sqlx::query_as_with(&count_sql, filter.args)
        .fetch_one(&db.pool)
        .await?;
    let filter = list_filter(query);
    let sql = format!(
        "{SELECT_USER} WHERE {} ORDER BY {} LIMIT {} OFFSET {}",
        filter.sql(),
        order_by(query),
        query.per_page,
        crate::list::offset(query.page, query.per_page),
    );
    let records: Vec<UserRecord> = sqlx::query_as_with(&sql, filter.args)
        .fetch_all(&db.pool)
        .await?;
    Ok(UserPage {
        rows: records
            .into_iter()
            .map(UserRecord::into_row)
            .collect::<AppResult<_>>()?,
        total,
        query: query.clone(),
    })
}

async fn find(conn: &mut AnyConnection, id: &UserId) -> AppResult<UserRecord> {
    sqlx::query_as(&format!(
        "{SELECT_USER} WHERE u.id = $1 AND u.deleted_at IS NULL"
    ))
    .bind(&id.0)
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::NotFound)
}

/// A team member with what they hold and how many sessions they have open.
pub async fn get(conn: &mut AnyConnection, id: &UserId) -> AppResult<User> {
    let found = find(conn, id).await?;
    let holdings = holdings(conn, id).await?;
    let (live_sessions,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2",
    )
    .bind(&id.0)
    .bind(now_ms())
    .fetch_one(&mut *conn)
    .await?;
    let two_factor = crate::auth::two_factor::store::is_enabled(conn, &id.0).await?;
    Ok(User {
        role: found.role()?,
        id: UserId(found.id),
        name: found.name,
        email: found.email,
        active: found.active == 1,
        version: found.version,
        created_at: found.created_at,
        last_sign_in_at: found.last_login_at,
        holdings,
        live_sessions,
        two_factor,
    })
}

/// The leads, customers and tasks assigned to `id`, archived ones included.
pub async fn holdings(conn: &mut AnyConnection, id: &UserId) -> AppResult<Holdings> {
    let (leads, customers, tasks): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM leads WHERE assignee_id = $1), \
                (SELECT COUNT(*) FROM customers WHERE owner_id = $1), \
                (SELECT COUNT(*) FROM tasks WHERE assignee_id = $1)",
    )
    .bind(&id.0)
    .fetch_one(conn)
    .await?;
    Ok(Holdings {
        leads,
        customers,
        tasks,
    })
}

fn entry<'a>(
    viewer: &'a Viewer,
    action: Action,
    user: &'a str,
    label: &'a str,
    changes: Option<String>,
) -> NewEntry<'a> {
    NewEntry {
        actor_id: Some(&viewer.id.0),
        actor_name: &viewer.name,
        action,
        entity_type: EntityType::User,
        entity_id: Some(user),
        label,
        changes,
    }
}

/// A new account, created by an admin, logged.
pub async fn create(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    draft: &UserDraft,
    password_hash: &str,
) -> AppResult<UserId> {
    let actor = Actor {
        id: &viewer.id.0,
        name: &viewer.name,
    };
    accounts::create(
        conn,
        Some(actor),
        draft.name.as_str(),
        &draft.email,
        draft.role,
        password_hash,
    )
    .await
}

/// Refuses to take away the last active admin. Locks the active admins' rows
/// first, so two admins demoting each other at once cannot both succeed.
async fn keep_an_admin(conn: &mut AnyConnection, user: &UserRecord, doing: &str) -> AppResult<()> {
    if user.role != Role::Admin.as_str() || user.active != 1 {
        return Ok(());
    }
    sqlx::query("UPDATE users SET updated_at = updated_at WHERE role = 'admin' AND active = 1")
        .execute(&mut *conn)
        .await?;
    let (others,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = 1 AND id <> $1",
    )
    .bind(&user.id)
    .fetch_one(&mut *conn)
    .await?;
    if others == 0 {
        return Err(AppError::Conflict(format!(
            "{} is the last active admin, so they cannot be {doing}. Make someone else an admin first.",
            user.name
        )));
    }
    Ok(())
}

/// Saves name, email and role unless someone saved since `version`. A new role
/// ends the user's sessions, so it applies at once.
pub async fn update(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &UserId,
    version: i64,
    draft: &UserDraft,
) -> AppResult<()> {
    let old = find(conn, id).await?;
    let role_changes = old.role != draft.role.as_str();
    if role_changes {
        keep_an_admin(conn, &old, "made an agent").await?;
    }
    let now = now_ms();
    let saved = sqlx::query(
        "UPDATE users SET name = $1, email = $2, role = $3, version = version + 1, updated_at = $4 \
         WHERE id = $5 AND version = $6 AND deleted_at IS NULL",
    )
    .bind(draft.name.as_str())
    .bind(draft.email.as_str())
    .bind(draft.role.as_str())
    .bind(now)
    .bind(&id.0)
    .bind(version)
    .execute(&mut *conn)
    .await
    .on_unique("email", "Another user already has this email address.")?;
    applied(saved, || {
        AppError::Conflict(
            "Someone changed this user since you opened it. Reload to see their change.".into(),
        )
    })?;
    if role_changes {
        revoke_all_sessions(conn, &id.0, None, now).await?;
    }
    let old_role = old.role()?;
    let changes = changes_json(&[
        ("name", &old.name, draft.name.as_str()),
        ("email", &old.email, draft.email.as_str()),
        ("role", old_role.label(), draft.role.label()),
    ]);
    if changes.is_some() {
        record(
            conn,
            entry(viewer, Action::Update, &id.0, draft.name.as_str(), changes),
        )
        .await?;
    }
    Ok(())
}

/// The email address of an existing user (for the password policy).
pub async fn email_of(conn: &mut AnyConnection, id: &UserId) -> AppResult<String> {
    Ok(find(conn, id).await?.email)
}

/// Gives a user a new password chosen by an admin; their sessions end.
pub async fn reset_password(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &UserId,
    password_hash: &str,
) -> AppResult<()> {
    let user = find(conn, id).await?;
    let now = now_ms();
    write_password(conn, id, password_hash, now).await?;
    revoke_all_sessions(conn, &id.0, None, now).await?;
    record(
        conn,
        entry(viewer, Action::PasswordReset, &id.0, &user.name, None),
    )
    .await?;
    Ok(())
}

async fn write_password(
    conn: &mut AnyConnection,
    id: &UserId,
    password_hash: &str,
    now: i64,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE users SET password_hash = $1, version = version + 1, updated_at = $2 WHERE id = $3",
    )
    .bind(password_hash)
    .bind(now)
    .bind(&id.0)
    .execute(conn)
    .await?;
    Ok(())
}

/// Deactivates (ending every session at once) or reactivates a user.
pub async fn set_active(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &UserId,
    active: bool,
) -> AppResult<()> {
    let user = find(conn, id).await?;
    if (user.active == 1) == active {
        return Ok(());
    }
    if !active {
        keep_an_admin(conn, &user, "deactivated").await?;
    }
    let now = now_ms();
    sqlx::query(
        "UPDATE users SET active = $1, version = version + 1, updated_at = $2 WHERE id = $3",
    )
    .bind(i64::from(active))
    .bind(now)
    .bind(&id.0)
    .execute(&mut *conn)
    .await?;
    if !active {
        revoke_all_sessions(conn, &id.0, None, now).await?;
    }
    let action = if active {
        Action::Reactivate
    } else {
        Action::Deactivate
    };
    record(conn, entry(viewer, action, &id.0, &user.name, None)).await?;
    Ok(())
}

/// A kind of record a user can hold, as a deleted user's handover needs it.
struct Held {
    table: &'static str,
    /// The column naming the holder.
    owner: &'static str,
    /// The column the log labels a record with.
    label: &'static str,
    /// The field name the log uses for the holder.
    field: &'static str,
    entity_type: EntityType,
}

const HELD: [Held; 3] = [
    Held {
        table: "leads",
        owner: "assignee_id",
        label: "name",
        field: "assignee",
        entity_type: EntityType::Lead,
    },
    Held {
        table: "customers",
        owner: "owner_id",
        label: "name",
        field: "owner",
        entity_type: EntityType::Customer,
    },
    Held {
        table: "tasks",
        owner: "assignee_id",
        label: "title",
        field: "assignee",
        entity_type: EntityType::Task,
    },
];

/// Deletes a user after giving everything they hold (archived records too) to
/// `receiver`, an active team member; each record's handover is logged on it.
/// The row stays, without email or password, so notes and history keep the name.
pub async fn delete(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    id: &UserId,
    receiver: Option<&UserId>,
) -> AppResult<()> {
    if *id == viewer.id {
        return Err(AppError::Conflict(
            "You cannot delete your own account. Ask another admin to do it.".into(),
        ));
    }
    let user = find(conn, id).await?;
    keep_an_admin(conn, &user, "deleted").await?;
    let held = holdings(conn, id).await?;
    let now = now_ms();
    let mut changes = None;
    if !held.is_empty() {
        let receiver = receiver.filter(|r| *r != id).ok_or_else(|| {
            AppError::invalid(
                "receiver",
                format!(
                    "{} holds {}. Choose who receives them.",
                    user.name,
                    held.describe()
                ),
            )
        })?;
        let receiver_name = assignable_name(conn, receiver).await.map_err(|_| {
            AppError::invalid("receiver", "Choose an active team member to receive them.")
        })?;
        for held in &HELD {
            let handover = Handover {
                from: (id, &user.name),
                to: (receiver, &receiver_name),
                now,
            };
            hand_over_all(conn, viewer, held, &handover).await?;
        }
        changes = changes_json(&[(
            "records",
            "",
            &format!("{} given to {receiver_name}", held.describe()),
        )]);
    }
    revoke_all_sessions(conn, &id.0, None, now).await?;
    sqlx::query(
        "UPDATE users SET active = 0, deleted_at = $1, email = $2, password_hash = '!', \
         version = version + 1, updated_at = $1 WHERE id = $3",
    )
    .bind(now)
    .bind(format!("deleted-{}@deleted.invalid", id.0))
    .bind(&id.0)
    .execute(&mut *conn)
    .await?;
    record(
        conn,
        entry(viewer, Action::Delete, &id.0, &user.name, changes),
    )
    .await?;
    Ok(())
}

/// Who gives records to whom (id and name each), and when.
struct Handover<'a> {
    from: (&'a UserId, &'a str),
    to: (&'a UserId, &'a str),
    now: i64,
}

/// Moves every record of one kind from the old holder to the new and logs one
/// handover per record, each as two set-based statements (the log first, while
/// the old holder still selects the rows).
async fn hand_over_all(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    held: &Held,
    handover: &Handover<'_>,
) -> AppResult<()> {
    let Held {
        table,
        owner: column,
        label,
        field,
        entity_type,
    } = *held;
    let Handover {
        from: (from, from_name),
        to: (to, to_name),
        now,
    } = *handover;
    let change = serde_json::json!({ field: [from_name, to_name] }).to_string();
    // Each entry's id: a fresh time-ordered prefix and the record's own id, so unique.
    sqlx::query(&format!(
        "INSERT INTO activity (id, at, actor_id, actor_name, action, entity_type, entity_id, label, changes) \
         SELECT $1 || r.id, $2, $3, $4, $5, $6, r.id, r.{label}, $7 FROM {table} r WHERE r.{column} = $8"
    ))
    .bind(format!("{}-", new_id()))
    .bind(now)
    .bind(&viewer.id.0)
    .bind(&viewer.name)
    .bind(Action::Assign.as_str())
    .bind(entity_type.as_str())
    .bind(change)
    .bind(&from.0)
    .execute(&mut *conn)
    .await?;
    sqlx::query(&format!(
        "UPDATE {table} SET {column} = $1, version = version + 1, updated_at = $2 WHERE {column} = $3"
    ))
    .bind(&to.0)
    .bind(now)
    .bind(&from.0)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

// ---- Each user's own profile ------------------------------------------------

/// Changes the viewer's own name.
pub async fn rename_self(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    name: &crate::auth::PersonName,
) -> AppResult<()> {
    if name.as_str() == viewer.name {
        return Ok(());
    }
    sqlx::query("UPDATE users SET name = $1, version = version + 1, updated_at = $2 WHERE id = $3")
        .bind(name.as_str())
        .bind(now_ms())
        .bind(&viewer.id.0)
        .execute(&mut *conn)
        .await?;
    let changes = changes_json(&[("name", &viewer.name, name.as_str())]);
    record(
        conn,
        entry(viewer, Action::Update, &viewer.id.0, name.as_str(), changes),
    )
    .await?;
    Ok(())
}

/// Stores the viewer's new password and ends their other sessions; this one stays.
pub async fn change_own_password(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    password_hash: &str,
) -> AppResult<u64> {
    let now = now_ms();
    write_password(conn, &viewer.id, password_hash, now).await?;
    let ended = revoke_all_sessions(conn, &viewer.id.0, Some(&viewer.session_id), now).await?;
    record(
        conn,
        entry(
            viewer,
            Action::PasswordChange,
            &viewer.id.0,
            &viewer.name,
            None,
        ),
    )
    .await?;
    Ok(ended)
}

#[derive(sqlx::FromRow)]
struct SessionRecord {
    id: String,
    user_agent: String,
    client_addr: String,
    created_at: i64,
    last_used_at: i64,
}

/// The viewer's sessions still signed in, most recently used first.
pub async fn own_sessions(db: &Db, viewer: &Viewer) -> AppResult<Vec<SessionInfo>> {
    let records: Vec<SessionRecord> = sqlx::query_as(
        "SELECT id, user_agent, client_addr, created_at, last_used_at FROM sessions \
         WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 \
         ORDER BY last_used_at DESC, id DESC LIMIT 100",
    )
    .bind(&viewer.id.0)
    .bind(now_ms())
    .fetch_all(&db.pool)
    .await?;
    Ok(records
        .into_iter()
        .map(|s| SessionInfo {
            current: s.id == viewer.session_id,
            device: describe_device(&s.user_agent),
            address: s.client_addr,
            signed_in_at: s.created_at,
            last_used_at: s.last_used_at,
            id: s.id,
        })
        .collect())
}

/// Signs the viewer out of one of their own sessions; 404 for anyone else's.
pub async fn end_own_session(
    conn: &mut AnyConnection,
    viewer: &Viewer,
    session_id: &str,
) -> AppResult<()> {
    let ended = sqlx::query(
        "UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
    )
    .bind(now_ms())
    .bind(session_id)
    .bind(&viewer.id.0)
    .execute(&mut *conn)
    .await?;
    if ended.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    record(
        conn,
        entry(viewer, Action::SignOut, &viewer.id.0, &viewer.name, None),
    )
    .await?;
    Ok(())
}
