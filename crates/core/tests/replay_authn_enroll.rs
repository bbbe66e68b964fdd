//! Classic enrollment replayed from Okta's recorded answers: the factor list, Okta Verify's
//! QR code (fetched, or inline as a `data:` image), its expiry and activation links.

mod replayed;

use oktadesk_core::{ErrorKind, FactorKind, Secret, Stage};
use replayed::authn::*;
use replayed::{Answer, Script, classic};

#[tokio::test]
async fn okta_verify_is_enrolled_from_a_list_with_a_factor_type_nobody_knows() {
    let script = Script::new()
        .post(AUTHN, "authn/mfa-enroll")
        .post(
            "/api/v1/authn/factors",
            "authn/mfa-enroll-activate-push-inline-qr",
        )
        .then(
            "POST",
            "/api/v1/authn/factors/opfReplayPush/lifecycle/activate/email",
            Answer::recorded("authn/mfa-enroll-activate-push-inline-qr"),
        )
        .post(PUSH_ACTIVATE, "authn/success");
    let mut replay = classic(script).await;
    // Okta Verify is the one required factor: it is enrolled without asking.
    match expect_stage!(replay, Stage::EnrollQr(_)) {
        Stage::EnrollQr(qr) => assert_eq!(qr.link_channels.len(), 2),
        _ => unreachable!(),
    }
    // The person asks for the activation link by email instead of scanning.
    replay
        .flow
        .handle
        .send_activation_link(oktadesk_core::ActivationLink::Email)
        .await
        .unwrap();
    expect_stage!(replay, Stage::ActivationLinkSent { .. });
    let stage = replay.flow.next().await;
    expect_success(stage, &replay);
    let enroll = replay.okta.to("/api/v1/authn/factors")[0].json();
    assert_eq!(enroll["factorType"], "push");
    assert_eq!(enroll["provider"], "OKTA");
    assert_eq!(enroll["stateToken"], STATE_TOKEN);
    replay.assert_no_secret();
}

#[tokio::test]
async fn an_inline_qr_code_is_drawn_never_fetched() {
    let script = Script::new()
        .post(AUTHN, "authn/mfa-enroll-activate-totp-inline-qr")
        .post(TOTP_ACTIVATE, "authn/success");
    let mut replay = classic(script).await;
    match replay.flow.next().await {
        Stage::EnrollQr(qr) => {
            assert_eq!(qr.factor, FactorKind::Totp);
            assert!(qr.shared_secret.is_some());
        }
        other => panic!(
            "expected the QR code, got {other:?}\n{}",
            replay.flow.handle.transcript()
        ),
    }
    expect_stage!(replay, Stage::NeedsCode { .. });
    replay
        .flow
        .handle
        .submit_code(Secret::new("123456"))
        .await
        .unwrap();
    let stage = replay.flow.next().await;
    expect_success(stage, &replay);
    assert!(replay.okta.requests().iter().all(|r| r.method == "POST"));
    assert_eq!(
        replay.okta.to(TOTP_ACTIVATE)[0].json()["passCode"],
        "123456"
    );
    replay.assert_no_secret();
}

#[tokio::test]
async fn okta_verify_enrollment_with_an_inline_qr_polls_until_scanned() {
    let script = Script::new()
        .post(AUTHN, "authn/mfa-enroll-activate-push-inline-qr")
        .post(PUSH_ACTIVATE, "authn/mfa-enroll-activate-push-inline-qr")
        .post(PUSH_ACTIVATE, "authn/success");
    let mut replay = classic(script).await;
    match replay.flow.next().await {
        Stage::EnrollQr(qr) => assert_eq!(qr.factor, FactorKind::Push),
        other => panic!("expected the QR code, got {other:?}"),
    }
    let stage = replay.flow.next().await;
    expect_success(stage, &replay);
    assert!(replay.okta.requests().iter().all(|r| r.method == "POST"));
    replay.assert_no_secret();
}

#[tokio::test]
async fn an_activation_whose_next_step_is_named_activate_is_polled() {
    // okta-auth-swift's recording names the waiting push activation's `next` "activate";
    // the widget's names it "poll". Both are the same poll.
    let inline = oktadesk_replay::corpus::load("authn/mfa-enroll-activate-push-inline-qr").body;
    let qr = inline["_embedded"]["factor"]["_embedded"]["activation"]["_links"]["qrcode"].clone();
    let with_inline_qr = move |body: &mut serde_json::Value| {
        body["_embedded"]["factor"]["_embedded"]["activation"]["_links"]["qrcode"] = qr.clone();
    };
    let script = Script::new()
        .then(
            "POST",
            AUTHN,
            Answer::recorded("authn/mfa-enroll-activate-push").edit(with_inline_qr.clone()),
        )
        .then(
            "POST",
            PUSH_ACTIVATE,
            Answer::recorded("authn/mfa-enroll-activate-push").edit(with_inline_qr),
        )
        .post(PUSH_ACTIVATE, "authn/success");
    let mut replay = classic(script).await;
    match replay.flow.next().await {
        Stage::EnrollQr(qr) => assert_eq!(qr.factor, FactorKind::Push),
        other => panic!(
            "expected the QR code, got {other:?}\n{}",
            replay.flow.handle.transcript()
        ),
    }
    let stage = replay.flow.next().await;
    expect_success(stage, &replay);
    replay.assert_no_secret();
}

#[tokio::test]
async fn a_qr_code_that_is_no_image_ends_the_sign_in_and_is_cancelled_with_okta() {
    let script = Script::new()
        .post(AUTHN, "authn/mfa-enroll-activate-push")
        .then(
            "GET",
            "/api/v1/users/00uReplayUser/factors/opfReplayPush/qr/replay-activation-SECRET",
            Answer::text(200, "image/png", "not a png"),
        )
        .post(CANCEL, "authn/cancel");
    let mut replay = classic(script).await;
    let message = replay
        .flow
        .expect_failure(ErrorKind::UnexpectedResponse)
        .await;
    assert!(
        message.contains("cancelled this sign-in with Okta"),
        "{message}"
    );
    assert_cancelled_with_okta(&replay);
}

#[tokio::test]
async fn an_enrollment_qr_that_expired_is_refreshed() {
    let script = Script::new()
        .post(AUTHN, "authn/mfa-enroll-activate-push-inline-qr")
        .post(PUSH_ACTIVATE, "authn/mfa-enroll-activate-push-timeout")
        .post(PUSH_ACTIVATE, "authn/mfa-enroll-activate-push-poll")
        .then(
            "GET",
            "/api/v1/users/00uReplayUser/factors/opfReplayPush/qr/replay-activation-SECRET",
            Answer::text(200, "image/png", "not a png"),
        );
    let mut replay = classic(script).await;
    expect_stage!(replay, Stage::EnrollQr(_));
    match expect_stage!(replay, Stage::ActivationExpired { .. }) {
        Stage::ActivationExpired { error } => {
            assert_eq!(error.kind, ErrorKind::ActivationTimeout);
        }
        _ => unreachable!(),
    }
    replay.flow.handle.refresh_qr().await.unwrap();
    // The fresh activation's QR is fetched (once) from its link.
    replay
        .flow
        .expect_failure(ErrorKind::UnexpectedResponse)
        .await;
    assert_eq!(
        replay.okta.to(PUSH_ACTIVATE)[1].json()["stateToken"],
        STATE_TOKEN
    );
}

/// The org's enrollment list with a voice call beside the text message (the call entry has
/// the SMS entry's shape, as okta-auth-swift `MFA_ENROLL_NotEnrolled` lists phone factors).
fn enroll_list_with_a_call() -> Answer {
    Answer::recorded("authn/mfa-enroll").edit(|body| {
        let factors = body["_embedded"]["factors"]
            .as_array_mut()
            .expect("factors");
        let mut call = factors
            .iter()
            .find(|factor| factor["factorType"] == "sms")
            .expect("an SMS entry")
            .clone();
        call["factorType"] = "call".into();
        factors.push(call);
    })
}

/// Setting up a text message, then switching to a voice call on the activation code screen:
/// back through Okta's `prev` link, the call enrolled with the same number, its five-digit
/// code activates it (okta-auth-swift `MFA_ENROLL_ACTIVATE_SMS` and `…_CALL`).
#[tokio::test]
async fn a_text_message_enrollment_switches_to_a_voice_call() {
    let factors = "/api/v1/authn/factors";
    let call_activate = "/api/v1/authn/factors/clfReplayCall/lifecycle/activate";
    let script = Script::new()
        .then("POST", AUTHN, enroll_list_with_a_call())
        .post(factors, "authn/mfa-enroll-activate-sms")
        .then("POST", "/api/v1/authn/previous", enroll_list_with_a_call())
        .post(factors, "authn/mfa-enroll-activate-call")
        .post(call_activate, "authn/success");
    // Text messages preferred: picked without asking.
    let mut replay = replayed::authn::preferring(FactorKind::Sms, script).await;
    expect_stage!(replay, Stage::NeedsPhoneNumber { .. });
    replay
        .flow
        .handle
        .submit_phone_number("+14155550123")
        .await
        .unwrap();
    expect_stage!(replay, Stage::NeedsCode { .. });
    // Not the text after all: a call to the same number.
    replay.flow.handle.choose_factor("call:okta").await.unwrap();
    expect_stage!(replay, Stage::NeedsPhoneNumber { .. });
    replay
        .flow
        .handle
        .submit_phone_number("+14155550123")
        .await
        .unwrap();
    match expect_stage!(replay, Stage::NeedsCode { .. }) {
        Stage::NeedsCode {
            factor,
            code_digits,
            ..
        } => {
            assert_eq!(factor.kind, FactorKind::Call);
            assert_eq!(code_digits, 5);
        }
        _ => unreachable!(),
    }
    replay
        .flow
        .handle
        .submit_code(Secret::new("42424"))
        .await
        .unwrap();
    let stage = replay.flow.next().await;
    expect_success(stage, &replay);
    let enrolled: Vec<_> = replay
        .okta
        .to(factors)
        .iter()
        .map(|request| request.json()["factorType"].clone())
        .collect();
    assert_eq!(enrolled, ["sms", "call"]);
    assert_eq!(replay.okta.to(call_activate)[0].json()["passCode"], "42424");
    assert!(replay.okta.strays().is_empty(), "{:?}", replay.requests());
    replay.assert_no_secret();
}
