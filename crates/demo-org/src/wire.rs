//! Okta's JSON shapes: HAL documents with `_embedded` and `_links`, timestamps with
//! milliseconds and `Z`, and the error body. Field names and nesting follow Okta's
//! Authentication API reference; optional fields are omitted rather than sent as `null`.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use serde::Serialize;
use serde::de::DeserializeOwned;
use time::OffsetDateTime;
use time::macros::format_description;

/// A timestamp rendered the way Okta does: `2015-11-03T10:15:57.000Z`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Timestamp(pub OffsetDateTime);

impl Timestamp {
    pub(crate) fn to_iso(self) -> String {
        let format = format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
        );
        self.0
            .to_offset(time::UtcOffset::UTC)
            .format(&format)
            .unwrap_or_default()
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_iso())
    }
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Hints {
    pub allow: Vec<&'static str>,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Link {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'static str>,
    pub href: String,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub media_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hints: Option<Hints>,
}

impl Link {
    pub(crate) fn post(href: String) -> Self {
        Self {
            name: None,
            href,
            media_type: None,
            hints: Some(Hints {
                allow: vec!["POST"],
            }),
        }
    }

    pub(crate) fn named(mut self, name: &'static str) -> Self {
        self.name = Some(name);
        self
    }

    pub(crate) fn allowing(mut self, allow: Vec<&'static str>) -> Self {
        self.hints = Some(Hints { allow });
        self
    }
}

/// A `_links` entry: most relations hold one link, `send` and `resend` hold a list.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub(crate) enum Relation {
    One(Link),
    Many(Vec<Link>),
}

pub(crate) type Links = BTreeMap<&'static str, Relation>;

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
    pub factors_policy_info: BTreeMap<String, FactorPolicyInfo>,
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

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FactorProfile {
    pub credential_id: String,
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

/// Okta's error body, and the HTTP status it travels with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub summary: String,
    pub causes: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ApiErrorBody<'a> {
    error_code: &'a str,
    error_summary: &'a str,
    error_link: &'a str,
    error_id: String,
    error_causes: Vec<ErrorCause<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ErrorCause<'a> {
    error_summary: &'a str,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, summary: impl Into<String>) -> Self {
        Self {
            status,
            code,
            summary: summary.into(),
            causes: Vec::new(),
        }
    }

    pub(crate) fn with_cause(mut self, cause: impl Into<String>) -> Self {
        self.causes.push(cause.into());
        self
    }

    /// Any status and code, for injected faults.
    pub(crate) fn custom(status: StatusCode, code: &'static str, summary: String) -> Self {
        Self::new(status, code, summary)
    }

    pub(crate) fn validation(cause: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "E0000001", "Api validation failed").with_cause(cause)
    }

    pub(crate) fn malformed_body() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "E0000003",
            "The request body was not well-formed.",
        )
    }

    pub(crate) fn authentication_failed() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "E0000004",
            "Authentication failed",
        )
    }

    pub(crate) fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "E0000007",
            format!("Not found: Resource not found: {what}"),
        )
    }

    pub(crate) fn invalid_token() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "E0000011",
            "Invalid token provided",
        )
    }

    pub(crate) fn credential_update_failed(cause: impl Into<String>) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "E0000014",
            "Update of credentials failed",
        )
        .with_cause(cause)
    }

    pub(crate) fn rate_limited() -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "E0000047",
            "API call exceeded rate limit due to too many requests.",
        )
    }

    pub(crate) fn invalid_passcode() -> Self {
        Self::new(StatusCode::FORBIDDEN, "E0000068", "Invalid Passcode/Answer")
            .with_cause("Your passcode doesn't match our records. Please try again.")
    }

    pub(crate) fn wrong_state() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "E0000079",
            "This operation is not allowed in the current authentication state.",
        )
    }

    pub(crate) fn passcode_replayed() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "E0000082",
            "Each code can only be used once. Please wait for a new code and try again.",
        )
    }

    pub(crate) fn passcode_outside_window() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "E0000083",
            "PassCode is valid but exceeded time window.",
        )
    }

    pub(crate) fn sms_too_soon() -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "E0000109",
            "An SMS message was recently sent. Please wait 30 seconds before trying again.",
        )
    }

    pub(crate) fn body_json(&self) -> serde_json::Value {
        let body = ApiErrorBody {
            error_code: self.code,
            error_summary: &self.summary,
            error_link: self.code,
            error_id: crate::ids::object_id("oae"),
            error_causes: self
                .causes
                .iter()
                .map(|cause| ErrorCause {
                    error_summary: cause,
                })
                .collect(),
        };
        serde_json::to_value(body).unwrap_or_default()
    }
}

/// Parses a JSON request body, answering Okta's E0000003 for anything that is not
/// well-formed.
pub(crate) fn json_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|_| ApiError::malformed_body())
}

impl axum::response::IntoResponse for ApiError {
    fn into_response(self) -> axum::response::Response {
        (self.status, axum::Json(self.body_json())).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn timestamps_have_milliseconds_and_z() {
        let ts = Timestamp(datetime!(2015-11-03 10:15:57.5 UTC));
        assert_eq!(ts.to_iso(), "2015-11-03T10:15:57.500Z");
    }

    #[test]
    fn error_body_has_every_documented_field() {
        let body = ApiError::authentication_failed().body_json();
        assert_eq!(body["errorCode"], "E0000004");
        assert_eq!(body["errorSummary"], "Authentication failed");
        assert_eq!(body["errorLink"], "E0000004");
        assert!(
            body["errorId"]
                .as_str()
                .is_some_and(|id| id.starts_with("oae"))
        );
        assert_eq!(body["errorCauses"], serde_json::json!([]));
    }
}
