//! `/webhooks` (admins): the endpoints and a form to add one; `/webhooks/:id`: one
//! endpoint with its signing secret, on/off, a test event, and its delivery log
//! with "Send again". Works without JavaScript.

use super::api::{
    get_webhook, list_webhooks, CreateWebhook, DeleteWebhook, EnableWebhook, Redeliver, TestWebhook,
};
use super::{Delivery, Endpoint, EndpointDetail};
use crate::components::{action_error, data_table, format_time, loaded, Column};
use crate::components::{Field, FormError, FormPanel, IdButton, Notice, PageHeading, Submit};
use crate::ids::WebhookId;
use crate::outbox::WebhookEvent;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let create = ServerAction::<CreateWebhook>::new();
    let endpoints = Resource::new(move || create.version().get(), |_| list_webhooks());
    let error = action_error(create.value());
    let query = use_query_map();
    let deleted = move || query.read().get("deleted").is_some();
    view! {
        <PageHeading text="Webhooks"/>
        <p class="muted">"Kith posts the events you choose to each endpoint as they happen, signed as "<a href="https://www.standardwebhooks.com/">"Standard Webhooks"</a>" prescribes, and retries for more than a day when the endpoint fails."</p>
        <Notice when=deleted>"The endpoint was removed."</Notice>
        {loaded("Loading endpoints…", endpoints, |endpoints| endpoint_table(endpoints).into_any())}
        <FormPanel id="new-endpoint" title="New endpoint" action=create error=error>
            <Field name="url" label="URL (https://…)" kind="url" required=true error=error/>
            <Field name="description" label="What it is for (optional)" error=error/>
            <fieldset class="field">
                <legend class="field-label">"Events to send"</legend>
                <FormError error=error about=&["events"]/>
                <div class="checks">
                    {WebhookEvent::subscribable().enumerate().map(|(i, event)| view! {
                        <label class="check">
                            <input type="checkbox" name=format!("events[{i}]") value=event.as_str()/>
                            " "<code>{event.as_str()}</code>
                        </label>
                    }).collect_view()}
                </div>
            </fieldset>
            <div class="actions"><Submit pending=create.pending()>"Add endpoint"</Submit></div>
        </FormPanel>
    }
}

fn endpoint_table(endpoints: Vec<Endpoint>) -> impl IntoView {
    if endpoints.is_empty() {
        return view! { <p class="muted">"No endpoints yet — add one below."</p> }.into_any();
    }
    let columns: Vec<Column> = ["URL", "Events", "State", "Waiting"].map(Column::new).into();
    let rows = endpoints
        .into_iter()
        .map(|endpoint| {
            let state = standing(&endpoint);
            view! {
                <tr>
                    <td><a href=format!("/webhooks/{}", endpoint.id)>{endpoint.url.clone()}</a>
                        <div class="muted">{endpoint.description.clone()}</div></td>
                    <td>{endpoint.events.join(", ")}</td>
                    <td>{state}</td>
                    <td>{endpoint.pending}</td>
                </tr>
            }
        })
        .collect_view();
    data_table("webhooks", "Webhook endpoints", columns, rows).into_any()
}

/// "Sending", "Failing since …", "Off".
fn standing(endpoint: &Endpoint) -> String {
    match (endpoint.enabled, endpoint.failing_since) {
        (false, _) => "Off".to_owned(),
        (true, Some(since)) => format!("Failing since {}", format_time(since)),
        (true, None) => "Sending".to_owned(),
    }
}

#[component]
pub fn WebhookPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || WebhookId::from(params.read().get("id").unwrap_or_default());
    let enable = ServerAction::<EnableWebhook>::new();
    let test = ServerAction::<TestWebhook>::new();
    let redeliver = ServerAction::<Redeliver>::new();
    let delete = ServerAction::<DeleteWebhook>::new();
    let versions =
        move || enable.version().get() + test.version().get() + redeliver.version().get();
    let detail = Resource::new(move || (id(), versions()), |(id, _)| get_webhook(id));
    let errors =
        [enable.value(), test.value(), redeliver.value(), delete.value()].map(action_error);
    let query = use_query_map();
    let said = move |key: &'static str| move || query.read().get(key).is_some();
    view! {
        <PageHeading text="Webhook endpoint"/>
        <Notice when=said("created")>"The endpoint was added. Verify each request's signature with the secret below."</Notice>
        <Notice when=said("tested")>"A test event is on its way: its delivery shows below."</Notice>
        <Notice when=said("redelivered")>"The delivery will be sent again in a moment."</Notice>
        {errors.map(|error| view! { <FormError error=error/> })}
        {loaded("Loading the endpoint…", detail, move |detail| view! {
            <EndpointView detail=detail enable=enable test=test redeliver=redeliver delete=delete/>
        }.into_any())}
        <p><a href="/webhooks">"All endpoints"</a></p>
    }
}

#[component]
fn EndpointView(
    detail: EndpointDetail,
    enable: ServerAction<EnableWebhook>,
    test: ServerAction<TestWebhook>,
    redeliver: ServerAction<Redeliver>,
    delete: ServerAction<DeleteWebhook>,
) -> impl IntoView {
    let EndpointDetail { endpoint, secret, deliveries } = detail;
    let id = endpoint.id.to_string();
    let (test_id, delete_id) = (id.clone(), id.clone());
    let turn = if endpoint.enabled { "Turn off" } else { "Turn on" };
    view! {
        <section class="panel" aria-labelledby="endpoint-title">
            <h2 id="endpoint-title">{endpoint.url.clone()}</h2>
            <p class="muted">{endpoint.description.clone()}</p>
            {endpoint.disabled_reason.clone().map(|reason| view! { <p class="form-error" role="alert">{reason}</p> })}
            <dl class="facts">
                <dt>"State"</dt><dd>{standing(&endpoint)}</dd>
                <dt>"Events"</dt><dd>{endpoint.events.join(", ")}</dd>
                <dt>"Added"</dt><dd>{format_time(endpoint.created_at)}</dd>
            </dl>
            <details>
                <summary>"Signing secret"</summary>
                <p class="secret" id="webhook-secret">{secret}</p>
            </details>
            <div class="actions">
                <ActionForm action=enable>
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="enabled" value=(!endpoint.enabled).to_string()/>
                    <Submit pending=enable.pending() class="btn">{turn}</Submit>
                </ActionForm>
                <IdButton action=test id=test_id class="btn">"Send a test event"</IdButton>
                <IdButton action=delete id=delete_id class="btn btn-danger">"Remove"</IdButton>
            </div>
        </section>
        <section class="panel" aria-labelledby="log-title">
            <h2 id="log-title">"Deliveries"</h2>
            {delivery_log(deliveries, redeliver)}
        </section>
    }
}

fn delivery_log(deliveries: Vec<Delivery>, redeliver: ServerAction<Redeliver>) -> impl IntoView {
    if deliveries.is_empty() {
        return view! { <p class="muted">"Nothing sent yet."</p> }.into_any();
    }
    let mut columns: Vec<Column> =
        ["Event", "Queued", "State", "Attempts", "Answer", "Took"].map(Column::new).into();
    columns.push(Column::quiet("Action"));
    let rows = deliveries
        .into_iter()
        .map(|delivery| {
            let answer = match (delivery.last_status, delivery.last_error.clone()) {
                (_, Some(error)) => error,
                (Some(status), None) => status.to_string(),
                (None, None) => "—".to_owned(),
            };
            let state = match delivery.next_attempt_at {
                Some(at) if delivery.attempts > 0 => format!("Retrying {}", format_time(at)),
                _ => delivery.state.clone(),
            };
            let again = (delivery.state != "pending").then(|| view! {
                <IdButton action=redeliver id=delivery.id.to_string() class="btn btn-quiet">"Send again"</IdButton>
            });
            view! {
                <tr>
                    <td><code>{delivery.event_type.clone()}</code></td>
                    <td>{format_time(delivery.created_at)}</td>
                    <td>{state}</td>
                    <td>{delivery.attempts}</td>
                    <td>{answer}</td>
                    <td>{delivery.last_duration_ms.map(|ms| format!("{ms} ms"))}</td>
                    <td>{again}</td>
                </tr>
            }
        })
        .collect_view();
    data_table("deliveries", "Deliveries to this endpoint, newest first", columns, rows).into_any()
}
