//! `oktadesk-cli signin` with security questions, authenticator apps, hardware tokens, and
//! factors only the browser can do, end to end against the demo org.

mod common;

use common::{Org, signin};
use oktadesk_demo_org::{DEMO_SECURITY_ANSWER, ScanOutcome};

fn phone_code(org: &Org, login: &str, issuer: &str) -> String {
    let view = org.phone(login).view().expect("phone view");
    view.codes
        .iter()
        .find(|code| code.issuer.contains(issuer))
        .unwrap_or_else(|| panic!("no {issuer} code: {:?}", view.codes))
        .code
        .clone()
}

#[test]
fn a_security_question_is_answered_from_stdin() {
    let org = Org::start();
    let mut cli = signin(
        &org,
        "question@demo.test",
        &["--json", "--factor", "question"],
    );
    let needs = cli.wait_for_stage("needsAnswer");
    assert_eq!(
        needs["question"],
        "What is the food you least liked as a child?"
    );
    cli.write_line("mayonnaise");
    let again = cli.wait_for_stage("needsAnswer");
    assert_eq!(again["lastError"]["kind"], "invalid_answer");
    cli.write_line(DEMO_SECURITY_ANSWER);
    let done = cli.finish();
    assert_eq!(done.code(), 0, "{}\n{}", done.stdout, done.stderr);
    assert!(
        !done.stdout.contains(DEMO_SECURITY_ANSWER),
        "the answer was echoed"
    );
    done.assert_no_secrets();
}

#[test]
fn a_security_question_is_enrolled_by_number_then_answer() {
    let org = Org::start();
    let mut cli = signin(
        &org,
        "enrollall@demo.test",
        &["--json", "--code-stdin", "--factor", "question"],
    );
    let needs = cli.wait_for_stage("needsQuestionChoice");
    assert!(needs["questions"].as_array().unwrap().len() > 3, "{needs}");
    assert!(needs["questions"][0]["questionText"].is_string());
    cli.write_line("1");
    cli.write_line("blue cheese");
    let done = cli.finish();
    assert_eq!(done.code(), 0, "{}\n{}", done.stdout, done.stderr);
}

#[test]
fn google_authenticator_is_set_up_from_the_terminal_qr_and_its_key_is_shown() {
    let org = Org::start();
    let mut cli = signin(&org, "google@demo.test", &[]);
    cli.wait_for_stderr("Open your authenticator app");
    let png = common::qr_from_stderr(&mut cli);
    let key_line = cli.wait_for_stderr("Or type this key in the app");
    let key = key_line.rsplit(": ").next().unwrap().replace(' ', "");
    assert_eq!(key.len(), 32, "{key_line}");
    let outcome = org.phone("google@demo.test").scan(&png).expect("scanned");
    assert!(
        matches!(outcome, ScanOutcome::CodeAdded { .. }),
        "{outcome:?}"
    );
    cli.write_line(&phone_code(&org, "google@demo.test", ""));
    let done = cli.finish();
    assert_eq!(done.code(), 0, "{}", done.stderr);
    assert!(
        done.stderr.contains("Signed in as Gail Google"),
        "{}",
        done.stderr
    );
}

#[test]
fn the_json_stream_never_carries_the_apps_key() {
    let org = Org::start();
    let mut cli = signin(&org, "google@demo.test", &["--json"]);
    let qr = cli.wait_for_stage("enrollQr");
    assert_eq!(qr["factor"], "google");
    assert!(qr.get("sharedSecret").is_none(), "{qr}");
    let needs = cli.wait_for_stage("needsCode");
    assert_eq!(needs["purpose"], "activate");
    let done = cli.finish();
    assert_eq!(done.code(), 4, "no code given: {}", done.stdout);
}

#[test]
fn a_hardware_token_code_signs_in() {
    let org = Org::start();
    let mut cli = signin(&org, "token@demo.test", &["--json", "--factor", "token"]);
    let needs = cli.wait_for_stage("needsCode");
    assert_eq!(needs["codeFormat"], "text");
    assert_eq!(needs["factor"]["label"], "RSA SecurID");
    cli.write_line(&phone_code(&org, "token@demo.test", "RSA SecurID"));
    let done = cli.finish();
    assert_eq!(done.code(), 0, "{}\n{}", done.stdout, done.stderr);
}

#[test]
fn a_factor_only_the_browser_can_set_up_exits_6_with_the_sign_in_page() {
    let org = Org::start();
    let mut cli = signin(&org, "webauthn@demo.test", &["--json"]);
    let browser = cli.wait_for_stage("continueInBrowser");
    assert_eq!(browser["url"], org.url);
    assert_eq!(browser["canChooseAnother"], false);
    let done = cli.finish();
    assert_eq!(done.code(), 6, "{}", done.stdout);
    let result = done.result();
    assert_eq!(result["kind"], "browser_required");
    assert!(
        result["message"].as_str().unwrap().contains(&org.url),
        "{result}"
    );
    assert_eq!(org.stats().transactions, 0, "the transaction was cancelled");
}

#[test]
fn every_verifiable_kind_is_chosen_with_factor_and_a_script_is_told_which() {
    let org = Org::start();
    let done = signin(&org, "allfactors@demo.test", &["--json"]).finish();
    assert_eq!(done.code(), 2, "{}", done.stdout);
    let message = done.result()["message"].as_str().unwrap().to_owned();
    for kind in [
        "push", "totp", "google", "sms", "call", "email", "question", "token",
    ] {
        assert!(message.contains(kind), "{kind} missing from: {message}");
    }
    assert!(!message.contains("browser"), "{message}");

    let mut cli = signin(
        &org,
        "allfactors@demo.test",
        &["--json", "--factor", "email"],
    );
    let needs = cli.wait_for_stage("needsCode");
    assert_eq!(needs["factor"]["kind"], "email");
    let view = org.phone("allfactors@demo.test").view().unwrap();
    cli.write_line(&view.inbox.last().unwrap().code);
    let done = cli.finish();
    assert_eq!(done.code(), 0, "{}\n{}", done.stdout, done.stderr);
}

#[test]
fn a_hardware_token_is_enrolled_with_its_code() {
    let org = Org::start();
    let mut cli = signin(
        &org,
        "enrollall@demo.test",
        &["--json", "--factor", "token"],
    );
    let needs = cli.wait_for_stage("needsCode");
    assert_eq!(needs["purpose"], "activate");
    assert_eq!(needs["factor"]["label"], "RSA SecurID");
    cli.write_line(&phone_code(&org, "enrollall@demo.test", "RSA SecurID"));
    let done = cli.finish();
    assert_eq!(done.code(), 0, "{}\n{}", done.stdout, done.stderr);
}
