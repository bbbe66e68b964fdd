//! A factor as Okta lists it: its profile (the phone, the email, the question, the device),
//! its activation and challenge, and the phones an account already has.

use serde::Serialize;

use super::{Links, Timestamp};

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FactorBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub factor_type: &'static str,
    pub provider: &'static str,
    pub vendor_name: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enrollment: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<FactorProfile>,
    #[serde(rename = "_embedded", skip_serializing_if = "Option::is_none")]
    pub embedded: Option<FactorEmbedded>,
    #[serde(rename = "_links", skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
}

#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FactorProfile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential_id: Option<String>,
    /// SMS and voice call: the number, masked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Email: the address, masked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<&'static str>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct FactorEmbedded {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activation: Option<ActivationBody>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub challenge: Option<ChallengeBody>,
    /// MFA_ENROLL, SMS and voice call: phones the account already has.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phones: Option<Vec<PhoneBody>>,
}

/// A phone an account already has, as MFA_ENROLL lists it.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct PhoneBody {
    pub id: String,
    pub profile: FactorProfile,
    pub status: &'static str,
}

#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ActivationBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub factor_result: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_step: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shared_secret: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_length: Option<u32>,
    #[serde(rename = "_links")]
    pub links: Links,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ChallengeBody {
    pub correct_answer: u8,
}
