//! Password hashing with argon2id. Hashing is slow on purpose, so it runs on
//! the blocking pool, never on the async workers, and only a few at a time.

use crate::error::{AppError, AppResult};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::OnceLock;
use tokio::sync::Semaphore;

fn hasher() -> Argon2<'static> {
    // OWASP's argon2id recommendation: 19 MiB, 2 passes, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash_now(password: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal("password hashing failed", e))
}

pub fn verify_now(stored_hash: &str, password: &str) -> bool {
    PasswordHash::new(stored_hash)
        .map(|parsed| hasher().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// A random password to hand to someone: four groups of four letters and digits
/// (about 80 bits), without look-alikes such as 0/o and 1/l.
pub fn generate() -> String {
    use argon2::password_hash::rand_core::RngCore;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = OsRng;
    (0..4)
        .map(|_| {
            (0..4)
                .map(|_| ALPHABET[(rng.next_u32() as usize) % ALPHABET.len()] as char)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// How many hashes may run at once in this process: each holds 19 MiB and a
/// core for a while, so a flood of sign-ins queues here instead of exhausting both.
fn hashing_slots() -> &'static Semaphore {
    static SLOTS: OnceLock<Semaphore> = OnceLock::new();
    SLOTS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Semaphore::new(cores.clamp(2, 8))
    })
}

/// How long a request waits for a free slot before it is told to come back.
const SLOT_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Runs `work` on the blocking pool once a hashing slot is free.
async fn with_slot<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> AppResult<T> {
    let _slot = tokio::time::timeout(SLOT_WAIT, hashing_slots().acquire())
        .await
        .map_err(|_| AppError::Busy)?
        .map_err(|e| AppError::internal("password hashing slots closed", e))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AppError::internal("password hashing task failed", e))
}

pub async fn hash(password: String) -> AppResult<String> {
    with_slot(move || hash_now(&password)).await?
}

/// Verifies against `stored_hash`, or against a dummy hash when there is no such
/// user, so that a wrong email takes as long as a wrong password.
pub async fn verify(stored_hash: Option<String>, password: String) -> AppResult<bool> {
    with_slot(move || match stored_hash {
        Some(hash) => verify_now(&hash, &password),
        None => {
            verify_now(dummy_hash(), &password);
            false
        }
    })
    .await
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_now("kith-dummy-password-for-timing").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_only_its_own_password() {
        let hash = hash_now("correct horse battery").expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_now(&hash, "correct horse battery"));
        assert!(!verify_now(&hash, "correct horse battery!"));
    }

    #[test]
    fn the_same_password_hashes_differently_each_time() {
        let a = hash_now("correct horse battery").expect("hash");
        let b = hash_now("correct horse battery").expect("hash");
        assert_ne!(a, b);
    }

    #[test]
    fn generated_passwords_pass_the_policy_and_differ() {
        let a = generate();
        assert_eq!(a.len(), 19);
        assert!(crate::auth::NewPassword::parse("password", &a, None).is_ok());
        assert_ne!(a, generate());
    }

    #[test]
    fn a_garbled_hash_never_verifies() {
        assert!(!verify_now("not-a-hash", "anything"));
    }
}
