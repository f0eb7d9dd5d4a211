//! The append-only activity log: who did what to which record, and when.

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
            Self::SignIn => "sign_in",
            Self::SignOut => "sign_out",
            Self::SignInFailed => "sign_in_failed",
        }
    }
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
