//! Organisation settings (admins): the name shown in the header and the time
//! zone that "today", "overdue" and every displayed time follow.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

#[cfg(feature = "ssr")]
use {
    crate::auth::{Checked, Validator},
    crate::error::FieldError,
    crate::fields::text_field,
    chrono_tz::Tz,
};

pub const NAME_MAX: usize = 100;

pub use crate::organisation::Organisation;

/// A time zone from its IANA name (`Europe/Lisbon`, `UTC`), or a field error.
#[cfg(feature = "ssr")]
pub fn parse_time_zone(field: &str, raw: &str) -> Result<Tz, FieldError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(FieldError::new(field, "Choose a time zone."));
    }
    name.parse().map_err(|_| {
        FieldError::new(
            field,
            format!("{name:?} is not a time zone. Use a name such as Europe/Lisbon or America/New_York."),
        )
    })
}

/// The settings form, validated.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationDraft {
    pub name: String,
    pub time_zone: Tz,
    pub require_two_factor: bool,
}

/// The settings form as it is posted; `OrganisationDraft::try_from` checks it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    pub name: String,
    pub time_zone: String,
    /// The checkbox: sent only when ticked.
    pub require_two_factor: Option<String>,
}

#[cfg(feature = "ssr")]
impl Checked<SettingsForm> for OrganisationDraft {
    fn check(form: &SettingsForm, check: &mut Validator) -> Option<Self> {
        // Optional: without a name the header says "Kith".
        let name = check.check(text_field("name", &form.name, NAME_MAX, false));
        let time_zone = check.check(parse_time_zone("time_zone", &form.time_zone));
        let require_two_factor = form.require_two_factor.is_some();
        Some(Self { name: name?, time_zone: time_zone?, require_two_factor })
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn time_zones_are_iana_names() {
        assert_eq!(
            parse_time_zone("tz", " Asia/Kathmandu ").map(|z| z.name()),
            Ok("Asia/Kathmandu")
        );
        let bad = parse_time_zone("tz", "Mars/Olympus").expect_err("unknown zone");
        assert!(bad.message.contains("not a time zone"));
        assert!(parse_time_zone("tz", "").is_err());
    }

    #[test]
    fn the_form_reports_every_problem_at_once() {
        let err = OrganisationDraft::checked(&SettingsForm {
            name: "x".repeat(NAME_MAX + 1),
            time_zone: "Nowhere/Else".into(),
            require_two_factor: None,
        })
        .expect_err("invalid");
        assert!(err.field_message("name").is_some());
        assert!(err.field_message("time_zone").is_some());
        let ok = OrganisationDraft::checked(&SettingsForm {
            name: " Acme Sales ".into(),
            time_zone: "Europe/Lisbon".into(),
            require_two_factor: None,
        })
        .expect("valid");
        assert_eq!(ok.name, "Acme Sales");
    }

    #[test]
    fn an_unnamed_organisation_shows_kith() {
        assert_eq!(Organisation::default().display_name(), "Kith");
        assert_eq!(Organisation::default().zone(), Tz::UTC);
    }
}
