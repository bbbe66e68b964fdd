//! What the org holds for Identity Engine sign-ins: each interaction (its handle, its OAuth
//! request, the IDX transaction behind it and where that stands) and each interaction code
//! issued but not yet exchanged. Lives inside the org's state, behind the org's one mutex.

use std::collections::HashMap;

use time::OffsetDateTime;
use zeroize::Zeroizing;

use super::authenticators::Authenticator;
use crate::org::push::Push;

/// How long an interaction code may be exchanged at `/token` (Okta: 60 seconds).
pub(crate) const INTERACTION_CODE_LIFETIME: time::Duration = time::Duration::seconds(60);

/// Which authorization server an interaction started at: the org's own (`/oauth2/v1`) or
/// the custom one named `default` (`/oauth2/default/v1`). Tokens come from the same one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AuthServer {
    Org,
    Default,
}

impl AuthServer {
    /// The path prefix of its OAuth endpoints: `/oauth2/v1` or `/oauth2/default/v1`.
    pub(crate) fn endpoint_prefix(self) -> &'static str {
        match self {
            Self::Org => "/oauth2/v1",
            Self::Default => "/oauth2/default/v1",
        }
    }

    /// Its issuer: the org URL itself, or `{org}/oauth2/default`.
    pub(crate) fn issuer(self, origin: &str) -> String {
        match self {
            Self::Org => origin.to_owned(),
            Self::Default => format!("{origin}/oauth2/{}", crate::org::seed::DEMO_AUTH_SERVER_ID),
        }
    }
}

/// The OAuth request an interaction was started with, as `/interact` accepted it.
#[derive(Clone, Debug)]
pub(crate) struct AuthorizationRequest {
    pub server: AuthServer,
    pub client_id: String,
    pub scopes: Vec<String>,
    pub redirect_uri: String,
    /// The S256 PKCE challenge the code verifier must hash to.
    pub code_challenge: String,
    pub state: String,
    pub nonce: Option<String>,
}

/// Where an IDX transaction stands: which remediation it offers next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Stage {
    /// `identify`: who is signing in.
    Identify,
    /// `challenge-authenticator` for the password.
    ChallengePassword,
    /// `select-authenticator-authenticate`: choose the second factor.
    SelectAuthenticate,
    /// `authenticator-verification-data`: an authenticator with several methods (Okta Verify
    /// push or code, a phone's text or call) was chosen without saying which.
    VerificationData { authenticator: Authenticator },
    /// `challenge-authenticator` for a code (Okta Verify, an app, a token, a text/call/email)
    /// or a security question, against the factor `factor_id`.
    Challenge { factor_id: String },
    /// `challenge-poll`: an Okta Verify push is out (the push itself is on the transaction).
    PushPoll { factor_id: String },
    /// `select-authenticator-enroll` (with `skip` when nothing required is missing).
    SelectEnroll,
    /// `enroll-poll` and `select-enrollment-channel`: Okta Verify being added by QR code (or
    /// by a link sent by email or SMS) as the push factor `factor_id`. Until the address the
    /// link goes to is given (`link_sent_to`), `enrollment-channel-data` asks for it.
    EnrollOktaVerify {
        factor_id: String,
        channel: EnrollChannel,
        link_sent_to: Option<String>,
    },
    /// `authenticator-enrollment-data`: the phone authenticator needs a number and a method.
    EnrollPhoneData,
    /// `enroll-authenticator`: the code the org sent (email, text, call) activates the
    /// pending factor `factor_id`.
    EnrollSentCode { factor_id: String },
    /// `enroll-authenticator`: a security question and its answer, chosen from the org's.
    EnrollQuestion,
    /// `enroll-authenticator`: a hardware token (RSA SecurID) the user was handed, enrolled
    /// with its user name and the code it shows.
    EnrollToken,
    /// `enroll-authenticator`: an authenticator app added from its QR code, activated by
    /// typing its first code.
    EnrollApp { factor_id: String },
    /// `reenroll-authenticator` (expired password) or `reenroll-authenticator-warning` (about
    /// to expire, with `skip`).
    ReenrollPassword { expired: bool },
    /// `keep-me-signed-in` (with `skip`): the org's post-sign-in prompt.
    KeepMeSignedIn,
    /// `identify-recovery`: who forgot their password (`recover` came before `identify`).
    IdentifyRecovery,
    /// `select-authenticator-authenticate` over the authenticators that may recover the
    /// password (email, phone, security question), with `recoveryAuthenticator`.
    SelectRecovery,
    /// `challenge-authenticator` of a recovery authenticator, factor `factor_id`.
    RecoveryChallenge { factor_id: String },
    /// `reset-authenticator`: the new password, under the org's policy.
    ResetPassword,
    /// `select-authenticator-unlock-account`: who is locked out and how to prove it.
    SelectUnlock,
    /// `challenge-authenticator` of the authenticator chosen to unlock, factor `factor_id`.
    UnlockChallenge { factor_id: String },
    /// Nothing left to do here but `cancel` (an unlock done, a recovery refused).
    Terminal,
    /// `successWithInteractionCode`.
    Success,
}

/// How Okta Verify's enrollment reaches the phone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EnrollChannel {
    QrCode,
    Email,
    Sms,
}

impl EnrollChannel {
    pub(crate) const ALL: [Self; 3] = [Self::QrCode, Self::Email, Self::Sms];

    pub(crate) fn wire(self) -> &'static str {
        match self {
            Self::QrCode => "qrcode",
            Self::Email => "email",
            Self::Sms => "sms",
        }
    }

    pub(crate) fn from_wire(channel: &str) -> Option<Self> {
        match channel {
            "qrcode" => Some(Self::QrCode),
            "email" => Some(Self::Email),
            "sms" => Some(Self::Sms),
            _ => None,
        }
    }
}

pub(crate) struct IdxTransaction {
    pub state_handle: String,
    pub interaction_handle: String,
    pub request: AuthorizationRequest,
    pub user_id: Option<String>,
    pub stage: Stage,
    pub expires_at: OffsetDateTime,
    pub password_verified_at: Option<OffsetDateTime>,
    pub factor_verified_at: Option<OffsetDateTime>,
    pub mfa_done: bool,
    /// Set once the user is in the enrollment branch, so enrolling one authenticator does
    /// not turn the sign-in into a challenge of it.
    pub enrolling: bool,
    pub optional_enrollment_skipped: bool,
    pub password_settled: bool,
    pub push: Option<Push>,
    /// `amr` values the sign-in earned (`pwd`, `mfa`, `okv`, `otp`, `sms`...).
    pub amr: Vec<&'static str>,
    /// Issued once the transaction succeeds; the same code is shown until it is exchanged.
    pub interaction_code: Option<Zeroizing<String>>,
    /// The cached `data:` URL of the Okta Verify QR being shown, with the activation token it
    /// carries, so polls do not render the same PNG again.
    pub qr_data_url: Option<(Zeroizing<String>, Zeroizing<String>)>,
    /// The org's Okta Verify policy wants biometrics, which the virtual phone has not: a
    /// scan does not finish the enrollment; the next `enroll-poll` refuses it. Kept here
    /// (set at `interact`) so the phone's own refresh of the transaction knows it too.
    pub okta_verify_requires_biometrics: bool,
    /// The org's post-sign-in "stay signed in?" prompt is still to be answered (set at
    /// `interact` from the options; cleared by answering or skipping it).
    pub keep_me_signed_in_prompt: bool,
    /// The device's `DT` cookie, as `identify` read (or handed out) it.
    pub device_token: Option<String>,
    /// The person chose "Keep me signed in" (`rememberMe` on `identify`, or the prompt).
    pub keep_signed_in: bool,
}

impl IdxTransaction {
    pub(crate) fn new(
        state_handle: String,
        interaction_handle: String,
        request: AuthorizationRequest,
        expires_at: OffsetDateTime,
    ) -> Self {
        Self {
            state_handle,
            interaction_handle,
            request,
            user_id: None,
            stage: Stage::Identify,
            expires_at,
            password_verified_at: None,
            factor_verified_at: None,
            mfa_done: false,
            enrolling: false,
            optional_enrollment_skipped: false,
            password_settled: false,
            push: None,
            okta_verify_requires_biometrics: false,
            keep_me_signed_in_prompt: false,
            device_token: None,
            keep_signed_in: false,
            amr: Vec::new(),
            interaction_code: None,
            qr_data_url: None,
        }
    }

    pub(crate) fn earned(&mut self, amr: &'static str) {
        if !self.amr.contains(&amr) {
            self.amr.push(amr);
        }
    }
}

/// An interaction code waiting at `/token`: what the tokens will say and the PKCE challenge
/// the verifier must meet.
pub(crate) struct IssuedCode {
    pub request: AuthorizationRequest,
    pub user_id: String,
    pub amr: Vec<&'static str>,
    pub auth_time: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

#[derive(Default)]
pub(crate) struct IdxStore {
    /// By state handle.
    pub transactions: HashMap<String, IdxTransaction>,
    /// Interaction handle to state handle.
    pub interactions: HashMap<String, String>,
    /// By interaction code.
    pub codes: HashMap<String, IssuedCode>,
    /// The PKCE verifiers clients sent to the token endpoint, newest last (at most
    /// [`VERIFIERS_KEPT`]): a client makes them itself, so they cannot carry the token
    /// marker, and leak tests look for these instead.
    pub verifiers_seen: Vec<zeroize::Zeroizing<String>>,
}

/// How many PKCE verifiers the org remembers for leak tests.
pub(crate) const VERIFIERS_KEPT: usize = 64;

impl IdxStore {
    pub(crate) fn clear(&mut self) {
        self.transactions.clear();
        self.interactions.clear();
        self.codes.clear();
        self.verifiers_seen.clear();
    }

    /// Notes a verifier a client presented, for [`DemoOrg::pkce_verifiers_seen`].
    ///
    /// [`DemoOrg::pkce_verifiers_seen`]: crate::DemoOrg::pkce_verifiers_seen
    pub(crate) fn saw_verifier(&mut self, verifier: &str) {
        if self.verifiers_seen.len() >= VERIFIERS_KEPT {
            self.verifiers_seen.remove(0);
        }
        self.verifiers_seen
            .push(zeroize::Zeroizing::new(verifier.to_owned()));
    }

    /// Forgets expired transactions, their handles and stale codes.
    pub(crate) fn forget_expired(&mut self, now: OffsetDateTime) {
        self.transactions.retain(|_, tx| tx.expires_at > now);
        let live = &self.transactions;
        self.interactions
            .retain(|_, state_handle| live.contains_key(state_handle));
        self.codes.retain(|_, code| code.expires_at > now);
    }

    pub(crate) fn len(&self) -> usize {
        self.transactions.len()
    }
}
