//! `/lead-forms` (admins): the web-to-lead forms and a form to add one;
//! `/lead-forms/:id`: one form with the HTML snippet to paste on a website, on/off
//! and removal. Works without JavaScript.

use super::api::{get_lead_form, list_lead_forms, CreateLeadForm, DeleteLeadForm, EnableLeadForm};
use super::{FormField, WebForm, WebFormDetail, HONEYPOT};
use crate::components::{action_error, data_table, format_time, load_team, loaded, Column};
use crate::components::{Field, FormError, FormPanel, IdButton, Notice, PageHeading, Submit};
use crate::ids::WebFormId;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use strum::VariantArray;

#[component]
pub fn LeadFormsPage() -> impl IntoView {
    let create = ServerAction::<CreateLeadForm>::new();
    let forms = Resource::new(move || create.version().get(), |_| list_lead_forms());
    let team = load_team();
    let error = action_error(create.value());
    let query = use_query_map();
    let deleted = move || query.read().get("deleted").is_some();
    view! {
        <PageHeading text="Web forms"/>
        <p class="muted">"A web form turns what visitors send from your website into leads, given to one agent or to several in turn. Paste its snippet into any page."</p>
        <Notice when=deleted>"The form was removed: its snippet no longer takes posts."</Notice>
        {loaded("Loading forms…", forms, |forms| form_table(forms).into_any())}
        <FormPanel id="new-form" title="New web form" action=create error=error>
            <Field name="name" label="Name (such as “Contact us”)" required=true error=error/>
            <fieldset class="field">
                <legend class="field-label">"Fields it asks for (the name always)"</legend>
                <FormError error=error about=&["fields"]/>
                <div class="checks">
                    {FormField::VARIANTS.iter().enumerate().filter(|(_, f)| **f != FormField::Name).map(|(i, field)| view! {
                        <label class="check">
                            <input type="checkbox" name=format!("fields[{i}]") value=field.as_str() checked=*field == FormField::Email/>
                            " "{field.label()}
                        </label>
                    }).collect_view()}
                </div>
            </fieldset>
            <fieldset class="field">
                <legend class="field-label">"Who gets its leads (several: each in turn)"</legend>
                <FormError error=error about=&["assignees"]/>
                {loaded("Loading the team…", team, |members| view! {
                    <div class="checks">
                        {members.into_iter().enumerate().map(|(i, member)| view! {
                            <label class="check">
                                <input type="checkbox" name=format!("assignees[{i}]") value=member.id.to_string()/>
                                " "{member.name}
                            </label>
                        }).collect_view()}
                    </div>
                }.into_any())}
            </fieldset>
            <Field name="redirect_url" label="Thank-you page (optional, https://…)" kind="url" error=error/>
            <div class="actions"><Submit pending=create.pending()>"Add form"</Submit></div>
        </FormPanel>
    }
}

fn form_table(forms: Vec<WebForm>) -> impl IntoView {
    if forms.is_empty() {
        return view! { <p class="muted">"No web forms yet — add one below."</p> }.into_any();
    }
    let columns: Vec<Column> =
        ["Name", "Fields", "Leads go to", "Leads", "State"].map(Column::new).into();
    let rows = forms
        .into_iter()
        .map(|form| {
            view! {
                <tr>
                    <td><a href=format!("/lead-forms/{}", form.id)>{form.name.clone()}</a></td>
                    <td>{fields_of(&form)}</td>
                    <td>{assignees_of(&form)}</td>
                    <td>{form.leads}</td>
                    <td>{if form.enabled { "Taking posts" } else { "Off" }}</td>
                </tr>
            }
        })
        .collect_view();
    data_table("lead-forms", "Web forms", columns, rows).into_any()
}

fn fields_of(form: &WebForm) -> String {
    form.fields.iter().map(|f| f.label()).collect::<Vec<_>>().join(", ")
}

fn assignees_of(form: &WebForm) -> String {
    form.assignees.iter().map(|(_, name)| name.as_str()).collect::<Vec<_>>().join(", ")
}

#[component]
pub fn LeadFormPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || WebFormId::from(params.read().get("id").unwrap_or_default());
    let enable = ServerAction::<EnableLeadForm>::new();
    let delete = ServerAction::<DeleteLeadForm>::new();
    let detail = Resource::new(move || (id(), enable.version().get()), |(id, _)| get_lead_form(id));
    let errors = [enable.value(), delete.value()].map(action_error);
    let query = use_query_map();
    let created = move || query.read().get("created").is_some();
    view! {
        <PageHeading text="Web form"/>
        <Notice when=created>"The form is ready: paste the snippet below into your website."</Notice>
        {errors.map(|error| view! { <FormError error=error/> })}
        {loaded("Loading the form…", detail, move |detail| view! {
            <FormView detail=detail enable=enable delete=delete/>
        }.into_any())}
        <p><a href="/lead-forms">"All web forms"</a></p>
    }
}

#[component]
fn FormView(
    detail: WebFormDetail,
    enable: ServerAction<EnableLeadForm>,
    delete: ServerAction<DeleteLeadForm>,
) -> impl IntoView {
    let WebFormDetail { form, post_url } = detail;
    let id = form.id.to_string();
    let delete_id = id.clone();
    let turn = if form.enabled { "Stop taking posts" } else { "Take posts again" };
    view! {
        <section class="panel" aria-labelledby="form-title">
            <h2 id="form-title">{form.name.clone()}</h2>
            <dl class="facts">
                <dt>"State"</dt><dd>{if form.enabled { "Taking posts" } else { "Off" }}</dd>
                <dt>"Fields"</dt><dd>{fields_of(&form)}</dd>
                <dt>"Leads go to"</dt><dd>{assignees_of(&form)}</dd>
                <dt>"Thank-you page"</dt><dd>{form.redirect_url.clone().unwrap_or_else(|| "Kith's own".to_owned())}</dd>
                <dt>"Leads so far"</dt><dd>{form.leads}</dd>
                <dt>"Added"</dt><dd>{format_time(form.created_at)}</dd>
            </dl>
            <h3>"Snippet"</h3>
            <p class="muted">"Posts go to "<code id="form-post-url">{post_url.clone()}</code>" — as this HTML form, or as JSON from your own script."</p>
            <pre class="snippet"><code id="form-snippet">{snippet(&form, &post_url)}</code></pre>
            <div class="actions">
                <ActionForm action=enable>
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="enabled" value=(!form.enabled).to_string()/>
                    <Submit pending=enable.pending() class="btn">{turn}</Submit>
                </ActionForm>
                <IdButton action=delete id=delete_id class="btn btn-danger">"Remove"</IdButton>
            </div>
        </section>
    }
}

/// The HTML to paste: a field for each the form takes, and the hidden honeypot.
fn snippet(form: &WebForm, post_url: &str) -> String {
    let fields: String = form
        .fields
        .iter()
        .map(|field| {
            let input = match field {
                FormField::Message => {
                    "<textarea name=\"message\" rows=\"4\"></textarea>".to_owned()
                }
                FormField::Email => "<input type=\"email\" name=\"email\">".to_owned(),
                FormField::Phone => "<input type=\"tel\" name=\"phone\">".to_owned(),
                FormField::Name => "<input name=\"name\" required>".to_owned(),
                FormField::Company => "<input name=\"company\">".to_owned(),
            };
            format!("  <label>{} {input}</label>\n", field.label())
        })
        .collect();
    format!(
        "<form action=\"{post_url}\" method=\"post\">\n{fields}  \
         <input name=\"{HONEYPOT}\" tabindex=\"-1\" autocomplete=\"off\" style=\"position:absolute;left:-9999px\" aria-hidden=\"true\">\n  \
         <button type=\"submit\">Send</button>\n</form>"
    )
}
