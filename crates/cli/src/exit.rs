//! The documented exit codes, and the one error type of the CLI that carries them.

use std::process::ExitCode;

use oktadesk_core::ErrorKind;

/// What the process exit code tells a script. Documented in the README; never renumber.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exit {
    /// Signed in (or: the command did what was asked).
    Success = 0,
    /// Anything else: the keychain is unavailable, an output could not be written, a
    /// local check of `doctor` failed.
    Other = 1,
    /// The command line is wrong or incomplete (clap uses 2 as well).
    Usage = 2,
    /// Okta refused the username or password, the account is locked, or the password
    /// has expired.
    Credentials = 3,
    /// The second factor did not succeed: the push was rejected or timed out, a code was
    /// missing, the QR code expired, or the sign-in was cancelled (Ctrl-C).
    Mfa = 4,
    /// The org could not be reached or did not answer properly: DNS, TCP, TLS, proxy,
    /// 5xx, rate limits, answers that are not Okta's.
    Network = 5,
    /// Okta asked for a step OktaDesk does not support, or one only the browser can do (a
    /// factor such as a security key or Duo, or an enrollment the org requires of one).
    Unsupported = 6,
}

impl Exit {
    pub(crate) fn code(self) -> u8 {
        self as u8
    }

    /// The exit code for a sign-in that ended with this kind of error.
    pub(crate) fn for_kind(kind: ErrorKind) -> Self {
        match kind {
            ErrorKind::Credentials
            | ErrorKind::LockedOut
            | ErrorKind::PasswordChangeRejected
            | ErrorKind::OldPasswordIncorrect
            | ErrorKind::SelfServiceNotAllowed => Self::Credentials,
            ErrorKind::MfaRejected
            | ErrorKind::MfaTimeout
            | ErrorKind::MfaError
            | ErrorKind::MfaCancelled
            | ErrorKind::InvalidCode
            | ErrorKind::InvalidAnswer
            | ErrorKind::InvalidPhoneNumber
            | ErrorKind::CodeReused
            | ErrorKind::CodeOutsideWindow
            | ErrorKind::ActivationTimeout
            | ErrorKind::Expired
            | ErrorKind::OutOfStep
            | ErrorKind::Cancelled => Self::Mfa,
            ErrorKind::Network
            | ErrorKind::Timeout
            | ErrorKind::Tls
            | ErrorKind::ServerError
            | ErrorKind::RateLimited
            | ErrorKind::UnexpectedResponse
            | ErrorKind::ForeignOrigin
            | ErrorKind::OktaError => Self::Network,
            ErrorKind::UnsupportedStep | ErrorKind::BrowserRequired => Self::Unsupported,
            ErrorKind::InvalidOrgUrl | ErrorKind::InvalidUsername | ErrorKind::Config => {
                Self::Usage
            }
            _ => Self::Other,
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit.code())
    }
}

/// Why a command failed: a stable `kind` for `--json`, the message for people (what
/// happened and what to do), and the exit code.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub(crate) struct CliError {
    pub(crate) exit: Exit,
    pub(crate) kind: String,
    pub(crate) message: String,
}

impl CliError {
    pub(crate) fn new(exit: Exit, kind: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            exit,
            kind: kind.into(),
            message: message.into(),
        }
    }

    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Self::new(Exit::Usage, "usage", message)
    }

    pub(crate) fn from_kind(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self::new(Exit::for_kind(kind), kind.as_str(), message)
    }
}

impl From<oktadesk_core::Error> for CliError {
    fn from(error: oktadesk_core::Error) -> Self {
        Self::from_kind(error.kind(), error.to_string())
    }
}

impl From<oktadesk_accounts::AccountsError> for CliError {
    fn from(error: oktadesk_accounts::AccountsError) -> Self {
        Self::new(Exit::Other, error.kind(), error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_codes() {
        assert_eq!(Exit::for_kind(ErrorKind::Credentials).code(), 3);
        assert_eq!(Exit::for_kind(ErrorKind::LockedOut).code(), 3);
        assert_eq!(Exit::for_kind(ErrorKind::MfaRejected).code(), 4);
        assert_eq!(Exit::for_kind(ErrorKind::MfaTimeout).code(), 4);
        assert_eq!(Exit::for_kind(ErrorKind::Cancelled).code(), 4);
        assert_eq!(Exit::for_kind(ErrorKind::Network).code(), 5);
        assert_eq!(Exit::for_kind(ErrorKind::Tls).code(), 5);
        assert_eq!(Exit::for_kind(ErrorKind::UnsupportedStep).code(), 6);
        assert_eq!(Exit::for_kind(ErrorKind::BrowserRequired).code(), 6);
        assert_eq!(Exit::for_kind(ErrorKind::InvalidAnswer).code(), 4);
        assert_eq!(Exit::for_kind(ErrorKind::InvalidOrgUrl).code(), 2);
    }
}
