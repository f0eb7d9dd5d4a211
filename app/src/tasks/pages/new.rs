//! The new-task form, pre-linked to a lead or customer with `?lead=` or `?customer=`.

use super::*;

#[component]
pub fn TaskNewPage() -> impl IntoView {
    let query = use_query_map();
    let record = move || {
        query.with(|q| {
            q.get("lead")
                .map(|id| RecordRef::Lead(id.into()))
                .or_else(|| q.get("customer").map(|id| RecordRef::Customer(id.into())))
        })
    };
    let link = Resource::new(record, |record| async move {
        match record {
            Some(r) => task_record(r.kind().to_owned(), r.id().to_owned()).await.map(Some),
            None => Ok(None),
        }
    });
    let create = ServerAction::<CreateTask>::new();
    let error = action_error(create.value());
    let viewer = use_viewer();
    let team = viewer.as_ref().filter(|v| v.is_admin()).map(|_| load_team());
    let me = viewer.map(|v| v.id);
    view! {
        <PageHeading text="New task"/>
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading…"</p> }>
            {move || link.get().map(|result| match result {
                Err(error) => view! { <ErrorPage error=error/> }.into_any(),
                Ok(link) => {
                    let me = me.clone();
                    let cancel = link.as_ref().map_or_else(|| "/tasks".to_owned(), |l| l.record.path());
                    view! {
                        {link.clone().map(|l| view! { <p class="muted">"For " <RelatedLink link=Some(l)/></p> })}
                        <FormError error=error/>
                        <ActionForm action=create attr:class="form-stack form-narrow" attr:novalidate=true>
                            {link.map(|l| view! {
                                <input type="hidden" name="kind" value=l.record.kind()/>
                                <input type="hidden" name="record_id" value=l.record.id().to_owned()/>
                            })}
                            <TaskFields task=None error=error/>
                            {team.map(|team| view! {
                                <TeamSelect team=team id="new-task-assignee" name="assignee" label="Assign to" selected=me.clone()/>
                            })}
                            <div class="actions">
                                <Submit pending=create.pending() class="btn btn-primary">"Create task"</Submit>
                                <a class="btn btn-quiet" href=cancel>"Cancel"</a>
                            </div>
                        </ActionForm>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}
