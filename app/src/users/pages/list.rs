//! The users list (admins): search, role and state filters, sort and paging.

use super::*;

#[component]
pub fn UsersPage() -> impl IntoView {
    if !admins_only() {
        return view! { <NotFoundPage/> }.into_any();
    }
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|p| UserQuery::from_params(|k| p.get(k))));
    let users = Resource::new(move || query.get(), list_users);
    view! {
        <PageTitle text="Users"/>
        <div class="page-header">
            <h1 class="page-title">"Users"</h1>
            <div class="actions">
                <a class="btn btn-primary" href="/users/new">"New user"</a>
            </div>
        </div>
        <Saved key="deleted" messages=&[
            ("1", "The user was deleted."),
            ("handing", "The user was deleted. Their records are on their way to the person you chose: many records take a few minutes."),
        ]/>
        <UserFilterForm query=query/>
        {loaded("Loading users…", users, move |page| view! { <UserTable page=page/> }.into_any())}
    }
    .into_any()
}

/// Search and filters: a plain GET form, so it works without JavaScript and the URL holds the state.
#[component]
fn UserFilterForm(query: Memo<UserQuery>) -> impl IntoView {
    let current = query.get_untracked();
    let keep_sort = (current.sort, current.descending) != (UserSort::Name, false);
    view! {
        <Form method="GET" action="/users" attr:class="filters" attr:role="search">
            <KeepSort sort=current.sort.as_str() descending=current.descending keep=keep_sort/>
            <SearchFilter id="user-search" placeholder="Name or email" value=current.search.clone()/>
            <ChoiceFilter id="user-role" name="role" label="Role" any="Any role" selected=current.role/>
            <ChoiceFilter id="user-state" name="state" label="Status" any="Active and deactivated" selected=current.state/>
            <PerPageSelect id="user-per-page" selected=current.per_page/>
            <button type="submit" class="btn btn-primary">"Apply"</button>
        </Form>
    }
}

#[component]
fn UserTable(page: UserPage) -> impl IntoView {
    if page.rows.is_empty() {
        // Someone is always signed in, so an empty list is always a filtered one.
        return view! { <EmptyList filtered=true what="users" path="/users"/> }.into_any();
    }
    let columns = vec![
        Column::sorts("Name", UserSort::Name),
        Column::sorts("Email", UserSort::Email),
        Column::sorts("Role", UserSort::Role),
        Column::new("Status"),
        Column::sorts("Last sign-in", UserSort::LastSignIn),
        Column::sorts("Added", UserSort::Created),
    ];
    paged_table(page, "Users", columns, |row| {
        view! {
            <tr>
                <td><a href=format!("/users/{}", row.id)>{row.name}</a></td>
                <td>{row.email}</td>
                <td>{row.role.label()}</td>
                <td>{if row.active { "Active" } else { "Deactivated" }}</td>
                <td data-label="Last signed in">{time_or_never(row.last_sign_in_at)}</td>
                <td data-label="Added"><Moment at=row.created_at/></td>
            </tr>
        }
    })
    .into_any()
}
