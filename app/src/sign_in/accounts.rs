//! Creating accounts: shared by first-run setup, `kith create-admin` and the demo seed.

use super::SetupForm;
use crate::activity::store::NewEntry;
use crate::activity::{Action, EntityType};
use crate::auth::store::{insert_user, NewUser};
use crate::auth::{password, Checked, Email, NewPassword, PersonName, Role, UserId, Validator};
use crate::error::AppResult;
use sqlx::AnyConnection;

/// A validated request for a new account.
pub struct NewAccount {
    pub name: PersonName,
    pub email: Email,
    pub password: NewPassword,
}

/// `password_confirm`, when given, must repeat the password.
impl Checked<SetupForm> for NewAccount {
    fn check(form: &SetupForm, check: &mut Validator) -> Option<Self> {
        let name = check.check(PersonName::parse("name", &form.name));
        let email = check.check(Email::parse("email", &form.email));
        let password = NewPassword::check_confirmed(
            check,
            &form.password,
            form.password_confirm.as_deref(),
            email.as_ref(),
        );
        Some(Self { name: name?, email: email?, password: password? })
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
    let user = insert_user(conn, NewUser { name, email, role, password_hash }).await?;
    let (actor_id, actor_name) = match &actor {
        Some(a) => (Some(a.id), a.name),
        None => (Some(user.as_str()), name),
    };
    NewEntry {
        actor_id,
        actor_name,
        action: Action::Create,
        entity_type: EntityType::User,
        entity_id: Some(user.as_str()),
        label: name,
        changes: None,
    }
    .record(conn)
    .await?;
    Ok(user)
}

/// Creates an administrator from a validated form, inside the caller's transaction.
pub async fn create_admin(
    conn: &mut AnyConnection,
    form: &NewAccount,
    password_hash: &str,
) -> AppResult<UserId> {
    create(conn, None, form.name.as_str(), &form.email, Role::Admin, password_hash).await
}

/// Hashes the form's password (on the blocking pool).
pub async fn password_hash(form: &NewAccount) -> AppResult<String> {
    password::hash(form.password.expose().to_owned()).await
}
