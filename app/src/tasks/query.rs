//! What a tasks list shows: status, priority, assignee, due range and overdue
//! filters, sort and page, read from and written to the URL.

use super::*;

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

    fn parse(s: &str) -> Option<Self> {
        Self::choices().into_iter().find(|f| f.as_str() == s)
    }
}

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

impl SortKey for TaskSort {
    /// Highest priority first; soonest due first.
    fn descending_first(self) -> bool {
        self == Self::Priority
    }
}

/// What a task list shows: filters, sort and page. Lives in the URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub struct TaskQuery {
    pub status: StatusFilter,
    pub priority: Option<Priority>,
    /// Admins only: tasks assigned to this user.
    pub assignee: Option<String>,
    /// Due on or after this day (`YYYY-MM-DD`).
    pub due_from: Option<String>,
    /// Due on or before this day (`YYYY-MM-DD`).
    pub due_to: Option<String>,
    pub overdue_only: bool,
    /// Only the tasks of this lead or customer.
    pub record: Option<RecordRef>,
    pub sort: TaskSort,
    pub descending: bool,
    pub page: u32,
    pub per_page: u32,
}

crate::travels_as_query_string!(TaskQuery);

impl Default for TaskQuery {
    fn default() -> Self {
        Self {
            status: StatusFilter::NotDone,
            priority: None,
            assignee: None,
            due_from: None,
            due_to: None,
            overdue_only: false,
            record: None,
            sort: TaskSort::Due,
            descending: false,
            page: 1,
            per_page: list::DEFAULT_PER_PAGE,
        }
    }
}

impl TaskQuery {
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let params = Params(get);
        let (sort, descending) = params.sort(TaskSort::Due);
        let record = params
            .id("lead")
            .map(|id| RecordRef::Lead(id.into()))
            .or_else(|| {
                params
                    .id("customer")
                    .map(|id| RecordRef::Customer(id.into()))
            });
        Self {
            status: params
                .text("status")
                .and_then(|s| StatusFilter::parse(&s))
                .unwrap_or_default(),
            priority: params.parsed("priority"),
            assignee: params.id("assignee"),
            due_from: params.date("due_from"),
            due_to: params.date("due_to"),
            overdue_only: params.flag("overdue"),
            record,
            sort,
            descending,
            page: params.page(),
            per_page: params.per_page(),
        }
    }

    pub fn to_query_string(&self) -> String {
        let mut qs = QueryString::default();
        if self.status != StatusFilter::NotDone {
            qs.set("status", self.status.as_str());
        }
        qs.set_some("priority", self.priority.map(Priority::as_str));
        qs.set_some("assignee", self.assignee.clone());
        qs.set_some("due_from", self.due_from.clone());
        qs.set_some("due_to", self.due_to.clone());
        qs.set_flag("overdue", self.overdue_only);
        match &self.record {
            Some(RecordRef::Lead(id)) => qs.set("lead", id.to_string()),
            Some(RecordRef::Customer(id)) => qs.set("customer", id.to_string()),
            None => {}
        }
        qs.set_sort((self.sort, self.descending), TaskSort::Due);
        qs.set_paging(self.page, self.per_page);
        qs.finish()
    }

    pub fn href(&self) -> String {
        list::href("/tasks", &self.to_query_string())
    }

    pub fn sorted_by(&self, sort: TaskSort) -> Self {
        let (sort, descending) = list::toggled_sort((self.sort, self.descending), sort);
        Self {
            sort,
            descending,
            page: 1,
            ..self.clone()
        }
    }

    pub fn on_page(&self, page: u32) -> Self {
        Self {
            page,
            ..self.clone()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskPage {
    pub rows: Vec<Task>,
    pub total: i64,
    pub query: TaskQuery,
}

impl TaskPage {
    pub fn page_count(&self) -> u32 {
        list::page_count(self.total, self.query.per_page)
    }
}
