//! What every list page shows: its filters, its table with sortable headings,
//! paging, the per-page choice, and what it says when nothing is listed.

use super::*;
use crate::fields::Choice;
use crate::list::{Filters, Page, Query};

/// A column of a table: its heading, and the order it stands for when a list
/// sorts by it.
pub struct Column<S = ()> {
    label: &'static str,
    sort: Option<S>,
    /// The heading is for screen readers only (a selection or actions column).
    quiet: bool,
    /// What the heading means, shown on hover.
    title: Option<&'static str>,
}

impl<S> Column<S> {
    pub fn new(label: &'static str) -> Self {
        Self { label, sort: None, quiet: false, title: None }
    }

    pub fn sorts(label: &'static str, sort: S) -> Self {
        Self { sort: Some(sort), ..Self::new(label) }
    }

    /// A column whose heading only screen readers hear.
    pub fn quiet(label: &'static str) -> Self {
        Self { quiet: true, ..Self::new(label) }
    }

    /// A column whose heading is explained by `title`.
    pub fn explained(label: &'static str, title: &'static str) -> Self {
        Self { title: Some(title), ..Self::new(label) }
    }

    /// The heading of a column that does not sort.
    fn heading(&self) -> AnyView {
        let label = self.label;
        match (self.quiet, self.title) {
            (true, _) => {
                view! { <th scope="col"><span class="sr-only">{label}</span></th> }.into_any()
            }
            (false, Some(title)) => {
                view! { <th scope="col"><abbr title=title>{label}</abbr></th> }.into_any()
            }
            (false, None) => view! { <th scope="col">{label}</th> }.into_any(),
        }
    }
}

/// A table: a caption for screen readers, the headings of `columns` (none of which sorts)
/// and `rows`.
pub fn data_table(
    id: &'static str,
    caption: &'static str,
    columns: Vec<Column>,
    rows: impl IntoView + 'static,
) -> impl IntoView {
    let headings = columns.iter().map(Column::heading).collect_view();
    table(Some(id), "data-table", caption, headings, rows)
}

/// A list's table: a caption for screen readers, the headings (links that
/// sort, for sortable columns) and `rows`.
pub fn list_table<F: Filters>(
    query: &Query<F>,
    caption: &'static str,
    columns: Vec<Column<F::Sort>>,
    rows: impl IntoView + 'static,
) -> impl IntoView {
    let headings = columns
        .into_iter()
        .map(|column| match column.sort {
            Some(sort) => view! {
                <SortHeader label=column.label active=query.sort == sort descending=query.descending
                    href=query.sorted_by(sort).href()/>
            }
            .into_any(),
            None => column.heading(),
        })
        .collect_view();
    // A list reads as cards on a phone, one a row (CSS).
    table(None, "data-table list-cards", caption, headings, rows)
}

fn table(
    id: Option<&'static str>,
    class: &'static str,
    caption: &'static str,
    headings: impl IntoView + 'static,
    rows: impl IntoView + 'static,
) -> impl IntoView {
    // A frame that may scroll sideways (on a phone) can be scrolled from the keyboard.
    view! {
        <div class="table-wrap" role="region" aria-label=caption tabindex="0">
            <table class=class id=id>
                <caption class="sr-only">{caption}</caption>
                <thead><tr>{headings}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// A page of a list: its table, each row as `row` shows it, and the paging
/// under it.
pub fn paged_table<F: Filters, Row, V: IntoView + 'static>(
    page: Page<F, Row>,
    caption: &'static str,
    columns: Vec<Column<F::Sort>>,
    row: impl FnMut(Row) -> V,
) -> impl IntoView {
    let pages = list_pages(&page);
    let rows = page.rows.into_iter().map(row).collect_view();
    view! { {list_table(&page.query, caption, columns, rows)} {pages} }
}

/// The paging under a list's table.
pub fn list_pages<F: Filters, Row>(page: &Page<F, Row>) -> impl IntoView {
    view! {
        <Pagination page=page.query.page page_count=page.page_count() total=page.total more=page.more
            previous=page.previous.as_ref().map(Query::href) next=page.next.as_ref().map(Query::href)/>
    }
}

/// What a list says when nothing is listed: that nothing matches, with a way
/// back to the whole list, or (`children`) that there is nothing yet.
#[component]
pub fn EmptyList(
    /// A search or filter narrows the list.
    filtered: bool,
    /// What the list holds, e.g. "leads".
    what: &'static str,
    /// The whole list.
    path: &'static str,
    /// What to say when nothing is filtered; lists that are never empty unfiltered have none.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="empty">
            {if filtered {
                view! { <p>"No "{what}" match these filters. " <a href=path>"Clear filters"</a></p> }.into_any()
            } else {
                children.map(|children| children()).into_any()
            }}
        </div>
    }
}

/// Previous/next links and "page X of Y" for a paginated list.
#[component]
pub fn Pagination(
    page: u32,
    page_count: u32,
    total: i64,
    /// The link to the page before, if there is one.
    previous: Option<String>,
    /// The link to the page after, if there is one.
    next: Option<String>,
    /// Counting stopped at `total`: there are more, and more pages.
    #[prop(optional)]
    more: bool,
) -> impl IntoView {
    let summary = if more {
        format!("Page {page} of {page_count}+ · more than {total} in all")
    } else {
        format!("Page {page} of {page_count} · {total} in all")
    };
    view! {
        <nav class="pagination" aria-label="Pages">
            <span class="muted">{summary}</span>
            {previous.map(|href| view! { <a class="btn btn-quiet" href=href rel="prev">"Previous"</a> })}
            {next.map(|href| view! { <a class="btn btn-quiet" href=href rel="next">"Next"</a> })}
        </nav>
    }
}

/// A sortable column's header: a link that sorts by it (or flips the direction),
/// with `aria-sort` saying how the list is sorted now.
#[component]
pub fn SortHeader(
    label: &'static str,
    active: bool,
    descending: bool,
    href: String,
) -> impl IntoView {
    let aria = match (active, descending) {
        (false, _) => "none",
        (true, true) => "descending",
        (true, false) => "ascending",
    };
    let arrow = active.then_some(if descending { " ↓" } else { " ↑" });
    view! {
        <th scope="col" aria-sort=aria>
            <a href=href>{label}{arrow}</a>
        </th>
    }
}

/// One control of a list's filter form (`children`, whose id is `id`) under
/// its label.
#[component]
fn FilterField(id: &'static str, label: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id class="field-label">{label}</label>
            {children()}
        </div>
    }
}

/// The "Per page" choice of a list's filter form.
#[component]
pub fn PerPageSelect(id: &'static str, selected: u32) -> impl IntoView {
    view! {
        <FilterField id=id label="Per page">
            <select id=id name="per_page" class="field-input">
                {crate::list::PER_PAGE_CHOICES.map(|n| view! {
                    <option value=n.to_string() selected=selected == n>{n.to_string()}</option>
                })}
            </select>
        </FilterField>
    }
}

/// The hidden fields that keep a list's sort when its filter form is submitted.
#[component]
pub fn KeepSort(sort: &'static str, descending: bool, keep: bool) -> impl IntoView {
    keep.then(|| {
        view! {
            <input type="hidden" name="sort" value=sort/>
            <input type="hidden" name="dir" value=if descending { "desc" } else { "asc" }/>
        }
    })
}

/// A list filter keeping one value of `C`, or `any` of them.
#[component]
pub fn ChoiceFilter<C: Choice>(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    /// The choice of no filter: "Any priority".
    any: &'static str,
    selected: Option<C>,
) -> impl IntoView {
    view! {
        <FilterField id=id label=label>
            <select id=id name=name class="field-input">
                <option value="" selected=selected.is_none()>{any}</option>
                {C::VARIANTS.iter().copied().map(|c| view! {
                    <option value=c.as_str() selected=selected == Some(c)>{c.label()}</option>
                }).collect_view()}
            </select>
        </FilterField>
    }
}

/// A list filter on a day (`YYYY-MM-DD`), empty when `value` is none.
#[component]
pub fn DateFilter(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    value: Option<String>,
) -> impl IntoView {
    view! {
        <FilterField id=id label=label>
            <input id=id type="date" name=name class="field-input" value=value/>
        </FilterField>
    }
}

/// The list's search box (`q`); `placeholder` says what it searches.
#[component]
pub fn SearchFilter(id: &'static str, placeholder: &'static str, value: String) -> impl IntoView {
    view! {
        <FilterField id=id label="Search">
            <input id=id type="search" name="q" class="field-input" value=value
                placeholder=placeholder maxlength=crate::list::MAX_SEARCH_LEN/>
        </FilterField>
    }
}

/// Admins' filter for archived records instead of live ones.
#[component]
pub fn ArchivedFilter(checked: bool) -> impl IntoView {
    view! {
        <label class="check">
            <input type="checkbox" name="archived" value="1" checked=checked/>
            "Archived"
        </label>
    }
}

/// The link that downloads a list as CSV, under the same search, filters and
/// sort as the page shows (`path`: the list's `…/export.csv`).
#[component]
pub fn ExportLink<F: Filters>(path: &'static str, query: Memo<Query<F>>) -> impl IntoView {
    let href = move || format!("{path}?{}", query.get().on_page(1).to_query_string());
    view! { <a class="btn btn-quiet" rel="external" download="" href=href>"Export CSV"</a> }
}
