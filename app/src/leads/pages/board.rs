//! The board: a column per status, cards moved by drag and drop, arrow keys or a plain form.

use super::*;

#[component]
pub fn LeadBoardPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|p| LeadQuery::from_params(|k| p.get(k))));
    let board = Resource::new(move || query.get(), get_lead_board);
    let team = use_viewer().is_some_and(|v| v.is_admin()).then(load_team);
    view! {
        <crate::components::PageTitle text="Lead board"/>
        <div class="page-header">
            <h1 class="page-title">"Lead board"</h1>
            <div class="actions">
                <ViewSwitch current=LeadView::Board query=query/>
                <a class="btn btn-primary" href="/leads/new">"New lead"</a>
            </div>
        </div>
        <LeadFilterForm query=query team=team view=LeadView::Board/>
        <p id="board-help" class="muted">
            "Drag a card to another column, or focus a card and press ← or →, or choose its status and press Move."
        </p>
        {loaded("Loading the board…", board, move |board| {
            view! { <Board board=board query=query.get_untracked()/> }
        })}
    }
}

/// What a card's move needs: which lead, seen at which version, and where to return.
#[derive(Clone)]
struct CardMove {
    id: String,
    version: i64,
    name: String,
    back: String,
    action: ServerAction<MoveLead>,
}

impl CardMove {
    fn to(&self, status: LeadStatus, announcement: RwSignal<String>) {
        announcement.set(format!("Moved {} to {}.", self.name, status.label()));
        self.action.dispatch(MoveLead {
            id: self.id.clone().into(),
            version: self.version,
            status: status.as_str().to_owned(),
            back: Some(self.back.clone()),
        });
    }
}

/// The board's columns, live in the browser: a move is saved at once and the board
/// loads again after it (a card moved with the keyboard keeps the focus), and each
/// column shows more cards on demand. An island; without JavaScript each card's form
/// moves it and each column links to its full list.
#[island]
fn Board(board: LeadBoard, query: LeadQuery) -> impl IntoView {
    let move_lead = ServerAction::<MoveLead>::new();
    let error = action_error(move_lead.value());
    let announcement = RwSignal::new(String::new());
    let refocus = StoredValue::new(None::<String>);
    let back = LeadView::Board.href(&query);
    let board = RwSignal::new(board);
    // Each finished move reloads the columns (their counts and the cards' versions).
    Effect::new(move |seen: Option<usize>| {
        let done = move_lead.version().get();
        if seen.is_some_and(|seen| seen != done) {
            let query = query.clone();
            leptos::task::spawn_local(async move {
                if let Ok(fresh) = get_lead_board(query).await {
                    board.set(fresh);
                    if let Some(id) = refocus.get_value() {
                        request_animation_frame(move || focus_card(&id));
                    }
                }
            });
        }
        done
    });
    let moves = Moves { back, action: move_lead, announcement, refocus };
    view! {
        <FormError error=error/>
        <p class="sr-only" role="status" aria-live="polite">{move || announcement.get()}</p>
        {move || view! { <Columns board=board.get() moves=moves.clone()/> }}
    }
}

/// Focuses the card of lead `id` (after the board drew it again).
#[cfg(not(feature = "hydrate"))]
fn focus_card(_id: &str) {}

#[cfg(feature = "hydrate")]
fn focus_card(id: &str) {
    use wasm_bindgen::JsCast;
    let Ok(cards) = document().query_selector_all("li.board-card") else { return };
    let card = (0..cards.length())
        .filter_map(|i| cards.get(i)?.dyn_into::<web_sys::HtmlElement>().ok())
        .find(|card| card.get_attribute("data-lead").as_deref() == Some(id));
    if let Some(card) = card {
        let _ = card.focus();
    }
}

/// What every card's move shares: where to return, the action, the live region,
/// and the card to focus after a keyboard move.
#[derive(Clone)]
struct Moves {
    back: String,
    action: ServerAction<MoveLead>,
    announcement: RwSignal<String>,
    refocus: StoredValue<Option<String>>,
}

impl Moves {
    fn card(&self, row: &LeadRow) -> CardMove {
        CardMove {
            id: row.id.to_string(),
            version: row.version,
            name: row.name.clone(),
            back: self.back.clone(),
            action: self.action,
        }
    }
}

#[component]
fn Columns(board: LeadBoard, moves: Moves) -> impl IntoView {
    let announcement = moves.announcement;
    // Every column's cards, shown so far: a card dropped anywhere is found here.
    let shown: StoredValue<Vec<RwSignal<Vec<LeadRow>>>> = StoredValue::new(Vec::new());
    let columns = board
        .columns
        .into_iter()
        .map(|column| {
            let status = column.query.status.unwrap_or(LeadStatus::New);
            let heading = format!("board-{}", status.as_str());
            let total = column.total;
            // Past the count's cap the column says so: "10000+".
            let count = format!("{total}{}", if column.more { "+" } else { "" });
            let mut full_list = LeadQuery {
                per_page: crate::list::DEFAULT_PER_PAGE,
                ..column.query.clone()
            };
            full_list.status = Some(status);
            let full_list = full_list.href();
            let rows = RwSignal::new(column.rows);
            let next = RwSignal::new(column.next);
            shown.update_value(|all| all.push(rows));
            let over = RwSignal::new(false);
            let drops = moves.clone();
            let on_drop = move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                over.set(false);
                let id = ev
                    .data_transfer()
                    .and_then(|d| d.get_data("text/plain").ok())
                    .unwrap_or_default();
                let row = shown.with_value(|all| {
                    all.iter().find_map(|rows| {
                        rows.with_untracked(|rows| rows.iter().find(|r| r.id.as_str() == id).cloned())
                    })
                });
                if let Some(row) = row {
                    drops.card(&row).to(status, announcement);
                }
            };
            let cards = moves.clone();
            view! {
                <section class="board-column" class:drop-target=move || over.get() aria-labelledby=heading.clone()
                    data-status=status.as_str()
                    on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); over.set(true); }
                    on:dragleave=move |_| over.set(false)
                    on:drop=on_drop>
                    <h2 id=heading.clone()>
                        <span>{status.label()}</span>
                        <span class="board-count">{count.clone()}<span class="sr-only">" leads"</span></span>
                    </h2>
                    <ul class="board-cards">
                        {move || rows.get().into_iter().map(|row| {
                            let card = cards.card(&row);
                            view! { <BoardCard row=row card=card announcement=announcement refocus=cards.refocus/> }
                        }).collect_view()}
                    </ul>
                    {(total == 0).then(|| view! { <p class="muted">"No leads here."</p> })}
                    <ShowMore rows=rows next=next label=status.label()/>
                    {(total > rows.with_untracked(Vec::len) as i64).then(|| view! {
                        <a class="board-all" href=full_list.clone()>{format!("All {count} in the list")}</a>
                    })}
                </section>
            }
        })
        .collect_view();
    view! { <div class="board">{columns}</div> }
}

/// "Show more": the column's next cards, added below those shown (with JavaScript).
#[component]
fn ShowMore(
    rows: RwSignal<Vec<LeadRow>>,
    next: RwSignal<Option<LeadQuery>>,
    label: &'static str,
) -> impl IntoView {
    let loading = RwSignal::new(false);
    let more = move |_| {
        let Some(query) = next.get_untracked() else { return };
        loading.set(true);
        leptos::task::spawn_local(async move {
            if let Ok(page) = list_leads(query).await {
                rows.update(|shown| shown.extend(page.rows));
                next.set(page.next);
            }
            loading.set(false);
        });
    };
    view! {
        <Show when=move || next.get().is_some()>
            <button type="button" class="btn btn-quiet btn-small js-only" on:click=more
                disabled=move || loading.get() aria-label=format!("Show more {label} leads")>
                {move || if loading.get() { "Loading…" } else { "Show more" }}
            </button>
        </Show>
    }
}

/// A lead on the board: draggable, movable with ← and →, and with a status
/// select that works as a plain form without JavaScript.
#[component]
fn BoardCard(
    row: LeadRow,
    card: CardMove,
    announcement: RwSignal<String>,
    refocus: StoredValue<Option<String>>,
) -> impl IntoView {
    let select_id = format!("move-{}", row.id);
    let drag_id = row.id.to_string();
    let on_dragstart = move |ev: leptos::ev::DragEvent| {
        if let Some(data) = ev.data_transfer() {
            let _ = data.set_data("text/plain", &drag_id);
            data.set_effect_allowed("move");
        }
    };
    let keyboard = card.clone();
    let current = row.status;
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        // Only the card itself, not the select or button inside it.
        if ev.target() != ev.current_target() {
            return;
        }
        let index = LeadStatus::VARIANTS.iter().position(|s| *s == current).unwrap_or(0);
        let next = match ev.key().as_str() {
            "ArrowRight" => LeadStatus::VARIANTS.get(index + 1),
            "ArrowLeft" => index.checked_sub(1).and_then(|i| LeadStatus::VARIANTS.get(i)),
            _ => None,
        };
        if let Some(next) = next {
            ev.prevent_default();
            refocus.set_value(Some(keyboard.id.clone()));
            keyboard.to(*next, announcement);
        }
    };
    let detail = if row.company.is_empty() {
        row.assignee_name.clone()
    } else {
        format!("{} · {}", row.company, row.assignee_name)
    };
    view! {
        <li class="board-card" draggable="true" tabindex="0" aria-describedby="board-help" data-lead=row.id.to_string()
            on:dragstart=on_dragstart on:keydown=on_keydown>
            <a href=format!("/leads/{}", row.id)>{row.name.clone()}</a>
            <p class="muted">{detail}</p>
            <ActionForm action=card.action attr:class="board-move">
                <input type="hidden" name="id" value=card.id.clone()/>
                <input type="hidden" name="version" value=card.version.to_string()/>
                <input type="hidden" name="back" value=card.back.clone()/>
                <label for=select_id.clone() class="sr-only">{format!("Status of {}", row.name.clone())}</label>
                <select id=select_id name="status">
                    <ChoiceOptions selected=row.status/>
                </select>
                <Submit pending=card.action.pending() class="btn btn-quiet btn-small">"Move"</Submit>
            </ActionForm>
        </li>
    }
}
