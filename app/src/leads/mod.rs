//! The leads area: people who might buy, worked by agents until won or lost.

pub mod api;
#[cfg(feature = "ssr")]
pub mod export;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use crate::auth::{Email, Validator};
use crate::error::{AppResult, FieldError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// Identifies a lead; never confused with another record's id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LeadId(pub String);

impl fmt::Display for LeadId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LeadStatus {
    New,
    InProgress,
    Won,
    Lost,
}

impl LeadStatus {
    pub const ALL: [Self; 4] = [Self::New, Self::InProgress, Self::Won, Self::Lost];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::InProgress => "in_progress",
            Self::Won => "won",
            Self::Lost => "lost",
        }
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
        Self::ALL
            .into_iter()
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum LeadSort {
    Name,
    Company,
    Status,
    Assignee,
    #[default]
    Created,
    Updated,
}

impl LeadSort {
    pub const ALL: [Self; 6] = [
        Self::Name,
        Self::Company,
        Self::Status,
        Self::Assignee,
        Self::Created,
        Self::Updated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Company => "company",
            Self::Status => "status",
            Self::Assignee => "assignee",
            Self::Created => "created",
            Self::Updated => "updated",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|sort| sort.as_str() == s)
    }
}

/// What a lead list shows: search, filters, sort and page. Lives in the URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

impl Default for LeadQuery {
    fn default() -> Self {
        Self {
            search: String::new(),
            status: None,
            agent: None,
            sort: LeadSort::Created,
            descending: true,
            page: 1,
            per_page: Self::DEFAULT_PER_PAGE,
            archived: false,
        }
    }
}

impl LeadQuery {
    pub const DEFAULT_PER_PAGE: u32 = 25;
    pub const PER_PAGE_CHOICES: [u32; 4] = [10, 25, 50, 100];
    pub const MAX_SEARCH_LEN: usize = 100;

    /// Reads the URL's query parameters leniently: anything unknown falls back to the default.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let defaults = Self::default();
        let text = |key: &str| {
            get(key)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let sort = text("sort")
            .and_then(|s| LeadSort::parse(&s))
            .unwrap_or(defaults.sort);
        Self {
            search: text("q")
                .map(|q| q.chars().take(Self::MAX_SEARCH_LEN).collect())
                .unwrap_or_default(),
            status: text("status").and_then(|s| s.parse().ok()),
            agent: text("agent").filter(|a| a.len() <= 64),
            sort,
            descending: text("dir").map_or(
                sort == LeadSort::Created || sort == LeadSort::Updated,
                |d| d == "desc",
            ),
            page: text("page")
                .and_then(|p| p.parse().ok())
                .filter(|p| *p >= 1)
                .unwrap_or(1)
                .min(100_000),
            per_page: text("per_page")
                .and_then(|p| p.parse().ok())
                .filter(|p| Self::PER_PAGE_CHOICES.contains(p))
                .unwrap_or(defaults.per_page),
            archived: text("archived").is_some_and(|a| a == "1" || a == "true"),
        }
    }

    /// The query string that reproduces this list (defaults left out).
    pub fn to_query_string(&self) -> String {
        let defaults = Self::default();
        let mut params: BTreeMap<&str, String> = BTreeMap::new();
        if !self.search.is_empty() {
            params.insert("q", self.search.clone());
        }
        if let Some(status) = self.status {
            params.insert("status", status.as_str().to_owned());
        }
        if let Some(agent) = &self.agent {
            params.insert("agent", agent.clone());
        }
        if self.sort != defaults.sort || self.descending != defaults.descending {
            params.insert("sort", self.sort.as_str().to_owned());
            params.insert(
                "dir",
                if self.descending { "desc" } else { "asc" }.to_owned(),
            );
        }
        if self.page != 1 {
            params.insert("page", self.page.to_string());
        }
        if self.per_page != defaults.per_page {
            params.insert("per_page", self.per_page.to_string());
        }
        if self.archived {
            params.insert("archived", "1".to_owned());
        }
        params
            .into_iter()
            .map(|(k, v)| format!("{k}={}", url_encode(&v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The same list sorted by `sort` (toggling direction when already sorted by it), from page 1.
    pub fn sorted_by(&self, sort: LeadSort) -> Self {
        let descending = if self.sort == sort {
            !self.descending
        } else {
            matches!(sort, LeadSort::Created | LeadSort::Updated)
        };
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

pub fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
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
        let per_page = i64::from(self.query.per_page.max(1));
        ((self.total + per_page - 1) / per_page).max(1) as u32
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

/// The dashboard's lead numbers: live leads the viewer may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadStats {
    /// The last 14 days, oldest first, today last; days without leads count 0.
    pub created_per_day: Vec<DayCount>,
    /// Every status in order, with its count.
    pub by_status: Vec<(LeadStatus, i64)>,
}

impl LeadStats {
    pub const DAYS: u64 = 14;
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
pub const PHONE_MAX: usize = 32;
pub const NOTES_MAX: usize = 5000;

impl LeadDraft {
    /// Validates every field at once, reporting each problem next to its field.
    pub fn parse(
        name: &str,
        email: &str,
        phone: &str,
        company: &str,
        source: &str,
        status: &str,
        notes: &str,
    ) -> AppResult<Self> {
        let mut form = Validator::default();
        let name = form.check(text_field("name", name, NAME_MAX, true));
        let email = if email.trim().is_empty() {
            Some(None)
        } else {
            form.check(Email::parse("email", email).map(Some))
        };
        let phone = form.check(parse_phone(phone));
        let company = form.check(text_field("company", company, COMPANY_MAX, false));
        let source = form.check(text_field("source", source, SOURCE_MAX, false));
        let status = form.check(status.parse::<LeadStatus>());
        let notes = form.check(notes_field(notes));
        form.finish()?;
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

    /// The lower-cased text the search box matches.
    pub fn search_text(&self) -> String {
        search_text(
            &self.name,
            self.email.as_ref().map_or("", Email::as_str),
            &self.company,
        )
    }
}

pub fn search_text(name: &str, email: &str, company: &str) -> String {
    format!("{} {} {}", name, email, company).to_lowercase()
}

fn text_field(field: &str, raw: &str, max: usize, required: bool) -> Result<String, FieldError> {
    let value = raw.trim();
    if required && value.is_empty() {
        return Err(FieldError::new(field, "This field is required."));
    }
    if value.chars().count() > max {
        return Err(FieldError::new(
            field,
            format!("Use at most {max} characters."),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(FieldError::new(field, "Remove the control characters."));
    }
    Ok(value.to_owned())
}

fn notes_field(raw: &str) -> Result<String, FieldError> {
    let value = raw.trim();
    if value.chars().count() > NOTES_MAX {
        return Err(FieldError::new(
            "notes",
            format!("Use at most {NOTES_MAX} characters."),
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(FieldError::new("notes", "Remove the control characters."));
    }
    Ok(value.replace("\r\n", "\n"))
}

/// Phone numbers: digits with the usual separators, an optional leading `+`.
pub fn parse_phone(raw: &str) -> Result<String, FieldError> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(String::new());
    }
    let allowed = value.char_indices().all(|(i, c)| {
        c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '.' | '/') || (c == '+' && i == 0)
    });
    let digits = value.chars().filter(char::is_ascii_digit).count();
    if !allowed || !(5..=20).contains(&digits) || value.chars().count() > PHONE_MAX {
        return Err(FieldError::new(
            "phone",
            "Enter a phone number: digits, spaces, ( ) - . and a leading +.",
        ));
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_draft_is_trimmed_and_normalised() {
        let draft = LeadDraft::parse(
            " Ana Silva ",
            "ANA@Example.com",
            "+1 (555) 010-2030",
            " Acme ",
            "Web",
            "in_progress",
            "Met at expo\r\nCall back",
        )
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
        let err = LeadDraft::parse("", "not-an-email", "call me", "", "", "maybe", "")
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
        let params: std::collections::HashMap<String, String> = qs
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.replace("%20", " ").replace("%26", "&")))
            .collect();
        assert_eq!(LeadQuery::from_params(|k| params.get(k).cloned()), query);
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
