//! Which way back in a person asked for. Its own file because errors name it too, and the
//! error module sits below the sign-in options that carry it.

use serde::{Deserialize, Serialize};

/// A way back in for someone who cannot sign in: what a
/// [`RecoveryRequest`](super::RecoveryRequest) asks Okta for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Recovery {
    /// Forgot password: prove who you are with a factor, then choose a new password.
    /// The sign-in goes on from there as Okta says (MFA may still follow).
    ResetPassword,
    /// A locked-out account: prove who you are with a factor, and Okta unlocks it.
    UnlockAccount,
}
