//! The Identity Engine driver: Okta's IDX API through the Interaction Code flow.
//!
//! `interact` (with a PKCE challenge) and `introspect` are the only URLs built by hand; from
//! there every answer lists remediations, forms to fill and POST to their `href` (checked to
//! stay on the org's origin), and the driver follows the first one it knows, one step family
//! per file: [`challenge`] (the identifier, the password, codes and security questions),
//! [`question`] (setting up a security question, the org's or one's own),
//! [`select`] (picking an authenticator and its method, a phone number, the browser for what
//! OktaDesk cannot do), [`poll`] (Okta Verify push and enrollment), [`password`] (expired and
//! expiring passwords), [`recovery`] (a reset password or an unlocked account: the `recover`
//! and `unlock-account` forms followed, never built, then `reset-authenticator` and Okta's
//! unlock messages), [`keep_signed_in`] ("Keep me signed in", IDX's remember-this-device),
//! and [`token`] (`interact`, and the interaction code traded for tokens). It emits the same
//! [`Stage`]s as the Classic driver.

mod authenticators;
mod challenge;
mod field_value;
mod form;
mod keep_signed_in;
mod password;
mod pkce;
mod poll;
mod question;
mod recovery;
mod select;
mod token;
mod wire;

#[cfg(test)]
mod driver_tests;
#[cfg(test)]
mod push_end_tests;
#[cfg(test)]
mod shapes_tests;
#[cfg(test)]
mod test_server;

use std::time::Duration;

use self::authenticators::Pick;
use self::form::{Body, Inputs};
use self::wire::{Form, IdxResponse, Message};
use super::conversation::{Conversation, Step};
use super::driver::{Driver, ServerCancel};
use super::remember_device::RememberChoice;
use crate::client::{Api, Retry};
use crate::error::{Error, ErrorInfo, ErrorKind, Result};
use crate::oidc_client::OidcClient;
use crate::okta_errors;
use crate::secret::Secret;
use crate::stage::{
    ActivationLink, FactorChoice, FactorPurpose, FlowOptions, Recovery, SignInRequest, Stage,
};
use crate::username::Username;

/// Forms that stand beside the step in play rather than being it.
const SIDE_FORMS: &[&str] = &[
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
const SELECT_FORMS: [&str; 3] = [
    "select-authenticator-authenticate",
    "select-authenticator-enroll",
    "select-authenticator-unlock-account",
];

pub(crate) struct Idx {
    api: Api,
    io: Conversation,
    username: Username,
    /// Sent once, where Okta first asks for it, then dropped (and zeroed).
    password: Option<Secret>,
    options: FlowOptions,
    client: OidcClient,
    /// What `interact` sent (PKCE verifier, nonce, state), until the code is redeemed.
    authorization: Option<token::Authorization>,
    /// The last `cancel` form Okta sent (it carries the state handle).
    cancel: Option<Form>,
    /// A factor picked while another step was in play; used at the next choice.
    pending_choice: Option<String>,
    /// Why the last input was refused before it reached Okta (a malformed code).
    pending_error: Option<ErrorInfo>,
    /// Where the activation link asked for goes, until Okta asks for the address.
    pending_link: Option<ActivationLink>,
    /// The method picked with the last authenticator (`sms`, `voice`, `push`, `totp`).
    chosen_method: Option<String>,
    push_announced: bool,
    last_number: Option<u32>,
    /// The QR code already shown (a data URI): shown once however often it is polled.
    shown_qr: Option<Secret>,
    /// The activation link channel already announced.
    announced_channel: Option<String>,
    /// When Okta last sent a code (SMS, voice call, email).
    code_sent_at: Option<tokio::time::Instant>,
    /// What was last sent, and to which form (a digest: the body holds secrets).
    last_sent: Option<Sent>,
    /// Whether the person said something (a code, a pick, "send again") since the last form
    /// was sent: only then may the same form go again with the same values.
    fresh_input: bool,
    /// Set when this is a password reset or an unlock rather than a sign-in.
    recovery: Option<Recovery>,
    /// Set from the `recover` or `unlock-account` form sent until the new password is sent
    /// or the account unlocked: the authenticators verified meanwhile prove who the person
    /// is for the recovery, and the stages say so.
    proving: Option<Recovery>,
    /// Whether to ask Okta to keep this device signed in; the handle can change it.
    remember: RememberChoice,
    /// What Okta was last told of "Keep me signed in" (`rememberMe` on `identify`, the
    /// prompt's answer); `None` while the org has not offered it.
    kmsi_sent: Option<bool>,
    /// Whether Okta offered `unlock-account` in this transaction: a lockout said later (on
    /// the password step, which does not repeat the form) can then offer the unlock.
    unlock_offered: bool,
}

/// A form sent: its name, where it went, and a digest of its values.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Sent {
    form: String,
    href: String,
    digest: u64,
}

impl Driver for Idx {
    async fn drive(&mut self) -> Step<Stage> {
        let mut doc = match self.recovery {
            Some(recovery) => {
                self.io
                    .working(crate::stage::Activity::StartingRecovery)
                    .await?;
                let doc = self.start().await?;
                self.enter_recovery(doc, recovery).await?
            }
            None => {
                self.io
                    .working(crate::stage::Activity::CheckingPassword)
                    .await?;
                self.start().await?
            }
        };
        loop {
            if let Some(cancel) = &doc.cancel {
                self.cancel = Some(cancel.clone());
            }
            self.unlock_offered |= doc.form("unlock-account").is_some();
            if let Some(issue) = &doc.success_with_interaction_code {
                let issue = issue.clone();
                self.note_unsent_choice();
                return self.redeem(&issue, &doc).await;
            }
            if let Some(end) = self.recovery_end(&doc).await? {
                return Ok(end);
            }
            doc = self.remediate(doc).await?;
        }
    }

    async fn cancel_on_server(&mut self) -> ServerCancel {
        let Some(form) = self.cancel.take() else {
            return ServerCancel::NothingHeld;
        };
        let (Ok(url), Ok(body)) = (self.api.resolve(&form.href), form.fill(&Inputs::new())) else {
            return ServerCancel::NothingHeld;
        };
        // Best effort: the state handle expires on its own if this does not get through.
        match self
            .api
            .post_ion::<_, serde::de::IgnoredAny>(&url, &body, form.content_type(), Retry::Never)
            .await
        {
            Ok(_) => ServerCancel::Confirmed,
            Err(_) => ServerCancel::Unconfirmed,
        }
    }
}

impl Idx {
    /// `request.options.oidc_client` must be set (see [`super::SignIn::start`]).
    pub fn new(api: Api, request: SignInRequest, io: Conversation, client: OidcClient) -> Self {
        Self {
            api,
            io,
            username: request.username,
            password: Some(request.password),
            options: request.options,
            client,
            authorization: None,
            cancel: None,
            pending_choice: None,
            pending_error: None,
            pending_link: None,
            chosen_method: None,
            push_announced: false,
            last_number: None,
            shown_qr: None,
            announced_channel: None,
            code_sent_at: None,
            last_sent: None,
            fresh_input: false,
            recovery: None,
            proving: None,
            remember: RememberChoice::new(false),
            kmsi_sent: None,
            unlock_offered: false,
        }
    }

    /// Follows the person's remember-this-device choice (see [`keep_signed_in`]).
    pub fn remembering(mut self, remember: RememberChoice) -> Self {
        self.remember = remember;
        self
    }

    /// Makes this a password reset or an unlock (with `Some`) instead of a sign-in: no
    /// password is held, a new one arrives as a command.
    pub fn recovering(mut self, recovery: Option<Recovery>) -> Self {
        self.recovery = recovery;
        if recovery.is_some() {
            self.password = None;
        }
        self
    }

    /// Follows the step in play: the first form that is not a side form.
    async fn remediate(&mut self, doc: IdxResponse) -> Step<IdxResponse> {
        if doc.forms().is_empty() {
            return Err(match doc.errors().first() {
                Some(message) => self.ended_by(&doc, message),
                None => self
                    .api
                    .unexpected_step("an answer with no next step and no success"),
            }
            .into());
        }
        if doc
            .errors()
            .iter()
            .any(|m| m.key() == "idx.session.expired")
        {
            return Err(Error::Expired.into());
        }
        let Some(step) = doc
            .forms()
            .iter()
            .find(|form| !SIDE_FORMS.contains(&form.name.as_str()))
            .map(|form| form.name.clone())
        else {
            return self.browser_step(doc, "a step with only side forms").await;
        };
        match step.as_str() {
            "identify" | "identify-recovery" => self.identify(doc, &step).await,
            "reset-authenticator" => self.reset_password(doc).await,
            "challenge-authenticator" => self.answer(doc, false).await,
            "enroll-authenticator" => self.answer(doc, true).await,
            "challenge-poll" => self.push(doc).await,
            "resend-push" | "resend" => self.push_ended(doc).await,
            // Okta's push ends with `resend-push` first; an answer that offers only the
            // authenticators after a push ended must still say so, not send a new push unasked.
            "select-authenticator-authenticate" if poll::push_end(&doc).is_some() => {
                self.push_ended(doc).await
            }
            "enroll-poll" => self.enroll_poll(doc).await,
            "enrollment-channel-data" => self.channel_data(doc).await,
            "select-authenticator-authenticate"
            | "select-authenticator-enroll"
            | "select-authenticator-unlock-account" => self.select(doc, &step).await,
            "authenticator-verification-data" | "authenticator-enrollment-data" => {
                self.method_data(doc, &step).await
            }
            "reenroll-authenticator" | "reenroll-authenticator-warning" => {
                self.new_password(doc, &step).await
            }
            "keep-me-signed-in" => self.keep_me_signed_in(doc).await,
            // A prompt after the sign-in (stay signed in, a passkey, the profile) that Okta
            // lets be skipped: "Not now", without the browser.
            other if doc.form("skip").is_some() => {
                self.api.note(
                    "prompt skipped",
                    format!("optional step \"{other}\": not now"),
                );
                self.io.working(crate::stage::Activity::Skipping).await?;
                self.submit_named(&doc, "skip").await
            }
            other => {
                let other = other.to_owned();
                self.browser_step(doc, &other).await
            }
        }
    }

    /// Fills `form` with `inputs` and POSTs it to its `href`.
    async fn submit(&mut self, form: &Form, inputs: Inputs, retry: Retry) -> Step<IdxResponse> {
        if form
            .method
            .as_deref()
            .is_some_and(|m| !m.eq_ignore_ascii_case("POST"))
        {
            return Err(self
                .api
                .unexpected_step(&format!(
                    "a \"{}\" form to send other than by POST",
                    form.name
                ))
                .into());
        }
        let url = self.api.resolve(&form.href)?;
        let body = self.fill(form, inputs)?;
        self.check_not_repeated(form, &body)?;
        let answer = self
            .api
            .post_ion::<_, IdxResponse>(&url, &body, form.content_type(), retry)
            .await?;
        Ok(answer)
    }

    /// The one rule against loops: the same form with the same values goes to Okta again
    /// only after the person said something new. Okta asking again for what it was just sent
    /// (an unknown user, a refusal the driver did not foresee) ends the sign-in with the form
    /// named, rather than hammering the org.
    fn check_not_repeated(&mut self, form: &Form, body: &Body) -> Result<()> {
        use std::hash::{Hash, Hasher};
        let bytes = zeroize::Zeroizing::new(serde_json::to_vec(body).unwrap_or_default());
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        bytes.hash(&mut hasher);
        let sent = Sent {
            form: form.name.clone(),
            href: form.href.clone(),
            digest: hasher.finish(),
        };
        let fresh = std::mem::take(&mut self.fresh_input);
        if !fresh && self.last_sent.as_ref() == Some(&sent) {
            self.api.note(
                "loop stopped",
                format!("\"{}\" asked for again with nothing new to send", form.name),
            );
            return Err(Error::UnexpectedResponse {
                host: self.api.org().host().to_owned(),
                detail: format!(
                    "Okta asked again for the \"{}\" step it had just been sent, without saying why",
                    form.name
                ),
                advice: "OktaDesk stopped rather than send the same thing again. Try again later; if it keeps happening, sign in through the browser and tell your help desk.",
            });
        }
        self.last_sent = Some(sent);
        Ok(())
    }

    /// Waits for the person's next command that `fits`; what they say is new input.
    async fn ask(
        &mut self,
        fits: impl Fn(&crate::flow::command::Command) -> super::conversation::Fit,
    ) -> Step<crate::flow::command::Command> {
        let command = self.io.wait_for(fits).await?;
        self.fresh_input = true;
        Ok(command)
    }

    /// POSTs the form named `name` of `doc` with its own values (`skip`, `resend`).
    async fn submit_named(&mut self, doc: &IdxResponse, name: &str) -> Step<IdxResponse> {
        let form = doc
            .form(name)
            .cloned()
            .ok_or_else(|| self.api.unexpected_step(&format!("no \"{name}\" form")))?;
        self.submit(&form, Inputs::new(), Retry::Never).await
    }

    fn fill(&self, form: &Form, inputs: Inputs) -> Result<Body> {
        form.fill(&inputs).map_err(|field| {
            self.api.unexpected_step(&format!(
                "a \"{}\" form whose required field \"{field}\" OktaDesk cannot fill",
                form.name
            ))
        })
    }

    /// How long a poll form asks to be left alone (`refresh`, in ms), or the client's poll
    /// interval when it does not say.
    fn refresh(&self, form: &Form) -> Duration {
        form.refresh
            .filter(|ms| ms.is_finite() && *ms >= 0.0)
            .map(|ms| Duration::from_millis(ms.min(60_000.0) as u64))
            .unwrap_or(self.api.config().poll_interval)
    }

    /// The authenticators the person can switch to from the step in play: the select form's
    /// name and its picks (the password, which the driver sends itself, left out).
    fn alternatives(&self, doc: &IdxResponse) -> Option<(&'static str, Vec<Pick>)> {
        let name = SELECT_FORMS
            .into_iter()
            .find(|name| doc.form(name).is_some())?;
        let form = doc.form(name)?;
        let purpose = self.purpose_of(name);
        let picks: Vec<Pick> = authenticators::picks(form, doc, purpose)
            .into_iter()
            .filter(|pick| !pick.password)
            .collect();
        (!picks.is_empty()).then_some((name, picks))
    }

    /// The person picked `key` from another step: pick it in the select form.
    async fn switch(&mut self, doc: IdxResponse, key: String) -> Step<IdxResponse> {
        let Some((name, _)) = self.alternatives(&doc) else {
            return Err(self
                .api
                .unexpected_step("no way back to the authenticators")
                .into());
        };
        self.pending_choice = Some(key);
        // Boxed: picking can lead back here (the browser, then another factor).
        Box::pin(self.select(doc, name)).await
    }

    /// Why Okta refused what was sent, when it says so: the first error message, as the
    /// error every driver knows or in Okta's own words.
    fn refusal(&self, doc: &IdxResponse, kind: ErrorKind) -> Option<(Option<Error>, ErrorInfo)> {
        let message = doc.errors().into_iter().next()?;
        let known = okta_errors::from_idx_message(message.key())
            .map(|error| self.with_unlock_offer(error, doc));
        let info = match &known {
            Some(error) => error.info(),
            None => ErrorInfo {
                kind,
                message: message.message.clone(),
            },
        };
        Some((known, info))
    }

    /// `message` of `doc` as the error that ends the sign-in.
    fn ended_by(&self, doc: &IdxResponse, message: &Message) -> Error {
        self.with_unlock_offer(terminal(message), doc)
    }

    /// A lockout says whether the person can unlock: Okta's key alone cannot, the
    /// `unlock-account` form it offered (in `doc` or earlier in the transaction) does.
    fn with_unlock_offer(&self, error: Error, doc: &IdxResponse) -> Error {
        match error {
            Error::LockedOut { .. } => Error::LockedOut {
                self_service_unlock: self.unlock_offered || doc.form("unlock-account").is_some(),
            },
            other => other,
        }
    }

    fn describe_current(&self, doc: &IdxResponse, purpose: FactorPurpose) -> FactorChoice {
        authenticators::current_choice(doc, self.chosen_method.as_deref(), purpose)
    }

    /// Why the select form `name` offers authenticators: to enroll, to verify, or (while a
    /// recovery proves who the person is) to recover or unlock.
    fn purpose_of(&self, select_form: &str) -> FactorPurpose {
        if select_form.ends_with("enroll") {
            FactorPurpose::Enroll
        } else if select_form == "select-authenticator-unlock-account" {
            FactorPurpose::Unlock
        } else {
            self.verify_purpose()
        }
    }

    /// What proving an enrolled authenticator is for now.
    fn verify_purpose(&self) -> FactorPurpose {
        match self.proving {
            Some(Recovery::ResetPassword) => FactorPurpose::Recover,
            Some(Recovery::UnlockAccount) => FactorPurpose::Unlock,
            None => FactorPurpose::Verify,
        }
    }
}

/// The error a message ends the sign-in with: one every driver knows, or Okta's words.
fn terminal(message: &Message) -> Error {
    okta_errors::from_idx_message(message.key()).unwrap_or_else(|| Error::Okta {
        code: if message.key().is_empty() {
            "idx".to_owned()
        } else {
            message.key().to_owned()
        },
        summary: message.message.clone(),
    })
}

/// Errors after which the step still stands and the person can try something else.
fn recoverable(error: &Error) -> bool {
    matches!(
        error,
        Error::Okta { .. } | Error::RateLimited { .. } | Error::InvalidCode
    )
}
