//! Personal API tokens: what a program uses instead of a person's password to reach
//! Kith's REST API as that person, with their current rights, reading only or reading
//! and writing. A token is shown once, kept as a SHA-256 hash and prefixed `kith_` so
//! secret scanners recognise it; its last use is shown, and it can be revoked at any
//! time (an admin revokes anyone's). Deactivating or deleting its owner revokes it.
//! `api` has the server functions, `store` the SQL, `pages` the tokens page.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use crate::auth::{Checked, Validator};
use crate::fields::text_field;
use crate::ids::ApiTokenId;
use serde::{Deserialize, Serialize};

/// What every token starts with.
pub const TOKEN_PREFIX: &str = "kith_";
/// How many of a token's characters are kept to tell it apart.
pub const SHOWN_CHARS: usize = 12;
/// The longest a token lives, in days (or it never expires).
pub const MAX_DAYS: u32 = 3650;
/// A token's name, in characters.
pub const NAME_MAX: usize = 80;

/// What a token may do.
#[derive(strum::VariantArray, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenScope {
    /// Read what its owner may read.
    #[default]
    Read,
    /// Also create, change and archive what its owner may.
    Write,
}

crate::named_variants!(TokenScope, field = "scope");

impl TokenScope {
    pub fn label(self) -> &'static str {
        match self {
            Self::Read => "Read only",
            Self::Write => "Read and write",
        }
    }
}

/// A token as its page lists it (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiToken {
    pub id: ApiTokenId,
    pub name: String,
    /// Its first characters, as `kith_Ab12Cd3`.
    pub prefix: String,
    pub scope: TokenScope,
    /// Whose it is (their name).
    pub owner: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub last_used_from: Option<String>,
    pub revoked_at: Option<i64>,
}

impl ApiToken {
    /// "Active", "Revoked" or "Expired", at `now`.
    pub fn standing(&self, now: i64) -> &'static str {
        if self.revoked_at.is_some() {
            "Revoked"
        } else if self.expires_at.is_some_and(|at| at <= now) {
            "Expired"
        } else {
            "Active"
        }
    }
}

/// The tokens page: the viewer's tokens, one made just now (shown this once), and for
/// an admin everyone's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokensOverview {
    pub mine: Vec<ApiToken>,
    pub fresh: Option<String>,
    pub everyone: Option<Vec<ApiToken>>,
    pub now: i64,
}

/// The new-token form: a name, a scope and how many days it lasts ("never" for no end).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TokenForm {
    pub name: String,
    pub scope: String,
    pub expires_days: String,
}

/// A new token's settings, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenDraft {
    pub name: String,
    pub scope: TokenScope,
    /// Days until it expires; `None`: never.
    pub days: Option<u32>,
}

impl Checked<TokenForm> for TokenDraft {
    fn check(form: &TokenForm, check: &mut Validator) -> Option<Self> {
        let name = check.check(text_field("name", &form.name, NAME_MAX, true));
        let scope = check.check(form.scope.parse::<TokenScope>());
        let days = check.check(parse_days(&form.expires_days));
        Some(Self { name: name?, scope: scope?, days: days? })
    }
}

/// "never" (or nothing) for no end, else a number of days from 1 to `MAX_DAYS`.
fn parse_days(raw: &str) -> Result<Option<u32>, crate::error::FieldError> {
    let raw = raw.trim();
    if raw.is_empty() || raw.eq_ignore_ascii_case("never") {
        return Ok(None);
    }
    match raw.parse::<u32>() {
        Ok(days) if (1..=MAX_DAYS).contains(&days) => Ok(Some(days)),
        _ => Err(crate::error::FieldError::new(
            "expires_days",
            format!("Choose a number of days from 1 to {MAX_DAYS}, or never."),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_form_is_checked_field_by_field() {
        let form =
            TokenForm { name: "Zapier".into(), scope: "write".into(), expires_days: "90".into() };
        let draft = TokenDraft::checked(&form).expect("valid");
        assert_eq!((draft.scope, draft.days), (TokenScope::Write, Some(90)));
        let never = TokenForm { expires_days: "never".into(), ..form.clone() };
        assert_eq!(TokenDraft::checked(&never).expect("valid").days, None);
        let bad = TokenForm { name: " ".into(), scope: "admin".into(), expires_days: "0".into() };
        let error = TokenDraft::checked(&bad).expect_err("invalid");
        for field in ["name", "scope", "expires_days"] {
            assert!(error.field_message(field).is_some(), "{field}");
        }
    }
}
