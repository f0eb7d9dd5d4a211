//! The tasks area: things to do by a date, for a lead, a customer or on their own.
//! `query.rs` holds what a tasks list shows (filters, sort, page, in the URL).

mod query;

pub use query::StatusFilter;
pub use query::TaskFilters;
pub use query::TaskPage;
pub use query::TaskQuery;
pub use query::TaskSort;

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use crate::auth::{Checked, Validator};
use crate::error::FieldError;
use crate::fields::{multiline_field, text_field};
pub use crate::ids::TaskId;
use crate::ids::UserId;
use crate::list::{self, Params, QueryString, SortKey};
use crate::records::{RecordLink, RecordRef};
use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

#[derive(strum::VariantArray, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TaskStatus {
    Open,
    InProgress,
    Done,
}

crate::named_variants!(TaskStatus, field = "status");

impl TaskStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "Open",
            Self::InProgress => "In Progress",
            Self::Done => "Done",
        }
    }
}

#[derive(strum::VariantArray, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Priority {
    Low,
    Medium,
    High,
}

crate::named_variants!(Priority, field = "priority");

impl Priority {
    pub fn label(self) -> &'static str {
        match self {
            Self::Low => "Low",
            Self::Medium => "Medium",
            Self::High => "High",
        }
    }
}

/// A task as lists and its page show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: TaskId,
    pub title: String,
    pub description: String,
    /// `YYYY-MM-DD` in the organisation's calendar.
    pub due_date: String,
    /// `HH:MM`, or none: due by the end of the day.
    pub due_time: Option<String>,
    pub priority: Priority,
    pub status: TaskStatus,
    pub assignee_id: UserId,
    pub assignee_name: String,
    pub related: Option<RecordLink>,
    pub completed_at: Option<i64>,
    pub overdue: bool,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Task {
    /// The due date, with the time when there is one.
    pub fn due_label(&self) -> String {
        match &self.due_time {
            Some(time) => format!("{} {time}", self.due_date),
            None => self.due_date.clone(),
        }
    }
}

pub const TITLE_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 5000;

/// The editable fields of a task, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskDraft {
    pub title: String,
    pub description: String,
    pub due_date: NaiveDate,
    pub due_time: Option<NaiveTime>,
    pub priority: Priority,
    pub status: TaskStatus,
}

/// A task's form as it is posted, for a new task and for an edit alike: the
/// text as typed, each field empty when missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TaskForm {
    pub title: String,
    pub description: String,
    pub due_date: String,
    pub due_time: String,
    pub priority: String,
    pub status: String,
}

impl Checked<TaskForm> for TaskDraft {
    fn check(form: &TaskForm, check: &mut Validator) -> Option<Self> {
        let title = check.check(text_field("title", &form.title, TITLE_MAX, true));
        let description =
            check.check(multiline_field("description", &form.description, DESCRIPTION_MAX, false));
        let due_date = check.check(parse_due_date(&form.due_date));
        let due_time = check.check(parse_due_time(&form.due_time));
        let priority = check.check(form.priority.parse::<Priority>());
        let status = check.check(form.status.parse::<TaskStatus>());
        Some(Self {
            title: title?,
            description: description?,
            due_date: due_date?,
            due_time: due_time?,
            priority: priority?,
            status: status?,
        })
    }
}

impl TaskDraft {
    pub fn due_date_str(&self) -> String {
        self.due_date.format("%Y-%m-%d").to_string()
    }

    pub fn due_time_str(&self) -> Option<String> {
        self.due_time.map(|t| t.format("%H:%M").to_string())
    }
}

fn parse_due_date(raw: &str) -> Result<NaiveDate, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FieldError::new("due_date", "Choose the day it is due."));
    }
    crate::fields::parse_day(raw)
        .filter(|d| chrono::Datelike::year(d) >= 2000)
        .ok_or_else(|| FieldError::new("due_date", "Enter a date as YYYY-MM-DD."))
}

fn parse_due_time(raw: &str) -> Result<Option<NaiveTime>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    NaiveTime::parse_from_str(raw, "%H:%M")
        .map(Some)
        .map_err(|_| FieldError::new("due_time", "Enter a time as HH:MM, or leave it empty."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_choice_lists_the_choices_by_label() {
        let err = "later".parse::<TaskStatus>().expect_err("not a status");
        assert_eq!(err.field, "status");
        assert_eq!(err.message, "Choose Open, In Progress or Done.");
        assert_eq!("high".parse::<Priority>(), Ok(Priority::High));
        assert_eq!(Priority::parse("urgent"), None);
    }

    fn task(
        title: &str,
        date: &str,
        time: &str,
        priority: &str,
        status: &str,
    ) -> crate::error::AppResult<TaskDraft> {
        TaskDraft::checked(&TaskForm {
            title: title.into(),
            description: String::new(),
            due_date: date.into(),
            due_time: time.into(),
            priority: priority.into(),
            status: status.into(),
        })
    }

    #[test]
    fn a_task_is_due_on_a_day_optionally_at_a_time() {
        let draft = task(" Call Ana ", "2026-03-08", "", "high", "open").expect("valid");
        assert_eq!(draft.title, "Call Ana");
        assert_eq!(draft.due_time, None);
        let timed = task("Call", "2026-03-08", "14:30", "low", "done").expect("valid");
        assert_eq!(timed.due_time_str().as_deref(), Some("14:30"));
    }

    #[test]
    fn every_invalid_task_field_is_reported() {
        let err = task("", "08/03/2026", "2pm", "urgent", "later").expect_err("invalid");
        for field in ["title", "due_date", "due_time", "priority", "status"] {
            assert!(err.field_message(field).is_some(), "{field}");
        }
    }

    #[test]
    fn a_task_list_round_trips_through_the_url() {
        let query = TaskQuery {
            sort: TaskSort::Priority,
            descending: true,
            page: 3,
            ..TaskQuery::with(TaskFilters {
                status: StatusFilter::Only(TaskStatus::Done),
                priority: Some(Priority::High),
                due_from: Some("2026-01-01".into()),
                overdue_only: true,
                record: Some(RecordRef::Customer("c1".into())),
                ..Default::default()
            })
        };
        let qs = query.to_query_string();
        assert_eq!(TaskQuery::from_params(list::query_params(&qs)), query);
        assert_eq!(
            TaskQuery::from_params(|k| (k == "due_to").then(|| "yesterday".into())),
            TaskQuery::default()
        );
    }
}
