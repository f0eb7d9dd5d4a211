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
    /// Where the page starts, when it was reached by "Next" or "Previous": the
    /// page is found by its neighbour's place in the order (a seek in the
    /// order's index) rather than by counting rows from the start.
    pub seek: Option<Seek>,
}

/// A row's place in its list's order: the values of the order's columns, the
/// row's id last.
pub type Key = Vec<KeyPart>;

/// One value of a row's place in a list's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum KeyPart {
    Number(i64),
    Text(String),
}

/// Where a page starts: just after, or just before, a row of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seek {
    After(Key),
    Before(Key),
}

impl Seek {
    /// The longest key a URL may carry; longer ones are ignored.
    const MAX_LEN: usize = 600;

    fn read(params: &Params<impl Fn(&str) -> Option<String>>) -> Option<Self> {
        let key = |name| {
            params
                .text(name)
                .filter(|raw| raw.len() <= Self::MAX_LEN)
                .and_then(|raw| serde_json::from_str::<Key>(&raw).ok())
                .filter(|key| (1..=4).contains(&key.len()))
        };
        key("after").map(Self::After).or_else(|| key("before").map(Self::Before))
    }

    fn write(&self, qs: &mut QueryString) {
        let (name, key) = match self {
            Self::After(key) => ("after", key),
            Self::Before(key) => ("before", key),
        };
        if let Ok(json) = serde_json::to_string(key) {
            qs.set(name, json);
        }
    }

    pub fn key(&self) -> &Key {
        match self {
            Self::After(key) | Self::Before(key) => key,
        }
    }

    pub fn is_backward(&self) -> bool {
        matches!(self, Self::Before(_))
    }
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
            seek: None,
        }
    }

    /// Reads the URL's query parameters leniently: anything unknown falls back to the default.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let params = Params(get);
        let (sort, descending) = params.sort(F::Sort::default());
        Self {
            search: if F::SEARCH { params.search() } else { String::new() },
            filters: F::read(&params),
            sort,
            descending,
            page: params.page(),
            per_page: params.per_page(),
            seek: Seek::read(&params),
        }
    }

    /// The query string that reproduces this list (defaults left out).
    pub fn to_query_string(&self) -> String {
        let mut qs = QueryString::default();
        qs.set_search(&self.search);
        self.filters.write(&mut qs);
        qs.set_sort((self.sort, self.descending), F::Sort::default());
        qs.set_paging(self.page, self.per_page);
        if let Some(seek) = &self.seek {
            seek.write(&mut qs);
        }
        qs.finish()
    }

    /// The link to this list.
    pub fn href(&self) -> String {
        href(F::PATH, &self.to_query_string())
    }

    /// The same list sorted by `sort` (toggling direction when already sorted by it), from page 1.
    pub fn sorted_by(&self, sort: F::Sort) -> Self {
        let (sort, descending) = toggled_sort((self.sort, self.descending), sort);
        Self { sort, descending, page: 1, seek: None, ..self.clone() }
    }

    /// Page `page` of the same list, counted from the start.
    pub fn on_page(&self, page: u32) -> Self {
        Self { page, seek: None, ..self.clone() }
    }

    /// The page after this one, which starts after the row whose place is `last`.
    fn after(&self, last: Key) -> Self {
        Self { page: self.page.saturating_add(1), seek: Some(Seek::After(last)), ..self.clone() }
    }

    /// The page before this one, which ends before the row whose place is
    /// `first`; the first page is plainly the first page.
    fn before(&self, first: Key) -> Self {
        match self.page {
            0..=2 => self.on_page(1),
            page => Self { page: page - 1, seek: Some(Seek::Before(first)), ..self.clone() },
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
#[serde(bound(serialize = "Row: Serialize", deserialize = "Row: serde::de::DeserializeOwned"))]
pub struct Page<F: Filters, Row> {
    pub rows: Vec<Row>,
    /// How many rows match (up to a cap, for lists that count only so far).
    pub total: i64,
    /// Counting stopped at `total`: more rows match.
    #[serde(default)]
    pub more: bool,
    pub query: Query<F>,
    /// The page before this one, if there is one.
    #[serde(default)]
    pub previous: Option<Query<F>>,
    /// The page after this one, if there is one.
    #[serde(default)]
    pub next: Option<Query<F>>,
}

impl<F: Filters, Row> Page<F, Row> {
    /// The page `query` asks for, from `rows` as fetched: up to one row more than
    /// a page (which says whether the list goes on), in reverse order when the
    /// query seeks backwards. `key` gives a row's place in the order.
    pub fn from_fetched(
        mut rows: Vec<Row>,
        (total, more): (i64, bool),
        mut query: Query<F>,
        key: impl Fn(&Row) -> Key,
    ) -> Self {
        let backward = query.seek.as_ref().is_some_and(Seek::is_backward);
        let beyond = rows.len() > query.per_page as usize;
        rows.truncate(query.per_page as usize);
        if backward {
            rows.reverse();
            if !beyond {
                // Nothing comes before: this is the first page.
                query.page = 1;
            }
        }
        let (earlier, later) = if backward { (beyond, true) } else { (query.page > 1, beyond) };
        let previous = match rows.first() {
            Some(first) if earlier => Some(query.before(key(first))),
            None if query.page > 1 => Some(query.on_page(query.page - 1)),
            _ => None,
        };
        let next = rows.last().filter(|_| later).map(|last| query.after(key(last)));
        Self { rows, total, more, query, previous, next }
    }

    pub fn page_count(&self) -> u32 {
        page_count(self.total, self.query.per_page)
    }

    /// The same page with each row turned into another, or the first error.
    pub fn try_map<To, E>(self, f: impl FnMut(Row) -> Result<To, E>) -> Result<Page<F, To>, E> {
        let (rows, page) = self.take_rows();
        let rows = rows.into_iter().map(f).collect::<Result<_, E>>()?;
        Ok(page.with_rows(rows))
    }

    /// The same page with each row turned into another, or left out.
    pub fn filter_map<To>(self, f: impl FnMut(Row) -> Option<To>) -> Page<F, To> {
        let (rows, page) = self.take_rows();
        page.with_rows(rows.into_iter().filter_map(f).collect())
    }

    /// The rows, and the page without them.
    fn take_rows(self) -> (Vec<Row>, Page<F, ()>) {
        let rows = self.rows;
        let rest = Page {
            rows: Vec::new(),
            total: self.total,
            more: self.more,
            query: self.query,
            previous: self.previous,
            next: self.next,
        };
        (rows, rest)
    }
}

impl<F: Filters> Page<F, ()> {
    fn with_rows<To>(self, rows: Vec<To>) -> Page<F, To> {
        Page {
            rows,
            total: self.total,
            more: self.more,
            query: self.query,
            previous: self.previous,
            next: self.next,
        }
    }
}
