//! The one error type of the core, with a stable machine-readable kind for the UI and scripts.

use std::fmt;
use std::time::Duration;

use serde::{Serialize, Serializer};

use crate::org_url::OrgUrlError;
use crate::phone_number::PhoneNumberError;
use crate::username::UsernameError;

/// What went wrong, as a stable string a UI or a script can branch on (`kind()` of [`Error`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    InvalidOrgUrl,
    InvalidUsername,
    Config,
    Credentials,
    LockedOut,
    PasswordChangeRejected,
    OldPasswordIncorrect,
    /// The org does not let people reset their password or unlock their account themselves
    /// (or not for this account): only the help desk can.
    SelfServiceNotAllowed,
    RateLimited,
    Network,
    Timeout,
    Tls,
    ServerError,
    UnexpectedResponse,
    ForeignOrigin,
    UnsupportedStep,
    MfaRejected,
    MfaTimeout,
    MfaError,
    MfaCancelled,
    InvalidCode,
    InvalidAnswer,
    InvalidPhoneNumber,
    /// Only the browser can go on (a `continueInBrowser` stage the UI did not follow here).
    BrowserRequired,
    /// The sign-in succeeded without a session the browser can take over (Identity Engine).
    NoBrowserSession,
    CodeReused,
    CodeOutsideWindow,
    ActivationTimeout,
    Expired,
    OutOfStep,
    Cancelled,
    OktaError,
    InvalidCommand,
    FlowEnded,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidOrgUrl => "invalid_org_url",
            Self::InvalidUsername => "invalid_username",
            Self::Config => "config",
            Self::Credentials => "credentials",
            Self::LockedOut => "locked_out",
            Self::PasswordChangeRejected => "password_change_rejected",
            Self::OldPasswordIncorrect => "old_password_incorrect",
            Self::SelfServiceNotAllowed => "self_service_not_allowed",
            Self::RateLimited => "rate_limited",
            Self::Network => "network",
            Self::Timeout => "timeout",
            Self::Tls => "tls",
            Self::ServerError => "server_error",
            Self::UnexpectedResponse => "unexpected_response",
            Self::ForeignOrigin => "foreign_origin",
            Self::UnsupportedStep => "unsupported_step",
            Self::MfaRejected => "mfa_rejected",
            Self::MfaTimeout => "mfa_timeout",
            Self::MfaError => "mfa_error",
            Self::MfaCancelled => "mfa_cancelled",
            Self::InvalidCode => "invalid_code",
            Self::InvalidAnswer => "invalid_answer",
            Self::InvalidPhoneNumber => "invalid_phone_number",
            Self::BrowserRequired => "browser_required",
            Self::NoBrowserSession => "no_browser_session",
            Self::CodeReused => "code_reused",
            Self::CodeOutsideWindow => "code_outside_window",
            Self::ActivationTimeout => "activation_timeout",
            Self::Expired => "expired",
            Self::OutOfStep => "out_of_step",
            Self::Cancelled => "cancelled",
            Self::OktaError => "okta_error",
            Self::InvalidCommand => "invalid_command",
            Self::FlowEnded => "flow_ended",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything that can go wrong while signing in. `Display` is the message for the user: what
/// happened and what to do. No variant ever holds a secret.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error(transparent)]
    InvalidOrgUrl(#[from] OrgUrlError),

    #[error(transparent)]
    InvalidUsername(#[from] UsernameError),

    #[error("{0}")]
    Config(String),

    /// E0000004. Okta gives it for a wrong password, and by default also for a locked-out
    /// account and for a sign-on policy that denies the sign-in, so the message cannot claim
    /// the password is wrong.
    #[error(
        "Okta did not accept this username and password. Check both (passwords are case-sensitive). Okta answers the same way when an account is locked or a sign-in policy blocks it, so if you are sure both are right, stop retrying (each try counts towards a lockout) and ask your help desk to check whether the account is locked, suspended or denied by a sign-on policy."
    )]
    Credentials,

    /// `LOCKED_OUT` (an org that shows lockout failures) or E0000069. With
    /// `self_service_unlock`, Okta offered its `unlock` link: the org lets people unlock
    /// their own account.
    /// `idx.unknown.user`: Okta has no account by this name (Identity Engine says so where
    /// Classic answers E0000004).
    #[error(
        "Okta has no account with the username {username}. Check it for typos (many organizations use your full email address), then try again."
    )]
    UnknownUser { username: String },

    #[error("{}", locked_out_message(*self_service_unlock))]
    LockedOut { self_service_unlock: bool },

    #[error("Okta did not accept the new password: {reason} Check the requirements and try again.")]
    PasswordChangeRejected { reason: String },

    #[error(
        "The current password is not right, so Okta did not change it. Type the password you use now, then the new one."
    )]
    OldPasswordIncorrect,

    #[error(
        "Okta is limiting how fast this account can sign in{}. Wait a moment and try again.",
        retry_hint(*retry_after)
    )]
    RateLimited { retry_after: Option<Duration> },

    #[error(
        "Could not reach {host}: {detail}. Check your network connection (and proxy settings, if your company uses one), then try again."
    )]
    Network { host: String, detail: String },

    #[error(
        "{host} did not answer in time. Check your network connection and try again; if it keeps happening, Okta may be slow right now."
    )]
    Timeout { host: String },

    #[error(
        "The secure connection to {host} could not be verified: {detail}. If your company inspects TLS traffic, add its root certificate (PEM) in the settings; otherwise check the org URL."
    )]
    Tls { host: String, detail: String },

    #[error(
        "{host} had a problem (HTTP {status}). This is on Okta's side; wait a minute and try again."
    )]
    ServerError { host: String, status: u16 },

    #[error("{host} sent an answer OktaDesk does not understand: {detail}. {advice}")]
    UnexpectedResponse {
        host: String,
        detail: String,
        advice: &'static str,
    },

    #[error(
        "Okta pointed OktaDesk to {target}, which is not your organization ({org}). OktaDesk stopped so your sign-in cannot be sent elsewhere; check the org URL."
    )]
    ForeignOrigin { org: String, target: String },

    #[error(
        "Okta asked for a step OktaDesk does not support yet ({step}). Sign in through the browser instead, or ask your help desk which policy applies to you."
    )]
    UnsupportedStep { step: String },

    #[error(
        "The push was rejected on your phone. If that was not you, tell your help desk; otherwise send a new push."
    )]
    MfaRejected,

    #[error("The push was not answered in time. Send a new push and approve it on your phone.")]
    MfaTimeout,

    /// `factorResult: ERROR`: the push could not be delivered, or the phone reported an error.
    #[error(
        "Okta could not complete the push: it did not reach Okta Verify, or the phone reported an error. Check that the phone is online, then send a new push or choose another factor."
    )]
    MfaError,

    /// `factorResult: CANCELLED`: the push was withdrawn before it was answered.
    #[error(
        "The push was cancelled before it was answered (on the phone, or by another sign-in). Send a new push or choose another factor."
    )]
    MfaCancelled,

    #[error("That code is not right. Type the current six-digit code from Okta Verify.")]
    InvalidCode,

    #[error(
        "That answer does not match the one on file. Check the spelling and try again; if you no longer know it, ask your help desk to reset the security question."
    )]
    InvalidAnswer,

    #[error(transparent)]
    InvalidPhoneNumber(#[from] PhoneNumberError),

    #[error(
        "That code was already used. Wait for Okta Verify to show a new code and type that one."
    )]
    CodeReused,

    #[error(
        "That code is too old or too new. Check that your phone's clock is set automatically, then type the current code."
    )]
    CodeOutsideWindow,

    #[error(
        "The enrollment QR code expired before it was scanned. Get a new QR code and scan it with Okta Verify."
    )]
    ActivationTimeout,

    #[error("This sign-in took too long and expired. Start again.")]
    Expired,

    /// E0000079: the transaction is valid but already past this step, e.g. answered from
    /// another window or device, or polled after it ended.
    #[error(
        "Okta says this step no longer fits the sign-in (E0000079): it has moved on, perhaps in another window or on another device. Start the sign-in again."
    )]
    OutOfStep,

    #[error("Sign-in was cancelled.")]
    Cancelled,

    /// The sign-in's request budget (`client::lifecycle`) is spent: a loop nobody foresaw.
    #[error(
        "OktaDesk stopped after {requests} requests in this sign-in without reaching its end, rather than flood your organization. Try again; if it happens again, sign in through the browser and tell your help desk."
    )]
    RequestBudgetSpent { requests: u32 },

    #[error("Okta refused the request: {summary} ({code}). Try again, or ask your help desk.")]
    Okta { code: String, summary: String },

    #[error("{action} is not possible now: {reason}.")]
    InvalidCommand { action: String, reason: String },

    #[error("This sign-in has already ended. Start a new one.")]
    FlowEnded,

    /// An Identity Engine sign-in ends with tokens for OktaDesk, not with a session Okta lets
    /// a browser take over.
    #[error(
        "This sign-in went through Okta Identity Engine, which gives OktaDesk no browser session to hand over. Open your organization's sign-in page in the browser and sign in there."
    )]
    NoBrowserSession,

    /// The org turned down a self-service password reset or unlock (Classic E0000034 and
    /// its kin; on Identity Engine, no `recover` or `unlock-account` remediation offered).
    #[error("{}", self_service_message(*recovery))]
    SelfServiceNotAllowed { recovery: crate::stage::Recovery },

    /// The recovery link pasted (or its token) is not one Okta takes any more: E0000105
    /// ("expired or been previously used"), or E0000011 from the recovery token endpoint.
    #[error(
        "That recovery link has expired or was already used. Paste the link from the newest recovery email, or choose another way to recover."
    )]
    RecoveryLinkExpired,
}

fn self_service_message(recovery: crate::stage::Recovery) -> &'static str {
    match recovery {
        crate::stage::Recovery::ResetPassword => {
            "Your organization does not let you reset your password yourself. Ask your help desk to reset it."
        }
        crate::stage::Recovery::UnlockAccount => {
            "Your organization does not let you unlock your account yourself. Ask your help desk to unlock it, or wait and try again later."
        }
    }
}

fn locked_out_message(self_service_unlock: bool) -> &'static str {
    if self_service_unlock {
        "Your account is locked after too many failed sign-in attempts. Your organization lets you unlock it yourself with Unlock account, or ask your help desk to unlock it."
    } else {
        "Your account is locked after too many failed sign-in attempts. Ask your help desk to unlock it, or wait and try again later."
    }
}

fn retry_hint(retry_after: Option<Duration>) -> String {
    match retry_after {
        Some(wait) if wait.as_secs() > 0 => format!(" (try again in {} s)", wait.as_secs()),
        _ => String::new(),
    }
}

impl Error {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::InvalidOrgUrl(_) => ErrorKind::InvalidOrgUrl,
            Self::InvalidUsername(_) => ErrorKind::InvalidUsername,
            Self::UnknownUser { .. } => ErrorKind::Credentials,
            Self::Config(_) => ErrorKind::Config,
            Self::Credentials => ErrorKind::Credentials,
            Self::LockedOut { .. } => ErrorKind::LockedOut,
            Self::PasswordChangeRejected { .. } => ErrorKind::PasswordChangeRejected,
            Self::OldPasswordIncorrect => ErrorKind::OldPasswordIncorrect,
            Self::SelfServiceNotAllowed { .. } => ErrorKind::SelfServiceNotAllowed,
            Self::RecoveryLinkExpired => ErrorKind::Expired,
            Self::RateLimited { .. } => ErrorKind::RateLimited,
            Self::Network { .. } => ErrorKind::Network,
            Self::Timeout { .. } => ErrorKind::Timeout,
            Self::Tls { .. } => ErrorKind::Tls,
            Self::ServerError { .. } => ErrorKind::ServerError,
            Self::UnexpectedResponse { .. } => ErrorKind::UnexpectedResponse,
            Self::ForeignOrigin { .. } => ErrorKind::ForeignOrigin,
            Self::UnsupportedStep { .. } => ErrorKind::UnsupportedStep,
            Self::MfaRejected => ErrorKind::MfaRejected,
            Self::MfaTimeout => ErrorKind::MfaTimeout,
            Self::MfaError => ErrorKind::MfaError,
            Self::MfaCancelled => ErrorKind::MfaCancelled,
            Self::InvalidCode => ErrorKind::InvalidCode,
            Self::InvalidAnswer => ErrorKind::InvalidAnswer,
            Self::InvalidPhoneNumber(_) => ErrorKind::InvalidPhoneNumber,
            Self::CodeReused => ErrorKind::CodeReused,
            Self::CodeOutsideWindow => ErrorKind::CodeOutsideWindow,
            Self::ActivationTimeout => ErrorKind::ActivationTimeout,
            Self::Expired => ErrorKind::Expired,
            Self::OutOfStep => ErrorKind::OutOfStep,
            Self::Cancelled => ErrorKind::Cancelled,
            // The same kind as an answer we cannot go on from: a help desk reads both alike.
            Self::RequestBudgetSpent { .. } => ErrorKind::UnexpectedResponse,
            Self::Okta { .. } => ErrorKind::OktaError,
            Self::InvalidCommand { .. } => ErrorKind::InvalidCommand,
            Self::FlowEnded => ErrorKind::FlowEnded,
            Self::NoBrowserSession => ErrorKind::NoBrowserSession,
        }
    }

    /// The `{kind, message}` pair the UI shows and scripts read.
    pub fn info(&self) -> ErrorInfo {
        ErrorInfo {
            kind: self.kind(),
            message: self.to_string(),
        }
    }
}

impl Serialize for Error {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.info().serialize(serializer)
    }
}

/// An error as data: what the UI receives and the CLI prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorInfo {
    pub kind: ErrorKind,
    pub message: String,
}

impl From<&Error> for ErrorInfo {
    fn from(error: &Error) -> Self {
        error.info()
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_kind_and_message() {
        let json = serde_json::to_value(Error::Credentials).unwrap();
        assert_eq!(json["kind"], "credentials");
        assert!(
            json["message"]
                .as_str()
                .unwrap()
                .contains("did not accept this username and password")
        );
        let kind = serde_json::to_value(ErrorKind::CodeOutsideWindow).unwrap();
        assert_eq!(kind, ErrorKind::CodeOutsideWindow.as_str());
    }

    #[test]
    fn org_url_errors_keep_their_message() {
        let error = Error::from(OrgUrlError::Empty);
        assert_eq!(error.kind().as_str(), "invalid_org_url");
        assert_eq!(error.to_string(), OrgUrlError::Empty.to_string());
    }
}
