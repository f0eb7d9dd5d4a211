//! Web-to-lead forms: an admin makes a form (which lead fields it takes, who gets
//! its leads — one agent or several in turn — and a thank-you page), pastes its
//! HTML snippet on a website, and each visitor's post becomes a lead. `http` takes
//! the public posts (`POST /forms/{key}`, from any origin, as a plain HTML form or
//! JSON) with a honeypot field, limits per address and per form kept in the
//! database, and a small body limit; a post whose email matches a lead becomes a
//! note on that lead. `api`/`pages` are the admins' pages, `store` the SQL.

pub mod api;
#[cfg(feature = "ssr")]
pub mod http;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use crate::auth::{Checked, Validator};
use crate::error::FieldError;
use crate::fields::text_field;
use crate::ids::UserId;
pub use crate::ids::WebFormId;
use serde::{Deserialize, Serialize};

/// Where a form's posts go: `POST {PUBLIC_PATH}/{key}`.
pub const PUBLIC_PATH: &str = "/forms";
/// What every public post's path starts with.
pub const PUBLIC_PATH_PREFIX: &str = "/forms/";
/// The hidden field people never fill in; a post that fills it is a robot's.
pub const HONEYPOT: &str = "website";
/// A form's name, in characters.
pub const NAME_MAX: usize = 80;

/// A lead field a form may take.
#[derive(strum::VariantArray, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FormField {
    Name,
    Email,
    Phone,
    Company,
    /// What the visitor wrote: kept as the lead's background notes.
    Message,
}

crate::named_variants!(FormField);

impl FormField {
    pub fn label(self) -> &'static str {
        match self {
            Self::Name => "Name",
            Self::Email => "Email",
            Self::Phone => "Phone",
            Self::Company => "Company",
            Self::Message => "Message",
        }
    }
}

/// A form as the admins' page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebForm {
    pub id: WebFormId,
    pub public_key: String,
    pub name: String,
    pub fields: Vec<FormField>,
    /// Who gets its leads, in turn: (id, name).
    pub assignees: Vec<(UserId, String)>,
    pub redirect_url: Option<String>,
    pub enabled: bool,
    pub created_at: i64,
    /// Leads it has brought in (posts turned into notes not counted).
    pub leads: i64,
}

/// A form's page: the form, and where its posts go on this server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebFormDetail {
    pub form: WebForm,
    /// `https://crm.example.com/forms/{key}`.
    pub post_url: String,
}

/// A new form as posted: ticked fields and assignees arrive as `fields[i]`, `assignees[i]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WebFormInput {
    pub name: String,
    pub fields: Vec<String>,
    pub assignees: Vec<String>,
    pub redirect_url: String,
}

/// A new form, checked (the assignees are checked to be active by the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebFormDraft {
    pub name: String,
    pub fields: Vec<FormField>,
    pub assignees: Vec<UserId>,
    pub redirect_url: Option<String>,
}

impl Checked<WebFormInput> for WebFormDraft {
    fn check(form: &WebFormInput, check: &mut Validator) -> Option<Self> {
        let name = check.check(text_field("name", &form.name, NAME_MAX, true));
        let fields = check.check(parse_fields(&form.fields));
        let assignees: Vec<UserId> = form
            .assignees
            .iter()
            .filter(|a| !a.is_empty())
            .map(|a| UserId::from(a.as_str()))
            .collect();
        let assignees = check.check(match assignees.len() {
            0 => Err(FieldError::new("assignees", "Choose who gets the form's leads.")),
            _ => Ok(assignees),
        });
        let redirect_url = check.check(parse_redirect(&form.redirect_url));
        Some(Self {
            name: name?,
            fields: fields?,
            assignees: assignees?,
            redirect_url: redirect_url?,
        })
    }
}

/// The fields ticked, with the name always first.
fn parse_fields(raw: &[String]) -> Result<Vec<FormField>, FieldError> {
    let mut fields = vec![FormField::Name];
    for name in raw.iter().filter(|n| !n.is_empty()) {
        let field = FormField::parse(name).ok_or_else(|| {
            FieldError::new("fields", format!("`{name}` is not a field a form can take."))
        })?;
        if !fields.contains(&field) {
            fields.push(field);
        }
    }
    Ok(fields)
}

/// The thank-you page: none, or an `http(s)` address (the only place a post ever
/// sends a visitor on to).
fn parse_redirect(raw: &str) -> Result<Option<String>, FieldError> {
    let url = text_field("redirect_url", raw, 2000, false)?;
    if url.is_empty() {
        return Ok(None);
    }
    let lower = url.to_ascii_lowercase();
    let host = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    match host.map(|h| h.split(['/', '?', '#']).next().unwrap_or_default()) {
        Some(host) if !host.is_empty() && !host.contains('@') && !url.contains(' ') => {
            Ok(Some(url))
        }
        _ => Err(FieldError::new(
            "redirect_url",
            "Enter the thank-you page's full address, such as https://example.com/thanks.",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_takes_the_name_always_and_redirects_only_to_a_web_address() {
        let form = |fields: &[&str], redirect: &str| WebFormInput {
            name: "Contact us".into(),
            fields: fields.iter().map(|f| f.to_string()).collect(),
            assignees: vec!["u1".into()],
            redirect_url: redirect.into(),
        };
        let draft =
            WebFormDraft::checked(&form(&["email", "message"], "https://example.com/thanks"))
                .expect("valid");
        assert_eq!(draft.fields, [FormField::Name, FormField::Email, FormField::Message]);
        assert_eq!(draft.redirect_url.as_deref(), Some("https://example.com/thanks"));
        for bad in ["javascript:alert(1)", "//evil.example", "https://user@evil.example/"] {
            let err = WebFormDraft::checked(&form(&[], bad)).expect_err(bad);
            assert!(err.field_message("redirect_url").is_some(), "{bad}");
        }
        let err = WebFormDraft::checked(&form(&["password"], "")).expect_err("field");
        assert!(err.field_message("fields").is_some());
    }
}
