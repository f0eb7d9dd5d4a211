//! A new user (admins), with a generated or chosen first password.

use super::*;

#[component]
pub fn UserNewPage() -> impl IntoView {
    if !admins_only() {
        return view! { <NotFoundPage/> }.into_any();
    }
    let create = ServerAction::<CreateUser>::new();
    let error = action_error(create.value());
    view! {
        <PageHeading text="New user"/>
        <FormError error=error/>
        <ActionForm action=create attr:class="form-stack form-narrow" attr:novalidate=true>
            <UserFields user=None error=error/>
            <GivenPassword label="Initial password" error=error/>
            <div class="actions">
                <Submit pending=create.pending() class="btn btn-primary">"Create user"</Submit>
                <a class="btn btn-quiet" href="/users">"Cancel"</a>
            </div>
        </ActionForm>
    }
    .into_any()
}
