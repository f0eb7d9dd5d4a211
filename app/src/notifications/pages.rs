//! `/notifications`: the viewer's notifications, newest first, the unread ones
//! marked, each linking to its record; "Mark read" on one, "Mark all read", and
//! older ones a page at a time. Plain links and forms: they work without JavaScript.

use super::api::{my_notifications, MarkAllRead, MarkRead};
use super::{NoticeKind, Notification, Notifications};
use crate::components::{action_error, loaded, FormError, IdButton, Moment, PageHeading, Submit};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let read = ServerAction::<MarkRead>::new();
    let read_all = ServerAction::<MarkAllRead>::new();
    let query = use_query_map();
    let before = move || query.read().get("before");
    let found = Resource::new(
        move || (before(), read.version().get() + read_all.version().get()),
        |(before, _)| my_notifications(before),
    );
    let error = action_error(read.value());
    view! {
        <PageHeading text="Notifications"/>
        <FormError error=error/>
        {loaded("Loading notifications…", found, move |found| view! {
            <NoticeList found=found read=read read_all=read_all/>
        })}
    }
}

#[component]
fn NoticeList(
    found: Notifications,
    read: ServerAction<MarkRead>,
    read_all: ServerAction<MarkAllRead>,
) -> impl IntoView {
    let summary = match found.unread {
        0 => "Nothing unread.".to_owned(),
        1 => "1 unread.".to_owned(),
        n => format!("{} unread.", super::count_label(n)),
    };
    let all = (found.unread > 0).then(|| {
        view! {
            <ActionForm action=read_all>
                <Submit pending=read_all.pending() class="btn btn-quiet">"Mark all read"</Submit>
            </ActionForm>
        }
    });
    let older = found.older.map(|before| {
        view! {
            <p><a href=format!("{}?before={before}", super::api::PAGE)>"Older notifications"</a></p>
        }
    });
    let items = if found.items.is_empty() {
        view! {
            <p class="empty">"No notifications yet. You will find here what is assigned to you, where someone mentions you with @ and your name, and tasks that fall due."</p>
        }
        .into_any()
    } else {
        view! {
            <ul class="notices">
                {found.items.into_iter().map(|n| view! { <NoticeItem notice=n read=read/> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <div class="list-bar">
            <p class="muted" role="status">{summary}</p>
            {all}
        </div>
        {items}
        {older}
    }
}

#[component]
fn NoticeItem(notice: Notification, read: ServerAction<MarkRead>) -> impl IntoView {
    let href = notice.href();
    let sentence = notice.sentence();
    let excerpt = (notice.kind == NoticeKind::Mentioned && !notice.excerpt.is_empty()).then(
        || view! { <blockquote class="notice-excerpt">{notice.excerpt.clone()}</blockquote> },
    );
    let unread = !notice.read;
    let mark_label = format!("{} — ", notice.label);
    let mark = unread.then(move || {
        view! {
            <IdButton action=read id=notice.id.to_string() class="btn btn-quiet btn-small">
                <span class="sr-only">{mark_label}</span>"Mark read"
            </IdButton>
        }
    });
    view! {
        <li class="notice" class:unread=unread>
            <div class="notice-text">
                {unread.then(|| view! { <span class="unread-dot" title="Unread"><span class="sr-only">"Unread: "</span></span> })}
                {sentence}" "<a href=href class="notice-link">{notice.label.clone()}</a>
                " · "<Moment at=notice.at/>
                {excerpt}
            </div>
            {mark}
        </li>
    }
}
