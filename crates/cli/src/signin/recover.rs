//! `oktadesk-cli recover-password` and `oktadesk-cli unlock`: self-service recovery for
//! someone who cannot sign in, on the same engine, prompts and exit codes as `signin`.
//!
//! Okta verifies who the person is with a recovery factor (an emailed link, or a code by
//! SMS, voice call or email, sometimes followed by the security question); a password reset
//! then asks for the new password and goes on to sign in as Okta says, an unlock ends with
//! the account unlocked.

use std::path::PathBuf;

use clap::Args;
use oktadesk_accounts::Account;
use oktadesk_core::{OktaClient, Recovery};
use serde_json::json;

use super::terminal_flow::{Ended, HelpDeskNotes, SignedIn, TerminalFlow};
use super::{TargetArgs, save_transcript, setup};
use crate::accounts;
use crate::client_config;
use crate::engine::{self, PendingEngine};
use crate::exit::{CliError, Exit};
use crate::output::{self, GOOD, STRONG};
use crate::terminal::{Interrupts, Lines};

#[derive(Debug, Args)]
pub(crate) struct RecoverArgs {
    #[command(flatten)]
    target: TargetArgs,
    /// Read codes, the recovery link (or its token) and the security question's answer from
    /// standard input, one per line, without prompting or asking anything else, even when
    /// standard input is a terminal.
    #[arg(long)]
    code_stdin: bool,
    /// Read the new password (recover-password) from its own line of standard input when
    /// Okta asks for it, instead of asking twice on the terminal. Lines are read in the order
    /// Okta asks: a code first, then the new password.
    #[arg(long)]
    new_password_stdin: bool,
    /// One JSON object per line on stdout: each stage, then the result. Never a secret.
    #[arg(long)]
    json: bool,
    /// Also trust the CA certificates in this PEM file (corporate TLS inspection).
    #[arg(long, value_name = "PEM")]
    ca_file: Option<PathBuf>,
    /// Save the help-desk transcript (the recovery factor, the step that failed and why,
    /// timings, HTTP and Okta statuses; no secrets) to FILE: JSON when FILE ends in `.json`,
    /// readable text otherwise.
    #[arg(long, value_name = "FILE")]
    transcript: Option<PathBuf>,
}

impl RecoverArgs {
    pub(crate) fn json(&self) -> bool {
        self.json
    }
}

pub(crate) async fn run(args: RecoverArgs, recovery: Recovery) -> Result<(), CliError> {
    // A remembered account named with --account is remembered again once a reset signs in.
    let remember = args.target.account.is_some();
    let mut setup = setup(&args.target, false, remember).await?;
    let client = OktaClient::new(client_config::with_ca_file(args.ca_file.as_deref())?)?;
    let engine = PendingEngine::start(&client, setup.account().org())
        .finish()
        .await;
    setup.engine_found(engine.as_ref().and_then(|report| report.engine));
    engine::announce(
        setup.account().org(),
        engine.as_ref(),
        setup.through_idx(),
        args.json,
    );
    let interrupts = Interrupts::listen()?;

    let (flow, stages) = setup.recover(&client, recovery);
    let transcript = flow.transcript().clone();
    let device = flow.device_token_reader();
    let (outcome, notes) = TerminalFlow::new(
        args.json,
        args.code_stdin,
        flow,
        stages,
        Lines::default(),
        interrupts,
    )
    .recovering(recovery, args.new_password_stdin)
    .run_to_end()
    .await;
    let save = |account: &Account| match &args.transcript {
        Some(path) => save_transcript(path, &transcript, account, &notes, args.json),
        None => Ok(()),
    };
    match outcome {
        Ok(ended) => {
            // The remembered account keeps Okta's device cookie, as after a sign-in.
            let signed_in = setup.signed_in(device.device_token());
            if let Ended::SignedIn(_) = &ended
                && signed_in.remember
                && let Err(error) = accounts::remember(signed_in).await
            {
                output::say(&format!(
                    "{} {}",
                    output::styled(output::WARN, "warning:"),
                    error.message
                ));
            }
            report(&ended, recovery, setup.account(), args.json);
            save(setup.account())
        }
        Err(error) => {
            save(setup.account())?;
            if args.transcript.is_none() && !args.json && error.exit != Exit::Usage {
                output::say(&output::styled(
                    output::DIM,
                    "To show your help desk what happened, run again with --transcript FILE.",
                ));
            }
            Err(error)
        }
    }
}

/// How a recovery that worked is told: the JSON result, or a line for people.
fn report(ended: &Ended, recovery: Recovery, account: &Account, json: bool) {
    if json {
        output::json_line(&result_json(ended, recovery));
        return;
    }
    match ended {
        Ended::SignedIn(SignedIn { user, session, .. }) => output::say(&format!(
            "{} Your password is reset. Signed in as {} ({}) at {}.",
            output::styled(GOOD, "✔"),
            output::styled(STRONG, &user.display_name()),
            user.login,
            session.org()
        )),
        Ended::Unlocked {
            username, message, ..
        }
        | Ended::PasswordReset {
            username, message, ..
        } => {
            output::say(&format!("{} {message}", output::styled(GOOD, "✔")));
            output::say(&format!(
                "Sign in now: oktadesk-cli signin --org {} --user {username}",
                account.org()
            ));
        }
    }
}

/// The last `--json` line of a recovery that worked.
fn result_json(ended: &Ended, recovery: Recovery) -> serde_json::Value {
    match ended {
        Ended::SignedIn(SignedIn {
            user,
            session,
            at_ms,
        }) => json!({
            "result": "success",
            "exitCode": Exit::Success.code(),
            "atMs": at_ms,
            "recovery": recovery,
            "user": user,
            "org": session.org(),
            "expiresAt": session.expires_at().and_then(|at| at.format(&time::format_description::well_known::Rfc3339).ok()),
        }),
        Ended::Unlocked {
            username,
            message,
            at_ms,
        } => json!({
            "result": "unlocked",
            "exitCode": Exit::Success.code(),
            "atMs": at_ms,
            "recovery": recovery,
            "username": username,
            "message": message,
        }),
        Ended::PasswordReset {
            username,
            message,
            at_ms,
        } => json!({
            "result": "passwordReset",
            "exitCode": Exit::Success.code(),
            "atMs": at_ms,
            "recovery": recovery,
            "username": username,
            "message": message,
        }),
    }
}

/// Notes to save beside the transcript; a sign-in has none.
pub(super) fn no_notes() -> HelpDeskNotes {
    HelpDeskNotes::default()
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::{Cli, Command};

    fn parse(args: &[&str]) -> Result<Command, clap::Error> {
        let mut all = vec!["oktadesk-cli"];
        all.extend_from_slice(args);
        Cli::try_parse_from(all).map(|cli| cli.command)
    }

    #[test]
    fn recover_password_takes_the_signin_options_and_its_own() {
        let Ok(Command::RecoverPassword(args)) = parse(&[
            "recover-password",
            "--org",
            "acme",
            "--username",
            "ada@acme.com",
            "--factor",
            "sms",
            "--engine",
            "idx",
            "--client-id",
            "0oa1",
            "--code-stdin",
            "--new-password-stdin",
            "--json",
            "--transcript",
            "recovery.txt",
        ]) else {
            panic!("recover-password parses");
        };
        assert_eq!(args.target.org.as_deref(), Some("acme"));
        assert_eq!(args.target.user.as_deref(), Some("ada@acme.com"));
        assert_eq!(args.target.factor, Some(super::super::FactorArg::Sms));
        assert_eq!(args.target.engine, super::super::EngineArg::Idx);
        assert_eq!(args.target.client_id.as_deref(), Some("0oa1"));
        assert!(args.code_stdin && args.new_password_stdin && args.json());
        assert_eq!(args.transcript, Some(PathBuf::from("recovery.txt")));
    }

    #[test]
    fn unlock_names_the_account_as_signin_does() {
        let Ok(Command::Unlock(args)) = parse(&["unlock", "--account", "Work"]) else {
            panic!("unlock --account parses");
        };
        assert_eq!(args.target.account.as_deref(), Some("Work"));
        assert!(!args.new_password_stdin && !args.code_stdin && !args.json());
        // Who is asked for: an org and a user, or an account, never both.
        for wrong in [
            &["unlock"][..],
            &["unlock", "--org", "acme"],
            &["unlock", "--account", "Work", "--org", "acme"],
            &["recover-password", "--user", "ada", "--account", "Work"],
            &[
                "recover-password",
                "--org",
                "a",
                "--user",
                "b",
                "--authorization-server",
                "x",
            ],
            &[
                "recover-password",
                "--org",
                "a",
                "--user",
                "b",
                "--password-stdin",
            ],
        ] {
            let refused = parse(wrong).map(|_| ()).unwrap_err();
            assert_eq!(refused.exit_code(), 2, "{wrong:?}: {refused}");
        }
    }

    #[tokio::test]
    async fn idx_without_the_orgs_app_is_a_usage_error_before_any_request() {
        let Ok(Command::Unlock(args)) = parse(&[
            "unlock",
            "--org",
            "https://acme.okta.com",
            "--user",
            "ada@acme.com",
            "--engine",
            "idx",
        ]) else {
            panic!("parses");
        };
        let Err(refused) = setup(&args.target, false, false).await else {
            panic!("refused");
        };
        assert_eq!(refused.exit, Exit::Usage);
        assert!(
            refused.message.contains("--client-id"),
            "{}",
            refused.message
        );
    }

    #[test]
    fn an_unlock_ends_with_an_unlocked_result() {
        let value = result_json(
            &Ended::Unlocked {
                username: "locked@demo.test".into(),
                message: "Your account is unlocked. Sign in again.".into(),
                at_ms: 42,
            },
            Recovery::UnlockAccount,
        );
        assert_eq!(value["result"], "unlocked");
        assert_eq!(value["exitCode"], 0);
        assert_eq!(value["recovery"], "unlockAccount");
        assert_eq!(value["username"], "locked@demo.test");
        assert_eq!(value["atMs"], 42);
    }
}
