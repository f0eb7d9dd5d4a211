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

fn order_by(query: &UserQuery) -> String {
    let column = match query.sort {
        UserSort::Name => "LOWER(u.name)",
        UserSort::Email => "u.email",
        UserSort::Role => "u.role",
        // Never signed in sorts as the oldest.
        UserSort::LastSignIn => "COALESCE(u.last_login_at, 0)",
        UserSort::Created => "u.created_at",
    };
    let direction = if query.descending { "DESC" } else { "ASC" };
    format!("{column} {direction}, u.id {direction}")
}

/// One page of the team (deleted users never appear), and how many match in all.
pub async fn list(db: &Db, query: &UserQuery) -> AppResult<UserPage> {
    let filter = list_filter(query);
    let (total, more) = crate::sql::capped_count(db, "users u", filter).await?;
    let filter = list_filter(query);
    let sql = format!(
        "{SELECT_USER} WHERE {} ORDER BY {} LIMIT {} OFFSET {}",
        filter.sql(),
        order_by(query),
        query.per_page,
        crate::list::offset(query.page, query.per_page),
    );
    let records: Vec<UserRecord> = sqlx::query_as_with(&sql, filter.args)
        .fetch_all(&db.pool)
        .await?;
    Ok(UserPage {
        rows: records
            .into_iter()
            .map(UserRecord::into_row)
            .collect::<AppResult<_>>()?,
        total,
        more,
        query: query.clone(),
    })
}
