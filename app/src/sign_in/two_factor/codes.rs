//! The codes of two-factor sign-in, without the database: authenticator
//! secrets and their 6-digit codes (RFC 6238), the QR code that carries a
//! secret to an app, and recovery codes with the hash that is kept of them.

use crate::error::{AppError, AppResult};
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, Secret, TOTP};

/// The name authenticator apps show above the code.
const ISSUER: &str = "Kith";
/// RFC 6238's step: a code lives 30 seconds…
const STEP_SECS: i64 = 30;
/// …and the one before and after are accepted too, for clocks that drift.
const DRIFT_STEPS: i64 = 1;

/// How a second factor was proven.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proof {
    Authenticator,
    RecoveryCode,
}

impl Proof {
    pub fn describe(self) -> &'static str {
        match self {
            Self::Authenticator => "an authenticator code",
            Self::RecoveryCode => "a recovery code",
        }
    }
}

pub(super) fn totp(secret: &str, account: &str) -> AppResult<TOTP> {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().map_err(|e| {
        AppError::internal("stored authenticator secret is not base32", format!("{e:?}"))
    })?;
    TOTP::new(
        Algorithm::SHA1,
        6,
        0,
        STEP_SECS as u64,
        bytes,
        Some(ISSUER.to_owned()),
        account.to_owned(),
    )
    .map_err(|e| AppError::internal("authenticator secret refused", format!("{e:?}")))
}

/// A new secret: 160 random bits (RFC 4226's recommendation), base32.
pub(super) fn new_secret() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 20];
    rand::thread_rng().fill_bytes(&mut bytes);
    match Secret::Raw(bytes.to_vec()).to_encoded() {
        Secret::Encoded(text) => text,
        Secret::Raw(_) => String::new(),
    }
}

/// The code an authenticator shows for `secret` at `unix_secs`.
pub fn code_at(secret: &str, unix_secs: i64) -> AppResult<String> {
    Ok(totp(secret, "")?.generate(unix_secs.max(0) as u64))
}

/// The secret in groups of four, as people type it.
pub(super) fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

pub(super) fn qr_svg(secret: &str, account: &str) -> AppResult<String> {
    let url = totp(secret, account)?.get_url();
    let code = qrcode::QrCode::new(url.as_bytes()).map_err(|e| AppError::internal("QR code", e))?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    // Inline in the page: the XML declaration has no place there.
    Ok(svg.split_once("?>").map_or(svg.clone(), |(_, rest)| rest.trim().to_owned()))
}

/// A recovery code: ten letters and digits without look-alikes, in two groups.
pub(super) fn new_recovery_code() -> String {
    let code = crate::auth::password::generate().replace('-', "");
    format!("{}-{}", &code[..5], &code[5..10])
}

/// What is kept of a recovery code: a hash of it as typed, loosely (case, spaces and dashes don't matter).
pub(super) fn recovery_hash(raw: &str) -> String {
    let normal: String =
        raw.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect();
    hex::encode(Sha256::digest(normal.as_bytes()))
}

/// Six digits as typed (spaces allowed), or `None` for anything else.
pub(super) fn authenticator_code(raw: &str) -> Option<String> {
    let digits: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    (digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// The 30-second step a matching code belongs to, near `now`.
pub(super) fn matching_step(totp: &TOTP, code: &str, now_ms: i64) -> Option<i64> {
    let now_step = now_ms.div_euclid(1000) / STEP_SECS;
    (now_step - DRIFT_STEPS..=now_step + DRIFT_STEPS)
        .find(|step| totp.check(code, (step * STEP_SECS).max(0) as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_accepted_near_its_time_and_not_far_from_it() {
        let secret = new_secret();
        let totp = totp(&secret, "ana@kith.test").expect("totp");
        let now_ms = 1_780_000_000_000;
        let code = code_at(&secret, now_ms / 1000).expect("code");
        let step = now_ms / 1000 / STEP_SECS;
        assert_eq!(matching_step(&totp, &code, now_ms), Some(step));
        assert_eq!(matching_step(&totp, &code, now_ms + 30_000), Some(step));
        assert_eq!(matching_step(&totp, &code, now_ms + 95_000), None);
    }

    #[test]
    fn recovery_codes_match_however_they_are_typed() {
        let code = new_recovery_code();
        assert_eq!(code.len(), 11);
        assert_eq!(recovery_hash(&code), recovery_hash(&code.to_uppercase().replace('-', " ")));
        assert_ne!(recovery_hash(&code), recovery_hash(&new_recovery_code()));
    }

    #[test]
    fn only_six_digits_are_an_authenticator_code() {
        assert_eq!(authenticator_code(" 123 456 "), Some("123456".into()));
        assert_eq!(authenticator_code("12345"), None);
        assert_eq!(authenticator_code("abcdef"), None);
    }

    #[test]
    fn the_qr_code_is_an_inline_svg() {
        let svg = qr_svg(&new_secret(), "ana@kith.test").expect("svg");
        assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
    }
}
