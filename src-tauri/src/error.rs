//! The app's one error type, as the UI receives it: `{ "kind": "...", "message": "..." }`.

use std::path::PathBuf;

use oktadesk_accounts::AccountsError;
use oktadesk_core::OrgUrlError;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    InvalidOrgUrl(#[from] OrgUrlError),

    /// Input the UI sent that no form should let through (too long, wrong format).
    #[error("{message}")]
    InvalidInput {
        field: &'static str,
        message: String,
    },

    #[error(transparent)]
    SignIn(#[from] oktadesk_core::Error),

    #[error(transparent)]
    Accounts(#[from] AccountsError),

    #[error("This sign-in has ended or was replaced by a newer one. Start signing in again.")]
    NoSignIn,

    #[error(
        "There is no signed-in session to open: it was already handed to your browser or it \
         expired. Sign in again to open the Okta dashboard."
    )]
    NoSession,

    #[error(
        "This sign-in is not waiting for your browser. Follow the steps in the window, or \
         start signing in again."
    )]
    NoBrowserStep,

    #[error("OktaDesk could not open your browser: {detail}. Open {org} in your browser instead.")]
    Browser { org: String, detail: String },

    #[error(
        "The demo phone only works with the demo organization OktaDesk was started with \
         (--demo). For any other organization, use Okta Verify on your own phone."
    )]
    NotDemo,

    #[error("{message}")]
    DemoPhone { message: String },

    #[error("No sign-in has happened yet, so there is nothing to export. Sign in first.")]
    NothingToExport,

    #[error(
        "The certificate was not trusted, and nothing was changed. Trust it only if your IT \
         department gave it to you and its fingerprint matches theirs."
    )]
    TrustDeclined,

    #[error(
        "The transcript could not be saved to {}: {source}. Copy it instead, or free some \
         disk space and try again.",
        path.display()
    )]
    Export {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error(
        "OktaDesk could not use its settings file {}: {source}. Check that your user can \
         read and write that folder, then try again.",
        path.display()
    )]
    Settings {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error(
        "OktaDesk hit an internal problem ({detail}). Try again; if it keeps happening, restart OktaDesk."
    )]
    Internal { detail: String },
}

impl Error {
    /// A stable, machine-readable name the UI can branch on; the message is for people.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::InvalidOrgUrl(_) => "invalid_org_url",
            Error::InvalidInput { .. } => "invalid_input",
            Error::SignIn(error) => error.kind().as_str(),
            Error::Accounts(error) => error.kind(),
            Error::NoSignIn => "no_sign_in",
            Error::NoSession => "no_session",
            Error::NoBrowserStep => "no_browser_step",
            Error::Browser { .. } => "browser",
            Error::NotDemo => "not_demo",
            Error::DemoPhone { .. } => "demo_phone",
            Error::NothingToExport => "nothing_to_export",
            Error::TrustDeclined => "declined",
            Error::Export { .. } => "export",
            Error::Settings { .. } => "settings",
            Error::Internal { .. } => "internal",
        }
    }

    pub(crate) fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Error::InvalidInput {
            field,
            message: message.into(),
        }
    }

    pub(crate) fn internal(detail: impl std::fmt::Display) -> Self {
        Error::Internal {
            detail: detail.to_string(),
        }
    }
}

/// What the page typed, refused: an org address keeps its own kind, the rest are the field's.
impl From<oktadesk_signin_setup::SetupError> for Error {
    fn from(refused: oktadesk_signin_setup::SetupError) -> Self {
        match refused {
            oktadesk_signin_setup::SetupError::OrgUrl(error) => Error::InvalidOrgUrl(error),
            other => Error::invalid(other.field(), other.to_string()),
        }
    }
}

impl Serialize for Error {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut error = serializer.serialize_struct("Error", 2)?;
        error.serialize_field("kind", self.kind())?;
        error.serialize_field("message", &self.to_string())?;
        error.end()
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_kind_and_message() {
        let error = Error::from(OrgUrlError::Empty);
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(json["kind"], "invalid_org_url");
        assert_eq!(json["message"], OrgUrlError::Empty.to_string());
        assert_eq!(json.as_object().unwrap().len(), 2);
    }

    #[test]
    fn core_and_keychain_errors_keep_their_kinds() {
        assert_eq!(
            Error::from(oktadesk_core::Error::Credentials).kind(),
            "credentials"
        );
        let no_keychain = AccountsError::NoKeychain {
            detail: "none".into(),
        };
        assert_eq!(Error::from(no_keychain).kind(), "no_keychain");
    }
}
