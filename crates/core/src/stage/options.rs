//! What a UI passes in: how a sign-in should go, and where an activation link should be sent.

use serde::{Deserialize, Serialize};

use super::FactorKind;
use super::recovery::Recovery;
use crate::engine::Engine;
use crate::oidc_client::OidcClient;
use crate::org_url::OrgUrl;
use crate::secret::Secret;
use crate::username::Username;

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
    /// The engine the org was found to run (`OktaClient::detect_engine`, or an account's
    /// record), for the transcript. With [`oidc_client`](Self::oidc_client) on an Identity
    /// Engine org the sign-in goes through IDX; otherwise through `/api/v1/authn`.
    pub engine: Option<Engine>,
    /// The org's OktaDesk app. With it, and `engine` Identity Engine, the sign-in goes
    /// through IDX (the Interaction Code flow); without it, through `/api/v1/authn`.
    pub oidc_client: Option<OidcClient>,
}

impl Default for FlowOptions {
    fn default() -> Self {
        Self {
            preferred_factor: None,
            remember_device: false,
            auto_push: false,
            enroll_optional_factors: false,
            warn_before_password_expired: true,
            engine: None,
            oidc_client: None,
        }
    }
}

/// Everything needed to start a password reset or an unlock ([`SignIn::recover`]).
///
/// [`SignIn::recover`]: crate::SignIn::recover
#[derive(Debug, Clone)]
pub struct RecoveryRequest {
    pub org: OrgUrl,
    pub username: Username,
    pub recovery: Recovery,
    /// The same options as a sign-in: the engine and OIDC client pick the protocol, the
    /// preferred factor answers the recovery factor question.
    pub options: FlowOptions,
}

/// Everything needed to start a sign-in.
#[derive(Debug, Clone)]
pub struct SignInRequest {
    pub org: OrgUrl,
    pub username: Username,
    pub password: Secret,
    pub options: FlowOptions,
}
