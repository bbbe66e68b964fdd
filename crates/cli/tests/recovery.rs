//! `oktadesk-cli recover-password` and `oktadesk-cli unlock` end to end: the real binary
//! against the demo org's recovery endpoints, on both engines, the recovery link and codes
//! read from the demo phone's inbox as a person reads their mail and texts, the `--json`
//! stream parsed, the exit codes and the help desk's transcript checked.
//!
//! The users and values below are what the demo org seeds for recovery; they are named once
//! here so they can follow the demo org if it seeds them differently.

mod common;

use common::{Org, spawn};
use oktadesk_demo_org::{DEMO_OIDC_CLIENT_ID, DemoEngine, DemoOrgConfig};
use serde_json::Value;

/// Locked out after too many failed sign-ins; the org lets it unlock itself by email.
const LOCKED_USER: &str = "locked@demo.test";
/// Resets a forgotten password with the link Okta emails (a code on Identity Engine).
const EMAIL_RECOVERY_USER: &str = "forgot@demo.test";
/// Resets a forgotten password with a code by SMS, then (on Classic) the recovery question.
const SMS_RECOVERY_USER: &str = "recover@demo.test";
/// `recover@demo.test`'s answer to his Classic recovery question.
const SECURITY_ANSWER: &str = "blue cheese";
/// Asked for on an org that keeps resets and unlocks to its help desk.
const NO_SELF_SERVICE_USER: &str = "forgot@demo.test";
/// A new password every demo policy takes (no part of the usernames above).
const NEW_PASSWORD: &str = "Sunny-Meadow-42-Pa55";
/// A new password the demo org's policy refuses (too short, no digit, no capital).
const REFUSED_PASSWORD: &str = "short";

/// The orgs a recovery runs against: Classic, and Identity Engine through IDX.
fn engines() -> [(DemoEngine, &'static [&'static str]); 2] {
    [
        (DemoEngine::Classic, &[]),
        (
            DemoEngine::IdentityEngine,
            &["--client-id", DEMO_OIDC_CLIENT_ID],
        ),
    ]
}

fn org(engine: DemoEngine) -> Org {
    Org::start_with(DemoOrgConfig {
        engine,
        ..DemoOrgConfig::default()
    })
}

/// `COMMAND --org URL --user LOGIN --json` plus `extra`.
fn recover(command: &str, org: &Org, login: &str, extra: &[&str]) -> common::Running {
    let mut args = vec![command, "--org", &org.url, "--user", login, "--json"];
    args.extend_from_slice(extra);
    spawn(&args, &[])
}

/// The newest message of `channel` Okta sent `login`, once there is one.
fn newest(org: &Org, login: &str, channel: &str) -> oktadesk_demo_org::InboxMessage {
    let started = std::time::Instant::now();
    loop {
        let inbox = org.phone(login).view().expect("phone view").inbox;
        if let Some(message) = inbox.iter().rev().find(|m| m.channel == channel) {
            return message.clone();
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "no {channel} message for {login}: {inbox:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// The link an emailed recovery message carries (or, on Identity Engine, its code).
fn emailed_link_or_code(org: &Org, login: &str) -> String {
    let message = newest(org, login, "email");
    message.link.unwrap_or(message.code)
}

fn stages(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .filter_map(|event| event["stage"].as_str().map(str::to_owned))
        .collect()
}

/// Forgot password, by the link Okta emails: pasted from stdin, then the new password, and
/// the sign-in goes on to success. Both engines; the stream never carries a secret.
#[test]
fn a_forgotten_password_is_reset_with_the_emailed_link_and_signs_in() {
    for (engine, engine_args) in engines() {
        let org = org(engine);
        let mut extra = vec!["--factor", "email", "--code-stdin", "--new-password-stdin"];
        extra.extend_from_slice(engine_args);
        let mut cli = recover("recover-password", &org, EMAIL_RECOVERY_USER, &extra);
        // Classic emails a link (recoveryEmailSent); Identity Engine emails a code (needsCode).
        let asked = loop {
            let event = cli.next_event().expect("a stage");
            if ["recoveryEmailSent", "needsCode"].contains(&event["stage"].as_str().unwrap_or("")) {
                break event;
            }
            assert_ne!(event["stage"], "failed", "{engine:?}: {event}");
        };
        let token = emailed_link_or_code(&org, EMAIL_RECOVERY_USER);
        cli.write_line(&token);
        let wanted = cli.wait_for_stage("needsNewPassword");
        assert!(wanted["complexity"].is_object(), "{engine:?}: {wanted}");
        cli.write_line(NEW_PASSWORD);
        let done = cli.finish();
        assert_eq!(
            done.code(),
            0,
            "{engine:?} ({asked}):\n{}\n{}",
            done.stdout,
            done.stderr
        );
        let result = done.result();
        assert_eq!(result["result"], "success", "{engine:?}");
        assert_eq!(result["recovery"], "resetPassword");
        assert_eq!(result["user"]["login"], EMAIL_RECOVERY_USER);
        done.assert_json_lines();
        done.assert_no_secrets();
        for secret in [token.as_str(), NEW_PASSWORD] {
            assert!(
                !done.stdout.contains(secret) && !done.stderr.contains(secret),
                "{engine:?}: a recovery secret was printed"
            );
        }
        // The new password signs in.
        let mut again = spawn(
            &[
                "signin",
                "--org",
                &org.url,
                "--user",
                EMAIL_RECOVERY_USER,
                "--password-stdin",
                "--factor",
                "email",
                "--code-stdin",
                "--json",
            ],
            &[],
        );
        again.write_line(NEW_PASSWORD);
        again.wait_for_stage("needsCode");
        again.write_line(&newest(&org, EMAIL_RECOVERY_USER, "email").code);
        let signed_in = again.finish();
        assert_eq!(signed_in.code(), 0, "{engine:?}: {}", signed_in.stdout);
    }
}

/// Forgot password, by a code texted to the phone, then the security question: both read
/// from stdin, and the help desk's transcript names the factor and every stage.
#[test]
fn a_forgotten_password_is_reset_by_sms_code_and_security_question() {
    for (engine, engine_args) in engines() {
        let org = org(engine);
        let dir = tempfile::tempdir().unwrap();
        let transcript = dir.path().join("recovery.txt");
        let transcript_arg = transcript.to_str().unwrap().to_owned();
        let mut extra = vec![
            "--factor",
            "sms",
            "--code-stdin",
            "--new-password-stdin",
            "--transcript",
            &transcript_arg,
        ];
        extra.extend_from_slice(engine_args);
        let mut cli = recover("recover-password", &org, SMS_RECOVERY_USER, &extra);
        let code = cli.wait_for_stage("needsCode");
        assert_eq!(code["purpose"], "recover", "{engine:?}: {code}");
        assert_eq!(code["factor"]["kind"], "sms");
        cli.write_line(&newest(&org, SMS_RECOVERY_USER, "sms").code);
        // Classic asks the recovery question after the code; Identity Engine's policy here
        // takes the code alone.
        if engine == DemoEngine::Classic {
            cli.wait_for_stage("needsAnswer");
            cli.write_line(SECURITY_ANSWER);
        }
        cli.wait_for_stage("needsNewPassword");
        cli.write_line(NEW_PASSWORD);
        let done = cli.finish();
        assert_eq!(
            done.code(),
            0,
            "{engine:?}:\n{}\n{}",
            done.stdout,
            done.stderr
        );
        assert_eq!(done.result()["recovery"], "resetPassword");
        let seen = stages(&done.events);
        assert_eq!(seen.last().map(String::as_str), Some("success"), "{seen:?}");
        let saved = std::fs::read_to_string(&transcript).unwrap();
        assert!(saved.contains("Recovery: password reset"), "{saved}");
        assert!(saved.contains("Recovery factor: SMS"), "{saved}");
        if engine == DemoEngine::Classic {
            assert!(saved.contains("then Security question"), "{saved}");
        }
        assert!(saved.contains("Failed at: nothing failed"), "{saved}");
        for secret in [NEW_PASSWORD, SECURITY_ANSWER] {
            assert!(
                !saved.contains(secret),
                "{engine:?}: a secret in the transcript"
            );
            assert!(!done.stdout.contains(secret) && !done.stderr.contains(secret));
        }
    }
}

/// A locked-out account: the lockout says Okta offers unlock; `unlock` by the emailed link
/// ends with the account unlocked (exit 0, `result: unlocked`), and the password signs in.
#[test]
fn a_locked_account_is_unlocked_by_email_and_signs_in_again() {
    for (engine, engine_args) in engines() {
        let org = Org::start_with(DemoOrgConfig {
            engine,
            reveal_lockout: true,
            ..DemoOrgConfig::default()
        });
        let mut locked = common::signin(&org, LOCKED_USER, &["--json"]);
        let stage = locked.wait_for_stage("lockedOut");
        assert_eq!(stage["canUnlock"], true, "{engine:?}: {stage}");
        let done = locked.finish();
        assert_eq!(done.code(), 3);
        assert!(
            done.result()["message"]
                .as_str()
                .is_some_and(|message| message.contains("oktadesk-cli unlock")),
            "{}",
            done.stdout
        );

        let mut extra = vec!["--factor", "email", "--code-stdin"];
        extra.extend_from_slice(engine_args);
        let mut cli = recover("unlock", &org, LOCKED_USER, &extra);
        loop {
            let event = cli.next_event().expect("a stage");
            if ["recoveryEmailSent", "needsCode"].contains(&event["stage"].as_str().unwrap_or("")) {
                break;
            }
            assert_ne!(event["stage"], "failed", "{engine:?}: {event}");
            if event["stage"] == "needsFactorChoice" {
                assert_eq!(event["purpose"], "unlock", "{event}");
            }
        }
        cli.write_line(&emailed_link_or_code(&org, LOCKED_USER));
        let unlocked = cli.wait_for_stage("accountUnlocked");
        assert_eq!(unlocked["username"], LOCKED_USER);
        let done = cli.finish();
        assert_eq!(
            done.code(),
            0,
            "{engine:?}:\n{}\n{}",
            done.stdout,
            done.stderr
        );
        assert_eq!(done.result()["result"], "unlocked");
        assert_eq!(done.result()["recovery"], "unlockAccount");
        done.assert_no_secrets();

        // The demo user has no MFA: unlocked, the password alone signs in.
        let again = common::signin(&org, LOCKED_USER, &["--json"]).finish();
        assert_eq!(
            again.code(),
            0,
            "{engine:?}: still locked: {}",
            again.stdout
        );
    }
}

/// A new password the org's policy refuses: in a script, the refusal ends the run (exit 3,
/// Okta's reason); on the next run the accepted one goes through.
#[test]
fn a_new_password_refused_by_policy_exits_3_then_one_accepted_signs_in() {
    for (engine, engine_args) in engines() {
        let org = org(engine);
        let run = |new_password: &str| {
            let mut extra = vec!["--factor", "sms", "--code-stdin", "--new-password-stdin"];
            extra.extend_from_slice(engine_args);
            let mut cli = recover("recover-password", &org, SMS_RECOVERY_USER, &extra);
            cli.wait_for_stage("needsCode");
            cli.write_line(&newest(&org, SMS_RECOVERY_USER, "sms").code);
            loop {
                let event = cli.next_event().expect("a stage");
                match event["stage"].as_str().unwrap_or("") {
                    "needsAnswer" => cli.write_line(SECURITY_ANSWER),
                    "needsNewPassword" => break,
                    "failed" => panic!("{engine:?}: {event}"),
                    _ => {}
                }
            }
            cli.write_line(new_password);
            cli.finish()
        };
        let refused = run(REFUSED_PASSWORD);
        assert_eq!(
            refused.code(),
            3,
            "{engine:?}:\n{}\n{}",
            refused.stdout,
            refused.stderr
        );
        assert_eq!(refused.result()["kind"], "password_change_rejected");
        assert!(
            refused
                .events
                .iter()
                .any(|event| event["stage"] == "needsNewPassword"
                    && event["lastError"]["kind"] == "password_change_rejected"),
            "{engine:?}: the refusal came back on the stage: {}",
            refused.stdout
        );
        let accepted = run(NEW_PASSWORD);
        assert_eq!(accepted.code(), 0, "{engine:?}: {}", accepted.stdout);
    }
}

/// An org that keeps resets and unlocks to its help desk: exit 3 with the kind and a
/// message that names the help desk, on both commands.
#[test]
fn self_service_not_allowed_exits_3_and_points_to_the_help_desk() {
    for (engine, engine_args) in engines() {
        let org = Org::start_with(DemoOrgConfig {
            engine,
            self_service_recovery: false,
            ..DemoOrgConfig::default()
        });
        for command in ["recover-password", "unlock"] {
            // Classic needs the factor before Okta says anything, so a script names one.
            let mut extra = vec!["--code-stdin", "--factor", "email"];
            extra.extend_from_slice(engine_args);
            let done = recover(command, &org, NO_SELF_SERVICE_USER, &extra).finish();
            assert_eq!(
                done.code(),
                3,
                "{engine:?} {command}:\n{}\n{}",
                done.stdout,
                done.stderr
            );
            let result = done.result();
            assert_eq!(result["kind"], "self_service_not_allowed", "{result}");
            assert!(
                result["message"]
                    .as_str()
                    .is_some_and(|message| message.contains("help desk")),
                "{result}"
            );
        }
    }
}

/// A script without `--new-password-stdin` cannot give a new password: exit 2, and the
/// recovery is cancelled with Okta.
#[test]
fn a_script_without_new_password_stdin_is_told_how_to_give_one() {
    let org = org(DemoEngine::Classic);
    let mut cli = recover(
        "recover-password",
        &org,
        SMS_RECOVERY_USER,
        &["--factor", "sms", "--code-stdin"],
    );
    cli.wait_for_stage("needsCode");
    cli.write_line(&newest(&org, SMS_RECOVERY_USER, "sms").code);
    loop {
        let event = cli.next_event().expect("a stage");
        match event["stage"].as_str().unwrap_or("") {
            "needsAnswer" => cli.write_line(SECURITY_ANSWER),
            "needsNewPassword" => break,
            "failed" => panic!("{event}"),
            _ => {}
        }
    }
    let done = cli.finish();
    assert_eq!(done.code(), 2, "{}\n{}", done.stdout, done.stderr);
    assert!(
        done.result()["message"]
            .as_str()
            .is_some_and(|message| message.contains("--new-password-stdin")),
        "{}",
        done.stdout
    );
}
