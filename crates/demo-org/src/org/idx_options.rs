//! The shapes of Identity Engine answers an org's policies choose between, which Okta's
//! recordings show both of; the tests run each one.

/// How the org's Identity Engine policies are set up.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IdxOptions {
    /// The first `identify` form asks for the password too (`credentials.passcode`), as
    /// Okta's `identify-with-password` recording; off, the identifier comes alone and the
    /// password is a `challenge-authenticator` of its own (Okta's `identify`, the shape most
    /// of its recordings show).
    pub identify_with_password: bool,
    /// Okta Verify's enrollment policy wants biometrics (user verification) on the phone:
    /// enrollment is refused with `oie.authenticator.app.method.push.enroll.enable.biometrics`
    /// once the (virtual) phone, which has none, scans the QR code.
    pub okta_verify_requires_biometrics: bool,
    /// After the last factor, the org asks whether to stay signed in: Okta's post-sign-in
    /// `keep-me-signed-in` prompt (okta-signin-widget `post-auth-keep-me-signed-in.json`),
    /// with the `skip` form beside it, before `successWithInteractionCode`.
    pub keep_me_signed_in_prompt: bool,
    /// Security question enrollment offers "Create my own security question" beside the
    /// org's questions (okta-signin-widget `authenticator-enroll-security-question.json`).
    pub custom_security_questions: bool,
}
