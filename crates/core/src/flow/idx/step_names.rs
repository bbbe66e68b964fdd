//! The names of IDX's forms that the driver treats as a group rather than one by one.

/// Forms that stand beside the step in play rather than being it.
pub(super) const SIDE_FORMS: &[&str] = &[
    "skip",
    "cancel",
    "select-enrollment-channel",
    "select-enroll-profile",
    "unlock-account",
    "recover",
    "currentAuthenticator-recover",
    "currentAuthenticatorEnrollment-recover",
];

/// The forms that pick an authenticator.
pub(super) const SELECT_FORMS: [&str; 3] = [
    "select-authenticator-authenticate",
    "select-authenticator-enroll",
    "select-authenticator-unlock-account",
];

/// The forms that send a push again once one ended: Okta's `resend-push` remediation, and
/// `resend` as some answers name it.
pub(super) const RESEND_FORMS: [&str; 2] = ["resend-push", "resend"];

/// The form that picks how Okta Verify's enrollment reaches the phone (QR code, email, SMS).
pub(super) const CHANNEL_FORM: &str = "select-enrollment-channel";
