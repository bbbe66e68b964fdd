//! What a UI can ask of a running sign-in, whatever the protocol behind it.

use serde::Deserialize;

use crate::secret::Secret;
use crate::stage::ActivationLink;

/// What a UI can ask of a running sign-in. Deserialises from the UI's JSON, e.g.
/// `{"command":"submitCode","code":"123456"}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(
    tag = "command",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[non_exhaustive]
pub enum Command {
    ChooseFactor {
        key: String,
    },
    SubmitCode {
        code: Secret,
    },
    ResendPush,
    SendActivationLink {
        link: ActivationLink,
    },
    RefreshQr,
    ChangePassword {
        old_password: Secret,
        new_password: Secret,
    },
    Skip,
    Cancel,
}

impl Command {
    /// What the command does, in words, for "… is not possible now" messages.
    pub(crate) fn action(&self) -> &'static str {
        match self {
            Self::ChooseFactor { .. } => "Choosing a factor",
            Self::SubmitCode { .. } => "Submitting a code",
            Self::ResendPush => "Sending a new push",
            Self::SendActivationLink { .. } => "Sending an activation link",
            Self::RefreshQr => "Getting a new QR code",
            Self::ChangePassword { .. } => "Changing the password",
            Self::Skip => "Skipping",
            Self::Cancel => "Cancelling",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_deserialise_from_ui_json_and_hide_secrets() {
        let command: Command =
            serde_json::from_str(r#"{"command":"submitCode","code":"123456"}"#).unwrap();
        assert!(!format!("{command:?}").contains("123456"));
        let command: Command = serde_json::from_str(
            r#"{"command":"changePassword","oldPassword":"old-Pa55","newPassword":"new-Pa55"}"#,
        )
        .unwrap();
        let debug = format!("{command:?}");
        assert!(!debug.contains("Pa55"), "{debug}");
        let command: Command =
            serde_json::from_str(r#"{"command":"sendActivationLink","link":{"channel":"email"}}"#)
                .unwrap();
        assert!(matches!(command, Command::SendActivationLink { .. }));
    }
}
