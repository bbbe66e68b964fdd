//! `oktadesk-cli signin` on an Identity Engine demo org: the engine found, the sign-in through
//! IDX with the org's OktaDesk app (`--client-id`), the same JSON stream and exit codes as on
//! Classic, the terminal QR, and the flags that choose the protocol.

mod common;

use common::{Org, signin};
use oktadesk_demo_org::{DEMO_OIDC_CLIENT_ID, DemoEngine, DemoOrgConfig, ScanOutcome};

fn identity_engine() -> Org {
    Org::start_with(DemoOrgConfig {
        engine: DemoEngine::IdentityEngine,
        ..DemoOrgConfig::default()
    })
}

#[test]
fn a_number_challenge_through_idx_signs_in_with_no_session_token() {
    let org = identity_engine();
    let mut cli = signin(
        &org,
        "number@demo.test",
        &[
            "--json",
            "--client-id",
            DEMO_OIDC_CLIENT_ID,
            "--print-session-token",
        ],
    );
    let engine = cli.next_event().expect("the engine line");
    assert_eq!(engine["engine"], "identity_engine", "{engine}");
    assert_eq!(engine["signsInThrough"], "idx", "{engine}");
    let challenge = cli.wait_for_stage("numberChallenge");
    let number = challenge["number"].as_u64().expect("a number") as u8;
    org.phone("number@demo.test").approve(Some(number)).unwrap();
    let done = cli.finish();
    assert_eq!(done.code(), 0, "{}\n{}", done.stdout, done.stderr);
    let result = done.result();
    assert_eq!(result["user"]["login"], "number@demo.test");
    assert_eq!(result["browserSession"], false, "{result}");
    assert!(result.get("sessionToken").is_none(), "{result}");
    done.assert_json_lines();
    done.assert_no_secrets();
}

#[test]
fn a_rejected_push_through_idx_exits_4_like_classic() {
    let org = identity_engine();
    let mut cli = signin(
        &org,
        "push@demo.test",
        &["--json", "--client-id", DEMO_OIDC_CLIENT_ID],
    );
    cli.wait_for_stage("pushSent");
    org.phone("push@demo.test").reject().expect("a push waits");
    let rejected = cli.wait_for_stage("pushRejected");
    assert_eq!(rejected["error"]["kind"], "mfa_rejected", "{rejected}");
    let done = cli.finish();
    assert_eq!(done.code(), 4, "{}", done.stdout);
    done.assert_no_secrets();
}

#[test]
fn the_qr_drawn_in_the_terminal_enrolls_okta_verify_through_idx() {
    let org = identity_engine();
    let mut cli = signin(
        &org,
        "enroll@demo.test",
        &["--client-id", DEMO_OIDC_CLIENT_ID],
    );
    let through = cli.wait_for_stderr("signing in through IDX");
    assert!(through.contains("Okta Identity Engine"), "{through}");
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
fn without_the_app_an_identity_engine_org_signs_in_through_authn_and_says_so() {
    let org = identity_engine();
    let done = signin(&org, "nomfa@demo.test", &["--json"]).finish();
    assert_eq!(done.code(), 0, "{}", done.stderr);
    let engine = &done.events[0];
    assert_eq!(engine["signsInThrough"], "/api/v1/authn", "{engine}");
    assert!(
        engine["note"]
            .as_str()
            .is_some_and(|note| note.contains("client ID")),
        "{engine}"
    );
    let forced = signin(
        &org,
        "nomfa@demo.test",
        &[
            "--json",
            "--engine",
            "classic",
            "--client-id",
            DEMO_OIDC_CLIENT_ID,
        ],
    )
    .finish();
    assert_eq!(forced.code(), 0, "{}", forced.stderr);
    assert_eq!(forced.events[0]["signsInThrough"], "/api/v1/authn");
}

#[test]
fn engine_idx_without_a_client_id_is_a_usage_error_that_says_what_an_admin_sets_up() {
    let org = identity_engine();
    let done = signin(&org, "nomfa@demo.test", &["--engine", "idx"]).finish();
    assert_eq!(done.code(), 2, "{}", done.stderr);
    assert!(done.stderr.contains("--client-id"), "{}", done.stderr);
    assert!(done.stderr.contains("Interaction Code"), "{}", done.stderr);
    let bad = signin(&org, "nomfa@demo.test", &["--client-id", "0oa/../x"]).finish();
    assert_eq!(bad.code(), 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("General tab"), "{}", bad.stderr);
}
