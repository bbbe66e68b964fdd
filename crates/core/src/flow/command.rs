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
    /// Ask Okta to send the code again (SMS, voice call, email), once it allows.
    ResendCode,
    /// The phone number (E.164, e.g. `+14155550123`) to enroll for SMS or voice calls.
    SubmitPhoneNumber {
        phone_number: String,
    },
    /// The answer to the security question shown.
    SubmitAnswer {
        answer: Secret,
    },
    /// Enroll a security question: Okta's name for it (`SecurityQuestion::key`) and the answer.
    /// With `custom_question` (`customQuestion`), a question of the person's own words
    /// instead, where the stage says `can_write_own` (`question` is then `custom`, Okta's key
    /// for it).
    EnrollQuestion {
        question: String,
        answer: Secret,
        #[serde(default)]
        custom_question: Option<String>,
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
    /// The recovery link Okta emailed, or the recovery token in it.
    SubmitRecoveryToken {
        token: Secret,
    },
    /// The new password, after a recovery proved who the person is.
    SetNewPassword {
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
            Self::ResendCode => "Sending a new code",
            Self::SubmitPhoneNumber { .. } => "Setting up the phone number",
            Self::SubmitAnswer { .. } => "Answering the security question",
            Self::EnrollQuestion { .. } => "Setting up a security question",
            Self::ResendPush => "Sending a new push",
            Self::SendActivationLink { .. } => "Sending an activation link",
            Self::RefreshQr => "Getting a new QR code",
            Self::ChangePassword { .. } => "Changing the password",
            Self::SubmitRecoveryToken { .. } => "Using the recovery link",
            Self::SetNewPassword { .. } => "Setting the new password",
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
        let command: Command = serde_json::from_str(
            r#"{"command":"enrollQuestion","question":"disliked_food","answer":"mayonnaise"}"#,
        )
        .unwrap();
        assert!(!format!("{command:?}").contains("mayonnaise"));
        assert!(matches!(
            command,
            Command::EnrollQuestion {
                custom_question: None,
                ..
            }
        ));
        let command: Command = serde_json::from_str(
            r#"{"command":"enrollQuestion","question":"custom","customQuestion":"Who?","answer":"me"}"#,
        )
        .unwrap();
        assert!(matches!(
            command,
            Command::EnrollQuestion { custom_question: Some(ref text), .. } if text == "Who?"
        ));
        let command: Command =
            serde_json::from_str(r#"{"command":"submitAnswer","answer":"mayonnaise"}"#).unwrap();
        assert!(!format!("{command:?}").contains("mayonnaise"));
        let command: Command =
            serde_json::from_str(r#"{"command":"submitPhoneNumber","phoneNumber":"+14155550123"}"#)
                .unwrap();
        assert!(matches!(command, Command::SubmitPhoneNumber { .. }));
        let command: Command = serde_json::from_str(r#"{"command":"resendCode"}"#).unwrap();
        assert!(matches!(command, Command::ResendCode));
    }
}
