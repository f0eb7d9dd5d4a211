//! `kith import`: a file of leads or customers brought in from the command line as
//! an import job, the same as one uploaded on the import page: the columns' fields
//! and status values proposed as the page proposes them, or as a mapping saved there
//! maps them (`--mapping`), `--map` changing one; the
//! same checks and writes, the same undo. Refused rows go to a CSV file with a
//! Reason column, ready to fix and import again.

use crate::config::ImportArgs;
use app::auth::{store::viewer_by_email, Email, Viewer};
use app::db::Db;
use app::ids::{ImportId, UserId};
use app::import::job::{JobPlan, JobState, Preview};
use app::import::mapping::{propose, Target};
use app::import::rows::Mapping;
use app::import::source::Reading;
use app::import::store::{claims, file, jobs, mappings, preview, worker};
use app::import::{ImportKind, OnDuplicate};
use app::leads::LeadStatus;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub async fn run(db: &Db, args: ImportArgs) -> Result<(), String> {
    let kind = ImportKind::parse(&args.kind)
        .ok_or_else(|| format!("import what? `leads` or `customers`, not `{}`", args.kind))?;
    let on_duplicate = OnDuplicate::parse(&args.on_duplicate).ok_or_else(|| {
        format!("--on-duplicate: `skip`, `update` or `create`, not `{}`", args.on_duplicate)
    })?;
    let viewer = team_member(db, &args.as_email).await?;
    let default_assignee = match &args.assignee {
        Some(email) => team_member(db, email).await?.id,
        None => viewer.id.clone(),
    };
    let file_name = args.file.file_name().map(|n| n.to_string_lossy().into_owned());
    let started = Instant::now();
    let reading = Reading { sheet: args.sheet.clone(), ..Reading::default() };
    let file_name = file_name.as_deref().unwrap_or("file");
    let id = jobs::create(db, &viewer, kind, file_name, &args.file, reading)
        .await
        .map_err(|e| e.in_one_line())?;
    let planned = plan(db, &viewer, kind, &id, &args, on_duplicate, default_assignee).await;
    let headers = match planned {
        Ok((headers, _)) if !args.dry_run => headers,
        // A trial or a refused mapping leaves no import behind.
        other => {
            let mut conn = db.pool.acquire().await.map_err(|e| e.to_string())?;
            jobs::discard(&mut conn, &viewer, &id).await.map_err(|e| e.in_one_line())?;
            print_preview(&other?.1);
            return Ok(());
        }
    };
    let claim = claims::claim(db, &id).await.map_err(|e| e.in_one_line())?;
    let claim = claim.ok_or("another Kith instance took the import up; follow it on its page")?;
    let follow = tokio::spawn(show_progress(db.clone(), viewer.clone(), id.clone()));
    worker::carry_out(db, &claim).await.map_err(|e| e.in_one_line())?;
    follow.abort();
    let mut conn = db.pool.acquire().await.map_err(|e| e.to_string())?;
    let job = jobs::get(&mut conn, &viewer, &id).await.map_err(|e| e.in_one_line())?;
    let p = &job.progress;
    if job.state == JobState::Failed {
        return Err(format!("the import stopped: {}", job.error.unwrap_or_default()));
    }
    println!(
        "Imported {} {} in {:.1}s: {} created, {} updated, {} skipped, {} rejected.",
        p.rows_done,
        kind.as_str(),
        started.elapsed().as_secs_f64(),
        p.created,
        p.updated,
        p.skipped,
        p.rejected
    );
    println!("Import {id}: its page is /import/{id}, where it can be undone for seven days.");
    if p.rejected > 0 {
        let path = args.rejected.clone().unwrap_or_else(|| beside(&args.file));
        let rejects =
            jobs::rejects(&mut conn, &id, 0, i64::MAX).await.map_err(|e| e.in_one_line())?;
        write_rejected(&path, &headers, &rejects)?;
        println!("Refused rows, with the reason for each: {}", path.display());
    }
    Ok(())
}

/// The import's plan — the fields proposed for its columns as the page proposes them,
/// changed by `--map` — previewed against the whole file, then, unless this is a
/// trial, kept and handed to the workers. The file's header and what the preview found.
async fn plan(
    db: &Db,
    viewer: &Viewer,
    kind: ImportKind,
    id: &ImportId,
    args: &ImportArgs,
    on_duplicate: OnDuplicate,
    default_assignee: UserId,
) -> Result<(Vec<String>, Preview), String> {
    let mut conn = db.pool.acquire().await.map_err(|e| e.to_string())?;
    let job = jobs::get(&mut conn, viewer, id).await.map_err(|e| e.in_one_line())?;
    drop(conn);
    let headers = job.head.headers.clone();
    let mut mapping = match &args.mapping {
        Some(name) => saved(db, viewer, kind, name, &headers).await?,
        None => Mapping {
            targets: propose(kind, &headers),
            statuses: Vec::new(),
            other_status: LeadStatus::New,
        },
    };
    for column in &args.map {
        chosen(kind, &headers, &mut mapping.targets, column)?;
    }
    for (header, target) in headers.iter().zip(&mapping.targets) {
        if *target != Target::Skip {
            println!("{} ← {header}", target.label());
        }
    }
    let match_phone = args.match_phone;
    let mut plan = JobPlan { mapping, on_duplicate, match_phone, default_assignee };
    let fail = |e: app::error::AppError| e.in_one_line();
    let mut read = file::rows(db, id, jobs::reading_of(&job.reading), preview::ROWS_AT_ONCE)
        .await
        .map_err(fail)?;
    let found = preview::planned(db, viewer, kind, &mut plan, &mut read).await.map_err(fail)?;
    if !args.dry_run {
        let mut tx = db.transaction().await.map_err(|e| e.to_string())?;
        jobs::save_plan(&mut tx, &job, &read, &plan, &found).await.map_err(fail)?;
        jobs::start(&mut tx, viewer, id).await.map_err(fail)?;
        tx.commit().await.map_err(|e| e.to_string())?;
    }
    Ok((headers, found))
}

/// The columns and status values of the importer's mapping saved as `name`.
async fn saved(
    db: &Db,
    viewer: &Viewer,
    kind: ImportKind,
    name: &str,
    headers: &[String],
) -> Result<Mapping, String> {
    let fail = |e: app::error::AppError| e.in_one_line();
    let mut conn = db.pool.acquire().await.map_err(|e| e.to_string())?;
    let id = mappings::named(&mut conn, viewer, kind, name).await.map_err(fail)?;
    let id = id.ok_or_else(|| {
        format!("--mapping: you have no mapping of {} named {name:?}", kind.as_str())
    })?;
    Ok(mappings::plan_for(&mut conn, viewer, &id, kind, headers).await.map_err(fail)?.mapping)
}

/// Rows done so far, every few seconds, on standard error.
async fn show_progress(db: Db, viewer: Viewer, id: ImportId) {
    let mut every = tokio::time::interval(Duration::from_secs(3));
    every.tick().await;
    loop {
        every.tick().await;
        let Ok(mut conn) = db.pool.acquire().await else { continue };
        if let Ok(job) = jobs::get(&mut conn, &viewer, &id).await {
            let p = job.progress;
            let rate = p.rate().map(|r| format!(", {r:.0} rows/s")).unwrap_or_default();
            eprintln!("{} of {} rows ({}%){rate}", p.rows_done, p.rows_total, p.percent());
        }
    }
}

fn print_preview(found: &Preview) {
    println!(
        "Would create {}, find {} duplicates, reject {} (nothing written).",
        found.new_rows, found.duplicates, found.rejects
    );
    for problem in &found.problems {
        println!("row {}: {}", problem.row, problem.reason);
    }
}

/// `--map "Column=field"`: the column (its header, without case) fills that field.
fn chosen(
    kind: ImportKind,
    headers: &[String],
    targets: &mut [Target],
    rule: &str,
) -> Result<(), String> {
    let (column, field) = rule
        .rsplit_once('=')
        .ok_or_else(|| format!("--map {rule:?}: write it as \"Column=field\""))?;
    let index = headers
        .iter()
        .position(|h| h.trim().eq_ignore_ascii_case(column.trim()))
        .ok_or_else(|| format!("--map {rule:?}: the file has no column {column:?}"))?;
    let target = Target::parse(field.trim()).filter(|t| t.fits(kind)).ok_or_else(|| {
        format!("--map {rule:?}: {:?} is not a field of {}", field.trim(), kind.as_str())
    })?;
    targets[index] = target;
    Ok(())
}

async fn team_member(db: &Db, email: &str) -> Result<Viewer, String> {
    let parsed = Email::parse("email", email).map_err(|e| format!("{email}: {}", e.message))?;
    viewer_by_email(db, &parsed)
        .await
        .map_err(|e| e.in_one_line())?
        .ok_or_else(|| format!("no active team member has the email {email}"))
}

fn beside(file: &Path) -> PathBuf {
    let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    file.with_file_name(format!("{stem}.rejected.csv"))
}

fn write_rejected(path: &Path, headers: &[String], rejects: &[jobs::Reject]) -> Result<(), String> {
    let failed = |e: csv::Error| format!("cannot write {}: {e}", path.display());
    let mut out = csv::Writer::from_path(path).map_err(failed)?;
    let mut header = headers.to_vec();
    header.push("Reason".to_owned());
    out.write_record(&header).map_err(failed)?;
    for (_, cells, reason) in rejects {
        let mut record = cells.clone();
        record.resize(headers.len(), String::new());
        record.push(reason.clone());
        out.write_record(&record).map_err(failed)?;
    }
    out.flush().map_err(|e| format!("cannot write {}: {e}", path.display()))
}
