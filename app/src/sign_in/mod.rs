//! Signing in and setting up: the sign-in and first-run setup pages, the
//! two-factor step and its settings, and creating accounts (setup,
//! `kith create-admin`, the demo seed and the users area share it).
//! Who is signed in, and the rules about it, live below in `auth`.

pub mod api;
pub mod pages;
pub mod two_factor;

#[cfg(feature = "ssr")]
pub mod accounts;

/// The first-run setup form as it is posted (also what `kith create-admin`
/// fills in, without a confirmation); `accounts::NewAccount::try_from` checks it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SetupForm {
    pub name: String,
    pub email: String,
    pub password: String,
    pub password_confirm: Option<String>,
}
