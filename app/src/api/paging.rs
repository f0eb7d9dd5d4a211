//! Lists in the API: the parameters every list takes beside its filters (order
//! direction, page size, cursor), checked field by field, and a page of records
//! with the cursor to the next. A cursor carries the list's filters and the last
//! record's place in its order, so the next page starts right after it however
//! many records were added meanwhile (the lists' keyset paging).

use crate::error::{AppError, AppResult, FieldError};
use crate::list::{Filters, Page, Query};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The most records a page holds.
pub const MAX_LIMIT: u32 = 100;
const DEFAULT_LIMIT: u32 = 50;

/// How a list is paged.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// `asc` or `desc`; each sort column has its own default.
    #[param(value_type = Option<Direction>, inline)]
    pub dir: Option<String>,
    /// Records per page, 1 to 100 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub limit: Option<String>,
    /// `next_cursor` of the page before: the rest of the same list. It carries
    /// the filters and the order, so others sent with it are ignored.
    pub cursor: Option<String>,
}

/// A sort direction.
#[derive(strum::VariantArray, strum::IntoStaticStr, Clone, Copy)]
#[strum(serialize_all = "snake_case")]
pub enum Direction {
    Asc,
    Desc,
}

crate::openapi_names!(Direction);

/// A page of records.
#[derive(Debug, Serialize, ToSchema)]
pub struct List<T> {
    pub data: Vec<T>,
    /// How many records the filters match, counted up to a cap.
    pub total: i64,
    /// `total` is the cap: more match.
    pub total_is_capped: bool,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

impl<T> List<T> {
    /// The API's page of a list's page, each row as `T`.
    pub fn of<F: Filters, Row>(page: Page<F, Row>) -> Self
    where
        T: From<Row>,
    {
        Self::of_with(page, T::from)
    }

    /// The API's page of a list's page, each row made a `T` by `each`.
    pub fn of_with<F: Filters, Row>(page: Page<F, Row>, each: impl FnMut(Row) -> T) -> Self {
        let next_cursor =
            page.next.as_ref().map(|next| URL_SAFE_NO_PAD.encode(next.to_query_string()));
        Self {
            total: page.total,
            total_is_capped: page.more,
            next_cursor,
            data: page.rows.into_iter().map(each).collect(),
        }
    }
}

/// The list query a request asks for: its cursor's, else `sort` and the
/// `filters` (by URL parameter name) under `paging`. Refused with every bad
/// field at once, those the caller found (`errors`) included.
pub fn query<F: Filters>(
    paging: &Paging,
    sort: Option<&str>,
    filters: impl Fn(&str) -> Option<String>,
    mut errors: Vec<FieldError>,
) -> AppResult<Query<F>> {
    let limit = match paging.limit.as_deref().map(str::parse::<u32>) {
        None => DEFAULT_LIMIT,
        Some(Ok(limit)) if (1..=MAX_LIMIT).contains(&limit) => limit,
        Some(_) => {
            errors.push(FieldError::new(
                "limit",
                format!("Ask for 1 to {MAX_LIMIT} records a page."),
            ));
            DEFAULT_LIMIT
        }
    };
    if let Some(dir) = paging.dir.as_deref().filter(|d| !matches!(*d, "asc" | "desc")) {
        errors.push(FieldError::new("dir", format!("`{dir}`: write `asc` or `desc`.")));
    }
    known::<F::Sort>("sort", &sort.map(str::to_owned), &mut errors);
    let cursor = paging.cursor.as_deref().map(|cursor| {
        let decoded = URL_SAFE_NO_PAD.decode(cursor).ok().and_then(|b| String::from_utf8(b).ok());
        if decoded.is_none() {
            errors.push(FieldError::new("cursor", "This cursor was not made by Kith."));
        }
        decoded
    });
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut query = match cursor.flatten() {
        Some(query_string) => Query::from(query_string),
        None => Query::from_params(|name| match name {
            "sort" => sort.map(str::to_owned),
            "dir" => paging.dir.clone(),
            name => filters(name),
        }),
    };
    query.per_page = limit;
    Ok(query)
}

/// A name among a fixed set (`status`, `priority`…), checked: `None` when
/// absent or unknown (then noted in `errors` with the names there are).
pub fn known<T>(field: &str, value: &Option<String>, errors: &mut Vec<FieldError>) -> Option<String>
where
    T: strum::VariantArray + Copy + Into<&'static str>,
{
    let value = value.as_deref()?;
    let names: Vec<&'static str> = T::VARIANTS.iter().map(|v| (*v).into()).collect();
    if names.contains(&value) {
        return Some(value.to_owned());
    }
    errors.push(FieldError::new(field, format!("`{value}`: write one of {}.", names.join(", "))));
    None
}

/// A `true`/`false` parameter, as the lists' URLs write it (`1` or absent).
pub fn flag(field: &str, value: &Option<String>, errors: &mut Vec<FieldError>) -> Option<String> {
    match value.as_deref() {
        None | Some("false") => None,
        Some("true") => Some("1".to_owned()),
        Some(other) => {
            errors.push(FieldError::new(field, format!("`{other}`: write `true` or `false`.")));
            None
        }
    }
}
