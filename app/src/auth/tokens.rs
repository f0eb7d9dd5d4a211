//! Access tokens (short-lived signed JWTs) and refresh tokens (opaque random
//! values of which only a SHA-256 hash is stored).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    /// The user.
    pub sub: String,
    /// The session (refresh-token family).
    pub sid: String,
    pub iat: i64,
    pub exp: i64,
}

#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

#[derive(Debug, PartialEq, Eq)]
pub enum AccessTokenError {
    Expired,
    Invalid,
}

impl TokenKeys {
    pub fn from_secret(secret: &[u8]) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }

    /// Signs an access token valid for `ttl_secs` from `now_secs`.
    pub fn issue_access(
        &self,
        user_id: &str,
        session_id: &str,
        now_secs: i64,
        ttl_secs: i64,
    ) -> String {
        let claims = AccessClaims {
            sub: user_id.to_owned(),
            sid: session_id.to_owned(),
            iat: now_secs,
            exp: now_secs + ttl_secs,
        };
        // HS256 signing of a small struct cannot fail.
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).unwrap_or_default()
    }

    /// Checks signature, algorithm and expiry (no leeway).
    pub fn verify_access(&self, token: &str) -> Result<AccessClaims, AccessTokenError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "sub"]);
        decode::<AccessClaims>(token, &self.decoding, &validation).map(|data| data.claims).map_err(
            |e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => AccessTokenError::Expired,
                _ => AccessTokenError::Invalid,
            },
        )
    }
}

/// A fresh refresh token: 256 random bits, URL-safe.
pub fn new_refresh_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database stores instead of the refresh token itself.
pub fn hash_refresh_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A random secret for signing access tokens.
pub fn new_signing_secret() -> String {
    let mut bytes = [0u8; 48];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> TokenKeys {
        TokenKeys::from_secret(b"test-secret-test-secret-test-secret")
    }

    fn now() -> i64 {
        chrono::Utc::now().timestamp()
    }

    #[test]
    fn an_issued_access_token_verifies_with_its_claims() {
        let token = keys().issue_access("user-1", "session-1", now(), 900);
        let claims = keys().verify_access(&token).expect("valid");
        assert_eq!(claims.sub, "user-1");
        assert_eq!(claims.sid, "session-1");
        assert_eq!(claims.exp - claims.iat, 900);
    }

    #[test]
    fn an_expired_access_token_is_reported_as_expired() {
        let token = keys().issue_access("user-1", "session-1", now() - 1000, 900);
        assert_eq!(keys().verify_access(&token), Err(AccessTokenError::Expired));
    }

    #[test]
    fn a_token_signed_with_another_key_is_invalid() {
        let forged =
            TokenKeys::from_secret(b"another-secret").issue_access("user-1", "s", now(), 900);
        assert_eq!(keys().verify_access(&forged), Err(AccessTokenError::Invalid));
        assert_eq!(keys().verify_access("garbage"), Err(AccessTokenError::Invalid));
        assert_eq!(keys().verify_access(""), Err(AccessTokenError::Invalid));
    }

    #[test]
    fn refresh_tokens_are_random_and_only_their_hash_is_kept() {
        let a = new_refresh_token();
        let b = new_refresh_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        let hash = hash_refresh_token(&a);
        assert_eq!(hash.len(), 64);
        assert_ne!(hash, a);
        assert_eq!(hash, hash_refresh_token(&a));
    }
}
