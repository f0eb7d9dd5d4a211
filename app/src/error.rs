//! The one error type of Kith. Each variant maps to one HTTP status and one
//! message a person can act on; internal details are logged, never shown.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A message about one form field, shown next to that field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self { field: field.to_owned(), message: message.into() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Not found.")]
    NotFound,
    #[error("You are not allowed to do that.")]
    Forbidden,
    #[error("Please correct the highlighted fields.")]
    Invalid(Vec<FieldError>),
    #[error("{0}")]
    Conflict(String),
    /// A change made on a version of a record that someone else has since
    /// replaced (`db::stale`): a conflict on a page, a failed precondition in
    /// the REST API, where the version travels as `If-Match`.
    #[error("{0}")]
    Stale(String),
    #[error("Please sign in.")]
    Unauthenticated,
    #[error("Your session expired. Please sign in again.")]
    SessionExpired,
    #[error("Email or password is incorrect.")]
    BadCredentials,
    #[error("{0}")]
    TooManyRequests(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("Kith is busy. Please try again in a moment.")]
    Busy,
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
}

impl AppError {
    /// A validation failure of a single field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldError::new(field, message)])
    }

    pub fn status(&self) -> u16 {
        match self {
            Self::NotFound => 404,
            Self::Forbidden => 403,
            Self::Invalid(_) => 422,
            Self::Conflict(_) | Self::Stale(_) => 409,
            Self::Unauthenticated | Self::SessionExpired | Self::BadCredentials => 401,
            Self::TooManyRequests(_) => 429,
            Self::BadRequest(_) => 400,
            Self::Busy => 503,
            Self::Internal => 500,
        }
    }

    /// Whether the viewer must sign in (again) to go on.
    /// The whole error in one line, each field's message after its name:
    /// "email: Enter a valid email address.; name: Enter a name."
    pub fn in_one_line(&self) -> String {
        match self {
            Self::Invalid(fields) => fields
                .iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect::<Vec<_>>()
                .join("; "),
            other => other.to_string(),
        }
    }

    pub fn needs_sign_in(&self) -> bool {
        matches!(self, Self::Unauthenticated | Self::SessionExpired)
    }

    /// The message for `field`, if this error carries one.
    pub fn field_message(&self, field: &str) -> Option<String> {
        match self {
            Self::Invalid(errors) => {
                errors.iter().find(|e| e.field == field).map(|e| e.message.clone())
            }
            _ => None,
        }
    }

    /// Logs an unexpected failure and hides its details from the user.
    #[cfg(feature = "ssr")]
    pub fn internal(context: &str, err: impl std::fmt::Display) -> Self {
        tracing::error!(%err, "{context}");
        Self::Internal
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(msg)
            | ServerFnErrorErr::Deserialization(msg)
            | ServerFnErrorErr::MissingArg(msg) => {
                Self::BadRequest(format!("The request could not be read: {msg}"))
            }
            // The browser could not turn the form into the call's arguments.
            ServerFnErrorErr::Serialization(_) => Self::BadRequest(
                "The form could not be sent. Check the fields and try again.".into(),
            ),
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => Self::BadRequest(
                "Kith could not be reached. Check your connection and try again.".into(),
            ),
            _ => Self::Internal,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        Self::internal("database error", err)
    }
}

pub type AppResult<T> = Result<T, AppError>;
