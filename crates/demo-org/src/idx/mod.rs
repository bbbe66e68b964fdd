//! Okta Identity Engine's IDX API, served when the org runs
//! [`DemoEngine::IdentityEngine`](crate::DemoEngine::IdentityEngine): the Interaction Code
//! flow as Okta's IDX SDKs (okta-auth-js `idx`, okta-idx-swift, -android, -java, -golang,
//! -dotnet) drive it, against the same seeded users and virtual phone as the Classic API.
//!
//! The org registers one OIDC native app ([`DEMO_OIDC_CLIENT_ID`](crate::DEMO_OIDC_CLIENT_ID) unless
//! `DemoOrgConfig::oidc_client_id` says otherwise, redirect URI [`DEMO_REDIRECT_URI`](crate::DEMO_REDIRECT_URI), public
//! client, S256 PKCE required) on two authorization servers: the org's (`/oauth2/v1`,
//! issuer = the org URL) and the custom one [`DEMO_AUTH_SERVER_ID`](crate::DEMO_AUTH_SERVER_ID) (`/oauth2/default/v1`).
//!
//! A sign-in: `/interact` → `interaction_handle`; `/idp/idx/introspect` → the first
//! remediation; each remediation's form posts back to `/idp/idx/…` and answers the next
//! (`application/ion+json; okta-version=1.0.0`); `successWithInteractionCode` carries the
//! `issue` form for `/token`.
//!
//! | stage | remediations (form fields) |
//! |---|---|
//! | who | `identify` (`identifier`, `rememberMe`) at `/idp/idx/identify` |
//! | password | `challenge-authenticator` (`credentials.passcode`) at `/idp/idx/challenge/answer`, `select-authenticator-authenticate` |
//! | second factor | `select-authenticator-authenticate` (`authenticator.id`, `authenticator.methodType`) at `/idp/idx/challenge` |
//! | which method | `authenticator-verification-data` (`authenticator.id`, `authenticator.methodType` options) at `/idp/idx/challenge` when Okta Verify (push / totp) or the phone (sms / voice) is chosen without a method; relates to `$.currentAuthenticator` (Okta Verify) or `$.currentAuthenticatorEnrollment` (phone, masked number) |
//! | push | `challenge-poll` (refresh 4000) at `/idp/idx/authenticators/poll`; `currentAuthenticator.value.contextualData.correctAnswer` (a string) for a number challenge; `currentAuthenticator.value.resend` |
//! | code or question | `challenge-authenticator` (`credentials.totp` for Okta Verify, `credentials.passcode` for other codes, `credentials.answer` for a question); `currentAuthenticatorEnrollment.value.resend` for texts, calls, emails |
//! | enroll | `select-authenticator-enroll` (`authenticator.id`) at `/idp/idx/credential/enroll`, `skip` at `/idp/idx/skip` when nothing required is missing |
//! | Okta Verify enrollment | `enroll-poll` (refresh 4000) at `/idp/idx/challenge/poll`, `select-enrollment-channel` (`authenticator.channel`: the channels other than the current of `qrcode`, `email`, `sms`); `currentAuthenticator.value.contextualData.qrcode` `{method: "embedded", href: "data:image/png;base64,…", type: "image/png"}`, `selectedChannel` |
//! | Okta Verify by link | after `select-enrollment-channel` `email`/`sms`: `enrollment-channel-data` (`email` or `phoneNumber`) at `/idp/idx/challenge/send`; then `enroll-poll`, `contextualData` `{selectedChannel, email | phoneNumber}`, `currentAuthenticator.value.resend`. The link (the QR code's `oktaverify://` URI) lands in the demo inbox; `POST /_demo/phone/{login}/open` taps it |
//! | email / phone enrollment | email: the code is sent on `select-authenticator-enroll`; phone: `authenticator-enrollment-data` (`authenticator.id`, `methodType` sms/voice, `phoneNumber`) at `/idp/idx/credential/enroll` unless the select carried both; then `enroll-authenticator` (`credentials.passcode`) with `currentAuthenticator.value.resend` |
//! | security question enrollment | `enroll-authenticator` (`credentials.questionKey` from the org's list, `credentials.answer`); `currentAuthenticator.value.contextualData.questions` / `questionKeys`; questions of one's own (`questionKey: "custom"`, `question`) only with `IdxOptions::custom_security_questions`, refused on the field when blank, too long or with HTML (`tagsNotAllowed`); a short answer refused on `answer` (`securityQuestion.answer.tooShort.arg`) |
//! | token enrollment | for a user handed a token (`enrollall@`): `enroll-authenticator` (`credentials.id`, `methodType` `otp`, `clientData` the token's user name, `passcode` the code it shows) for `rsa_token`; a wrong code refused on `passcode` |
//! | authenticator app enrollment | `enroll-authenticator` (`credentials.passcode`), QR and `sharedSecret` in `contextualData` |
//! | password expired / expiring | `reenroll-authenticator` / `reenroll-authenticator-warning` + `skip` (`credentials.passcode`) |
//! | stay signed in? | with `IdxOptions::keep_me_signed_in_prompt`, unless `identify` said `rememberMe: true`: `keep-me-signed-in` (`keepMeSignedIn`, a boolean) at `/idp/idx/keep-me-signed-in`, and `skip`; either answer goes on |
//! | kept signed in | `identify` reads the `DT` cookie (or sets one); a sign-in that chose KMSI (`rememberMe` or `keepMeSignedIn: true`) and verified a second factor remembers the device for the user's remember-device lifetime, and the next sign-in from it skips the second factor (see `keep_signed_in`) |
//! | forgot password | `recover` (on the password's `currentAuthenticatorEnrollment`, or `currentAuthenticator` of an `identify` that asks for the password) at `/idp/idx/recover` → `identify-recovery` (`identifier`) when nobody is identified → `select-authenticator-authenticate` over email, phone and security question, with `recoveryAuthenticator` → `challenge-authenticator` → `reset-authenticator` (`credentials.passcode`, `credentials.revokeSessions`) at `/idp/idx/challenge/answer`, refused with `password.passwordRequirementsNotMet` on the input → success |
//! | unlock | `unlock-account` (on `identify`) at `/idp/idx/unlock-account` → `select-authenticator-unlock-account` (`identifier`, `authenticator.id`, `authenticator.methodType`: email, or phone sms / voice) at `/idp/idx/challenge` → `challenge-authenticator` → terminal, INFO `oie.selfservice.unlock_user.success.message`, only `cancel` left |
//! | done | `successWithInteractionCode` (`issue`: `grant_type`, `interaction_code`, `client_id`, `code_verifier` for the client) |
//!
//! With `DemoOrgConfig::self_service_recovery` off, `recover` and `unlock-account` are not
//! offered; forced, `recover` ends the transaction with 403
//! `oie.selfservice.reset.password.not.allowed` and `unlock-account` answers 400
//! `oie.selfservice.user.unlock.not.allowed` with `identify` again.
//!
//! While an authenticator is being enrolled, `select-authenticator-enroll` stays offered.
//! `identify`, `challenge/answer`, `challenge/resend` and `challenge/send` count against the
//! user's rate limit (`DemoOrgConfig::rate_limit_per_second`, 429 `E0000047` over it).
//!
//! Every answer also has `cancel` (back to `identify`), `app`, `authentication` and, once
//! identified, `user`. Refusals repeat the stage with `messages` and an error status (401
//! wrong password or code, 403 push rejected or timed out, 400 otherwise); a dead state
//! handle answers 401 with `idx.session.expired` alone.

mod authenticators;
mod channel;
mod enroll;
mod enroll_codes;
mod enroll_qr;
mod enroll_question;
mod enroll_token;
mod flow;
mod forms;
mod interact;
mod jwt;
mod keep_signed_in;
mod limits;
mod messages;
mod objects;
mod password;
pub(crate) mod policy;
mod present;
mod present_enroll;
mod present_recovery;
mod recover;
mod request;
mod routes;
mod step;
pub(crate) mod store;
mod token;
mod verify;

pub(crate) use routes::router;
