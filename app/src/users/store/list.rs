//! The users list (admins): search, role and state filters, sort and paging.

use super::*;

fn list_filter(query: &UserQuery) -> Filter {
    let mut filter = Filter::new();
    filter.push("u.deleted_at IS NULL", None);
    if !query.search.is_empty() {
        filter.push(
            "(LOWER(u.name) LIKE ? ESCAPE '\\' OR u.email LIKE ? ESCAPE '\\')",
            Some(like_pattern(&query.search)),
        );
    }
    if let Some(role) = query.role {
        filter.push("u.role = ?", Some(role.as_str().to_owned()));
    }
    match query.state {
        Some(AccountState::Active) => filter.push("u.active = 1", None),
        Some(AccountState::Deactivated) => filter.push("u.active = 0", None),
        None => {}
    }
    filter
}

fn order(query: &UserQuery) -> Order {
    let desc = query.descending;
    let order = Order::default();
    match query.sort {
        UserSort::Name => order.text("LOWER(u.name)", desc),
        UserSort::Email => order.text("u.email", desc),
        UserSort::Role => order.text("u.role", desc),
        // Never signed in sorts as the oldest.
        UserSort::LastSignIn => order.number("COALESCE(u.last_login_at, 0)", desc),
        UserSort::Created => order.number("u.created_at", desc),
    }
    .text("u.id", desc)
}

/// One page of the team (deleted users never appear), and how many match in all.
pub async fn list(db: &Db, query: &UserQuery) -> AppResult<UserPage> {
    let counted =
        crate::sql::capped_count(db, "users u", list_filter(query), crate::sql::count_cap(query))
            .await?;
    let page: Page<UserFilters, UserRecord> = crate::sql::page(
        db,
        (USER_COLUMNS, "users u"),
        list_filter(query),
        &order(query),
        query,
        counted,
    )
    .await?;
    page.try_map(UserRecord::into_row)
}
