//! Before an import starts: how the file is read, what each column fills (with the
//! first values under it), what to do with duplicates, whom rows go to, what each
//! status value means; then the preview of the whole file, and Start.

use super::super::api::UseMapping;
use super::super::api::{saved_mappings, DiscardImport, ForgetMapping, PreviewImport, StartImport};
use super::super::job::{FileReading, ImportJob, JobPlan, Preview, SavedMapping};
use super::super::mapping::{propose, Target};
use super::super::{ImportKind, OnDuplicate};
use crate::components::use_viewer;
use crate::components::{action_error, load_team, ChoiceOptions, FormError, Submit, TeamSelect};
use crate::leads::LeadStatus;
use leptos::prelude::*;
use strum::VariantArray;

/// Encodings offered besides the one the file was read in.
const ENCODINGS: [&str; 8] = [
    "UTF-8",
    "UTF-16LE",
    "UTF-16BE",
    "windows-1252",
    "ISO-8859-2",
    "windows-1251",
    "Shift_JIS",
    "GBK",
];
/// Delimiters offered: the character and its name.
const DELIMITERS: [(&str, &str); 4] =
    [(",", "Comma ( , )"), (";", "Semicolon ( ; )"), ("\t", "Tab"), ("|", "Vertical bar ( | )")];

#[component]
pub fn PlanPage(job: ImportJob) -> impl IntoView {
    let preview = ServerAction::<PreviewImport>::new();
    let error = action_error(preview.value());
    let ImportJob { id, kind, reading, head, plan, .. } = job.clone();
    let id = id.to_string();
    let preview_panel = job
        .preview
        .clone()
        .map(|preview| view! { <PreviewPanel job=job.clone() preview=preview/> });
    let targets =
        plan.as_ref().map_or_else(|| propose(kind, &head.headers), |p| p.mapping.targets.clone());
    let on_duplicate = plan.as_ref().map_or(OnDuplicate::Skip, |p| p.on_duplicate);
    let match_phone = plan.as_ref().is_some_and(|p| p.match_phone);
    let columns = head
        .headers
        .iter()
        .zip(&targets)
        .enumerate()
        .map(|(i, (header, target))| {
            let select = format!("column-{i}");
            let samples = head.samples(i).join(" · ");
            let options = Target::VARIANTS
                .iter()
                .filter(|t| t.fits(kind))
                .map(|t| view! { <option value=t.as_str() selected=t == target>{t.label()}</option> })
                .collect_view();
            view! {
                <tr>
                    <th scope="row"><label for=select.clone()>{header.clone()}</label></th>
                    <td class="muted">{samples}</td>
                    <td><select id=select name=format!("form[targets][{i}]") class="field-input">{options}</select></td>
                </tr>
            }
        })
        .collect_view();
    let summary = format!("{} · {} rows · {}", reading.format, job.rows_total, size(job.file_size));
    let reused = (job.plan.is_some() && job.preview.is_none()).then(|| {
        view! {
            <div class="notice" role="status">
                "The columns are mapped as you mapped them before (your last file with the same columns, or a saved mapping). Check them, then preview."
            </div>
        }
    });
    view! {
        <p class="muted">{summary}</p>
        {reused}
        <SavedMappings id=id.clone() kind=kind/>
        <FormError error=error about=&["save_as"]/>
        <ActionForm action=preview attr:class="form-stack" attr:novalidate=true>
            <input type="hidden" name="form[id]" value=id.clone()/>
            <ReadingFields reading=reading/>
            <section class="panel" aria-labelledby="columns-title">
                <h2 id="columns-title">"Columns"</h2>
                <p class="muted">"Each column of the file and the field it fills. Several columns can go to the notes; columns set to skip are left out."</p>
                <div class="table-wrap" role="region" aria-label="The file's columns" tabindex="0">
                    <table class="data-table">
                        <thead><tr><th scope="col">"Column"</th><th scope="col">"First values"</th><th scope="col">"Goes to"</th></tr></thead>
                        <tbody>{columns}</tbody>
                    </table>
                </div>
            </section>
            <section class="panel" aria-labelledby="rules-title">
                <h2 id="rules-title">"Rules"</h2>
                <div class="field">
                    <label for="field-on_duplicate" class="field-label">"When a row's email is already a lead's or a customer's, or an earlier row's"</label>
                    <select id="field-on_duplicate" name="form[on_duplicate]" class="field-input">
                        <ChoiceOptions selected=on_duplicate/>
                    </select>
                    <p class="muted">"Only a record of the kind imported is updated; a row matching the other kind is skipped."</p>
                </div>
                <label class="check">
                    <input type="checkbox" name="form[match_phone]" value="on" checked=match_phone/>
                    "Match by phone number too (its digits alone: +1 (555) 010-0100 is 15550100100)"
                </label>
                <AssigneeField plan=plan.clone()/>
                <StatusFields kind=kind plan=plan.clone() preview=job.preview.clone()/>
            </section>
            <div class="field">
                <label for="field-save_as" class="field-label">"Save this mapping as (optional)"</label>
                <input id="field-save_as" name="form[save_as]" class="field-input" maxlength="100"
                    aria-describedby="field-save_as-hint"/>
                <p id="field-save_as-hint" class="muted">"A name such as “Exports from our old CRM”: your next file of this kind can use it."</p>
            </div>
            <div class="actions">
                <Submit pending=preview.pending() class="btn btn-primary">"Preview"</Submit>
            </div>
        </ActionForm>
        {preview_panel}
        <DiscardForm id=job.id.to_string()/>
    }
    .into_any()
}

fn size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    }
}

/// How the file is read: its encoding and delimiter, or its sheet.
#[component]
fn ReadingFields(reading: FileReading) -> impl IntoView {
    if !reading.sheets.is_empty() {
        let sheets = reading
            .sheets
            .iter()
            .map(|s| view! { <option value=s.clone() selected=*s == reading.sheet>{s.clone()}</option> })
            .collect_view();
        return view! {
            <div class="field">
                <label for="field-sheet" class="field-label">"Sheet"</label>
                <select id="field-sheet" name="form[sheet]" class="field-input">{sheets}</select>
            </div>
        }
        .into_any();
    }
    let mut encodings: Vec<&str> = ENCODINGS.to_vec();
    if !encodings.contains(&reading.encoding.as_str()) {
        encodings.insert(0, &reading.encoding);
    }
    let encodings = encodings
        .into_iter()
        .map(|e| view! { <option value=e selected=e == reading.encoding>{e.to_owned()}</option> })
        .collect_view();
    let delimiters = DELIMITERS
        .iter()
        .map(|(d, label)| view! { <option value=*d selected=*d == reading.delimiter>{*label}</option> })
        .collect_view();
    view! {
        <div class="field-row">
            <div class="field">
                <label for="field-encoding" class="field-label">"Text encoding"</label>
                <select id="field-encoding" name="form[encoding]" class="field-input" aria-describedby="field-encoding-hint">{encodings}</select>
                <p id="field-encoding-hint" class="muted">"If accents look wrong in the first values, choose another and preview again."</p>
            </div>
            <div class="field">
                <label for="field-delimiter" class="field-label">"Separator"</label>
                <select id="field-delimiter" name="form[delimiter]" class="field-input">{delimiters}</select>
            </div>
        </div>
    }
    .into_any()
}

/// An admin's default assignee: whom rows go to that name nobody on the team.
#[component]
fn AssigneeField(plan: Option<JobPlan>) -> impl IntoView {
    let viewer = use_viewer();
    if !viewer.as_ref().is_some_and(|v| v.is_admin()) {
        return view! { <p class="muted">"Every row will be assigned to you."</p> }.into_any();
    }
    let selected = plan.map(|p| p.default_assignee).or(viewer.map(|v| v.id));
    view! {
        <TeamSelect team=load_team() id="field-assignee" name="form[assignee]"
            label="Rows that name nobody on the team go to" selected=selected/>
    }
    .into_any()
}

/// A lead status for each value of the file's status column, once the preview found them.
#[component]
fn StatusFields(
    kind: ImportKind,
    plan: Option<JobPlan>,
    preview: Option<Preview>,
) -> impl IntoView {
    if kind != ImportKind::Leads {
        return ().into_any();
    }
    let other = plan.as_ref().map_or(LeadStatus::New, |p| p.mapping.other_status);
    let mapped = plan.map(|p| p.mapping.statuses).unwrap_or_default();
    let unmapped = preview.map(|p| p.unmapped_statuses).unwrap_or_default();
    let values = mapped
        .into_iter()
        .map(|(value, status)| (value, Some(status)))
        .chain(unmapped.into_iter().map(|value| (value, None)))
        .enumerate()
        .map(|(i, (value, status))| {
            let select = format!("status-{i}");
            let options = LeadStatus::VARIANTS
                .iter()
                .map(|s| view! { <option value=s.as_str() selected=Some(*s) == status>{s.label()}</option> })
                .collect_view();
            view! {
                <div class="field">
                    <input type="hidden" name=format!("form[status_values][{i}]") value=value.clone()/>
                    <label for=select.clone() class="field-label">{format!("Status “{value}” becomes")}</label>
                    <select id=select name=format!("form[statuses][{i}]") class="field-input">
                        <option value="" selected=status.is_none()>"The status for other values"</option>
                        {options}
                    </select>
                </div>
            }
        })
        .collect_view();
    view! {
        {values}
        <div class="field">
            <label for="field-other_status" class="field-label">"Status for other values, and rows without one"</label>
            <select id="field-other_status" name="form[other_status]" class="field-input">
                <ChoiceOptions selected=other/>
            </select>
        </div>
    }
    .into_any()
}

/// What the whole file would do, the first rows as they would be stored, and Start.
#[component]
fn PreviewPanel(job: ImportJob, preview: Preview) -> impl IntoView {
    let start = ServerAction::<StartImport>::new();
    let error = action_error(start.value());
    let on_duplicate = job.plan.as_ref().map_or(OnDuplicate::Skip, |p| p.on_duplicate);
    let duplicates = match on_duplicate {
        OnDuplicate::Skip => format!("{} duplicates would be skipped", preview.duplicates),
        OnDuplicate::Update => format!(
            "{} duplicates would update their record (or be skipped when nothing differs)",
            preview.duplicates
        ),
        OnDuplicate::Create => format!("{} duplicates", preview.duplicates),
    };
    let detail = match job.kind {
        ImportKind::Leads => "Status",
        ImportKind::Customers => "Tags",
    };
    let rows = preview
        .rows
        .iter()
        .map(|row| {
            view! {
                <tr>
                    <td>{row.name.clone()}</td><td>{row.email.clone()}</td><td>{row.phone.clone()}</td>
                    <td>{row.company.clone()}</td><td>{row.detail.clone()}</td><td>{row.assignee.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let problems = preview
        .problems
        .iter()
        .map(|p| view! { <li>{format!("Row {}: {}", p.row, p.reason)}</li> })
        .collect_view();
    let more = preview.rejects.saturating_sub(preview.problems.len() as u64);
    view! {
        <section class="panel" id="preview" aria-labelledby="preview-title">
            <h2 id="preview-title">"Preview"</h2>
            <ul class="counts" role="status">
                <li>{format!("{} new records would be created", preview.new_rows)}</li>
                <li>{duplicates}</li>
                <li>{format!("{} rows would be rejected", preview.rejects)}</li>
            </ul>
            <div class="table-wrap" role="region" aria-label="The first rows as they would be stored" tabindex="0">
                <table class="data-table">
                    <caption>"The first rows as they would be stored"</caption>
                    <thead><tr>
                        <th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Phone"</th>
                        <th scope="col">"Company"</th><th scope="col">{detail}</th><th scope="col">"Assigned to"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <Show when=move || !preview.problems.is_empty()>
                <h3>"Problems"</h3>
            </Show>
            <ul class="problems">{problems}</ul>
            <Show when=move || { more > 0 }>
                <p class="muted">{format!("…and {more} more; every rejected row can be downloaded with its reason after the import.")}</p>
            </Show>
            <FormError error=error/>
            <ActionForm action=start attr:class="actions">
                <input type="hidden" name="id" value=job.id.to_string()/>
                <Submit pending=start.pending() class="btn btn-primary">{format!("Import {} rows", job.rows_total)}</Submit>
            </ActionForm>
            <p class="muted">"Changed a column or a rule above? Preview again before importing."</p>
        </section>
    }
    .into_any()
}

/// The viewer's saved mappings for this kind of file, each to use or forget.
#[component]
fn SavedMappings(id: String, kind: ImportKind) -> impl IntoView {
    let saved = Resource::new(move || kind, saved_mappings);
    let use_it = ServerAction::<UseMapping>::new();
    let forget = ServerAction::<ForgetMapping>::new();
    let use_error = action_error(use_it.value());
    let forget_error = action_error(forget.value());
    let error = Signal::derive(move || use_error.get().or(forget_error.get()));
    let rows = move |mappings: Vec<SavedMapping>| {
        let rows = mappings
            .into_iter()
            .map(|m| {
                let columns = format!("{} columns", m.columns);
                let (use_id, use_mapping) = (id.clone(), m.id.to_string());
                let (forget_id, forget_mapping) = (id.clone(), m.id.to_string());
                let (use_name, forget_name) = (format!(" {}", m.name), format!(" {}", m.name));
                view! {
                    <tr>
                        <th scope="row">{m.name.clone()}</th>
                        <td class="muted">{columns}</td>
                        <td>
                            <div class="actions">
                                <ActionForm action=use_it>
                                    <input type="hidden" name="id" value=use_id/>
                                    <input type="hidden" name="mapping" value=use_mapping/>
                                    <Submit pending=use_it.pending() class="btn">
                                        "Use" <span class="sr-only">{use_name}</span>
                                    </Submit>
                                </ActionForm>
                                <ActionForm action=forget>
                                    <input type="hidden" name="id" value=forget_id/>
                                    <input type="hidden" name="mapping" value=forget_mapping/>
                                    <Submit pending=forget.pending() class="btn">
                                        "Forget" <span class="sr-only">{forget_name}</span>
                                    </Submit>
                                </ActionForm>
                            </div>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <section class="panel" aria-labelledby="saved-title">
                <h2 id="saved-title">"Saved mappings"</h2>
                <FormError error=error/>
                <p class="muted">"Use one to map these columns as it maps columns of the same names."</p>
                <div class="table-wrap" role="region" aria-label="Saved mappings" tabindex="0">
                    <table class="data-table">
                        <thead><tr><th scope="col">"Name"</th><th scope="col">"Made for"</th><th scope="col">"Actions"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </section>
        }
    };
    view! {
        <Suspense fallback=|| ()>
            {move || saved.get().and_then(Result::ok).filter(|m| !m.is_empty()).map(rows.clone())}
        </Suspense>
    }
}

#[component]
fn DiscardForm(id: String) -> impl IntoView {
    let discard = ServerAction::<DiscardImport>::new();
    let error = action_error(discard.value());
    view! {
        <FormError error=error/>
        <ActionForm action=discard attr:class="actions">
            <input type="hidden" name="id" value=id/>
            <Submit pending=discard.pending() class="btn">"Discard this file"</Submit>
        </ActionForm>
    }
    .into_any()
}
