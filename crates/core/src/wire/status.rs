//! A transaction's `status` and a factor's `factorResult`, unknown values kept by name.

use std::fmt;

use serde::Deserialize;

/// `status` of a transaction. Unknown values are kept so the flow can name them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(from = "String")]
pub enum Status {
    Success,
    MfaEnroll,
    MfaEnrollActivate,
    MfaRequired,
    MfaChallenge,
    PasswordWarn,
    PasswordExpired,
    PasswordReset,
    LockedOut,
    Recovery,
    RecoveryChallenge,
    Unauthenticated,
    Other(String),
}

impl From<String> for Status {
    fn from(value: String) -> Self {
        match value.as_str() {
            "SUCCESS" => Self::Success,
            "MFA_ENROLL" => Self::MfaEnroll,
            "MFA_ENROLL_ACTIVATE" => Self::MfaEnrollActivate,
            "MFA_REQUIRED" => Self::MfaRequired,
            "MFA_CHALLENGE" => Self::MfaChallenge,
            "PASSWORD_WARN" => Self::PasswordWarn,
            "PASSWORD_EXPIRED" => Self::PasswordExpired,
            "PASSWORD_RESET" => Self::PasswordReset,
            "LOCKED_OUT" => Self::LockedOut,
            "RECOVERY" => Self::Recovery,
            "RECOVERY_CHALLENGE" => Self::RecoveryChallenge,
            "UNAUTHENTICATED" => Self::Unauthenticated,
            _ => Self::Other(crate::plain_text::code_text(&value)),
        }
    }
}

impl Status {
    pub fn as_str(&self) -> &str {
        match self {
            Self::Success => "SUCCESS",
            Self::MfaEnroll => "MFA_ENROLL",
            Self::MfaEnrollActivate => "MFA_ENROLL_ACTIVATE",
            Self::MfaRequired => "MFA_REQUIRED",
            Self::MfaChallenge => "MFA_CHALLENGE",
            Self::PasswordWarn => "PASSWORD_WARN",
            Self::PasswordExpired => "PASSWORD_EXPIRED",
            Self::PasswordReset => "PASSWORD_RESET",
            Self::LockedOut => "LOCKED_OUT",
            Self::Recovery => "RECOVERY",
            Self::RecoveryChallenge => "RECOVERY_CHALLENGE",
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Other(other) => other,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `factorResult` of a transaction or activation. Unknown values are kept by name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(from = "String")]
pub enum FactorResult {
    Waiting,
    Success,
    Rejected,
    Timeout,
    Cancelled,
    Error,
    PasscodeReplayed,
    TimeWindowExceeded,
    Other(String),
}

impl From<String> for FactorResult {
    fn from(value: String) -> Self {
        match value.as_str() {
            "WAITING" => Self::Waiting,
            "SUCCESS" => Self::Success,
            "REJECTED" => Self::Rejected,
            "TIMEOUT" => Self::Timeout,
            "CANCELLED" => Self::Cancelled,
            "ERROR" => Self::Error,
            "PASSCODE_REPLAYED" => Self::PasscodeReplayed,
            "TIME_WINDOW_EXCEEDED" => Self::TimeWindowExceeded,
            _ => Self::Other(crate::plain_text::code_text(&value)),
        }
    }
}

impl FactorResult {
    pub fn as_str(&self) -> &str {
        match self {
            Self::Waiting => "WAITING",
            Self::Success => "SUCCESS",
            Self::Rejected => "REJECTED",
            Self::Timeout => "TIMEOUT",
            Self::Cancelled => "CANCELLED",
            Self::Error => "ERROR",
            Self::PasscodeReplayed => "PASSCODE_REPLAYED",
            Self::TimeWindowExceeded => "TIME_WINDOW_EXCEEDED",
            Self::Other(other) => other,
        }
    }
}

impl fmt::Display for FactorResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
