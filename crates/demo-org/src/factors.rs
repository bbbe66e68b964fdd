//! Enrolled factors and their activations.

use time::OffsetDateTime;

use crate::totp::TotpKey;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum FactorKind {
    Push,
    Totp,
}

impl FactorKind {
    pub(crate) fn factor_type(self) -> &'static str {
        match self {
            Self::Push => "push",
            Self::Totp => "token:software:totp",
        }
    }

    /// Okta Verify push and the Okta Verify code are both `provider: OKTA`; Google
    /// Authenticator codes are `GOOGLE` and work the same way here.
    pub(crate) fn from_wire(factor_type: &str, provider: &str) -> Option<Self> {
        match (factor_type, provider.to_ascii_uppercase().as_str()) {
            ("push", "OKTA") => Some(Self::Push),
            ("token:software:totp", "OKTA" | "GOOGLE") => Some(Self::Totp),
            _ => None,
        }
    }

    fn id_prefix(self) -> &'static str {
        match self {
            Self::Push => "opf",
            Self::Totp => "ost",
        }
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
    pub provider: &'static str,
    pub status: FactorStatus,
    pub device: Option<Device>,
    pub totp: Option<TotpState>,
    pub activation: Option<Activation>,
    pub auto_push: bool,
}

#[derive(Debug)]
pub(crate) struct TotpState {
    pub key: TotpKey,
    pub last_used_step: Option<u64>,
}

impl Factor {
    pub(crate) fn new(kind: FactorKind, provider: &'static str) -> Self {
        Self {
            id: crate::ids::object_id(kind.id_prefix()),
            kind,
            provider,
            status: FactorStatus::PendingActivation,
            device: None,
            totp: (kind == FactorKind::Totp).then(|| TotpState {
                key: TotpKey::generate(),
                last_used_step: None,
            }),
            activation: None,
            auto_push: false,
        }
    }

    pub(crate) fn active(kind: FactorKind) -> Self {
        let mut factor = Self::new(kind, "OKTA");
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
