//! A list's order and its pages: the sort columns ending with the id, and a page
//! found from its neighbour's place in them (a seek) or counted from the start.

use super::Filter;
use crate::db::Db;
use crate::error::AppResult;
use crate::list::{Filters, Key, KeyPart, Page, Query};
use sqlx::Row as _;

/// One column of a list's order: an SQL expression, whether it holds numbers
/// (or text), and its direction.
#[derive(Debug, Clone, Copy)]
struct SortColumn {
    expr: &'static str,
    number: bool,
    descending: bool,
}

/// The order of a list: its columns, most significant first, ending with the
/// row's id so that every row has one place. A page is found from its
/// neighbour's place (`WHERE (name, id) > ($1, $2)`), which an index on the
/// same columns answers with a seek however deep the page is.
#[derive(Debug, Clone, Default)]
pub struct Order(Vec<SortColumn>);

impl Order {
    /// A text column, in the list's direction.
    pub fn text(self, expr: &'static str, descending: bool) -> Self {
        self.then(expr, false, descending)
    }

    /// A number column, in the list's direction.
    pub fn number(self, expr: &'static str, descending: bool) -> Self {
        self.then(expr, true, descending)
    }

    fn then(mut self, expr: &'static str, number: bool, descending: bool) -> Self {
        self.0.push(SortColumn { expr, number, descending });
        self
    }

    /// The `ORDER BY` list.
    pub fn sql(&self) -> String {
        self.order_by(false)
    }

    fn order_by(&self, reversed: bool) -> String {
        self.0
            .iter()
            .map(|c| {
                let descending = c.descending != reversed;
                format!("{} {}", c.expr, if descending { "DESC" } else { "ASC" })
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The columns as `k0, k1…`, read back as a row's key.
    fn key_columns(&self) -> String {
        self.0
            .iter()
            .enumerate()
            .map(|(n, c)| format!("{} AS k{n}", c.expr))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Whether `key` is a place in this order: as many values, of the columns' kinds.
    fn fits(&self, key: &Key) -> bool {
        key.len() == self.0.len()
            && self.0.iter().zip(key).all(|(c, part)| {
                matches!((c.number, part), (true, KeyPart::Number(_)) | (false, KeyPart::Text(_)))
            })
    }

    /// Narrows `filter` to the rows past `key` in this order (`reversed`: before it).
    fn seek(&self, filter: &mut Filter, key: &Key, reversed: bool) {
        let placeholders: Vec<String> = key.iter().map(|part| filter.bind(part)).collect();
        let uniform = self.0.iter().all(|c| c.descending == self.0[0].descending);
        let condition = if uniform {
            // One row-value comparison, which an index on the columns seeks to.
            let columns: Vec<&str> = self.0.iter().map(|c| c.expr).collect();
            let past = if self.0[0].descending != reversed { "<" } else { ">" };
            format!("({}) {past} ({})", columns.join(", "), placeholders.join(", "))
        } else {
            // Columns in mixed directions: the same comparison column by column.
            let mut condition = String::new();
            for (n, c) in self.0.iter().enumerate().rev() {
                let past = if c.descending != reversed { "<" } else { ">" };
                let here = format!("{} {past} {}", c.expr, placeholders[n]);
                condition = if condition.is_empty() {
                    here
                } else {
                    format!("({here} OR ({} = {} AND {condition}))", c.expr, placeholders[n])
                };
            }
            condition
        };
        filter.push(&condition, None);
    }
}

/// A page of a list: the rows of `columns` (a `SELECT` list) from `from` (the
/// list's table and its alias, then any joins) that match `filter` (which
/// names the list's table only), in `order` (whose last column is the id), as
/// `query` asks: from its seek when it has one, else counted from the start.
/// `counted` is what the caller found for the list's total.
pub async fn page<F, Row>(
    db: &Db,
    (columns, from): (&str, &str),
    mut filter: Filter,
    order: &Order,
    query: &Query<F>,
    counted: (i64, bool),
) -> AppResult<Page<F, Row>>
where
    F: Filters,
    Row: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let seek = query.seek.as_ref().filter(|seek| order.fits(seek.key()));
    let reversed = seek.is_some_and(|seek| seek.is_backward());
    let offset = match seek {
        Some(seek) => {
            order.seek(&mut filter, seek.key(), reversed);
            0
        }
        None => crate::list::offset(query.page, query.per_page),
    };
    let limit = query.per_page + 1;
    let order_by = order.order_by(reversed);
    let sql = if offset == 0 {
        format!(
            "SELECT {columns}, {} FROM {from} WHERE {} ORDER BY {order_by} LIMIT {limit}",
            order.key_columns(),
            filter.sql(),
        )
    } else {
        // Rows skipped by number are skipped in the order's index alone: the ids
        // of the page are found first, from the list's own table when the order
        // needs nothing joined, and only those rows are read and joined.
        let table = from.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
        let alias = format!("{}.", table.split(' ').nth(1).unwrap_or_default());
        let keys_from =
            if order.0.iter().all(|c| c.expr.starts_with(&alias)) { table.as_str() } else { from };
        let id = order.0.last().map_or("id", |c| c.expr);
        format!(
            "SELECT {columns}, {} FROM {from} WHERE {id} IN \
             (SELECT {id} FROM {keys_from} WHERE {} ORDER BY {order_by} LIMIT {limit} OFFSET {offset}) \
             ORDER BY {order_by}",
            order.key_columns(),
            filter.sql(),
        )
    };
    let fetched = sqlx::query_with(&sql, filter.args)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|row| {
            let key = order
                .0
                .iter()
                .enumerate()
                .map(|(n, c)| {
                    let name = format!("k{n}");
                    if c.number {
                        row.try_get::<i64, _>(name.as_str()).map(KeyPart::Number)
                    } else {
                        row.try_get::<String, _>(name.as_str()).map(KeyPart::Text)
                    }
                })
                .collect::<Result<Key, _>>()?;
            Ok((Row::from_row(row)?, key))
        })
        .collect::<Result<Vec<(Row, Key)>, sqlx::Error>>()?;
    let mut query = query.clone();
    if seek.is_none() {
        query.seek = None;
    }
    Page::from_fetched(fetched, counted, query, |(_, key)| key.clone()).try_map(|(row, _)| Ok(row))
}
