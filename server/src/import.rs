//! `kith import`: a file of leads or customers brought in from the command line, with
//! the columns' fields and status values proposed as the import page proposes them,
//! through the same checks and writes (`app::import`). Refused rows go to a CSV file
//! with a Reason column, ready to fix and import again.

use crate::config::ImportArgs;
use app::auth::{store::viewer_by_email, Email};
use app::db::Db;
use app::import::mapping::{propose, propose_status, Target};
use app::import::rows::Mapping;
use app::import::source::{read, Reading, Table};
use app::import::store::{self, OnDuplicate, Outcome, Plan};
use app::import::ImportKind;
use app::leads::LeadStatus;
use std::path::{Path, PathBuf};

pub async fn run(db: &Db, args: ImportArgs) -> Result<(), String> {
    let kind = ImportKind::parse(&args.kind)
        .ok_or_else(|| format!("import what? `leads` or `customers`, not `{}`", args.kind))?;
    let on_duplicate = OnDuplicate::parse(&args.duplicates).ok_or_else(|| {
        format!("--duplicates: `skip`, `update` or `create`, not `{}`", args.duplicates)
    })?;
    let viewer = team_member(db, &args.as_email).await?;
    let default_assignee = match &args.assign_to {
        Some(email) => team_member(db, email).await?.id,
        None => viewer.id.clone(),
    };
    let bytes = std::fs::read(&args.file)
        .map_err(|e| format!("cannot read {}: {e}", args.file.display()))?;
    let reading = Reading { sheet: args.sheet.clone(), ..Reading::default() };
    let table = read(&bytes, &reading).map_err(|e| e.in_one_line())?;
    let mapping = proposed_mapping(kind, &table);
    for (header, target) in table.headers.iter().zip(&mapping.targets) {
        if *target != Target::Skip {
            println!("{} ← {header}", target.label());
        }
    }
    let file_name = args.file.file_name().map(|n| n.to_string_lossy().into_owned());
    let plan = Plan {
        kind,
        file_name: file_name.as_deref().unwrap_or("file"),
        table: &table,
        mapping: &mapping,
        on_duplicate,
        default_assignee: &default_assignee,
    };
    let started = std::time::Instant::now();
    let outcome = store::run(db, &viewer, &plan).await.map_err(|e| e.in_one_line())?;
    println!(
        "Imported {} {} in {:.1}s: {}.",
        table.rows.len(),
        kind.as_str(),
        started.elapsed().as_secs_f64(),
        outcome.summary()
    );
    if !outcome.rejected.is_empty() {
        let path = args.rejected.clone().unwrap_or_else(|| beside(&args.file));
        write_rejected(&path, &table, &outcome)?;
        println!("Refused rows, with the reason for each: {}", path.display());
    }
    Ok(())
}

async fn team_member(db: &Db, email: &str) -> Result<app::auth::Viewer, String> {
    let parsed = Email::parse("email", email).map_err(|e| format!("{email}: {}", e.message))?;
    viewer_by_email(db, &parsed)
        .await
        .map_err(|e| e.in_one_line())?
        .ok_or_else(|| format!("no active team member has the email {email}"))
}

/// The proposals the import page starts from: a field per column, and a status for
/// each status value that clearly means one (the others: New).
fn proposed_mapping(kind: ImportKind, table: &Table) -> Mapping {
    let targets = propose(kind, &table.headers);
    let mut statuses: Vec<(String, LeadStatus)> = Vec::new();
    if let Some(column) = targets.iter().position(|t| *t == Target::Status) {
        for value in table.rows.iter().filter_map(|row| row.get(column)) {
            if statuses.iter().any(|(known, _)| known.eq_ignore_ascii_case(value)) {
                continue;
            }
            if let Some(status) = propose_status(value) {
                statuses.push((value.clone(), status));
            }
        }
    }
    Mapping { targets, statuses, other_status: LeadStatus::New }
}

fn beside(file: &Path) -> PathBuf {
    let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    file.with_file_name(format!("{stem}.rejected.csv"))
}

fn write_rejected(path: &Path, table: &Table, outcome: &Outcome) -> Result<(), String> {
    let failed = |e: csv::Error| format!("cannot write {}: {e}", path.display());
    let mut out = csv::Writer::from_path(path).map_err(failed)?;
    let mut header = table.headers.clone();
    header.push("Reason".to_owned());
    out.write_record(&header).map_err(failed)?;
    for rejected in &outcome.rejected {
        let mut record = rejected.values.clone();
        record.resize(table.headers.len(), String::new());
        record.push(rejected.reason.clone());
        out.write_record(&record).map_err(failed)?;
    }
    out.flush().map_err(|e| format!("cannot write {}: {e}", path.display()))
}
