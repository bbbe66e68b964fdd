//! The Identity Engine driver: Okta's IDX API through the Interaction Code flow. It emits the
//! same [`Stage`](crate::Stage)s as the Classic driver and takes the shared factor steps
//! (`flow/steps/`) for everything that is not IDX's own.
//!
//! `interact` (with a PKCE challenge) and `introspect` are the only URLs built by hand; from
//! there every answer lists remediations, forms to fill and POST to their `href` (checked to
//! stay on the org's origin), and the driver follows the first one it knows.
//!
//! - The driver itself: `state` (what one sign-in holds: the [`Idx`] struct), `remediate`
//!   (the loop, the step in play followed to its family, the cancel), `sending` (forms filled
//!   and POSTed, and the rule against loops), `switching` (the authenticators the person can
//!   pick instead, and why each is proved), `refusals` (what Okta's messages mean),
//!   `step_names` (the forms treated as groups).
//! - One file a step family: `challenge` (the identifier, the password, codes and security
//!   questions), `question` (setting up a security question, the org's or one's own),
//!   `select` (picking an authenticator and its method, a phone number, the browser for what
//!   OktaDesk cannot do), `poll` (Okta Verify push and enrollment), `password` (expired and
//!   expiring passwords), `recovery` (a reset password or an unlocked account: the `recover`
//!   and `unlock-account` forms followed, never built, then `reset-authenticator` and Okta's
//!   unlock messages), `keep_signed_in` ("Keep me signed in", IDX's remember-this-device),
//!   and `code_exchange` (`interact`, and the interaction code traded for tokens at the
//!   OAuth token endpoint).
//! - IDX's wire: `wire` (answers, forms, authenticators), `fields` (form fields and their
//!   values), `messages`, `lenient` (reading what Okta sends loosely), `form` (filling one),
//!   `authenticators` (what each is called, as Classic's factors), `pkce`.

mod authenticators;
mod challenge;
mod code_exchange;
mod fields;
mod form;
mod keep_signed_in;
mod lenient;
mod messages;
mod password;
mod pkce;
mod poll;
mod question;
mod recovery;
mod refusals;
mod remediate;
mod select;
mod sending;
mod state;
mod step_names;
mod switching;
mod wire;

#[cfg(test)]
mod driver_tests;
#[cfg(test)]
mod push_end_tests;
#[cfg(test)]
mod shapes_tests;
#[cfg(test)]
mod test_server;

pub(crate) use state::Idx;
