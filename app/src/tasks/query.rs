//! What a tasks list shows: status, priority, assignee, due range and overdue
//! filters, sort and page, read from and written to the URL.

use super::*;
use crate::ids::UserId;

/// Which statuses a task list shows; by default everything not done yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum StatusFilter {
    #[default]
    NotDone,
    All,
    Only(TaskStatus),
}

impl StatusFilter {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotDone => "not_done",
            Self::All => "all",
            Self::Only(status) => status.as_str(),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::NotDone => "Not done",
            Self::All => "All statuses",
            Self::Only(status) => status.label(),
        }
    }

    pub fn choices() -> [Self; 5] {
        [
            Self::NotDone,
            Self::All,
            Self::Only(TaskStatus::Open),
            Self::Only(TaskStatus::InProgress),
            Self::Only(TaskStatus::Done),
        ]
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::choices().into_iter().find(|f| f.as_str() == s)
    }
}

/// In the API's OpenAPI document: one of the filters' names.
#[cfg(feature = "ssr")]
impl utoipa::PartialSchema for StatusFilter {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(Self::choices().map(Self::as_str)))
            .into()
    }
}

#[cfg(feature = "ssr")]
impl utoipa::ToSchema for StatusFilter {}

#[derive(strum::VariantArray, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum TaskSort {
    #[default]
    Due,
    Priority,
    Status,
    Title,
}

crate::openapi_names!(TaskSort);

impl SortKey for TaskSort {
    /// Highest priority first; soonest due first.
    fn descending_first(self) -> bool {
        self == Self::Priority
    }
}

/// What a task list narrows to. Lives in the URL.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TaskFilters {
    pub status: StatusFilter,
    pub priority: Option<Priority>,
    /// Admins only: tasks assigned to this user.
    pub assignee: Option<UserId>,
    /// Due on or after this day (`YYYY-MM-DD`).
    pub due_from: Option<String>,
    /// Due on or before this day (`YYYY-MM-DD`).
    pub due_to: Option<String>,
    pub overdue_only: bool,
    /// Only the tasks of this lead or customer.
    pub record: Option<RecordRef>,
}

impl list::Filters for TaskFilters {
    const PATH: &'static str = "/tasks";
    const SEARCH: bool = false;
    type Sort = TaskSort;

    fn read(params: &Params<impl Fn(&str) -> Option<String>>) -> Self {
        let record = params
            .id("lead")
            .map(|id| RecordRef::Lead(id.into()))
            .or_else(|| params.id("customer").map(|id| RecordRef::Customer(id.into())));
        Self {
            status: params.text("status").and_then(|s| StatusFilter::parse(&s)).unwrap_or_default(),
            priority: params.parsed("priority"),
            assignee: params.id("assignee").map(UserId::from),
            due_from: params.date("due_from"),
            due_to: params.date("due_to"),
            overdue_only: params.flag("overdue"),
            record,
        }
    }

    fn write(&self, qs: &mut QueryString) {
        if self.status != StatusFilter::NotDone {
            qs.set("status", self.status.as_str());
        }
        qs.set_some("priority", self.priority.map(Priority::as_str));
        qs.set_some("assignee", self.assignee.as_ref().map(UserId::to_string));
        qs.set_some("due_from", self.due_from.clone());
        qs.set_some("due_to", self.due_to.clone());
        qs.set_flag("overdue", self.overdue_only);
        match &self.record {
            Some(RecordRef::Lead(id)) => qs.set("lead", id.to_string()),
            Some(RecordRef::Customer(id)) => qs.set("customer", id.to_string()),
            None => {}
        }
    }
}

/// What a task list shows: filters, sort and page.
pub type TaskQuery = list::Query<TaskFilters>;

pub type TaskPage = list::Page<TaskFilters, Task>;
