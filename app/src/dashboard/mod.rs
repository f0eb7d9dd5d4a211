//! The dashboard: where things stand, for the viewer (their own numbers, or
//! everyone's with a per-agent breakdown for admins).

pub mod api;
pub mod charts;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use crate::activity::ActivityEntry;
use crate::leads::{DayCount, LeadStatus};
use crate::tasks::Task;
use charts::ChartData;
use serde::{Deserialize, Serialize};

/// Everything the dashboard shows, read in one server call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    /// Live leads per status, every status in order.
    pub leads_by_status: Vec<(LeadStatus, i64)>,
    /// The organisation's last 14 days, oldest first, today last; empty days count 0.
    pub created_per_day: Vec<DayCount>,
    pub customers: i64,
    /// Tasks not done yet, and how many of them are overdue.
    pub open_tasks: i64,
    pub overdue_tasks: i64,
    /// The oldest overdue tasks, at most [`Dashboard::OVERDUE_SHOWN`].
    pub overdue: Vec<Task>,
    /// Admins only: each team member's numbers, by name.
    pub team: Option<Vec<AgentNumbers>>,
    /// The latest entries of the log the viewer may see.
    pub recent: Vec<ActivityEntry>,
    /// The viewer's own day.
    pub my_day: MyDay,
    /// Leads created per day and leads per status, and (admins) the team's numbers, as charts.
    pub per_day_chart: ChartData,
    pub team_chart: Option<ChartData>,
}

impl Dashboard {
    pub const DAYS: u64 = 14;
    pub const OVERDUE_SHOWN: u32 = 10;
    pub const RECENT_SHOWN: usize = 10;
    /// Entries read for the feed, which shows a member's sign-ins in a row as one line.
    pub const RECENT_READ: i64 = 40;
}

/// The viewer's own day, admins' too: their tasks due today and overdue (the latest
/// first), and the leads that became theirs since yesterday began.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyDay {
    pub due_today: Vec<Task>,
    pub due_today_total: i64,
    pub overdue: Vec<Task>,
    pub overdue_total: i64,
    /// Id, name, company, and when the lead became theirs.
    pub new_leads: Vec<(crate::ids::LeadId, String, String, i64)>,
}

impl MyDay {
    /// How many of each the dashboard lists.
    pub const SHOWN: u32 = 5;
}

/// One team member's row of the admins' breakdown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentNumbers {
    pub id: crate::ids::UserId,
    pub name: String,
    /// Live leads still being worked (New or In Progress).
    pub open_leads: i64,
    /// Live leads that became Closed Won this calendar month.
    pub won_this_month: i64,
    /// All live leads, and those Closed Won: the conversion rate's parts.
    pub leads: i64,
    pub won: i64,
    pub customers: i64,
    pub overdue_tasks: i64,
}

impl AgentNumbers {
    /// Closed Won leads as a share of all live leads, in whole percent.
    pub fn conversion_percent(&self) -> Option<i64> {
        (self.leads > 0).then(|| (self.won * 100 + self.leads / 2) / self.leads)
    }
}
