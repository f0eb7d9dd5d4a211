//! The customers area. A customer is created by converting a lead (or, later,
//! directly); this holds what conversion needs until the full area lands.

pub mod api;
pub mod pages;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub id: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub company: String,
    pub owner_name: String,
    pub lead_id: Option<String>,
    pub created_at: i64,
}
