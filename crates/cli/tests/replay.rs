//! `oktadesk-cli signin --engine idx` against Okta's recorded answers (`oktadesk-replay`):
//! the exit codes and wording a person or a script sees where our demo org would not say the
//! same as Okta.

mod common;

use std::ffi::OsString;

use common::{Running, spawn};
use oktadesk_replay::{Answer, Okta, Script};
use serde_json::json;

const PASSWORD: &str = "replay-password-SECRET";

/// The CLI first asks which engine the org runs (`--engine` then overrides it), then IDX
/// starts.
fn idx_start(first: &str) -> Script {
    Script::new()
        .then(
            "GET",
            "/.well-known/okta-organization",
            Answer::json(200, json!({"id": "00oReplayOrg", "pipeline": "idx"})),
        )
        .post("/oauth2/default/v1/interact", "idx/interact")
        .post("/idp/idx/introspect", first)
}

/// The scripted Okta on its own thread's runtime, so the CLI's blocking helpers can wait.
fn start(script: Script) -> (Okta, tokio::runtime::Runtime) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let okta = runtime.block_on(Okta::start(script));
    (okta, runtime)
}

fn signin(okta: &Okta, login: &str, extra: &[&str]) -> Running {
    let mut args = vec![
        "signin",
        "--org",
        okta.origin(),
        "--user",
        login,
        "--password-stdin",
        "--engine",
        "idx",
        "--client-id",
        "0oaReplayApp",
        "--json",
    ];
    args.extend_from_slice(extra);
    let none: [(OsString, OsString); 0] = [];
    let mut running = spawn(&args, &none);
    running.write_line(PASSWORD);
    running
}

#[test]
fn an_unknown_username_exits_3_naming_it_after_one_identify() {
    let (okta, _runtime) = start(
        idx_start("idx/identify").post("/idp/idx/identify", "idx/identify-unknown-user-info"),
    );
    let cli = signin(&okta, "nobody@example.com", &[]);
    let done = cli.finish();
    assert_eq!(done.code(), 3, "{}\n{}", done.stdout, done.stderr);
    assert!(
        done.stdout.contains("nobody@example.com") || done.stderr.contains("nobody@example.com"),
        "{}\n{}",
        done.stdout,
        done.stderr
    );
    assert_eq!(okta.to("/idp/idx/identify").len(), 1);
    let strays: Vec<String> = okta.strays().iter().map(|r| r.line()).collect();
    assert!(strays.is_empty(), "{strays:?} of {:?}", okta.lines());
    assert!(!done.stdout.contains("SECRET") && !done.stderr.contains("SECRET"));
}

#[test]
fn a_wrong_authenticator_app_code_is_asked_again_as_a_refused_code() {
    let (okta, _runtime) = start(idx_start("idx/google-otp-challenge").post(
        "/idp/idx/challenge/answer",
        "idx/google-otp-invalid-passcode",
    ));
    let mut cli = signin(&okta, "ada@example.com", &[]);
    cli.wait_for_stage("needsCode");
    cli.write_line("123456");
    let again = cli.wait_for_stage("needsCode");
    assert_eq!(again["lastError"]["kind"], "invalid_code", "{again}");
    let done = cli.finish();
    // No more codes: the sign-in ends as a second factor that did not succeed.
    assert_eq!(done.code(), 4, "{}\n{}", done.stdout, done.stderr);
    assert!(!done.stdout.contains("SECRET") && !done.stderr.contains("SECRET"));
}

#[test]
fn an_expired_push_exits_4_as_timed_out_without_the_help_desk() {
    let (okta, _runtime) = start(idx_start("idx/okta-verify-push").post(
        "/idp/idx/authenticators/poll",
        "idx/okta-verify-push-expired",
    ));
    let mut cli = signin(&okta, "ada@example.com", &[]);
    cli.wait_for_stage("pushSent");
    let ended = cli.wait_for_stage("pushTimedOut");
    assert_eq!(ended["error"]["kind"], "mfa_timeout", "{ended}");
    let done = cli.finish();
    assert_eq!(done.code(), 4, "{}\n{}", done.stdout, done.stderr);
    assert!(!done.stdout.contains("help desk"), "{}", done.stdout);
    assert!(!done.stderr.contains("help desk"), "{}", done.stderr);
}
