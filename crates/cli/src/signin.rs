//! `oktadesk-cli signin`: the whole sign-in on the core's flow engine, in a terminal or a
//! script.

use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, ValueEnum};
use oktadesk_core::{
    Activity, ClientConfig, CodePurpose, ErrorKind, FactorChoice, FactorKind, FlowHandle,
    FlowOptions, OktaClient, OrgUrl, ReportHeader, Secret, SignIn, SignInRequest, Stage, Stages,
    Transcript,
};
use serde_json::json;

use crate::accounts;
use crate::exit::{CliError, Exit};
use crate::output::{self, BAD, GOOD, STRONG, WARN};
use crate::render;
use crate::terminal::{self, Interrupts, Lines, Spinner};

#[derive(Debug, Args)]
pub(crate) struct SignInArgs {
    /// Your Okta org: `acme`, `acme.okta.com`, `https://login.acme.com`, or the demo org's URL.
    #[arg(long, value_name = "ORG", required_unless_present = "account")]
    org: Option<String>,
    /// Your Okta username (usually your email address).
    #[arg(
        long,
        visible_alias = "username",
        value_name = "LOGIN",
        required_unless_present = "account"
    )]
    user: Option<String>,
    /// Sign in as a remembered account: its label, username or id (see `accounts list`).
    #[arg(long, value_name = "LABEL", conflicts_with_all = ["org", "user"])]
    account: Option<String>,
    /// The factor to use (to verify, or to enroll) when the org offers several.
    #[arg(long, value_enum)]
    factor: Option<FactorArg>,
    /// Read the password from the first line of standard input instead of prompting. Later
    /// lines answer the code prompts.
    #[arg(long)]
    password_stdin: bool,
    /// One JSON object per line on stdout: each stage, then the result. Never a secret.
    #[arg(long)]
    json: bool,
    /// Remember the account (org URL and username only) in the keychain after success.
    #[arg(long)]
    remember: bool,
    /// Ask Okta to remember this device, when the org's policy allows it.
    #[arg(long)]
    remember_device: bool,
    /// Also trust the CA certificates in this PEM file (corporate TLS inspection).
    #[arg(long, value_name = "PEM")]
    ca_file: Option<PathBuf>,
    /// Print the one-time session token on stdout after success (the only way a token is
    /// ever shown). Treat it like a password.
    #[arg(long)]
    print_session_token: bool,
    /// Save the help-desk transcript of the sign-in (timings, HTTP and Okta statuses, error
    /// codes; no secrets) to FILE: JSON when FILE ends in `.json`, readable text otherwise.
    #[arg(long, value_name = "FILE")]
    transcript: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FactorArg {
    /// Okta Verify push.
    Push,
    /// A six-digit code from Okta Verify (or an authenticator app).
    Totp,
}

impl From<FactorArg> for FactorKind {
    fn from(factor: FactorArg) -> Self {
        match factor {
            FactorArg::Push => FactorKind::Push,
            FactorArg::Totp => FactorKind::Totp,
        }
    }
}

impl SignInArgs {
    pub(crate) fn json(&self) -> bool {
        self.json
    }
}

/// Who signs in where, from the flags or from a remembered account.
struct Target {
    org: OrgUrl,
    username: String,
    options: FlowOptions,
}

pub(crate) async fn run(args: SignInArgs) -> Result<(), CliError> {
    let target = target(&args).await?;
    let mut config = ClientConfig::default();
    if let Some(path) = &args.ca_file {
        config.extra_ca_pem = Some(std::fs::read(path).map_err(|error| {
            CliError::usage(format!(
                "The CA file {} could not be read ({error}). Give the path of a PEM file.",
                path.display()
            ))
        })?);
    }
    let client = OktaClient::new(config)?;

    let mut lines = Lines::default();
    let password = if args.password_stdin {
        match lines.next().await {
            Some(line) if !line.is_empty() => Secret::new(line.as_str()),
            _ => {
                return Err(CliError::usage(
                    "No password on standard input: --password-stdin reads it from the first line.",
                ));
            }
        }
    } else {
        terminal::prompt_password(&format!(
            "Password for {} at {}: ",
            target.username, target.org
        ))?
    };
    // Listening only now: during the password prompt Ctrl-C keeps its default (quit at
    // once), since there is no transaction yet to cancel.
    let interrupts = Interrupts::listen()?;

    let (flow, stages) = SignIn::start(
        &client,
        SignInRequest {
            org: target.org.clone(),
            username: target.username.clone(),
            password,
            options: target.options.clone(),
        },
    );
    let transcript = flow.transcript().clone();
    let mut session = Session {
        spinner: Spinner::new(!args.json),
        json: args.json,
        interactive: terminal::stdin_is_terminal(),
        started: Instant::now(),
        flow,
        stages,
        lines,
        interrupts,
        own_outcome: None,
    };
    let outcome = session.drive().await;
    session.spinner.hide();
    match outcome {
        Ok(signed_in) => {
            finish(&args, &target, signed_in).await;
            if let Some(path) = &args.transcript {
                save_transcript(path, &transcript, &target, args.json)?;
            }
            Ok(())
        }
        Err(error) => {
            if let Some(path) = &args.transcript {
                save_transcript(path, &transcript, &target, args.json)?;
            } else if !args.json && error.exit != Exit::Usage {
                output::say(&output::styled(
                    output::DIM,
                    "To show your help desk what happened, run again with --transcript FILE.",
                ));
            }
            Err(error)
        }
    }
}

async fn target(args: &SignInArgs) -> Result<Target, CliError> {
    let mut options = FlowOptions {
        preferred_factor: args.factor.map(FactorKind::from),
        remember_device: args.remember_device,
        ..FlowOptions::default()
    };
    let (org, username) = match &args.account {
        Some(wanted) => {
            let wanted = wanted.clone();
            let account = accounts::with_store(move |store| {
                let list = oktadesk_accounts::AccountStore::list(store)?;
                accounts::find(&list, &wanted)
            })
            .await?;
            if options.preferred_factor.is_none() {
                options.preferred_factor = account.preferred_factor.map(|factor| match factor {
                    oktadesk_accounts::PreferredFactor::OktaVerifyCode => FactorKind::Totp,
                    _ => FactorKind::Push,
                });
            }
            options.auto_push = account.auto_push;
            (account.org_url().to_owned(), account.username().to_owned())
        }
        None => (
            args.org.clone().unwrap_or_default(),
            args.user.clone().unwrap_or_default(),
        ),
    };
    let org = OrgUrl::parse(&org).map_err(oktadesk_core::Error::from)?;
    let username = username.trim().to_owned();
    if username.is_empty() {
        return Err(CliError::usage(
            "The username is empty. Give it with --user (usually your email address).",
        ));
    }
    Ok(Target {
        org,
        username,
        options,
    })
}

fn save_transcript(
    path: &PathBuf,
    transcript: &Transcript,
    target: &Target,
    json: bool,
) -> Result<(), CliError> {
    let is_json = path
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
    let contents = if is_json {
        serde_json::to_string_pretty(transcript).unwrap_or_default()
    } else {
        transcript.report(&ReportHeader {
            app_version: env!("CARGO_PKG_VERSION"),
            org: &target.org,
            username: &target.username,
            saved_at: time::OffsetDateTime::now_utc(),
        })
    };
    std::fs::write(path, contents).map_err(|error| {
        CliError::new(
            Exit::Other,
            "transcript",
            format!(
                "The transcript could not be saved to {} ({error}). Choose a writable path.",
                path.display()
            ),
        )
    })?;
    if !json {
        output::say(&format!("Transcript saved to {}.", path.display()));
    }
    Ok(())
}

/// What a successful sign-in leaves for [`finish`].
struct SignedIn {
    user: oktadesk_core::UserInfo,
    session: oktadesk_core::SessionHandoff,
    at_ms: u128,
}

async fn finish(args: &SignInArgs, target: &Target, signed_in: SignedIn) {
    let SignedIn {
        user,
        session,
        at_ms,
    } = signed_in;
    let remember = args.remember || args.account.is_some();
    let remembered = if remember {
        Some(accounts::remember(target.org.to_string(), target.username.clone()).await)
    } else {
        None
    };
    if args.json {
        let mut result = json!({
            "result": "success",
            "exitCode": Exit::Success.code(),
            "atMs": at_ms,
            "user": user,
            "org": session.org(),
            "expiresAt": session.expires_at().and_then(|at| at.format(&time::format_description::well_known::Rfc3339).ok()),
        });
        match &remembered {
            Some(Ok(account)) => {
                result["remembered"] = json!(true);
                result["account"] = accounts::account_json(account);
            }
            Some(Err(error)) => {
                result["remembered"] = json!(false);
                result["rememberError"] = json!({"kind": error.kind, "message": error.message});
            }
            None => {}
        }
        if args.print_session_token {
            result["sessionToken"] = json!(session.session_token().expose());
        }
        output::json_line(&result);
        return;
    }
    output::say(&format!(
        "{} Signed in as {} ({}) at {}.",
        output::styled(GOOD, "✔"),
        output::styled(STRONG, &user.display_name()),
        user.login,
        session.org()
    ));
    match &remembered {
        Some(Ok(account)) => output::say(&format!(
            "Remembered as \"{}\": next time run `oktadesk-cli signin --account \"{}\"`.",
            account.label, account.label
        )),
        Some(Err(error)) => output::say(&format!(
            "{} {}",
            output::styled(WARN, "warning:"),
            error.message
        )),
        None => {}
    }
    if args.print_session_token {
        let mut stdout = std::io::stdout().lock();
        use std::io::Write;
        let _ = writeln!(stdout, "{}", session.session_token().expose());
    }
}

/// One running sign-in and the terminal it talks to.
struct Session {
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

impl Session {
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
