//! What a list's bulk action applies to: the records ticked on the page, or every
//! record its filters match (up to `LIMIT`, all changed in one transaction), and
//! the form that asks for it.

use super::{Filters, Query};
use crate::error::{AppError, FieldError};
use serde::{Deserialize, Serialize};

/// The most records one bulk action changes.
pub const LIMIT: usize = 5000;

/// A bulk action as the list's bar and its confirmation page send it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkForm {
    /// The ticked records.
    #[serde(default)]
    pub ids: Vec<String>,
    /// The list's query string, when the action is for every record it matches.
    #[serde(default)]
    pub every: Option<String>,
    /// `assign`, `status` or `archive`.
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub assignee: String,
    #[serde(default)]
    pub status: String,
    /// The list to go back to.
    #[serde(default)]
    pub back: Option<String>,
}

impl BulkForm {
    /// The form as the confirmation page's address carries it.
    pub fn to_query_string(&self) -> String {
        let mut qs = form_urlencoded::Serializer::new(String::new());
        for id in &self.ids {
            qs.append_pair("ids", id);
        }
        let fields = [
            ("every", self.every.as_deref()),
            ("action", Some(self.action.as_str())),
            ("assignee", Some(self.assignee.as_str())),
            ("status", Some(self.status.as_str())),
            ("back", self.back.as_deref()),
        ];
        for (key, value) in fields {
            if let Some(value) = value.filter(|v| !v.is_empty()) {
                qs.append_pair(key, value);
            }
        }
        qs.finish()
    }

    /// The form from an address's parameters (`ids` repeated).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut form = Self::default();
        for (key, value) in pairs {
            let value = value.to_owned();
            match key {
                "ids" => form.ids.push(value),
                "every" => form.every = Some(value),
                "action" => form.action = value,
                "assignee" => form.assignee = value,
                "status" => form.status = value,
                "back" => form.back = Some(value),
                _ => {}
            }
        }
        form
    }
}

/// What a bulk action would do, for its confirmation page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkPreview {
    /// "Move 12 leads to Closed Won?"
    pub question: String,
    /// "Move 12 leads"
    pub button: String,
    /// How many records it changes.
    pub count: usize,
    /// The first few of them, by name.
    pub names: Vec<String>,
}

impl BulkPreview {
    /// Names shown on the confirmation page.
    pub const NAMES: usize = 10;

    /// `verb` the records named `names` (`count` of them, `noun` one, `nouns` more),
    /// with `rest` after them ("to Closed Won").
    pub fn new(verb: &str, (noun, nouns): (&str, &str), rest: &str, names: Vec<String>) -> Self {
        let count = names.len();
        let what = format!("{count} {}", if count == 1 { noun } else { nouns });
        let rest = if rest.is_empty() { String::new() } else { format!(" {rest}") };
        Self {
            question: format!("{verb} {what}{rest}?"),
            button: format!("{verb} {what}"),
            count,
            names: names.into_iter().take(Self::NAMES).collect(),
        }
    }
}

/// The records a bulk action applies to.
#[derive(Debug, Clone, PartialEq)]
pub enum Selection<F: Filters> {
    Ticked(Vec<String>),
    /// Every record the list matches, whatever its page.
    Matching(Query<F>),
}

impl<F: Filters> Selection<F> {
    /// What `form` selects; `what` names the records in messages ("leads").
    pub fn read(form: &BulkForm, what: &str) -> Result<Self, AppError> {
        if let Some(every) = &form.every {
            let pairs: Vec<(String, String)> =
                form_urlencoded::parse(every.trim_start_matches('?').as_bytes())
                    .into_owned()
                    .collect();
            let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
            let query = Query::<F> { page: 1, seek: None, ..Query::from_params(get) };
            return Ok(Self::Matching(query));
        }
        let mut ids = form.ids.clone();
        ids.sort();
        ids.dedup();
        match ids.len() {
            0 => Err(AppError::Invalid(vec![FieldError::new(
                "ids",
                format!("Tick the {what} to change first, or choose all that match."),
            )])),
            n if n > LIMIT => Err(too_many(what)),
            _ => Ok(Self::Ticked(ids)),
        }
    }
}

/// The refusal of a selection over `LIMIT`.
pub fn too_many(what: &str) -> AppError {
    AppError::Invalid(vec![FieldError::new(
        "ids",
        format!("More than {LIMIT} {what} match: narrow the filters and change them in parts."),
    )])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bulk_form_goes_through_the_confirmation_address_unchanged() {
        let form = BulkForm {
            ids: vec!["a".into(), "b&c".into()],
            every: Some("status=new&q=tara brightside".into()),
            action: "status".into(),
            assignee: String::new(),
            status: "won".into(),
            back: Some("/leads?status=new".into()),
        };
        let qs = form.to_query_string();
        let pairs: Vec<(String, String)> =
            form_urlencoded::parse(qs.as_bytes()).into_owned().collect();
        let read = BulkForm::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert_eq!(read, form);
    }
}
