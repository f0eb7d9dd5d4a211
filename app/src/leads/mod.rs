//! The leads area: people who might buy, worked by agents until won or lost.
//! `query.rs` holds what a leads list or board shows (search, filters, sort,
//! page, in the URL).

mod query;

pub use query::LeadBoard;
pub use query::LeadFilters;
pub use query::LeadPage;
pub use query::LeadQuery;
pub use query::LeadRow;
pub use query::LeadSort;

pub mod api;
#[cfg(feature = "ssr")]
pub mod export;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use crate::auth::{Checked, Email, Validator};
use crate::fields::{multiline_field, text_field};
pub use crate::ids::LeadId;
use crate::ids::{CustomerId, UserId};
use crate::list::{self, Params, QueryString, SortKey};
use crate::records::ContactDetails;
use serde::{Deserialize, Serialize};

#[derive(strum::VariantArray, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LeadStatus {
    New,
    InProgress,
    Won,
    Lost,
}

crate::named_variants!(LeadStatus, field = "status");

impl LeadStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::New => "New",
            Self::InProgress => "In Progress",
            Self::Won => "Closed Won",
            Self::Lost => "Closed Lost",
        }
    }
}

/// A lead as its detail page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lead {
    pub id: LeadId,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub company: String,
    pub source: String,
    pub status: LeadStatus,
    pub assignee_id: UserId,
    pub assignee_name: String,
    pub notes: String,
    pub customer_id: Option<CustomerId>,
    pub version: i64,
    pub archived: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Leads created on one day of the organisation's calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCount {
    /// `YYYY-MM-DD` in the organisation's time zone.
    pub date: String,
    pub count: i64,
}

/// The editable fields of a lead, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadDraft {
    pub name: String,
    pub email: Option<Email>,
    pub phone: String,
    pub company: String,
    pub source: String,
    pub status: LeadStatus,
    pub notes: String,
}

/// Limits of free-text lead fields, in characters.
pub const SOURCE_MAX: usize = 60;
pub const NOTES_MAX: usize = 5000;

/// A lead's form as it is posted, for a new lead and for an edit alike: the
/// text as typed, each field empty when missing. `LeadDraft::try_from` checks it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LeadForm {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub company: String,
    pub source: String,
    pub status: String,
    pub notes: String,
}

impl Checked<LeadForm> for LeadDraft {
    fn check(form: &LeadForm, check: &mut Validator) -> Option<Self> {
        let contact =
            ContactDetails::check(check, [&form.name, &form.email, &form.phone, &form.company]);
        let source = check.check(text_field("source", &form.source, SOURCE_MAX, false));
        let status = check.check(form.status.parse::<LeadStatus>());
        let notes = check.check(multiline_field("notes", &form.notes, NOTES_MAX, false));
        let ContactDetails { name, email, phone, company } = contact?;
        Some(Self { name, email, phone, company, source: source?, status: status?, notes: notes? })
    }
}

impl LeadDraft {
    pub fn email_str(&self) -> &str {
        self.email.as_ref().map_or("", Email::as_str)
    }

    /// The lower-cased text the search box matches.
    pub fn search_text(&self) -> String {
        search_text(&self.name, self.email_str(), &self.company)
    }
}

pub fn search_text(name: &str, email: &str, company: &str) -> String {
    format!("{} {} {}", name, email, company).to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_draft_is_trimmed_and_normalised() {
        let draft = LeadDraft::checked(&LeadForm {
            name: " Ana Silva ".into(),
            email: "ANA@Example.com".into(),
            phone: "+1 (555) 010-2030".into(),
            company: " Acme ".into(),
            source: "Web".into(),
            status: "in_progress".into(),
            notes: "Met at expo\r\nCall back".into(),
        })
        .expect("valid");
        assert_eq!(draft.name, "Ana Silva");
        assert_eq!(draft.email.as_ref().map(Email::as_str), Some("ana@example.com"));
        assert_eq!(draft.status, LeadStatus::InProgress);
        assert_eq!(draft.notes, "Met at expo\nCall back");
        assert_eq!(draft.search_text(), "ana silva ana@example.com acme");
    }

    #[test]
    fn every_invalid_field_is_reported_at_once() {
        let err = LeadDraft::checked(&LeadForm {
            email: "not-an-email".into(),
            phone: "call me".into(),
            status: "maybe".into(),
            ..LeadForm::default()
        })
        .expect_err("invalid");
        for field in ["name", "email", "phone", "status"] {
            assert!(err.field_message(field).is_some(), "{field}");
        }
    }

    #[test]
    fn list_queries_round_trip_through_the_url() {
        let query = LeadQuery {
            search: "acme & co".into(),
            sort: LeadSort::Name,
            descending: false,
            page: 3,
            ..LeadQuery::with(LeadFilters { status: Some(LeadStatus::Won), ..Default::default() })
        };
        let qs = query.to_query_string();
        assert_eq!(LeadQuery::from_params(list::query_params(&qs)), query);
    }

    #[test]
    fn nonsense_in_the_url_falls_back_to_defaults() {
        let query = LeadQuery::from_params(|k| match k {
            "page" => Some("-4".into()),
            "per_page" => Some("100000".into()),
            "status" => Some("bogus".into()),
            "sort" => Some("password_hash".into()),
            _ => None,
        });
        assert_eq!(query, LeadQuery::default());
    }

    #[test]
    fn changing_sort_returns_to_the_first_page() {
        let query = LeadQuery { page: 4, ..LeadQuery::default() };
        let by_name = query.sorted_by(LeadSort::Name);
        assert_eq!((by_name.page, by_name.descending), (1, false));
        assert!(by_name.sorted_by(LeadSort::Name).descending);
    }
}
