//! The customers area: won business, owned by an agent. A customer is created
//! by converting a lead or directly.

pub mod api;
#[cfg(feature = "ssr")]
pub mod export;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use crate::auth::{Checked, Email, Validator};
use crate::error::FieldError;
pub use crate::ids::CustomerId;
use crate::ids::{LeadId, UserId};
use crate::list::{self, Params, QueryString, SortKey};
use crate::records::ContactDetails;
use serde::{Deserialize, Serialize};

/// A customer as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub id: CustomerId,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub company: String,
    pub tags: Vec<String>,
    pub owner_id: UserId,
    pub owner_name: String,
    /// The lead it was converted from, with that lead's name.
    pub lead: Option<(LeadId, String)>,
    pub version: i64,
    pub archived: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(strum::VariantArray, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum CustomerSort {
    Name,
    Company,
    Owner,
    #[default]
    Created,
    Updated,
}

crate::openapi_names!(CustomerSort);

impl SortKey for CustomerSort {
    fn descending_first(self) -> bool {
        matches!(self, Self::Created | Self::Updated)
    }
}

/// What a customer list narrows to, beside its search. Lives in the URL.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CustomerFilters {
    pub tag: Option<String>,
    /// Admins only: customers owned by this user.
    pub owner: Option<UserId>,
    /// Admins only: the archive instead of the live list.
    pub archived: bool,
}

impl list::Filters for CustomerFilters {
    const PATH: &'static str = "/customers";
    type Sort = CustomerSort;

    fn read(params: &Params<impl Fn(&str) -> Option<String>>) -> Self {
        Self {
            tag: params.text("tag").and_then(|t| parse_tag(&t).ok()).filter(|t| !t.is_empty()),
            owner: params.id("owner").map(UserId::from),
            archived: params.flag("archived"),
        }
    }

    fn write(&self, qs: &mut QueryString) {
        qs.set_some("tag", self.tag.clone());
        qs.set_some("owner", self.owner.as_ref().map(UserId::to_string));
        qs.set_flag("archived", self.archived);
    }
}

/// What a customer list shows: search, filters, sort and page.
pub type CustomerQuery = list::Query<CustomerFilters>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerRow {
    pub id: CustomerId,
    pub name: String,
    pub email: String,
    pub company: String,
    pub tags: Vec<String>,
    pub owner_name: String,
    pub created_at: i64,
}

pub type CustomerPage = list::Page<CustomerFilters, CustomerRow>;

pub const TAG_MAX: usize = 30;
pub const TAGS_MAX: usize = 10;

/// The editable fields of a customer, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerDraft {
    pub name: String,
    pub email: Option<Email>,
    pub phone: String,
    pub company: String,
    /// Lower-cased, without repeats, in the order given.
    pub tags: Vec<String>,
}

/// A customer's form as it is posted, for a new customer and for an edit alike:
/// the text as typed, each field empty when missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CustomerForm {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub company: String,
    pub tags: String,
}

impl Checked<CustomerForm> for CustomerDraft {
    fn check(form: &CustomerForm, check: &mut Validator) -> Option<Self> {
        let contact =
            ContactDetails::check(check, [&form.name, &form.email, &form.phone, &form.company]);
        let tags = check.check(parse_tags(&form.tags));
        let ContactDetails { name, email, phone, company } = contact?;
        Some(Self { name, email, phone, company, tags: tags? })
    }
}

impl CustomerDraft {
    pub fn email_str(&self) -> &str {
        self.email.as_ref().map_or("", Email::as_str)
    }

    /// The lower-cased text the search box matches: name, email, company and tags.
    pub fn search_text(&self) -> String {
        format!("{} {} {} {}", self.name, self.email_str(), self.company, self.tags.join(" "))
            .to_lowercase()
    }
}

/// One tag: lower-cased letters, digits, spaces, `-` and `_`.
pub fn parse_tag(raw: &str) -> Result<String, FieldError> {
    let tag = raw.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    if tag.chars().count() > TAG_MAX {
        return Err(FieldError::new("tags", format!("Keep each tag to {TAG_MAX} characters.")));
    }
    if !tag.chars().all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_')) {
        return Err(FieldError::new("tags", "Tags use letters, digits, spaces, - and _."));
    }
    Ok(tag)
}

/// Comma-separated tags, as typed in the tags editor.
pub fn parse_tags(raw: &str) -> Result<Vec<String>, FieldError> {
    let mut tags: Vec<String> = Vec::new();
    for part in raw.split(',') {
        let tag = parse_tag(part)?;
        if !tag.is_empty() && !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    if tags.len() > TAGS_MAX {
        return Err(FieldError::new("tags", format!("Use at most {TAGS_MAX} tags.")));
    }
    Ok(tags)
}

/// Tags as stored for display and as the editor shows them.
pub fn join_tags(tags: &[String]) -> String {
    tags.join(", ")
}

/// Tags from their stored display text.
pub fn split_tags(stored: &str) -> Vec<String> {
    stored.split(", ").filter(|t| !t.is_empty()).map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_normalised_and_deduplicated() {
        assert_eq!(
            parse_tags(" VIP, retail ,vip,, Key  Account "),
            Ok(vec!["vip".into(), "retail".into(), "key account".into()])
        );
        assert!(parse_tags("<script>").is_err());
        assert!(parse_tags(&"a,".repeat(11).replace("a,", "x,")).is_ok());
        let eleven = (0..11).map(|i| format!("t{i}")).collect::<Vec<_>>().join(",");
        assert!(parse_tags(&eleven).is_err());
        assert_eq!(split_tags(&join_tags(&["a b".into(), "c".into()])), vec!["a b", "c"]);
    }

    #[test]
    fn a_customer_query_round_trips_through_the_url() {
        let query = CustomerQuery {
            search: "acme".into(),
            sort: CustomerSort::Name,
            descending: false,
            page: 2,
            ..CustomerQuery::with(CustomerFilters { tag: Some("vip".into()), ..Default::default() })
        };
        let qs = query.to_query_string();
        assert_eq!(CustomerQuery::from_params(list::query_params(&qs)), query);
    }

    #[test]
    fn every_invalid_customer_field_is_reported() {
        let form = CustomerForm {
            email: "nope".into(),
            phone: "call me".into(),
            tags: "a<b".into(),
            ..CustomerForm::default()
        };
        let err = CustomerDraft::checked(&form).expect_err("invalid");
        for field in ["name", "email", "phone", "tags"] {
            assert!(err.field_message(field).is_some(), "{field}");
        }
    }
}
