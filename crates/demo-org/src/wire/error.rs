//! Okta's error body (`errorCode`, `errorSummary`, `errorLink`, `errorId`, `errorCauses`),
//! the HTTP status it travels with, and the wording Okta documents for each code.

use axum::http::StatusCode;
use serde::Serialize;
use serde::de::DeserializeOwned;

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
        // Okta names the field in the summary ("Api validation failed: login") and says what
        // is wrong with it in the cause ("login: ...").
        let cause = cause.into();
        let summary = match cause.split_once(':') {
            Some((field, _)) => format!("Api validation failed: {field}"),
            None => "Api validation failed".to_owned(),
        };
        Self::new(StatusCode::BAD_REQUEST, "E0000001", summary).with_cause(cause)
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

    /// E0000098, as Okta answers a phone number it cannot send to.
    pub(crate) fn invalid_phone() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "E0000098",
            "This phone number is invalid.",
        )
    }

    /// E0000068 for a security question: the same code and summary, the cause says answer.
    pub(crate) fn invalid_answer() -> Self {
        Self::new(StatusCode::FORBIDDEN, "E0000068", "Invalid Passcode/Answer")
            .with_cause("Your answer doesn't match our records. Please try again.")
    }

    pub(crate) fn sms_too_soon() -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "E0000109",
            "An SMS message was recently sent. Please wait 30 seconds before trying again.",
        )
    }

    /// E0000006, as Okta refuses a recovery the org does not allow or cannot do for the user.
    pub(crate) fn no_permission() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "E0000006",
            "You do not have permission to perform the requested action",
        )
    }

    /// E0000034: the org's policy does not let the user reset a forgotten password.
    pub(crate) fn forgot_password_not_allowed() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "E0000034",
            "Forgot password not allowed on specified user.",
        )
    }

    /// E0000032: the org's policy does not let the user unlock their own account (Okta's
    /// error code table: "Unlock is not allowed for this user.").
    pub(crate) fn unlock_not_allowed() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "E0000032",
            "Unlock is not allowed for this user.",
        )
    }

    /// E0000069: too many wrong guesses; the account is locked.
    pub(crate) fn user_locked() -> Self {
        Self::new(StatusCode::FORBIDDEN, "E0000069", "User Locked")
    }

    /// E0000080: a new password the policy refuses; the cause lists the requirements.
    pub(crate) fn password_policy(cause: impl Into<String>) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "E0000080",
            "The password does not meet the complexity requirements of the current password policy.",
        )
        .with_cause(cause)
    }

    /// E0000087: the recovery question's answer is wrong.
    pub(crate) fn recovery_answer_wrong() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "E0000087",
            "The recovery question answer did not match our records.",
        )
    }

    /// E0000105: a recovery token that expired or was used.
    pub(crate) fn recovery_token_spent() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "E0000105",
            "You have accessed an account recovery link that has expired or been previously used.",
        )
    }

    pub(crate) fn body_json(&self) -> serde_json::Value {
        let body = ApiErrorBody {
            error_code: self.code,
            error_summary: &self.summary,
            error_link: self.code,
            error_id: crate::org::ids::object_id("oae"),
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
