//! Who is signed in, and the types the sign-in forms share between server and browser.

pub mod policy;

#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod throttle;
#[cfg(feature = "ssr")]
pub mod tokens;

use crate::error::{AppError, FieldError};
pub use crate::ids::UserId;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(strum::VariantArray, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    Admin,
    Agent,
}

crate::named_variants!(Role, field = "role");

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Self::Admin => "Admin",
            Self::Agent => "Agent",
        }
    }
}

/// The signed-in person making a request, as re-checked against the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// The session (refresh-token family) this request belongs to.
    pub session_id: String,
    /// Whether they sign in with a second factor (a confirmed authenticator).
    #[serde(default)]
    pub two_factor: bool,
}

/// How a web form's session id begins: its posts act as the member a lead lands with.
pub const WEB_FORM_SESSION: &str = "form:";

impl Viewer {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// A web form acting for a member, not the member themselves.
    pub fn is_web_form(&self) -> bool {
        self.session_id.starts_with(WEB_FORM_SESSION)
    }
}

/// An email address: trimmed, lower-cased and plausibly deliverable.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let raw = raw.trim();
        // The same result; most addresses are ASCII, which lowers much faster.
        let email = if raw.is_ascii() { raw.to_ascii_lowercase() } else { raw.to_lowercase() };
        if email.is_empty() {
            return Err(FieldError::new(field, "Enter an email address."));
        }
        if email.len() > Self::MAX_LEN {
            return Err(FieldError::new(field, "Email addresses are at most 254 characters."));
        }
        if !Self::looks_valid(&email) {
            return Err(FieldError::new(
                field,
                "Enter a valid email address, like name@example.com.",
            ));
        }
        Ok(Self(email))
    }

    fn looks_valid(email: &str) -> bool {
        let Some((local, domain)) = email.split_once('@') else {
            return false;
        };
        let clean = |s: &str| {
            !s.is_empty() && !s.chars().any(|c| c.is_whitespace() || c.is_control() || c == '@')
        };
        clean(local)
            && clean(domain)
            && local.len() <= 64
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person's display name: trimmed, 1–100 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_LEN: usize = 100;

    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(FieldError::new(field, "Enter a name."));
        }
        if name.chars().count() > Self::MAX_LEN {
            return Err(FieldError::new(field, "Names are at most 100 characters."));
        }
        if name.chars().any(char::is_control) {
            return Err(FieldError::new(field, "Names cannot contain control characters."));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password that satisfies the password policy.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(..)")
    }
}

impl NewPassword {
    pub const MIN_LEN: usize = 10;
    pub const MAX_LEN: usize = 200;

    const COMMON: &'static [&'static str] = &[
        "1234567890",
        "12345678910",
        "123456789a",
        "1q2w3e4r5t",
        "qwertyuiop",
        "password12",
        "password123",
        "password1234",
        "passw0rd123",
        "iloveyou12",
        "abcdefghij",
        "1111111111",
        "0123456789",
        "0987654321",
        "qwerty1234",
        "qwerty12345",
        "letmein123",
        "welcome123",
        "admin12345",
        "administrator",
        "changeme123",
        "football123",
        "baseball123",
        "princess12",
        "sunshine123",
        "superman123",
        "trustno1234",
        "monkey12345",
        "dragon12345",
        "aaaaaaaaaa",
    ];

    /// Checks the policy: long enough, not the email address, not a well-known password.
    pub fn parse(field: &str, raw: &str, email: Option<&Email>) -> Result<Self, FieldError> {
        let length = raw.chars().count();
        if length < Self::MIN_LEN {
            return Err(FieldError::new(field, "Use at least 10 characters."));
        }
        if length > Self::MAX_LEN {
            return Err(FieldError::new(field, "Use at most 200 characters."));
        }
        let lowered = raw.trim().to_lowercase();
        if let Some(email) = email {
            let local = email.as_str().split('@').next().unwrap_or_default();
            if lowered == email.as_str() || lowered == local {
                return Err(FieldError::new(field, "Your password cannot be your email address."));
            }
        }
        if Self::COMMON.contains(&lowered.as_str()) {
            return Err(FieldError::new(field, "That password is too common. Choose another."));
        }
        Ok(Self(raw.to_owned()))
    }

    /// Checks `password` (field `password`) into `check`, and that `confirm`
    /// (field `password_confirm`), when the form has one, repeats it.
    pub fn check_confirmed(
        check: &mut Validator,
        password: &str,
        confirm: Option<&str>,
        email: Option<&Email>,
    ) -> Option<Self> {
        let new = check.check(Self::parse("password", password, email));
        if new.is_some() && confirm.is_some_and(|c| c != password) {
            check.add("password_confirm", "The two passwords do not match.");
        }
        new
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A value checked from the form that posts it, reporting every field's problem at once.
pub trait Checked<F>: Sized {
    /// Checks each field of `form` into `check`; `None` when any failed.
    fn check(form: &F, check: &mut Validator) -> Option<Self>;

    /// `form` checked on its own: `AppError::Invalid` with each field's problem.
    fn checked(form: &F) -> Result<Self, AppError> {
        let mut check = Validator::default();
        let value = Self::check(form, &mut check);
        check.finish_with(|| value)
    }
}

/// Collects field errors so a form reports every problem at once.
#[derive(Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    pub fn check<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        result.map_err(|e| self.errors.push(e)).ok()
    }

    pub fn add(&mut self, field: &str, message: &str) {
        self.errors.push(FieldError::new(field, message));
    }

    /// Builds the checked value once every check passed; `build` unwraps each
    /// checked field with `?`, which cannot fail by then.
    pub fn finish_with<T>(self, build: impl FnOnce() -> Option<T>) -> Result<T, AppError> {
        self.finish()?;
        build().ok_or(AppError::Internal)
    }

    /// `Ok` only when every check passed.
    pub fn finish(self) -> Result<(), AppError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(self.errors))
        }
    }
}

/// A path inside Kith to return to after signing in; anything else becomes `/`.
pub fn safe_return_path(raw: Option<&str>) -> String {
    match raw {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && path.len() <= 2000
                && path.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        let email = Email::parse("email", "  Ada@Example.COM ").expect("valid");
        assert_eq!(email.as_str(), "ada@example.com");
    }

    #[test]
    fn malformed_emails_are_refused_with_a_field_message() {
        for raw in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
            "ada@@example.com",
        ] {
            let err = Email::parse("email", raw).expect_err(raw);
            assert_eq!(err.field, "email");
        }
    }

    #[test]
    fn password_policy_names_the_rule_that_failed() {
        let email = Email::parse("email", "maria@kith.test").expect("valid");
        let short = NewPassword::parse("password", "short", Some(&email)).expect_err("short");
        assert!(short.message.contains("10 characters"));
        let same =
            NewPassword::parse("password", "maria@kith.test", Some(&email)).expect_err("email");
        assert!(same.message.contains("email"));
        let common = NewPassword::parse("password", "Password123", None).expect_err("common");
        assert!(common.message.contains("common"));
        assert!(NewPassword::parse("password", "correct horse battery", Some(&email)).is_ok());
    }

    #[test]
    fn return_paths_stay_inside_kith() {
        assert_eq!(safe_return_path(Some("/leads?page=2")), "/leads?page=2");
        for bad in ["https://evil.example", "//evil.example", "/\\evil.example", "leads", "/a b"] {
            assert_eq!(safe_return_path(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_return_path(None), "/");
    }
}
