//! The dashboard page: cards that link to the lists they count, charts with
//! their tables, the admins' per-agent breakdown, overdue tasks and recent activity.

use super::api::get_dashboard;
use super::charts::{BarChart, ChartData};
use super::{AgentNumbers, Dashboard, MyDay};
use crate::activity::pages::ActivityLine;
use crate::activity::ActivityQuery;
use crate::components::PageHeading;
use crate::components::{data_table, loaded, use_viewer, Column, DueDate, Moment};
use crate::customers::CustomerQuery;
use crate::leads::{LeadFilters, LeadQuery, LeadStatus};
use crate::tasks::pages::RelatedLink;
use crate::tasks::{Task, TaskFilters, TaskQuery};
use leptos::prelude::*;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let dashboard = Resource::new(|| (), |_| get_dashboard());
    view! {
        <PageHeading text="Dashboard"/>
        {loaded("Loading your numbers…", dashboard, move |dashboard| view! { <DashboardView dashboard=dashboard/> }.into_any())}
    }
}

#[component]
fn DashboardView(dashboard: Dashboard) -> impl IntoView {
    let team = dashboard.team.clone().zip(dashboard.team_chart.clone());
    let team = team.map(|(team, chart)| view! { <TeamNumbers team=team chart=chart/> });
    view! {
        <MyDayPanel day=dashboard.my_day.clone()/>
        <Cards leads_by_status=dashboard.leads_by_status.clone() customers=dashboard.customers
            open_tasks=dashboard.open_tasks overdue_tasks=dashboard.overdue_tasks/>
        // Leads per status are the cards above: no chart repeats them.
        <section aria-labelledby="leads-per-day-title" class="dashboard-panel mb-6">
            <h2 id="leads-per-day-title">"Leads created, last 14 days"</h2>
            <BarChart id="leads-per-day" caption="Leads created per day, last 14 days, today last"
                category_header="Day" data=dashboard.per_day_chart.clone() table=true/>
        </section>
        {team}
        <OverdueTasks total=dashboard.overdue_tasks tasks=dashboard.overdue/>
        <RecentActivity entries=dashboard.recent/>
    }
    .into_any()
}

/// The viewer's own day: tasks due today, overdue (the latest first), new leads.
#[component]
fn MyDayPanel(day: MyDay) -> impl IntoView {
    let me = use_viewer().map(|v| v.id);
    let mine = |filters: TaskFilters| {
        TaskQuery::with(TaskFilters { assignee: me.clone(), ..filters }).href()
    };
    let task_item = |task: Task, overdue: bool| {
        view! {
            <li>
                <a href=format!("/tasks/{}", task.id.as_str())>{task.title.clone()}</a>
                <span class="muted">" · "<DueDate day=task.due_date.clone() time=task.due_time.clone() overdue=overdue/></span>
            </li>
        }
    };
    let today = if day.due_today.is_empty() {
        view! { <p class="muted">"Nothing due today."</p> }.into_any()
    } else {
        view! { <ul class="my-day-list">{day.due_today.into_iter().map(|t| task_item(t, false)).collect_view()}</ul> }.into_any()
    };
    let overdue = if day.overdue.is_empty() {
        view! { <p class="muted">"Nothing overdue."</p> }.into_any()
    } else {
        let all = mine(TaskFilters { overdue_only: true, ..Default::default() });
        view! {
            <ul class="my-day-list">{day.overdue.into_iter().map(|t| task_item(t, true)).collect_view()}</ul>
            <p><a href=all>{format!("All {} of my overdue tasks", day.overdue_total)}</a></p>
        }
        .into_any()
    };
    let leads = if day.new_leads.is_empty() {
        view! { <p class="muted">"No new leads since yesterday."</p> }.into_any()
    } else {
        let items = day
            .new_leads
            .into_iter()
            .map(|(id, name, company, at)| {
                let company = (!company.is_empty()).then(|| format!(" · {company}"));
                view! {
                    <li>
                        <a href=format!("/leads/{id}")>{name}</a>
                        <span class="muted">{company}" · "<Moment at=at/></span>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="my-day-list">{items}</ul> }.into_any()
    };
    view! {
        <section aria-labelledby="my-day-title" class="my-day">
            <h2 id="my-day-title">"My day"</h2>
            <div class="my-day-grid">
                <section aria-labelledby="due-today-title">
                    <h3 id="due-today-title">{format!("Due today ({})", day.due_today_total)}</h3>
                    {today}
                </section>
                <section aria-labelledby="my-overdue-title">
                    <h3 id="my-overdue-title">{format!("Overdue ({})", day.overdue_total)}</h3>
                    {overdue}
                </section>
                <section aria-labelledby="new-leads-title">
                    <h3 id="new-leads-title">"New leads for me"</h3>
                    {leads}
                </section>
            </div>
        </section>
    }
}

/// One number, linking to the list it counts.
#[component]
fn Card(value: i64, label: &'static str, href: String) -> impl IntoView {
    view! {
        <li class="stat-card">
            <a href=href>
                <span class="stat-value">{value}</span>
                <span class="stat-label">{label}</span>
            </a>
        </li>
    }
}

#[component]
fn Cards(
    leads_by_status: Vec<(LeadStatus, i64)>,
    customers: i64,
    open_tasks: i64,
    overdue_tasks: i64,
) -> impl IntoView {
    let overdue = TaskQuery::with(TaskFilters { overdue_only: true, ..Default::default() });
    view! {
        <section aria-labelledby="leads-cards" class="mb-6">
            <h2 id="leads-cards" class="mb-2 text-lg font-semibold">"Leads"</h2>
            <ul class="stat-cards">
                {leads_by_status.into_iter().map(|(status, count)| {
                    let query = LeadQuery::with(LeadFilters { status: Some(status), ..Default::default() });
                    view! { <Card value=count label=status.label() href=query.href()/> }
                }).collect_view()}
            </ul>
        </section>
        <section aria-labelledby="work-cards" class="mb-6">
            <h2 id="work-cards" class="mb-2 text-lg font-semibold">"Customers and tasks"</h2>
            <ul class="stat-cards">
                <Card value=customers label="Customers" href=CustomerQuery::default().href()/>
                <Card value=open_tasks label="Open tasks" href=TaskQuery::default().href()/>
                <Card value=overdue_tasks label="Overdue tasks" href=overdue.href()/>
            </ul>
        </section>
    }
}

/// Admins: each team member's numbers, as a table and a chart.
#[component]
fn TeamNumbers(team: Vec<AgentNumbers>, chart: ChartData) -> impl IntoView {
    let rows = team
        .into_iter()
        .map(|agent| {
            let conversion =
                agent.conversion_percent().map_or_else(|| "—".to_owned(), |p| format!("{p}%"));
            let leads = LeadQuery::with(LeadFilters {
                agent: Some(agent.id.clone()),
                ..Default::default()
            });
            let overdue = TaskQuery::with(TaskFilters {
                overdue_only: true,
                assignee: Some(agent.id.clone()),
                ..Default::default()
            });
            view! {
                <tr>
                    <th scope="row"><a href=leads.href()>{agent.name}</a></th>
                    <td>{agent.open_leads}</td>
                    <td>{agent.won_this_month}</td>
                    <td>{conversion}</td>
                    <td>{agent.customers}</td>
                    <td><a href=overdue.href()>{agent.overdue_tasks}</a></td>
                </tr>
            }
        })
        .collect_view();
    let columns = vec![
        Column::new("Team member"),
        Column::new("Open leads"),
        Column::new("Won this month"),
        Column::explained("Conversion", "Closed Won leads as a share of all their leads"),
        Column::new("Customers"),
        Column::new("Overdue tasks"),
    ];
    view! {
        <section aria-labelledby="team-title" class="dashboard-panel mb-6">
            <h2 id="team-title">"By team member"</h2>
            {data_table("team-table", "Each team member's leads, customers and overdue tasks", columns, rows)}
            {view! {
                <BarChart id="team-chart" caption="Open leads, leads won this month and overdue tasks per team member"
                    category_header="Team member" data=chart table=false/>
            }.into_any()}
        </section>
    }
    .into_any()
}

/// The oldest overdue tasks, with a link to all of them.
#[component]
fn OverdueTasks(total: i64, tasks: Vec<Task>) -> impl IntoView {
    let all = TaskQuery::with(TaskFilters { overdue_only: true, ..Default::default() }).href();
    let body = if tasks.is_empty() {
        view! { <p class="muted">"Nothing overdue. Well done."</p> }.into_any()
    } else {
        let shown = tasks.len();
        let columns = ["Task", "Due", "Assigned to", "Related to"].map(Column::new).into();
        let rows = tasks
            .into_iter()
            .map(|task| {
                view! {
                    <tr class="overdue">
                        <td><a href=format!("/tasks/{}", task.id.as_str())>{task.title.clone()}</a></td>
                        <td><crate::components::DueDate day=task.due_date.clone() time=task.due_time.clone() overdue=true/></td>
                        <td>{task.assignee_name.clone()}</td>
                        <td><RelatedLink link=task.related.clone()/></td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            {data_table("overdue-table", "Overdue tasks, oldest first", columns, rows)}
            <p class="mt-2"><a href=all>{format!("See all {total} overdue tasks")}</a>
                <span class="muted">{format!(" ({shown} oldest shown)")}</span></p>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="overdue-title" class="dashboard-panel mb-6">
            <h2 id="overdue-title">"Overdue tasks"</h2>
            {body}
        </section>
    }
}

/// The feed's lines: a member's sign-ins (or sign-outs) in a row, as one line with how many.
fn grouped(
    entries: Vec<crate::activity::ActivityEntry>,
) -> Vec<(crate::activity::ActivityEntry, usize)> {
    let mut lines: Vec<(crate::activity::ActivityEntry, usize)> = Vec::new();
    for entry in entries {
        match lines.last_mut() {
            Some((last, times))
                if entry.action.is_session()
                    && last.action == entry.action
                    && last.actor_name == entry.actor_name =>
            {
                *times += 1;
            }
            _ => lines.push((entry, 1)),
        }
    }
    lines
}

#[component]
fn RecentActivity(entries: Vec<crate::activity::ActivityEntry>) -> impl IntoView {
    let body = if entries.is_empty() {
        view! { <p class="muted">"Nothing has happened yet."</p> }.into_any()
    } else {
        let lines = grouped(entries).into_iter().take(Dashboard::RECENT_SHOWN);
        view! {
            <ol class="timeline" id="recent-activity">
                {lines.map(|(entry, times)| view! { <ActivityLine entry=entry times=times/> }).collect_view()}
            </ol>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="recent-title" class="dashboard-panel mb-6">
            <h2 id="recent-title">"Recent activity"</h2>
            {body}
            <p class="mt-2"><a href=ActivityQuery::default().href()>"All activity"</a></p>
        </section>
    }
}
