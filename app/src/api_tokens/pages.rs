//! `/profile/tokens`: a person's API tokens — make one (shown once), see when and
//! from where each was last used, revoke one; an admin also sees everyone's. Works
//! without JavaScript.

use super::api::{my_tokens, CreateToken, RevokeToken};
use super::{ApiToken, TokenScope, TokensOverview};
use crate::components::{action_error, data_table, format_time, loaded, Column};
use crate::components::{ChoiceOptions, Field, FormError, FormPanel, IdButton, Notice};
use crate::components::{PageHeading, Submit};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn TokensPage() -> impl IntoView {
    let create = ServerAction::<CreateToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let overview =
        Resource::new(move || create.version().get() + revoke.version().get(), |_| my_tokens());
    let create_error = action_error(create.value());
    let revoke_error = action_error(revoke.value());
    let query = use_query_map();
    let revoked = move || query.read().get("revoked").is_some();
    view! {
        <PageHeading text="API tokens"/>
        <p class="muted">"A token lets a program use Kith's REST API as you, with your rights: send it as "<code>"Authorization: Bearer kith_…"</code>". Treat it like a password."</p>
        <Notice when=revoked>"The token was revoked: programs using it are refused from now on."</Notice>
        <FormError error=revoke_error/>
        {loaded("Loading tokens…", overview, move |overview| view! {
            <TokenLists overview=overview revoke=revoke/>
        }.into_any())}
        <FormPanel id="new-token" title="New token" action=create error=create_error>
            <Field name="name" label="Name (what uses it, such as “Website sync”)" required=true error=create_error/>
            <div class="field">
                <label for="field-scope" class="field-label">"It may"</label>
                <select id="field-scope" name="scope" class="field-input">
                    <ChoiceOptions selected=TokenScope::Read/>
                </select>
            </div>
            <div class="field">
                <label for="field-expires_days" class="field-label">"Expires"</label>
                <select id="field-expires_days" name="expires_days" class="field-input">
                    <option value="30">"In 30 days"</option>
                    <option value="90" selected=true>"In 90 days"</option>
                    <option value="365">"In a year"</option>
                    <option value="never">"Never"</option>
                </select>
            </div>
            <div class="actions"><Submit pending=create.pending() class="btn btn-primary">"Make token"</Submit></div>
        </FormPanel>
        <p><a href="/profile">"Back to your profile"</a></p>
    }
}

#[component]
fn TokenLists(overview: TokensOverview, revoke: ServerAction<RevokeToken>) -> impl IntoView {
    let fresh = overview.fresh.map(|token| {
        view! {
            <section class="panel" aria-labelledby="fresh-title">
                <h2 id="fresh-title">"Your new token"</h2>
                <p>"Copy it now: Kith keeps only a fingerprint of it and cannot show it again."</p>
                <p class="secret" id="new-token">{token}</p>
            </section>
        }
    });
    let now = overview.now;
    let everyone = overview.everyone.map(|tokens| view! {
        <section class="panel" aria-labelledby="everyone-title">
            <h2 id="everyone-title">"Everyone's tokens"</h2>
            {token_table("all-tokens", "Every API token of the team", tokens, now, true, revoke)}
        </section>
    });
    let mine = if overview.mine.is_empty() {
        view! { <p class="muted">"You have no tokens yet — make one below."</p> }.into_any()
    } else {
        token_table("my-tokens", "Your API tokens", overview.mine, now, false, revoke).into_any()
    };
    view! {
        {fresh}
        <section class="panel" aria-labelledby="mine-title">
            <h2 id="mine-title">"Your tokens"</h2>
            {mine}
        </section>
        {everyone}
    }
}

fn token_table(
    id: &'static str,
    caption: &'static str,
    tokens: Vec<ApiToken>,
    now: i64,
    with_owner: bool,
    revoke: ServerAction<RevokeToken>,
) -> impl IntoView {
    let mut columns: Vec<Column> = vec![Column::new("Name")];
    if with_owner {
        columns.push(Column::new("Owner"));
    }
    columns
        .extend(["Starts with", "May", "Made", "Expires", "Last used", "State"].map(Column::new));
    columns.push(Column::quiet("Action"));
    let rows = tokens
        .into_iter()
        .map(|token| {
            let standing = token.standing(now);
            let action = (standing == "Active").then(|| view! {
                <IdButton action=revoke id=token.id.to_string() class="btn btn-danger">"Revoke"</IdButton>
            });
            let used = match (token.last_used_at, token.last_used_from.clone()) {
                (Some(at), Some(from)) => format!("{} from {from}", format_time(at)),
                (Some(at), None) => format_time(at),
                _ => "Never".to_owned(),
            };
            view! {
                <tr>
                    <td>{token.name.clone()}</td>
                    {with_owner.then(|| view! { <td>{token.owner.clone()}</td> })}
                    <td><code>{format!("{}…", token.prefix)}</code></td>
                    <td>{token.scope.label()}</td>
                    <td>{format_time(token.created_at)}</td>
                    <td>{token.expires_at.map_or_else(|| "Never".to_owned(), format_time)}</td>
                    <td>{used}</td>
                    <td>{standing}</td>
                    <td>{action}</td>
                </tr>
            }
        })
        .collect_view();
    data_table(id, caption, columns, rows)
}
