//! The leads area.

pub mod pages;
