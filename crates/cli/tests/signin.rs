//! `oktadesk-cli signin` end to end: the real binary against the demo org, the virtual
//! phone answering, the `--json` stream parsed, exit codes checked.

mod common;

use std::time::Duration;

use common::{DEMO_PASSWORD, Org, signin, spawn};
use oktadesk_demo_org::{DemoOrgConfig, ScanOutcome};
use serde_json::Value;

fn stages(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .filter_map(|event| event["stage"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn push_approved_on_the_phone_signs_in_with_a_json_stream() {
    let org = Org::start();
    let mut cli = signin(&org, "push@demo.test", &["--json"]);
    let sent = cli.wait_for_stage("pushSent");
    assert!(sent["atMs"].is_u64(), "{sent}");
    org.phone("push@demo.test")
        .approve(None)
        .expect("a push waits");
    let done = cli.finish();
    assert_eq!(done.code(), 0, "{}\n{}", done.stdout, done.stderr);
    let result = done.result();
    assert_eq!(result["result"], "success");
    assert_eq!(result["exitCode"], 0);
    assert_eq!(result["user"]["login"], "push@demo.test");
    assert_eq!(result["org"], org.url);
    assert!(result.get("sessionToken").is_none(), "{result}");
    let seen = stages(&done.events);
    assert_eq!(seen.last().map(String::as_str), Some("success"), "{seen:?}");
    // Every line is one JSON object; stderr stays quiet in --json mode.
    done.assert_json_lines();
    assert!(done.stderr.trim().is_empty(), "{}", done.stderr);
    done.assert_no_secrets();
}

#[test]
fn a_rejected_push_exits_4_and_cancels_the_transaction() {
    let org = Org::start();
    let mut cli = signin(&org, "push@demo.test", &["--json"]);
    cli.wait_for_stage("pushSent");
    org.phone("push@demo.test").reject().expect("a push waits");
    let rejected = cli.wait_for_stage("pushRejected");
    assert_eq!(rejected["error"]["kind"], "mfa_rejected");
    let done = cli.finish();
    assert_eq!(done.code(), 4, "{}", done.stdout);
    assert_eq!(done.result()["kind"], "mfa_rejected");
    assert_eq!(done.result()["exitCode"], 4);
    assert_eq!(org.stats().transactions, 0, "the transaction was cancelled");
    done.assert_no_secrets();
}

#[test]
fn an_unanswered_push_times_out_with_exit_4() {
    // Shorter than the state token's life, so the push (not the transaction) times out.
    let push_lifetime = Duration::from_secs(60);
    let org = Org::start_with(DemoOrgConfig {
        push_lifetime,
        ..DemoOrgConfig::default()
    });
    let mut cli = signin(&org, "push@demo.test", &["--json"]);
    cli.wait_for_stage("pushSent");
    org.advance_clock(push_lifetime + Duration::from_secs(1));
    cli.wait_for_stage("pushTimedOut");
    let done = cli.finish();
    assert_eq!(done.code(), 4, "{}", done.stdout);
    assert_eq!(done.result()["kind"], "mfa_timeout");
}

#[test]
fn the_number_challenge_is_shown_and_tapped() {
    let org = Org::start();
    let mut cli = signin(&org, "number@demo.test", &["--json"]);
    let challenge = cli.wait_for_stage("numberChallenge");
    let number = challenge["number"].as_u64().expect("a number") as u8;
    let view = org.phone("number@demo.test").view().unwrap();
    let numbers = view
        .pending_push
        .and_then(|push| push.numbers)
        .expect("three numbers");
    assert!(numbers.contains(&number), "{number} among {numbers:?}");
    org.phone("number@demo.test").approve(Some(number)).unwrap();
    let done = cli.finish();
    assert_eq!(done.code(), 0, "{}", done.stdout);
    assert_eq!(done.result()["result"], "success");
}

#[test]
fn number_challenge_in_human_mode_says_which_number_to_tap() {
    let org = Org::start();
    let mut cli = signin(&org, "number@demo.test", &[]);
    let line = cli.wait_for_stderr("tap ");
    let number: u8 = line
        .split("tap ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no number in {line:?}"));
    org.phone("number@demo.test").approve(Some(number)).unwrap();
    let done = cli.finish();
    assert_eq!(done.code(), 0, "{}", done.stderr);
    assert!(
        done.stderr.contains("Signed in as Nora Number"),
        "{}",
        done.stderr
    );
    // Not a terminal: no colours, no spinner frames.
    assert!(!done.stderr.contains('\u{1b}'), "{:?}", done.stderr);
    assert!(
        done.stdout.is_empty(),
        "stdout is for data only: {}",
        done.stdout
    );
    done.assert_no_secrets();
}

#[test]
fn totp_code_read_from_stdin_after_the_password() {
    let org = Org::start();
    let mut cli = signin(&org, "totp@demo.test", &["--json"]);
    let needs = cli.wait_for_stage("needsCode");
    assert_eq!(needs["purpose"], "verify");
    let view = org.phone("totp@demo.test").view().unwrap();
    let code = view
        .codes
        .first()
        .expect("the phone shows a code")
        .code
        .clone();
    cli.write_line(&code);
    let done = cli.finish();
    assert_eq!(done.code(), 0, "{}", done.stdout);
    assert_eq!(done.result()["user"]["login"], "totp@demo.test");
    assert!(!done.stdout.contains(&code), "the code was echoed");
}

#[test]
fn a_wrong_code_then_no_more_input_exits_4() {
    let org = Org::start();
    let mut cli = signin(&org, "totp@demo.test", &["--json"]);
    cli.wait_for_stage("needsCode");
    cli.write_line("000000");
    let again = cli.wait_for_stage("needsCode");
    assert_eq!(again["lastError"]["kind"], "invalid_code", "{again}");
    let done = cli.finish();
    assert_eq!(done.code(), 4, "{}", done.stdout);
    assert_eq!(done.result()["kind"], "invalid_code");
}

#[test]
fn wrong_password_exits_3() {
    let org = Org::start();
    let mut cli = spawn(
        &[
            "signin",
            "--org",
            &org.url,
            "--user",
            "push@demo.test",
            "--password-stdin",
            "--json",
        ],
        &[],
    );
    cli.write_line("not-the-password");
    let done = cli.finish();
    assert_eq!(done.code(), 3, "{}", done.stdout);
    let result = done.result();
    assert_eq!(result["kind"], "credentials");
    assert!(
        result["message"]
            .as_str()
            .unwrap()
            .contains("did not accept this username and password")
    );
    assert!(!done.stdout.contains("not-the-password"));
}

#[test]
fn a_locked_account_exits_3_whether_the_org_hides_or_shows_lockout() {
    // Hidden (Okta's default): the wrong-password answer, worded so as not to blame the password.
    let org = Org::start();
    let done = signin(&org, "locked@demo.test", &["--json"]).finish();
    assert_eq!(done.code(), 3, "{}", done.stdout);
    assert_eq!(done.result()["kind"], "credentials");
    assert!(
        done.result()["message"]
            .as_str()
            .unwrap()
            .contains("locked")
    );
    // Shown: the lockout itself, with the way to unlock it.
    let org = Org::start_with(DemoOrgConfig {
        reveal_lockout: true,
        ..DemoOrgConfig::default()
    });
    let mut cli = signin(&org, "locked@demo.test", &["--json"]);
    let locked = cli.wait_for_stage("lockedOut");
    assert!(
        locked["message"]
            .as_str()
            .unwrap()
            .contains("Unlock account"),
        "{locked}"
    );
    let done = cli.finish();
    assert_eq!(done.code(), 3, "{}", done.stdout);
    assert_eq!(done.result()["kind"], "locked_out");
}

// Ctrl-C as the terminal sends it, SIGINT; Windows has no signal to send another process.
#[cfg(unix)]
#[test]
fn ctrl_c_cancels_the_transaction_on_the_server() {
    let org = Org::start();
    let mut cli = signin(&org, "push@demo.test", &["--json"]);
    cli.wait_for_stage("pushSent");
    assert_eq!(org.stats().transactions, 1);
    assert!(
        org.phone("push@demo.test")
            .view()
            .unwrap()
            .pending_push
            .is_some()
    );

    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(cli.pid() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .expect("SIGINT sent");
    let done = cli.finish();
    assert_eq!(done.code(), 4, "{}\n{}", done.stdout, done.stderr);
    assert_eq!(done.result()["kind"], "cancelled");
    assert!(
        stages(&done.events).iter().any(|stage| stage == "failed"),
        "the engine confirmed: {:?}",
        done.events
    );
    // POST /api/v1/authn/cancel reached the org: the transaction and its push are gone.
    assert_eq!(org.stats().transactions, 0);
    assert!(
        org.phone("push@demo.test")
            .view()
            .unwrap()
            .pending_push
            .is_none()
    );
}

#[test]
fn enrollment_completes_when_the_phone_activates_by_itself() {
    let org = Org::start_with(DemoOrgConfig {
        auto_approve: Some(Duration::from_millis(500)),
        ..DemoOrgConfig::default()
    });
    let mut cli = signin(&org, "enroll@demo.test", &["--json"]);
    let qr = cli.wait_for_stage("enrollQr");
    assert_eq!(qr["factor"], "push");
    assert_eq!(qr["uriKind"], "oktaVerify");
    assert!(qr["expiresInSeconds"].as_u64().unwrap() > 0, "{qr}");
    for drawing in ["svg", "terminal", "pngDataUrl"] {
        assert!(
            qr.get(drawing).is_none(),
            "the QR drawing is a credential: {qr}"
        );
    }
    let done = cli.finish();
    assert_eq!(done.code(), 0, "{}", done.stdout);
    let active = org.phone("enroll@demo.test").view().unwrap();
    assert!(
        active
            .factors
            .iter()
            .any(|f| f.factor_type == "push" && f.status == "ACTIVE")
    );
}

/// The QR drawn in the terminal is what a phone scans: read the half blocks back into an
/// image and let the virtual phone scan it.
#[test]
fn enrollment_qr_drawn_in_the_terminal_is_scanned_by_the_phone() {
    let org = Org::start();
    let mut cli = signin(&org, "enroll@demo.test", &[]);
    cli.wait_for_stderr("scan this QR code");
    let png = common::qr_from_stderr(&mut cli);
    let outcome = org
        .phone("enroll@demo.test")
        .scan(&png)
        .expect("the phone reads it");
    assert!(
        matches!(outcome, ScanOutcome::PushActivated { .. }),
        "{outcome:?}"
    );
    let done = cli.finish();
    assert_eq!(done.code(), 0, "{}", done.stderr);
    assert!(
        done.stderr.contains("Signed in as Erin Enroll"),
        "{}",
        done.stderr
    );
    done.assert_no_secrets();
}

#[test]
fn print_session_token_is_the_only_way_a_token_is_shown() {
    let org = Org::start();
    let done = signin(&org, "nomfa@demo.test", &["--print-session-token"]).finish();
    assert_eq!(done.code(), 0, "{}", done.stderr);
    let token = done.stdout.trim();
    assert!(token.contains(common::TOKEN_MARKER), "{token:?}");
    assert!(!done.stderr.contains(common::TOKEN_MARKER));

    let done = signin(
        &org,
        "nomfa@demo.test",
        &["--json", "--print-session-token"],
    )
    .finish();
    let token = done.result()["sessionToken"].as_str().expect("a token");
    assert!(token.contains(common::TOKEN_MARKER));
}

#[test]
fn several_factors_in_a_script_need_factor() {
    let org = Org::start();
    let done = signin(&org, "multi@demo.test", &["--json"]).finish();
    assert_eq!(done.code(), 2, "{}", done.stdout);
    assert!(
        done.result()["message"]
            .as_str()
            .unwrap()
            .contains("--factor")
    );
    assert_eq!(org.stats().transactions, 0, "cancelled on the server");

    let mut cli = signin(&org, "multi@demo.test", &["--json", "--factor", "push"]);
    cli.wait_for_stage("pushSent");
    org.phone("multi@demo.test").approve(None).unwrap();
    assert_eq!(cli.finish().code(), 0);
}

#[test]
fn usage_errors_exit_2() {
    let missing = common::cli()
        .args(["signin", "--user", "a@b.c"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("--org"));

    let insecure = common::cli()
        .args([
            "signin",
            "--org",
            "http://acme.example.com",
            "--user",
            "a",
            "--password-stdin",
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(insecure.status.code(), Some(2));
    let result: Value = serde_json::from_slice(&insecure.stdout).unwrap();
    assert_eq!(result["kind"], "invalid_org_url");
}

#[test]
fn an_unreachable_org_exits_5_and_a_transcript_says_why() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let dir = tempfile::tempdir().unwrap();
    let transcript = dir.path().join("signin.json");
    let org = format!("http://127.0.0.1:{port}");
    let mut cli = spawn(
        &[
            "signin",
            "--org",
            &org,
            "--user",
            "a@b.c",
            "--password-stdin",
            "--json",
            "--transcript",
            transcript.to_str().unwrap(),
        ],
        &[],
    );
    cli.write_line(DEMO_PASSWORD);
    let done = cli.finish();
    assert_eq!(done.code(), 5, "{}", done.stdout);
    assert_eq!(done.result()["kind"], "network");
    let saved: Value = serde_json::from_slice(&std::fs::read(&transcript).unwrap()).unwrap();
    assert_eq!(saved[0]["path"], "/api/v1/authn");
    assert!(saved[0]["httpStatus"].is_null());
    assert!(
        !std::fs::read_to_string(&transcript)
            .unwrap()
            .contains(DEMO_PASSWORD)
    );
}

#[test]
fn version_and_completions() {
    let version = common::cli().arg("--version").output().unwrap();
    assert!(version.status.success());
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("oktadesk-cli "));
    let bash = common::cli()
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert!(bash.status.success());
    let script = String::from_utf8_lossy(&bash.stdout);
    assert!(
        script.contains("signin") && script.contains("--password-stdin"),
        "{script}"
    );
}

/// Defect 12: a first SIGTERM ends the CLI within a couple of seconds even while it waits
/// out a rate limit, after one bounded attempt to cancel with Okta.
#[cfg(unix)]
#[test]
fn sigterm_ends_a_rate_limit_wait_at_once_after_cancelling_with_okta() {
    use oktadesk_replay::{Answer, Okta, Script};
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let verify = "/api/v1/authn/factors/opfReplayPush/verify";
    let script = Script::new()
        .then(
            "GET",
            "/.well-known/okta-organization",
            Answer::json(
                200,
                serde_json::json!({"id": "00oReplayOrg", "pipeline": "v1"}),
            ),
        )
        .post("/api/v1/authn", "authn/mfa-required-push")
        // Okta keeps the push step rate-limited, its window resetting in 50 s each time.
        .then(
            "POST",
            verify,
            Answer::recorded("authn/error-rate-limited").header("x-rate-limit-reset", "{{now+50}}"),
        )
        .repeat(4)
        .post("/api/v1/authn/cancel", "authn/cancel");
    let okta = runtime.block_on(Okta::start(script));
    let args = [
        "signin",
        "--org",
        okta.origin(),
        "--user",
        "ada@example.com",
        "--password-stdin",
        "--engine",
        "classic",
        "--factor",
        "push",
        "--json",
    ];
    let mut cli = spawn(&args, &[]);
    cli.write_line("replay-password-SECRET");
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while okta.to(verify).is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "the push was never sent"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    let signalled = std::time::Instant::now();
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(cli.pid() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .expect("SIGTERM sent");
    let done = cli.finish();
    let took = signalled.elapsed();
    assert!(
        took < Duration::from_secs(4),
        "SIGTERM took {took:?} to end the CLI"
    );
    assert_eq!(done.code(), 4, "{}\n{}", done.stdout, done.stderr);
    assert_eq!(done.result()["kind"], "cancelled");
    let cancels = okta.to("/api/v1/authn/cancel");
    assert_eq!(cancels.len(), 1, "{:?}", okta.lines());
    assert_eq!(cancels[0].json()["stateToken"], "replay-state-token-SECRET");
    assert_eq!(
        okta.to(verify).len(),
        1,
        "no request after the stop: {:?}",
        okta.lines()
    );
    drop(okta);
}
