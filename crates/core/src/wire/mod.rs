//! Okta Authentication API wire models (`/api/v1/authn`), as documented by Okta, and the
//! org's well-known description (`/.well-known/okta-organization`), which names its engine.
//!
//! Unknown fields are ignored; unknown `status` and `factorResult` values are kept by name so
//! the flow can report them as an unsupported step instead of failing to parse.

mod error_body;
mod factor;
mod lenient;
mod link;
mod organization;
mod request;
mod status;

use serde::Deserialize;
use time::OffsetDateTime;

use crate::secret::Secret;

pub use self::error_body::{ErrorCause, OktaErrorBody};
pub use self::factor::{
    Activation, ActivationLinks, Challenge, EnrolledPhone, Factor, FactorEmbedded, FactorLinks,
    FactorPolicyInfo, FactorProfile, PasswordComplexity, PasswordExpiration, Policy,
};
use self::link::one_or_many;
pub use self::link::{Link, LinkHints};
pub use self::organization::{
    Href, OKTA_ORGANIZATION_PATH, OktaOrganization, OrganizationLinks, OrganizationSettings,
};
pub(crate) use self::request::{
    EnrollProfile, PrimaryAuthOptions, PrimaryAuthRequest, RecoveryStartRequest,
    RecoveryTokenRequest, SmsProfile, StateRequest, StepBody,
};
pub use self::status::{FactorResult, Status};

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
    #[serde(default, deserialize_with = "crate::plain_text::deserialize_option")]
    pub factor_result_message: Option<String>,
    #[serde(default)]
    pub session_token: Option<Secret>,
    /// RECOVERY_CHALLENGE: the recovery factor in play (`SMS`, `CALL`, `EMAIL`; Okta's
    /// recordings also spell it lower-case), where a sign-in's challenge embeds the factor.
    #[serde(
        default,
        deserialize_with = "crate::plain_text::deserialize_code_option"
    )]
    pub factor_type: Option<String>,
    /// What a recovery transaction recovers: `PASSWORD`, `UNLOCK` (or `ACCOUNT_ACTIVATION`).
    #[serde(
        default,
        deserialize_with = "crate::plain_text::deserialize_code_option"
    )]
    pub recovery_type: Option<String>,
    #[serde(
        default,
        rename = "_embedded",
        deserialize_with = "lenient::null_as_default"
    )]
    pub embedded: TransactionEmbedded,
    #[serde(
        default,
        rename = "_links",
        deserialize_with = "lenient::null_as_default"
    )]
    pub links: TransactionLinks,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransactionEmbedded {
    #[serde(default)]
    pub user: Option<User>,
    /// MFA_ENROLL and MFA_REQUIRED list factors here; Okta's docs sometimes show `factor`.
    #[serde(default, deserialize_with = "lenient::null_as_default")]
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

impl Transaction {
    /// A recovery that unlocked the account (`recoveryType: UNLOCK`), rather than a sign-in.
    pub fn unlocked(&self) -> bool {
        self.status == Status::Success
            && self
                .recovery_type
                .as_deref()
                .is_some_and(|kind| kind.eq_ignore_ascii_case("UNLOCK"))
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
    /// RECOVERY: the security question to answer (Okta spells this key in snake case).
    #[serde(default, rename = "recovery_question")]
    pub recovery_question: Option<RecoveryQuestion>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RecoveryQuestion {
    #[serde(default, deserialize_with = "crate::plain_text::deserialize")]
    pub question: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserProfile {
    #[serde(default, deserialize_with = "crate::plain_text::deserialize")]
    pub login: String,
    #[serde(default, deserialize_with = "crate::plain_text::deserialize_option")]
    pub first_name: Option<String>,
    #[serde(default, deserialize_with = "crate::plain_text::deserialize_option")]
    pub last_name: Option<String>,
    #[serde(default)]
    pub locale: Option<String>,
    #[serde(default)]
    pub time_zone: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_number_to_tap_may_come_as_a_number_or_as_text() {
        for (json, number) in [
            ("42", Some(42)),
            (r#""42""#, Some(42)),
            (r#""forty""#, None),
            ("null", None),
        ] {
            let challenge: Challenge =
                serde_json::from_str(&format!(r#"{{"correctAnswer":{json}}}"#)).unwrap();
            assert_eq!(challenge.correct_answer, number, "{json}");
        }
    }

    #[test]
    fn server_text_arrives_without_control_characters() {
        let tx: Transaction = serde_json::from_str(
            r#"{"status":"MFA_CHALLENGE","factorResultMessage":"\u001b[2Jx",
                "_embedded":{"user":{"id":"00u1","profile":{"login":"ada\u0007@acme.com",
                  "firstName":"Ada\u001b]52;c;aGk=\u0007"}},
                "factor":{"factorType":"push","profile":{"name":"Pixel\n\u001b[31m8"}}}}"#,
        )
        .unwrap();
        let user = tx.embedded.user.unwrap();
        assert_eq!(user.profile.login, "ada@acme.com");
        assert_eq!(user.profile.first_name.as_deref(), Some("Ada]52;c;aGk="));
        let factor = tx.embedded.factor.unwrap();
        assert_eq!(factor.profile.unwrap().name.as_deref(), Some("Pixel [31m8"));
        assert_eq!(tx.factor_result_message.as_deref(), Some("[2Jx"));
        let error: OktaErrorBody = serde_json::from_str(
            r#"{"errorCode":"E0000001","errorSummary":"Bad\u001b[0m","errorCauses":[{"errorSummary":"x\u0007y"}]}"#,
        )
        .unwrap();
        assert_eq!(error.full_summary(), "Bad[0m: xy.");
    }

    #[test]
    fn server_codes_arrive_in_the_code_alphabet() {
        let escape = r#"\u001b]52;c;aGk=\u0007\u009b2J\n"#;
        let tx: Transaction = serde_json::from_str(&format!(
            r#"{{"status":"NEW{escape}","factorResult":"NEW{escape}",
                "_embedded":{{"factor":{{"factorType":"push{escape}","provider":"OKTA{escape}"}}}}}}"#
        ))
        .unwrap();
        let safe = "??52?c?aGk???2J?";
        assert_eq!(tx.status.as_str(), format!("NEW{safe}"));
        assert_eq!(tx.factor_result.unwrap().as_str(), format!("NEW{safe}"));
        let factor = tx.embedded.factor.unwrap();
        assert_eq!(factor.factor_type, format!("push{safe}"));
        assert_eq!(factor.provider, format!("OKTA{safe}"));
        let error: OktaErrorBody =
            serde_json::from_str(&format!(r#"{{"errorCode":"E0000004{escape}"}}"#)).unwrap();
        assert_eq!(error.error_code, format!("E0000004{safe}"));
    }

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
    fn a_locked_out_answer_has_no_state_token_only_unlock_and_cancel() {
        // Shaped like Okta's answer when the password policy shows lockout failures.
        let tx: Transaction = serde_json::from_str(
            r#"{"status":"LOCKED_OUT","_embedded":{},
                "_links":{"next":{"name":"unlock","href":"https://acme.okta.com/api/v1/authn/recovery/unlock","hints":{"allow":["POST"]}},
                          "cancel":{"href":"https://acme.okta.com/api/v1/authn/cancel","hints":{"allow":["POST"]}}}}"#,
        )
        .unwrap();
        assert_eq!(tx.status, Status::LockedOut);
        assert!(tx.state_token.is_none());
        assert!(tx.links.next.unwrap().is_named("unlock"));
        assert!(tx.links.cancel.is_some());
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
