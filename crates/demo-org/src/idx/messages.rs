//! How Identity Engine says no. IDX endpoints answer a refused remediation with the whole
//! transaction again plus `messages` (`{type: "array", value: [{message, i18n: {key}, class}]}`)
//! and an error status; a dead state handle gets only the `idx.session.expired` message. The
//! OAuth endpoints (`/interact`, `/token`) answer OAuth's `{error, error_description}`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// The media type of every IDX answer.
pub(crate) const ION_JSON: &str = "application/ion+json; okta-version=1.0.0";

/// One entry of `messages.value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct IdxMessage {
    pub text: String,
    pub key: &'static str,
    pub class: &'static str,
    /// `i18n.params`: what the localized text is built from (empty for most keys).
    pub params: Vec<String>,
}

impl IdxMessage {
    fn error(key: &'static str, text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            key,
            class: "ERROR",
            params: Vec::new(),
        }
    }

    /// As Okta writes one: `i18n.params` is there, empty, for the keys this org sends.
    pub(crate) fn to_json(&self) -> Value {
        json!({ "message": self.text, "i18n": { "key": self.key, "params": self.params }, "class": self.class })
    }
}

pub(crate) fn messages_json(messages: &[IdxMessage]) -> Value {
    json!({ "type": "array", "value": messages.iter().map(IdxMessage::to_json).collect::<Vec<_>>() })
}

/// A remediation the org refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum IdxError {
    /// The state handle (or interaction handle) is unknown, expired or already finished:
    /// 401 with `idx.session.expired` and nothing to continue with.
    SessionExpired,
    /// What was sent does not do: the transaction is shown again with the message, at the
    /// top (`messages`) or, where Okta puts it, on the input that was wrong.
    Refused {
        status: StatusCode,
        message: IdxMessage,
        place: Place,
    },
}

/// Where a refusal's message goes in the answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Place {
    /// The answer's own `messages`.
    Top,
    /// The `messages` of the input inside the step's `credentials` field (`passcode`,
    /// `totp`, `answer`), as Okta answers a wrong or reused code: nothing at the top.
    Credentials,
    /// The `messages` of every input so named inside `credentials`, its options' included
    /// (a security question's `answer` or own `question`), as Okta refuses those.
    Input(&'static str),
}

impl IdxError {
    fn refused(status: StatusCode, key: &'static str, text: impl Into<String>) -> Self {
        Self::Refused {
            status,
            message: IdxMessage::error(key, text),
            place: Place::Top,
        }
    }

    /// The same refusal, said on the credentials input rather than at the top.
    fn on_credentials(self) -> Self {
        match self {
            Self::Refused {
                status, message, ..
            } => Self::Refused {
                status,
                message,
                place: Place::Credentials,
            },
            other => other,
        }
    }

    pub(crate) fn malformed_body() -> Self {
        Self::refused(
            StatusCode::BAD_REQUEST,
            "E0000003",
            "The request body was not well-formed.",
        )
    }

    pub(crate) fn blank(field: &str) -> Self {
        Self::refused(
            StatusCode::BAD_REQUEST,
            "model.validation.field.blank",
            format!("'{field}' is required. Fill it in and try again."),
        )
    }

    pub(crate) fn unknown_user(identifier: &str) -> Self {
        Self::Refused {
            status: StatusCode::BAD_REQUEST,
            message: IdxMessage {
                text: format!("There is no account with the Username {identifier}."),
                key: "idx.unknown.user",
                class: "INFO",
                params: Vec::new(),
            },
            place: Place::Top,
        }
    }

    pub(crate) fn incorrect_password() -> Self {
        Self::refused(
            StatusCode::UNAUTHORIZED,
            "incorrectPassword",
            "Password is incorrect",
        )
    }

    pub(crate) fn locked_out() -> Self {
        Self::refused(
            StatusCode::FORBIDDEN,
            "errors.E0000119",
            "Your account is locked. Please contact your administrator.",
        )
    }

    pub(crate) fn invalid_code() -> Self {
        Self::refused(
            StatusCode::UNAUTHORIZED,
            "api.authn.error.PASSCODE_INVALID",
            "Invalid code. Try again.",
        )
        .on_credentials()
    }

    pub(crate) fn code_replayed() -> Self {
        Self::refused(
            StatusCode::BAD_REQUEST,
            "errors.E0000082",
            "Each code can only be used once. Please wait for a new code and try again.",
        )
        .on_credentials()
    }

    /// A wrong code from an authenticator app (Google Authenticator): Okta's per-authenticator
    /// key, as its recorded Google Authenticator answers carry it, on the field.
    pub(crate) fn soft_token_invalid() -> Self {
        Self::refused(
            StatusCode::BAD_REQUEST,
            "authfactor.challenge.soft_token.invalid_passcode",
            "API error: That code does not match. Check the app and try again.",
        )
        .on_credentials()
    }

    /// A code from an authenticator app used before (Google Authenticator), as
    /// [`soft_token_invalid`](Self::soft_token_invalid).
    pub(crate) fn soft_token_used() -> Self {
        Self::refused(
            StatusCode::BAD_REQUEST,
            "authfactor.challenge.soft_token.used_passcode",
            "API error: That code was used already. Wait for the app to show a new one.",
        )
        .on_credentials()
    }

    pub(crate) fn code_outside_window() -> Self {
        Self::refused(
            StatusCode::BAD_REQUEST,
            "errors.E0000083",
            "Your code is valid but outside the time window. Check your device's clock, then enter a new code.",
        )
        .on_credentials()
    }

    pub(crate) fn incorrect_answer() -> Self {
        Self::refused(
            StatusCode::UNAUTHORIZED,
            "api.authn.error.PASSCODE_INVALID",
            "Your answer doesn't match our records. Please try again.",
        )
        .on_credentials()
    }

    /// A 200, as Okta's recorded rejected-push answer comes (it is no error response).
    pub(crate) fn push_rejected() -> Self {
        Self::refused(
            StatusCode::OK,
            "api.authn.poll.error.push_rejected",
            "You have chosen to reject this login.",
        )
    }

    /// Okta Verify's enrollment policy wants biometrics the phone lacks: said with the
    /// enrollment's forms again, in a 200 as Okta's recording comes.
    pub(crate) fn biometrics_required() -> Self {
        Self::refused(
            StatusCode::OK,
            "oie.authenticator.app.method.push.enroll.enable.biometrics",
            "Biometrics need to be enabled on your device to set up Okta Verify. Turn them on in the device's settings, then add the account again.",
        )
    }

    pub(crate) fn sent_too_soon() -> Self {
        Self::refused(
            StatusCode::TOO_MANY_REQUESTS,
            "errors.E0000109",
            "A code was sent recently. Wait 30 seconds before asking for another.",
        )
    }

    pub(crate) fn not_offered(what: &str) -> Self {
        Self::refused(
            StatusCode::BAD_REQUEST,
            "errors.E0000001",
            format!("{what} is not one of the choices this step offers. Pick one it lists."),
        )
    }

    pub(crate) fn browser_only(name: &str) -> Self {
        Self::refused(
            StatusCode::BAD_REQUEST,
            "errors.E0000001",
            format!(
                "{name} is set up and verified in a browser on this demo org. Choose another authenticator."
            ),
        )
    }

    pub(crate) fn wrong_step() -> Self {
        Self::refused(
            StatusCode::BAD_REQUEST,
            "errors.E0000079",
            "This operation is not allowed in the current authentication state. Follow the remediations of the latest response.",
        )
    }

    pub(crate) fn invalid_phone() -> Self {
        Self::refused(
            StatusCode::BAD_REQUEST,
            "errors.E0000098",
            "This phone number is invalid. Type it in international form, such as +1 555 555 0142.",
        )
    }

    pub(crate) fn invalid_email() -> Self {
        Self::refused(
            StatusCode::BAD_REQUEST,
            "registration.error.invalidEmail",
            "This is not an email address. Type one such as name@example.com.",
        )
    }

    /// An answer to a security question being set up that Okta's rules refuse, said on the
    /// `answer` inputs as Okta's recordings do (`securityQuestion.answer.tooShort.arg` for
    /// one too short).
    pub(crate) fn answer_refused_on_field(key: &'static str, problem: &str) -> Self {
        Self::refused(StatusCode::BAD_REQUEST, key, problem.to_owned()).on_input("answer")
    }

    /// A question of one's own left blank.
    pub(crate) fn own_question_blank() -> Self {
        Self::refused(
            StatusCode::BAD_REQUEST,
            "model.validation.field.blank",
            "This field cannot be left blank",
        )
        .on_input("question")
    }

    /// A question of one's own with HTML in it (`tagsNotAllowed`, as recorded).
    pub(crate) fn own_question_tags() -> Self {
        Self::refused(
            StatusCode::BAD_REQUEST,
            "tagsNotAllowed",
            "The field must not contain HTML tags",
        )
        .on_input("question")
    }

    /// A question of one's own longer than the org takes (no recording of it: the generic
    /// validation key, on the field).
    pub(crate) fn own_question_too_long(max: usize) -> Self {
        Self::refused(
            StatusCode::BAD_REQUEST,
            "errors.E0000001",
            format!("The security question must be no more than {max} characters long"),
        )
        .on_input("question")
    }

    /// The same refusal, said on the inputs named `name` inside `credentials`.
    fn on_input(self, name: &'static str) -> Self {
        match self {
            Self::Refused {
                status, message, ..
            } => Self::Refused {
                status,
                message,
                place: Place::Input(name),
            },
            other => other,
        }
    }

    /// A new password the org's policy refuses during recovery, on the password input as
    /// Okta's `error-authenticator-reset-password-requirement` recording puts it, the
    /// requirements in `i18n.params`.
    pub(crate) fn password_requirements_not_met(cause: String, requirements: String) -> Self {
        Self::Refused {
            status: StatusCode::BAD_REQUEST,
            message: IdxMessage {
                text: cause,
                key: "password.passwordRequirementsNotMet",
                class: "ERROR",
                params: vec![requirements],
            },
            place: Place::Credentials,
        }
    }

    /// `recover` on an org that does not allow self-service password reset: the
    /// transaction ends (Okta's `error-reset-password-not-allowed` recording).
    pub(crate) fn reset_password_not_allowed() -> Self {
        Self::refused(
            StatusCode::FORBIDDEN,
            "oie.selfservice.reset.password.not.allowed",
            "Resetting your password yourself is turned off for this org. Ask your help desk to reset it.",
        )
    }

    /// `unlock-account` on an org that does not allow self-service unlock (Okta's
    /// `error-400-unlock-account` recording): said with the step's forms again.
    pub(crate) fn unlock_not_allowed() -> Self {
        Self::refused(
            StatusCode::BAD_REQUEST,
            "oie.selfservice.user.unlock.not.allowed",
            "Unlocking your account yourself is turned off for this org. Ask your help desk to unlock it.",
        )
    }

    /// The account is unlocked: a 200 whose only message says so, with nothing left to do
    /// but sign in again (Okta's `user-account-unlock-success` recording).
    pub(crate) fn unlocked() -> Self {
        Self::Refused {
            status: StatusCode::OK,
            message: IdxMessage {
                text: "Your account is unlocked. Sign in with your username and password."
                    .to_owned(),
                key: "oie.selfservice.unlock_user.success.message",
                class: "INFO",
                params: Vec::new(),
            },
            place: Place::Top,
        }
    }

    pub(crate) fn password_rejected(problem: String) -> Self {
        Self::refused(
            StatusCode::BAD_REQUEST,
            "password.passwordRequirementsNotMet",
            problem,
        )
        .on_credentials()
    }
}

/// An IDX answer: a status and an ion body.
pub(crate) struct IdxReply {
    pub status: StatusCode,
    pub body: Value,
}

impl IntoResponse for IdxReply {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.body)).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(ION_JSON));
        response
    }
}

/// The body Okta sends for a dead state handle: a version and the message, nothing more.
pub(crate) fn session_expired() -> IdxReply {
    IdxReply {
        status: StatusCode::UNAUTHORIZED,
        body: json!({
            "version": "1.0.0",
            "messages": messages_json(&[IdxMessage::error(
                "idx.session.expired",
                "You have been logged out due to inactivity. Refresh or return to the sign in screen.",
            )]),
        }),
    }
}

/// OAuth's error body, for `/interact`, `/token` and the other OAuth endpoints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct OAuthError {
    pub status: StatusCode,
    pub error: &'static str,
    pub description: String,
}

impl OAuthError {
    pub(crate) fn new(
        status: StatusCode,
        error: &'static str,
        description: impl Into<String>,
    ) -> Self {
        Self {
            status,
            error,
            description: description.into(),
        }
    }

    pub(crate) fn invalid_request(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", description)
    }

    pub(crate) fn invalid_client() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Invalid value for 'client_id' parameter.",
        )
    }

    pub(crate) fn invalid_grant(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_grant", description)
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            axum::Json(json!({ "error": self.error, "error_description": self.description })),
        )
            .into_response();
        // OAuth error answers must not be cached (RFC 6749 §5.1).
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}
