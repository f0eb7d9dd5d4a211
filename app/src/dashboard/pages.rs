//! The dashboard: where things stand, for the viewer.

use crate::leads::api::get_lead_stats;
use crate::leads::{LeadQuery, LeadStats};
use crate::shell::ErrorPage;
use crate::tasks::api::overdue_task_count;
use crate::tasks::TaskQuery;
use leptos::prelude::*;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let stats = Resource::new(|| (), |_| get_lead_stats());
    let overdue = Resource::new(|| (), |_| overdue_task_count());
    view! {
        <crate::components::PageTitle text="Dashboard"/>
        <h1 class="page-title">"Dashboard"</h1>
        <Suspense>
            {move || overdue.get().and_then(Result::ok).map(|count| view! { <OverdueTasks count=count/> })}
        </Suspense>
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading your numbers…"</p> }>
            {move || stats.get().map(|result| match result {
                Ok(stats) => view! { <LeadNumbers stats=stats/> }.into_any(),
                Err(error) => view! { <ErrorPage error=error/> }.into_any(),
            })}
        </Suspense>
    }
}

/// The viewer's overdue tasks, linking to them.
#[component]
fn OverdueTasks(count: i64) -> impl IntoView {
    let href = TaskQuery {
        overdue_only: true,
        ..TaskQuery::default()
    }
    .href();
    view! {
        <section aria-labelledby="tasks-overdue" class="mb-6">
            <h2 id="tasks-overdue" class="mb-2 text-lg font-semibold">"Tasks"</h2>
            <ul class="stat-cards">
                <li class="stat-card">
                    <a href=href>
                        <span class="stat-value">{count}</span>
                        <span class="stat-label">"Overdue"</span>
                    </a>
                </li>
            </ul>
        </section>
    }
}

/// Leads per status (each a link to that list) and leads created per day.
#[component]
fn LeadNumbers(stats: LeadStats) -> impl IntoView {
    view! {
        <section aria-labelledby="leads-by-status" class="mb-6">
            <h2 id="leads-by-status" class="mb-2 text-lg font-semibold">"Leads by status"</h2>
            <ul class="stat-cards">
                {stats.by_status.into_iter().map(|(status, count)| {
                    let href = format!("/leads?{}", LeadQuery { status: Some(status), ..LeadQuery::default() }.to_query_string());
                    view! {
                        <li class="stat-card">
                            <a href=href>
                                <span class="stat-value">{count}</span>
                                <span class="stat-label">{status.label()}</span>
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
        <section aria-labelledby="leads-per-day">
            <h2 id="leads-per-day" class="mb-2 text-lg font-semibold">"Leads created, last 14 days"</h2>
            <div class="table-wrap">
                <table class="data-table" id="leads-per-day-table">
                    <caption class="sr-only">"Leads created per day, last 14 days, today last"</caption>
                    <thead><tr><th scope="col">"Day"</th><th scope="col">"Leads created"</th></tr></thead>
                    <tbody>
                        {stats.created_per_day.into_iter().map(|day| view! {
                            <tr><td>{day.date}</td><td>{day.count}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
