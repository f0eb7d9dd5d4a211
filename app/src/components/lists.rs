//! What every list page shows around its table: sortable headers, the per-page choice and paging.

use super::*;

/// Previous/next links and "page X of Y" for a paginated list.
#[component]
pub fn Pagination(
    page: u32,
    page_count: u32,
    total: i64,
    /// The link to a given page of the same list.
    href: impl Fn(u32) -> String + Send + Sync + 'static,
    /// Counting stopped at `total`: there are more, and more pages.
    #[prop(optional)]
    more: bool,
) -> impl IntoView {
    let previous = (page > 1).then(|| href(page - 1));
    let next = (page < page_count || more).then(|| href(page + 1));
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

/// The "Per page" choice of a list's filter form.
#[component]
pub fn PerPageSelect(id: &'static str, selected: u32) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id class="field-label">"Per page"</label>
            <select id=id name="per_page" class="field-input">
                {crate::list::PER_PAGE_CHOICES.map(|n| view! {
                    <option value=n.to_string() selected=selected == n>{n.to_string()}</option>
                })}
            </select>
        </div>
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
