use serde::ser::{Serialize, SerializeStruct, Serializer};

/// The keychain as the user knows it on this platform, for messages.
#[cfg(target_os = "macos")]
pub(crate) const KEYCHAIN: &str = "macOS Keychain";
#[cfg(target_os = "windows")]
pub(crate) const KEYCHAIN: &str = "Windows Credential Manager";
#[cfg(not(any(target_os = "macos", target_os = "windows")))]
pub(crate) const KEYCHAIN: &str = "keychain (Secret Service)";

/// Why an account could not be remembered, listed, or forgotten.
///
/// None of these stop a sign-in: they explain why OktaDesk cannot remember the account.
/// Send it to the UI as `{kind, message}` (its `Serialize` impl does exactly that).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AccountsError {
    /// No keychain to talk to: on Linux no D-Bus session, or no Secret Service provider
    /// (GNOME Keyring, KWallet, KeePassXC) on it.
    #[error(
        "OktaDesk can't remember this account because no {KEYCHAIN} is running; sign-in \
         still works. To have accounts remembered, start your keyring (for example GNOME \
         Keyring or KWallet) and try again. ({detail})"
    )]
    NoKeychain { detail: String },

    /// The keychain is locked and the unlock prompt was dismissed, or access was refused.
    #[error(
        "OktaDesk can't use the {KEYCHAIN} because it is locked or access was refused; \
         sign-in still works. Unlock the keychain (accept its prompt) and try again to have \
         this account remembered. ({detail})"
    )]
    KeychainLocked { detail: String },

    /// A keychain item of OktaDesk's cannot be read. It is left exactly as it is.
    #[error("{0}")]
    CorruptedEntry(CorruptedEntry),

    /// The account is not (or no longer) remembered.
    #[error(
        "The account {id} is not remembered (it may have been forgotten in another window); \
         sign in to remember it again."
    )]
    AccountNotFound { id: String },

    /// The account or the label given is not acceptable.
    #[error("This account can't be remembered: {reason}. Correct it and try again.")]
    InvalidAccount { reason: String },

    /// Anything else the keychain reported.
    #[error(
        "The {KEYCHAIN} reported an error, so OktaDesk can't remember accounts right now; \
         sign-in still works. Try again, and restart your keyring if it keeps happening. \
         ({detail})"
    )]
    Keychain { detail: String },
}

impl AccountsError {
    /// A stable machine-readable name for the UI and scripts.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::NoKeychain { .. } => "no_keychain",
            Self::KeychainLocked { .. } => "keychain_locked",
            Self::CorruptedEntry(_) => "corrupted_entry",
            Self::AccountNotFound { .. } => "account_not_found",
            Self::InvalidAccount { .. } => "invalid_account",
            Self::Keychain { .. } => "keychain_error",
        }
    }
}

impl Serialize for AccountsError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut error = serializer.serialize_struct("AccountsError", 2)?;
        error.serialize_field("kind", self.kind())?;
        error.serialize_field("message", &self.to_string())?;
        error.end()
    }
}

/// A keychain item that belongs to OktaDesk but cannot be read as an account.
///
/// OktaDesk never overwrites or deletes it on its own: only an explicit "forget" does.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[error(
    "A remembered account in the {KEYCHAIN} (\"{entry}\") can't be read: {reason}. OktaDesk \
     left it untouched; forget it in OktaDesk (or delete it in your keychain app) to remember \
     that account again."
)]
pub struct CorruptedEntry {
    /// The keychain item's account name (OktaDesk's account id), to find it in a viewer.
    pub entry: String,
    /// Why it cannot be read.
    pub reason: String,
}

pub type Result<T, E = AccountsError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_kind_and_message() {
        let error = AccountsError::NoKeychain {
            detail: "no provider".to_owned(),
        };
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(json["kind"], "no_keychain");
        let message = json["message"].as_str().unwrap();
        assert!(message.contains("sign-in still works"), "{message}");
        assert!(message.contains("can't remember this account"), "{message}");
    }

    #[test]
    fn corrupted_entry_names_the_item_and_promises_to_leave_it() {
        let error = AccountsError::CorruptedEntry(CorruptedEntry {
            entry: "jane at https://acme.okta.com".to_owned(),
            reason: "it is not an OktaDesk account record".to_owned(),
        });
        let message = error.to_string();
        assert!(
            message.contains("jane at https://acme.okta.com"),
            "{message}"
        );
        assert!(message.contains("left it untouched"), "{message}");
        assert_eq!(error.kind(), "corrupted_entry");
    }
}
