//! The sign-in flow engine: walks an Okta authentication transaction from the password to a
//! session token, emitting [`Stage`]s for a UI and taking [`Command`]s back.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::SystemTime;

use serde::Deserialize;
use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot};
use url::Url;

use crate::client::{Answer, Api, OktaClient, Retry};
use crate::error::{Error, ErrorInfo, Result};
use crate::qr;
use crate::secret::Secret;
use crate::session::{SessionHandoff, UserInfo};
use crate::stage::{
    ActivationLink, Activity, CodePurpose, EnrollQr, FactorChoice, FactorKind, FactorPurpose,
    SignInRequest, Stage,
};
use crate::transcript::Transcript;
use crate::verification_code::VerificationCode;
use crate::wire::{
    Factor, FactorResult, Link, Policy, PrimaryAuthOptions, PrimaryAuthRequest, SmsProfile,
    StateRequest, Status, StepBody, Transaction,
};

/// Stages waiting to be read before the engine pauses; a UI reads them as they come.
const STAGE_BUFFER: usize = 64;

/// Starts sign-ins.
pub struct SignIn;

impl SignIn {
    /// Starts a sign-in as a tokio task (call it inside a tokio runtime). Read the stages from
    /// [`Stages`] and answer them through the [`FlowHandle`]. Dropping every clone of the
    /// handle cancels the transaction on the server.
    pub fn start(client: &OktaClient, request: SignInRequest) -> (FlowHandle, Stages) {
        let transcript = Transcript::new();
        let (stage_tx, stage_rx) = mpsc::channel(STAGE_BUFFER);
        let (command_tx, command_rx) = mpsc::channel(8);
        let api = Api::new(client.clone(), request.org.clone(), transcript.clone());
        let engine = Engine {
            api,
            username: request.username,
            password: Some(request.password),
            options: request.options,
            stages: stage_tx,
            commands: command_rx,
            state_token: None,
            cancel_link: None,
            pending_choice: None,
            pending_error: None,
            push_announced: false,
            last_number: None,
            shown_qr: None,
            server_time: None,
        };
        tokio::spawn(engine.run());
        (
            FlowHandle {
                commands: command_tx,
                transcript,
            },
            Stages { receiver: stage_rx },
        )
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

/// What a UI can ask of a running sign-in. Deserialises from the UI's JSON, e.g.
/// `{"command":"submitCode","code":"123456"}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(
    tag = "command",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[non_exhaustive]
pub enum Command {
    ChooseFactor {
        key: String,
    },
    SubmitCode {
        code: Secret,
    },
    ResendPush,
    SendActivationLink {
        link: ActivationLink,
    },
    RefreshQr,
    ChangePassword {
        old_password: Secret,
        new_password: Secret,
    },
    Skip,
    Cancel,
}

impl Command {
    fn action(&self) -> &'static str {
        match self {
            Self::ChooseFactor { .. } => "Choosing a factor",
            Self::SubmitCode { .. } => "Submitting a code",
            Self::ResendPush => "Sending a new push",
            Self::SendActivationLink { .. } => "Sending an activation link",
            Self::RefreshQr => "Getting a new QR code",
            Self::ChangePassword { .. } => "Changing the password",
            Self::Skip => "Skipping",
            Self::Cancel => "Cancelling",
        }
    }
}

/// Drives a running sign-in. Each command returns once the engine has accepted it (or said
/// why it does not fit the current stage); its outcome arrives as the next stages.
#[derive(Debug, Clone)]
pub struct FlowHandle {
    commands: mpsc::Sender<Envelope>,
    transcript: Transcript,
}

impl FlowHandle {
    /// The live transcript of this sign-in (shared: it keeps filling while the flow runs).
    pub fn transcript(&self) -> &Transcript {
        &self.transcript
    }

    pub async fn send(&self, command: Command) -> Result<()> {
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

    pub async fn skip(&self) -> Result<()> {
        self.send(Command::Skip).await
    }

    /// Cancels the transaction on the server (`POST /api/v1/authn/cancel`); the flow ends with
    /// a `cancelled` failure. Returns once the server has been told.
    pub async fn cancel(&self) -> Result<()> {
        self.send(Command::Cancel).await
    }
}

struct Envelope {
    command: Command,
    reply: oneshot::Sender<Result<()>>,
}

/// Why the engine stops early.
enum Halt {
    Error(Error),
    /// Nobody is listening any more: cancel quietly.
    Abandoned,
}

impl From<Error> for Halt {
    fn from(error: Error) -> Self {
        Self::Error(error)
    }
}

type Step<T> = std::result::Result<T, Halt>;

/// What happened while waiting on a poll: the answer, or a command that interrupted it.
enum PollEvent {
    Answer(Box<Answer>),
    Command(Command),
}

struct Engine {
    api: Api,
    username: String,
    /// Dropped (and zeroed) as soon as the primary authentication is sent.
    password: Option<Secret>,
    options: crate::stage::FlowOptions,
    stages: mpsc::Sender<Stage>,
    commands: mpsc::Receiver<Envelope>,
    state_token: Option<Secret>,
    cancel_link: Option<String>,
    /// A factor the user picked while another step was in play; used at the next choice.
    pending_choice: Option<String>,
    /// Why the last code or password was refused, for the stage that asks again.
    pending_error: Option<ErrorInfo>,
    push_announced: bool,
    last_number: Option<u32>,
    /// The QR link already fetched: the image is single use, so it is fetched once.
    shown_qr: Option<String>,
    server_time: Option<SystemTime>,
}

impl Engine {
    async fn run(mut self) {
        let outcome = self.drive().await;
        let last = match outcome {
            Ok(stage) => stage,
            Err(Halt::Abandoned) => {
                self.cancel_on_server().await;
                return;
            }
            Err(Halt::Error(Error::LockedOut)) => Stage::LockedOut {
                message: Error::LockedOut.to_string(),
            },
            Err(Halt::Error(error)) => Stage::Failed {
                kind: error.kind(),
                message: error.to_string(),
            },
        };
        // Ignored: the listener may be gone, and there is nothing left to tell it.
        let _ = self.stages.send(last).await;
    }

    async fn drive(&mut self) -> Step<Stage> {
        self.emit(Stage::Working {
            activity: Activity::CheckingPassword,
        })
        .await?;
        let password = self.password.take().unwrap_or_default();
        let url = self.api.org().join("/api/v1/authn");
        let body = PrimaryAuthRequest {
            username: &self.username,
            password: &password,
            options: PrimaryAuthOptions {
                multi_optional_factor_enroll: self.options.enroll_optional_factors,
                warn_before_password_expired: self.options.warn_before_password_expired,
            },
        };
        let answer = self.api.post(&url, &body, Retry::Never).await;
        drop(password);
        let mut tx = self.absorb(answer?);
        loop {
            tx = match tx.status {
                Status::Success => return self.success(tx),
                Status::MfaEnroll => self.enroll(tx).await?,
                Status::MfaEnrollActivate => self.activate(tx).await?,
                Status::MfaRequired => self.verify(tx).await?,
                Status::MfaChallenge => self.challenge(tx).await?,
                Status::PasswordWarn | Status::PasswordExpired => self.password(tx).await?,
                Status::LockedOut => return Err(Error::LockedOut.into()),
                other => {
                    return Err(Error::UnsupportedStep {
                        step: other.to_string(),
                    }
                    .into());
                }
            };
        }
    }

    fn success(&mut self, tx: Transaction) -> Step<Stage> {
        let token = tx
            .session_token
            .clone()
            .filter(|token| !token.is_empty())
            .ok_or_else(|| self.unexpected("SUCCESS without a session token"))?;
        self.state_token = None;
        let user = UserInfo::from_wire(tx.embedded.user.as_ref(), &self.username);
        let session = SessionHandoff::new(self.api.org().clone(), token, tx.expires_at);
        Ok(Stage::Success { user, session })
    }

    // MFA_ENROLL: pick a factor to enroll and POST its enroll link.
    async fn enroll(&mut self, tx: Transaction) -> Step<Transaction> {
        let can_skip = tx.links.skip.is_some();
        let offered = enroll_choices(&tx);
        if offered.is_empty() {
            if can_skip {
                return self.skip_step(&tx).await;
            }
            return Err(unsupported_factors("enroll", &tx));
        }
        let picked = match self.auto_pick(&offered, FactorPurpose::Enroll, can_skip, None) {
            Some(index) => index,
            None => {
                let keys: Vec<String> = offered.iter().map(|(c, _)| c.key.clone()).collect();
                self.emit(Stage::NeedsFactorChoice {
                    purpose: FactorPurpose::Enroll,
                    factors: offered.iter().map(|(choice, _)| choice.clone()).collect(),
                    can_skip,
                })
                .await?;
                let command = self
                    .wait_for(|command| match command {
                        Command::ChooseFactor { key } => known_key(&keys, key),
                        Command::Skip if can_skip => Ok(()),
                        _ => Err("the sign-in is waiting for a factor to enroll".into()),
                    })
                    .await?;
                match command {
                    Command::ChooseFactor { key } => position(&offered, &key),
                    _ => return self.skip_step(&tx).await,
                }
            }
        };
        let (choice, factor) = &offered[picked];
        self.emit(Stage::Working {
            activity: Activity::Enrolling,
        })
        .await?;
        let url = match &factor.links.enroll {
            Some(link) => self.api.resolve(&link.href)?,
            None => self.api.org().join("/api/v1/authn/factors"),
        };
        let token = self.token()?;
        let body = StateRequest {
            state_token: &token,
            extra: StepBody::Enroll {
                factor_type: choice.kind.factor_type(),
                provider: &choice.provider,
            },
        };
        let answer = self.api.post(&url, &body, Retry::Never).await?;
        Ok(self.absorb(answer))
    }

    // MFA_ENROLL_ACTIVATE: show the QR code, then poll (push) or take a code (TOTP).
    async fn activate(&mut self, tx: Transaction) -> Step<Transaction> {
        let (factor, kind) = self.embedded_factor(&tx, "an enrollment", "activating")?;
        let activation = factor.embedded.activation.clone().unwrap_or_default();
        let result = tx
            .factor_result
            .clone()
            .or_else(|| activation.factor_result.clone());
        let can_go_back = tx.links.prev.is_some();

        if result == Some(FactorResult::Timeout) {
            self.emit(Stage::ActivationExpired {
                error: Error::ActivationTimeout.info(),
            })
            .await?;
            let command = self
                .wait_for(|command| match command {
                    Command::RefreshQr => Ok(()),
                    Command::ChooseFactor { .. } if can_go_back => Ok(()),
                    _ => Err("the QR code expired; get a new one first".into()),
                })
                .await?;
            return match command {
                Command::ChooseFactor { key } => self.go_back(&tx, Some(key)).await,
                _ => {
                    self.emit(Stage::Working {
                        activity: Activity::RefreshingQr,
                    })
                    .await?;
                    let next = self.next_link(&tx, "activate")?;
                    self.post_state(&next, StepBody::Empty {}, Retry::Never)
                        .await
                }
            };
        }
        if !matches!(result, None | Some(FactorResult::Waiting)) {
            return Err(unsupported_result("activation", result.as_ref()));
        }

        let qr_link = activation.links.qrcode.clone();
        if let Some(link) = qr_link.filter(|link| self.shown_qr.as_ref() != Some(&link.href)) {
            self.show_qr(kind, &link, &activation).await?;
        }

        match kind {
            FactorKind::Push => {
                self.check_not_expired(&tx)?;
                let poll = self.next_link(&tx, "poll")?;
                let channels: Vec<_> = activation
                    .links
                    .send
                    .iter()
                    .filter_map(|link| link.name.clone())
                    .collect();
                let event = self
                    .poll(&poll, |command| match command {
                        Command::SendActivationLink { link }
                            if channels.iter().any(|name| name == link_name(link)) =>
                        {
                            Ok(())
                        }
                        Command::RefreshQr | Command::ChooseFactor { .. } if can_go_back => Ok(()),
                        _ => Err("the sign-in is waiting for the QR code to be scanned".into()),
                    })
                    .await?;
                match event {
                    PollEvent::Answer(answer) => Ok(self.absorb(*answer)),
                    PollEvent::Command(Command::SendActivationLink { link }) => {
                        self.send_activation_link(&tx, &activation.links.send, link)
                            .await
                    }
                    PollEvent::Command(Command::ChooseFactor { key }) => {
                        self.go_back(&tx, Some(key)).await
                    }
                    PollEvent::Command(_) => {
                        // A fresh enrollment of the same factor: a new activation, a new QR.
                        let key = enroll_key(kind, &factor.provider);
                        self.go_back(&tx, Some(key)).await
                    }
                }
            }
            FactorKind::Totp => {
                let last_error = self.pending_error.take();
                self.emit(Stage::NeedsCode {
                    factor: describe(&factor, kind, FactorPurpose::Enroll),
                    purpose: CodePurpose::Activate,
                    last_error,
                })
                .await?;
                let command = self
                    .wait_for(|command| match command {
                        Command::SubmitCode { .. } => Ok(()),
                        Command::ChooseFactor { .. } if can_go_back => Ok(()),
                        _ => Err(
                            "the sign-in is waiting for the code from the new enrollment".into(),
                        ),
                    })
                    .await?;
                match command {
                    Command::SubmitCode { code } => {
                        let next = self.next_link(&tx, "activate")?;
                        self.submit_code(&tx, &next, code).await
                    }
                    Command::ChooseFactor { key } => self.go_back(&tx, Some(key)).await,
                    _ => unreachable!("filtered by wait_for"),
                }
            }
        }
    }

    async fn show_qr(
        &mut self,
        kind: FactorKind,
        link: &Link,
        activation: &crate::wire::Activation,
    ) -> Step<()> {
        let url = self.api.resolve(&link.href)?;
        self.shown_qr = Some(link.href.clone());
        let png = self.api.get_png(&url).await?;
        let (rendered, problem) = tokio::task::spawn_blocking(move || qr::render(png))
            .await
            .map_err(|_| self.unexpected("a QR code that crashed the decoder"))?;
        if let Some(problem) = problem {
            self.api.note(
                "qr decode",
                format!("{problem}; showing the original image"),
            );
        }
        let expires_in_seconds = match (activation.expires_at, self.server_time) {
            (Some(expires_at), Some(now)) => {
                let left = expires_at - OffsetDateTime::from(now);
                Some(left.whole_seconds().max(0) as u64)
            }
            _ => None,
        };
        let link_channels = activation
            .links
            .send
            .iter()
            .filter_map(|link| match link.name.as_deref() {
                Some("email") => Some(crate::stage::LinkChannel::Email),
                Some("sms") => Some(crate::stage::LinkChannel::Sms),
                _ => None,
            })
            .collect();
        self.emit(Stage::EnrollQr(EnrollQr {
            factor: kind,
            uri_kind: rendered.uri_kind,
            svg: rendered.svg,
            terminal: rendered.terminal,
            png_data_url: rendered.png_data_url,
            expires_at: activation.expires_at,
            expires_in_seconds,
            link_channels,
            original_png: rendered.png,
        }))
        .await
    }

    async fn send_activation_link(
        &mut self,
        tx: &Transaction,
        links: &[Link],
        link: ActivationLink,
    ) -> Step<Transaction> {
        let Some(target) = links.iter().find(|l| l.is_named(link_name(&link))) else {
            return Ok(tx.clone());
        };
        let url = self.api.resolve(&target.href)?;
        self.emit(Stage::Working {
            activity: Activity::SendingActivationLink,
        })
        .await?;
        let body = match &link {
            ActivationLink::Email => StepBody::Empty {},
            ActivationLink::Sms { phone_number } => StepBody::Sms {
                profile: SmsProfile { phone_number },
            },
        };
        match self.post_state(&url, body, Retry::Never).await {
            Ok(next) => {
                self.emit(Stage::ActivationLinkSent {
                    channel: link.channel(),
                })
                .await?;
                Ok(next)
            }
            Err(Halt::Error(error)) if recoverable(&error) => {
                self.emit(Stage::CommandFailed {
                    action: Command::SendActivationLink { link }.action().into(),
                    error: error.info(),
                })
                .await?;
                Ok(tx.clone())
            }
            Err(halt) => Err(halt),
        }
    }

    // MFA_REQUIRED: pick an enrolled factor and start verifying it.
    async fn verify(&mut self, tx: Transaction) -> Step<Transaction> {
        let offered = verify_choices(&tx);
        if offered.is_empty() {
            return Err(unsupported_factors("verify", &tx));
        }
        let policy = tx.embedded.policy.as_ref();
        let picked = match self.auto_pick(&offered, FactorPurpose::Verify, false, policy) {
            Some(index) => index,
            None => {
                let keys: Vec<String> = offered.iter().map(|(c, _)| c.key.clone()).collect();
                self.emit(Stage::NeedsFactorChoice {
                    purpose: FactorPurpose::Verify,
                    factors: offered.iter().map(|(choice, _)| choice.clone()).collect(),
                    can_skip: false,
                })
                .await?;
                let command = self
                    .wait_for(|command| match command {
                        Command::ChooseFactor { key } => known_key(&keys, key),
                        _ => Err("the sign-in is waiting for a factor choice".into()),
                    })
                    .await?;
                match command {
                    Command::ChooseFactor { key } => position(&offered, &key),
                    _ => unreachable!("filtered by wait_for"),
                }
            }
        };
        let (choice, factor) = &offered[picked];
        let verify = factor
            .links
            .verify
            .as_ref()
            .ok_or_else(|| self.unexpected("a factor without its verify link"))?;
        let mut url = self.api.resolve(&verify.href)?;
        match choice.kind {
            FactorKind::Push => {
                set_query(&mut url, "autoPush", self.options.auto_push);
                set_query(&mut url, "rememberDevice", self.options.remember_device);
                self.emit(Stage::Working {
                    activity: Activity::SendingPush,
                })
                .await?;
                self.push_announced = false;
                self.last_number = None;
                self.post_state(&url, StepBody::Empty {}, Retry::Never)
                    .await
            }
            FactorKind::Totp => {
                set_query(&mut url, "rememberDevice", self.options.remember_device);
                let others = offered.len() > 1;
                let last_error = self.pending_error.take();
                self.emit(Stage::NeedsCode {
                    factor: choice.clone(),
                    purpose: CodePurpose::Verify,
                    last_error,
                })
                .await?;
                let keys: Vec<String> = offered.iter().map(|(c, _)| c.key.clone()).collect();
                let command = self
                    .wait_for(|command| match command {
                        Command::SubmitCode { .. } => Ok(()),
                        Command::ChooseFactor { key } if others => known_key(&keys, key),
                        _ => Err("the sign-in is waiting for a code".into()),
                    })
                    .await?;
                match command {
                    Command::SubmitCode { code } => {
                        // Asked again after a wrong code: stay on this factor.
                        self.pending_choice = Some(choice.key.clone());
                        let next = self.submit_code(&tx, &url, code).await?;
                        if next.status != Status::MfaRequired {
                            self.pending_choice = None;
                        }
                        Ok(next)
                    }
                    Command::ChooseFactor { key } => {
                        self.pending_choice = Some(key);
                        Ok(tx)
                    }
                    _ => unreachable!("filtered by wait_for"),
                }
            }
        }
    }

    // MFA_CHALLENGE: a push waiting for the phone, or a code to type.
    async fn challenge(&mut self, tx: Transaction) -> Step<Transaction> {
        let (factor, kind) = self.embedded_factor(&tx, "a challenge", "verifying")?;
        let can_go_back = tx.links.prev.is_some();
        let device_name = factor.profile.as_ref().and_then(|p| p.name.clone());

        if kind == FactorKind::Totp {
            let last_error = self.pending_error.take();
            self.emit(Stage::NeedsCode {
                factor: describe(&factor, kind, FactorPurpose::Verify),
                purpose: CodePurpose::Verify,
                last_error,
            })
            .await?;
            let command = self
                .wait_for(|command| match command {
                    Command::SubmitCode { .. } => Ok(()),
                    Command::ChooseFactor { .. } if can_go_back => Ok(()),
                    _ => Err("the sign-in is waiting for a code".into()),
                })
                .await?;
            return match command {
                Command::SubmitCode { code } => {
                    let next = self.next_link(&tx, "verify")?;
                    self.submit_code(&tx, &next, code).await
                }
                Command::ChooseFactor { key } => self.go_back(&tx, Some(key)).await,
                _ => unreachable!("filtered by wait_for"),
            };
        }

        match tx.factor_result.clone() {
            Some(FactorResult::Waiting) | None => {
                if !self.push_announced {
                    self.push_announced = true;
                    self.emit(Stage::PushSent {
                        device_name: device_name.clone(),
                    })
                    .await?;
                }
                // The number can appear on any poll, once the phone shows its three numbers.
                let number = factor
                    .embedded
                    .challenge
                    .as_ref()
                    .and_then(|c| c.correct_answer);
                if let Some(number) = number.filter(|n| Some(*n) != self.last_number) {
                    self.last_number = Some(number);
                    self.emit(Stage::NumberChallenge {
                        number,
                        device_name: device_name.clone(),
                    })
                    .await?;
                }
                self.check_not_expired(&tx)?;
                let poll = self.next_link(&tx, "poll")?;
                let event = self
                    .poll(&poll, |command| match command {
                        Command::ChooseFactor { .. } if can_go_back => Ok(()),
                        _ => Err("the sign-in is waiting for the push to be answered".into()),
                    })
                    .await?;
                match event {
                    PollEvent::Answer(answer) => Ok(self.absorb(*answer)),
                    PollEvent::Command(Command::ChooseFactor { key }) => {
                        self.go_back(&tx, Some(key)).await
                    }
                    PollEvent::Command(_) => unreachable!("filtered by poll"),
                }
            }
            Some(result @ (FactorResult::Rejected | FactorResult::Timeout)) => {
                let error = if result == FactorResult::Timeout {
                    Error::MfaTimeout.info()
                } else if tx.factor_result_message.as_deref()
                    == Some("OKTA_VERIFY_UPGRADE_REQUIRED")
                {
                    ErrorInfo {
                        kind: Error::MfaRejected.kind(),
                        message: "Okta Verify on your phone is too old for this org. Update Okta Verify from your app store, then send a new push.".into(),
                    }
                } else {
                    Error::MfaRejected.info()
                };
                self.emit(if result == FactorResult::Timeout {
                    Stage::PushTimedOut { error }
                } else {
                    Stage::PushRejected { error }
                })
                .await?;
                let command = self
                    .wait_for(|command| match command {
                        Command::ResendPush => Ok(()),
                        Command::ChooseFactor { .. } if can_go_back => Ok(()),
                        _ => Err("the push has ended; send a new one first".into()),
                    })
                    .await?;
                match command {
                    Command::ChooseFactor { key } => self.go_back(&tx, Some(key)).await,
                    _ => {
                        self.emit(Stage::Working {
                            activity: Activity::SendingPush,
                        })
                        .await?;
                        let resend = tx
                            .links
                            .resend
                            .iter()
                            .find(|link| link.is_named("push"))
                            .or(tx.links.resend.first())
                            .or(tx
                                .links
                                .next
                                .as_ref()
                                .filter(|link| link.is_named("verify")))
                            .ok_or_else(|| self.unexpected("no way to send a new push"))?;
                        let url = self.api.resolve(&resend.href)?;
                        self.push_announced = false;
                        self.last_number = None;
                        self.post_state(&url, StepBody::Empty {}, Retry::Never)
                            .await
                    }
                }
            }
            other => Err(unsupported_result("push", other.as_ref())),
        }
    }

    // PASSWORD_WARN / PASSWORD_EXPIRED: change it (or skip a warning).
    async fn password(&mut self, tx: Transaction) -> Step<Transaction> {
        let warn = tx.status == Status::PasswordWarn;
        let can_skip = warn && tx.links.skip.is_some();
        let policy = tx.embedded.policy.clone().unwrap_or_default();
        let last_error = self.pending_error.take();
        self.emit(if warn {
            Stage::PasswordWarn {
                expire_days: policy.expiration.and_then(|e| e.password_expire_days),
                complexity: policy.complexity,
                can_skip,
                last_error,
            }
        } else {
            Stage::PasswordExpired {
                complexity: policy.complexity,
                last_error,
            }
        })
        .await?;
        let command = self
            .wait_for(|command| match command {
                Command::ChangePassword { .. } => Ok(()),
                Command::Skip if can_skip => Ok(()),
                _ => Err("the sign-in is waiting for a new password".into()),
            })
            .await?;
        let Command::ChangePassword {
            old_password,
            new_password,
        } = command
        else {
            return self.skip_step(&tx).await;
        };
        self.emit(Stage::Working {
            activity: Activity::ChangingPassword,
        })
        .await?;
        let url = self.next_link(&tx, "changePassword")?;
        let body = StepBody::ChangePassword {
            old_password: &old_password,
            new_password: &new_password,
        };
        match self.post_state(&url, body, Retry::Never).await {
            Err(Halt::Error(Error::Okta { code, summary }))
                if matches!(code.as_str(), "E0000014" | "E0000080" | "E0000001") =>
            {
                // Okta names the refused field in its causes ("oldPassword: ..."), the same
                // E0000014 as for a new password the policy refuses.
                let error = if summary.contains("oldPassword:") {
                    Error::OldPasswordIncorrect
                } else {
                    Error::PasswordChangeRejected { reason: summary }
                };
                self.pending_error = Some(error.info());
                Ok(tx)
            }
            other => other,
        }
    }

    async fn submit_code(
        &mut self,
        tx: &Transaction,
        url: &Url,
        code: Secret,
    ) -> Step<Transaction> {
        // A malformed code never reaches Okta, where it would count as a failed attempt.
        let code = match VerificationCode::parse(code.expose()) {
            Ok(code) => code.into_secret(),
            Err(error) => {
                self.pending_error = Some(error.info());
                return Ok(tx.clone());
            }
        };
        self.emit(Stage::Working {
            activity: Activity::VerifyingCode,
        })
        .await?;
        match self
            .post_state(url, StepBody::PassCode { pass_code: &code }, Retry::Never)
            .await
        {
            Err(Halt::Error(
                error @ (Error::InvalidCode | Error::CodeReused | Error::CodeOutsideWindow),
            )) => {
                self.pending_error = Some(error.info());
                Ok(tx.clone())
            }
            other => other,
        }
    }

    async fn skip_step(&mut self, tx: &Transaction) -> Step<Transaction> {
        let skip = tx
            .links
            .skip
            .as_ref()
            .ok_or_else(|| self.unexpected("no skip link"))?;
        let url = self.api.resolve(&skip.href)?;
        self.emit(Stage::Working {
            activity: Activity::Skipping,
        })
        .await?;
        self.post_state(&url, StepBody::Empty {}, Retry::Never)
            .await
    }

    /// `POST prev`: back to the factor list, remembering what the user wants to pick there.
    async fn go_back(&mut self, tx: &Transaction, choice: Option<String>) -> Step<Transaction> {
        let prev = tx
            .links
            .prev
            .as_ref()
            .ok_or_else(|| self.unexpected("no way back to the factor list"))?;
        let url = self.api.resolve(&prev.href)?;
        self.emit(Stage::Working {
            activity: Activity::SwitchingFactor,
        })
        .await?;
        self.pending_choice = choice;
        self.pending_error = None;
        self.post_state(&url, StepBody::Empty {}, Retry::Never)
            .await
    }

    fn auto_pick(
        &mut self,
        offered: &[(FactorChoice, Factor)],
        purpose: FactorPurpose,
        can_skip: bool,
        policy: Option<&Policy>,
    ) -> Option<usize> {
        if let Some(key) = self.pending_choice.take()
            && let Some(index) = offered.iter().position(|(c, _)| c.key == key)
        {
            return Some(index);
        }
        if let Some(kind) = self.options.preferred_factor
            && let Some(index) = offered.iter().position(|(c, _)| c.kind == kind)
        {
            return Some(index);
        }
        if purpose == FactorPurpose::Verify {
            let auto_push = |choice: &FactorChoice| {
                choice.kind == FactorKind::Push
                    && (self.options.auto_push
                        || policy
                            .and_then(|p| p.factors_policy_info.get(&choice.key))
                            .and_then(|info| info.auto_push_enabled)
                            .unwrap_or(false))
            };
            if let Some(index) = offered.iter().position(|(c, _)| auto_push(c)) {
                return Some(index);
            }
        }
        if offered.len() == 1 && !can_skip {
            return Some(0);
        }
        if purpose == FactorPurpose::Enroll && !can_skip {
            let required: Vec<usize> = offered
                .iter()
                .enumerate()
                .filter(|(_, (c, _))| c.required)
                .map(|(index, _)| index)
                .collect();
            if let [only] = required[..] {
                return Some(only);
            }
        }
        None
    }

    fn check_not_expired(&self, tx: &Transaction) -> Step<()> {
        if let (Some(expires_at), Some(now)) = (tx.expires_at, self.server_time)
            && OffsetDateTime::from(now) > expires_at
        {
            return Err(Error::Expired.into());
        }
        Ok(())
    }

    /// Waits out the poll interval, then polls; a command arriving meanwhile interrupts.
    async fn poll(
        &mut self,
        url: &Url,
        accept: impl Fn(&Command) -> std::result::Result<(), String>,
    ) -> Step<PollEvent> {
        let wake = tokio::time::Instant::now() + self.api.config().poll_interval;
        loop {
            tokio::select! {
                () = tokio::time::sleep_until(wake) => break,
                envelope = self.commands.recv() => {
                    if let Some(command) = self.screen(envelope, &accept).await? {
                        return Ok(PollEvent::Command(command));
                    }
                }
            }
        }
        let api = self.api.clone();
        let token = self.token()?;
        let body = StateRequest {
            state_token: &token,
            extra: StepBody::Empty {},
        };
        let request = api.post(url, &body, Retry::Idempotent);
        tokio::pin!(request);
        loop {
            tokio::select! {
                answer = &mut request => return Ok(PollEvent::Answer(Box::new(answer?))),
                envelope = self.commands.recv() => {
                    // Dropping an unfinished poll is harmless: it changes nothing.
                    if let Some(command) = self.screen(envelope, &accept).await? {
                        return Ok(PollEvent::Command(command));
                    }
                }
            }
        }
    }

    async fn wait_for(
        &mut self,
        accept: impl Fn(&Command) -> std::result::Result<(), String>,
    ) -> Step<Command> {
        loop {
            let envelope = self.commands.recv().await;
            if let Some(command) = self.screen(envelope, &accept).await? {
                return Ok(command);
            }
        }
    }

    /// Accepts a command that fits the current stage, answers any other with the reason,
    /// and handles cancel (and a dropped handle) the same everywhere.
    async fn screen(
        &mut self,
        envelope: Option<Envelope>,
        accept: &impl Fn(&Command) -> std::result::Result<(), String>,
    ) -> Step<Option<Command>> {
        let Some(Envelope { command, reply }) = envelope else {
            return Err(Halt::Abandoned);
        };
        if let Command::Cancel = command {
            let _ = self
                .emit(Stage::Working {
                    activity: Activity::Cancelling,
                })
                .await;
            self.cancel_on_server().await;
            let _ = reply.send(Ok(()));
            return Err(Error::Cancelled.into());
        }
        match accept(&command) {
            Ok(()) => {
                let _ = reply.send(Ok(()));
                Ok(Some(command))
            }
            Err(reason) => {
                let _ = reply.send(Err(Error::InvalidCommand {
                    action: command.action().into(),
                    reason,
                }));
                Ok(None)
            }
        }
    }

    async fn cancel_on_server(&mut self) {
        let Some(token) = self.state_token.take() else {
            return;
        };
        let url = match &self.cancel_link {
            Some(href) => match self.api.resolve(href) {
                Ok(url) => url,
                Err(_) => return,
            },
            None => self.api.org().join("/api/v1/authn/cancel"),
        };
        let body = StateRequest {
            state_token: &token,
            extra: StepBody::Empty {},
        };
        // Best effort: the transaction expires on its own if this does not get through.
        let _ = self.api.post(&url, &body, Retry::Never).await;
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
        tx
    }

    fn token(&self) -> Step<Secret> {
        self.state_token
            .clone()
            .ok_or_else(|| self.unexpected("a step without a state token").into())
    }

    fn next_link(&self, tx: &Transaction, name: &str) -> Step<Url> {
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
        Ok(self.api.resolve(&next.href)?)
    }

    async fn emit(&self, stage: Stage) -> Step<()> {
        self.stages.send(stage).await.map_err(|_| Halt::Abandoned)
    }

    /// The one factor MFA_ENROLL_ACTIVATE and MFA_CHALLENGE carry (`_embedded.factor`), and its
    /// kind; `step` and `doing` word the errors ("an enrollment", "activating").
    fn embedded_factor(
        &self,
        tx: &Transaction,
        step: &str,
        doing: &str,
    ) -> Result<(Factor, FactorKind)> {
        let factor = tx
            .embedded
            .factor
            .clone()
            .ok_or_else(|| self.unexpected(&format!("{step} without its factor")))?;
        let kind = FactorKind::from_factor_type(&factor.factor_type).ok_or_else(|| {
            Error::UnsupportedStep {
                step: format!("{doing} a {} factor", factor.factor_type),
            }
        })?;
        Ok((factor, kind))
    }

    fn unexpected(&self, detail: &str) -> Error {
        Error::UnexpectedResponse {
            host: self.api.org().host().to_owned(),
            detail: detail.to_owned(),
            advice: "Try again; if it keeps happening, sign in through the browser and tell your help desk.",
        }
    }
}

/// Errors after which the step still stands and the user can try something else.
fn recoverable(error: &Error) -> bool {
    matches!(
        error,
        Error::Okta { .. } | Error::RateLimited { .. } | Error::InvalidCode
    )
}

fn enroll_choices(tx: &Transaction) -> Vec<(FactorChoice, Factor)> {
    tx.embedded
        .factor_list()
        .into_iter()
        .filter(|factor| factor.status.as_deref().is_none_or(|s| s == "NOT_SETUP"))
        .filter_map(|factor| {
            let kind = FactorKind::from_factor_type(&factor.factor_type)?;
            let supported = match kind {
                FactorKind::Push => factor.provider == "OKTA",
                FactorKind::Totp => matches!(factor.provider.as_str(), "OKTA" | "GOOGLE"),
            };
            supported.then(|| {
                (
                    describe(factor, kind, FactorPurpose::Enroll),
                    factor.clone(),
                )
            })
        })
        .collect()
}

fn verify_choices(tx: &Transaction) -> Vec<(FactorChoice, Factor)> {
    tx.embedded
        .factor_list()
        .into_iter()
        .filter(|factor| factor.id.is_some() && factor.links.verify.is_some())
        .filter_map(|factor| {
            let kind = FactorKind::from_factor_type(&factor.factor_type)?;
            Some((
                describe(factor, kind, FactorPurpose::Verify),
                factor.clone(),
            ))
        })
        .collect()
}

fn describe(factor: &Factor, kind: FactorKind, purpose: FactorPurpose) -> FactorChoice {
    let label = match (kind, factor.provider.as_str()) {
        (FactorKind::Push, _) => "Okta Verify push",
        (FactorKind::Totp, "OKTA") => "Okta Verify code",
        (FactorKind::Totp, "GOOGLE") => "Google Authenticator code",
        (FactorKind::Totp, _) => "Authenticator app code",
    };
    let key = match (purpose, &factor.id) {
        (FactorPurpose::Verify, Some(id)) => id.clone(),
        _ => enroll_key(kind, &factor.provider),
    };
    FactorChoice {
        key,
        kind,
        provider: factor.provider.clone(),
        label: label.into(),
        device_name: factor.profile.as_ref().and_then(|p| p.name.clone()),
        required: factor.enrollment.as_deref() == Some("REQUIRED"),
    }
}

fn enroll_key(kind: FactorKind, provider: &str) -> String {
    format!("{}:{}", kind.as_str(), provider.to_ascii_lowercase())
}

fn known_key(keys: &[String], key: &str) -> std::result::Result<(), String> {
    if keys.iter().any(|known| known == key) {
        Ok(())
    } else {
        Err(format!(
            "there is no factor \"{key}\" here (choose one of: {})",
            keys.join(", ")
        ))
    }
}

fn position(offered: &[(FactorChoice, Factor)], key: &str) -> usize {
    offered.iter().position(|(c, _)| c.key == key).unwrap_or(0)
}

fn link_name(link: &ActivationLink) -> &'static str {
    match link {
        ActivationLink::Email => "email",
        ActivationLink::Sms { .. } => "sms",
    }
}

fn set_query(url: &mut Url, key: &str, value: bool) {
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(name, _)| name != key)
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    let mut pairs = url.query_pairs_mut();
    pairs.clear();
    for (name, value) in &kept {
        pairs.append_pair(name, value);
    }
    pairs.append_pair(key, if value { "true" } else { "false" });
}

fn unsupported_factors(action: &str, tx: &Transaction) -> Halt {
    let mut types: Vec<String> = tx
        .embedded
        .factor_list()
        .iter()
        .map(|f| f.factor_type.clone())
        .collect();
    types.dedup();
    Error::UnsupportedStep {
        step: format!(
            "{action} with {}",
            if types.is_empty() {
                "no factor offered".to_owned()
            } else {
                types.join(", ")
            }
        ),
    }
    .into()
}

fn unsupported_result(what: &str, result: Option<&FactorResult>) -> Halt {
    Error::UnsupportedStep {
        step: format!(
            "{what} result {}",
            result.map(FactorResult::as_str).unwrap_or("missing")
        ),
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_query_replaces_a_flag() {
        let mut url = Url::parse("https://a.okta.com/v?autoPush=true&x=1").unwrap();
        set_query(&mut url, "autoPush", false);
        set_query(&mut url, "rememberDevice", true);
        assert_eq!(url.query(), Some("x=1&autoPush=false&rememberDevice=true"));
    }

    #[test]
    fn commands_deserialise_from_ui_json_and_hide_secrets() {
        let command: Command =
            serde_json::from_str(r#"{"command":"submitCode","code":"123456"}"#).unwrap();
        assert!(!format!("{command:?}").contains("123456"));
        let command: Command = serde_json::from_str(
            r#"{"command":"changePassword","oldPassword":"old-Pa55","newPassword":"new-Pa55"}"#,
        )
        .unwrap();
        let debug = format!("{command:?}");
        assert!(!debug.contains("Pa55"), "{debug}");
        let command: Command =
            serde_json::from_str(r#"{"command":"sendActivationLink","link":{"channel":"email"}}"#)
                .unwrap();
        assert!(matches!(command, Command::SendActivationLink { .. }));
    }
}
