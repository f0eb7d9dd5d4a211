//! Two-factor sign-in with an authenticator app (TOTP, RFC 6238) and one-time
//! recovery codes: setting it up and turning it off on the profile, the second
//! step of signing in, and an admin's reset.

pub mod api;
#[cfg(feature = "ssr")]
mod codes;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

/// Where a person stands with two-factor sign-in, for their own page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoFactorStatus {
    /// A confirmed authenticator: sign-in asks for its code.
    pub enabled: bool,
    /// While setting up: the secret to scan or type, not yet confirmed.
    pub setup: Option<Enrolment>,
    /// Recovery codes not used yet.
    pub recovery_codes_left: i64,
    /// Codes made just now, shown this once.
    pub fresh_recovery_codes: Vec<String>,
    /// The organisation requires it.
    pub required: bool,
}

/// A new authenticator secret, as the setup page shows it (until confirmed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    /// Base32, in groups of four for typing.
    pub secret: String,
    /// The `otpauth://` address as a QR code, an SVG drawn on the server.
    pub qr_svg: String,
}

/// How many recovery codes a person gets.
pub const RECOVERY_CODES: usize = 10;
