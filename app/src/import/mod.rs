//! Bringing a team's book in: leads and customers from CSV and Excel files.
//! `source` reads a file whatever its format, encoding and delimiter, and `stream`
//! hands its rows over a batch at a time; `mapping`
//! proposes the Kith field each of its columns fills, from the header names that
//! well-known CRM exports use, and the Kith status each of its status values means;
//! `rows` turns a row into the lead or customer it describes, checked as the forms
//! check what is typed; `store` writes them, a batch per transaction (`kith import`).

pub mod api;
#[cfg(feature = "ssr")]
pub mod http;
pub mod job;
pub mod mapping;
pub mod pages;
pub mod rows;
#[cfg(feature = "ssr")]
pub mod source;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod stream;

use serde::{Deserialize, Serialize};

/// What a file brings in.
#[derive(strum::VariantArray, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ImportKind {
    Leads,
    Customers,
}

crate::named_variants!(ImportKind, field = "kind");

impl ImportKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Leads => "Leads",
            Self::Customers => "Customers",
        }
    }
}

/// What happens to a row whose email matches a record already there, or an earlier row.
#[derive(strum::VariantArray, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OnDuplicate {
    /// Leave the record as it is.
    Skip,
    /// Fill the record's fields from the row's mapped, non-empty values.
    Update,
    /// Create a record anyway.
    Create,
}

crate::named_variants!(OnDuplicate, field = "on_duplicate");

impl OnDuplicate {
    pub fn label(self) -> &'static str {
        match self {
            Self::Skip => "Skip the row",
            Self::Update => "Update the existing record",
            Self::Create => "Create a new record anyway",
        }
    }
}
