//! Okta's JSON shapes: HAL documents with `_embedded` and `_links`, timestamps with
//! milliseconds and `Z`, and the error body. Field names and nesting follow Okta's
//! Authentication API reference; optional fields are omitted rather than sent as `null`.

mod error;
mod factor;
mod link;

use std::collections::BTreeMap;

use serde::Serialize;

pub(crate) use self::error::{ApiError, json_body};
pub(crate) use self::factor::{
    ActivationBody, ChallengeBody, FactorBody, FactorEmbedded, FactorProfile, PhoneBody,
};
pub(crate) use self::link::{Link, Links, Relation, Timestamp};

#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TransactionBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub factor_result: Option<&'static str>,
    /// Recovery answers: the factor the recovery goes by (`EMAIL`, `SMS`, `CALL`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub factor_type: Option<&'static str>,
    /// Recovery answers: `PASSWORD` or `UNLOCK`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovery_type: Option<&'static str>,
    /// What the client sent as `relayState` when it started the recovery.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relay_state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_token: Option<String>,
    #[serde(rename = "_embedded", skip_serializing_if = "Option::is_none")]
    pub embedded: Option<Embedded>,
    #[serde(rename = "_links", skip_serializing_if = "Links::is_empty")]
    pub links: Links,
}

/// What `POST /api/v1/authn/cancel` answers: not a transaction, just an empty `_embedded`.
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct CancelledBody {
    #[serde(rename = "_embedded")]
    pub embedded: Embedded,
}

#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct Embedded {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<UserBody>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub factors: Option<Vec<FactorBody>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub factor: Option<FactorBody>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<Policy>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UserBody {
    pub id: String,
    pub password_changed: Timestamp,
    pub profile: UserProfile,
    /// `RECOVERY`: the recovery question to answer (Okta spells this key with an underscore).
    #[serde(rename = "recovery_question", skip_serializing_if = "Option::is_none")]
    pub recovery_question: Option<RecoveryQuestionBody>,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct RecoveryQuestionBody {
    pub question: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UserProfile {
    pub login: String,
    pub first_name: String,
    pub last_name: String,
    pub locale: &'static str,
    pub time_zone: &'static str,
}

#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub(crate) enum Policy {
    Mfa(MfaPolicyBody),
    Password(PasswordPolicyBody),
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MfaPolicyBody {
    pub allow_remember_device: bool,
    pub remember_device_lifetime_in_minutes: u32,
    pub remember_device_by_default: bool,
    /// `null` on a challenge, as Okta's recorded MFA_CHALLENGE answers carry it (okta-auth-swift
    /// `Tests/Resources/MFA_CHALLENGE_WAITING_PUSH`); the factor list's MFA_REQUIRED has it.
    pub factors_policy_info: Option<BTreeMap<String, FactorPolicyInfo>>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FactorPolicyInfo {
    pub auto_push_enabled: bool,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct PasswordPolicyBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiration: Option<PasswordExpiration>,
    pub complexity: PasswordComplexity,
    /// `PASSWORD_RESET` shows the policy's history and minimum age too.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age: Option<PasswordAge>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PasswordAge {
    pub min_age_minutes: u32,
    pub history_count: u32,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PasswordExpiration {
    pub password_expire_days: u32,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PasswordComplexity {
    pub min_length: u32,
    pub min_lower_case: u32,
    pub min_upper_case: u32,
    pub min_number: u32,
    pub min_symbol: u32,
    pub exclude_username: bool,
}

/// Okta's Session object, as `/api/v1/sessions` answers it.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OktaSessionBody {
    pub id: String,
    pub user_id: String,
    pub login: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub status: &'static str,
    pub last_password_verification: Timestamp,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_factor_verification: Option<Timestamp>,
    pub amr: Vec<&'static str>,
    pub idp: IdpBody,
    pub mfa_active: bool,
    #[serde(rename = "_links")]
    pub links: Links,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct IdpBody {
    pub id: &'static str,
    #[serde(rename = "type")]
    pub kind: &'static str,
}
