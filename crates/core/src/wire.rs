//! Okta Authentication API wire models (`/api/v1/authn`), as documented by Okta.
//!
//! Unknown fields are ignored; unknown `status` and `factorResult` values are kept by name so
//! the flow can report them as an unsupported step instead of failing to parse.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use time::OffsetDateTime;

use crate::secret::{Secret, serialize_exposed};

/// An authentication transaction: the answer to every `/api/v1/authn*` call.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    #[serde(default)]
    pub state_token: Option<Secret>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub expires_at: Option<OffsetDateTime>,
    pub status: Status,
    #[serde(default)]
    pub factor_result: Option<FactorResult>,
    #[serde(default)]
    pub factor_result_message: Option<String>,
    #[serde(default)]
    pub session_token: Option<Secret>,
    #[serde(default, rename = "_embedded")]
    pub embedded: TransactionEmbedded,
    #[serde(default, rename = "_links")]
    pub links: TransactionLinks,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransactionEmbedded {
    #[serde(default)]
    pub user: Option<User>,
    /// MFA_ENROLL and MFA_REQUIRED list factors here; Okta's docs sometimes show `factor`.
    #[serde(default)]
    pub factors: Vec<Factor>,
    /// MFA_ENROLL_ACTIVATE and MFA_CHALLENGE carry the one factor in play.
    #[serde(default)]
    pub factor: Option<Factor>,
    #[serde(default)]
    pub policy: Option<Policy>,
}

impl TransactionEmbedded {
    /// The factors to choose from, whichever of `factors` (array) or `factor` the org used.
    pub fn factor_list(&self) -> Vec<&Factor> {
        if self.factors.is_empty() {
            self.factor.iter().collect()
        } else {
            self.factors.iter().collect()
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransactionLinks {
    #[serde(default)]
    pub next: Option<Link>,
    #[serde(default)]
    pub prev: Option<Link>,
    #[serde(default)]
    pub cancel: Option<Link>,
    #[serde(default)]
    pub skip: Option<Link>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub resend: Vec<Link>,
}

/// A HAL link. `href` is absolute; `name` says what `next` does (`poll`, `activate`, ...).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Link {
    pub href: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, rename = "type")]
    pub media_type: Option<String>,
    #[serde(default)]
    pub hints: Option<LinkHints>,
}

impl Link {
    pub fn is_named(&self, name: &str) -> bool {
        self.name.as_deref() == Some(name)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct LinkHints {
    #[serde(default)]
    pub allow: Vec<String>,
}

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
            _ => Self::Other(value),
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
            _ => Self::Other(value),
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

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub password_changed: Option<OffsetDateTime>,
    #[serde(default)]
    pub profile: UserProfile,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserProfile {
    #[serde(default)]
    pub login: String,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default)]
    pub locale: Option<String>,
    #[serde(default)]
    pub time_zone: Option<String>,
}

/// A factor: to enroll (MFA_ENROLL), to verify (MFA_REQUIRED), or in play.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Factor {
    #[serde(default)]
    pub id: Option<String>,
    pub factor_type: String,
    #[serde(default)]
    pub provider: String,
    #[serde(default)]
    pub vendor_name: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    /// `REQUIRED` or `OPTIONAL` in MFA_ENROLL.
    #[serde(default)]
    pub enrollment: Option<String>,
    #[serde(default)]
    pub profile: Option<FactorProfile>,
    #[serde(default, rename = "_embedded")]
    pub embedded: FactorEmbedded,
    #[serde(default, rename = "_links")]
    pub links: FactorLinks,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FactorProfile {
    #[serde(default)]
    pub device_type: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub platform: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub credential_id: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FactorEmbedded {
    #[serde(default)]
    pub activation: Option<Activation>,
    #[serde(default)]
    pub challenge: Option<Challenge>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FactorLinks {
    #[serde(default)]
    pub enroll: Option<Link>,
    #[serde(default)]
    pub verify: Option<Link>,
}

/// A pending enrollment: push (QR or link) or TOTP (shared secret and QR).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Activation {
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub expires_at: Option<OffsetDateTime>,
    #[serde(default)]
    pub factor_result: Option<FactorResult>,
    #[serde(default)]
    pub time_step: Option<u32>,
    #[serde(default)]
    pub shared_secret: Option<Secret>,
    #[serde(default)]
    pub encoding: Option<String>,
    #[serde(default)]
    pub key_length: Option<u32>,
    #[serde(default, rename = "_links")]
    pub links: ActivationLinks,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivationLinks {
    #[serde(default)]
    pub qrcode: Option<Link>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub send: Vec<Link>,
}

/// The number challenge: the number the user must tap on the phone.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Challenge {
    #[serde(default)]
    pub correct_answer: Option<u32>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    #[serde(default)]
    pub allow_remember_device: Option<bool>,
    #[serde(default)]
    pub remember_device_by_default: Option<bool>,
    #[serde(default)]
    pub remember_device_lifetime_in_minutes: Option<u64>,
    #[serde(default)]
    pub factors_policy_info: HashMap<String, FactorPolicyInfo>,
    /// PASSWORD_WARN / PASSWORD_EXPIRED: when the password expires.
    #[serde(default)]
    pub expiration: Option<PasswordExpiration>,
    /// PASSWORD_WARN / PASSWORD_EXPIRED: what a new password must look like.
    #[serde(default)]
    pub complexity: Option<PasswordComplexity>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FactorPolicyInfo {
    #[serde(default)]
    pub auto_push_enabled: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PasswordExpiration {
    #[serde(default)]
    pub password_expire_days: Option<u32>,
}

/// Password rules, passed through to the UI so it can show them before the user types.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PasswordComplexity {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_lower_case: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_upper_case: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_number: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_symbol: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclude_username: Option<bool>,
}

/// An Okta error body (`errorCode`, `errorSummary`, `errorCauses`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OktaErrorBody {
    #[serde(default)]
    pub error_code: String,
    #[serde(default)]
    pub error_summary: String,
    #[serde(default)]
    pub error_link: Option<String>,
    #[serde(default)]
    pub error_id: Option<String>,
    #[serde(default)]
    pub error_causes: Vec<ErrorCause>,
}

impl OktaErrorBody {
    /// The summary plus its causes, which carry the useful part for password rules.
    pub fn full_summary(&self) -> String {
        let mut text = self.error_summary.trim().to_owned();
        for cause in &self.error_causes {
            let cause = cause.error_summary.trim();
            if !cause.is_empty() && !text.contains(cause) {
                if !text.is_empty() && !text.ends_with(['.', ':']) {
                    text.push(':');
                }
                text.push(' ');
                text.push_str(cause);
            }
        }
        if !text.is_empty() && !text.ends_with('.') {
            text.push('.');
        }
        text
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorCause {
    #[serde(default)]
    pub error_summary: String,
}

fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Link>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(Link),
        Many(Vec<Link>),
        None(()),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::One(link) => vec![link],
        OneOrMany::Many(links) => links,
        OneOrMany::None(()) => Vec::new(),
    })
}

// Request bodies. Secrets are serialised here and nowhere else.

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PrimaryAuthRequest<'a> {
    pub username: &'a str,
    #[serde(serialize_with = "serialize_exposed")]
    pub password: &'a Secret,
    pub options: PrimaryAuthOptions,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PrimaryAuthOptions {
    pub multi_optional_factor_enroll: bool,
    pub warn_before_password_expired: bool,
}

/// `{stateToken}` plus whatever else a step needs.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StateRequest<'a> {
    #[serde(serialize_with = "serialize_exposed")]
    pub state_token: &'a Secret,
    #[serde(flatten)]
    pub extra: StepBody<'a>,
}

#[derive(Serialize)]
#[serde(untagged, rename_all_fields = "camelCase")]
pub(crate) enum StepBody<'a> {
    Empty {},
    Enroll {
        factor_type: &'a str,
        provider: &'a str,
    },
    PassCode {
        #[serde(serialize_with = "serialize_exposed")]
        pass_code: &'a Secret,
    },
    Sms {
        profile: SmsProfile<'a>,
    },
    ChangePassword {
        #[serde(serialize_with = "serialize_exposed")]
        old_password: &'a Secret,
        #[serde(serialize_with = "serialize_exposed")]
        new_password: &'a Secret,
    },
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SmsProfile<'a> {
    pub phone_number: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_an_enroll_activate_transaction_and_ignores_unknown_fields() {
        let json = r#"{
          "stateToken": "00state", "expiresAt": "2026-11-28T10:15:57.000Z",
          "status": "MFA_ENROLL_ACTIVATE", "factorResult": "WAITING", "somethingNew": 1,
          "_embedded": {
            "user": {"id": "00u1", "profile": {"login": "enroll@demo.test", "firstName": "E"}},
            "factor": {"id": "opf1", "factorType": "push", "provider": "OKTA",
              "_embedded": {"activation": {"expiresAt": "2026-11-28T10:20:57.000Z",
                "factorResult": "WAITING",
                "_links": {"qrcode": {"href": "https://acme.okta.com/api/v1/users/00u1/factors/opf1/qr/20abc", "type": "image/png"},
                           "send": [{"name": "email", "href": "https://acme.okta.com/e"}, {"name": "sms", "href": "https://acme.okta.com/s"}]}}}}
          },
          "_links": {"next": {"name": "poll", "href": "https://acme.okta.com/poll", "hints": {"allow": ["POST"]}},
                     "cancel": {"href": "https://acme.okta.com/api/v1/authn/cancel"},
                     "resend": {"name": "push", "href": "https://acme.okta.com/r"}}
        }"#;
        let tx: Transaction = serde_json::from_str(json).unwrap();
        assert_eq!(tx.status, Status::MfaEnrollActivate);
        assert_eq!(tx.factor_result, Some(FactorResult::Waiting));
        assert_eq!(tx.state_token.as_ref().unwrap().expose(), "00state");
        let factor = tx.embedded.factor.as_ref().unwrap();
        let activation = factor.embedded.activation.as_ref().unwrap();
        assert_eq!(activation.links.send.len(), 2);
        assert!(activation.links.qrcode.is_some());
        assert!(tx.links.next.as_ref().unwrap().is_named("poll"));
        assert_eq!(tx.links.resend.len(), 1);
        assert!(!format!("{tx:?}").contains("00state"));
    }

    #[test]
    fn unknown_status_and_factor_result_are_kept_by_name() {
        let tx: Transaction =
            serde_json::from_str(r#"{"status": "DEVICE_ASSURANCE", "factorResult": "PENDING"}"#)
                .unwrap();
        assert_eq!(tx.status, Status::Other("DEVICE_ASSURANCE".into()));
        assert_eq!(tx.status.as_str(), "DEVICE_ASSURANCE");
        assert_eq!(tx.factor_result.unwrap().as_str(), "PENDING");
    }

    #[test]
    fn mfa_required_accepts_factors_or_factor() {
        let array: Transaction = serde_json::from_str(
            r#"{"status":"MFA_REQUIRED","_embedded":{"factors":[{"id":"a","factorType":"push"},{"id":"b","factorType":"token:software:totp"}]}}"#,
        )
        .unwrap();
        assert_eq!(array.embedded.factor_list().len(), 2);
        let object: Transaction = serde_json::from_str(
            r#"{"status":"MFA_REQUIRED","_embedded":{"factor":{"id":"a","factorType":"push"}}}"#,
        )
        .unwrap();
        assert_eq!(object.embedded.factor_list().len(), 1);
    }

    #[test]
    fn request_bodies_carry_the_secrets_on_purpose() {
        let token = Secret::new("00tok");
        let code = Secret::new("123456");
        let body = StateRequest {
            state_token: &token,
            extra: StepBody::PassCode { pass_code: &code },
        };
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"stateToken":"00tok","passCode":"123456"}"#
        );
        let empty = StateRequest {
            state_token: &token,
            extra: StepBody::Empty {},
        };
        assert_eq!(
            serde_json::to_string(&empty).unwrap(),
            r#"{"stateToken":"00tok"}"#
        );
    }

    #[test]
    fn error_summary_includes_causes() {
        let body: OktaErrorBody = serde_json::from_str(
            r#"{"errorCode":"E0000014","errorSummary":"Update of credentials failed","errorCauses":[{"errorSummary":"Old Password is not correct"}]}"#,
        )
        .unwrap();
        assert_eq!(
            body.full_summary(),
            "Update of credentials failed: Old Password is not correct."
        );
    }
}
