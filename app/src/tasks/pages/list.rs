//! The tasks list: filters, sort and paging.

use super::*;

#[component]
pub fn TasksPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|p| TaskQuery::from_params(|k| p.get(k))));
    // A quick action returns to this same URL; its completion count reloads the list.
    let set_status = ServerAction::<SetTaskStatus>::new();
    let tasks = Resource::new(
        move || (query.get(), set_status.version().get()),
        |(q, _)| list_tasks(q.to_query_string()),
    );
    let team = use_viewer().is_some_and(|v| v.is_admin()).then(load_team);
    let error = action_error(set_status.value());
    view! {
        <PageTitle text="Tasks"/>
        <div class="page-header">
            <h1 class="page-title">"Tasks"</h1>
            <div class="actions"><a class="btn btn-primary" href="/tasks/new">"New task"</a></div>
        </div>
        <crate::views::pages::SavedViews list=crate::views::SavedList::Tasks/>
        <TaskFilterForm query=query team=team/>
        <FormError error=error/>
        {loaded("Loading tasks…", tasks, move |page| view! { <TaskTable page=page set_status=set_status show_related=true team=team/> }.into_any())}
    }
}

/// Filters: a plain GET form, so it works without JavaScript and the URL holds the state.
#[component]
fn TaskFilterForm(query: Memo<TaskQuery>, team: Option<Team>) -> impl IntoView {
    let current = query.get_untracked();
    let keep_sort = (current.sort, current.descending) != (TaskSort::Due, false);
    view! {
        <Form method="GET" action="/tasks" attr:class="filters" attr:role="search">
            <KeepSort sort=current.sort.as_str() descending=current.descending keep=keep_sort/>
            <div class="field">
                <label for="task-status" class="field-label">"Status"</label>
                <select id="task-status" name="status" class="field-input">
                    {StatusFilter::choices().map(|f| view! {
                        <option value=f.as_str() selected=current.status == f>{f.label()}</option>
                    })}
                </select>
            </div>
            <ChoiceFilter id="task-priority" name="priority" label="Priority" any="Any priority" selected=current.priority/>
            {team.map(|team| view! {
                <TeamSelect team=team id="task-assignee" name="assignee" label="Assigned to"
                    selected=current.assignee.clone() empty_choice=EmptyChoice::Allowed("Everyone")/>
            })}
            <DateFilter id="task-due-from" name="due_from" label="Due from" value=current.due_from.clone()/>
            <DateFilter id="task-due-to" name="due_to" label="Due until" value=current.due_to.clone()/>
            <PerPageSelect id="task-per-page" selected=current.per_page/>
            <label class="check">
                <input type="checkbox" name="overdue" value="1" checked=current.overdue_only/>
                "Overdue only"
            </label>
            <button type="submit" class="btn btn-primary">"Apply"</button>
        </Form>
    }
}
