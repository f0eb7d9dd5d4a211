//! The append-only activity log: who did what to which record, and when.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use crate::ids::UserId;
use crate::list::{self, Params, QueryString};
use serde::{Deserialize, Serialize};

/// What happened, in the log's own words.
#[derive(strum::VariantArray, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    Create,
    Update,
    Archive,
    Restore,
    Delete,
    Assign,
    /// A lead moved to another status without other edits (the board).
    StatusChange,
    Convert,
    /// A note added to, edited on or deleted from a lead or customer.
    NoteAdd,
    NoteEdit,
    NoteDelete,
    SignIn,
    SignOut,
    SignInFailed,
    /// A user changed their own password.
    PasswordChange,
    /// An admin gave a user a new password.
    PasswordReset,
    Deactivate,
    Reactivate,
    /// Two-factor sign-in turned on (by its user), off (by its user, with
    /// password and code), or reset by an admin.
    TwoFactorOn,
    TwoFactorOff,
    TwoFactorReset,
    /// New recovery codes, the old ones void.
    RecoveryCodesRenewed,
    /// A file of leads or customers brought in (one entry for the file, with its counts).
    Import,
    /// An import undone: what it created archived, what it updated put back.
    UndoImport,
    /// A personal API token made, used for the first time, or revoked (on its owner).
    TokenCreate,
    TokenFirstUse,
    TokenRevoke,
}

crate::named_variants!(Action);

impl Action {
    /// The action's name in the activity page's filter.
    pub fn label(self) -> &'static str {
        match self {
            Self::Create => "Created",
            Self::Update => "Changed",
            Self::Archive => "Archived",
            Self::Restore => "Restored",
            Self::Delete => "Deleted",
            Self::Assign => "Reassigned",
            Self::StatusChange => "Status changed",
            Self::Convert => "Converted",
            Self::NoteAdd => "Note added",
            Self::NoteEdit => "Note edited",
            Self::NoteDelete => "Note deleted",
            Self::SignIn => "Signed in",
            Self::SignOut => "Signed out",
            Self::SignInFailed => "Failed sign-in",
            Self::PasswordChange => "Password changed",
            Self::PasswordReset => "Password reset",
            Self::Deactivate => "Deactivated",
            Self::Reactivate => "Reactivated",
            Self::TwoFactorOn => "Two-factor turned on",
            Self::TwoFactorOff => "Two-factor turned off",
            Self::TwoFactorReset => "Two-factor reset",
            Self::RecoveryCodesRenewed => "Recovery codes renewed",
            Self::Import => "Imported",
            Self::UndoImport => "Import undone",
            Self::TokenCreate => "API token created",
            Self::TokenFirstUse => "API token first used",
            Self::TokenRevoke => "API token revoked",
        }
    }

    /// What the actor did to a record, as a phrase between their name and the
    /// record's ("Maria *added a note to* lead Ana Silva").
    pub fn phrase(self) -> &'static str {
        match self {
            Self::Create => "created",
            Self::Update => "changed",
            Self::Archive => "archived",
            Self::Restore => "restored",
            Self::Delete => "deleted",
            Self::Assign => "reassigned",
            Self::StatusChange => "moved",
            Self::Convert => "converted",
            Self::NoteAdd => "added a note to",
            Self::NoteEdit => "edited a note on",
            Self::NoteDelete => "deleted a note on",
            Self::SignIn => "signed in",
            Self::SignOut => "signed out",
            Self::SignInFailed => "failed to sign in as",
            Self::PasswordChange => "changed the password of",
            Self::PasswordReset => "reset the password of",
            Self::Deactivate => "deactivated",
            Self::Reactivate => "reactivated",
            Self::TwoFactorOn => "turned on two-factor sign-in for",
            Self::TwoFactorOff => "turned off two-factor sign-in for",
            Self::TwoFactorReset => "reset two-factor sign-in of",
            Self::RecoveryCodesRenewed => "renewed the recovery codes of",
            Self::Import => "imported",
            Self::UndoImport => "undid an import of",
            Self::TokenCreate => "made an API token for",
            Self::TokenFirstUse => "first used an API token of",
            Self::TokenRevoke => "revoked an API token of",
        }
    }

    /// Signing in and out: about the actor themselves, not a record.
    pub fn is_session(self) -> bool {
        matches!(self, Self::SignIn | Self::SignOut)
    }

    /// What the actor did, as a phrase after their name.
    pub fn verb(self) -> &'static str {
        match self {
            Self::Create => "created it",
            Self::Update => "changed it",
            Self::Archive => "deleted (archived) it",
            Self::Restore => "restored it",
            Self::Delete => "deleted it",
            Self::Assign => "reassigned it",
            Self::StatusChange => "changed its status",
            Self::Convert => "converted it to a customer",
            Self::NoteAdd => "added a note",
            Self::NoteEdit => "edited a note",
            Self::NoteDelete => "deleted a note",
            Self::SignIn => "signed in",
            Self::SignOut => "signed out",
            Self::SignInFailed => "failed to sign in",
            Self::PasswordChange => "changed the password",
            Self::PasswordReset => "reset the password",
            Self::Deactivate => "deactivated the account",
            Self::Reactivate => "reactivated the account",
            Self::TwoFactorOn => "turned on two-factor sign-in",
            Self::TwoFactorOff => "turned off two-factor sign-in",
            Self::TwoFactorReset => "reset two-factor sign-in",
            Self::RecoveryCodesRenewed => "renewed the recovery codes",
            Self::Import => "imported a file",
            Self::UndoImport => "undid an import",
            Self::TokenCreate => "made an API token",
            Self::TokenFirstUse => "first used an API token",
            Self::TokenRevoke => "revoked an API token",
        }
    }
}

/// One entry of the log, as the activity page and a record's history show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityEntry {
    pub id: String,
    pub at: i64,
    pub actor_name: String,
    pub action: Action,
    pub entity_type: EntityType,
    pub entity_id: Option<String>,
    /// What the record was called when this happened (kept after it is gone).
    pub label: String,
    /// Each changed field: name, old value, new value.
    pub changes: Vec<(String, String, String)>,
}

impl ActivityEntry {
    /// The page of the record the entry is about, for records that have one.
    pub fn href(&self) -> Option<String> {
        self.entity_type.page(self.entity_id.as_deref()?)
    }
}

/// The kind of record an entry is about.
#[derive(strum::VariantArray, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EntityType {
    User,
    Lead,
    Customer,
    Task,
    Settings,
}

crate::named_variants!(EntityType);

/// A record that activity entries are written about: its kind and id.
pub trait Logged {
    fn entity(&self) -> (EntityType, &str);
}

macro_rules! logged_ids {
    ($($id:ty => $kind:ident),*) => {$(
        impl Logged for $id {
            fn entity(&self) -> (EntityType, &str) {
                (EntityType::$kind, self.as_str())
            }
        }
    )*};
}

logged_ids!(
    crate::ids::LeadId => Lead,
    crate::ids::CustomerId => Customer,
    crate::ids::TaskId => Task,
    crate::ids::UserId => User
);

impl EntityType {
    /// The page of the record `id` of this kind, for kinds that have one.
    pub fn page(self, id: &str) -> Option<String> {
        let area = match self {
            Self::Lead => "leads",
            Self::Customer => "customers",
            Self::Task => "tasks",
            Self::User => "users",
            Self::Settings => return None,
        };
        Some(format!("/{area}/{id}"))
    }

    /// The table holding this kind of record and the column naming whom a
    /// record belongs to, for the kinds an agent sees by ownership.
    pub fn owned_table(self) -> Option<(&'static str, &'static str)> {
        match self {
            Self::Lead => Some(("leads", "assignee_id")),
            Self::Customer => Some(("customers", "owner_id")),
            Self::Task => Some(("tasks", "assignee_id")),
            Self::User | Self::Settings => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::User => "User",
            Self::Lead => "Lead",
            Self::Customer => "Customer",
            Self::Task => "Task",
            Self::Settings => "Settings",
        }
    }
}

/// What the activity log narrows to, as in its URL. Newest entries first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ActivityFilters {
    /// Admins only: entries by this team member.
    pub actor: Option<UserId>,
    pub entity_type: Option<EntityType>,
    pub action: Option<Action>,
    /// On or after this day (`YYYY-MM-DD`, the organisation's calendar).
    pub from: Option<String>,
    /// On or before this day.
    pub to: Option<String>,
}

impl list::Filters for ActivityFilters {
    const PATH: &'static str = "/activity";
    const SEARCH: bool = false;
    type Sort = list::FixedOrder;

    fn read(params: &Params<impl Fn(&str) -> Option<String>>) -> Self {
        Self {
            actor: params.id("actor").map(UserId::from),
            entity_type: params.text("type").and_then(|t| EntityType::parse(&t)),
            action: params.text("action").and_then(|a| Action::parse(&a)),
            from: params.date("from"),
            to: params.date("to"),
        }
    }

    fn write(&self, qs: &mut QueryString) {
        qs.set_some("actor", self.actor.as_ref().map(UserId::to_string));
        qs.set_some("type", self.entity_type.map(EntityType::as_str));
        qs.set_some("action", self.action.map(Action::as_str));
        qs.set_some("from", self.from.clone());
        qs.set_some("to", self.to.clone());
    }
}

/// The activity page's filters and page.
pub type ActivityQuery = list::Query<ActivityFilters>;

/// A page of the log.
pub type ActivityPage = list::Page<ActivityFilters, ActivityEntry>;

#[cfg(test)]
mod tests {
    use super::*;

    fn query(qs: &str) -> ActivityQuery {
        ActivityQuery::from_params(crate::list::query_params(qs))
    }

    #[test]
    fn the_activity_filters_round_trip_through_the_url() {
        let q =
            query("type=lead&action=status_change&from=2026-11-01&to=2026-11-24&page=3&actor=u1");
        assert_eq!(q.entity_type, Some(EntityType::Lead));
        assert_eq!(q.action, Some(Action::StatusChange));
        assert_eq!(q.page, 3);
        assert_eq!(query(&q.to_query_string()), q);
        assert!(q.is_filtered());
    }

    #[test]
    fn unknown_or_malformed_filters_are_ignored() {
        let q = query("type=planet&action=explode&from=yesterday&page=0");
        assert_eq!(q, ActivityQuery::default());
        assert!(!q.is_filtered());
        assert_eq!(q.href(), "/activity");
    }
}
