//! The team picker: active members for admins, filters and assignment.

use super::*;
use crate::ids::UserId;

/// A team member someone can be assigned to, for pickers and filters.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TeamMember {
    pub id: UserId,
    pub name: String,
}

/// Active team members (admins only: agents cannot pick anyone but themselves).
#[server(prefix = "/api", endpoint = "users/team")]
pub async fn team_members() -> Result<Vec<TeamMember>, AppError> {
    crate::state::admin()?;
    let db = &crate::state::app_state()?.db;
    let members: Vec<(UserId, String)> =
        sqlx::query_as("SELECT id, name FROM users WHERE active = 1 ORDER BY name, id")
            .fetch_all(&db.pool)
            .await?;
    Ok(members.into_iter().map(|(id, name)| TeamMember { id, name }).collect())
}

/// How a team picker starts: with an empty choice that is a valid answer
/// ("Everyone" in a filter) or a prompt that must be replaced.
#[derive(Clone, Copy)]
pub enum EmptyChoice {
    None,
    Allowed(&'static str),
    Prompt(&'static str),
}

/// The active team members, loaded once by a page for its pickers.
pub type Team = Resource<Result<Vec<TeamMember>, AppError>>;

/// Loads the team. Call it when the page is set up, never inside a
/// `<Suspense>` that has already resolved: server rendering waits only for the
/// resources that exist when it starts waiting.
pub fn load_team() -> Team {
    Resource::new(|| (), |_| team_members())
}

/// A select of the active team members (admins only), e.g. an assignee or an agent filter.
#[component]
pub fn TeamSelect(
    team: Team,
    id: &'static str,
    name: &'static str,
    label: &'static str,
    selected: Option<UserId>,
    #[prop(default = EmptyChoice::None)] empty_choice: EmptyChoice,
    /// A member left out (the user being deleted, when choosing who receives their records).
    #[prop(optional)]
    except: Option<UserId>,
) -> impl IntoView {
    let required = matches!(empty_choice, EmptyChoice::Prompt(_));
    let options = move |members: Vec<TeamMember>| {
        let first = match empty_choice {
            EmptyChoice::None => None,
            EmptyChoice::Allowed(text) => {
                Some(view! { <option value="">{text}</option> }.into_any())
            }
            EmptyChoice::Prompt(text) => Some(
                view! { <option value="" selected=true disabled=true>{text}</option> }.into_any(),
            ),
        };
        let selected = selected.clone();
        let members = members
            .into_iter()
            .filter(|m| except.as_ref() != Some(&m.id))
            .map(|m| {
                let is_selected = selected.as_ref() == Some(&m.id);
                view! { <option value=m.id.into_string() selected=is_selected>{m.name}</option> }
            })
            .collect_view();
        view! {
            <div class="field">
                <label for=id class="field-label">{label}</label>
                <select id=id name=name class="field-input" required=required>{first}{members}</select>
            </div>
        }
    };
    view! {
        <Suspense>
            {move || team.get().and_then(Result::ok).map(options.clone())}
        </Suspense>
    }
}
