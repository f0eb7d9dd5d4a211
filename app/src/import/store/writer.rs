//! Writing one batch of an import's rows in the caller's transaction: the batch's
//! emails looked up at once among the viewer's records, each row checked as the forms
//! check it, then new records inserted together with their "created" entries (which
//! name the file), duplicates updated one by one through the areas' own `update`
//! (history old → new) or skipped.

use super::matching::{Found, Matcher, RowKeys};
use super::{Team, Written};
use crate::activity::store::{changes_json, record_all, NewEntry, IMPORTED_FROM};
use crate::activity::{Action, EntityType};
use crate::auth::policy::RecordScope;
use crate::auth::{Checked, Viewer};
use crate::customers::{self, CustomerDraft, CustomerForm, CustomerId};
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::ids::UserId;
use crate::import::job::JobPlan;
use crate::import::rows::Fields;
use crate::import::{ImportKind, OnDuplicate};
use crate::leads::{self, LeadDraft, LeadForm, LeadId};
use sqlx::AnyConnection;

/// Writes the rows of one import, remembering the emails written so a later row
/// with one is a duplicate.
pub struct Writer<'w> {
    pub viewer: &'w Viewer,
    pub kind: ImportKind,
    pub plan: &'w JobPlan,
    pub team: &'w Team,
    /// The file's name, on each created record's history.
    pub file_name: &'w str,
    pub matcher: Matcher,
}

/// A row's record to create.
enum Draft {
    Lead(LeadDraft),
    Customer(CustomerDraft),
}

/// `new` when the row has a value for it, else `old`.
fn or_kept(new: &str, old: &str) -> String {
    if new.is_empty() { old } else { new }.to_owned()
}

impl Writer<'_> {
    /// A row written before (a job taken up again): a later row with its email or
    /// phone is a duplicate.
    pub fn replay(&mut self, fields: &Fields) {
        let keys = self.matcher.keys(fields);
        self.matcher.remember(&keys);
    }

    /// Writes `rows` (each with its number in the file), saying what each did, in order.
    pub async fn batch(
        &mut self,
        conn: &mut AnyConnection,
        rows: &[(i64, Fields)],
    ) -> AppResult<Vec<(i64, Written)>> {
        let keys: Vec<RowKeys> = rows.iter().map(|(_, fields)| self.matcher.keys(fields)).collect();
        let found = self.matcher.look_up(conn, self.viewer, &keys).await?;
        let mut written = Vec::with_capacity(rows.len());
        let mut creates: Vec<(usize, Draft, UserId)> = Vec::new();
        for ((row, fields), keys) in rows.iter().zip(&keys) {
            let duplicate = self.matcher.find(&found, keys);
            let updating = matches!(duplicate, Found::Record(..))
                && self.plan.on_duplicate == OnDuplicate::Update;
            let outcome = match duplicate {
                Found::New => match self.draft(fields) {
                    Ok(draft) => {
                        let assignee = self.team.assignee(
                            self.viewer,
                            fields.assignee.as_deref(),
                            &self.plan.default_assignee,
                        );
                        if self.team.has(&assignee) {
                            creates.push((written.len(), draft, assignee));
                            Written::Skipped
                        } else {
                            Written::Rejected(
                                "assignee: The default assignee is no longer an active member of the team."
                                    .to_owned(),
                            )
                        }
                    }
                    Err(error) => Written::Rejected(error.in_one_line()),
                },
                Found::Record(id, version) if updating => {
                    match self.update(conn, fields, id, version).await {
                        // The store's refusal (the record changed meanwhile) is the row's.
                        Err(
                            error @ (AppError::Invalid(_)
                            | AppError::Conflict(_)
                            | AppError::Stale(_)),
                        ) => Written::Rejected(error.in_one_line()),
                        other => other?,
                    }
                }
                Found::Record(..) | Found::EarlierRow | Found::OtherKind => Written::Skipped,
            };
            // A record is created or updated from one row of the file: its first.
            let remembered = (updating && !matches!(outcome, Written::Rejected(_)))
                || creates.last().is_some_and(|(at, ..)| *at == written.len());
            if remembered {
                self.matcher.remember(keys);
            }
            written.push((*row, outcome));
        }
        let ids = self.create(conn, &creates).await?;
        for ((at, ..), id) in creates.iter().zip(ids) {
            written[*at].1 = Written::Created(id);
        }
        Ok(written)
    }

    fn draft(&self, fields: &Fields) -> AppResult<Draft> {
        Ok(match self.kind {
            ImportKind::Leads => Draft::Lead(self.plan.mapping.lead(fields)?),
            ImportKind::Customers => Draft::Customer(self.plan.mapping.customer(fields)?),
        })
    }

    /// Inserts the new records together, each logged as created from the file.
    async fn create(
        &self,
        conn: &mut AnyConnection,
        creates: &[(usize, Draft, UserId)],
    ) -> AppResult<Vec<String>> {
        let now = now_ms();
        let (ids, names, entity_type): (Vec<String>, Vec<&str>, _) = match self.kind {
            ImportKind::Leads => {
                let leads: Vec<leads::store::ImportedLead> = creates
                    .iter()
                    .filter_map(|(_, draft, assignee)| match draft {
                        Draft::Lead(draft) => Some(leads::store::ImportedLead {
                            draft: draft.clone(),
                            assignee_id: assignee.to_string(),
                            created_at: now,
                        }),
                        Draft::Customer(_) => None,
                    })
                    .collect();
                let ids = leads::store::insert_many(conn, &leads).await?;
                let names = creates.iter().map(|(_, d, _)| name_of(d)).collect();
                (ids.into_iter().map(LeadId::into_string).collect(), names, EntityType::Lead)
            }
            ImportKind::Customers => {
                let customers: Vec<customers::store::ImportedCustomer> = creates
                    .iter()
                    .filter_map(|(_, draft, owner)| match draft {
                        Draft::Customer(draft) => Some(customers::store::ImportedCustomer {
                            draft: draft.clone(),
                            owner_id: owner.to_string(),
                            created_at: now,
                        }),
                        Draft::Lead(_) => None,
                    })
                    .collect();
                let ids = customers::store::insert_many(conn, &customers).await?;
                let names = creates.iter().map(|(_, d, _)| name_of(d)).collect();
                (
                    ids.into_iter().map(CustomerId::into_string).collect(),
                    names,
                    EntityType::Customer,
                )
            }
        };
        let origin = changes_json(&[(IMPORTED_FROM, "", self.file_name)]);
        let entries: Vec<NewEntry<'_>> = ids
            .iter()
            .zip(names)
            .map(|(id, name)| {
                NewEntry::by(self.viewer, Action::Create, (entity_type, id), name)
                    .changes(origin.clone())
            })
            .collect();
        record_all(conn, &entries).await?;
        Ok(ids)
    }

    /// Fills a duplicate's fields from the row's mapped, non-empty values.
    async fn update(
        &self,
        conn: &mut AnyConnection,
        fields: &Fields,
        id: String,
        version: i64,
    ) -> AppResult<Written> {
        let scope = RecordScope::of(self.viewer);
        match self.kind {
            ImportKind::Leads => {
                let id = LeadId::from(id);
                let old = leads::store::get(conn, &scope, &id).await?;
                let status = match fields.status {
                    Some(_) => self.plan.mapping.status_of(fields.status.as_deref()),
                    None => old.status,
                };
                let previous = LeadForm {
                    name: old.name.clone(),
                    email: old.email.clone(),
                    phone: old.phone.clone(),
                    company: old.company.clone(),
                    source: old.source.clone(),
                    status: old.status.as_str().to_owned(),
                    notes: old.notes.clone(),
                };
                let form = LeadForm {
                    name: or_kept(&fields.name, &old.name),
                    email: or_kept(&fields.email, &old.email),
                    phone: or_kept(&fields.phone, &old.phone),
                    company: or_kept(&fields.company, &old.company),
                    source: or_kept(&fields.source, &old.source),
                    status: status.as_str().to_owned(),
                    notes: or_kept(&fields.notes, &old.notes),
                };
                let merged = match LeadDraft::checked(&form) {
                    Ok(merged) => merged,
                    Err(error) => return Ok(Written::Rejected(error.in_one_line())),
                };
                let changed = leads::store::update_imported(
                    conn,
                    self.viewer,
                    (&id, version),
                    &merged,
                    Some(self.file_name),
                )
                .await?;
                Ok(Written::updated(changed, id.into_string(), version, &previous))
            }
            ImportKind::Customers => {
                let id = CustomerId::from(id);
                let old = customers::store::get(conn, &scope, &id).await?;
                let previous = CustomerForm {
                    name: old.name.clone(),
                    email: old.email.clone(),
                    phone: old.phone.clone(),
                    company: old.company.clone(),
                    tags: old.tags.join(", "),
                };
                let form = CustomerForm {
                    name: or_kept(&fields.name, &old.name),
                    email: or_kept(&fields.email, &old.email),
                    phone: or_kept(&fields.phone, &old.phone),
                    company: or_kept(&fields.company, &old.company),
                    tags: or_kept(&fields.tags, &previous.tags),
                };
                let merged = match CustomerDraft::checked(&form) {
                    Ok(merged) => merged,
                    Err(error) => return Ok(Written::Rejected(error.in_one_line())),
                };
                let changed = customers::store::update_imported(
                    conn,
                    self.viewer,
                    (&id, version),
                    &merged,
                    Some(self.file_name),
                )
                .await?;
                Ok(Written::updated(changed, id.into_string(), version, &previous))
            }
        }
    }
}

fn name_of(draft: &Draft) -> &str {
    match draft {
        Draft::Lead(draft) => &draft.name,
        Draft::Customer(draft) => &draft.name,
    }
}

impl Written {
    /// A duplicate updated from its row (its version moves on by one); one that
    /// already read as the row says is skipped.
    fn updated(changed: bool, id: String, version: i64, previous: &impl serde::Serialize) -> Self {
        if !changed {
            return Self::Skipped;
        }
        let previous = serde_json::to_string(previous).unwrap_or_default();
        Self::Updated { id, version: version + 1, previous }
    }
}
