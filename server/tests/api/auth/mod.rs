//! Signing in and out, sessions, throttling and the HTTP guards, through the
//! real router on a real database (SQLite, or PostgreSQL when configured).

use crate::helpers::{TestApp, ADMIN, JAMES, MARIA};
use app::auth::session::{ACCESS_COOKIE, REFRESH_COOKIE};
use app::auth::tokens::TokenKeys;
use axum::body::Body;
use axum::http::{Request, StatusCode};

mod pages;
mod sessions;
mod sign_in;
mod throttle;
