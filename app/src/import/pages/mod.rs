//! The import pages: `/import` uploads a file and lists the latest imports;
//! `/import/{id}` maps the file's columns and previews the result (`plan`), then
//! follows the job and shows what it did, with undo (`progress`).

mod plan;
mod progress;

use super::api::{get_import, recent_imports, ImportsOverview};
use super::job::{ImportJob, JobState};
use super::ImportKind;
use crate::components::{loaded, Moment, PageHeading};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/import`: choose what the file holds and the file; the latest imports below.
#[component]
pub fn ImportPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| recent_imports());
    let query = use_query_map();
    let error = move || query.read().get("error");
    let kind = query.read_untracked().get("kind").and_then(|k| ImportKind::parse(&k));
    view! {
        <PageHeading text="Import"/>
        <p class="muted">"Bring leads or customers in from a spreadsheet or another CRM's export. You choose what each column fills and see the result before anything is written."</p>
        <Show when=move || error().is_some()>
            <div class="form-error" role="alert">{error}</div>
        </Show>
        {loaded("Loading imports…", overview, move |overview: ImportsOverview| view! {
            <UploadForm limit_mb=overview.limit_mb kind=kind.unwrap_or(ImportKind::Leads)/>
            <RecentImports imports=overview.imports/>
        })}
    }
    .into_any()
}

/// The upload: a plain multipart form, the same with and without JavaScript.
#[component]
fn UploadForm(limit_mb: usize, kind: ImportKind) -> impl IntoView {
    let kinds = <ImportKind as strum::VariantArray>::VARIANTS
        .iter()
        .map(|k| view! { <option value=k.as_str() selected=*k == kind>{k.label()}</option> })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="upload-title">
            <h2 id="upload-title">"Upload a file"</h2>
            <form method="post" action="/import/upload" enctype="multipart/form-data" class="form-stack form-narrow">
                <div class="field">
                    <label for="field-kind" class="field-label">"The file holds"</label>
                    <select id="field-kind" name="kind" class="field-input">{kinds}</select>
                </div>
                <div class="field">
                    <label for="field-file" class="field-label">"File"</label>
                    <input id="field-file" type="file" name="file" class="field-input" required=true
                        accept=".csv,.tsv,.txt,.xlsx,.xls,.xlsm,.ods" aria-describedby="field-file-hint"/>
                    <p id="field-file-hint" class="muted">{format!(
                        "CSV (any of , ; tab | as separator; UTF-8, UTF-16 or Windows-1252) or an Excel workbook, up to {limit_mb} MB."
                    )}</p>
                </div>
                <div class="actions">
                    <button type="submit" class="btn btn-primary">"Upload and map columns"</button>
                </div>
            </form>
        </section>
    }
    .into_any()
}

#[component]
fn RecentImports(imports: Vec<ImportJob>) -> impl IntoView {
    if imports.is_empty() {
        return view! { <p class="muted">"No imports yet."</p> }.into_any();
    }
    let rows = imports
        .into_iter()
        .map(|job| {
            let p = &job.progress;
            let counts = match job.state {
                JobState::Mapping => String::new(),
                _ => format!(
                    "{} created, {} updated, {} skipped, {} rejected",
                    p.created, p.updated, p.skipped, p.rejected
                ),
            };
            view! {
                <tr>
                    <td><a href=format!("/import/{}", job.id)>{job.file_name.clone()}</a></td>
                    <td>{job.kind.label()}</td>
                    <td>{job.state.label()}</td>
                    <td class="num">{job.rows_total}</td>
                    <td>{counts}</td>
                    <td>{job.created_by.clone()}</td>
                    <td><Moment at=job.created_at/></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="recent-title">
            <h2 id="recent-title">"Latest imports"</h2>
            <div class="table-wrap" role="region" aria-label="Latest imports" tabindex="0">
                <table class="data-table">
                    <thead><tr>
                        <th scope="col">"File"</th><th scope="col">"Of"</th><th scope="col">"State"</th>
                        <th scope="col" class="num">"Rows"</th><th scope="col">"Result"</th>
                        <th scope="col">"By"</th><th scope="col">"Uploaded"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

/// `/import/{id}`: the page for where the import stands.
#[component]
pub fn ImportJobPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let job = Resource::new(id, |id| get_import(id.into()));
    view! {
        {loaded("Loading the import…", job, |job: ImportJob| {
            let heading = format!("Import of {}", job.file_name);
            let shown = match job.state {
                JobState::Mapping => view! { <plan::PlanPage job=job/> }.into_any(),
                _ => view! { <progress::JobProgress job=job/> }.into_any(),
            };
            view! {
                <PageHeading text=heading tab="Import"/>
                <p><a href="/import">"All imports"</a></p>
                {shown}
            }
        })}
    }
    .into_any()
}
