//! Creating accounts: shared by first-run setup, `kith create-admin` and the demo seed.

use crate::activity::store::{record, NewEntry};
use crate::activity::{Action, EntityType};
use crate::auth::store::{insert_user, NewUser};
use crate::auth::{password, Email, NewPassword, PersonName, Role, UserId, Validator};
use crate::error::{AppError, AppResult};
use sqlx::AnyConnection;

/// A validated request for a new account.
pub struct AccountForm {
    pub name: PersonName,
    pub email: Email,
    pub password: NewPassword,
}

impl AccountForm {
    /// Validates every field at once; `confirm` must repeat the password when given.
    pub fn parse(
        name: &str,
        email: &str,
        password: &str,
        confirm: Option<&str>,
    ) -> AppResult<Self> {
        let mut form = Validator::default();
        let name = form.check(PersonName::parse("name", name));
        let email = form.check(Email::parse("email", email));
        let password = form.check(NewPassword::parse("password", password, email.as_ref()));
        if password.is_some()
            && confirm.is_some_and(|c| c != password.as_ref().map_or("", |p| p.expose()))
        {
            form.add("password_confirm", "The two passwords do not match.");
        }
        form.finish()?;
        match (name, email, password) {
            (Some(name), Some(email), Some(password)) => Ok(Self {
                name,
                email,
                password,
            }),
            _ => Err(AppError::Internal),
        }
    }
}

/// Who performs an account change, for the activity log (`None`: the system itself).
pub struct Actor<'a> {
    pub id: &'a str,
    pub name: &'a str,
}

/// Inserts the account and logs it, inside the caller's transaction.
pub async fn create(
    conn: &mut AnyConnection,
    actor: Option<Actor<'_>>,
    name: &str,
    email: &Email,
    role: Role,
    password_hash: &str,
) -> AppResult<UserId> {
    let user = insert_user(
        conn,
        NewUser {
            name,
            email,
            role,
            password_hash,
        },
    )
    .await?;
    let (actor_id, actor_name) = match &actor {
        Some(a) => (Some(a.id), a.name),
        None => (Some(user.as_str()), name),
    };
    record(
        conn,
        NewEntry {
            actor_id,
            actor_name,
            action: Action::Create,
            entity_type: EntityType::User,
            entity_id: Some(user.as_str()),
            label: name,
            changes: None,
        },
    )
    .await?;
    Ok(user)
}

/// Creates an administrator from a validated form, inside the caller's transaction.
pub async fn create_admin(
    conn: &mut AnyConnection,
    form: &AccountForm,
    password_hash: &str,
) -> AppResult<UserId> {
    create(
        conn,
        None,
        form.name.as_str(),
        &form.email,
        Role::Admin,
        password_hash,
    )
    .await
}

/// Hashes the form's password (on the blocking pool).
pub async fn password_hash(form: &AccountForm) -> AppResult<String> {
    password::hash(form.password.expose().to_owned()).await
}
