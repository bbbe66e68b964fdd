//! What the flow engine tells a UI: the stages of a sign-in, and the inputs it can take.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::error::{ErrorInfo, ErrorKind};
use crate::handoff::{SessionHandoff, UserInfo};
use crate::org_url::OrgUrl;
use crate::qr::QrUriKind;
use crate::secret::{Secret, SecretBytes};
use crate::username::Username;
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
    },
    /// Scan this QR code with the phone. Polling runs until it is scanned or expires.
    EnrollQr(EnrollQr),
    /// The activation link went out; polling continues until the phone activates.
    ActivationLinkSent { channel: LinkChannel },
    /// The QR code or link expired unused: `refresh_qr` gets a new one.
    ActivationExpired { error: ErrorInfo },
    /// A push went to the phone; polling for the answer.
    PushSent { device_name: Option<String> },
    /// The phone shows three numbers: the user must tap this one.
    NumberChallenge {
        number: u32,
        device_name: Option<String>,
    },
    /// The push was rejected: `resend_push`, `choose_factor` or `cancel`.
    PushRejected { error: ErrorInfo },
    /// The push was not answered in time: `resend_push`, `choose_factor` or `cancel`.
    PushTimedOut { error: ErrorInfo },
    /// Type a code with `submit_code`. `last_error` says why the previous code failed.
    NeedsCode {
        factor: FactorChoice,
        purpose: CodePurpose,
        /// How many digits the code has: the one rule ([`VerificationCode`]) the UI checks
        /// against before sending.
        ///
        /// [`VerificationCode`]: crate::VerificationCode
        code_digits: usize,
        last_error: Option<ErrorInfo>,
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
    /// The account is locked. Final.
    LockedOut { message: String },
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
            Self::Success { .. } | Self::Failed { .. } | Self::LockedOut { .. }
        )
    }

    /// The `stage` tag, as serialised.
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
            Self::PasswordWarn { .. } => "passwordWarn",
            Self::PasswordExpired { .. } => "passwordExpired",
            Self::CommandFailed { .. } => "commandFailed",
            Self::LockedOut { .. } => "lockedOut",
            Self::Success { .. } => "success",
            Self::Failed { .. } => "failed",
        }
    }
}

/// What the engine is doing while a [`Stage::Working`] spinner shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Activity {
    CheckingPassword,
    Enrolling,
    SendingPush,
    VerifyingCode,
    SendingActivationLink,
    RefreshingQr,
    ChangingPassword,
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
}

/// What a code is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum CodePurpose {
    /// Prove the new TOTP enrollment works.
    Activate,
    /// Sign in with an enrolled TOTP factor.
    Verify,
}

/// The kinds of factor OktaDesk can enroll and verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FactorKind {
    /// Okta Verify push.
    Push,
    /// A six-digit code: Okta Verify (provider OKTA) or an authenticator app (GOOGLE).
    Totp,
}

impl FactorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Push => "push",
            Self::Totp => "totp",
        }
    }

    pub(crate) fn from_factor_type(factor_type: &str) -> Option<Self> {
        match factor_type {
            "push" => Some(Self::Push),
            "token:software:totp" => Some(Self::Totp),
            _ => None,
        }
    }

    pub(crate) fn factor_type(self) -> &'static str {
        match self {
            Self::Push => "push",
            Self::Totp => "token:software:totp",
        }
    }
}

impl fmt::Display for FactorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for FactorKind {
    type Err = String;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        match input.trim().to_ascii_lowercase().as_str() {
            "push" => Ok(Self::Push),
            "totp" | "code" | "token:software:totp" => Ok(Self::Totp),
            other => Err(format!("unknown factor \"{other}\": use push or totp")),
        }
    }
}

/// A factor the user can pick. Pass `key` back to `choose_factor`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FactorChoice {
    pub key: String,
    pub kind: FactorKind,
    /// `OKTA` (Okta Verify) or `GOOGLE` (an authenticator app).
    pub provider: String,
    /// "Okta Verify push", "Okta Verify code", "Google Authenticator".
    pub label: String,
    /// The enrolled phone, when Okta names it.
    pub device_name: Option<String>,
    /// Enrollment the org requires (as opposed to optional).
    pub required: bool,
}

/// Where an activation link can go instead of scanning the QR code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LinkChannel {
    Email,
    Sms,
}

/// Where to send an activation link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "channel",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ActivationLink {
    /// To the user's primary email address.
    Email,
    /// To a phone number in E.164 form, e.g. `+14155550123`.
    Sms { phone_number: String },
}

impl ActivationLink {
    pub fn channel(&self) -> LinkChannel {
        match self {
            Self::Email => LinkChannel::Email,
            Self::Sms { .. } => LinkChannel::Sms,
        }
    }
}

/// Choices that shape the flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct FlowOptions {
    /// Use this factor without asking when the org offers it.
    pub preferred_factor: Option<FactorKind>,
    /// Ask Okta to remember this device (when the org's policy allows it).
    pub remember_device: bool,
    /// Send the push at once, without asking, and ask Okta to do so next time too.
    pub auto_push: bool,
    /// Offer optional factors after the required ones are enrolled.
    pub enroll_optional_factors: bool,
    /// Report a password that expires soon (PASSWORD_WARN) instead of going straight on.
    pub warn_before_password_expired: bool,
}

impl Default for FlowOptions {
    fn default() -> Self {
        Self {
            preferred_factor: None,
            remember_device: false,
            auto_push: false,
            enroll_optional_factors: false,
            warn_before_password_expired: true,
        }
    }
}

/// Everything needed to start a sign-in.
#[derive(Debug, Clone)]
pub struct SignInRequest {
    pub org: OrgUrl,
    pub username: Username,
    pub password: Secret,
    pub options: FlowOptions,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_serialise_with_a_tag_and_camel_case() {
        let stage = Stage::NumberChallenge {
            number: 42,
            device_name: Some("Pixel".into()),
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
            original_png: SecretBytes::new(b"\x89PNG secret".to_vec()),
        };
        let debug = format!("{:?}", Stage::EnrollQr(qr.clone()));
        assert!(!debug.contains("secret"), "{debug}");
        let json = serde_json::to_value(Stage::EnrollQr(qr)).unwrap();
        assert_eq!(json["stage"], "enrollQr");
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
