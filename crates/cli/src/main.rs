//! `oktadesk-cli`: headless OktaDesk for help-desk scripts and automation, on the same core
//! as the desktop app. See the crate README for the commands, the JSON events and the exit
//! codes.

mod accounts;
mod client_config;
mod demo_org;
mod doctor;
mod engine;
mod exit;
mod output;
mod render;
mod signin;
mod terminal;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use crate::exit::{CliError, Exit};

#[derive(Debug, Parser)]
#[command(
    name = "oktadesk-cli",
    version,
    about = "Headless OktaDesk: sign in to Okta, enroll Okta Verify, reset a forgotten password, unlock an account, diagnose, run the demo org",
    after_help = "Exit codes: 0 signed in (or unlocked), 1 other error, 2 usage, 3 credentials refused, \
                  locked, or self-service recovery not allowed, \
                  4 MFA rejected, timed out or cancelled, 5 network/TLS/org unreachable, \
                  6 unsupported step or one only the browser can do."
)]
struct Cli {
    /// When to use colours (NO_COLOR and CLICOLOR_FORCE are honoured with `auto`).
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true)]
    color: ColorWhen,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Sign in: password, then the factor Okta asks for (Okta Verify push or code, an
    /// authenticator app, SMS, voice call, email, security question, hardware token).
    Signin(signin::SignInArgs),
    /// Forgot your password: Okta verifies it's you (an emailed link, or a code by SMS, voice
    /// call or email, maybe your security question), you choose a new password, and the
    /// sign-in goes on.
    RecoverPassword(signin::recover::RecoverArgs),
    /// Unlock your locked-out account: Okta verifies it's you (an emailed link, or a code by
    /// SMS, voice call or email) and unlocks it; then sign in again.
    Unlock(signin::recover::RecoverArgs),
    /// List or forget the accounts remembered in the keychain.
    Accounts(accounts::AccountsArgs),
    /// Check DNS, TCP, TLS, the Okta API, clock, proxy, keychain and notifications.
    Doctor(doctor::DoctorArgs),
    /// Run the embedded demo org: an Okta-compatible server with a virtual Okta Verify phone.
    DemoOrg(demo_org::DemoOrgArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell) on stdout.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    anstream::ColorChoice::write_global(match cli.color {
        ColorWhen::Auto => anstream::ColorChoice::Auto,
        ColorWhen::Always => anstream::ColorChoice::Always,
        ColorWhen::Never => anstream::ColorChoice::Never,
    });
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let (json, result) = match cli.command {
        Command::Signin(args) => (args.json(), signin::run(args).await),
        Command::RecoverPassword(args) => (
            args.json(),
            signin::recover::run(args, oktadesk_core::Recovery::ResetPassword).await,
        ),
        Command::Unlock(args) => (
            args.json(),
            signin::recover::run(args, oktadesk_core::Recovery::UnlockAccount).await,
        ),
        Command::Accounts(args) => (args.json(), accounts::run(args).await),
        Command::Doctor(args) => (args.json(), doctor::run(args).await),
        Command::DemoOrg(args) => (
            false,
            demo_org::run(args)
                .await
                .map_err(|message| CliError::new(Exit::Other, "demo_org", message)),
        ),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "oktadesk-cli",
                &mut std::io::stdout(),
            );
            (false, Ok(()))
        }
    };
    match result {
        Ok(()) => Exit::Success.into(),
        Err(error) => {
            // An empty message means the command already reported (e.g. doctor's checks).
            if !error.message.is_empty() {
                output::report_error(&error, json);
            }
            error.exit.into()
        }
    }
}
