//! What a saved form says afterwards ("Lead saved", "Task created"): with JavaScript,
//! `enhance` keeps the message of a form it sent across the page that follows, which
//! shows it in the layout's polite live region (`Toasts`) for a few seconds.

use leptos::prelude::*;

/// The message for a successful call of the server function at `action`
/// (`/api/leads/update`), if it deserves one.
pub fn toast_for(action: &str) -> Option<String> {
    let path = action.strip_prefix("/api/")?;
    match path {
        "notes/add" => return Some("Note added".to_owned()),
        "profile/name" => return Some("Name saved".to_owned()),
        "leads/bulk" => return Some("Leads changed".to_owned()),
        "customers/bulk" => return Some("Customers changed".to_owned()),
        "tasks/bulk" => return Some("Tasks changed".to_owned()),
        "notifications/read" => return Some("Marked read".to_owned()),
        "notifications/read_all" => return Some("All marked read".to_owned()),
        "profile/password" | "users/reset_password" => return Some("Password changed".to_owned()),
        _ => {}
    }
    let (area, verb) = path.split_once('/')?;
    let subject = match area {
        "leads" => "Lead",
        "customers" => "Customer",
        "tasks" => "Task",
        "notes" => "Note",
        "users" => "Team member",
        "settings" => "Settings",
        "webhooks" => "Webhook",
        "lead_forms" => "Web form",
        "tokens" => "API token",
        _ => return None,
    };
    let done = match verb {
        "create" | "add" => "created",
        "update" | "edit" => "saved",
        "archive" => "deleted",
        "restore" => "restored",
        "assign" => "reassigned",
        "convert" => "converted to a customer",
        "move" | "set_status" => "moved",
        "delete" | "remove" => "removed",
        "deactivate" => "deactivated",
        "reactivate" => "reactivated",
        "revoke" => "revoked",
        _ => return None,
    };
    Some(format!("{subject} {done}"))
}

/// Where the messages appear: announced politely, never taking the focus.
#[component]
pub fn Toasts() -> impl IntoView {
    view! { <div id="toasts" class="toasts" role="status" aria-live="polite"></div> }
}

#[cfg(test)]
mod tests {
    use super::toast_for;

    #[test]
    fn a_saved_form_says_what_was_done() {
        let cases = [
            ("/api/leads/update", Some("Lead saved")),
            ("/api/customers/create", Some("Customer created")),
            ("/api/leads/assign", Some("Lead reassigned")),
            ("/api/leads/convert", Some("Lead converted to a customer")),
            ("/api/notes/add", Some("Note added")),
            ("/api/settings/update", Some("Settings saved")),
            ("/api/profile/password", Some("Password changed")),
            ("/api/imports/start", None),
            ("/api/login", None),
            ("/elsewhere", None),
        ];
        for (action, said) in cases {
            assert_eq!(toast_for(action).as_deref(), said, "{action}");
        }
    }
}
