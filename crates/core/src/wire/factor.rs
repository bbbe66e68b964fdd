//! Factors as Okta lists them: their activation, challenge and the policy around them.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::lenient;
use super::link::{Link, one_or_many};
use super::status::FactorResult;
use crate::secret::Secret;

/// A factor: to enroll (MFA_ENROLL), to verify (MFA_REQUIRED), or in play.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Factor {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(deserialize_with = "crate::plain_text::deserialize_code")]
    pub factor_type: String,
    #[serde(default, deserialize_with = "crate::plain_text::deserialize_code")]
    pub provider: String,
    #[serde(default, deserialize_with = "crate::plain_text::deserialize_option")]
    pub vendor_name: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    /// `REQUIRED` or `OPTIONAL` in MFA_ENROLL.
    #[serde(default)]
    pub enrollment: Option<String>,
    #[serde(default)]
    pub profile: Option<FactorProfile>,
    #[serde(
        default,
        rename = "_embedded",
        deserialize_with = "lenient::null_as_default"
    )]
    pub embedded: FactorEmbedded,
    #[serde(
        default,
        rename = "_links",
        deserialize_with = "lenient::null_as_default"
    )]
    pub links: FactorLinks,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FactorProfile {
    #[serde(default)]
    pub device_type: Option<String>,
    #[serde(default, deserialize_with = "crate::plain_text::deserialize_option")]
    pub name: Option<String>,
    #[serde(default)]
    pub platform: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub credential_id: Option<String>,
    /// SMS and voice call: the phone, masked as `+1 XXX-XXX-1337`.
    #[serde(default, deserialize_with = "crate::plain_text::deserialize_option")]
    pub phone_number: Option<String>,
    /// Email: the address, masked as `d...y@example.com`.
    #[serde(default, deserialize_with = "crate::plain_text::deserialize_option")]
    pub email: Option<String>,
    /// Security question: Okta's name for the question (`disliked_food`).
    #[serde(default)]
    pub question: Option<String>,
    /// Security question: the question as a person reads it.
    #[serde(default, deserialize_with = "crate::plain_text::deserialize_option")]
    pub question_text: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FactorEmbedded {
    #[serde(default)]
    pub activation: Option<Activation>,
    #[serde(default)]
    pub challenge: Option<Challenge>,
    /// MFA_ENROLL, SMS and voice call: phones the account already has (enrolling with
    /// `updatePhone=true` replaces them).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub phones: Vec<EnrolledPhone>,
}

/// A phone an account already has, as MFA_ENROLL lists it for SMS and voice calls.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnrolledPhone {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub profile: FactorProfile,
    #[serde(default)]
    pub status: Option<String>,
}

fn null_as_empty<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FactorLinks {
    #[serde(default)]
    pub enroll: Option<Link>,
    #[serde(default)]
    pub verify: Option<Link>,
    /// MFA_ENROLL, security question: where the org's questions are listed (GET).
    #[serde(default)]
    pub questions: Option<Link>,
}

/// A pending enrollment: push (QR or link) or TOTP (shared secret and QR).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Activation {
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub expires_at: Option<OffsetDateTime>,
    #[serde(default)]
    pub factor_result: Option<FactorResult>,
    #[serde(default, deserialize_with = "lenient::number")]
    pub time_step: Option<u32>,
    #[serde(default)]
    pub shared_secret: Option<Secret>,
    #[serde(default)]
    pub encoding: Option<String>,
    #[serde(default, deserialize_with = "lenient::number")]
    pub key_length: Option<u32>,
    #[serde(
        default,
        rename = "_links",
        deserialize_with = "lenient::null_as_default"
    )]
    pub links: ActivationLinks,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivationLinks {
    #[serde(default)]
    pub qrcode: Option<Link>,
    /// An expired activation: where a new one starts.
    #[serde(default)]
    pub activate: Option<Link>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub send: Vec<Link>,
}

/// The number challenge: the number the user must tap on the phone.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Challenge {
    /// Okta sends a number; some responses (and Identity Engine) send it as a string.
    #[serde(default, deserialize_with = "number_or_string")]
    pub correct_answer: Option<u32>,
}

fn number_or_string<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<u32>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum NumberOrString {
        Number(u32),
        Text(String),
    }
    Ok(match Option::<NumberOrString>::deserialize(deserializer)? {
        Some(NumberOrString::Number(number)) => Some(number),
        // A number Okta wrote as text; anything else is no number to show.
        Some(NumberOrString::Text(text)) => text.trim().parse().ok(),
        None => None,
    })
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    #[serde(default, deserialize_with = "lenient::bool")]
    pub allow_remember_device: Option<bool>,
    #[serde(default, deserialize_with = "lenient::bool")]
    pub remember_device_by_default: Option<bool>,
    #[serde(default, deserialize_with = "lenient::number")]
    pub remember_device_lifetime_in_minutes: Option<u64>,
    /// Okta's push challenges carry `null` here (okta-auth-swift's recorded
    /// MFA_CHALLENGE_WAITING_PUSH): read as "no factor says anything".
    #[serde(default, deserialize_with = "lenient::null_as_default")]
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
    #[serde(default, deserialize_with = "lenient::bool")]
    pub auto_push_enabled: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PasswordExpiration {
    #[serde(default, deserialize_with = "lenient::number")]
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
