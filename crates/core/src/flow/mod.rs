//! The sign-in flow: walks an Okta sign-in from the password (or a recovery's first request)
//! to a final [`Stage`]: signed in, with a session for the browser ([`Stage::Success`]), or
//! why not. It emits [`Stage`]s for a UI and takes [`Command`]s back.
//!
//! # Shape, and where a new protocol or step family goes
//!
//! - This file is the public face: [`SignIn::start`], the [`Stages`] stream, the
//!   [`FlowHandle`] and its [`Command`]s. The [`Stage`] enum (`crate::stage`, beside this
//!   folder) is the one contract every face (window, CLI) draws from, whatever the protocol
//!   behind it.
//! - `conversation`: the protocol-free half of a sign-in: emit a stage, wait for a command that
//!   fits it, race a poll against commands, and turn cancel or a vanished UI into a halt.
//! - `driver`: the seam. A [`Driver`](driver::Driver) walks one wire protocol to a final
//!   stage; `driver::run` owns the lifecycle every driver shares (final stage, cancel on the
//!   server, abandonment).
//! - `steps/`: the factor steps both drivers take the same way: the per-sign-in factor state,
//!   waiting for an input or a factor switch, codes and their resend countdown, the push
//!   notices, the QR code, security question checks, the browser hand-off. A rule that is
//!   not protocol goes here, once, as a file of its own.
//! - `factors`: pure rules: which factors can be offered and which one is picked without
//!   asking; `naming`: what each factor is called and what its codes look like.
//! - `remember_device`: the person's "remember this device" choice, shared by the flow and
//!   its handle, and given to both drivers (Classic's `rememberDevice`, Identity Engine's
//!   "Keep me signed in").
//! - `classic/`: the Classic Engine driver (`/api/v1/authn`), one file per step family
//!   (enrollment, activation, verification, push, codes, questions, tokens, password,
//!   recovery).
//! - `idx/`: the Identity Engine driver (IDX: `interact`, `introspect`, remediations), the
//!   same [`Driver`](driver::Driver) over the same [`Conversation`](conversation::Conversation)
//!   and the same steps, emitting the same stages. [`SignIn::start`] picks it when
//!   [`FlowOptions::engine`] is Identity Engine and `FlowOptions::oidc_client` names the
//!   org's OktaDesk app; Classic otherwise.
//!
//! A third engine is a third driver folder beside `classic/` and `idx/`, implementing
//! [`Driver`](driver::Driver) and taking its factor steps from `steps/`; a new step family is
//! a file in each driver for what its protocol sends, and one in `steps/` for what they share.
//!
//! - Recovery ([`SignIn::recover`]: a forgotten password, a locked account) is not a third
//!   driver: each driver starts differently when `recovering` and then walks its usual loop,
//!   Classic from `POST /api/v1/authn/recovery/{password,unlock}` (`classic/recovery.rs`,
//!   RECOVERY_CHALLENGE, RECOVERY, PASSWORD_RESET), IDX from the `recover` or
//!   `unlock-account` form Okta offers (`idx/recovery.rs`, then `identify-recovery`, the
//!   authenticator steps and `reset-authenticator`). Both emit the same recovery stages
//!   ([`Stage::RecoveryEmailSent`], [`Stage::NeedsNewPassword`], [`Stage::AccountUnlocked`],
//!   [`Stage::PasswordReset`]) beside the sign-in's own, asked with a recovery's purpose.
//!
//! Okta's error codes and IDX message keys are turned into errors in `crate::okta_errors`,
//! which both drivers share.
//!
//! [`FlowOptions::engine`]: crate::FlowOptions

mod classic;
mod command;
mod conversation;
mod driver;
mod factors;
mod idx;
mod naming;
#[cfg(test)]
mod okta_shapes_tests;
mod remember_device;
mod steps;

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::sync::{mpsc, oneshot};

use self::classic::Classic;
pub use self::command::Command;
use self::conversation::{Conversation, Envelope};
use self::idx::Idx;
use self::remember_device::RememberChoice;
use self::steps::CUSTOM_QUESTION_KEY;
use crate::client::{Api, CookieJar, Lifecycle, OktaClient};
use crate::device_token::DeviceToken;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::stage::{ActivationLink, Recovery, RecoveryRequest, SignInRequest, Stage};
use crate::transcript::Transcript;

/// Stages waiting to be read before the engine pauses; a UI reads them as they come.
const STAGE_BUFFER: usize = 64;

/// Starts sign-ins.
pub struct SignIn;

impl SignIn {
    /// Starts a sign-in as a tokio task (call it inside a tokio runtime). Read the stages from
    /// [`Stages`] and answer them through the [`FlowHandle`]. Dropping every clone of the
    /// handle cancels the transaction on the server.
    pub fn start(client: &OktaClient, request: SignInRequest) -> (FlowHandle, Stages) {
        Self::start_on_device(client, request, None)
    }

    /// Like [`start`](Self::start), presenting Okta's device cookie from an earlier sign-in
    /// on this computer (an account's record keeps it), so a device the person had
    /// remembered is recognised. After the sign-in, [`FlowHandle::device_token`] holds the
    /// cookie to keep for next time.
    pub fn start_on_device(
        client: &OktaClient,
        request: SignInRequest,
        device: Option<DeviceToken>,
    ) -> (FlowHandle, Stages) {
        Self::begin(client, request, None, device)
    }

    /// Starts a password reset or an unlock for someone who cannot sign in, on the same
    /// protocol a sign-in with these options would use, emitting the same kind of stages:
    /// a recovery factor to choose, its code or emailed link, then a new password (after
    /// which the sign-in goes on as Okta says) or [`Stage::AccountUnlocked`].
    pub fn recover(client: &OktaClient, request: RecoveryRequest) -> (FlowHandle, Stages) {
        Self::recover_on_device(client, request, None)
    }

    /// Like [`recover`](Self::recover), presenting Okta's device cookie from an earlier
    /// sign-in on this computer (a reset password goes on to sign in).
    pub fn recover_on_device(
        client: &OktaClient,
        request: RecoveryRequest,
        device: Option<DeviceToken>,
    ) -> (FlowHandle, Stages) {
        let RecoveryRequest {
            org,
            username,
            recovery,
            options,
        } = request;
        // No password: recovery never sends one; a new one arrives as a command.
        let request = SignInRequest {
            org,
            username,
            password: Secret::new(""),
            options,
        };
        Self::begin(client, request, Some(recovery), device)
    }

    fn begin(
        client: &OktaClient,
        request: SignInRequest,
        recovery: Option<Recovery>,
        device: Option<DeviceToken>,
    ) -> (FlowHandle, Stages) {
        let transcript = Transcript::new();
        let (stage_tx, stage_rx) = mpsc::channel(STAGE_BUFFER);
        let (command_tx, command_rx) = mpsc::channel(8);
        let cookies = CookieJar::with_device_token(device.as_ref());
        let remember = RememberChoice::new(request.options.remember_device);
        let api = Api::with_cookies(
            client.clone(),
            request.org.clone(),
            transcript.clone(),
            cookies.clone(),
        );
        // Help-desk staff must see when a sign-in trusted more than the system's roots.
        if let Some(pem) = &client.config().extra_ca_pem {
            for root in crate::trusted_root::read_roots(pem).unwrap_or_default() {
                api.note("extra trusted root", root.to_string());
            }
        }
        if let Some(engine) = request.options.engine {
            let through_idx = request.options.oidc_client.is_some();
            api.note("org engine", engine_note(engine, through_idx));
        }
        let lifecycle = api.lifecycle().clone();
        let io = Conversation::new(stage_tx.clone(), command_rx);
        // IDX needs the org's OktaDesk app; without one, Identity Engine orgs still answer
        // Classic's /api/v1/authn.
        match (request.options.engine, request.options.oidc_client.clone()) {
            (Some(Engine::IdentityEngine), Some(client)) => {
                let driver = Idx::new(api, request, io, client)
                    .remembering(remember.clone())
                    .recovering(recovery);
                tokio::spawn(driver::run(driver, stage_tx, lifecycle.clone()));
            }
            _ => {
                let driver = Classic::new(api, request, io, remember.clone()).recovering(recovery);
                tokio::spawn(driver::run(driver, stage_tx, lifecycle.clone()));
            }
        }
        (
            FlowHandle {
                commands: command_tx,
                transcript,
                cookies,
                remember,
                _last_handle: Arc::new(LastHandle(lifecycle.clone())),
                lifecycle,
            },
            Stages { receiver: stage_rx },
        )
    }
}

/// What the transcript says about the org's engine. The flow does not ask the org itself: the
/// caller detects it once (when an account is added, or concurrently with the password
/// prompt) and passes it in [`FlowOptions::engine`](crate::FlowOptions), so a Classic sign-in
/// pays no extra request. Told nothing, the flow writes nothing.
fn engine_note(engine: Engine, through_idx: bool) -> String {
    match engine {
        Engine::Classic => format!(
            "{} (pipeline {}); signing in through /api/v1/authn",
            Engine::Classic,
            Engine::Classic.pipeline()
        ),
        Engine::IdentityEngine if through_idx => format!(
            "{} (pipeline {}); signing in through IDX (the Interaction Code flow)",
            Engine::IdentityEngine,
            Engine::IdentityEngine.pipeline()
        ),
        Engine::IdentityEngine => format!(
            "{} (pipeline {}); signing in through Classic's /api/v1/authn, which only the global session policy governs there",
            Engine::IdentityEngine,
            Engine::IdentityEngine.pipeline()
        ),
    }
}

/// The stream of [`Stage`]s of one sign-in. Ends after a final stage.
#[derive(Debug)]
pub struct Stages {
    receiver: mpsc::Receiver<Stage>,
}

impl Stages {
    /// The next stage, or `None` once the flow has ended.
    pub async fn next(&mut self) -> Option<Stage> {
        self.receiver.recv().await
    }
}

impl futures_core::Stream for Stages {
    type Item = Stage;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Stage>> {
        self.receiver.poll_recv(cx)
    }
}

/// Drives a running sign-in. Each command returns once the engine has accepted it (or said
/// why it does not fit the current stage); its outcome arrives as the next stages.
#[derive(Clone)]
pub struct FlowHandle {
    commands: mpsc::Sender<Envelope>,
    transcript: Transcript,
    cookies: CookieJar,
    remember: RememberChoice,
    /// The sign-in's stop signal: cancel cuts short whatever the sign-in is waiting on.
    lifecycle: Lifecycle,
    /// Shared by every clone: when the last one goes, nobody can answer the sign-in any more.
    _last_handle: Arc<LastHandle>,
}

/// Stops the sign-in when the last [`FlowHandle`] is dropped, so that a window that went away
/// does not leave it waiting out a rate limit or a request before it is cancelled with Okta.
struct LastHandle(Lifecycle);

impl Drop for LastHandle {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// Reads a sign-in's device cookie (see [`FlowHandle::device_token_reader`]).
#[derive(Clone)]
pub struct DeviceTokenReader(CookieJar);

impl DeviceTokenReader {
    pub fn device_token(&self) -> Option<DeviceToken> {
        self.0.device_token()
    }
}

impl std::fmt::Debug for DeviceTokenReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DeviceTokenReader")
    }
}

impl std::fmt::Debug for FlowHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FlowHandle").finish_non_exhaustive()
    }
}

impl FlowHandle {
    /// The live transcript of this sign-in (shared: it keeps filling while the flow runs).
    pub fn transcript(&self) -> &Transcript {
        &self.transcript
    }

    /// Whether to ask Okta to remember this device at the next verification (a stage's
    /// [`RememberDeviceOffer`](crate::RememberDeviceOffer) says whether the org allows it).
    /// Takes effect at once, also on a push already waiting: its next poll asks for it.
    pub fn remember_device(&self, remember: bool) {
        self.remember.set(remember);
    }

    /// Okta's device cookie as this sign-in left it: keep it with the account (never in a
    /// file or log) and pass it to [`SignIn::start_on_device`] next time.
    pub fn device_token(&self) -> Option<DeviceToken> {
        self.cookies.device_token()
    }

    /// Reads [`device_token`](Self::device_token) later without holding the handle, which
    /// would keep the sign-in from being cancelled when its last handle goes.
    pub fn device_token_reader(&self) -> DeviceTokenReader {
        DeviceTokenReader(self.cookies.clone())
    }

    pub async fn send(&self, command: Command) -> Result<()> {
        if let Command::Cancel = command {
            return self.stop().await;
        }
        self.deliver(command).await
    }

    /// Cancel, however it is asked for (the window sends it as a command): the stop first,
    /// so that whatever the sign-in waits on ends now, then the command, which the flow
    /// answers once its bounded cancel with Okta is done.
    async fn stop(&self) -> Result<()> {
        if self.commands.is_closed() {
            return Err(Error::FlowEnded);
        }
        let first = !self.lifecycle.stop_requested();
        self.lifecycle.stop();
        match self.deliver(Command::Cancel).await {
            // The stop ended the flow before it read the command: that was the cancel.
            Err(Error::FlowEnded) if first => Ok(()),
            other => other,
        }
    }

    async fn deliver(&self, command: Command) -> Result<()> {
        let (reply, answer) = oneshot::channel();
        self.commands
            .send(Envelope { command, reply })
            .await
            .map_err(|_| Error::FlowEnded)?;
        answer.await.map_err(|_| Error::FlowEnded)?
    }

    pub async fn choose_factor(&self, key: impl Into<String>) -> Result<()> {
        self.send(Command::ChooseFactor { key: key.into() }).await
    }

    pub async fn submit_code(&self, code: Secret) -> Result<()> {
        self.send(Command::SubmitCode { code }).await
    }

    /// Asks Okta to send the code again (SMS, voice call, email); refused until Okta allows it
    /// (`resend_in_seconds` of [`Stage::NeedsCode`]).
    pub async fn resend_code(&self) -> Result<()> {
        self.send(Command::ResendCode).await
    }

    /// The phone number to enroll for SMS or voice calls, in E.164 form (`+14155550123`).
    pub async fn submit_phone_number(&self, phone_number: impl Into<String>) -> Result<()> {
        self.send(Command::SubmitPhoneNumber {
            phone_number: phone_number.into(),
        })
        .await
    }

    pub async fn submit_answer(&self, answer: Secret) -> Result<()> {
        self.send(Command::SubmitAnswer { answer }).await
    }

    /// Enrolls the security question `question` (a [`SecurityQuestion`] key) with `answer`.
    ///
    /// [`SecurityQuestion`]: crate::SecurityQuestion
    pub async fn enroll_question(&self, question: impl Into<String>, answer: Secret) -> Result<()> {
        self.send(Command::EnrollQuestion {
            question: question.into(),
            answer,
            custom_question: None,
        })
        .await
    }

    /// Enrolls a security question the person wrote (`question`, in their words) with
    /// `answer`, where [`Stage::NeedsQuestionChoice`] says `can_write_own`.
    pub async fn enroll_custom_question(
        &self,
        question: impl Into<String>,
        answer: Secret,
    ) -> Result<()> {
        self.send(Command::EnrollQuestion {
            question: CUSTOM_QUESTION_KEY.to_owned(),
            answer,
            custom_question: Some(question.into()),
        })
        .await
    }

    pub async fn resend_push(&self) -> Result<()> {
        self.send(Command::ResendPush).await
    }

    pub async fn send_activation_link(&self, link: ActivationLink) -> Result<()> {
        self.send(Command::SendActivationLink { link }).await
    }

    pub async fn refresh_qr(&self) -> Result<()> {
        self.send(Command::RefreshQr).await
    }

    pub async fn change_password(&self, old_password: Secret, new_password: Secret) -> Result<()> {
        self.send(Command::ChangePassword {
            old_password,
            new_password,
        })
        .await
    }

    /// The recovery link Okta emailed (or the recovery token in it), at
    /// [`Stage::RecoveryEmailSent`].
    pub async fn submit_recovery_token(&self, token: Secret) -> Result<()> {
        self.send(Command::SubmitRecoveryToken { token }).await
    }

    /// The new password, at [`Stage::NeedsNewPassword`].
    pub async fn set_new_password(&self, new_password: Secret) -> Result<()> {
        self.send(Command::SetNewPassword { new_password }).await
    }

    pub async fn skip(&self) -> Result<()> {
        self.send(Command::Skip).await
    }

    /// Cancels the sign-in: whatever it waits on (a rate-limit wait, a request in flight, a
    /// poll) ends at once, then one cancel request goes to Okta, bounded to a couple of
    /// seconds; the flow ends with a `cancelled` failure. Returns once that is done.
    pub async fn cancel(&self) -> Result<()> {
        self.stop().await
    }
}
