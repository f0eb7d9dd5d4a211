//! Finding anything: one query across leads, customers, tasks and (for admins) the
//! team, as people type it — several words across fields, a phone number in any
//! format, a word with one letter wrong. `store` asks each table within the viewer's
//! scope, `api` is the server function the search page and the command palette
//! call, `pages` the `/search` page, `palette` the command palette.

pub mod api;
pub mod pages;
pub mod palette;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

/// The longest query looked at, in characters, and the most words taken from it.
pub const QUERY_MAX: usize = 200;
const WORDS_MAX: usize = 6;
/// A word this long or longer (and no longer than `CLOSE_UPTO`) is also looked for
/// with one letter wrong, missing, extra or swapped when nothing matches it exactly;
/// a longer one would ask the database for hundreds of patterns.
const CLOSE_FROM: usize = 4;
const CLOSE_UPTO: usize = 32;
/// The most patterns one table is asked for a query's words one letter away.
pub const CLOSE_BUDGET: usize = 200;
/// Digits a word needs to be read as a phone number.
const PHONE_DIGITS: usize = 3;

/// What a hit is.
#[derive(strum::VariantArray, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum HitKind {
    Lead,
    Customer,
    Task,
    User,
}

crate::named_variants!(HitKind, field = "kind");

impl HitKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Lead => "Lead",
            Self::Customer => "Customer",
            Self::Task => "Task",
            Self::User => "Team member",
        }
    }

    /// The heading of a group of hits of this kind.
    pub fn plural(self) -> &'static str {
        match self {
            Self::Lead => "Leads",
            Self::Customer => "Customers",
            Self::Task => "Tasks",
            Self::User => "Team",
        }
    }

    fn path(self) -> &'static str {
        match self {
            Self::Lead => "/leads",
            Self::Customer => "/customers",
            Self::Task => "/tasks",
            Self::User => "/users",
        }
    }
}

/// One record found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    pub kind: HitKind,
    /// The record's id, of the table `kind` names.
    pub id: String,
    pub title: String,
    /// What tells it apart: company and email, a task's due date, a member's role.
    pub detail: String,
    /// Its status, as a label (empty when it has none).
    pub status: String,
    /// Higher ranks first.
    pub score: u8,
}

impl SearchHit {
    pub fn href(&self) -> String {
        format!("{}/{}", self.kind.path(), self.id)
    }
}

/// What a query found, best first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    pub query: String,
    pub hits: Vec<SearchHit>,
    /// Nothing matched exactly: these hits are one letter away.
    pub close: bool,
}

/// A query as the tables are asked it: lower-case words, and the digits of the
/// words that read as phone numbers ("+1 (555) 010-0100", "555-0100").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Terms {
    pub words: Vec<String>,
    pub phones: Vec<String>,
}

impl Terms {
    pub fn parse(query: &str) -> Self {
        let query: String = query.chars().take(QUERY_MAX).collect::<String>().to_lowercase();
        let digits = |text: &str| text.chars().filter(char::is_ascii_digit).collect::<String>();
        let phone_like = |text: &str| {
            let digits = digits(text);
            let only = text.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
            (only && digits.len() >= PHONE_DIGITS).then_some(digits)
        };
        let mut terms = Self::default();
        // A whole query of digits, spaces and signs is one phone number.
        if let Some(number) = phone_like(query.trim()) {
            terms.phones.push(number);
            return terms;
        }
        for word in query.split_whitespace().take(WORDS_MAX) {
            if let Some(number) = phone_like(word) {
                terms.phones.push(number);
            } else if word.chars().any(char::is_alphanumeric) {
                terms.words.push(word.to_owned());
            }
        }
        terms
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.phones.is_empty()
    }

    /// How well `title` answers the query: the whole query, its start, every word.
    pub fn score(&self, title: &str) -> u8 {
        let title = title.to_lowercase();
        let words = &self.words;
        if !words.is_empty() && title == words.join(" ") {
            100
        } else if words.first().is_some_and(|w| title.starts_with(w.as_str())) {
            80
        } else if !words.is_empty() && words.iter().all(|w| title.contains(w.as_str())) {
            60
        } else {
            40
        }
    }
}

/// `word` with one letter wrong, missing, extra or two letters swapped, as `LIKE`
/// patterns (`_` standing for any one letter) that each keep three letters in a row,
/// so a trigram index answers them; empty for a word too short to guess from.
/// `LIKE`'s own wildcards in the word are dropped.
pub fn close_patterns(word: &str) -> Vec<String> {
    let letters: Vec<char> = word.chars().filter(|c| !matches!(c, '%' | '_' | '\\')).collect();
    let n = letters.len();
    if !(CLOSE_FROM..=CLOSE_UPTO).contains(&n) {
        return Vec::new();
    }
    let text = |chars: &[char]| chars.iter().collect::<String>();
    let mut variants = Vec::new();
    for i in 0..=n {
        // A letter the word lacks.
        variants.push(format!("{}_{}", text(&letters[..i]), text(&letters[i..])));
        if i < n {
            // A letter wrong, or one too many.
            variants.push(format!("{}_{}", text(&letters[..i]), text(&letters[i + 1..])));
            variants.push(format!("{}{}", text(&letters[..i]), text(&letters[i + 1..])));
        }
        if i + 1 < n {
            let mut swapped = letters.clone();
            swapped.swap(i, i + 1);
            variants.push(text(&swapped));
        }
    }
    let mut patterns: Vec<String> = variants
        .into_iter()
        .filter(|v| v.split('_').any(|run| run.chars().count() >= 3))
        .map(|v| format!("%{v}%"))
        .collect();
    patterns.sort();
    patterns.dedup();
    patterns
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_is_words_and_phone_numbers() {
        let terms = Terms::parse("  Tara BRIGHTSIDE a.b@c.io 555-0100 42 - ");
        assert_eq!(terms.words, ["tara", "brightside", "a.b@c.io", "42"]);
        assert_eq!(terms.phones, ["5550100"]);
        let number = Terms::parse(" +1 (555) 010-0100 ");
        assert_eq!((number.words.len(), number.phones), (0, vec!["15550100100".to_owned()]));
        assert!(Terms::parse(" - + ").is_empty());
    }

    #[test]
    fn close_patterns_cover_one_edit_and_keep_three_letters_in_a_row() {
        assert!(close_patterns("brigthside").iter().any(|p| like(p, "brightside")));
        for (typed, meant) in
            [("tarra", "tara"), ("tar", "tara"), ("hopper", "hoper"), ("lovelcae", "lovelace")]
        {
            let found = close_patterns(typed).iter().any(|p| like(p, meant));
            assert_eq!(found, typed.len() >= CLOSE_FROM, "{typed} → {meant}");
        }
        assert!(!close_patterns("lovelace").iter().any(|p| like(p, "lobster")));
        assert!(close_patterns("ab%_c").is_empty(), "wildcards dropped, too short");
        assert!(close_patterns(&"x".repeat(CLOSE_UPTO + 1)).is_empty(), "too long to guess");
        assert!(close_patterns(&"x".repeat(CLOSE_UPTO)).len() <= 4 * CLOSE_UPTO + 1);
    }

    /// SQL's `LIKE` for the patterns above: `%` at both ends, `_` one character.
    fn like(pattern: &str, text: &str) -> bool {
        let inner: Vec<char> = pattern.trim_matches('%').chars().collect();
        let text: Vec<char> = text.chars().collect();
        (0..=text.len().saturating_sub(inner.len())).any(|start| {
            text.len() >= inner.len()
                && inner.iter().zip(&text[start..]).all(|(p, c)| *p == '_' || p == c)
        })
    }
}
