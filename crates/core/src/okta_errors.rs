//! Okta's error codes and factor results, turned into OktaDesk's [`Error`]s in one place.
//!
//! Okta documents its codes at <https://developer.okta.com/docs/reference/error-codes/>.
//! Every driver and the HTTP layer ask here, so one code always means one thing to the user.

use crate::error::{Error, ErrorInfo};
use crate::stage::Recovery;
use crate::wire::{FactorResult, OktaErrorBody};

/// The error for an Okta error body that came with HTTP `status`.
pub(crate) fn from_body(status: u16, body: &OktaErrorBody, host: &str) -> Error {
    match body.error_code.as_str() {
        "E0000004" => Error::Credentials,
        "E0000011" => Error::Expired,
        "E0000079" => Error::OutOfStep,
        "E0000069" => Error::LockedOut {
            self_service_unlock: false,
        },
        "E0000068" => Error::InvalidCode,
        "E0000087" => Error::InvalidAnswer,
        // One SMS per 30 seconds (Okta's documented limit): the step stands, wait and resend.
        "E0000109" => Error::RateLimited {
            retry_after: Some(std::time::Duration::from_secs(30)),
        },
        "E0000082" => Error::CodeReused,
        "E0000083" => Error::CodeOutsideWindow,
        "E0000047" => Error::RateLimited { retry_after: None },
        // "Forgot password not allowed on specified user." / "Unlock is not allowed for this
        // user." (the widget's `errors.E0000034` and `errors.E0000032`).
        "E0000034" => Error::SelfServiceNotAllowed {
            recovery: Recovery::ResetPassword,
        },
        "E0000032" => Error::SelfServiceNotAllowed {
            recovery: Recovery::UnlockAccount,
        },
        // "You have accessed an account recovery link that has expired or been previously
        // used." (the widget's RECOVERY_EXPIRED_error).
        "E0000105" => Error::RecoveryLinkExpired,
        _ if (500..600).contains(&status) => Error::ServerError {
            host: host.to_owned(),
            status,
        },
        code => Error::Okta {
            code: code.to_owned(),
            summary: body.full_summary(),
        },
    }
}

/// The error for an OAuth error body (`interact`, `token`; RFC 6749 section 5.2), with what an
/// admin must change where the cause is the OktaDesk app's setup in the org.
pub(crate) fn from_oauth(error: &str, description: &str) -> Error {
    let summary = match error {
        "invalid_client" => format!(
            "{description} The OIDC client ID set for this account is not an app in this org; check it with your Okta admin"
        ),
        "unauthorized_client" => format!(
            "{description} Your Okta admin must allow the Interaction Code grant for the OktaDesk app (and the org must have Interaction Code enabled)"
        ),
        "invalid_redirect_uri" | "invalid_request" if description.contains("redirect") => format!(
            "{description} Your Okta admin must add {} as a sign-in redirect URI of the OktaDesk app",
            crate::oidc_client::IDX_REDIRECT_URI
        ),
        "invalid_grant" => return Error::Expired,
        _ => description.to_owned(),
    };
    Error::Okta {
        code: error.to_owned(),
        summary: crate::plain_text(summary.trim()),
    }
}

/// What an IDX message (`messages`, with its `i18n.key`) means, when it means one of the
/// errors every driver knows; `None` leaves Okta's own text to show.
pub(crate) fn from_idx_message(key: &str) -> Option<Error> {
    Some(match key {
        "idx.session.expired" | "idx.invalid.state.handle" => Error::Expired,
        "incorrectPassword" | "errors.E0000004" | "authfactor.password.incorrect" => {
            Error::Credentials
        }
        // "The account is locked" (Okta's E0000119, as IDX words its key).
        "errors.E0000119" => Error::LockedOut {
            self_service_unlock: false,
        },
        // A wrong code, per authenticator as Okta keys it: its own apps' and tokens'
        // (`authfactor.challenge.soft_token.invalid_passcode`, Google Authenticator and other
        // OTP apps), the generic key of codes sent by SMS, call or email, and the E0000068 of
        // the Authentication API.
        key if key.contains("PASSCODE_INVALID")
            || key.ends_with("passcode.invalid")
            || key.ends_with(".invalid_passcode")
            || key == "errors.E0000068" =>
        {
            Error::InvalidCode
        }
        // A code used already: `used_passcode` of the same authenticators, E0000082.
        key if key.ends_with(".used_passcode") || key == "errors.E0000082" => Error::CodeReused,
        "errors.E0000083" => Error::CodeOutsideWindow,
        // "You have reached the limit of SMS (call) requests": the step stands, wait and resend.
        "errors.E0000150" | "errors.E0000151" => Error::RateLimited {
            retry_after: Some(std::time::Duration::from_secs(30)),
        },
        "api.authn.poll.error.push_rejected" => Error::MfaRejected,
        key if key.starts_with("api.authn.poll.error") && key.contains("timeout") => {
            Error::MfaTimeout
        }
        "api.authn.error.PASSCODE_REPLAYED" | "api.factors.error.passcode_replayed" => {
            Error::CodeReused
        }
        // Okta's recorded refusals of self-service recovery on Identity Engine.
        "oie.selfservice.reset.password.not.allowed" => Error::SelfServiceNotAllowed {
            recovery: Recovery::ResetPassword,
        },
        "oie.selfservice.user.unlock.not.allowed"
        | "oie.selfservice.unlock_user.challenge.failed.permissions" => {
            Error::SelfServiceNotAllowed {
                recovery: Recovery::UnlockAccount,
            }
        }
        key if key.contains("tooManyRequests") || key.contains("E0000047") => {
            Error::RateLimited { retry_after: None }
        }
        _ => return None,
    })
}

/// A refused passcode: the step still stands and the person can type another.
pub(crate) fn is_code_refusal(error: &Error) -> bool {
    matches!(
        error,
        Error::InvalidCode | Error::CodeReused | Error::CodeOutsideWindow
    )
}

/// A passcode refused through `factorResult` rather than an error code.
pub(crate) fn code_refusal(result: Option<&FactorResult>) -> Option<Error> {
    match result? {
        FactorResult::PasscodeReplayed => Some(Error::CodeReused),
        FactorResult::TimeWindowExceeded => Some(Error::CodeOutsideWindow),
        _ => None,
    }
}

/// A password change Okta refused while the step still stands, as the error to show; `None`
/// for any other failure. Okta answers a wrong current password with the same E0000014 as a
/// new password its policy refuses, naming the field in the causes ("oldPassword: The
/// credentials provided were incorrect."); some orgs answer it with a 400 whose cause says
/// "Old password is not correct". Both are the one error of a wrong current password.
pub(crate) fn password_change_refusal(error: &Error) -> Option<Error> {
    let Error::Okta { code, summary } = error else {
        return None;
    };
    if !matches!(code.as_str(), "E0000014" | "E0000080" | "E0000001") {
        return None;
    }
    Some(if names_the_old_password(summary) {
        Error::OldPasswordIncorrect
    } else {
        Error::PasswordChangeRejected {
            reason: summary.clone(),
        }
    })
}

fn names_the_old_password(summary: &str) -> bool {
    let summary = summary.to_ascii_lowercase();
    summary.contains("oldpassword") || summary.contains("old password is not correct")
}

/// Whether a push that ended this way can be sent again (or another factor picked): every
/// end but approval is, including `ERROR` and `CANCELLED`.
pub(crate) fn push_can_be_sent_again(result: &FactorResult) -> bool {
    matches!(
        result,
        FactorResult::Rejected
            | FactorResult::Timeout
            | FactorResult::Error
            | FactorResult::Cancelled
    )
}

/// Why a push ended without approval, with Okta's `factorResultMessage` where it says more.
pub(crate) fn push_refusal(result: &FactorResult, message: Option<&str>) -> ErrorInfo {
    match result {
        FactorResult::Timeout => return Error::MfaTimeout.info(),
        // An unknown result is no reason to tell a help desk the person refused: say the
        // push did not complete, which is all that is known.
        FactorResult::Error | FactorResult::Other(_) => return Error::MfaError.info(),
        FactorResult::Cancelled => return Error::MfaCancelled.info(),
        _ => {}
    }
    if message == Some("OKTA_VERIFY_UPGRADE_REQUIRED") {
        return ErrorInfo {
            kind: Error::MfaRejected.kind(),
            message: "Okta Verify on your phone is too old for this org. Update Okta Verify from your app store, then send a new push.".into(),
        };
    }
    Error::MfaRejected.info()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn body(code: &str) -> OktaErrorBody {
        OktaErrorBody {
            error_code: code.into(),
            error_summary: "Summary".into(),
            ..OktaErrorBody::default()
        }
    }

    #[test]
    fn each_code_means_one_kind() {
        let kind = |status, code| from_body(status, &body(code), "acme.okta.com").kind();
        assert_eq!(kind(401, "E0000004"), ErrorKind::Credentials);
        assert_eq!(kind(403, "E0000079"), ErrorKind::OutOfStep);
        assert_eq!(kind(403, "E0000068"), ErrorKind::InvalidCode);
        assert_eq!(kind(403, "E0000083"), ErrorKind::CodeOutsideWindow);
        assert_eq!(kind(502, "E0000009"), ErrorKind::ServerError);
        assert_eq!(kind(400, "E0000001"), ErrorKind::OktaError);
        assert_eq!(kind(403, "E0000034"), ErrorKind::SelfServiceNotAllowed);
        assert_eq!(kind(403, "E0000032"), ErrorKind::SelfServiceNotAllowed);
        assert_eq!(kind(403, "E0000105"), ErrorKind::Expired);
    }

    #[test]
    fn recovery_refusals_on_identity_engine_name_what_was_refused() {
        let refused = |key: &str| match from_idx_message(key) {
            Some(Error::SelfServiceNotAllowed { recovery }) => Some(recovery),
            _ => None,
        };
        assert_eq!(
            refused("oie.selfservice.reset.password.not.allowed"),
            Some(Recovery::ResetPassword)
        );
        assert_eq!(
            refused("oie.selfservice.user.unlock.not.allowed"),
            Some(Recovery::UnlockAccount)
        );
    }

    #[test]
    fn a_password_refusal_names_the_field_okta_names() {
        let refused = |summary: &str| {
            password_change_refusal(&Error::Okta {
                code: "E0000014".into(),
                summary: summary.into(),
            })
            .map(|error| error.kind())
        };
        assert_eq!(
            refused(
                "Update of credentials failed: oldPassword: The credentials provided were incorrect."
            ),
            Some(ErrorKind::OldPasswordIncorrect)
        );
        assert_eq!(
            refused("Password requirements were not met."),
            Some(ErrorKind::PasswordChangeRejected)
        );
        // The 400 some orgs answer instead, with its own wording: the same error.
        let api_validation = Error::Okta {
            code: "E0000001".into(),
            summary: "Api validation failed: password: Old Password is not correct.".into(),
        };
        assert_eq!(
            password_change_refusal(&api_validation).map(|error| error.kind()),
            Some(ErrorKind::OldPasswordIncorrect)
        );
        assert_eq!(
            password_change_refusal(&Error::Credentials).map(|e| e.kind()),
            None
        );
    }

    #[test]
    fn an_old_okta_verify_is_told_to_update() {
        let info = push_refusal(
            &FactorResult::Rejected,
            Some("OKTA_VERIFY_UPGRADE_REQUIRED"),
        );
        assert_eq!(info.kind, ErrorKind::MfaRejected);
        assert!(info.message.contains("Update Okta Verify"));
        assert_eq!(
            push_refusal(&FactorResult::Timeout, None).kind,
            ErrorKind::MfaTimeout
        );
    }

    #[test]
    fn a_push_that_errored_or_was_cancelled_can_be_sent_again_and_says_why() {
        for (result, kind) in [
            (FactorResult::Error, ErrorKind::MfaError),
            (FactorResult::Cancelled, ErrorKind::MfaCancelled),
            (FactorResult::Rejected, ErrorKind::MfaRejected),
        ] {
            assert!(push_can_be_sent_again(&result), "{result}");
            assert_eq!(push_refusal(&result, None).kind, kind);
        }
        assert!(!push_can_be_sent_again(&FactorResult::Waiting));
    }

    /// Every wrong-code and reused-code key Okta sends, as the widget's recordings and its
    /// i18n (`login.properties`) carry them, one assertion per key.
    #[test]
    fn okta_invalid_passcode_keys_are_wrong_codes() {
        for key in [
            "api.authn.error.PASSCODE_INVALID",
            "authfactor.challenge.soft_token.invalid_passcode",
            "errors.E0000068",
        ] {
            assert_eq!(
                from_idx_message(key).map(|e| e.kind()),
                Some(ErrorKind::InvalidCode),
                "{key}"
            );
        }
    }

    #[test]
    fn google_authenticator_invalid_passcode_key_is_a_wrong_code() {
        let error = from_idx_message("authfactor.challenge.soft_token.invalid_passcode").unwrap();
        assert!(is_code_refusal(&error));
    }

    #[test]
    fn okta_used_passcode_keys_are_reused_codes() {
        for key in [
            "authfactor.challenge.soft_token.used_passcode",
            "errors.E0000082",
            "api.authn.error.PASSCODE_REPLAYED",
            "api.factors.error.passcode_replayed",
        ] {
            let error = from_idx_message(key).unwrap_or_else(|| panic!("{key}"));
            assert_eq!(error.kind(), ErrorKind::CodeReused, "{key}");
            assert!(is_code_refusal(&error), "{key}");
        }
    }

    #[test]
    fn a_code_outside_the_window_is_a_code_refusal() {
        let error = from_idx_message("errors.E0000083").unwrap();
        assert_eq!(error.kind(), ErrorKind::CodeOutsideWindow);
        assert!(is_code_refusal(&error));
    }

    #[test]
    fn sms_and_call_limits_keep_the_step() {
        for key in ["errors.E0000150", "errors.E0000151"] {
            assert_eq!(
                from_idx_message(key).map(|e| e.kind()),
                Some(ErrorKind::RateLimited),
                "{key}"
            );
        }
    }

    #[test]
    fn an_unknown_key_is_left_to_okta_s_own_words() {
        assert!(from_idx_message("authfactor.challenge.something_new").is_none());
        assert!(from_idx_message("").is_none());
    }

    #[test]
    fn passcode_results_are_code_refusals() {
        let kind = |result| code_refusal(Some(&result)).map(|error| error.kind());
        assert_eq!(
            kind(FactorResult::PasscodeReplayed),
            Some(ErrorKind::CodeReused)
        );
        assert_eq!(
            kind(FactorResult::TimeWindowExceeded),
            Some(ErrorKind::CodeOutsideWindow)
        );
        assert_eq!(kind(FactorResult::Success), None);
    }
}
