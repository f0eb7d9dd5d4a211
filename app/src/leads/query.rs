//! What a leads list or board shows: search, status and agent filters, sort
//! and page, read from and written to the URL; a page of rows, and the
//! board's columns.

use super::*;
use crate::ids::UserId;

/// The columns a lead list can be sorted by.
#[derive(strum::VariantArray, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum LeadSort {
    Name,
    Company,
    Status,
    Assignee,
    #[default]
    Created,
    Updated,
}

crate::openapi_names!(LeadSort);

impl SortKey for LeadSort {
    fn descending_first(self) -> bool {
        matches!(self, Self::Created | Self::Updated)
    }
}

/// What a lead list narrows to, beside its search. Lives in the URL.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LeadFilters {
    pub status: Option<LeadStatus>,
    /// Admins only: leads assigned to this user.
    pub agent: Option<UserId>,
    /// Admins only: the archive instead of the live list.
    pub archived: bool,
}

impl list::Filters for LeadFilters {
    const PATH: &'static str = "/leads";
    type Sort = LeadSort;

    fn read(params: &Params<impl Fn(&str) -> Option<String>>) -> Self {
        Self {
            status: params.parsed("status"),
            agent: params.id("agent").map(UserId::from),
            archived: params.flag("archived"),
        }
    }

    fn write(&self, qs: &mut QueryString) {
        qs.set_some("status", self.status.map(LeadStatus::as_str));
        qs.set_some("agent", self.agent.as_ref().map(UserId::to_string));
        qs.set_flag("archived", self.archived);
    }
}

/// What a lead list shows: search, filters, sort and page.
pub type LeadQuery = list::Query<LeadFilters>;

/// One row of a lead list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadRow {
    pub id: LeadId,
    pub name: String,
    pub email: String,
    pub company: String,
    pub status: LeadStatus,
    pub assignee_name: String,
    pub version: i64,
    pub created_at: i64,
}

/// A page of a lead list, with the total the filters match.
pub type LeadPage = list::Page<LeadFilters, LeadRow>;

/// The board: one column per status, each with its total and its first cards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadBoard {
    pub columns: Vec<LeadPage>,
}

impl LeadBoard {
    /// Cards a column shows at first and adds with "Show more" (a page of its
    /// list, so one of the sizes a list allows); its total and a link to the full
    /// list say the rest.
    pub const CARDS_PER_COLUMN: u32 = crate::list::DEFAULT_PER_PAGE;
}
