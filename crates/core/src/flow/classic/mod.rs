//! The Classic Engine driver: Okta's Authentication API (`/api/v1/authn`).
//!
//! It follows the transaction's `status` from the primary authentication to `SUCCESS`, one
//! step family per file: [`enrollment`] (MFA_ENROLL) and [`activation`]
//! (MFA_ENROLL_ACTIVATE), [`verification`] (MFA_REQUIRED, MFA_CHALLENGE) with [`push`],
//! [`passcode`] (codes typed, and codes Okta sends), [`question`] (security questions) and
//! [`token`] (hardware tokens, enrolled with their code),
//! [`choice`] (picking a factor, and the browser for those OktaDesk cannot do), and
//! [`password`] (PASSWORD_WARN, PASSWORD_EXPIRED). [`recovery`] is the forgotten password
//! and the locked account ([`SignIn::recover`](crate::SignIn::recover)): it starts with
//! `POST /api/v1/authn/recovery/{password,unlock}` instead of the password, then RECOVERY_CHALLENGE,
//! RECOVERY and PASSWORD_RESET, after which the same loop goes on. Every URL after the first
//! request comes from the `_links` Okta sent, checked to stay on the org's origin, but one:
//! Okta's answer to an emailed recovery has no links, so the pasted token goes to
//! `/api/v1/authn/recovery/token` by hand.
//!
//! What is not Classic's own (the factor state kept between steps, waiting for an input or a
//! factor switch, codes and their countdown, the push notices, the QR code, question checks,
//! the browser hand-off) comes from the shared `flow/steps/`.

mod activation;
mod choice;
mod enrollment;
mod passcode;
mod password;
mod push;
mod question;
mod recovery;
mod token;
mod verification;

use std::time::SystemTime;

use time::OffsetDateTime;
use url::Url;

use super::command::Command;
use super::conversation::{Conversation, Fit, Raced, Step};
use super::driver::{Driver, ServerCancel};
use super::remember_device::RememberChoice;
use super::steps::FactorState;
use crate::client::{Answer, Api, Retry};
use crate::error::{Error, Result};
use crate::handoff::{SessionHandoff, UserInfo};
use crate::secret::Secret;
use crate::stage::{
    Activity, FactorKind, FlowOptions, Recovery, RememberDeviceOffer, SignInRequest, Stage,
};
use crate::username::Username;
use crate::wire::{
    Factor, Policy, PrimaryAuthOptions, PrimaryAuthRequest, StateRequest, Status, StepBody,
    Transaction,
};

/// What a poll waits for: a factor's verification (which may remember the device) or an
/// enrollment's activation.
#[derive(Clone, Copy)]
enum PollPurpose {
    Verification,
    Activation,
}

pub(crate) struct Classic {
    api: Api,
    io: Conversation,
    username: Username,
    /// Dropped (and zeroed) as soon as the primary authentication is sent.
    password: Option<Secret>,
    options: FlowOptions,
    state_token: Option<Secret>,
    cancel_link: Option<Secret>,
    /// What this sign-in remembers between its factor steps (shared with IDX's driver).
    factor: FactorState,
    server_time: Option<SystemTime>,
    /// The phone number being enrolled, for an activation's `resend`.
    enroll_phone: Option<String>,
    /// Whether to ask Okta to remember this device; the handle can change it at any time.
    remember: RememberChoice,
    /// The MFA policy of the latest MFA_REQUIRED or MFA_CHALLENGE: whether (and for how
    /// long) the org lets this device be remembered.
    mfa_policy: Option<Policy>,
    /// Set when this is a password reset or an unlock rather than a sign-in.
    recovery: Option<Recovery>,
}

impl Driver for Classic {
    async fn drive(&mut self) -> Step<Stage> {
        let mut tx = match self.recovery {
            Some(recovery) => {
                self.io.working(Activity::StartingRecovery).await?;
                self.start_recovery(recovery).await?
            }
            None => {
                self.io.working(Activity::CheckingPassword).await?;
                self.primary_authentication().await?
            }
        };
        loop {
            tx = match tx.status {
                Status::Success if tx.unlocked() => return Ok(self.unlocked(&tx)),
                Status::Success => return self.success(tx),
                Status::MfaEnroll => self.enroll(tx).await?,
                Status::MfaEnrollActivate => self.activate(tx).await?,
                Status::MfaRequired => self.verify(tx).await?,
                Status::MfaChallenge => self.challenge(tx).await?,
                Status::PasswordWarn | Status::PasswordExpired => self.password(tx).await?,
                Status::RecoveryChallenge => self.recovery_challenge(tx).await?,
                Status::Recovery => self.recovery_question(tx).await?,
                Status::PasswordReset => self.reset_password(tx).await?,
                Status::LockedOut => {
                    let self_service_unlock =
                        tx.links.next.as_ref().is_some_and(|l| l.is_named("unlock"));
                    return Err(Error::LockedOut {
                        self_service_unlock,
                    }
                    .into());
                }
                other => {
                    return Err(Error::UnsupportedStep {
                        step: other.to_string(),
                    }
                    .into());
                }
            };
        }
    }

    async fn cancel_on_server(&mut self) -> ServerCancel {
        let Some(token) = self.state_token.take() else {
            return ServerCancel::NothingHeld;
        };
        let url = match &self.cancel_link {
            Some(href) => match self.api.resolve(href.expose()) {
                Ok(url) => url,
                Err(_) => return ServerCancel::NothingHeld,
            },
            None => self.api.org().join("/api/v1/authn/cancel"),
        };
        let body = StateRequest {
            state_token: &token,
            extra: StepBody::Empty {},
        };
        // Best effort: the transaction expires on its own if this does not get through. The
        // answer is no transaction (Okta sends `{}`-like bodies), so only its status counts.
        match self.api.post_for_effect(&url, &body, Retry::Never).await {
            Ok(()) => ServerCancel::Confirmed,
            Err(_) => ServerCancel::Unconfirmed,
        }
    }
}

impl Classic {
    pub fn new(
        api: Api,
        request: SignInRequest,
        io: Conversation,
        remember: RememberChoice,
    ) -> Self {
        Self {
            api,
            io,
            username: request.username,
            password: Some(request.password),
            options: request.options,
            state_token: None,
            cancel_link: None,
            factor: FactorState::default(),
            server_time: None,
            enroll_phone: None,
            remember,
            mfa_policy: None,
            recovery: None,
        }
    }

    /// Makes this a password reset or an unlock (with `Some`) instead of a sign-in.
    pub fn recovering(mut self, recovery: Option<Recovery>) -> Self {
        self.recovery = recovery;
        self
    }

    /// What a verification stage offers of "remember this device" now.
    fn remember_offer(&self) -> Option<RememberDeviceOffer> {
        self.remember.offer(self.mfa_policy.as_ref())
    }

    /// `url` (a factor's verify link, or the poll of its push) with `rememberDevice` as the
    /// person wants it at the moment of sending: Okta reads it on the request that finds the
    /// factor verified, which for a push is a poll, so it is set on each (as okta-auth-js does).
    fn remembering(&self, url: &Url) -> Url {
        self.remember.query_for(url, self.mfa_policy.as_ref())
    }

    /// `POST /api/v1/authn`: the one URL built by hand; the password goes here and only here.
    async fn primary_authentication(&mut self) -> Step<Transaction> {
        let password = self.password.take().unwrap_or_default();
        let url = self.api.org().join("/api/v1/authn");
        let body = PrimaryAuthRequest {
            username: self.username.as_str(),
            password: &password,
            options: PrimaryAuthOptions {
                multi_optional_factor_enroll: self.options.enroll_optional_factors,
                warn_before_password_expired: self.options.warn_before_password_expired,
            },
        };
        let answer = self.api.post(&url, &body, Retry::Never).await;
        drop(password);
        Ok(self.absorb(answer?))
    }

    fn success(&mut self, tx: Transaction) -> Step<Stage> {
        let token = tx
            .session_token
            .clone()
            .filter(|token| !token.is_empty())
            .ok_or_else(|| self.api.unexpected_step("SUCCESS without a session token"))?;
        self.state_token = None;
        let user = UserInfo::from_wire(tx.embedded.user.as_ref(), self.username.as_str());
        let session = SessionHandoff::new(self.api.org().clone(), token, tx.expires_at);
        Ok(Stage::Success { user, session })
    }

    pub(super) async fn skip_step(&mut self, tx: &Transaction) -> Step<Transaction> {
        let skip = tx
            .links
            .skip
            .as_ref()
            .ok_or_else(|| self.api.unexpected_step("no skip link"))?;
        let url = self.api.resolve(skip.href.expose())?;
        self.io.working(Activity::Skipping).await?;
        self.post_state(&url, StepBody::Empty {}, Retry::Never)
            .await
    }

    /// `POST prev`: back to the factor list, remembering what the user wants to pick there.
    pub(super) async fn go_back(
        &mut self,
        tx: &Transaction,
        choice: Option<String>,
    ) -> Step<Transaction> {
        let prev = tx
            .links
            .prev
            .as_ref()
            .ok_or_else(|| self.api.unexpected_step("no way back to the factor list"))?;
        let url = self.api.resolve(prev.href.expose())?;
        self.io.working(Activity::SwitchingFactor).await?;
        self.factor.pending_choice = choice;
        self.factor.pending_error = None;
        self.post_state(&url, StepBody::Empty {}, Retry::Never)
            .await
    }

    fn check_not_expired(&self, tx: &Transaction) -> Step<()> {
        if let (Some(expires_at), Some(now)) = (tx.expires_at, self.server_time)
            && OffsetDateTime::from(now) > expires_at
        {
            return Err(Error::Expired.into());
        }
        Ok(())
    }

    /// Waits out the poll interval, then polls `url`; a command that fits arrives meanwhile
    /// interrupts (dropping an unfinished poll is harmless: it changes nothing).
    async fn poll(
        &mut self,
        url: &Url,
        purpose: PollPurpose,
        fits: impl Fn(&Command) -> Fit,
    ) -> Step<Raced<Transaction>> {
        let wake = tokio::time::Instant::now() + self.api.config().poll_interval;
        let api = self.api.clone();
        let token = self.token()?;
        let remember = self.remember.clone();
        let policy = self.mfa_policy.clone();
        let poll = async move {
            tokio::time::sleep_until(wake).await;
            let body = StateRequest {
                state_token: &token,
                extra: StepBody::Empty {},
            };
            // Read after the wait: the person may have changed it while the push waited.
            let url = match purpose {
                PollPurpose::Verification => remember.query_for(url, policy.as_ref()),
                PollPurpose::Activation => url.clone(),
            };
            api.post(&url, &body, Retry::Idempotent).await
        };
        match self.io.race(poll, fits).await? {
            Raced::Finished(answer) => Ok(Raced::Finished(self.absorb(answer?))),
            Raced::Interrupted(command) => Ok(Raced::Interrupted(command)),
        }
    }

    async fn post_state(
        &mut self,
        url: &Url,
        extra: StepBody<'_>,
        retry: Retry,
    ) -> Step<Transaction> {
        let token = self.token()?;
        let body = StateRequest {
            state_token: &token,
            extra,
        };
        let answer = self.api.post(url, &body, retry).await?;
        Ok(self.absorb(answer))
    }

    fn absorb(&mut self, answer: Answer) -> Transaction {
        let tx = answer.transaction;
        if answer.server_time.is_some() {
            self.server_time = answer.server_time;
        }
        if let Some(token) = &tx.state_token {
            self.state_token = Some(token.clone());
        }
        if let Some(cancel) = &tx.links.cancel {
            self.cancel_link = Some(cancel.href.clone());
        }
        if let Some(policy) = tx.embedded.policy.as_ref()
            && policy.allow_remember_device.is_some()
        {
            self.mfa_policy = Some(policy.clone());
        }
        tx
    }

    fn token(&self) -> Result<Secret> {
        self.state_token
            .clone()
            .ok_or_else(|| self.api.unexpected_step("a step without a state token"))
    }

    fn next_link(&self, tx: &Transaction, name: &str) -> Result<Url> {
        let next = tx
            .links
            .next
            .as_ref()
            .filter(|link| link.is_named(name) || link.name.is_none())
            .ok_or_else(|| Error::UnsupportedStep {
                step: format!(
                    "{} with next step \"{}\" instead of \"{name}\"",
                    tx.status,
                    tx.links
                        .next
                        .as_ref()
                        .and_then(|l| l.name.clone())
                        .unwrap_or_else(|| "none".into())
                ),
            })?;
        self.api.resolve(next.href.expose())
    }

    /// The one factor MFA_ENROLL_ACTIVATE and MFA_CHALLENGE carry (`_embedded.factor`), and its
    /// kind; `step` words the error ("an enrollment").
    fn embedded_factor(&self, tx: &Transaction, step: &str) -> Result<(Factor, FactorKind)> {
        let factor = tx.embedded.factor.clone().ok_or_else(|| {
            self.api
                .unexpected_step(&format!("{step} without its factor"))
        })?;
        let kind = FactorKind::of(&factor.factor_type, &factor.provider);
        Ok((factor, kind))
    }
}

fn unsupported_result(
    what: &str,
    result: Option<&crate::wire::FactorResult>,
) -> super::conversation::Halt {
    Error::UnsupportedStep {
        step: format!(
            "{what} result {}",
            result
                .map(crate::wire::FactorResult::as_str)
                .unwrap_or("missing")
        ),
    }
    .into()
}
