//! Kith's tests through its real paths, in one binary: the axum router on a
//! fresh SQLite file or PostgreSQL database (`helpers::TestApp`, with a client
//! that keeps cookies), the `kith` command line, and properties over every
//! server function and list URL.

mod client;
mod helpers;

mod activity;
mod auth;
mod backup;
mod cli;
mod customers;
mod dashboard;
mod fuzz;
mod imports;
mod lead_forms;
mod leads;
mod metrics;
mod notifications;
mod paging;
mod replica;
mod rest;
mod robustness;
mod search;
mod shutdown;
mod tasks;
mod two_factor;
mod users;
mod views;
mod webhooks;
