//! Why what was typed cannot start a sign-in: the crate's one error type. Each refusal names
//! the field it is about, so the window shows it beside that field and the CLI names the flag.

use oktadesk_core::{OrgUrlError, UsernameError};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SetupError {
    /// The org address is not one OktaDesk can sign in to (the core's message says why).
    #[error(transparent)]
    OrgUrl(#[from] OrgUrlError),

    /// The username is empty or cannot be one.
    #[error(transparent)]
    Username(#[from] UsernameError),

    /// The client ID or authorization server of the org's OktaDesk app is not an ID Okta
    /// makes; the message says where to find the right one.
    #[error("{0}")]
    OidcClient(String),

    /// IDX was asked for by name, but no OktaDesk app is known to go through.
    #[error(
        "Signing in through IDX needs the client ID of the org's OktaDesk app. {}",
        oktadesk_core::IDX_APP_HELP
    )]
    IdxWithoutApp,
}

impl SetupError {
    /// The field (as the window's form names it) the refusal is about.
    pub fn field(&self) -> &'static str {
        match self {
            Self::OrgUrl(_) => "orgUrl",
            Self::Username(_) => "username",
            Self::OidcClient(_) => "clientId",
            Self::IdxWithoutApp => "engine",
        }
    }
}
