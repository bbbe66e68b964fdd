//! A user of the org as both engines see it: credentials and their state, lockout, the MFA
//! and enrollment policy, enrolled factors, and what the user's virtual phone holds (the
//! authenticator's codes, the inbox). Who is seeded is in `seed`.

use time::OffsetDateTime;
use zeroize::Zeroizing;

use crate::org::factors::{Factor, FactorKind, QuestionAnswer};
use crate::org::inbox::InboxMessage;
use crate::org::remembered_devices::{RememberDevicePolicy, RememberedDevices};
use crate::org::totp::TotpKey;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PasswordState {
    Current,
    Warn { expires_in_days: u32 },
    Expired,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Enrollment {
    Required,
    Optional,
}

impl Enrollment {
    pub(crate) fn as_wire(self) -> &'static str {
        match self {
            Self::Required => "REQUIRED",
            Self::Optional => "OPTIONAL",
        }
    }
}

/// A code the phone's authenticator shows: seeded TOTP factors and any `otpauth://` QR the
/// phone scanned.
#[derive(Debug)]
pub(crate) struct AuthenticatorEntry {
    pub issuer: String,
    pub account: String,
    pub key: TotpKey,
}

pub(crate) struct User {
    pub id: String,
    pub login: String,
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub password: Zeroizing<String>,
    pub password_state: PasswordState,
    pub password_changed_at: OffsetDateTime,
    /// Earlier passwords, oldest first, as many as the password policy remembers.
    pub password_history: Vec<Zeroizing<String>>,
    /// The Classic recovery question (a credential of its own, not the question factor):
    /// when set, recovery asks it after the emailed link or the texted code.
    pub recovery_question: Option<QuestionAnswer>,
    pub failed_attempts: u8,
    pub locked: bool,
    pub mfa_required: bool,
    pub enrollment_policy: Vec<(FactorKind, Enrollment)>,
    pub number_challenge: bool,
    pub factors: Vec<Factor>,
    pub authenticator: Vec<AuthenticatorEntry>,
    /// Texts, calls and emails the org sent, oldest first.
    pub inbox: Vec<InboxMessage>,
    /// A phone the account already has: MFA_ENROLL lists it for SMS and voice calls, and
    /// enrolling with `updatePhone=true` replaces it.
    pub phone_on_file: Option<String>,
    /// An RSA SecurID token handed out but not enrolled yet: the phone shows its code, and
    /// enrolling a `token` with that code activates it.
    pub spare_token: Option<TotpKey>,
    /// The MFA policy's "remember this device" setting: `None` where the policy asks for a
    /// factor at every sign-in.
    pub remember_device: Option<RememberDevicePolicy>,
    /// Devices this user had remembered, by their `DT` cookie.
    pub remembered_devices: RememberedDevices,
}

impl User {
    pub(crate) fn factor(&self, id: &str) -> Option<&Factor> {
        self.factors.iter().find(|factor| factor.id == id)
    }

    pub(crate) fn factor_mut(&mut self, id: &str) -> Option<&mut Factor> {
        self.factors.iter_mut().find(|factor| factor.id == id)
    }

    pub(crate) fn active_factors(&self) -> impl Iterator<Item = &Factor> {
        self.factors.iter().filter(|factor| factor.is_active())
    }

    pub(crate) fn has_active(&self, kind: FactorKind) -> bool {
        self.active_factors().any(|factor| factor.kind == kind)
    }

    pub(crate) fn display_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}
