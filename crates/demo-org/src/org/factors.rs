//! Enrolled factors and their activations.

use time::OffsetDateTime;

use crate::org::totp::TotpKey;

/// The factor types this org offers: those a client can verify and enroll through the
/// Authentication API, and three that only a browser can (listed, verified only on the web).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum FactorKind {
    Push,
    /// Okta Verify's six-digit code.
    Totp,
    /// Google Authenticator, or any authenticator app.
    Google,
    Sms,
    Call,
    Email,
    Question,
    /// An RSA SecurID token; the virtual phone shows its code.
    Token,
    WebAuthn,
    U2f,
    Duo,
}

impl FactorKind {
    pub(crate) const ALL: [Self; 11] = [
        Self::Push,
        Self::Totp,
        Self::Google,
        Self::Sms,
        Self::Call,
        Self::Email,
        Self::Question,
        Self::Token,
        Self::WebAuthn,
        Self::U2f,
        Self::Duo,
    ];

    pub(crate) fn factor_type(self) -> &'static str {
        match self {
            Self::Push => "push",
            Self::Totp | Self::Google => "token:software:totp",
            Self::Sms => "sms",
            Self::Call => "call",
            Self::Email => "email",
            Self::Question => "question",
            Self::Token => "token",
            Self::WebAuthn => "webauthn",
            Self::U2f => "u2f",
            Self::Duo => "web",
        }
    }

    pub(crate) fn provider(self) -> &'static str {
        match self {
            Self::Google => "GOOGLE",
            Self::Token => "RSA",
            Self::WebAuthn | Self::U2f => "FIDO",
            Self::Duo => "DUO",
            _ => "OKTA",
        }
    }

    pub(crate) fn from_wire(factor_type: &str, provider: &str) -> Option<Self> {
        let provider = provider.to_ascii_uppercase();
        Self::ALL
            .into_iter()
            .find(|kind| kind.factor_type() == factor_type && kind.provider() == provider)
    }

    /// Okta's id prefixes: `opf` push, `ost` Okta Verify code, `uft` Google, `mbl` SMS...
    fn id_prefix(self) -> &'static str {
        match self {
            Self::Push => "opf",
            Self::Totp => "ost",
            Self::Google => "uft",
            Self::Sms => "mbl",
            Self::Call => "clf",
            Self::Email => "emf",
            Self::Question => "ufs",
            Self::Token => "rsa",
            Self::WebAuthn => "fwf",
            Self::U2f => "fuf",
            Self::Duo => "dsf",
        }
    }

    /// Codes the org sends (SMS, voice call, email) rather than ones an app or token makes.
    pub(crate) fn sends_codes(self) -> bool {
        matches!(self, Self::Sms | Self::Call | Self::Email)
    }

    /// A key makes its codes: an app's, or a token's.
    fn has_key(self) -> bool {
        matches!(self, Self::Totp | Self::Google | Self::Token)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FactorStatus {
    PendingActivation,
    Active,
}

/// The phone Okta Verify runs on, as Okta reports it in a push factor's profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Device {
    pub device_type: &'static str,
    pub name: &'static str,
    pub platform: &'static str,
    pub version: &'static str,
}

pub(crate) const DEMO_PHONE: Device = Device {
    device_type: "SmartPhone_Android",
    name: "Demo Pixel 8",
    platform: "ANDROID",
    version: "14",
};

/// One activation attempt: a QR code (single use) and an activation link, valid until
/// `expires_at`.
pub(crate) struct Activation {
    pub token: String,
    pub qr_token: String,
    pub qr_served: bool,
    pub started_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub last_sms_at: Option<OffsetDateTime>,
}

impl std::fmt::Debug for Activation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The tokens are bearer secrets: whoever has one can enroll a phone.
        f.debug_struct("Activation")
            .field("token", &"<redacted>")
            .field("qr_token", &"<redacted>")
            .field("qr_served", &self.qr_served)
            .field("started_at", &self.started_at)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ActivationState {
    Waiting,
    Timeout,
}

impl ActivationState {
    pub(crate) fn as_wire(self) -> &'static str {
        match self {
            Self::Waiting => "WAITING",
            Self::Timeout => "TIMEOUT",
        }
    }
}

#[derive(Debug)]
pub(crate) struct Factor {
    pub id: String,
    pub kind: FactorKind,
    pub status: FactorStatus,
    pub device: Option<Device>,
    pub totp: Option<TotpState>,
    pub activation: Option<Activation>,
    pub auto_push: bool,
    /// SMS and voice call: the number codes go to, in E.164 form.
    pub phone: Option<String>,
    /// Security question: the question and its answer.
    pub question: Option<QuestionAnswer>,
    /// SMS, voice call, email: the last code sent, until used or expired.
    pub sent_code: Option<crate::org::sent_code::SentCode>,
}

#[derive(Debug)]
pub(crate) struct TotpState {
    pub key: TotpKey,
    pub last_used_step: Option<u64>,
}

/// An enrolled security question. The answer is compared without regard to case or the
/// spaces around it.
pub(crate) struct QuestionAnswer {
    pub key: &'static str,
    /// The question's words: the org's, or the person's own (`key` is then `custom`).
    pub text: String,
    pub answer: zeroize::Zeroizing<String>,
}

impl std::fmt::Debug for QuestionAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QuestionAnswer")
            .field("key", &self.key)
            .field("answer", &"<redacted>")
            .finish()
    }
}

impl QuestionAnswer {
    pub(crate) fn matches(&self, answer: &str) -> bool {
        self.answer.trim().eq_ignore_ascii_case(answer.trim())
    }
}

impl Factor {
    pub(crate) fn new(kind: FactorKind) -> Self {
        Self {
            id: crate::org::ids::object_id(kind.id_prefix()),
            kind,
            status: FactorStatus::PendingActivation,
            device: None,
            totp: kind.has_key().then(|| TotpState {
                key: TotpKey::generate(),
                last_used_step: None,
            }),
            activation: None,
            auto_push: false,
            phone: None,
            question: None,
            sent_code: None,
        }
    }

    pub(crate) fn active(kind: FactorKind) -> Self {
        let mut factor = Self::new(kind);
        factor.status = FactorStatus::Active;
        if kind == FactorKind::Push {
            factor.device = Some(DEMO_PHONE);
        }
        factor
    }

    pub(crate) fn is_active(&self) -> bool {
        self.status == FactorStatus::Active
    }

    pub(crate) fn activation_state(&self, now: OffsetDateTime) -> ActivationState {
        match &self.activation {
            Some(activation) if now < activation.expires_at => ActivationState::Waiting,
            _ => ActivationState::Timeout,
        }
    }

    pub(crate) fn activate_on(&mut self, device: Device) {
        self.status = FactorStatus::Active;
        self.device = Some(device);
        self.activation = None;
    }
}
