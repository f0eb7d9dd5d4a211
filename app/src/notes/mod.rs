//! Notes: a timeline of plain-text notes on a lead or a customer.

pub mod api;
mod mentions;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use crate::error::FieldError;
pub use crate::ids::NoteId;
use serde::{Deserialize, Serialize};

/// A note as the timeline shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub id: NoteId,
    pub body: String,
    pub author_name: String,
    /// Whether the viewer may edit or delete it: its author, or an admin.
    pub editable: bool,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

pub const BODY_MAX: usize = 4000;

/// A note's text: required, at most `BODY_MAX` characters, line breaks kept.
pub fn parse_body(raw: &str) -> Result<String, FieldError> {
    crate::fields::multiline_field("body", raw, BODY_MAX, true)
}
