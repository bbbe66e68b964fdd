//! What the flow engine tells a UI: the stages of a sign-in, and the inputs it can take.

mod factor;
mod options;
mod recovery;
mod remember_device;

use std::fmt;

use serde::Serialize;
use time::OffsetDateTime;

pub use self::factor::{FactorChoice, FactorKind, SecurityQuestion};
pub use self::options::{ActivationLink, FlowOptions, LinkChannel, RecoveryRequest, SignInRequest};
pub use self::recovery::Recovery;
pub use self::remember_device::RememberDeviceOffer;
use crate::error::{ErrorInfo, ErrorKind};
use crate::handoff::{SessionHandoff, UserInfo};
use crate::qr::QrUriKind;
use crate::secret::{Secret, SecretBytes, serialize_option_exposed};
use crate::verification_code::CodeFormat;
use crate::wire::PasswordComplexity;

/// Everything the UI needs to draw the current step. Serialised with a `stage` tag and
/// camelCase fields, e.g. `{"stage":"numberChallenge","number":42,"deviceName":"Pixel"}`.
/// `Debug` and `Serialize` never show a secret.
#[derive(Debug, Clone, Serialize)]
#[serde(
    tag = "stage",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[non_exhaustive]
pub enum Stage {
    /// A request is on its way; show a spinner with the activity.
    Working { activity: Activity },
    /// Pick a factor (to enroll or to verify) with `choose_factor`, or `skip` when allowed.
    NeedsFactorChoice {
        purpose: FactorPurpose,
        factors: Vec<FactorChoice>,
        can_skip: bool,
        /// Why the last pick (or the step before) did not go on, in Okta's words or ours:
        /// a factor refused, a rate limit, an enrollment Okta turned down.
        last_error: Option<ErrorInfo>,
        /// Set when the org's policy lets this device be remembered on this verification.
        #[serde(skip_serializing_if = "Option::is_none")]
        remember_device: Option<RememberDeviceOffer>,
    },
    /// Scan this QR code with the phone. Polling runs until it is scanned or expires.
    EnrollQr(EnrollQr),
    /// The activation link went out; polling continues until the phone activates.
    ActivationLinkSent { channel: LinkChannel },
    /// The QR code or link expired unused: `refresh_qr` gets a new one.
    ActivationExpired { error: ErrorInfo },
    /// A push went to the phone; polling for the answer.
    PushSent {
        device_name: Option<String>,
        /// Set when the org's policy lets this device be remembered on this verification.
        #[serde(skip_serializing_if = "Option::is_none")]
        remember_device: Option<RememberDeviceOffer>,
    },
    /// The phone shows three numbers: the user must tap this one.
    NumberChallenge {
        number: u32,
        device_name: Option<String>,
        /// Set when the org's policy lets this device be remembered on this verification.
        #[serde(skip_serializing_if = "Option::is_none")]
        remember_device: Option<RememberDeviceOffer>,
    },
    /// The push was rejected: `resend_push`, `choose_factor` or `cancel`.
    PushRejected { error: ErrorInfo },
    /// The push was not answered in time: `resend_push`, `choose_factor` or `cancel`.
    PushTimedOut { error: ErrorInfo },
    /// Type a code with `submit_code`. `last_error` says why the previous code failed.
    NeedsCode {
        factor: FactorChoice,
        purpose: CodePurpose,
        /// How many digits the code has (0 when `code_format` is `text`): the one rule
        /// ([`VerificationCode::parse_as`]) the UI checks against before sending.
        ///
        /// [`VerificationCode::parse_as`]: crate::VerificationCode::parse_as
        code_digits: usize,
        /// `digits` (from an app, a text, a call or an email) or `text` (what a hardware
        /// token shows, or a PIN followed by the token's code: letters and digits).
        code_format: CodeFormat,
        /// For a code Okta sends (SMS, voice call, email): `resend_code` works in this many
        /// seconds (0: now). `None`: no new code can be asked for.
        resend_in_seconds: Option<u64>,
        last_error: Option<ErrorInfo>,
        /// Set when the org's policy lets this device be remembered on this verification.
        #[serde(skip_serializing_if = "Option::is_none")]
        remember_device: Option<RememberDeviceOffer>,
    },
    /// SMS or voice call enrollment: `submit_phone_number` with the number to send codes to.
    NeedsPhoneNumber {
        factor: FactorChoice,
        /// A number the account already has, masked as Okta shows it: enrolling replaces it.
        current_phone: Option<String>,
        last_error: Option<ErrorInfo>,
    },
    /// Answer the security question with `submit_answer`.
    NeedsAnswer {
        factor: FactorChoice,
        question: String,
        last_error: Option<ErrorInfo>,
        /// Set when the org's policy lets this device be remembered on this verification.
        #[serde(skip_serializing_if = "Option::is_none")]
        remember_device: Option<RememberDeviceOffer>,
    },
    /// Security question enrollment: pick one of the org's questions and answer it, with
    /// `enroll_question`; or, with `can_write_own` (Identity Engine, where the org allows
    /// it), write one's own with `enroll_custom_question`.
    NeedsQuestionChoice {
        factor: FactorChoice,
        questions: Vec<SecurityQuestion>,
        /// Okta offers "Create my own security question".
        can_write_own: bool,
        last_error: Option<ErrorInfo>,
    },
    /// Only the browser can go on from here (a factor OktaDesk cannot do, or an enrollment
    /// the org requires that OktaDesk cannot set up): open `url`, the org's own sign-in page.
    /// `choose_factor` still works when `can_choose_another`; `cancel` ends the sign-in here.
    ContinueInBrowser {
        /// The factor that needs the browser, when one was picked.
        factor: Option<FactorChoice>,
        message: String,
        url: String,
        can_choose_another: bool,
    },
    /// The password expires soon: `change_password`, or `skip`.
    PasswordWarn {
        expire_days: Option<u32>,
        complexity: Option<PasswordComplexity>,
        can_skip: bool,
        last_error: Option<ErrorInfo>,
    },
    /// The password has expired: `change_password` is the only way on.
    PasswordExpired {
        complexity: Option<PasswordComplexity>,
        last_error: Option<ErrorInfo>,
    },
    /// A command did not work, but the current step still stands (e.g. an SMS sent too soon).
    CommandFailed { action: String, error: ErrorInfo },
    /// Recovery by email (Classic): Okta emailed a link. The person opens it, or pastes the
    /// link (or the recovery token in it) with `submit_recovery_token`; `choose_factor`
    /// switches to another recovery factor when `factors` lists any.
    RecoveryEmailSent {
        /// Other recovery factors the org allows (`choose_factor`).
        factors: Vec<FactorChoice>,
        last_error: Option<ErrorInfo>,
    },
    /// Recovery proved who the person is: `set_new_password` with the new password. The
    /// org's rules come before typing, from the policy Okta sent.
    NeedsNewPassword {
        complexity: Option<PasswordComplexity>,
        last_error: Option<ErrorInfo>,
    },
    /// The account is locked. Final. With `can_unlock`, Okta offered self-service unlock:
    /// start one with [`SignIn::recover`](crate::SignIn::recover).
    LockedOut { message: String, can_unlock: bool },
    /// The account is unlocked: sign in again (the username is the one just unlocked). Final.
    AccountUnlocked { username: String, message: String },
    /// The password is reset, and Okta ended the transaction there rather than sign in
    /// (Identity Engine's `idx.recovery.completed`): sign in with the new password. Final.
    PasswordReset { username: String, message: String },
    /// Signed in. Final.
    Success {
        user: UserInfo,
        session: SessionHandoff,
    },
    /// The sign-in ended without success. Final.
    Failed { kind: ErrorKind, message: String },
}

impl Stage {
    /// Whether the flow has ended: nothing follows this stage.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            Self::Success { .. }
                | Self::Failed { .. }
                | Self::LockedOut { .. }
                | Self::AccountUnlocked { .. }
                | Self::PasswordReset { .. }
        )
    }

    /// The `stage` tag, as serialised.
    /// The "remember this device" offer a verification stage carries, if the org allows it.
    pub fn remember_device(&self) -> Option<RememberDeviceOffer> {
        match self {
            Self::NeedsFactorChoice {
                remember_device, ..
            }
            | Self::PushSent {
                remember_device, ..
            }
            | Self::NumberChallenge {
                remember_device, ..
            }
            | Self::NeedsCode {
                remember_device, ..
            }
            | Self::NeedsAnswer {
                remember_device, ..
            } => *remember_device,
            _ => None,
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Self::Working { .. } => "working",
            Self::NeedsFactorChoice { .. } => "needsFactorChoice",
            Self::EnrollQr(_) => "enrollQr",
            Self::ActivationLinkSent { .. } => "activationLinkSent",
            Self::ActivationExpired { .. } => "activationExpired",
            Self::PushSent { .. } => "pushSent",
            Self::NumberChallenge { .. } => "numberChallenge",
            Self::PushRejected { .. } => "pushRejected",
            Self::PushTimedOut { .. } => "pushTimedOut",
            Self::NeedsCode { .. } => "needsCode",
            Self::NeedsPhoneNumber { .. } => "needsPhoneNumber",
            Self::NeedsAnswer { .. } => "needsAnswer",
            Self::NeedsQuestionChoice { .. } => "needsQuestionChoice",
            Self::ContinueInBrowser { .. } => "continueInBrowser",
            Self::PasswordWarn { .. } => "passwordWarn",
            Self::PasswordExpired { .. } => "passwordExpired",
            Self::CommandFailed { .. } => "commandFailed",
            Self::RecoveryEmailSent { .. } => "recoveryEmailSent",
            Self::NeedsNewPassword { .. } => "needsNewPassword",
            Self::LockedOut { .. } => "lockedOut",
            Self::AccountUnlocked { .. } => "accountUnlocked",
            Self::PasswordReset { .. } => "passwordReset",
            Self::Success { .. } => "success",
            Self::Failed { .. } => "failed",
        }
    }
}

/// What the engine is doing while a [`Stage::Working`] spinner shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum Activity {
    CheckingPassword,
    Enrolling,
    SendingPush,
    VerifyingCode,
    /// Asking Okta to send a code (SMS, voice call, email).
    SendingCode,
    /// Checking a security question's answer.
    VerifyingAnswer,
    /// Getting the org's security questions.
    LoadingQuestions,
    SendingActivationLink,
    RefreshingQr,
    ChangingPassword,
    /// Asking Okta to start a password reset or an unlock.
    StartingRecovery,
    /// Setting the new password chosen after a recovery.
    ResettingPassword,
    Skipping,
    SwitchingFactor,
    Cancelling,
}

/// The enrollment QR code, drawn again from the decoded image.
///
/// It grants enrollment to whoever scans it, so `Debug` shows only its kind and sizes.
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EnrollQr {
    pub factor: FactorKind,
    pub uri_kind: QrUriKind,
    /// A crisp SVG for the app (`None` when the image could not be decoded).
    pub svg: Option<String>,
    /// Unicode half blocks for a terminal with light text on a dark background.
    pub terminal: Option<String>,
    /// The original PNG as a data URL, only when it could not be decoded and drawn again.
    pub png_data_url: Option<String>,
    /// When the QR code stops working (server time).
    #[serde(with = "time::serde::rfc3339::option")]
    pub expires_at: Option<OffsetDateTime>,
    /// Seconds left when the QR was fetched, by the server's clock: count down from this
    /// rather than comparing `expires_at` with a possibly skewed local clock.
    pub expires_in_seconds: Option<u64>,
    /// Ways to send an activation link instead (`send_activation_link`).
    pub link_channels: Vec<LinkChannel>,
    /// An authenticator app's key (base32) for typing in instead of scanning, as Okta gave it.
    /// A secret like the QR code itself: `Debug` never shows it.
    #[serde(serialize_with = "serialize_option_exposed")]
    pub shared_secret: Option<Secret>,
    /// The single-use PNG exactly as Okta served it: what a virtual phone in tests scans.
    #[serde(skip)]
    pub original_png: SecretBytes,
}

impl fmt::Debug for EnrollQr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnrollQr")
            .field("factor", &self.factor)
            .field("uri_kind", &self.uri_kind)
            .field(
                "svg",
                &self.svg.as_ref().map(|svg| format!("{} bytes", svg.len())),
            )
            .field("terminal", &self.terminal.as_ref().map(|_| "[qr]"))
            .field(
                "png_data_url",
                &self
                    .png_data_url
                    .as_ref()
                    .map(|url| format!("{} bytes", url.len())),
            )
            .field("expires_at", &self.expires_at)
            .field("expires_in_seconds", &self.expires_in_seconds)
            .field("link_channels", &self.link_channels)
            .field("shared_secret", &self.shared_secret)
            .field("original_png", &self.original_png)
            .finish()
    }
}

/// Why factors are offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum FactorPurpose {
    Enroll,
    Verify,
    /// Prove who you are to reset a forgotten password.
    Recover,
    /// Prove who you are to unlock a locked account.
    Unlock,
}

impl FactorPurpose {
    /// What a sign-in waiting for this choice is waiting for, for "not possible now" messages.
    pub(crate) fn waiting(self) -> &'static str {
        match self {
            Self::Enroll => "the sign-in is waiting for a factor to enroll",
            Self::Verify => "the sign-in is waiting for a factor choice",
            Self::Recover => "the password reset is waiting for a recovery factor",
            Self::Unlock => "the unlock is waiting for a recovery factor",
        }
    }
}

/// What a code is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum CodePurpose {
    /// Prove a new enrollment works (the first code of an app, a phone, an email, a token).
    Activate,
    /// Sign in with an enrolled factor.
    Verify,
    /// Prove who you are to reset a password or unlock an account.
    Recover,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_serialise_with_a_tag_and_camel_case() {
        let stage = Stage::NumberChallenge {
            number: 42,
            device_name: Some("Pixel".into()),
            remember_device: None,
        };
        assert_eq!(
            serde_json::to_string(&stage).unwrap(),
            r#"{"stage":"numberChallenge","number":42,"deviceName":"Pixel"}"#
        );
        assert_eq!(stage.name(), "numberChallenge");
        let failed = Stage::Failed {
            kind: ErrorKind::MfaTimeout,
            message: "m".into(),
        };
        assert_eq!(
            serde_json::to_string(&failed).unwrap(),
            r#"{"stage":"failed","kind":"mfa_timeout","message":"m"}"#
        );
        assert!(failed.is_final());
    }

    #[test]
    fn enroll_qr_hides_its_contents() {
        let qr = EnrollQr {
            factor: FactorKind::Push,
            uri_kind: QrUriKind::OktaVerify,
            svg: Some("<svg>secret-modules</svg>".into()),
            terminal: Some("▀▄ secret".into()),
            png_data_url: None,
            expires_at: None,
            expires_in_seconds: Some(300),
            link_channels: vec![LinkChannel::Email],
            shared_secret: Some(Secret::new("KBMTM32UJZSXQ2DW")),
            original_png: SecretBytes::new(b"\x89PNG secret".to_vec()),
        };
        let debug = format!("{:?}", Stage::EnrollQr(qr.clone()));
        for hidden in ["secret-modules", "▀▄", "PNG secret", "KBMTM32"] {
            assert!(!debug.contains(hidden), "{debug}");
        }
        let json = serde_json::to_value(Stage::EnrollQr(qr)).unwrap();
        assert_eq!(json["stage"], "enrollQr");
        // The UI shows the key for typing in; only the UI gets it.
        assert_eq!(json["sharedSecret"], "KBMTM32UJZSXQ2DW");
        assert_eq!(json["uriKind"], "oktaVerify");
        assert!(json.get("originalPng").is_none());
    }

    #[test]
    fn options_and_links_deserialise_from_ui_json() {
        let options: FlowOptions =
            serde_json::from_str(r#"{"preferredFactor":"push","autoPush":true}"#).unwrap();
        assert_eq!(options.preferred_factor, Some(FactorKind::Push));
        assert!(options.warn_before_password_expired);
        let link: ActivationLink =
            serde_json::from_str(r#"{"channel":"sms","phoneNumber":"+15555550100"}"#).unwrap();
        assert_eq!(link.channel(), LinkChannel::Sms);
    }
}
