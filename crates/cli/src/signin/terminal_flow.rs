//! One running sign-in and the terminal it talks to: each stage shown, each answer read.

use std::time::Instant;

use oktadesk_core::{
    Activity, CodePurpose, ErrorKind, FactorChoice, FlowHandle, Secret, Stage, Stages,
};

use crate::exit::{CliError, Exit};
use crate::output::{self, BAD, STRONG, WARN};
use crate::render;
use crate::terminal::{self, Interrupts, Lines, Spinner};

/// What a successful sign-in leaves for [`finish`].
pub(super) struct SignedIn {
    pub user: oktadesk_core::UserInfo,
    pub session: oktadesk_core::SessionHandoff,
    pub at_ms: u128,
}

/// One running sign-in and the terminal it talks to.
pub(super) struct TerminalFlow {
    spinner: Spinner,
    json: bool,
    /// Whether questions can be asked (stdin is a terminal). Codes are read from stdin
    /// either way.
    interactive: bool,
    started: Instant,
    flow: FlowHandle,
    stages: Stages,
    lines: Lines,
    interrupts: Interrupts,
    /// Why the CLI ended the flow itself (e.g. a rejected push in a script): reported
    /// instead of the `cancelled` the engine then sends.
    own_outcome: Option<CliError>,
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
        flow: FlowHandle,
        stages: Stages,
        lines: Lines,
        interrupts: Interrupts,
    ) -> Self {
        Self {
            spinner: Spinner::new(!json),
            json,
            interactive: terminal::stdin_is_terminal(),
            started: Instant::now(),
            flow,
            stages,
            lines,
            interrupts,
            own_outcome: None,
        }
    }

    /// Answers stages until the sign-in ends; the spinner is gone when it returns.
    pub(super) async fn run(mut self) -> Result<SignedIn, CliError> {
        let outcome = self.drive().await;
        self.spinner.hide();
        outcome
    }

    async fn drive(&mut self) -> Result<SignedIn, CliError> {
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
            if let Some(outcome) = self.handle(stage).await? {
                return Ok(outcome);
            }
        }
    }

    fn at_ms(&self) -> u128 {
        self.started.elapsed().as_millis()
    }

    fn emit(&self, stage: &Stage) {
        if self.json {
            output::json_line(&render::stage_json(stage, self.at_ms()));
        }
    }

    /// Shows a stage to people and answers it. `Some` once signed in; `Err` when the
    /// sign-in ended otherwise.
    async fn handle(&mut self, stage: Stage) -> Result<Option<SignedIn>, CliError> {
        match stage {
            Stage::Working { activity } => {
                self.spinner.show(render::activity(activity));
            }
            Stage::NeedsFactorChoice {
                purpose,
                factors,
                can_skip,
            } => self.choose_factor(purpose, &factors, can_skip).await?,
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
            Stage::PushSent { device_name } => {
                self.human(&format!(
                    "Push sent to {}. Approve it in Okta Verify.",
                    device_name.as_deref().unwrap_or("your phone")
                ));
                self.spinner.show("Waiting for the push to be approved");
            }
            Stage::NumberChallenge {
                number,
                device_name,
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
                last_error,
                ..
            } => self.code(&factor, purpose, last_error).await?,
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
            }
            Stage::LockedOut { message } => {
                return Err(CliError::from_kind(ErrorKind::LockedOut, message));
            }
            Stage::Success { user, session } => {
                self.spinner.hide();
                return Ok(Some(SignedIn {
                    user,
                    session,
                    at_ms: self.at_ms(),
                }));
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
        tokio::select! {
            result = flow.cancel() => match result {
                Ok(()) | Err(oktadesk_core::Error::FlowEnded) => Ok(()),
                Err(error) => Err(error.into()),
            },
            () = self.interrupts.next() => Err(CliError::from_kind(
                ErrorKind::Cancelled,
                "Stopped before the server confirmed the cancellation; the sign-in expires on its own within minutes.",
            )),
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

    async fn choose_factor(
        &mut self,
        purpose: oktadesk_core::FactorPurpose,
        factors: &[FactorChoice],
        can_skip: bool,
    ) -> Result<(), CliError> {
        self.spinner.hide();
        let verb = match purpose {
            oktadesk_core::FactorPurpose::Enroll => "set up",
            _ => "use",
        };
        if !self.interactive {
            let offered = factors
                .iter()
                .map(|factor| factor.kind.as_str())
                .collect::<Vec<_>>()
                .join(" or ");
            self.end_flow(CliError::usage(format!(
                "Okta offers several factors to {verb} ({offered}). Choose one with --factor {}.",
                factors.first().map_or("push", |f| f.kind.as_str())
            )))
            .await;
            return Ok(());
        }
        output::say(&format!("Which factor do you want to {verb}?"));
        for (index, factor) in factors.iter().enumerate() {
            let device = factor
                .device_name
                .as_deref()
                .map(|name| format!(" on {name}"))
                .unwrap_or_default();
            output::say(&format!("  {}. {}{device}", index + 1, factor.label));
        }
        if can_skip {
            output::say("  s. Skip for now");
        }
        loop {
            terminal::print_prompt(&format!("Choose 1-{}: ", factors.len()));
            let answer = match self.read_line().await {
                Input::Line(answer) => answer.trim().to_ascii_lowercase(),
                Input::End => {
                    self.end_flow(CliError::usage(
                        "No factor was chosen. Choose one with --factor push or --factor totp.",
                    ))
                    .await;
                    return Ok(());
                }
                Input::Interrupted => return self.interrupted().await,
            };
            if can_skip && answer == "s" {
                self.command(self.flow.skip()).await;
                return Ok(());
            }
            if let Some(factor) = answer
                .parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
                .and_then(|index| factors.get(index))
            {
                self.command(self.flow.choose_factor(factor.key.clone()))
                    .await;
                return Ok(());
            }
        }
    }

    async fn code(
        &mut self,
        factor: &FactorChoice,
        purpose: CodePurpose,
        last_error: Option<oktadesk_core::ErrorInfo>,
    ) -> Result<(), CliError> {
        self.spinner.hide();
        if let Some(error) = &last_error {
            self.human(&format!("{} {}", output::styled(BAD, "✘"), error.message));
        }
        let prompt = match purpose {
            CodePurpose::Activate => format!(
                "Add the account in {} by scanning the QR code, then type the code it shows: ",
                factor.label.trim_end_matches(" code")
            ),
            _ => format!("{}: ", factor.label),
        };
        if self.interactive || !self.json {
            terminal::print_prompt(&prompt);
        }
        match self.read_line().await {
            Input::Line(code) if !code.trim().is_empty() => {
                self.command(self.flow.submit_code(Secret::new(code.trim())))
                    .await;
            }
            Input::Line(_) | Input::End => {
                let (kind, message) = match last_error {
                    Some(error) => (error.kind, error.message),
                    None => (
                        ErrorKind::InvalidCode,
                        "No code was given. Type the six-digit code from Okta Verify (in a script, on the line after the password).".to_owned(),
                    ),
                };
                self.end_flow(CliError::from_kind(kind, message)).await;
            }
            Input::Interrupted => self.interrupted().await?,
        }
        Ok(())
    }
}
