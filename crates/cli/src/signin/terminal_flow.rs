//! One running sign-in and the terminal it talks to: each stage shown, each answer read.
//! The questions that take an answer (a factor, a code, a phone number, a security question)
//! are in `prompts`; those of a password reset or an unlock (the emailed link, the new
//! password) in `recovery`, with what the help desk is told about one.

mod help_desk_notes;
mod prompts;
mod recovery;

use std::time::{Duration, Instant};

use oktadesk_core::{Activity, ErrorKind, FlowHandle, Recovery, Stage, Stages};

use crate::exit::{CliError, Exit};
use crate::output::{self, BAD, STRONG, WARN};
use crate::render;
use crate::terminal::{self, Interrupts, Lines, Spinner};

pub(super) use self::help_desk_notes::HelpDeskNotes;

/// The longest a first Ctrl-C or SIGTERM waits for the sign-in to end: the core's bounded
/// cancel (2 s) and a little room for its final stage.
const CANCEL_WAIT: Duration = Duration::from_secs(3);

/// What a successful sign-in leaves for [`finish`].
pub(super) struct SignedIn {
    pub user: oktadesk_core::UserInfo,
    pub session: oktadesk_core::SessionHandoff,
    pub at_ms: u128,
}

/// How a flow ended well: signed in (a sign-in, or a password reset that went on to sign
/// in), an account unlocked, or a password reset after which Okta ended the transaction
/// (neither signs anybody in).
pub(super) enum Ended {
    SignedIn(SignedIn),
    Unlocked {
        username: String,
        message: String,
        at_ms: u128,
    },
    PasswordReset {
        username: String,
        message: String,
        at_ms: u128,
    },
}

/// One running sign-in and the terminal it talks to.
pub(super) struct TerminalFlow {
    spinner: Spinner,
    json: bool,
    /// Whether questions can be asked (stdin is a terminal and `--code-stdin` was not
    /// given). Codes are read from stdin either way.
    interactive: bool,
    started: Instant,
    flow: FlowHandle,
    stages: Stages,
    lines: Lines,
    interrupts: Interrupts,
    /// Why the CLI ended the flow itself (e.g. a rejected push in a script): reported
    /// instead of the `cancelled` the engine then sends.
    own_outcome: Option<CliError>,
    /// A new code was asked for from the code prompt: a refusal returns to that prompt.
    asked_resend: bool,
    /// Whether the org's "remember this device" offer has been mentioned yet.
    remember_noted: bool,
    /// Set when this flow resets a password or unlocks an account rather than signs in.
    recovery: Option<Recovery>,
    /// `--new-password-stdin`: the new password is the next line of stdin, asked once.
    new_password_stdin: bool,
    /// What went on, for the help desk (the recovery factor, the step that failed and why).
    notes: HelpDeskNotes,
}

/// What waiting for input gave.
enum Input {
    Line(zeroize::Zeroizing<String>),
    End,
    Interrupted,
}

impl TerminalFlow {
    pub(super) fn new(
        json: bool,
        code_stdin: bool,
        flow: FlowHandle,
        stages: Stages,
        lines: Lines,
        interrupts: Interrupts,
    ) -> Self {
        Self {
            spinner: Spinner::new(!json),
            json,
            interactive: terminal::stdin_is_terminal() && !code_stdin,
            started: Instant::now(),
            flow,
            stages,
            lines,
            interrupts,
            own_outcome: None,
            asked_resend: false,
            remember_noted: false,
            recovery: None,
            new_password_stdin: false,
            notes: HelpDeskNotes::default(),
        }
    }

    /// Makes this flow a password reset or an unlock: its prompts say so, and the new
    /// password comes from stdin with `new_password_stdin`.
    pub(super) fn recovering(mut self, recovery: Recovery, new_password_stdin: bool) -> Self {
        self.recovery = Some(recovery);
        self.new_password_stdin = new_password_stdin;
        self.notes = HelpDeskNotes::new(recovery);
        self
    }

    /// Answers stages until the sign-in ends; the spinner is gone when it returns.
    pub(super) async fn run(self) -> Result<SignedIn, CliError> {
        match self.run_to_end().await.0? {
            Ended::SignedIn(signed_in) => Ok(signed_in),
            Ended::Unlocked { .. } | Ended::PasswordReset { .. } => Err(CliError::new(
                Exit::Other,
                "unexpected_stage",
                "Okta ended the sign-in with a recovery's result instead of signing in. Sign in again.",
            )),
        }
    }

    /// Answers stages until the flow ends, however it ends, with what the help desk should
    /// know of it.
    pub(super) async fn run_to_end(mut self) -> (Result<Ended, CliError>, HelpDeskNotes) {
        let outcome = self.drive().await;
        self.spinner.hide();
        if let Err(error) = &outcome {
            self.notes.ended_with(error);
        }
        (outcome, self.notes)
    }

    async fn drive(&mut self) -> Result<Ended, CliError> {
        loop {
            let stage = tokio::select! {
                stage = self.stages.next() => stage,
                () = self.interrupts.next() => {
                    self.interrupted().await?;
                    continue;
                }
            };
            let Some(stage) = stage else {
                return Err(self.own_outcome.take().unwrap_or_else(|| {
                    CliError::new(
                        Exit::Other,
                        "flow_ended",
                        "The sign-in stopped without a result. Try again; if it keeps happening, save a --transcript for your help desk.",
                    )
                }));
            };
            self.emit(&stage);
            self.notes.observe(&stage);
            self.note_remember_device(&stage);
            if let Some(outcome) = self.handle(stage).await? {
                return Ok(outcome);
            }
        }
    }

    /// Says once whether Okta will remember this computer, the first time the org offers it.
    fn note_remember_device(&mut self, stage: &Stage) {
        let Some(offer) = stage.remember_device().filter(|_| !self.remember_noted) else {
            return;
        };
        self.remember_noted = true;
        let how_long = offer.lifetime_words();
        let how_long = how_long
            .as_deref()
            .map_or(String::new(), |words| format!(" {words}"));
        self.human(&if offer.checked {
            format!("Okta will remember this computer{how_long}: no second factor until then.")
        } else {
            output::styled(
                output::DIM,
                &format!(
                    "This org can remember this computer{how_long}: add --remember-device to skip the second factor until then."
                ),
            )
        });
    }

    fn at_ms(&self) -> u128 {
        self.started.elapsed().as_millis()
    }

    fn emit(&self, stage: &Stage) {
        if self.json {
            output::json_line(&render::stage_json(stage, self.at_ms()));
        }
    }

    /// Shows a stage to people and answers it. `Some` once signed in (or unlocked); `Err`
    /// when the flow ended otherwise.
    async fn handle(&mut self, stage: Stage) -> Result<Option<Ended>, CliError> {
        match stage {
            Stage::Working { activity } => {
                self.spinner.show(render::activity(activity));
            }
            Stage::NeedsFactorChoice {
                purpose,
                factors,
                can_skip,
                last_error,
                ..
            } => {
                self.choose_factor(purpose, &factors, can_skip, last_error)
                    .await?
            }
            Stage::EnrollQr(qr) => {
                self.spinner.hide();
                let show = !self.json || terminal::stderr_is_terminal();
                if show {
                    render::enroll_qr(&qr);
                }
                self.spinner
                    .show("Waiting for Okta Verify to scan the QR code");
            }
            Stage::ActivationLinkSent { channel } => {
                self.human(&format!(
                    "Activation link sent by {}. Open it on your phone.",
                    render::channel(channel)
                ));
                self.spinner.show("Waiting for the phone to activate");
            }
            Stage::ActivationExpired { error } => {
                self.spinner.hide();
                self.human(&format!("{} {}", output::styled(WARN, "!"), error.message));
                if self
                    .ask(
                        "Get a new QR code? [Y/n] ",
                        true,
                        error.kind,
                        &error.message,
                    )
                    .await?
                {
                    self.command(self.flow.refresh_qr()).await;
                }
            }
            Stage::PushSent { device_name, .. } => {
                self.human(&format!(
                    "Push sent to {}. Approve it in Okta Verify.",
                    device_name.as_deref().unwrap_or("your phone")
                ));
                self.spinner.show("Waiting for the push to be approved");
            }
            Stage::NumberChallenge {
                number,
                device_name,
                ..
            } => {
                self.human(&format!(
                    "On {}, tap {} in Okta Verify.",
                    device_name.as_deref().unwrap_or("your phone"),
                    output::styled(STRONG, &number.to_string())
                ));
                self.spinner
                    .show(&format!("Waiting for you to tap {number}"));
            }
            Stage::PushRejected { error } | Stage::PushTimedOut { error } => {
                self.spinner.hide();
                self.human(&format!("{} {}", output::styled(BAD, "✘"), error.message));
                if self
                    .ask("Send a new push? [Y/n] ", true, error.kind, &error.message)
                    .await?
                {
                    self.command(self.flow.resend_push()).await;
                }
            }
            Stage::NeedsCode {
                factor,
                purpose,
                resend_in_seconds,
                last_error,
                ..
            } => {
                self.code(&factor, purpose, resend_in_seconds, last_error)
                    .await?
            }
            Stage::NeedsPhoneNumber {
                factor,
                current_phone,
                last_error,
            } => {
                self.phone_number(&factor, current_phone.as_deref(), last_error)
                    .await?
            }
            Stage::NeedsAnswer {
                question,
                last_error,
                ..
            } => self.answer(&question, last_error).await?,
            Stage::NeedsQuestionChoice {
                questions,
                can_write_own,
                last_error,
                ..
            } => {
                self.question_choice(&questions, can_write_own, last_error)
                    .await?
            }
            Stage::ContinueInBrowser { message, url, .. } => {
                self.spinner.hide();
                self.human(&format!("{} {message}", output::styled(WARN, "!")));
                self.human(&format!("Sign-in page: {url}"));
                self.end_flow(CliError::from_kind(
                    ErrorKind::BrowserRequired,
                    format!("{message} Sign-in page: {url}"),
                ))
                .await;
            }
            Stage::PasswordWarn {
                expire_days,
                can_skip,
                ..
            } => {
                let when = match expire_days {
                    Some(0) => "today".to_owned(),
                    Some(1) => "tomorrow".to_owned(),
                    Some(days) => format!("in {days} days"),
                    None => "soon".to_owned(),
                };
                let message = format!(
                    "Your password expires {when}. Change it in the browser or the OktaDesk app soon."
                );
                if can_skip {
                    self.human(&format!("{} {message}", output::styled(WARN, "!")));
                    self.command(self.flow.skip()).await;
                } else {
                    self.end_flow(CliError::new(
                        Exit::Credentials,
                        "password_expired",
                        message,
                    ))
                    .await;
                }
            }
            Stage::PasswordExpired { .. } => {
                self.end_flow(CliError::new(
                    Exit::Credentials,
                    "password_expired",
                    "Your password has expired. Change it in the browser or the OktaDesk app, then sign in again.",
                ))
                .await;
            }
            Stage::CommandFailed { action, error } => {
                self.human(&format!(
                    "{} {action} did not work: {}",
                    output::styled(WARN, "!"),
                    error.message
                ));
                // Okta refused to send a code on the way to its prompt (too soon after the
                // last one): nothing else comes until the code is asked for again.
                if error.kind == ErrorKind::RateLimited
                    && !std::mem::take(&mut self.asked_resend)
                    && self
                        .ask(
                            "Send the code again? [Y/n] ",
                            true,
                            error.kind,
                            &error.message,
                        )
                        .await?
                {
                    self.command(self.flow.resend_code()).await;
                }
            }
            Stage::RecoveryEmailSent {
                factors,
                last_error,
            } => self.recovery_email_sent(&factors, last_error).await?,
            Stage::NeedsNewPassword {
                complexity,
                last_error,
            } => self.new_password(complexity.as_ref(), last_error).await?,
            Stage::LockedOut {
                message,
                can_unlock,
            } => {
                return Err(CliError::from_kind(
                    ErrorKind::LockedOut,
                    recovery::locked_out_message(message, can_unlock),
                ));
            }
            Stage::AccountUnlocked { username, message } => {
                self.spinner.hide();
                return Ok(Some(Ended::Unlocked {
                    username,
                    message,
                    at_ms: self.at_ms(),
                }));
            }
            Stage::PasswordReset { username, message } => {
                self.spinner.hide();
                return Ok(Some(Ended::PasswordReset {
                    username,
                    message,
                    at_ms: self.at_ms(),
                }));
            }
            Stage::Success { user, session } => {
                self.spinner.hide();
                return Ok(Some(Ended::SignedIn(SignedIn {
                    user,
                    session,
                    at_ms: self.at_ms(),
                })));
            }
            Stage::Failed { kind, message } => {
                self.spinner.hide();
                return Err(match self.own_outcome.take() {
                    Some(own) if kind == ErrorKind::Cancelled => own,
                    _ => CliError::from_kind(kind, message),
                });
            }
            // A stage this CLI does not know yet: the JSON stream already has it.
            _ => {}
        }
        Ok(None)
    }

    /// A line for people (not in `--json` mode), out of the spinner's way.
    fn human(&self, text: &str) {
        if !self.json {
            self.spinner.suspend(|| output::say(text));
        }
    }

    async fn command(&self, sent: impl Future<Output = oktadesk_core::Result<()>>) {
        match sent.await {
            // The flow ended meanwhile: its final stage is on its way.
            Ok(()) | Err(oktadesk_core::Error::FlowEnded) => {}
            Err(error) => self.human(&format!("{} {error}", output::styled(WARN, "!"))),
        }
    }

    /// Cancels the transaction on the server because the CLI cannot go on; `outcome` is
    /// what the user is told.
    async fn end_flow(&mut self, outcome: CliError) {
        self.own_outcome = Some(outcome);
        self.spinner.show(render::activity(Activity::Cancelling));
        self.command(self.flow.cancel()).await;
    }

    /// Ctrl-C: cancel on the server, then end. A second Ctrl-C quits at once.
    async fn interrupted(&mut self) -> Result<(), CliError> {
        if self.own_outcome.is_some() {
            return Err(CliError::from_kind(
                ErrorKind::Cancelled,
                "Stopped before the server confirmed the cancellation; the sign-in expires on its own within minutes.",
            ));
        }
        self.own_outcome = Some(CliError::from_kind(
            ErrorKind::Cancelled,
            "Sign-in cancelled (Ctrl-C); Okta was told to end it.",
        ));
        self.spinner.show(render::activity(Activity::Cancelling));
        let flow = self.flow.clone();
        let stopped = || {
            CliError::from_kind(
                ErrorKind::Cancelled,
                "Stopped before the server confirmed the cancellation; the sign-in expires on its own within minutes.",
            )
        };
        // The core cuts short whatever the sign-in waits on and bounds its one cancel request;
        // this bound only keeps a first signal from ever waiting longer than a few seconds.
        tokio::select! {
            result = tokio::time::timeout(CANCEL_WAIT, flow.cancel()) => match result {
                Ok(Ok(()) | Err(oktadesk_core::Error::FlowEnded)) => Ok(()),
                Ok(Err(error)) => Err(error.into()),
                Err(_) => Err(stopped()),
            },
            () = self.interrupts.next() => Err(stopped()),
        }
    }

    /// A line from stdin, or Ctrl-C.
    async fn read_line(&mut self) -> Input {
        tokio::select! {
            line = self.lines.next() => line.map_or(Input::End, Input::Line),
            () = self.interrupts.next() => Input::Interrupted,
        }
    }

    /// A yes/no question on a terminal; in a script the answer is "no" and the flow ends
    /// with `kind`/`message` (the reason the question came up).
    async fn ask(
        &mut self,
        question: &str,
        default: bool,
        kind: ErrorKind,
        message: &str,
    ) -> Result<bool, CliError> {
        if !self.interactive {
            self.end_flow(CliError::from_kind(kind, message)).await;
            return Ok(false);
        }
        terminal::print_prompt(question);
        match self.read_line().await {
            Input::Line(answer) => {
                let answer = answer.trim().to_ascii_lowercase();
                let yes = match answer.as_str() {
                    "" => default,
                    _ => answer.starts_with('y'),
                };
                if !yes {
                    self.end_flow(CliError::from_kind(kind, message)).await;
                }
                Ok(yes)
            }
            Input::End => {
                self.end_flow(CliError::from_kind(kind, message)).await;
                Ok(false)
            }
            Input::Interrupted => self.interrupted().await.map(|()| false),
        }
    }
}
