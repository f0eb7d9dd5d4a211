//! The dashboard area.

pub mod pages;
