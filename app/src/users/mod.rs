//! The users area: the team's accounts (admins only) and every user's own profile.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use crate::auth::{Checked, Email, PersonName, Role, UserId, Validator};
use crate::list::{self, Params, QueryString, SortKey};
use serde::{Deserialize, Serialize};

#[derive(strum::VariantArray, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum UserSort {
    #[default]
    Name,
    Email,
    Role,
    LastSignIn,
    Created,
}

crate::openapi_names!(UserSort);

impl SortKey for UserSort {
    fn descending_first(self) -> bool {
        matches!(self, Self::LastSignIn | Self::Created)
    }
}

/// Which accounts a list shows by state.
#[derive(strum::VariantArray, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountState {
    Active,
    Deactivated,
}

crate::named_variants!(AccountState);

impl AccountState {
    pub fn label(self) -> &'static str {
        match self {
            Self::Active => "Active",
            Self::Deactivated => "Deactivated",
        }
    }
}

/// What the users list narrows to, beside its search. Lives in the URL.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserFilters {
    pub role: Option<Role>,
    pub state: Option<AccountState>,
}

impl list::Filters for UserFilters {
    const PATH: &'static str = "/users";
    type Sort = UserSort;

    fn read(params: &Params<impl Fn(&str) -> Option<String>>) -> Self {
        Self {
            role: params.parsed("role"),
            state: params.text("state").and_then(|s| AccountState::parse(&s)),
        }
    }

    fn write(&self, qs: &mut QueryString) {
        qs.set_some("role", self.role.map(Role::as_str));
        qs.set_some("state", self.state.map(AccountState::as_str));
    }
}

/// What the users list shows: search (part of a name or an email address), filters, sort and page.
pub type UserQuery = list::Query<UserFilters>;

/// A team member as the admins' list shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub active: bool,
    pub last_sign_in_at: Option<i64>,
    pub created_at: i64,
}

pub type UserPage = list::Page<UserFilters, UserRow>;

/// What a user holds: the records that must go to someone else before deletion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Holdings {
    pub leads: i64,
    pub customers: i64,
    pub tasks: i64,
}

impl Holdings {
    pub fn is_empty(&self) -> bool {
        self.total() == 0
    }

    pub fn total(&self) -> i64 {
        self.leads + self.customers + self.tasks
    }

    /// "3 leads, 1 customer and 2 tasks".
    pub fn describe(&self) -> String {
        let parts: Vec<String> =
            [(self.leads, "lead"), (self.customers, "customer"), (self.tasks, "task")]
                .into_iter()
                .filter(|(n, _)| *n > 0)
                .map(|(n, noun)| format!("{n} {noun}{}", if n == 1 { "" } else { "s" }))
                .collect();
        match parts.as_slice() {
            [] => "no records".to_owned(),
            [one] => one.clone(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        }
    }
}

/// A team member's page (admins).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// What the list shows of them.
    #[serde(flatten)]
    pub account: UserRow,
    pub version: i64,
    pub holdings: Holdings,
    /// Sessions still signed in.
    pub live_sessions: i64,
    /// Signs in with a second factor.
    pub two_factor: bool,
}

/// The editable fields of an account, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserDraft {
    pub name: PersonName,
    pub email: Email,
    pub role: Role,
}

/// A team member's form as it is posted, for a new member and an edit alike:
/// the text as typed, each field empty when missing. `UserDraft::try_from` checks it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserForm {
    pub name: String,
    pub email: String,
    pub role: String,
}

impl Checked<UserForm> for UserDraft {
    fn check(form: &UserForm, check: &mut Validator) -> Option<Self> {
        let name = check.check(PersonName::parse("name", &form.name));
        let email = check.check(Email::parse("email", &form.email));
        let role = check.check(form.role.parse::<Role>());
        Some(Self { name: name?, email: email?, role: role? })
    }
}

/// A person changing their own password, as the profile form posts it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PasswordChangeForm {
    pub current_password: String,
    pub password: String,
    pub password_confirm: String,
}

/// One of the viewer's own sessions (a signed-in browser or device).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub id: String,
    /// "Firefox on Linux", from the browser's user agent.
    pub device: String,
    pub address: String,
    pub signed_in_at: i64,
    pub last_used_at: i64,
    /// The session this page was loaded with.
    pub current: bool,
}

/// A readable name for a browser from its `User-Agent` header.
pub fn describe_device(user_agent: &str) -> String {
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chromium/", "Chromium"),
        ("HeadlessChrome/", "Headless Chrome"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ]
    .into_iter()
    .find(|(marker, _)| user_agent.contains(marker))
    .map(|(_, name)| name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(marker, _)| user_agent.contains(marker))
    .map(|(_, name)| name);
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} on {s}"),
        (Some(b), None) => b.to_owned(),
        (None, Some(s)) => format!("A browser on {s}"),
        (None, None) if user_agent.is_empty() => "Unknown device".to_owned(),
        (None, None) => user_agent.chars().take(60).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_users_list_round_trips_through_its_url() {
        let query = UserQuery {
            search: "lopez".into(),
            filters: UserFilters {
                role: Some(Role::Agent),
                state: Some(AccountState::Deactivated),
            },
            sort: UserSort::LastSignIn,
            descending: true,
            page: 2,
            per_page: 50,
            seek: None,
        };
        let qs = query.to_query_string();
        let back = UserQuery::from_params(list::query_params(&qs));
        assert_eq!(back, query);
        assert_eq!(UserQuery::default().to_query_string(), "");
    }

    #[test]
    fn holdings_read_as_a_sentence() {
        let h = Holdings { leads: 3, customers: 1, tasks: 2 };
        assert_eq!(h.describe(), "3 leads, 1 customer and 2 tasks");
        assert_eq!(Holdings::default().describe(), "no records");
        assert!(Holdings::default().is_empty());
    }

    #[test]
    fn devices_are_named_from_their_user_agent() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        assert_eq!(describe_device(firefox), "Firefox on Linux");
        let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
        assert_eq!(describe_device(chrome), "Chrome on Windows");
        let safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
        assert_eq!(describe_device(safari), "Safari on iPhone");
        assert_eq!(describe_device(""), "Unknown device");
    }
}
