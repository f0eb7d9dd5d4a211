//! SQL for the users area, one part per file: the list, an admin's changes
//! to an account, deleting one with its handover, and each person's own
//! profile; here what they share (finding a user, the admin guard, the team
//! for pickers, handing a record to someone).

mod admin;
mod delete;
pub mod handover;
mod list;
mod profile;

pub use admin::create;
pub use admin::email_of;
pub use admin::get;
pub use admin::reset_password;
pub use admin::set_active;
pub use admin::update;
pub use delete::{delete, Handing};
pub use list::list;
pub use profile::change_own_password;
pub use profile::end_own_session;
pub use profile::own_sessions;
pub use profile::rename_self;

use super::{
    describe_device, AccountState, Holdings, SessionInfo, User, UserDraft, UserFilters, UserPage,
    UserQuery, UserRow, UserSort,
};
use crate::activity::store::{changes_json, NewEntry};
use crate::activity::{Action, EntityType};
use crate::auth::store::revoke_all_sessions;
use crate::auth::{Role, UserId, Viewer};
use crate::db::{applied, new_id, now_ms, Db, OnUnique};
use crate::error::{AppError, AppResult};
use crate::list::Page;
use crate::sign_in::accounts::{self, Actor};
use crate::sql::{like_pattern, Filter, Order, Update};
use sqlx::AnyConnection;

pub use crate::records::{assignable_name, hand_over, Reassignment};

/// Every team member, former ones too: (id, name, active), by name.
pub async fn names(db: &Db) -> AppResult<Vec<(String, String, bool)>> {
    let rows: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT id, name, active FROM users ORDER BY name, id")
            .fetch_all(&db.pool)
            .await?;
    Ok(rows.into_iter().map(|(id, name, active)| (id, name, active == 1)).collect())
}

// ---- The admins' list and pages -------------------------------------------

#[derive(sqlx::FromRow)]
struct UserRecord {
    id: UserId,
    name: String,
    email: String,
    role: String,
    active: i64,
    version: i64,
    created_at: i64,
    last_login_at: Option<i64>,
}

const USER_COLUMNS: &str =
    "u.id, u.name, u.email, u.role, u.active, u.version, u.created_at, u.last_login_at";

impl UserRecord {
    fn role(&self) -> AppResult<Role> {
        self.role.parse().map_err(|_| AppError::internal("unknown role in users table", &self.role))
    }

    fn into_row(self) -> AppResult<UserRow> {
        Ok(UserRow {
            role: self.role()?,
            id: self.id,
            name: self.name,
            email: self.email,
            active: self.active == 1,
            last_sign_in_at: self.last_login_at,
            created_at: self.created_at,
        })
    }
}

async fn find(conn: &mut AnyConnection, id: &UserId) -> AppResult<UserRecord> {
    sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1 AND u.deleted_at IS NULL"
    ))
    .bind(id.as_str())
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::NotFound)
}

/// The leads, customers and tasks assigned to `id`, archived ones included.
pub async fn holdings(conn: &mut AnyConnection, id: &UserId) -> AppResult<Holdings> {
    let (leads, customers, tasks): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM leads WHERE assignee_id = $1), \
                (SELECT COUNT(*) FROM customers WHERE owner_id = $1), \
                (SELECT COUNT(*) FROM tasks WHERE assignee_id = $1)",
    )
    .bind(id.as_str())
    .fetch_one(conn)
    .await?;
    Ok(Holdings { leads, customers, tasks })
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

async fn write_password(
    conn: &mut AnyConnection,
    id: &UserId,
    password_hash: &str,
) -> AppResult<()> {
    Update::new("users")
        .set("password_hash", password_hash.to_owned())
        .apply(conn, id.as_str(), || AppError::NotFound)
        .await
}
