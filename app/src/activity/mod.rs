//! The append-only activity log: who did what to which record, and when.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

/// What happened, in the log's own words.
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
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Archive => "archive",
            Self::Restore => "restore",
            Self::Delete => "delete",
            Self::Assign => "assign",
            Self::StatusChange => "status_change",
            Self::Convert => "convert",
            Self::NoteAdd => "note_add",
            Self::NoteEdit => "note_edit",
            Self::NoteDelete => "note_delete",
            Self::SignIn => "sign_in",
            Self::SignOut => "sign_out",
            Self::SignInFailed => "sign_in_failed",
        }
    }
}

impl Action {
    pub const ALL: [Self; 14] = [
        Self::Create,
        Self::Update,
        Self::Archive,
        Self::Restore,
        Self::Delete,
        Self::Assign,
        Self::StatusChange,
        Self::Convert,
        Self::NoteAdd,
        Self::NoteEdit,
        Self::NoteDelete,
        Self::SignIn,
        Self::SignOut,
        Self::SignInFailed,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
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
        }
    }
}

/// One entry of a record's history, as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityEntry {
    pub at: i64,
    pub actor_name: String,
    pub action: Action,
    /// Each changed field: name, old value, new value.
    pub changes: Vec<(String, String, String)>,
}

/// The kind of record an entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EntityType {
    User,
    Lead,
    Customer,
    Task,
    Settings,
}

impl EntityType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Lead => "lead",
            Self::Customer => "customer",
            Self::Task => "task",
            Self::Settings => "settings",
        }
    }
}
