//! The organisation every page is for: its name and time zone (and whether it
//! requires two-factor sign-in), as the request context carries it. Admins
//! change it in the settings area.

#[cfg(feature = "ssr")]
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// The organisation as every page sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    /// Empty until an admin names it; the header then says "Kith".
    pub name: String,
    /// An IANA zone name, e.g. `Europe/Lisbon`.
    pub time_zone: String,
    /// Changes with every save, so a stale form is refused.
    pub version: i64,
    /// Everyone must sign in with a second factor; those without one are sent to set it up.
    #[serde(default)]
    pub require_two_factor: bool,
}

impl Default for Organisation {
    fn default() -> Self {
        Self { name: String::new(), time_zone: "UTC".into(), version: 0, require_two_factor: false }
    }
}

impl Organisation {
    #[cfg(feature = "ssr")]
    pub fn zone(&self) -> Tz {
        self.time_zone.parse().unwrap_or(Tz::UTC)
    }

    /// What the header shows.
    pub fn display_name(&self) -> &str {
        if self.name.is_empty() {
            "Kith"
        } else {
            &self.name
        }
    }
}

/// The setting holding the organisation's name.
pub const NAME_SETTING: &str = "organisation_name";
/// The setting saying everyone must sign in with a second factor (`true`/`false`).
pub const REQUIRE_TWO_FACTOR_SETTING: &str = "require_two_factor";

/// The organisation's name and time zone (defaults where unset).
#[cfg(feature = "ssr")]
pub async fn load(conn: &mut sqlx::AnyConnection) -> crate::error::AppResult<Organisation> {
    let rows: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT name, value, updated_at FROM settings WHERE name IN ($1, $2, $3)")
            .bind(NAME_SETTING)
            .bind(crate::clock::TIME_ZONE_SETTING)
            .bind(REQUIRE_TWO_FACTOR_SETTING)
            .fetch_all(conn)
            .await?;
    let mut organisation = Organisation::default();
    for (name, value, updated_at) in rows {
        organisation.version = organisation.version.max(updated_at);
        match name.as_str() {
            NAME_SETTING => organisation.name = value,
            REQUIRE_TWO_FACTOR_SETTING => organisation.require_two_factor = value == "true",
            _ => organisation.time_zone = value,
        }
    }
    Ok(organisation)
}
