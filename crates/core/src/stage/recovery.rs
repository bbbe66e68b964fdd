//! The two ways back in for someone who cannot sign in (a forgotten password, a locked
//! account): asked for by a recovery request, named by the errors that refuse one.

use serde::{Deserialize, Serialize};

/// A way back in for someone who cannot sign in: what a [`RecoveryRequest`](crate::RecoveryRequest) asks Okta for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Recovery {
    /// Forgot password: prove who you are with a factor, then choose a new password.
    /// The sign-in goes on from there as Okta says (MFA may still follow).
    ResetPassword,
    /// A locked-out account: prove who you are with a factor, and Okta unlocks it.
    UnlockAccount,
}
