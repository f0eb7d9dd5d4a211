//! An import as the pages show it: the file as read, the decisions taken on it,
//! what the preview found, and how far the job has come.

use super::rows::Mapping;
use super::ImportKind;
use crate::ids::{ImportId, SavedMappingId, UserId};
use serde::{Deserialize, Serialize};

/// How many of the file's first rows the mapping page shows under each column.
pub const SAMPLE_ROWS: usize = 5;
/// How long after it finished an import can be undone (milliseconds).
pub const UNDO_WITHIN_MS: i64 = 7 * 24 * 3600 * 1000;

/// Where an import stands.
#[derive(strum::VariantArray, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobState {
    /// Uploaded; its columns are being mapped and previewed.
    Mapping,
    /// Waiting for a worker, or being written.
    Queued,
    Done,
    /// Stopped by an error that is not a row's (the file could no longer be read).
    Failed,
    /// Being undone.
    Undoing,
    Undone,
}

crate::named_variants!(JobState, field = "state");

impl JobState {
    pub fn label(self) -> &'static str {
        match self {
            Self::Mapping => "Not started",
            Self::Queued => "Importing",
            Self::Done => "Done",
            Self::Failed => "Failed",
            Self::Undoing => "Undoing",
            Self::Undone => "Undone",
        }
    }

    /// Whether a worker still has something to do.
    pub fn is_working(self) -> bool {
        matches!(self, Self::Queued | Self::Undoing)
    }
}

/// How the file was read, as the mapping page offers to change it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileReading {
    /// "CSV" or "Excel workbook".
    pub format: String,
    /// The text encoding's name (`UTF-8`, `windows-1252`); empty for a workbook.
    pub encoding: String,
    /// The delimiter as typed (`,` `;` `\t` `|`); empty for a workbook.
    pub delimiter: String,
    /// The sheet read, and every sheet of a workbook.
    pub sheet: String,
    pub sheets: Vec<String>,
}

/// The file's header and its first rows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Head {
    /// The first non-empty values of column `i`.
    pub fn samples(&self, i: usize) -> Vec<String> {
        let values = self.rows.iter().filter_map(|row| row.get(i));
        values.filter(|v| !v.is_empty()).take(3).cloned().collect()
    }
}

/// What the person importing decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobPlan {
    pub mapping: Mapping,
    pub on_duplicate: super::OnDuplicate,
    /// Whether a row whose phone has a record's digits is a duplicate too (else the email only).
    #[serde(default)]
    pub match_phone: bool,
    /// Whom an admin's rows go to when they name nobody on the team.
    pub default_assignee: UserId,
}

/// A mapping saved under a name, as the mapping page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedMapping {
    pub id: SavedMappingId,
    pub name: String,
    /// How many columns the file it was made for had.
    pub columns: usize,
}

/// A row the preview found a problem with: its number (1 is the first after the header).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub row: u64,
    pub reason: String,
}

/// A row as it would be stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewRow {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub company: String,
    /// The status (a lead's) or the tags (a customer's).
    pub detail: String,
    pub assignee: String,
}

/// What the whole file would do under a plan, before anything is written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    pub new_rows: u64,
    /// Rows whose email is already a record's or an earlier row's.
    pub duplicates: u64,
    pub rejects: u64,
    /// The first problems, in row order.
    pub problems: Vec<Problem>,
    /// The first rows, as they would be stored.
    pub rows: Vec<PreviewRow>,
    /// The values of the status column that the plan does not map yet.
    pub unmapped_statuses: Vec<String>,
}

/// An import, as far as it has come.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportJob {
    pub id: ImportId,
    pub kind: ImportKind,
    pub file_name: String,
    pub file_size: i64,
    pub reading: FileReading,
    pub head: Head,
    pub rows_total: i64,
    pub plan: Option<JobPlan>,
    pub preview: Option<Preview>,
    pub state: JobState,
    pub created_by: String,
    pub created_at: i64,
    pub progress: Progress,
    pub error: Option<String>,
}

/// How far an import has come: the page's live part.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub state: Option<JobState>,
    pub rows_total: i64,
    pub rows_done: i64,
    pub created: i64,
    pub updated: i64,
    pub skipped: i64,
    pub rejected: i64,
    pub undo_done: i64,
    pub undo_kept: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    /// Now, by the server's clock, for the rate and the time left.
    pub now: i64,
}

impl Progress {
    /// Rows written per second since the job started.
    pub fn rate(&self) -> Option<f64> {
        let started = self.started_at?;
        let end = self.finished_at.unwrap_or(self.now);
        let seconds = (end - started) as f64 / 1000.0;
        (seconds > 0.5 && self.rows_done > 0).then(|| self.rows_done as f64 / seconds)
    }

    /// Seconds left at the rate so far.
    pub fn seconds_left(&self) -> Option<i64> {
        let rate = self.rate()?;
        Some(((self.rows_total - self.rows_done).max(0) as f64 / rate).ceil() as i64)
    }

    /// Whole percent done.
    pub fn percent(&self) -> i64 {
        if self.rows_total == 0 {
            100
        } else {
            self.rows_done * 100 / self.rows_total
        }
    }
}
