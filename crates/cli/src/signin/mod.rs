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
use oktadesk_core::{
    Engine, FactorKind, FlowOptions, OktaClient, OrgUrl, ReportHeader, Secret, SignIn,
    SignInRequest, Transcript, Username, UsernameError,
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

/// Who signs in where, and how: a remembered account, or one from `--org` and `--user`.
struct Target {
    account: Account,
    options: FlowOptions,
}

pub(crate) async fn run(args: SignInArgs) -> Result<(), CliError> {
    let mut target = target(&args.target, args.remember_device).await?;
    let client = OktaClient::new(client_config::with_ca_file(args.ca_file.as_deref())?)?;
    // Asked while the password is typed; the sign-in itself does not depend on the answer.
    let engine_check = PendingEngine::start(&client, target.account.org());

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
            target.account.username(),
            target.account.org()
        ))?
    };
    // Listening only now: during the password prompt Ctrl-C keeps its default (quit at
    // once), since there is no transaction yet to cancel.
    let interrupts = Interrupts::listen()?;

    let engine = engine_check.finish().await;
    if let Some(found) = engine.as_ref().and_then(|report| report.engine) {
        // Remembered with the account on success; an unknown answer keeps what was known.
        target.account.engine = Some(found);
        target.options.engine = Some(found);
    }
    choose_protocol(args.target.engine, &mut target.options);
    engine::announce(
        target.account.org(),
        engine.as_ref(),
        target.options.oidc_client.is_some(),
        args.json,
    );

    let (flow, stages) = SignIn::start_on_device(
        &client,
        SignInRequest {
            org: target.account.org().clone(),
            username: target.account.username().clone(),
            password,
            options: target.options.clone(),
        },
        target.account.device_token().cloned(),
    );
    let transcript = flow.transcript().clone();
    let device = flow.device_token_reader();
    let outcome = TerminalFlow::new(args.json, args.code_stdin, flow, stages, lines, interrupts)
        .run()
        .await;
    match outcome {
        Ok(signed_in) => {
            target.account.set_device_token(device.device_token());
            finish(&args, &target, signed_in).await;
            if let Some(path) = &args.transcript {
                save_transcript(path, &transcript, &target, &recover::no_notes(), args.json)?;
            }
            Ok(())
        }
        Err(error) => {
            if let Some(path) = &args.transcript {
                save_transcript(path, &transcript, &target, &recover::no_notes(), args.json)?;
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

/// The account and options `args` name; `remember_device` asks Okta to remember this computer.
async fn target(args: &TargetArgs, remember_device: bool) -> Result<Target, CliError> {
    let mut account = match &args.account {
        Some(wanted) => {
            let wanted = wanted.clone();
            accounts::with_store(move |store| {
                let list = oktadesk_accounts::AccountStore::list(store)?;
                accounts::find(&list, &wanted)
            })
            .await?
        }
        None => {
            let org = OrgUrl::parse(args.org.as_deref().unwrap_or_default())
                .map_err(oktadesk_core::Error::from)?;
            let username =
                Username::parse(args.user.as_deref().unwrap_or_default()).map_err(|error| {
                    CliError::usage(match error {
                        UsernameError::Empty => {
                            "The username is empty. Give it with --user (usually your email address)."
                                .to_owned()
                        }
                        other => other.to_string(),
                    })
                })?;
            Account::of(org, username)
        }
    };
    // --factor wins for this sign-in; a new account remembered with --remember keeps it.
    if let Some(factor) = args.factor {
        account.preferred_factor = Some(factor.into());
    }
    if let Some(client_id) = &args.client_id {
        let server = args
            .authorization_server
            .as_deref()
            .unwrap_or(oktadesk_core::DEFAULT_AUTHORIZATION_SERVER);
        account.oidc_client = Some(
            oktadesk_core::OidcClient::parse(client_id, server)
                .map_err(|error| CliError::usage(error.to_string()))?,
        );
    }
    if args.engine == EngineArg::Idx && account.oidc_client.is_none() {
        return Err(CliError::usage(format!(
            "--engine idx needs the client ID of the org's OktaDesk app: give it with --client-id. {}",
            oktadesk_core::IDX_APP_HELP
        )));
    }
    let mut options = account.flow_options();
    options.remember_device = remember_device;
    Ok(Target { account, options })
}

/// Settles which protocol the sign-in speaks: IDX needs both an Identity Engine org and the
/// org's OktaDesk app; `--engine` overrides what the org said.
fn choose_protocol(wanted: EngineArg, options: &mut FlowOptions) {
    match wanted {
        EngineArg::Auto => {}
        EngineArg::Classic => options.oidc_client = None,
        EngineArg::Idx => options.engine = Some(Engine::IdentityEngine),
    }
    if options.engine != Some(Engine::IdentityEngine) {
        options.oidc_client = None;
    }
}

/// Saves the transcript; a recovery's `notes` (its factor, the step that failed and why) go
/// first, or beside the steps in JSON (`{"recovery": …, "entries": […]}`).
fn save_transcript(
    path: &PathBuf,
    transcript: &Transcript,
    target: &Target,
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
                org: target.account.org(),
                username: target.account.username().as_str(),
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

async fn finish(args: &SignInArgs, target: &Target, signed_in: SignedIn) {
    let SignedIn {
        user,
        session,
        at_ms,
    } = signed_in;
    let remember = args.remember || args.target.account.is_some();
    let remembered = if remember {
        Some(accounts::remember(target.account.clone()).await)
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
