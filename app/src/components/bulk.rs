//! A list's bulk actions: the bar around its table (tick rows, or every row the
//! filters match, then choose what to do or export them), and the confirmation page
//! that says what will change, and to how many, before anything does. Both are plain
//! forms: the bar asks for the confirmation page, which posts the change.

use super::*;
use crate::list::{BulkForm, BulkPreview, Filters, Page};
use leptos_router::hooks::use_location;

/// A live list's table with a tick box on each row, below its bulk bar
/// (`controls`: what can be done to the ticked rows; "Export ticked" when the list
/// is `exportable`), and its paging; the archive's plain table. `row` gives a row's
/// id, its name (the tick box's label) and its cells. The bar is its own form and
/// the tick boxes belong to it (`form=`), so a row may hold forms of its own.
pub fn bulk_table<F: Filters, Row>(
    page: Page<F, Row>,
    (caption, what): (&'static str, &'static str),
    mut columns: Vec<Column<F::Sort>>,
    selectable: bool,
    exportable: bool,
    controls: impl FnOnce() -> AnyView,
    row: impl Fn(Row) -> (String, String, AnyView),
) -> AnyView {
    let pages = list_pages(&page);
    if selectable {
        columns.insert(0, Column::quiet("Select"));
    }
    let every = (page.total > page.rows.len() as i64).then(|| {
        let count = if page.more { format!("{}+", page.total) } else { page.total.to_string() };
        (count, page.query.on_page(1).to_query_string())
    });
    let back = page.query.href();
    let bar = format!("{what}-bulk");
    let rows = page
        .rows
        .into_iter()
        .map(|record| {
            let (id, name, cells) = row(record);
            let tick = selectable.then(|| view! {
                <td><input type="checkbox" name="ids" value=id form=bar.clone() aria-label=format!("Select {name}")/></td>
            });
            view! { <tr>{tick}{cells}</tr> }
        })
        .collect_view();
    let table = list_table(&page.query, caption, columns, rows);
    let bar = selectable.then(|| {
        view! { <BulkBar path=F::PATH what=what back=back every=every exportable=exportable controls=controls()/> }
    });
    view! { {bar} {table} {pages} }.into_any()
}

/// The bar above the table it acts on, the form its tick boxes belong to
/// (`{what}-bulk`). `path` is the list's (`/leads`); its confirmation page is
/// `{path}/bulk` and its download `{path}/export.csv`. `every` is how many rows match
/// and the list's query string, offered when more rows match than are shown.
#[component]
fn BulkBar(
    path: &'static str,
    what: &'static str,
    #[prop(into)] back: String,
    every: Option<(String, String)>,
    exportable: bool,
    controls: AnyView,
) -> impl IntoView {
    view! {
        <form method="get" action=format!("{path}/bulk") class="bulk" id=format!("{what}-bulk")>
            <input type="hidden" name="back" value=back/>
            <fieldset class="bulk-bar">
                <legend class="sr-only">{format!("Change the ticked {what}")}</legend>
                <label class="check js-only">
                    <input type="checkbox" data-select-all=""/>
                    "Tick all on this page"
                </label>
                {every.map(|(total, query)| view! {
                    <label class="check">
                        <input type="checkbox" name="every" value=query/>
                        {format!("All {total} {what} that match")}
                    </label>
                })}
                {controls}
                {exportable.then(|| view! {
                    <button type="submit" class="btn btn-quiet" formaction=format!("{path}/export.csv")
                        name="selected" value="1">"Export ticked"</button>
                })}
            </fieldset>
        </form>
    }
}

/// A bulk bar's "give the ticked rows to…" (admins): a team member, then `button`.
#[component]
pub fn BulkAssign(team: Team, label: &'static str, button: &'static str) -> impl IntoView {
    view! {
        <span class="bulk-control">
            <TeamSelect team=team id="bulk-assignee" name="assignee" label=label selected=None
                empty_choice=EmptyChoice::Prompt("Choose a team member…")/>
            <button type="submit" class="btn btn-quiet" name="action" value="assign">{button}</button>
        </span>
    }
}

/// A bulk bar's controls for records with a status (leads, tasks): give the ticked
/// rows to someone (admins, with the `team`), move them to a status of `C` (the
/// choice starts at `first`), or delete them.
#[component]
pub fn BulkChanges<C: crate::fields::Choice>(team: Option<Team>, first: C) -> impl IntoView {
    view! {
        {team.map(|team| view! { <BulkAssign team=team label="Assign to" button="Assign…"/> })}
        <span class="bulk-control">
            <label for="bulk-status">"Move to"</label>
            <select id="bulk-status" name="status"><ChoiceOptions selected=first/></select>
            <button type="submit" class="btn btn-quiet" name="action" value="status">"Move…"</button>
        </span>
        <button type="submit" class="btn btn-quiet" name="action" value="archive">"Delete…"</button>
    }
}

/// The bulk form the confirmation page's address carries.
pub fn bulk_form_here() -> BulkForm {
    let search = use_location().search.get_untracked();
    let pairs: Vec<(String, String)> =
        form_urlencoded::parse(search.trim_start_matches('?').as_bytes()).into_owned().collect();
    BulkForm::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

/// The confirmation page: what the action does and to how many, the first names,
/// then the button that does it (`action`, the area's bulk server function).
#[component]
pub fn BulkConfirm<A: FormAction>(
    form: BulkForm,
    preview: Resource<Result<BulkPreview, AppError>>,
    action: ServerAction<A>,
) -> impl IntoView {
    let back = crate::auth::safe_return_path(form.back.as_deref());
    let error = action_error(action.value());
    let shown = move |found: Result<BulkPreview, AppError>| match found {
        Ok(preview) => {
            let more = preview.count.saturating_sub(preview.names.len());
            let names =
                preview.names.into_iter().map(|name| view! { <li>{name}</li> }).collect_view();
            let ids = form
                .ids
                .iter()
                .enumerate()
                .map(|(i, id)| {
                    view! {
                        <input type="hidden" name=format!("form[ids][{i}]") value=id.clone()/>
                    }
                })
                .collect_view();
            let fields = [
                ("form[every]", form.every.clone().unwrap_or_default()),
                ("form[action]", form.action.clone()),
                ("form[assignee]", form.assignee.clone()),
                ("form[status]", form.status.clone()),
                ("form[back]", back.clone()),
            ];
            let fields = fields
                .into_iter()
                .filter(|(_, value)| !value.is_empty())
                .map(|(name, value)| view! { <input type="hidden" name=name value=value/> })
                .collect_view();
            let cancel = back.clone();
            view! {
                <PageTitle text=preview.question.clone()/>
                <div class="confirm" role="alertdialog" aria-labelledby="bulk-title">
                    <h1 id="bulk-title" class="page-title">{preview.question}</h1>
                    <ul class="bulk-names">{names}</ul>
                    {(more > 0).then(|| view! { <p>{format!("… and {more} more.")}</p> })}
                    <FormError error=error/>
                    <ActionForm action=action attr:class="actions">
                        {ids}
                        {fields}
                        <Submit pending=action.pending()>{preview.button}</Submit>
                        <a class="btn btn-quiet" href=cancel>"Cancel"</a>
                    </ActionForm>
                </div>
            }
            .into_any()
        }
        Err(AppError::Invalid(problems)) => {
            set_status(422);
            let said = problems.into_iter().map(|p| view! { <p>{p.message}</p> }).collect_view();
            let back = back.clone();
            view! {
                <PageTitle text="Nothing to change"/>
                <section class="confirm">
                    <h1 class="page-title">"Nothing to change"</h1>
                    {said}
                    <a class="btn btn-primary" href=back>"Back to the list"</a>
                </section>
            }
            .into_any()
        }
        Err(error) => view! { <ErrorPage error=error/> }.into_any(),
    };
    view! {
        <Suspense fallback=|| view! { <p class="muted" role="status">"Counting…"</p> }>
            {move || preview.get().map(&shown)}
        </Suspense>
    }
}
