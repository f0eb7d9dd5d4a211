//! Gathers the dashboard from the areas' own queries (each scoped to the viewer)
//! and adds up the per-assignee numbers: totals for everyone, rows for admins.

use super::charts::ChartData;
use super::{AgentNumbers, Dashboard, MyDay};
use crate::auth::policy::RecordScope;
use crate::auth::Viewer;
use crate::db::Db;
use crate::error::AppResult;
use crate::leads::LeadStatus;
use crate::tasks::{TaskFilters, TaskQuery};
use crate::{activity, clock, customers, leads, tasks, users};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::collections::BTreeMap;
use strum::VariantArray;

/// The dashboard: its queries are independent of each other, so they run at once,
/// each on a connection of its own, and the page waits for the slowest only.
pub async fn load(db: &Db, viewer: &Viewer, tz: Tz, now: DateTime<Utc>) -> AppResult<Dashboard> {
    let scope = RecordScope::of(viewer);
    let now_ms = now.timestamp_millis();
    let overdue_query = TaskQuery {
        per_page: Dashboard::OVERDUE_SHOWN,
        ..TaskQuery::with(TaskFilters { overdue_only: true, ..Default::default() })
    };
    let (lead_counts, created_per_day, won, customer_counts, task_counts, overdue, recent, my_day) =
        futures::try_join!(
            leads::store::status_counts(db, &scope),
            leads::store::created_per_day(db, &scope, tz, now, Dashboard::DAYS),
            leads::store::won_since(db, &scope, clock::month_start(tz, now)),
            customers::store::live_counts(db, &scope),
            tasks::store::open_counts(db, &scope, now_ms),
            tasks::store::list(db, &scope, &overdue_query),
            activity::store::recent(db, viewer, Dashboard::RECENT_READ),
            my_day(db, viewer, tz, now),
        )?;

    let team = match scope {
        RecordScope::Everything => {
            let names = users::store::names(db).await?;
            Some(per_agent(names, &lead_counts, &won, &customer_counts, &task_counts))
        }
        RecordScope::OwnedBy(_) => None,
    };
    let leads_by_status: Vec<(LeadStatus, i64)> = LeadStatus::VARIANTS
        .iter()
        .copied()
        .map(|status| (status, lead_counts.iter().filter(|c| c.1 == status).map(|c| c.2).sum()))
        .collect();
    let per_day_chart = ChartData::bars(
        created_per_day.iter().map(|d| d.date.clone()).collect(),
        vec![("Leads created", created_per_day.iter().map(|d| d.count).collect())],
    );
    let team_chart = team.as_deref().map(|team| {
        ChartData::bars(
            team.iter().map(|a| a.name.clone()).collect(),
            vec![
                ("Open leads", team.iter().map(|a| a.open_leads).collect()),
                ("Won this month", team.iter().map(|a| a.won_this_month).collect()),
                ("Overdue tasks", team.iter().map(|a| a.overdue_tasks).collect()),
            ],
        )
    });
    Ok(Dashboard {
        leads_by_status,
        created_per_day,
        customers: customer_counts.iter().map(|c| c.1).sum(),
        open_tasks: task_counts.iter().map(|c| c.1).sum(),
        overdue_tasks: task_counts.iter().map(|c| c.2).sum(),
        overdue: overdue.rows,
        team,
        recent,
        my_day,
        per_day_chart,
        team_chart,
    })
}

/// The viewer's own tasks due today and overdue, and the leads that became theirs
/// since yesterday began, on the organisation's calendar.
async fn my_day(db: &Db, viewer: &Viewer, tz: Tz, now: DateTime<Utc>) -> AppResult<MyDay> {
    let own = RecordScope::OwnedBy(viewer.id.clone());
    let today = now.with_timezone(&tz).date_naive();
    let day = today.format("%Y-%m-%d").to_string();
    let due_today = TaskQuery {
        per_page: MyDay::SHOWN,
        ..TaskQuery::with(TaskFilters {
            due_from: Some(day.clone()),
            due_to: Some(day),
            ..Default::default()
        })
    };
    let overdue = TaskQuery {
        per_page: MyDay::SHOWN,
        descending: true,
        ..TaskQuery::with(TaskFilters { overdue_only: true, ..Default::default() })
    };
    let since = clock::day_start(tz, today.pred_opt().unwrap_or(today));
    let (due_today, overdue, new_leads) = futures::try_join!(
        tasks::store::list(db, &own, &due_today),
        tasks::store::list(db, &own, &overdue),
        leads::store::theirs_since(db, &viewer.id, since, i64::from(MyDay::SHOWN)),
    )?;
    Ok(MyDay {
        due_today_total: due_today.total,
        due_today: due_today.rows,
        overdue_total: overdue.total,
        overdue: overdue.rows,
        new_leads,
    })
}

/// One row per active team member, and per former member who still holds
/// records, sorted by name.
fn per_agent(
    names: Vec<(String, String, bool)>,
    lead_counts: &[(String, LeadStatus, i64)],
    won: &[(String, i64)],
    customer_counts: &[(String, i64)],
    task_counts: &[(String, i64, i64)],
) -> Vec<AgentNumbers> {
    let mut rows: BTreeMap<String, AgentNumbers> = BTreeMap::new();
    for (id, status, n) in lead_counts {
        let agent = row(&mut rows, id);
        agent.leads += n;
        match status {
            LeadStatus::New | LeadStatus::InProgress => agent.open_leads += n,
            LeadStatus::Won => agent.won += n,
            LeadStatus::Lost => {}
        }
    }
    for (id, n) in won {
        row(&mut rows, id).won_this_month += n;
    }
    for (id, n) in customer_counts {
        row(&mut rows, id).customers += n;
    }
    for (id, _, overdue) in task_counts {
        row(&mut rows, id).overdue_tasks += overdue;
    }
    for (id, _, active) in &names {
        if *active {
            row(&mut rows, id);
        }
    }
    let mut agents: Vec<AgentNumbers> = rows
        .into_values()
        .map(|mut agent| {
            agent.name = names
                .iter()
                .find(|(id, ..)| id.as_str() == agent.id.as_str())
                .map_or_else(|| "Former member".to_owned(), |(_, name, _)| name.clone());
            agent
        })
        .collect();
    agents.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
    agents
}

/// The row of team member `id`, started at zero.
fn row<'a>(rows: &'a mut BTreeMap<String, AgentNumbers>, id: &str) -> &'a mut AgentNumbers {
    rows.entry(id.to_owned())
        .or_insert_with(|| AgentNumbers { id: id.into(), ..AgentNumbers::default() })
}
