//! `/api/v1/users`: the team. Everyone reads the active members (whom records go
//! to); admins read every account and create and change them, through the same
//! checks as the users page (the last admin stays an admin, a new role or a
//! deactivation ends the person's sessions).

use super::extract::{Body, IdempotencyKey, IfMatch, Path, Query};
use super::paging::{self, List, Paging};
use super::problem::Problem;
use super::{idempotency, rfc3339, tagged, Caller};
use crate::auth::policy::{self, may_manage_users};
use crate::auth::{Checked, Role, UserId, Viewer};
use crate::error::AppError;
use crate::state::AppState;
use crate::users::{store, AccountState, User, UserDraft, UserForm, UserQuery, UserRow, UserSort};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(get, change))
}

/// What a team list narrows to.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct UserFilterParams {
    /// Part of a name or an email address.
    q: Option<String>,
    #[param(value_type = Option<Role>, inline)]
    role: Option<String>,
    /// Admins: `deactivated` for former members (agents see active members only).
    #[param(value_type = Option<AccountState>, inline)]
    state: Option<String>,
    /// The column to sort by (default `name`).
    #[param(value_type = Option<UserSort>, inline)]
    sort: Option<String>,
}

/// A team member.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserOut {
    id: String,
    name: String,
    email: String,
    #[schema(value_type = Role)]
    role: &'static str,
    active: bool,
    /// Admins only; `null` for others.
    last_sign_in_at: Option<String>,
    created_at: String,
}

impl UserOut {
    fn of(row: UserRow, viewer: &Viewer) -> Self {
        Self {
            id: row.id.into_string(),
            name: row.name,
            email: row.email,
            role: row.role.as_str(),
            active: row.active,
            last_sign_in_at: row.last_sign_in_at.filter(|_| viewer.is_admin()).map(rfc3339),
            created_at: rfc3339(row.created_at),
        }
    }
}

/// A new team member (admins).
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    name: String,
    #[schema(format = Email)]
    email: String,
    #[schema(value_type = Role)]
    role: String,
    /// Their first password, at least 12 characters; they can change it on their profile.
    password: String,
}

/// Fields to change on an account (admins); those left out keep their value.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserChanges {
    name: Option<String>,
    /// Empty for none.
    #[schema(pattern = r"^$|^[^@\s]+@[^@\s]+$")]
    email: Option<String>,
    #[schema(value_type = Option<Role>)]
    role: Option<String>,
    /// `false` deactivates the account (ending its sessions and revoking its API
    /// tokens), `true` reactivates it.
    active: Option<bool>,
}

/// A user's id in a path.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct UserPath {
    id: String,
}

/// The team, a page at a time.
#[utoipa::path(get, path = "/users", tag = "users", operation_id = "list_user", params(UserFilterParams, Paging),
    responses((status = 200, body = List<UserOut>), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    caller: Caller,
    State(state): State<AppState>,
    Query(filters): Query<UserFilterParams>,
    Query(paging): Query<Paging>,
) -> Result<axum::Json<List<UserOut>>, Problem> {
    let viewer = &caller.viewer;
    let mut errors = Vec::new();
    let role = paging::known::<Role>("role", &filters.role, &mut errors);
    let account_state = paging::known::<AccountState>("state", &filters.state, &mut errors);
    let account_state = match may_manage_users(viewer) {
        true => account_state,
        false => Some(AccountState::Active.as_str().to_owned()),
    };
    let mut query: UserQuery = paging::query(
        &paging,
        filters.sort.as_deref(),
        |name| match name {
            "q" => filters.q.clone(),
            "role" => role.clone(),
            "state" => account_state.clone(),
            _ => None,
        },
        errors,
    )?;
    if !may_manage_users(viewer) {
        // A cursor carries its own filters: agents' lists stay on active members.
        query.filters.state = Some(AccountState::Active);
    }
    let page = store::list(&state.db, &query).await?;
    Ok(axum::Json(List::of_with(page, |row| UserOut::of(row, viewer))))
}

/// One team member: admins reach every account, others the active members.
#[utoipa::path(get, path = "/users/{id}", tag = "users", operation_id = "get_user", params(UserPath),
    responses((status = 200, body = UserOut, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn get(
    caller: Caller,
    State(state): State<AppState>,
    Path(path): Path<UserPath>,
) -> Result<Response, Problem> {
    let user = read(&state, &UserId::from(path.id)).await?;
    if !may_manage_users(&caller.viewer) && !user.account.active {
        return Err(AppError::NotFound.into());
    }
    Ok(tagged(StatusCode::OK, user.version, UserOut::of(user.account, &caller.viewer)))
}

async fn read(state: &AppState, id: &UserId) -> Result<User, Problem> {
    let mut conn = state.db.pool.acquire().await.map_err(AppError::from)?;
    Ok(store::get(&mut conn, id).await?)
}

/// Creates an account (admins). With an `Idempotency-Key`, a retry answers like
/// the first call.
#[utoipa::path(post, path = "/users", tag = "users", operation_id = "create_user", request_body = NewUser,
    params(("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,255}$", description = "Makes a retry safe: the same key within 24 hours answers with the first result.")),
    responses((status = 201, body = UserOut, headers(("ETag" = String), ("Location" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    caller: Caller,
    State(state): State<AppState>,
    IdempotencyKey(key): IdempotencyKey,
    Body(new): Body<NewUser>,
) -> Result<Response, Problem> {
    let viewer = caller.writer()?.clone();
    policy::require_admin(&viewer)?;
    // The fingerprint leaves the password out: it is never kept.
    let request = ("POST /users", &new.name, &new.email, &new.role);
    idempotency::once(&state, &caller, key, request, async || {
        let form =
            UserForm { name: new.name.clone(), email: new.email.clone(), role: new.role.clone() };
        let (draft, hash) = crate::users::api::new_account(&form, &new.password).await?;
        let id = state.db.write(async |tx| store::create(tx, &viewer, &draft, &hash).await).await?;
        let user = read(&state, &id).await?;
        Ok(super::created(
            &format!("/users/{id}"),
            user.version,
            UserOut::of(user.account, &viewer),
        ))
    })
    .await
}

/// Changes an account (admins), if it is still at the version in `If-Match`.
#[utoipa::path(patch, path = "/users/{id}", tag = "users", operation_id = "change_user", request_body = UserChanges,
    params(UserPath, ("If-Match" = String, Header, pattern = r#"^(W/)?"?[0-9]{1,18}"?$"#, description = "The user's ETag as last read.")),
    responses((status = 200, body = UserOut, headers(("ETag" = String))), (status = "4XX", body = Problem, content_type = "application/problem+json")))]
pub async fn change(
    caller: Caller,
    State(state): State<AppState>,
    Path(path): Path<UserPath>,
    IfMatch(version): IfMatch,
    Body(changes): Body<UserChanges>,
) -> Result<Response, Problem> {
    let viewer = caller.writer()?;
    policy::require_admin(viewer)?;
    let id = UserId::from(path.id);
    let user = read(&state, &id).await?;
    let account = &user.account;
    let form = UserForm {
        name: changes.name.unwrap_or_else(|| account.name.clone()),
        email: changes.email.unwrap_or_else(|| account.email.clone()),
        role: changes.role.unwrap_or_else(|| account.role.as_str().to_owned()),
    };
    let draft = UserDraft::checked(&form)?;
    state
        .db
        .write(async |tx| {
            store::update(tx, viewer, &id, version, &draft).await?;
            match changes.active {
                Some(active) if active != account.active => {
                    store::set_active(tx, viewer, &id, active).await
                }
                _ => Ok(()),
            }
        })
        .await?;
    let user = read(&state, &id).await?;
    Ok(tagged(StatusCode::OK, user.version, UserOut::of(user.account, viewer)))
}
