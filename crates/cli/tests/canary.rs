//! The CLI's secrets canary: every sign-in path (push, enrollment, code, no MFA; `--json` and
//! the human output; `--transcript`; `--remember` into a real Secret Service; signing in again
//! from the keychain) runs with a recognisable password, against a Classic and an Identity
//! Engine demo org whose every token carries a marker (IDX interaction and state handles,
//! interaction codes and tokens too), with trace logging on. Then everything the CLI wrote is scanned:
//! stdout, stderr (where the logs go), the transcript files and the keychain items as
//! `secret-tool` reads them back. Neither the password nor any token may appear.

// The Linux desktop session these tests start (oktadesk-testenv: D-Bus, gnome-keyring, a
// notification server) exists only there; docs/platforms.md says what runs where.
#![cfg(target_os = "linux")]

mod common;

use std::ffi::OsString;
use std::path::Path;
use std::time::Duration;

use common::{Finished, Org, TOKEN_MARKER, spawn};
use oktadesk_demo_org::{DEMO_OIDC_CLIENT_ID, DemoEngine, DemoOrgConfig};
use oktadesk_testenv::{Environment, LeakScan};

/// The password every demo user gets here: unlike the usual demo password, nothing else in
/// the CLI's world could produce it.
const CANARY_PASSWORD: &str = "Canary-Pw-4f9e2c71!";

/// A user for each path: push, enrollment (its second sign-in is a push to the phone it
/// enrolled), a six-digit code, no MFA.
const LOGINS: [&str; 4] = [
    "push@demo.test",
    "enroll@demo.test",
    "totp@demo.test",
    "nomfa@demo.test",
];

/// Everything the CLI runs wrote, with the CLI's own kinds of output.
struct Scan(LeakScan);

impl Scan {
    fn new() -> Self {
        Self(LeakScan::new())
    }

    fn output(&mut self, what: &str, done: &Finished) {
        self.add(format!("{what}: stdout"), done.stdout.clone());
        self.add(format!("{what}: stderr"), done.stderr.clone());
    }

    fn file(&mut self, what: &str, path: &Path) {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|error| panic!("{what}: {} was not written: {error}", path.display()));
        assert!(!text.trim().is_empty(), "{what}: the transcript is empty");
        self.add(what.to_owned(), text);
    }

    fn add(&mut self, what: String, text: String) {
        self.0.add(what, text);
    }

    fn assert_clean(&self) {
        self.0
            .assert_clean(&[(CANARY_PASSWORD, "the password"), (TOKEN_MARKER, "a token")]);
    }
}

/// `signin ARGS --password-stdin` with the canary password (and `then`, the code prompt's
/// answer, if any) on stdin, trace logs on, the keychain of `env`.
fn sign_in(env: &[(OsString, OsString)], args: &[&str], then: Option<String>) -> Finished {
    let mut all = vec!["signin"];
    all.extend_from_slice(args);
    all.push("--password-stdin");
    let mut cli = spawn(&all, &traced(env));
    cli.write_line(CANARY_PASSWORD);
    // Later stdin lines answer the code prompt; the code is valid for this 30 s step and the
    // next, far longer than the CLI takes to ask for it.
    if let Some(line) = then {
        cli.write_line(&line);
    }
    let done = cli.finish();
    assert_eq!(
        done.code(),
        0,
        "signin {args:?}:\n{}\n{}",
        done.stdout,
        done.stderr
    );
    // Trace logging really ran, or the scan of stderr proves nothing.
    assert!(
        done.stderr.contains("TRACE") && done.stderr.contains("DEBUG"),
        "signin {args:?}: no trace logs on stderr:\n{}",
        done.stderr
    );
    done
}

/// Trace level for everything: the CLI's own spans, the core, and the HTTP and TLS stack.
fn traced(env: &[(OsString, OsString)]) -> Vec<(OsString, OsString)> {
    let mut env = env.to_vec();
    env.push(("RUST_LOG".into(), "trace".into()));
    env
}

fn current_code(org: &Org, login: &str) -> String {
    let view = org.phone(login).view().expect("phone view");
    view.codes
        .first()
        .expect("the phone shows a code")
        .code
        .clone()
}

#[test]
fn no_password_or_token_in_anything_the_cli_writes() {
    let keyring = Environment::start().expect("private bus and keyring start");
    let env = keyring.env_vars();
    // The phone approves pushes and activations by itself, so every flow runs unattended.
    let config = DemoOrgConfig {
        password: CANARY_PASSWORD.to_owned(),
        auto_approve: Some(Duration::from_millis(300)),
        ..DemoOrgConfig::default()
    };
    let classic = Org::start_with(config.clone());
    let identity_engine = Org::start_with(DemoOrgConfig {
        engine: DemoEngine::IdentityEngine,
        ..config
    });
    let dir = tempfile::tempdir().unwrap();
    let mut scan = Scan::new();

    let orgs: [(&Org, &str, &[&str]); 2] = [
        (&classic, "classic", &[]),
        (
            &identity_engine,
            "idx",
            &["--client-id", DEMO_OIDC_CLIENT_ID],
        ),
    ];
    for (org, engine, engine_args) in orgs {
        for login in LOGINS {
            for (mode, extension) in [("json", "json"), ("human", "txt")] {
                let transcript = dir
                    .path()
                    .join(format!("{engine}-{login}-{mode}.{extension}"));
                let mut args = vec![
                    "--org",
                    &org.url,
                    "--user",
                    login,
                    "--remember",
                    "--transcript",
                    transcript.to_str().unwrap(),
                ];
                args.extend_from_slice(engine_args);
                if mode == "json" {
                    args.push("--json");
                }
                let code = (login == "totp@demo.test").then(|| {
                    // A code is good once: move the org (and its phone) to the next 30 s step.
                    org.advance_clock(Duration::from_secs(30));
                    current_code(org, login)
                });
                let done = sign_in(&env, &args, code);
                scan.output(&format!("signin {login} ({engine}, {mode})"), &done);
                scan.file(
                    &format!("the transcript of {login} ({engine}, {mode})"),
                    &transcript,
                );
            }
        }

        // Signing in again from the keychain goes through what --remember stored (for the
        // Identity Engine org, its OktaDesk app too). The id tells the two orgs' accounts apart.
        let account = format!("nomfa@demo.test at {}", org.url);
        for mode in [&["--json"][..], &[]] {
            let mut args = vec!["--account", account.as_str()];
            args.extend_from_slice(mode);
            let done = sign_in(&env, &args, None);
            scan.output(&format!("signin --account {mode:?} ({engine})"), &done);
        }
    }

    let keychain = keyring
        .secrets()
        .secret_tool(&[
            "search",
            "--all",
            "--unlock",
            "service",
            oktadesk_accounts::SERVICE,
        ])
        .expect("secret-tool reads the keychain");
    for login in LOGINS {
        assert!(
            keychain.contains(login),
            "{login} was not remembered, so the keychain scan proves nothing:\n{keychain}"
        );
    }
    // The device cookie Okta set is kept there on purpose; everything else in it is scanned.
    let (keychain, device_cookies) = oktadesk_testenv::without_device_cookies(&keychain);
    assert!(device_cookies > 0, "no device cookie was kept:\n{keychain}");
    scan.add("the keychain (secret-tool search --all)".into(), keychain);
    scan.assert_clean();
    // The IDX sign-ins' PKCE verifiers, made by the CLI itself, cannot carry the org's marker:
    // the org says which ones it was sent, and none of them may show anywhere either.
    let verifiers = identity_engine.pkce_verifiers_seen();
    assert!(
        verifiers.len() >= LOGINS.len(),
        "{} verifiers",
        verifiers.len()
    );
    for verifier in &verifiers {
        scan.0
            .assert_clean(&[(verifier.as_str(), "a PKCE verifier")]);
    }
}

/// The new password a recovery sets in the canary test: nothing else could print it.
const CANARY_NEW_PASSWORD: &str = "Canary-New-Pw-8c1d0a53!";
/// Every demo security question's answer (as the demo org seeds it).
const DEMO_SECURITY_ANSWER: &str = "blue cheese";
/// The demo user who recovers by text, then (on Classic) his recovery question.
const RECOVERY_USER: &str = "recover@demo.test";

/// `recover-password` (by an SMS code and the security question, then the new password) and
/// `unlock` (by the emailed link) on both engines, with trace logs, `--json` and the human
/// output, and `--transcript`: neither the new password, the answer, the codes, the recovery
/// link nor a token may show in anything the CLI wrote.
#[test]
fn no_recovery_secret_in_anything_the_cli_writes() {
    let dir = tempfile::tempdir().unwrap();
    let mut scan = Scan::new();
    let mut sent: Vec<String> = Vec::new();
    for (engine, engine_args) in [
        (DemoEngine::Classic, &[][..]),
        (
            DemoEngine::IdentityEngine,
            &["--client-id", DEMO_OIDC_CLIENT_ID][..],
        ),
    ] {
        for json in [true, false] {
            let org = Org::start_with(DemoOrgConfig {
                password: CANARY_PASSWORD.to_owned(),
                engine,
                ..DemoOrgConfig::default()
            });
            let transcript = dir.path().join(format!("recover-{engine:?}-{json}.txt"));
            let mut args = vec![
                "recover-password",
                "--org",
                &org.url,
                "--user",
                RECOVERY_USER,
                "--factor",
                "sms",
                "--code-stdin",
                "--new-password-stdin",
                "--transcript",
                transcript.to_str().unwrap(),
            ];
            args.extend_from_slice(engine_args);
            if json {
                args.push("--json");
            }
            let mut cli = spawn(&args, &traced(&[]));
            // Each answer once Okta asks for it: the code when it is in the inbox, then the
            // answer and the new password (their prompts are on stderr without --json).
            let code = wait_for_message(&org, RECOVERY_USER, "sms").code;
            cli.write_line(&code);
            // Only Classic asks the recovery question here.
            if engine == DemoEngine::Classic {
                cli.write_line(DEMO_SECURITY_ANSWER);
            }
            cli.write_line(CANARY_NEW_PASSWORD);
            let done = cli.finish();
            assert_eq!(
                done.code(),
                0,
                "{engine:?}:\n{}\n{}",
                done.stdout,
                done.stderr
            );
            sent.push(code);
            scan.output(
                &format!("recover-password ({engine:?}, json: {json})"),
                &done,
            );
            scan.file(
                &format!("the recovery transcript ({engine:?}, json: {json})"),
                &transcript,
            );

            let mut unlock = vec![
                "unlock",
                "--org",
                &org.url,
                "--user",
                "locked@demo.test",
                "--factor",
                "email",
                "--code-stdin",
            ];
            unlock.extend_from_slice(engine_args);
            if json {
                unlock.push("--json");
            }
            let mut cli = spawn(&unlock, &traced(&[]));
            let message = wait_for_message(&org, "locked@demo.test", "email");
            let link = message.link.clone().unwrap_or(message.code.clone());
            cli.write_line(&link);
            let done = cli.finish();
            assert_eq!(
                done.code(),
                0,
                "{engine:?}:\n{}\n{}",
                done.stdout,
                done.stderr
            );
            sent.push(link);
            scan.output(&format!("unlock ({engine:?}, json: {json})"), &done);
        }
    }
    scan.assert_clean();
    scan.0.assert_clean(&[
        (CANARY_NEW_PASSWORD, "the new password"),
        (DEMO_SECURITY_ANSWER, "the security answer"),
    ]);
    for secret in &sent {
        scan.0
            .assert_clean(&[(secret.as_str(), "a recovery code or link")]);
    }
}

/// The newest `channel` message the org sent `login`, once there is one.
fn wait_for_message(org: &Org, login: &str, channel: &str) -> oktadesk_demo_org::InboxMessage {
    let started = std::time::Instant::now();
    loop {
        let inbox = org.phone(login).view().expect("phone view").inbox;
        if let Some(message) = inbox.iter().rev().find(|m| m.channel == channel) {
            return message.clone();
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no {channel} message for {login}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// `doctor` reports the proxy for help-desk tickets, never who logs in to it: with or without
/// a scheme (`alice:PASSWORD@host:port` is an http proxy to the HTTP stack).
#[test]
fn doctor_never_prints_a_proxy_password() {
    let mut scan = Scan::new();
    for (form, proxy) in [
        (
            "no scheme",
            format!("canary-user:{CANARY_PASSWORD}@127.0.0.1:9"),
        ),
        (
            "http://",
            format!("http://canary-user:{CANARY_PASSWORD}@127.0.0.1:9"),
        ),
    ] {
        for json in [false, true] {
            let mut args = vec!["doctor", "--org", "acme.invalid"];
            if json {
                args.push("--json");
            }
            let env = [(OsString::from("HTTPS_PROXY"), OsString::from(&proxy))];
            let done = spawn(&args, &env).finish();
            // The report goes to stdout with --json, to stderr for people.
            let report = format!("{}\n{}", done.stdout, done.stderr);
            assert!(
                report.contains("127.0.0.1:9"),
                "the proxy was not reported, so the scan proves nothing:\n{report}"
            );
            assert!(!report.contains("canary-user"), "{report}");
            scan.output(&format!("doctor (json: {json}, proxy with {form})"), &done);
        }
    }
    scan.assert_clean();
}

/// `--print-session-token` is the one deliberate way out for a token: it prints it on stdout
/// when asked, and even then nowhere else (not in the trace logs).
#[test]
fn print_session_token_shows_the_token_on_stdout_only_when_asked() {
    let org = Org::start_with(DemoOrgConfig {
        password: CANARY_PASSWORD.to_owned(),
        ..DemoOrgConfig::default()
    });
    let base = ["--org", org.url.as_str(), "--user", "nomfa@demo.test"];

    let mut args = base.to_vec();
    args.push("--print-session-token");
    let done = sign_in(&[], &args, None);
    let token = done.stdout.trim();
    assert!(
        token.contains(TOKEN_MARKER) && !token.contains(char::is_whitespace),
        "stdout is the token alone: {:?}",
        done.stdout
    );
    let mut scan = Scan::new();
    scan.add("stderr with --print-session-token".into(), done.stderr);
    scan.add(
        "stdout with --print-session-token, the token taken out".into(),
        done.stdout.replacen(token, "", 1),
    );

    let mut args = base.to_vec();
    args.extend(["--json", "--print-session-token"]);
    let done = sign_in(&[], &args, None);
    let result = done.result();
    let token = result["sessionToken"]
        .as_str()
        .expect("the token in the result");
    assert!(token.contains(TOKEN_MARKER), "{result}");
    scan.add(
        "stderr with --json --print-session-token".into(),
        done.stderr.clone(),
    );
    scan.add(
        "stdout with --json --print-session-token, the token taken out".into(),
        done.stdout.replacen(token, "", 1),
    );

    let done = sign_in(&[], &base, None);
    scan.output("signin without --print-session-token", &done);
    scan.assert_clean();
}
