//! Classic authentication transactions (`/api/v1/authn`): where a sign-in stands, which
//! flags steer it, the push it may be waiting on, and the recovery it may be instead.

use time::OffsetDateTime;

use crate::org::push::Push;
use crate::org::recovery::Recovery;

/// Where a live transaction stands. `Success` is transient: the org turns it into a session
/// token and forgets the transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Stage {
    MfaEnroll,
    MfaEnrollActivate {
        factor_id: String,
    },
    MfaRequired,
    MfaChallenge {
        factor_id: String,
    },
    PasswordWarn,
    PasswordExpired,
    /// `RECOVERY_CHALLENGE`: a recovery code was texted or read out by `factor_id`.
    RecoveryChallenge {
        factor_id: String,
    },
    /// `RECOVERY`: the recovery question is asked.
    RecoveryQuestion,
    /// `PASSWORD_RESET`: a new password is asked.
    PasswordReset,
    /// An unlock recovery proved the user: answered `SUCCESS` with `recoveryType: UNLOCK`
    /// and forgotten.
    Unlocked,
    Success,
}

pub(crate) struct Transaction {
    pub state_token: String,
    pub user_id: String,
    pub stage: Stage,
    pub expires_at: OffsetDateTime,
    pub warn_before_password_expired: bool,
    pub multi_optional_factor_enroll: bool,
    /// Set once the user is in the enrollment branch, so enrolling one factor does not turn
    /// the transaction into MFA_REQUIRED for it.
    pub enrolling: bool,
    pub mfa_done: bool,
    pub optional_enrollment_skipped: bool,
    pub password_settled: bool,
    pub password_verified_at: OffsetDateTime,
    pub factor_verified_at: Option<OffsetDateTime>,
    pub push: Option<Push>,
    /// The client's `DT` device cookie, if it sent one.
    pub device_token: Option<String>,
    /// The last verify or poll asked `rememberDevice=true`.
    pub remember_device: bool,
    /// Set on a self-service recovery (forgotten password or unlock) rather than a sign-in.
    pub recovery: Option<Recovery>,
}
