//! The tasks area.

pub mod pages;
