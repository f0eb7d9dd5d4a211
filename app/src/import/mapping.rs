//! Which Kith field a file's column fills, proposed from its header the way the
//! exports of HubSpot, Pipedrive, Salesforce, Zoho, EspoCRM, Google Contacts and
//! Kith itself name their columns; and which Kith status a status value means.
//! The person importing sees every proposal and can change it.

use super::ImportKind;
use crate::leads::LeadStatus;
use serde::{Deserialize, Serialize};

/// Where a column's values go.
#[derive(strum::VariantArray, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Target {
    Name,
    /// Joined with `LastName` (and any `Name` column wins) into the name.
    FirstName,
    LastName,
    Email,
    Phone,
    Company,
    /// Leads only.
    Source,
    /// Leads only; each value is mapped to a status on the same page.
    Status,
    /// The assigned agent of a lead, the owner of a customer: matched by email or name.
    Assignee,
    /// A lead's background text; several columns may go there, each as "Header: value".
    Notes,
    /// Customers only: comma-separated tags.
    Tags,
    Skip,
}

crate::named_variants!(Target, field = "target");

impl Target {
    pub fn label(self) -> &'static str {
        match self {
            Self::Name => "Name",
            Self::FirstName => "First name",
            Self::LastName => "Last name",
            Self::Email => "Email",
            Self::Phone => "Phone",
            Self::Company => "Company",
            Self::Source => "Source",
            Self::Status => "Status",
            Self::Assignee => "Assigned to / owner",
            Self::Notes => "Notes",
            Self::Tags => "Tags",
            Self::Skip => "Skip this column",
        }
    }

    /// Whether a record of `kind` has this field.
    pub fn fits(self, kind: ImportKind) -> bool {
        match self {
            Self::Source | Self::Status | Self::Notes => kind == ImportKind::Leads,
            Self::Tags => kind == ImportKind::Customers,
            _ => true,
        }
    }

    /// Whether several columns may fill it.
    fn takes_several(self) -> bool {
        matches!(self, Self::Notes | Self::Tags | Self::Skip)
    }
}

/// Header names, lower case with everything but letters and digits removed, as the
/// well-known exports write them.
const KNOWN: &[(&str, Target)] = &[
    // Names: Kith, EspoCRM, Google Contacts, Pipedrive ("Person - Name"), Salesforce, HubSpot, Zoho.
    ("name", Target::Name),
    ("fullname", Target::Name),
    ("contactname", Target::Name),
    ("leadname", Target::Name),
    ("personname", Target::Name),
    ("firstname", Target::FirstName),
    ("givenname", Target::FirstName),
    ("lastname", Target::LastName),
    ("familyname", Target::LastName),
    ("surname", Target::LastName),
    // Email.
    ("email", Target::Email),
    ("emailaddress", Target::Email),
    ("email1value", Target::Email),
    ("personemailwork", Target::Email),
    ("personemail", Target::Email),
    ("primaryemail", Target::Email),
    // Phone.
    ("phone", Target::Phone),
    ("phonenumber", Target::Phone),
    ("mobile", Target::Phone),
    ("mobilephone", Target::Phone),
    ("mobilephonenumber", Target::Phone),
    ("phone1value", Target::Phone),
    ("personphonework", Target::Phone),
    ("personphonemobile", Target::Phone),
    ("personphone", Target::Phone),
    // Company.
    ("company", Target::Company),
    ("companyname", Target::Company),
    ("organization", Target::Company),
    ("organisation", Target::Company),
    ("organizationname", Target::Company),
    ("organization1name", Target::Company),
    ("personorganization", Target::Company),
    ("accountname", Target::Company),
    ("account", Target::Company),
    // Source.
    ("source", Target::Source),
    ("leadsource", Target::Source),
    ("originalsource", Target::Source),
    // Status.
    ("status", Target::Status),
    ("leadstatus", Target::Status),
    // Owner.
    ("assignedto", Target::Assignee),
    ("assigneduser", Target::Assignee),
    ("assignee", Target::Assignee),
    ("owner", Target::Assignee),
    ("leadowner", Target::Assignee),
    ("contactowner", Target::Assignee),
    ("personowner", Target::Assignee),
    ("recordowner", Target::Assignee),
    // Notes.
    ("notes", Target::Notes),
    ("note", Target::Notes),
    ("description", Target::Notes),
    ("background", Target::Notes),
    // Tags.
    ("tags", Target::Tags),
    ("tag", Target::Tags),
    ("labels", Target::Tags),
    ("groupmembership", Target::Tags),
];

/// Lower case, letters and digits only: "E-mail 1 - Value" is "email1value".
fn normalise(header: &str) -> String {
    header.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The field one header names, if any (before checking what a record of a kind has).
fn named(header: &str) -> Option<Target> {
    let key = normalise(header);
    if key.is_empty() {
        return None;
    }
    if let Some(&(_, target)) = KNOWN.iter().find(|(known, _)| *known == key) {
        return Some(target);
    }
    // Headers the table does not know, by the word they carry ("Work Email", "Home Phone").
    let by_word = [
        ("email", Target::Email),
        ("phone", Target::Phone),
        ("mobile", Target::Phone),
        ("owner", Target::Assignee),
        ("company", Target::Company),
        ("organization", Target::Company),
    ];
    by_word.iter().find(|(word, _)| key.contains(word)).map(|&(_, target)| target)
}

/// A proposal for every column of `headers`: each field filled by its first column
/// only (notes and tags take several), fields a record of `kind` does not have skipped.
pub fn propose(kind: ImportKind, headers: &[String]) -> Vec<Target> {
    once_each(headers.iter().map(|header| named(header).filter(|t| t.fits(kind))))
}

/// The fields of a mapping saved for the columns `saved` (`targets`), for a file with
/// the columns `headers`: a column keeps the field of the saved column with the same
/// name (without case, spaces or punctuation); a column the saved mapping did not
/// have is proposed as `propose` proposes it.
pub fn adapt(
    kind: ImportKind,
    saved: &[String],
    targets: &[Target],
    headers: &[String],
) -> Vec<Target> {
    let saved: Vec<(String, Target)> =
        saved.iter().map(|h| normalise(h)).zip(targets.iter().copied()).collect();
    once_each(headers.iter().map(|header| {
        let key = normalise(header);
        let kept = saved.iter().find(|(name, _)| *name == key).map(|&(_, target)| target);
        kept.or_else(|| named(header)).filter(|t| t.fits(kind))
    }))
}

/// Each field filled by its first column only (notes, tags and skip take several).
fn once_each(targets: impl Iterator<Item = Option<Target>>) -> Vec<Target> {
    let mut taken = Vec::new();
    targets
        .map(|target| {
            let target = target.unwrap_or(Target::Skip);
            if !target.takes_several() && taken.contains(&target) {
                return Target::Skip;
            }
            taken.push(target);
            target
        })
        .collect()
}

/// The Kith status a status value from another CRM means, if it is clear:
/// Salesforce's "Open - Not Contacted", "Working - Contacted", "Closed - Converted",
/// HubSpot's "New", "Open", "In progress", "Unqualified", Zoho's "Contacted",
/// "Junk Lead", EspoCRM's "Assigned", "Recycled", "Dead", and Kith's own labels.
pub fn propose_status(value: &str) -> Option<LeadStatus> {
    let key = normalise(value);
    if key.is_empty() {
        return None;
    }
    for status in <LeadStatus as strum::VariantArray>::VARIANTS {
        if key == normalise(status.label()) || key == normalise(status.as_str()) {
            return Some(*status);
        }
    }
    let has = |words: &[&str]| words.iter().any(|w| key.contains(w));
    if has(&[
        "notconverted",
        "unqualified",
        "lost",
        "dead",
        "junk",
        "disqualified",
        "badtiming",
        "recycled",
    ]) {
        Some(LeadStatus::Lost)
    } else if has(&["converted", "won", "customer"]) {
        Some(LeadStatus::Won)
    } else if has(&["notcontacted", "new", "open", "assigned", "notstarted"]) {
        Some(LeadStatus::New)
    } else if has(&[
        "working",
        "contacted",
        "progress",
        "attempted",
        "connected",
        "qualified",
        "nurtur",
        "followup",
    ]) {
        Some(LeadStatus::InProgress)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::Target::*;
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_well_known_exports_headers_are_proposed_their_fields() {
        let cases: &[(&str, ImportKind, &[&str], &[Target])] = &[
            (
                "Salesforce leads",
                ImportKind::Leads,
                &[
                    "First Name",
                    "Last Name",
                    "Email",
                    "Phone",
                    "Company",
                    "Lead Source",
                    "Lead Status",
                    "Lead Owner",
                    "Description",
                ],
                &[FirstName, LastName, Email, Phone, Company, Source, Status, Assignee, Notes],
            ),
            (
                "HubSpot contacts",
                ImportKind::Leads,
                &[
                    "Record ID",
                    "First Name",
                    "Last Name",
                    "Email",
                    "Phone Number",
                    "Company Name",
                    "Lead Status",
                    "Contact owner",
                    "Original Source",
                ],
                &[Skip, FirstName, LastName, Email, Phone, Company, Status, Assignee, Source],
            ),
            (
                "Pipedrive people",
                ImportKind::Leads,
                &[
                    "Person - Name",
                    "Person - Email - Work",
                    "Person - Phone - Mobile",
                    "Person - Organization",
                    "Person - Owner",
                    "Person - Label",
                ],
                &[Name, Email, Phone, Company, Assignee, Skip],
            ),
            (
                "Google Contacts",
                ImportKind::Customers,
                &[
                    "First Name",
                    "Middle Name",
                    "Last Name",
                    "E-mail 1 - Value",
                    "E-mail 2 - Value",
                    "Phone 1 - Value",
                    "Organization Name",
                    "Labels",
                    "Notes",
                ],
                &[FirstName, Skip, LastName, Email, Skip, Phone, Company, Tags, Skip],
            ),
            (
                "EspoCRM leads",
                ImportKind::Leads,
                &[
                    "Name",
                    "Email Address",
                    "Phone Number",
                    "Account Name",
                    "Source",
                    "Status",
                    "Assigned User",
                    "Description",
                ],
                &[Name, Email, Phone, Company, Source, Status, Assignee, Notes],
            ),
            (
                "Kith's own customer export",
                ImportKind::Customers,
                &["Name", "Email", "Phone", "Company", "Tags", "Owner", "Created (UTC)"],
                &[Name, Email, Phone, Company, Tags, Assignee, Skip],
            ),
            (
                "headers nobody knows",
                ImportKind::Leads,
                &["", "Favourite colour", "Work email", "Home Phone"],
                &[Skip, Skip, Email, Phone],
            ),
        ];
        for (source, kind, names, expected) in cases {
            assert_eq!(propose(*kind, &headers(names)), expected.to_vec(), "{source}");
        }
    }

    #[test]
    fn other_crms_status_values_are_proposed_a_kith_status() {
        let cases = [
            ("Open - Not Contacted", Some(LeadStatus::New)),
            ("Working - Contacted", Some(LeadStatus::InProgress)),
            ("Closed - Converted", Some(LeadStatus::Won)),
            ("Closed - Not Converted", Some(LeadStatus::Lost)),
            ("Unqualified", Some(LeadStatus::Lost)),
            ("IN_PROGRESS", Some(LeadStatus::InProgress)),
            ("Closed Won", Some(LeadStatus::Won)),
            ("Junk Lead", Some(LeadStatus::Lost)),
            ("Attempted to Contact", Some(LeadStatus::InProgress)),
            ("new", Some(LeadStatus::New)),
            ("Pending review", None),
            ("", None),
        ];
        for (value, expected) in cases {
            assert_eq!(propose_status(value), expected, "{value}");
        }
    }

    #[test]
    fn a_saved_mapping_follows_its_columns_by_name_into_another_file() {
        let saved = headers(&["Full name", "Mail", "Region", "Owner"]);
        let targets = [Name, Email, Notes, Skip];
        // Reordered, renamed in case and punctuation, one column new, one gone.
        let file = headers(&["OWNER", "mail", "Phone", "full-name", "Mail"]);
        assert_eq!(
            adapt(ImportKind::Leads, &saved, &targets, &file),
            [Skip, Email, Phone, Name, Skip]
        );
        // Fields a customer does not have are skipped.
        assert_eq!(
            adapt(ImportKind::Customers, &saved, &targets, &saved),
            [Name, Email, Skip, Skip]
        );
    }
}
