//! What a leads list or board shows: search, status and agent filters, sort
//! and page, read from and written to the URL; a page of rows, and the
//! board's columns.

use super::*;

/// The columns a lead list can be sorted by.
#[derive(strum::VariantArray, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
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
