//! What every list page shares: its state read from and written to the URL
//! (`Query`, generic over the area's `Filters`), a page of rows (`Page`), and what a bulk
//! action applies to (`Selection`).

mod query;
pub mod selection;

pub use query::{Filters, FixedOrder, Key, KeyPart, Page, Query, Seek};
pub use selection::{BulkForm, BulkPreview, Selection};

use std::collections::BTreeMap;
use std::str::FromStr;

pub const DEFAULT_PER_PAGE: u32 = 25;
pub const PER_PAGE_CHOICES: [u32; 4] = [10, 25, 50, 100];
pub const MAX_SEARCH_LEN: usize = 100;
const MAX_PAGE: u32 = 100_000;

/// A sortable column of a list, named in the URL by its variant's snake_case
/// name (`#[derive(strum::VariantArray, strum::IntoStaticStr)]`).
pub trait SortKey:
    Copy + PartialEq + Sized + 'static + strum::VariantArray + Into<&'static str>
{
    fn as_str(self) -> &'static str {
        self.into()
    }

    /// Whether choosing this column sorts descending first (dates: newest first).
    fn descending_first(self) -> bool;

    fn parse(s: &str) -> Option<Self> {
        Self::VARIANTS.iter().copied().find(|key| key.as_str() == s)
    }
}

/// A list's URL parameters, read leniently: blank or malformed values count as absent.
pub struct Params<F>(pub F);

impl<F: Fn(&str) -> Option<String>> Params<F> {
    /// A value as text: control characters (which no list value has, and which
    /// some databases refuse) become spaces, then it is trimmed.
    pub fn text(&self, key: &str) -> Option<String> {
        (self.0)(key)
            .map(|v| {
                v.chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .collect::<String>()
                    .trim()
                    .to_owned()
            })
            .filter(|v| !v.is_empty())
    }

    pub fn parsed<T: FromStr>(&self, key: &str) -> Option<T> {
        self.text(key).and_then(|v| v.parse().ok())
    }

    /// A record id (a user, a lead…): short letters, digits and dashes, or ignored.
    pub fn id(&self, key: &str) -> Option<String> {
        self.text(key)
            .filter(|v| v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    }

    /// A `YYYY-MM-DD` day within the sane years, normalised.
    pub fn date(&self, key: &str) -> Option<String> {
        self.text(key)
            .and_then(|d| crate::fields::parse_day(&d))
            .map(|d| d.format("%Y-%m-%d").to_string())
    }

    pub fn search(&self) -> String {
        self.text("q").map(|q| q.chars().take(MAX_SEARCH_LEN).collect()).unwrap_or_default()
    }

    pub fn flag(&self, key: &str) -> bool {
        self.text(key).is_some_and(|v| v == "1" || v == "true")
    }

    pub fn page(&self) -> u32 {
        self.parsed("page").filter(|p| *p >= 1).unwrap_or(1).min(MAX_PAGE)
    }

    pub fn per_page(&self) -> u32 {
        self.parsed("per_page").filter(|p| PER_PAGE_CHOICES.contains(p)).unwrap_or(DEFAULT_PER_PAGE)
    }

    /// The sort column and direction, or `default` (in its own direction).
    pub fn sort<S: SortKey>(&self, default: S) -> (S, bool) {
        let sort = self.text("sort").and_then(|s| S::parse(&s)).unwrap_or(default);
        let descending = self.text("dir").map_or(sort.descending_first(), |d| d == "desc");
        (sort, descending)
    }
}

/// The same list sorted by `by`: toggles the direction when already sorted by it.
pub fn toggled_sort<S: SortKey>(current: (S, bool), by: S) -> (S, bool) {
    if current.0 == by {
        (by, !current.1)
    } else {
        (by, by.descending_first())
    }
}

/// A list's query string under construction; defaults are left out.
#[derive(Default)]
pub struct QueryString(BTreeMap<&'static str, String>);

impl QueryString {
    pub fn set(&mut self, key: &'static str, value: impl Into<String>) {
        self.0.insert(key, value.into());
    }

    pub fn set_some(&mut self, key: &'static str, value: Option<impl Into<String>>) {
        if let Some(value) = value {
            self.set(key, value);
        }
    }

    pub fn set_search(&mut self, search: &str) {
        if !search.is_empty() {
            self.set("q", search);
        }
    }

    pub fn set_flag(&mut self, key: &'static str, on: bool) {
        if on {
            self.set(key, "1");
        }
    }

    pub fn set_sort<S: SortKey>(&mut self, sort: (S, bool), default: S) {
        if sort != (default, default.descending_first()) {
            self.set("sort", sort.0.as_str());
            self.set("dir", if sort.1 { "desc" } else { "asc" });
        }
    }

    pub fn set_paging(&mut self, page: u32, per_page: u32) {
        if page != 1 {
            self.set("page", page.to_string());
        }
        if per_page != DEFAULT_PER_PAGE {
            self.set("per_page", per_page.to_string());
        }
    }

    pub fn finish(self) -> String {
        self.0
            .into_iter()
            .map(|(k, v)| format!("{k}={}", url_encode(&v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// `path`, with `?query` when there is one.
pub fn href(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

/// How many pages `total` rows fill, at least one.
pub fn page_count(total: i64, per_page: u32) -> u32 {
    let per_page = i64::from(per_page.max(1));
    ((total + per_page - 1) / per_page).max(1) as u32
}

/// The `OFFSET` of a page.
pub fn offset(page: u32, per_page: u32) -> i64 {
    i64::from(page.saturating_sub(1)) * i64::from(per_page)
}

/// A value for a query string (`application/x-www-form-urlencoded`: spaces as `+`).
pub fn url_encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// A query string's parameters by name (the last of repeated names wins), for
/// server functions that take a list page's query string as it is in the URL.
pub fn query_params(qs: &str) -> impl Fn(&str) -> Option<String> {
    let params: BTreeMap<String, String> = parse_query_string(qs).into_iter().collect();
    move |key| params.get(key).cloned()
}

/// A query string's `key=value` pairs, percent-decoded (`+` is a space).
pub fn parse_query_string(qs: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(qs.trim_start_matches('?').as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_decode_what_url_encode_wrote() {
        let text = "Ana & Co, 100% ✓";
        let qs = format!("q={}&page=2&x", url_encode(text));
        assert_eq!(
            parse_query_string(&qs),
            vec![
                ("q".to_owned(), text.to_owned()),
                ("page".to_owned(), "2".to_owned()),
                ("x".to_owned(), String::new())
            ]
        );
        assert_eq!(
            parse_query_string("a=1+2&b=%zz%4"),
            vec![("a".into(), "1 2".into()), ("b".into(), "%zz%4".into())]
        );
    }
}
