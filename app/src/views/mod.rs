//! Saved views: a list's search, filters and sort kept under a name and shown as
//! tabs above the list, a person's own or (saved by an admin) the team's.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use crate::ids::SavedViewId;
use serde::{Deserialize, Serialize};

/// The lists views are saved for.
#[derive(strum::VariantArray, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SavedList {
    Leads,
    Customers,
    Tasks,
}

impl SavedList {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(s: &str) -> Option<Self> {
        <Self as strum::VariantArray>::VARIANTS.iter().copied().find(|v| v.as_str() == s)
    }

    /// The list a form names, or the field error that says which there are.
    pub fn from_form(s: &str) -> Result<Self, crate::error::AppError> {
        Self::parse(s).ok_or_else(|| {
            crate::error::AppError::invalid(
                "list",
                "Views are kept for leads, customers and tasks.",
            )
        })
    }

    /// The list whose page is at `path`.
    pub fn at(path: &str) -> Option<Self> {
        <Self as strum::VariantArray>::VARIANTS.iter().copied().find(|v| v.path() == path)
    }

    /// The list's page.
    pub fn path(self) -> &'static str {
        match self {
            Self::Leads => "/leads",
            Self::Customers => "/customers",
            Self::Tasks => "/tasks",
        }
    }
}

/// A saved view as its tab shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedView {
    pub id: SavedViewId,
    pub name: String,
    /// The list's query string, without the page.
    pub query: String,
    /// The team's, rather than the viewer's own.
    pub shared: bool,
    /// The viewer may forget it: their own, or a shared one for admins.
    pub removable: bool,
    /// The viewer's list opens with it.
    pub default: bool,
}

/// The "Save this view" form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewForm {
    pub list: String,
    pub name: String,
    /// The list's query string as the page shows it.
    pub query: String,
    /// "Share with the team" (admins): present when ticked.
    pub shared: Option<String>,
}

/// The list's parameters that say where a page starts rather than what it
/// shows, and `view=all` (the whole list, past one's default view): a view
/// leaves them out.
pub const PLACE_KEYS: [&str; 4] = ["page", "after", "before", ALL.0];

/// The parameter of the "All" tab: the whole list even when a default view is chosen.
pub const ALL: (&str, &str) = ("view", "all");

/// `query` as a view keeps it: the pairs that say what the list shows, in order.
pub fn kept_query(query: &str) -> String {
    let pairs = form_urlencoded::parse(query.trim_start_matches('?').as_bytes());
    let mut kept = form_urlencoded::Serializer::new(String::new());
    for (key, value) in pairs {
        let control = key.chars().chain(value.chars()).any(char::is_control);
        if !PLACE_KEYS.contains(&key.as_ref()) && !value.is_empty() && !control {
            kept.append_pair(&key, &value);
        }
    }
    kept.finish()
}

#[cfg(test)]
mod tests {
    use super::kept_query;

    #[test]
    fn a_view_keeps_what_the_list_shows_not_where_its_page_starts() {
        assert_eq!(kept_query("?q=acme&status=new&page=3"), "q=acme&status=new");
        assert_eq!(kept_query("sort=name&after=%5B1%5D&dir=asc"), "sort=name&dir=asc");
        assert_eq!(kept_query("q=&status=won"), "status=won");
        assert_eq!(kept_query("q=tara+brightside"), "q=tara+brightside");
    }
}
