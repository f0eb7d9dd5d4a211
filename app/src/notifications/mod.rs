//! In-app notifications, kept per person in the database (so every instance shows
//! the same): a record assigned to them by someone else, an @mention in a note on a
//! record they may see, a task of theirs due within the hour or overdue. The bell in
//! the header links to `/notifications`, where they are read and marked read.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use crate::activity::EntityType;
use crate::ids::NotificationId;
use serde::{Deserialize, Serialize};

/// What a notification tells.
#[derive(strum::VariantArray, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoticeKind {
    /// Someone gave them a lead, customer or task.
    Assigned,
    /// Someone named them in a note.
    Mentioned,
    /// A task of theirs with a time falls due within the hour.
    DueSoon,
    /// A task of theirs has passed its due moment.
    Overdue,
}

crate::named_variants!(NoticeKind);

impl NoticeKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Assigned => "Assigned to you",
            Self::Mentioned => "Mentioned you",
            Self::DueSoon => "Due soon",
            Self::Overdue => "Overdue",
        }
    }
}

/// One notification as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: NotificationId,
    pub kind: NoticeKind,
    pub entity_type: EntityType,
    pub entity_id: String,
    /// What the record was called when this was written.
    pub label: String,
    /// Who did it (empty for reminders).
    pub actor_name: String,
    /// The start of the note, for a mention.
    pub excerpt: String,
    pub at: i64,
    pub read: bool,
}

impl Notification {
    /// The page of the record it is about.
    pub fn href(&self) -> String {
        self.entity_type.page(&self.entity_id).unwrap_or_else(|| "/notifications".to_owned())
    }

    /// What happened, as a sentence without the record's name, which follows it.
    pub fn sentence(&self) -> String {
        let kind = self.entity_type.as_str();
        match self.kind {
            NoticeKind::Assigned => format!("{} gave you the {kind}", self.actor_name),
            NoticeKind::Mentioned => {
                format!("{} mentioned you in a note on the {kind}", self.actor_name)
            }
            NoticeKind::DueSoon => "Due within the hour: the task".to_owned(),
            NoticeKind::Overdue => "Overdue: the task".to_owned(),
        }
    }
}

/// A page of the viewer's notifications, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notifications {
    pub items: Vec<Notification>,
    /// How many are unread (counted up to `UNREAD_CAP`).
    pub unread: i64,
    /// The `before` of the next, older page, when there is one.
    pub older: Option<String>,
}

/// Unread notifications are counted up to this many; the bell then says "99+".
pub const UNREAD_CAP: i64 = 100;

/// How many unread notifications the request's viewer has, as the sign-in
/// middleware counted them for a page load.
#[derive(Debug, Clone, Copy, Default)]
pub struct Unread(pub i64);

/// The request's unread count (pages only; zero elsewhere).
pub fn request_unread() -> i64 {
    #[cfg(feature = "ssr")]
    {
        crate::state::request_parts()
            .ok()
            .and_then(|parts| parts.extensions.get::<Unread>().copied())
            .map_or(0, |u| u.0)
    }
    #[cfg(not(feature = "ssr"))]
    0
}

/// The bell's count: "99+" past the cap.
pub fn count_label(unread: i64) -> String {
    if unread >= UNREAD_CAP {
        format!("{}+", UNREAD_CAP - 1)
    } else {
        unread.to_string()
    }
}

/// The members a note's text names: `@` then their full name or their first name,
/// at the start of the text or after a space or punctuation, in any case, and not
/// followed by a letter or digit (`@Maria,` names Maria; `@Mariam` and
/// `bob@maria.com` do not).
pub fn mentions<'a, M>(body: &str, members: &'a [(M, String)]) -> Vec<&'a M> {
    let text = body.to_lowercase();
    let starts: Vec<usize> = text
        .char_indices()
        .filter(|&(i, c)| {
            c == '@' && text[..i].chars().next_back().is_none_or(|p| !p.is_alphanumeric())
        })
        .map(|(i, _)| i + 1)
        .collect();
    let names = |text_from: &str, name: &str| {
        let name = name.trim().to_lowercase();
        let first = name.split_whitespace().next().unwrap_or_default().to_owned();
        [name, first].into_iter().filter(|n| !n.is_empty()).any(|n| {
            text_from
                .strip_prefix(n.as_str())
                .is_some_and(|rest| !rest.starts_with(char::is_alphanumeric))
        })
    };
    members
        .iter()
        .filter(|(_, name)| starts.iter().any(|&at| names(&text[at..], name)))
        .map(|(member, _)| member)
        .collect()
}

/// The mention being typed at the end of `before` (the text up to the caret): where
/// its `@` is, and the letters after it (at most two words, on one line).
pub fn typed_mention(before: &str) -> Option<(usize, &str)> {
    let at = before.rfind('@')?;
    let starts = before[..at].chars().next_back().is_none_or(|p| !p.is_alphanumeric());
    let word = &before[at + 1..];
    let short = word.chars().count() <= 30 && word.split(' ').count() <= 2;
    (starts && short && !word.contains(['\n', '@'])).then_some((at, word))
}

/// The names (at most six) that `typed` may be the start of: the name's or one of its words'.
pub fn names_starting<'a>(names: &'a [String], typed: &str) -> Vec<&'a String> {
    let typed = typed.to_lowercase();
    let fits = |name: &String| {
        let name = name.to_lowercase();
        name.starts_with(&typed) || name.split_whitespace().any(|word| word.starts_with(&typed))
    };
    names.iter().filter(|name| fits(name)).take(6).collect()
}

#[cfg(test)]
mod tests {
    use super::{mentions, names_starting, typed_mention};

    #[test]
    fn the_mention_being_typed_is_the_last_at_sign_that_starts_a_word() {
        assert_eq!(typed_mention("call @Ma"), Some((5, "Ma")));
        assert_eq!(typed_mention("@"), Some((0, "")));
        assert_eq!(typed_mention("@Maria Lo"), Some((0, "Maria Lo")));
        assert_eq!(typed_mention("bob@ma"), None);
        assert_eq!(typed_mention("@Maria said hi"), None);
        assert_eq!(typed_mention("@Ma\nria"), None);
        let team = vec!["Maria Lopez".to_owned(), "James Chen".to_owned(), "Dana Reyes".to_owned()];
        assert_eq!(names_starting(&team, "lo"), vec![&team[0]]);
        assert_eq!(names_starting(&team, "").len(), 3);
        assert!(names_starting(&team, "x").is_empty());
    }

    #[test]
    fn a_mention_is_at_then_a_full_or_first_name_standing_alone() {
        let team = vec![
            (1, "Maria Lopez".to_owned()),
            (2, "James Park".to_owned()),
            (3, "Priya".to_owned()),
        ];
        assert_eq!(mentions("Ask @maria, then @James Park.", &team), vec![&1, &2]);
        assert_eq!(mentions("@Priya", &team), vec![&3]);
        assert!(mentions("mail bob@maria.com or @Mariam", &team).is_empty());
        assert!(mentions("no one here", &team).is_empty());
        assert_eq!(mentions("(@MARIA LOPEZ)", &team), vec![&1]);
    }
}
