//! `oktadesk-cli signin`: the whole sign-in on the core's flow engine, in a terminal or a
//! script.
//!
//! This file turns the flags into a sign-in and reports its end; `terminal_flow` answers the
//! stages in between.

pub(crate) mod recover;
mod terminal_flow;

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use oktadesk_accounts::Account;
use oktadesk_core::{FactorKind, OktaClient, ReportHeader, Secret, Transcript, UsernameError};
use oktadesk_signin_setup::{
    Choices, Protocol, SetupError, SignInSetup, SignedIn as Remembering, read_account,
    read_oidc_client,
};
use serde_json::json;

use crate::accounts;
use crate::client_config;
use crate::engine::{self, PendingEngine};
use crate::exit::{CliError, Exit};
use crate::output::{self, GOOD, STRONG, WARN};
use crate::terminal::{self, Interrupts, Lines};

use self::terminal_flow::{HelpDeskNotes, SignedIn, TerminalFlow};

#[derive(Debug, Args)]
pub(crate) struct SignInArgs {
    #[command(flatten)]
    target: TargetArgs,
    /// Read the password from the first line of standard input instead of prompting. Later
    /// lines answer the code prompts.
    #[arg(long)]
    password_stdin: bool,
    /// Read codes and other answers (a phone number to enroll, a security question's
    /// answer) from standard input, one per line, without prompting or asking anything else,
    /// even when standard input is a terminal. With --password-stdin they follow the password.
    #[arg(long)]
    code_stdin: bool,
    /// One JSON object per line on stdout: each stage, then the result. Never a secret.
    #[arg(long)]
    json: bool,
    /// Remember the account (org URL and username only) in the keychain after success.
    #[arg(long)]
    remember: bool,
    /// Ask Okta to remember this device, when the org's policy allows it: sign-ins from this
    /// computer then skip the second factor for as long as the policy says. Okta's device
    /// cookie is kept with the account in the keychain (with --account or --remember), so
    /// the next sign-in is recognised.
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

/// Who signs in where, and through which engine: shared by `signin`, `recover-password`
/// and `unlock`, so a person who cannot sign in names the account the same way.
#[derive(Debug, Args)]
pub(crate) struct TargetArgs {
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
    /// Which of Okta's engines to sign in through: `auto` asks the org (Identity Engine orgs
    /// go through IDX when the OktaDesk app's client ID is known, through /api/v1/authn
    /// otherwise); `classic` always uses /api/v1/authn; `idx` always uses IDX.
    #[arg(long, value_enum, default_value_t = EngineArg::Auto)]
    engine: EngineArg,
    /// The client ID of the org's OktaDesk app (an OIDC native app with grant type Interaction
    /// Code only and the redirect URI com.oktadesk.app:/callback), for Identity Engine orgs.
    /// Remembered with the account.
    #[arg(long, value_name = "ID")]
    client_id: Option<String>,
    /// That app's authorization server: `default` unless the admin says otherwise, an empty
    /// value for the org authorization server.
    #[arg(long, value_name = "ID", requires = "client_id")]
    authorization_server: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum EngineArg {
    /// Ask the org (`/.well-known/okta-organization`).
    Auto,
    /// Classic's Authentication API, /api/v1/authn.
    Classic,
    /// Identity Engine's IDX API (needs --client-id, or an account that has one).
    Idx,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FactorArg {
    /// Okta Verify push.
    Push,
    /// A six-digit code from Okta Verify.
    Totp,
    /// A six-digit code from Google Authenticator or another authenticator app.
    Google,
    /// A code sent by text message.
    Sms,
    /// A code read out by a voice call.
    Call,
    /// A code sent by email.
    Email,
    /// A security question.
    Question,
    /// A code from a hardware token (RSA SecurID, Symantec VIP, YubiKey, HOTP).
    Token,
}

impl From<EngineArg> for Protocol {
    fn from(engine: EngineArg) -> Self {
        match engine {
            EngineArg::Auto => Protocol::Auto,
            EngineArg::Classic => Protocol::Classic,
            EngineArg::Idx => Protocol::Idx,
        }
    }
}

impl From<FactorArg> for FactorKind {
    fn from(factor: FactorArg) -> Self {
        match factor {
            FactorArg::Push => FactorKind::Push,
            FactorArg::Totp => FactorKind::Totp,
            FactorArg::Google => FactorKind::Google,
            FactorArg::Sms => FactorKind::Sms,
            FactorArg::Call => FactorKind::Call,
            FactorArg::Email => FactorKind::Email,
            FactorArg::Question => FactorKind::Question,
            FactorArg::Token => FactorKind::Token,
        }
    }
}

impl SignInArgs {
    pub(crate) fn json(&self) -> bool {
        self.json
    }
}

pub(crate) async fn run(args: SignInArgs) -> Result<(), CliError> {
    // A remembered account is remembered again (its last sign-in, its device cookie).
    let remember = args.remember || args.target.account.is_some();
    let mut setup = setup(&args.target, args.remember_device, remember).await?;
    let client = OktaClient::new(client_config::with_ca_file(args.ca_file.as_deref())?)?;
    // Asked while the password is typed; the sign-in itself does not depend on the answer.
    let engine_check = PendingEngine::start(&client, setup.account().org());

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
            setup.account().username(),
            setup.account().org()
        ))?
    };
    // Listening only now: during the password prompt Ctrl-C keeps its default (quit at
    // once), since there is no transaction yet to cancel.
    let interrupts = Interrupts::listen()?;

    let engine = engine_check.finish().await;
    setup.engine_found(engine.as_ref().and_then(|report| report.engine));
    engine::announce(
        setup.account().org(),
        engine.as_ref(),
        setup.through_idx(),
        args.json,
    );

    let (flow, stages) = setup.start(&client, password);
    let transcript = flow.transcript().clone();
    let device = flow.device_token_reader();
    let outcome = TerminalFlow::new(args.json, args.code_stdin, flow, stages, lines, interrupts)
        .run()
        .await;
    match outcome {
        Ok(signed_in) => {
            finish(&args, setup.signed_in(device.device_token()), signed_in).await;
            if let Some(path) = &args.transcript {
                let notes = recover::no_notes();
                save_transcript(path, &transcript, setup.account(), &notes, args.json)?;
            }
            Ok(())
        }
        Err(error) => {
            if let Some(path) = &args.transcript {
                let notes = recover::no_notes();
                save_transcript(path, &transcript, setup.account(), &notes, args.json)?;
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

/// The sign-in `args` name (a remembered account, or `--org` and `--user`), set up by the
/// one path from an account to a sign-in; `remember_device` asks Okta to remember this
/// computer, `remember` keeps the account in the keychain after success. Refusals are usage
/// errors, before any request.
async fn setup(
    args: &TargetArgs,
    remember_device: bool,
    remember: bool,
) -> Result<SignInSetup, CliError> {
    let account = match &args.account {
        Some(wanted) => {
            let wanted = wanted.clone();
            accounts::with_store(move |store| {
                let list = oktadesk_accounts::AccountStore::list(store)?;
                accounts::find(&list, &wanted)
            })
            .await?
        }
        None => read_account(
            args.org.as_deref().unwrap_or_default(),
            args.user.as_deref().unwrap_or_default(),
        )
        .map_err(refused)?,
    };
    let choices = Choices {
        oidc_client: read_oidc_client(
            args.client_id.as_deref(),
            args.authorization_server.as_deref(),
        )
        .map_err(refused)?,
        // --factor wins for this sign-in; a new account remembered with --remember keeps it.
        preferred_factor: args.factor.map(FactorKind::from),
        protocol: args.engine.into(),
        remember_device,
        remember,
        ..Choices::default()
    };
    // A remembered account chosen by name is its own record: nothing else to merge.
    SignInSetup::new(account, None, choices).map_err(refused)
}

/// A refusal of what was typed, in the words of the command line (its flags).
fn refused(error: SetupError) -> CliError {
    match error {
        SetupError::OrgUrl(error) => oktadesk_core::Error::from(error).into(),
        SetupError::Username(UsernameError::Empty) => CliError::usage(
            "The username is empty. Give it with --user (usually your email address).",
        ),
        SetupError::IdxWithoutApp => CliError::usage(format!(
            "--engine idx needs the client ID of the org's OktaDesk app: give it with --client-id. {}",
            oktadesk_core::IDX_APP_HELP
        )),
        other => CliError::usage(other.to_string()),
    }
}

/// Saves the transcript; a recovery's `notes` (its factor, the step that failed and why) go
/// first, or beside the steps in JSON (`{"recovery": …, "entries": […]}`).
fn save_transcript(
    path: &PathBuf,
    transcript: &Transcript,
    account: &Account,
    notes: &HelpDeskNotes,
    json: bool,
) -> Result<(), CliError> {
    let is_json = path
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
    let contents = if is_json && notes.is_recovery() {
        serde_json::to_string_pretty(&json!({ "recovery": notes, "entries": transcript }))
            .unwrap_or_default()
    } else if is_json {
        serde_json::to_string_pretty(transcript).unwrap_or_default()
    } else {
        notes.report()
            + &transcript.report(&ReportHeader {
                app_version: env!("CARGO_PKG_VERSION"),
                org: account.org(),
                username: account.username().as_str(),
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

async fn finish(args: &SignInArgs, account: Remembering, signed_in: SignedIn) {
    let SignedIn {
        user,
        session,
        at_ms,
    } = signed_in;
    let remembered = if account.remember {
        Some(accounts::remember(account).await)
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
        if let Some(token) = session.browser_session() {
            if args.print_session_token {
                result["sessionToken"] = json!(token.expose());
            }
        } else {
            result["browserSession"] = json!(false);
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
    if !args.print_session_token {
        return;
    }
    match session.browser_session() {
        Some(token) => {
            let mut stdout = std::io::stdout().lock();
            use std::io::Write;
            let _ = writeln!(stdout, "{}", token.expose());
            // Okta ignores the token on /login/sessionCookieRedirect in a browser that is
            // already signed in to the org, whoever as.
            output::say(&output::styled(
                output::DIM,
                "A browser already signed in to this org keeps its own session: Okta ignores the token there.",
            ));
        }
        None => output::say(&format!(
            "{} Identity Engine sign-ins hand OktaDesk no session token, so there is none to print.",
            output::styled(WARN, "note:")
        )),
    }
}
