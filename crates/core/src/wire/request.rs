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

/// `POST /api/v1/authn/recovery/password` and `…/unlock`: who, and the recovery factor Okta
/// must use (`EMAIL`, `SMS` or `CALL`), which it needs before it says anything else.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RecoveryStartRequest<'a> {
    pub username: &'a str,
    pub factor_type: &'a str,
}

/// `POST /api/v1/authn/recovery/token`: the token from the emailed recovery link.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RecoveryTokenRequest<'a> {
    #[serde(serialize_with = "serialize_exposed")]
    pub recovery_token: &'a Secret,
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
    /// Enroll a factor, with what its type needs (a phone, a question, a token's code); also
    /// the body of an enrollment's `resend`.
    Enroll {
        factor_type: &'a str,
        provider: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        profile: Option<EnrollProfile<'a>>,
        #[serde(
            skip_serializing_if = "Option::is_none",
            serialize_with = "serialize_option_ref_exposed"
        )]
        pass_code: Option<&'a Secret>,
    },
    PassCode {
        #[serde(serialize_with = "serialize_exposed")]
        pass_code: &'a Secret,
    },
    Answer {
        #[serde(serialize_with = "serialize_exposed")]
        answer: &'a Secret,
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
    /// PASSWORD_RESET: the new password a recovery sets (no old one: it was forgotten).
    NewPassword {
        #[serde(serialize_with = "serialize_exposed")]
        new_password: &'a Secret,
    },
}

/// The `profile` of an enrollment.
#[derive(Serialize)]
#[serde(untagged, rename_all_fields = "camelCase")]
pub(crate) enum EnrollProfile<'a> {
    /// SMS and voice call.
    Phone { phone_number: &'a str },
    /// Security question.
    Question {
        question: &'a str,
        #[serde(serialize_with = "serialize_exposed")]
        answer: &'a Secret,
    },
    /// An RSA SecurID token, known by a credential id.
    Credential { credential_id: &'a str },
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SmsProfile<'a> {
    pub phone_number: &'a str,
}

fn serialize_option_ref_exposed<S: serde::Serializer>(
    secret: &Option<&Secret>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match secret {
        Some(secret) => serialize_exposed(secret, serializer),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enrollment_bodies_carry_what_each_factor_needs() {
        let token = Secret::new("00tok");
        let answer = Secret::new("mayonnaise");
        let body = |extra| {
            serde_json::to_value(StateRequest {
                state_token: &token,
                extra,
            })
            .unwrap()
        };
        assert_eq!(
            body(StepBody::Enroll {
                factor_type: "sms",
                provider: "OKTA",
                profile: Some(EnrollProfile::Phone {
                    phone_number: "+14155550123"
                }),
                pass_code: None,
            }),
            serde_json::json!({"stateToken": "00tok", "factorType": "sms", "provider": "OKTA",
                "profile": {"phoneNumber": "+14155550123"}})
        );
        assert_eq!(
            body(StepBody::Enroll {
                factor_type: "question",
                provider: "OKTA",
                profile: Some(EnrollProfile::Question {
                    question: "disliked_food",
                    answer: &answer
                }),
                pass_code: None,
            }),
            serde_json::json!({"stateToken": "00tok", "factorType": "question", "provider": "OKTA",
                "profile": {"question": "disliked_food", "answer": "mayonnaise"}})
        );
        let code = Secret::new("12345678");
        assert_eq!(
            body(StepBody::Enroll {
                factor_type: "token",
                provider: "RSA",
                profile: Some(EnrollProfile::Credential {
                    credential_id: "ada@acme.com"
                }),
                pass_code: Some(&code),
            }),
            serde_json::json!({"stateToken": "00tok", "factorType": "token", "provider": "RSA",
                "profile": {"credentialId": "ada@acme.com"}, "passCode": "12345678"})
        );
        assert_eq!(
            body(StepBody::Answer { answer: &answer }),
            serde_json::json!({"stateToken": "00tok", "answer": "mayonnaise"})
        );
    }
}
