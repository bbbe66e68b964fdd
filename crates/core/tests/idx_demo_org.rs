//! The Identity Engine driver against the demo org in Identity Engine mode, over HTTP: the
//! Interaction Code flow from `interact` to tokens for the seeded users who verify with Okta
//! Verify (push, number challenge, code), enroll it by QR, or pick between factors; cancel;
//! a dead state handle; and what a success hands over (who, from the ID token; no browser
//! session). Codes, questions, passwords and the browser's steps are in `idx_demo_org_steps`.

mod common;

use std::time::Duration;

use common::{Flow, Harness, MARKER, long_lived_org};
use oktadesk_core::{
    CodePurpose, ErrorKind, FactorKind, FactorPurpose, FlowOptions, QrUriKind, Secret, Stage,
};
use oktadesk_demo_org::{DEMO_OIDC_CLIENT_ID, DEMO_REDIRECT_URI, DemoEngine, DemoOrgConfig};

/// IDX names no device: Okta's `authenticatorEnrollments` for Okta Verify carry no device
/// name (the widget's recorded `authenticator-verification-okta-verify-push`).
async fn expect_push_sent(flow: &mut Flow) {
    match flow.next().await {
        Stage::PushSent { .. } => {}
        other => panic!(
            "expected a push, got {other:?}\n{}",
            flow.handle.transcript()
        ),
    }
}

async fn expect_number(flow: &mut Flow) -> u32 {
    expect_push_sent(flow).await;
    match flow.next().await {
        Stage::NumberChallenge { number, .. } => number,
        other => panic!("expected a number challenge, got {other:?}"),
    }
}

/// The Okta Verify code prompt; why the last code was refused, if it was.
async fn expect_okta_verify_code(flow: &mut Flow) -> Option<ErrorKind> {
    match flow.next().await {
        Stage::NeedsCode {
            factor,
            purpose,
            resend_in_seconds,
            last_error,
            ..
        } => {
            assert_eq!(factor.kind, FactorKind::Totp);
            assert_eq!(purpose, CodePurpose::Verify);
            assert_eq!(resend_in_seconds, None, "an app's code is not sent");
            last_error.map(|error| error.kind)
        }
        other => panic!(
            "expected a code prompt, got {other:?}\n{}",
            flow.handle.transcript()
        ),
    }
}

fn paths(flow: &Flow) -> Vec<String> {
    flow.handle
        .transcript()
        .entries()
        .into_iter()
        .map(|entry| entry.path)
        .collect()
}

#[tokio::test]
async fn an_approved_push_signs_in_with_who_from_the_id_token_and_no_browser_session() {
    let harness = Harness::start_idx().await;
    let mut flow = harness.sign_in_idx("push@demo.test", FlowOptions::default());
    expect_push_sent(&mut flow).await;
    harness.org.phone("push@demo.test").approve(None).unwrap();
    let (user, session) = flow.expect_signed_in("push@demo.test").await;
    assert!(user.id.starts_with("00u"), "{user:?}");
    assert_eq!(user.display_name(), "Pat Push");
    assert!(!session.has_browser_session());
    let paths = paths(&flow);
    for step in [
        "/oauth2/default/v1/interact",
        "/idp/idx/introspect",
        "/oauth2/default/v1/token",
    ] {
        assert!(paths.iter().any(|path| path == step), "{step}: {paths:?}");
    }
    assert!(
        !paths.iter().any(|path| path.starts_with("/api/v1/authn")),
        "Classic's API is not used: {paths:?}"
    );
    harness.finish([flow]).await;
}

#[tokio::test]
async fn a_number_challenge_tapped_right_signs_in() {
    let harness = Harness::start_idx().await;
    let phone = harness.org.phone("number@demo.test");
    let mut flow = harness.sign_in_idx("number@demo.test", FlowOptions::default());
    let number = expect_number(&mut flow).await;
    let shown = phone.view().unwrap().pending_push.unwrap().numbers.unwrap();
    assert!(shown.contains(&(number as u8)), "{shown:?} lacks {number}");
    phone.approve(Some(number as u8)).unwrap();
    flow.expect_success("number@demo.test").await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn a_wrong_number_rejects_the_push_and_a_new_one_can_be_sent() {
    let harness = Harness::start_idx().await;
    let phone = harness.org.phone("number@demo.test");
    let mut flow = harness.sign_in_idx("number@demo.test", FlowOptions::default());
    let number = expect_number(&mut flow).await;
    let shown = phone.view().unwrap().pending_push.unwrap().numbers.unwrap();
    let wrong = shown.into_iter().find(|n| u32::from(*n) != number).unwrap();
    phone.approve(Some(wrong)).unwrap();
    match flow.next().await {
        Stage::PushRejected { error } => assert_eq!(error.kind, ErrorKind::MfaRejected),
        other => panic!(
            "expected a rejection, got {other:?}\n{}",
            flow.handle.transcript()
        ),
    }
    flow.handle.resend_push().await.unwrap();
    let number = expect_number(&mut flow).await;
    phone.approve(Some(number as u8)).unwrap();
    flow.expect_success("number@demo.test").await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn a_rejected_push_can_be_sent_again() {
    let harness = Harness::start_idx().await;
    let phone = harness.org.phone("push@demo.test");
    let mut flow = harness.sign_in_idx("push@demo.test", FlowOptions::default());
    expect_push_sent(&mut flow).await;
    phone.reject().unwrap();
    match flow.next().await {
        Stage::PushRejected { error } => assert_eq!(error.kind, ErrorKind::MfaRejected),
        other => panic!(
            "expected a rejection, got {other:?}\n{}",
            flow.handle.transcript()
        ),
    }
    flow.handle.resend_push().await.unwrap();
    expect_push_sent(&mut flow).await;
    phone.approve(None).unwrap();
    flow.expect_success("push@demo.test").await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn an_unanswered_push_times_out_and_can_be_sent_again() {
    let harness = Harness::start_idx().await;
    let mut flow = harness.sign_in_idx("push@demo.test", FlowOptions::default());
    expect_push_sent(&mut flow).await;
    harness.org.advance_clock(Duration::from_secs(5 * 60 + 1));
    match flow.next().await {
        Stage::PushTimedOut { error } => assert_eq!(error.kind, ErrorKind::MfaTimeout),
        other => panic!(
            "expected a timeout, got {other:?}\n{}",
            flow.handle.transcript()
        ),
    }
    flow.handle.resend_push().await.unwrap();
    expect_push_sent(&mut flow).await;
    harness.org.phone("push@demo.test").approve(None).unwrap();
    flow.expect_success("push@demo.test").await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn an_okta_verify_code_wrong_then_right() {
    let harness = Harness::start_idx().await;
    let mut flow = harness.sign_in_idx("totp@demo.test", FlowOptions::default());
    assert_eq!(expect_okta_verify_code(&mut flow).await, None);
    let right = harness.phone_code("totp@demo.test", "");
    let wrong = format!("{:06}", (right.parse::<u32>().unwrap() + 1) % 1_000_000);
    flow.handle.submit_code(Secret::new(wrong)).await.unwrap();
    assert_eq!(
        expect_okta_verify_code(&mut flow).await,
        Some(ErrorKind::InvalidCode)
    );
    flow.handle.submit_code(Secret::new(right)).await.unwrap();
    flow.expect_success("totp@demo.test").await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn a_person_with_push_and_code_chooses_then_switches() {
    let harness = Harness::start_idx().await;
    let mut flow = harness.sign_in_idx("multi@demo.test", FlowOptions::default());
    let factors = match flow.next().await {
        Stage::NeedsFactorChoice {
            purpose,
            factors,
            can_skip,
            ..
        } => {
            assert_eq!(purpose, FactorPurpose::Verify);
            assert!(!can_skip);
            factors
        }
        other => panic!(
            "expected a factor choice, got {other:?}\n{}",
            flow.handle.transcript()
        ),
    };
    let kinds: Vec<FactorKind> = factors.iter().map(|f| f.kind).collect();
    assert_eq!(kinds.len(), 2, "{factors:?}");
    assert!(kinds.contains(&FactorKind::Push) && kinds.contains(&FactorKind::Totp));
    let push = factors.iter().find(|f| f.kind == FactorKind::Push).unwrap();
    let code = factors.iter().find(|f| f.kind == FactorKind::Totp).unwrap();
    flow.handle.choose_factor(&push.key).await.unwrap();
    expect_push_sent(&mut flow).await;
    flow.handle.choose_factor(&code.key).await.unwrap();
    expect_okta_verify_code(&mut flow).await;
    let code = harness.phone_code("multi@demo.test", "");
    flow.handle.submit_code(Secret::new(code)).await.unwrap();
    flow.expect_success("multi@demo.test").await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn okta_verify_is_enrolled_by_scanning_the_qr_then_pushes() {
    let harness = Harness::start_idx().await;
    let mut flow = harness.sign_in_idx("enroll@demo.test", FlowOptions::default());
    let png = match flow.next().await {
        Stage::EnrollQr(qr) => {
            assert_eq!(qr.factor, FactorKind::Push);
            assert_eq!(qr.uri_kind, QrUriKind::OktaVerify);
            assert!(qr.svg.as_deref().unwrap().contains("<svg"));
            assert!(qr.shared_secret.is_none());
            qr.original_png.expose().to_vec()
        }
        other => panic!(
            "expected the QR code, got {other:?}\n{}",
            flow.handle.transcript()
        ),
    };
    harness.org.phone("enroll@demo.test").scan(&png).unwrap();
    let (_, session) = flow.expect_signed_in("enroll@demo.test").await;
    assert!(!session.has_browser_session());

    // Enrolled now: the next sign-in is a push.
    let mut next = harness.sign_in_idx("enroll@demo.test", FlowOptions::default());
    expect_push_sent(&mut next).await;
    next.handle.cancel().await.unwrap();
    next.expect_failure(ErrorKind::Cancelled).await;
    harness.finish([flow, next]).await;
}

#[tokio::test]
async fn cancelling_mid_flow_ends_the_transaction_on_the_server() {
    let harness = Harness::start_idx().await;
    let mut flow = harness.sign_in_idx("push@demo.test", FlowOptions::default());
    expect_push_sent(&mut flow).await;
    flow.handle.cancel().await.unwrap();
    flow.expect_failure(ErrorKind::Cancelled).await;
    let paths = paths(&flow);
    assert!(
        paths.iter().any(|path| path == "/idp/idx/cancel"),
        "{paths:?}"
    );
    harness.finish([flow]).await;
}

#[tokio::test]
async fn a_state_handle_left_past_its_lifetime_ends_the_sign_in_clearly() {
    let harness = Harness::start_with(DemoOrgConfig {
        engine: DemoEngine::IdentityEngine,
        state_token_lifetime: Duration::from_secs(5 * 60),
        ..long_lived_org()
    })
    .await;
    let mut flow = harness.sign_in_idx("totp@demo.test", FlowOptions::default());
    expect_okta_verify_code(&mut flow).await;
    harness.org.advance_clock(Duration::from_secs(5 * 60 + 1));
    let code = harness.phone_code("totp@demo.test", "");
    flow.handle.submit_code(Secret::new(code)).await.unwrap();
    let message = flow.expect_failure(ErrorKind::Expired).await;
    assert!(message.contains("again"), "{message}");
    harness.finish([flow]).await;
}

/// What `finish` scans for means something only if the org's IDX secrets carry the marker:
/// the interaction handle and the state handle do.
#[tokio::test]
async fn the_idx_handles_carry_the_marker_the_leak_scan_looks_for() {
    let harness = Harness::start_idx().await;
    let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    let interact = raw_post(
        &harness,
        "/oauth2/default/v1/interact",
        "application/x-www-form-urlencoded",
        &format!(
            "client_id={DEMO_OIDC_CLIENT_ID}&scope=openid&redirect_uri={}&code_challenge={challenge}&code_challenge_method=S256&state=s",
            DEMO_REDIRECT_URI.replace(':', "%3A").replace('/', "%2F")
        ),
    )
    .await;
    let handle = interact["interaction_handle"].as_str().expect("a handle");
    assert!(handle.contains(MARKER), "{interact}");
    let introspected = raw_post(
        &harness,
        "/idp/idx/introspect",
        "application/ion+json; okta-version=1.0.0",
        &serde_json::json!({ "interactionHandle": handle }).to_string(),
    )
    .await;
    let state = introspected["stateHandle"]
        .as_str()
        .expect("a state handle");
    assert!(state.contains(MARKER), "{introspected}");
    harness.finish([]).await;
}

/// A minimal HTTP/1.1 POST over loopback, to read what the org sends before any client
/// hides it.
async fn raw_post(
    harness: &Harness,
    path: &str,
    content_type: &str,
    body: &str,
) -> serde_json::Value {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let url = harness.org.base_url();
    let host = url.host_str().unwrap();
    let address = format!("{host}:{}", url.port().unwrap());
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {content_type}\r\nAccept: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let (_, body) = response.split_once("\r\n\r\n").expect("a whole answer");
    serde_json::from_str(body).unwrap_or_else(|error| panic!("{error}: {response}"))
}

/// The QR code's image and the link channels it offers, from the next stage.
async fn expect_enroll_qr(flow: &mut Flow) -> Vec<u8> {
    match flow.next().await {
        Stage::EnrollQr(qr) => qr.original_png.expose().to_vec(),
        other => panic!(
            "expected the QR code, got {other:?}\n{}",
            flow.handle.transcript()
        ),
    }
}

#[tokio::test]
async fn refresh_qr_shows_a_new_code_and_only_the_new_one_enrolls() {
    let harness = Harness::start_idx().await;
    let mut flow = harness.sign_in_idx("enroll@demo.test", FlowOptions::default());
    let first = expect_enroll_qr(&mut flow).await;
    // Okta keeps the current channel in `select-enrollment-channel`: choosing `qrcode`
    // again is the new code.
    flow.handle.refresh_qr().await.unwrap();
    let second = expect_enroll_qr(&mut flow).await;
    assert_ne!(first, second, "a fresh QR code");
    let phone = harness.org.phone("enroll@demo.test");
    assert!(
        phone.scan(&first).is_err(),
        "the old code no longer enrolls"
    );
    phone.scan(&second).unwrap();
    flow.expect_signed_in("enroll@demo.test").await;
    let paths = paths(&flow);
    assert!(
        paths
            .iter()
            .any(|path| path == "/idp/idx/credential/enroll"),
        "{paths:?}"
    );
    harness.finish([flow]).await;
}

#[tokio::test]
async fn an_org_that_asks_for_the_password_with_the_username_signs_in_the_same() {
    // Both of Okta's `identify` shapes: the password in the same form (Okta's
    // `identify-with-password`) as well as on its own step (every other test here).
    let harness = Harness::start_with(DemoOrgConfig {
        engine: DemoEngine::IdentityEngine,
        idx: oktadesk_demo_org::IdxOptions {
            identify_with_password: true,
            ..Default::default()
        },
        ..long_lived_org()
    })
    .await;
    let mut flow = harness.sign_in_idx("push@demo.test", FlowOptions::default());
    expect_push_sent(&mut flow).await;
    harness.org.phone("push@demo.test").approve(None).unwrap();
    flow.expect_success("push@demo.test").await;
    let paths = paths(&flow);
    assert_eq!(
        paths
            .iter()
            .filter(|path| path.as_str() == "/idp/idx/challenge/answer")
            .count(),
        0,
        "the password went with the username: {paths:?}"
    );
    harness.finish([flow]).await;
}

#[tokio::test]
async fn an_orgs_stay_signed_in_prompt_is_skipped_and_said() {
    // Okta's post-sign-in `keep-me-signed-in`, with `skip` beside it: OktaDesk cannot keep a
    // browser signed in, so "not now" is its one native answer (docs/fidelity.md).
    let harness = Harness::start_with(DemoOrgConfig {
        engine: DemoEngine::IdentityEngine,
        idx: oktadesk_demo_org::IdxOptions {
            keep_me_signed_in_prompt: true,
            ..Default::default()
        },
        ..long_lived_org()
    })
    .await;
    let mut flow = harness.sign_in_idx("nomfa@demo.test", FlowOptions::default());
    flow.expect_success("nomfa@demo.test").await;
    let paths = paths(&flow);
    assert!(
        paths.iter().any(|path| path == "/idp/idx/skip"),
        "{paths:?}"
    );
    assert!(
        !paths
            .iter()
            .any(|path| path == "/idp/idx/keep-me-signed-in"),
        "{paths:?}"
    );
    assert!(
        flow.seen.iter().any(|stage| stage.contains("skipping")),
        "the skip is shown as a step: {:?}",
        flow.seen
    );
    harness.finish([flow]).await;
}
