//! The ids of Kith's records, one type each, so a customer's id cannot go
//! where a lead's is meant. The text inside is private: an id is decoded from a
//! row, generated for a new record, or taken from a request with `From<String>`
//! (an id that names nothing the viewer may see is answered `NotFound` by the
//! store, like any other).

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! record_ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
        #[cfg_attr(feature = "ssr", derive(sqlx::Type))]
        #[cfg_attr(feature = "ssr", sqlx(transparent))]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// A fresh id for a record being created (time-ordered).
            #[cfg(feature = "ssr")]
            pub fn generate() -> Self {
                Self(crate::db::new_id())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    )*};
}

record_ids! {
    /// Identifies a lead.
    LeadId;
    /// Identifies a customer.
    CustomerId;
    /// Identifies a task.
    TaskId;
    /// Identifies a user: a member of the team.
    UserId;
    /// Identifies a note on a lead or customer.
    NoteId;
    /// Identifies an import of a file.
    ImportId;
    /// Identifies a personal API token (not the token itself).
    ApiTokenId;
    WebhookId;
    DeliveryId;
    WebFormId;
    /// Identifies a mapping of an import's columns saved under a name.
    SavedMappingId;
    /// Identifies a list's filters saved under a name.
    SavedViewId;
    /// Identifies a notification shown to one member of the team.
    NotificationId;
}
