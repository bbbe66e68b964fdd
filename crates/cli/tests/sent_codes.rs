//! `oktadesk-cli signin` with codes Okta sends: SMS, voice call and email, verified and
//! enrolled end to end, each code read from the demo user's inbox and typed on stdin.

mod common;

use common::{Org, signin};

fn inbox_code(org: &Org, login: &str) -> String {
    let view = org.phone(login).view().expect("phone view");
    view.inbox.last().expect("a message was sent").code.clone()
}

#[test]
fn an_sms_code_typed_on_stdin_signs_in() {
    let org = Org::start();
    let mut cli = signin(&org, "sms@demo.test", &["--json", "--factor", "sms"]);
    let needs = cli.wait_for_stage("needsCode");
    assert_eq!(needs["factor"]["kind"], "sms");
    assert_eq!(needs["factor"]["label"], "SMS to +1 XXX-XXX-0142");
    assert_eq!(needs["codeDigits"], 6);
    assert!(needs["resendInSeconds"].is_u64(), "{needs}");
    let code = inbox_code(&org, "sms@demo.test");
    cli.write_line(&code);
    let done = cli.finish();
    assert_eq!(done.code(), 0, "{}\n{}", done.stdout, done.stderr);
    assert_eq!(done.result()["user"]["login"], "sms@demo.test");
    assert!(!done.stdout.contains(&code), "the code was echoed");
    done.assert_no_secrets();
}

#[test]
fn a_voice_call_and_an_email_code_with_code_stdin() {
    let org = Org::start();
    for (login, factor, digits) in [
        ("call@demo.test", "call", 5),
        ("email@demo.test", "email", 6),
    ] {
        let mut cli = signin(&org, login, &["--json", "--code-stdin", "--factor", factor]);
        let needs = cli.wait_for_stage("needsCode");
        assert_eq!(needs["factor"]["kind"], factor);
        assert_eq!(needs["codeDigits"], digits);
        cli.write_line(&inbox_code(&org, login));
        let done = cli.finish();
        assert_eq!(done.code(), 0, "{login}: {}\n{}", done.stdout, done.stderr);
        done.assert_no_secrets();
    }
}

#[test]
fn in_human_mode_the_cli_says_where_the_code_went() {
    let org = Org::start();
    let mut cli = signin(&org, "sms@demo.test", &[]);
    cli.wait_for_stderr("Okta sent a code by SMS to +1 XXX-XXX-0142.");
    cli.write_line(&inbox_code(&org, "sms@demo.test"));
    let done = cli.finish();
    assert_eq!(done.code(), 0, "{}", done.stderr);
    assert!(
        done.stderr.contains("Signed in as Sam Sms"),
        "{}",
        done.stderr
    );
}

#[test]
fn sms_enrollment_reads_the_phone_number_then_the_code() {
    let org = Org::start();
    let mut cli = signin(&org, "enrollall@demo.test", &["--json", "--factor", "sms"]);
    let needs = cli.wait_for_stage("needsPhoneNumber");
    assert_eq!(needs["currentPhone"], "+1 XXX-XXX-0142");
    cli.write_line("555-0177");
    // No country code: refused here, asked again with how to write it.
    let again = cli.wait_for_stage("needsPhoneNumber");
    assert_eq!(again["lastError"]["kind"], "invalid_phone_number");
    cli.write_line("+1 (555) 555-0177");
    let code = cli.wait_for_stage("needsCode");
    assert_eq!(code["purpose"], "activate");
    assert_eq!(code["factor"]["label"], "SMS to +1 XXX-XXX-0177");
    cli.write_line(&inbox_code(&org, "enrollall@demo.test"));
    let done = cli.finish();
    assert_eq!(done.code(), 0, "{}\n{}", done.stdout, done.stderr);
    done.assert_no_secrets();
}

#[test]
fn a_missing_code_exits_4() {
    let org = Org::start();
    let mut cli = signin(&org, "email@demo.test", &["--json"]);
    cli.wait_for_stage("needsCode");
    let done = cli.finish();
    assert_eq!(done.code(), 4, "{}", done.stdout);
    assert_eq!(done.result()["kind"], "invalid_code");
    assert_eq!(org.stats().transactions, 0, "the transaction was cancelled");
}

#[test]
fn a_code_okta_will_not_send_yet_ends_a_script_with_exit_5() {
    let org = Org::start();
    let mut first = signin(&org, "sms@demo.test", &["--json"]);
    first.wait_for_stage("needsCode");
    let done = first.finish();
    assert_eq!(done.code(), 4, "{}", done.stdout);
    // At once again: Okta sends no second SMS within 30 s.
    let mut cli = signin(&org, "sms@demo.test", &["--json"]);
    let failed = cli.wait_for_stage("commandFailed");
    assert_eq!(failed["error"]["kind"], "rate_limited");
    let done = cli.finish();
    assert_eq!(done.code(), 5, "{}", done.stdout);
    assert_eq!(done.result()["kind"], "rate_limited");
    assert_eq!(org.stats().transactions, 0, "the transaction was cancelled");
}
