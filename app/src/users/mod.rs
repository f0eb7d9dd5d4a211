//! The users area (admins only) and every user's own profile.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
