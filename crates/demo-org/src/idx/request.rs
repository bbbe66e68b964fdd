//! What clients post to IDX remediations. One shape serves every remediation: each step
//! reads the fields its form asked for and ignores the rest, as Identity Engine does.

use serde::Deserialize;
use zeroize::Zeroizing;

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RemediationBody {
    pub state_handle: Option<String>,
    /// `introspect` names its transaction this way when it has a state handle.
    pub state_token: Option<String>,
    pub interaction_handle: Option<String>,
    pub identifier: Option<String>,
    pub credentials: Option<Credentials>,
    pub authenticator: Option<AuthenticatorChoice>,
    /// `enrollment-channel-data` for Okta Verify's link by email.
    pub email: Option<String>,
    /// `enrollment-channel-data` for Okta Verify's link by SMS.
    pub phone_number: Option<String>,
    /// `identify`'s "Keep me signed in" (a boolean; a string `"true"` is read too).
    pub remember_me: Option<serde_json::Value>,
    /// The `keep-me-signed-in` prompt's answer.
    pub keep_me_signed_in: Option<serde_json::Value>,
}

/// `credentials`: a password or code (`passcode`), Okta Verify's code (`totp`), a security
/// question's `answer` (and, enrolling one, its `questionKey` or own `question`), a token's
/// user name (`clientData`). Zeroed when dropped; never
/// printed.
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Credentials {
    pub passcode: Option<Zeroizing<String>>,
    pub totp: Option<Zeroizing<String>>,
    pub answer: Option<Zeroizing<String>>,
    pub question_key: Option<String>,
    /// A security question of one's own (with `questionKey: "custom"`).
    pub question: Option<String>,
    /// The user name a token (RSA SecurID, on-prem MFA) is enrolled under.
    pub client_data: Option<String>,
}

impl Credentials {
    /// Whichever code field was sent: Okta Verify's forms say `totp`, the others `passcode`.
    pub(crate) fn code(&self) -> Option<&str> {
        self.totp
            .as_deref()
            .or(self.passcode.as_deref())
            .map(|code| code.as_str())
            .filter(|code| !code.trim().is_empty())
    }
}

/// `authenticator`: which one (`id`), how (`methodType`), for Okta Verify's enrollment the
/// `channel`, for the phone's the `phoneNumber`.
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AuthenticatorChoice {
    pub id: Option<String>,
    pub method_type: Option<String>,
    pub channel: Option<String>,
    pub phone_number: Option<String>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Credentials(<redacted>)")
    }
}
