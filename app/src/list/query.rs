//! The query every list shares, generic over the list's own filters and
//! sortable columns, and a page of its rows.

use super::DEFAULT_PER_PAGE;
use super::{href, page_count, query_params, toggled_sort, Params, QueryString, SortKey};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt::Debug;
use std::ops::{Deref, DerefMut};

/// What one list adds to the query every list shares: its filters, the
/// columns it sorts by and the page it lives on.
pub trait Filters: Debug + Clone + PartialEq + Eq + Default + Send + Sync + 'static {
    /// The list's page, e.g. `/leads`.
    const PATH: &'static str;
    /// Whether the list has a search box (`q`).
    const SEARCH: bool = true;
    /// The sortable columns; the default column is the default order.
    type Sort: SortKey + Default + Debug + Eq + Send + Sync;

    /// Reads the filters from the URL leniently: anything malformed is absent.
    fn read(params: &Params<impl Fn(&str) -> Option<String>>) -> Self;

    /// Writes the filters that differ from the default.
    fn write(&self, qs: &mut QueryString);
}

/// A list in one fixed order, with no columns to sort by.
#[derive(strum::VariantArray, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FixedOrder {
    #[default]
    Fixed,
}

impl SortKey for FixedOrder {
    fn descending_first(self) -> bool {
        false
    }
}

/// What a list shows: search, the area's filters, sort and page. It lives in
/// the URL and travels as its query string, in a link or in a server
/// function's body alike, so every way in goes through `from_params` and its
/// bounds. The filters read as fields of the query (`query.status`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query<F: Filters> {
    pub search: String,
    pub filters: F,
    pub sort: F::Sort,
    pub descending: bool,
    pub page: u32,
    pub per_page: u32,
}

impl<F: Filters> Default for Query<F> {
    fn default() -> Self {
        Self::with(F::default())
    }
}

impl<F: Filters> Deref for Query<F> {
    type Target = F;

    fn deref(&self) -> &F {
        &self.filters
    }
}

impl<F: Filters> DerefMut for Query<F> {
    fn deref_mut(&mut self) -> &mut F {
        &mut self.filters
    }
}

impl<F: Filters> Query<F> {
    /// The first page of the list narrowed by `filters`, in its default order.
    pub fn with(filters: F) -> Self {
        let sort = F::Sort::default();
        Self {
            search: String::new(),
            filters,
            sort,
            descending: sort.descending_first(),
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }

    /// Reads the URL's query parameters leniently: anything unknown falls back to the default.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let params = Params(get);
        let (sort, descending) = params.sort(F::Sort::default());
        Self {
            search: if F::SEARCH {
                params.search()
            } else {
                String::new()
            },
            filters: F::read(&params),
            sort,
            descending,
            page: params.page(),
            per_page: params.per_page(),
        }
    }

    /// The query string that reproduces this list (defaults left out).
    pub fn to_query_string(&self) -> String {
        let mut qs = QueryString::default();
        qs.set_search(&self.search);
        self.filters.write(&mut qs);
        qs.set_sort((self.sort, self.descending), F::Sort::default());
        qs.set_paging(self.page, self.per_page);
        qs.finish()
    }

    /// The link to this list.
    pub fn href(&self) -> String {
        href(F::PATH, &self.to_query_string())
    }

    /// The same list sorted by `sort` (toggling direction when already sorted by it), from page 1.
    pub fn sorted_by(&self, sort: F::Sort) -> Self {
        let (sort, descending) = toggled_sort((self.sort, self.descending), sort);
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

    /// Whether a search or a filter narrows the list.
    pub fn is_filtered(&self) -> bool {
        !self.search.is_empty() || self.filters != F::default()
    }
}

impl<F: Filters> From<String> for Query<F> {
    fn from(query_string: String) -> Self {
        Self::from_params(query_params(&query_string))
    }
}

impl<F: Filters> Serialize for Query<F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_query_string())
    }
}

impl<'de, F: Filters> Deserialize<'de> for Query<F> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::from)
    }
}

/// A page of a list, with how many rows the query matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound(
    serialize = "Row: Serialize",
    deserialize = "Row: serde::de::DeserializeOwned"
))]
pub struct Page<F: Filters, Row> {
    pub rows: Vec<Row>,
    /// How many rows match (up to a cap, for lists that count only so far).
    pub total: i64,
    /// Counting stopped at `total`: more rows match.
    #[serde(default)]
    pub more: bool,
    pub query: Query<F>,
}

impl<F: Filters, Row> Page<F, Row> {
    pub fn page_count(&self) -> u32 {
        page_count(self.total, self.query.per_page)
    }
}
