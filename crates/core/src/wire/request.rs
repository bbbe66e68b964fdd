//! Request bodies. Secrets are serialised here and nowhere else.

use serde::Serialize;

use crate::secret::{Secret, serialize_exposed};

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
