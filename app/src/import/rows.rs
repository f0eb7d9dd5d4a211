//! One row of a file as the lead or customer it would be, through the same forms and
//! checks as typing it in: a row Kith would refuse says why, field by field.

use super::mapping::Target;
use crate::auth::Checked;
use crate::customers::{CustomerDraft, CustomerForm};
use crate::error::AppError;
use crate::leads::{LeadDraft, LeadForm, LeadStatus};
use serde::{Deserialize, Serialize};

/// What the person importing decided: a field per column, and a status per status value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    /// One per column of the file, in order.
    pub targets: Vec<Target>,
    /// Status values of the file and the Kith status each means.
    pub statuses: Vec<(String, LeadStatus)>,
    /// For a status value not listed, or no status column.
    pub other_status: LeadStatus,
}

/// A row's values, gathered by field.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Fields {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub company: String,
    pub source: String,
    pub status: Option<String>,
    /// Whom the row names as assignee or owner (an email or a name), if anyone.
    pub assignee: Option<String>,
    pub notes: String,
    pub tags: String,
}

impl Mapping {
    /// The row's values by field. The name is a `Name` column's, else first and last
    /// names joined; several note columns each add a "Header: value" line.
    pub fn fields(&self, headers: &[String], row: &[impl AsRef<str>]) -> Fields {
        let mut fields = Fields::default();
        let (mut first, mut last) = (String::new(), String::new());
        let mut notes = Vec::new();
        let mut tags = Vec::new();
        let labelled_notes = self.targets.iter().filter(|t| **t == Target::Notes).count() > 1;
        for (i, target) in self.targets.iter().enumerate() {
            let value = row.get(i).map(|v| v.as_ref().trim()).unwrap_or_default();
            if value.is_empty() {
                continue;
            }
            let value = value.to_owned();
            match target {
                Target::Name => fields.name = value,
                Target::FirstName => first = value,
                Target::LastName => last = value,
                Target::Email => fields.email = value,
                Target::Phone => fields.phone = value,
                Target::Company => fields.company = value,
                Target::Source => fields.source = value,
                Target::Status => fields.status = Some(value),
                Target::Assignee => fields.assignee = Some(value),
                Target::Notes if labelled_notes => {
                    let header = headers.get(i).map(String::as_str).unwrap_or_default();
                    notes.push(format!("{header}: {value}"));
                }
                Target::Notes => notes.push(value),
                Target::Tags => tags.push(value),
                Target::Skip => {}
            }
        }
        if fields.name.is_empty() {
            fields.name =
                [first, last].into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ");
        }
        fields.notes = notes.join("\n");
        fields.tags = tags.join(", ");
        fields
    }

    /// The Kith status of a status value, as mapped (compared without case).
    pub fn status_of(&self, value: Option<&str>) -> LeadStatus {
        let Some(value) = value else { return self.other_status };
        self.statuses
            .iter()
            .find(|(known, _)| known.trim().eq_ignore_ascii_case(value.trim()))
            .map_or(self.other_status, |(_, status)| *status)
    }

    /// The row as a lead, checked as the new-lead form checks it.
    pub fn lead(&self, fields: &Fields) -> Result<LeadDraft, AppError> {
        let form = LeadForm {
            name: fields.name.clone(),
            email: fields.email.clone(),
            phone: fields.phone.clone(),
            company: fields.company.clone(),
            source: fields.source.clone(),
            status: self.status_of(fields.status.as_deref()).as_str().to_owned(),
            notes: fields.notes.clone(),
        };
        LeadDraft::checked(&form)
    }

    /// The row as a customer, checked as the new-customer form checks it.
    pub fn customer(&self, fields: &Fields) -> Result<CustomerDraft, AppError> {
        let form = CustomerForm {
            name: fields.name.clone(),
            email: fields.email.clone(),
            phone: fields.phone.clone(),
            company: fields.company.clone(),
            tags: fields.tags.clone(),
        };
        CustomerDraft::checked(&form)
    }
}

#[cfg(test)]
mod tests {
    use super::Target::*;
    use super::*;

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|s| (*s).to_owned()).collect()
    }

    fn salesforce() -> (Vec<String>, Mapping) {
        let headers = strings(&[
            "First Name",
            "Last Name",
            "Email",
            "Lead Status",
            "Lead Owner",
            "Description",
            "Rating",
        ]);
        let mapping = Mapping {
            targets: vec![FirstName, LastName, Email, Status, Assignee, Notes, Notes],
            statuses: vec![("Working - Contacted".into(), LeadStatus::InProgress)],
            other_status: LeadStatus::New,
        };
        (headers, mapping)
    }

    #[test]
    fn a_row_becomes_the_lead_its_columns_describe() {
        let (headers, mapping) = salesforce();
        let row = strings(&[
            " Ada ",
            "Lovelace",
            "ADA@Example.com",
            "working - contacted",
            "james@kith.test",
            "Met at the fair",
            "Hot",
        ]);
        let fields = mapping.fields(&headers, &row);
        assert_eq!(fields.name, "Ada Lovelace");
        assert_eq!(fields.assignee.as_deref(), Some("james@kith.test"));
        assert_eq!(fields.notes, "Description: Met at the fair\nRating: Hot");
        let lead = mapping.lead(&fields).expect("valid");
        assert_eq!(lead.name, "Ada Lovelace");
        assert_eq!(lead.status, LeadStatus::InProgress);
        assert_eq!(lead.email.as_ref().map(|e| e.as_str()), Some("ada@example.com"));
    }

    #[test]
    fn an_unknown_or_missing_status_takes_the_chosen_one_and_short_rows_are_read_as_empty() {
        let (headers, mapping) = salesforce();
        let fields = mapping.fields(&headers, &strings(&["Grace", "", "", "Nurturing"]));
        assert_eq!(mapping.lead(&fields).expect("valid").status, LeadStatus::New);
        let fields = mapping.fields(&headers, &strings(&["Grace"]));
        assert_eq!((fields.name.as_str(), fields.status.as_deref()), ("Grace", None));
    }

    #[test]
    fn a_row_kith_would_refuse_says_why_field_by_field() {
        let (headers, mapping) = salesforce();
        let fields = mapping.fields(&headers, &strings(&["", "", "not an email"]));
        let error = mapping.lead(&fields).expect_err("no name, bad email");
        let why = error.in_one_line();
        assert!(why.starts_with("name: "), "{why}");
        assert!(why.contains("; email: "), "{why}");
    }

    #[test]
    fn several_tag_columns_make_one_customers_tags() {
        let headers = strings(&["Name", "Labels", "Group Membership"]);
        let mapping = Mapping {
            targets: vec![Name, Tags, Tags],
            statuses: vec![],
            other_status: LeadStatus::New,
        };
        let fields = mapping.fields(&headers, &strings(&["Kit Marlowe", "VIP", "Retail, Press"]));
        let customer = mapping.customer(&fields).expect("valid");
        assert_eq!(customer.tags, ["vip", "retail", "press"]);
    }
}
