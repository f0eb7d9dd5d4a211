//! The leads area: people who might buy, worked by agents until won or lost.

pub mod api;
#[cfg(feature = "ssr")]
pub mod export;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use crate::auth::{Email, Validator};
use crate::error::{AppResult, FieldError};
use crate::fields::{multiline_field, optional_email, parse_phone, text_field};
use crate::list::{self, Params, QueryString, SortKey};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use strum::VariantArray;

/// Identifies a lead; never confused with another record's id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LeadId(pub String);

impl fmt::Display for LeadId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::VariantArray,
    strum::IntoStaticStr,
)]
#[strum(serialize_all = "snake_case")]
pub enum LeadStatus {
    New,
    InProgress,
    Won,
    Lost,
}

impl LeadStatus {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::New => "New",
            Self::InProgress => "In Progress",
            Self::Won => "Closed Won",
            Self::Lost => "Closed Lost",
        }
    }
}

impl FromStr for LeadStatus {
    type Err = FieldError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::VARIANTS
            .iter()
            .copied()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| {
                FieldError::new(
                    "status",
                    "Choose one of New, In Progress, Closed Won or Closed Lost.",
                )
            })
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
    pub assignee_id: String,
    pub assignee_name: String,
    pub notes: String,
    pub customer_id: Option<String>,
    pub version: i64,
    pub archived: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The columns a lead list can be sorted by.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    Default,
    strum::VariantArray,
    strum::IntoStaticStr,
)]
#[strum(serialize_all = "snake_case")]
pub enum LeadSort {
    Name,
    Company,
    Status,
    Assignee,
    #[default]
    Created,
    Updated,
}

impl SortKey for LeadSort {
    fn descending_first(self) -> bool {
        matches!(self, Self::Created | Self::Updated)
    }
}

/// What a lead list shows: search, filters, sort and page. Lives in the URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub struct LeadQuery {
    pub search: String,
    pub status: Option<LeadStatus>,
    /// Admins only: leads assigned to this user.
    pub agent: Option<String>,
    pub sort: LeadSort,
    pub descending: bool,
    pub page: u32,
    pub per_page: u32,
    /// Admins only: the archive instead of the live list.
    pub archived: bool,
}

crate::travels_as_query_string!(LeadQuery);

impl Default for LeadQuery {
    fn default() -> Self {
        Self {
            search: String::new(),
            status: None,
            agent: None,
            sort: LeadSort::Created,
            descending: true,
            page: 1,
            per_page: list::DEFAULT_PER_PAGE,
            archived: false,
        }
    }
}

impl LeadQuery {
    /// Reads the URL's query parameters leniently: anything unknown falls back to the default.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let params = Params(get);
        let (sort, descending) = params.sort(LeadSort::Created);
        Self {
            search: params.search(),
            status: params.parsed("status"),
            agent: params.id("agent"),
            sort,
            descending,
            page: params.page(),
            per_page: params.per_page(),
            archived: params.flag("archived"),
        }
    }

    /// The query string that reproduces this list (defaults left out).
    pub fn to_query_string(&self) -> String {
        let mut qs = QueryString::default();
        qs.set_search(&self.search);
        qs.set_some("status", self.status.map(LeadStatus::as_str));
        qs.set_some("agent", self.agent.clone());
        qs.set_sort((self.sort, self.descending), LeadSort::Created);
        qs.set_paging(self.page, self.per_page);
        qs.set_flag("archived", self.archived);
        qs.finish()
    }

    /// The same list sorted by `sort` (toggling direction when already sorted by it), from page 1.
    pub fn href(&self) -> String {
        list::href("/leads", &self.to_query_string())
    }

    pub fn sorted_by(&self, sort: LeadSort) -> Self {
        let (sort, descending) = list::toggled_sort((self.sort, self.descending), sort);
        Self {
            sort,
            descending,
            page: 1,
            ..self.clone()
        }
    }

    pub fn on_page(&self, page: u32) -> Self {
        Self {
            page,
            ..self.clone()
        }
    }
}

/// One row of a lead list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadRow {
    pub id: LeadId,
    pub name: String,
    pub email: String,
    pub company: String,
    pub status: LeadStatus,
    pub assignee_name: String,
    pub version: i64,
    pub created_at: i64,
}

/// A page of a lead list, with the total the filters match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadPage {
    pub rows: Vec<LeadRow>,
    pub total: i64,
    pub query: LeadQuery,
}

impl LeadPage {
    pub fn page_count(&self) -> u32 {
        list::page_count(self.total, self.query.per_page)
    }
}

/// The board: one column per status, each with its total and its first cards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadBoard {
    pub columns: Vec<LeadPage>,
}

impl LeadBoard {
    /// Cards shown per column; the column's total and a link to the full list say the rest.
    pub const CARDS_PER_COLUMN: u32 = 50;
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
pub const NAME_MAX: usize = 120;
pub const COMPANY_MAX: usize = 120;
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

impl TryFrom<&LeadForm> for LeadDraft {
    type Error = crate::error::AppError;

    /// Validates every field at once, reporting each problem next to its field.
    fn try_from(form: &LeadForm) -> AppResult<Self> {
        let mut check = Validator::default();
        let name = check.check(text_field("name", &form.name, NAME_MAX, true));
        let email = check.check(optional_email(&form.email));
        let phone = check.check(parse_phone(&form.phone));
        let company = check.check(text_field("company", &form.company, COMPANY_MAX, false));
        let source = check.check(text_field("source", &form.source, SOURCE_MAX, false));
        let status = check.check(form.status.parse::<LeadStatus>());
        let notes = check.check(multiline_field("notes", &form.notes, NOTES_MAX, false));
        check.finish()?;
        match (name, email, phone, company, source, status, notes) {
            (
                Some(name),
                Some(email),
                Some(phone),
                Some(company),
                Some(source),
                Some(status),
                Some(notes),
            ) => Ok(Self {
                name,
                email,
                phone,
                company,
                source,
                status,
                notes,
            }),
            _ => Err(crate::error::AppError::Internal),
        }
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
        let draft = LeadDraft::try_from(&LeadForm {
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
        assert_eq!(
            draft.email.as_ref().map(Email::as_str),
            Some("ana@example.com")
        );
        assert_eq!(draft.status, LeadStatus::InProgress);
        assert_eq!(draft.notes, "Met at expo\nCall back");
        assert_eq!(draft.search_text(), "ana silva ana@example.com acme");
    }

    #[test]
    fn every_invalid_field_is_reported_at_once() {
        let err = LeadDraft::try_from(&LeadForm {
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
            status: Some(LeadStatus::Won),
            sort: LeadSort::Name,
            descending: false,
            page: 3,
            ..LeadQuery::default()
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
        let query = LeadQuery {
            page: 4,
            ..LeadQuery::default()
        };
        let by_name = query.sorted_by(LeadSort::Name);
        assert_eq!((by_name.page, by_name.descending), (1, false));
        assert!(by_name.sorted_by(LeadSort::Name).descending);
    }
}
