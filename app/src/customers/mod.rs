//! The customers area.

pub mod pages;
