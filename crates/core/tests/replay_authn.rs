//! Classic Engine (`/api/v1/authn`) sign-ins replayed from Okta's recorded answers
//! (`oktadesk-replay`'s `recorded/authn/`): for each sequence, the requests Okta would see and
//! what the person sees. Fixture names say which step family they are; each names the
//! recording it follows.

mod replayed;

use std::time::{Duration, Instant};

use oktadesk_core::{ErrorKind, FactorKind, FlowOptions, Secret, Stage};
use replayed::{Answer, Replay, Script, classic, sign_in};

const AUTHN: &str = "/api/v1/authn";
const CANCEL: &str = "/api/v1/authn/cancel";
const PUSH_VERIFY: &str = "/api/v1/authn/factors/opfReplayPush/verify";
const PUSH_ACTIVATE: &str = "/api/v1/authn/factors/opfReplayPush/lifecycle/activate";
const TOTP_ACTIVATE: &str = "/api/v1/authn/factors/ostReplayTotp/lifecycle/activate";
const STATE_TOKEN: &str = "replay-state-token-SECRET";

/// A Classic sign-in that picks Okta Verify push without asking.
async fn pushing(script: Script) -> Replay {
    sign_in(
        script,
        oktadesk_core::Engine::Classic,
        "ada@example.com",
        FlowOptions {
            preferred_factor: Some(FactorKind::Push),
            ..FlowOptions::default()
        },
    )
    .await
}

/// The next stage, which must match `pattern`; otherwise the stage and the transcript.
macro_rules! expect_stage {
    ($replay:expr, $pattern:pat) => {
        match $replay.flow.next().await {
            stage @ $pattern => stage,
            other => panic!(
                "expected {}, got {other:?}\n{}",
                stringify!($pattern),
                $replay.flow.handle.transcript()
            ),
        }
    };
}

fn expect_success(stage: Stage, replay: &Replay) {
    match stage {
        Stage::Success { user, .. } => assert_eq!(user.login, "ada@example.com"),
        other => panic!(
            "expected success, got {other:?}\n{}",
            replay.flow.handle.transcript()
        ),
    }
}

/// The last request was the cancel, with the transaction's state token.
fn assert_cancelled_with_okta(replay: &Replay) {
    let cancels = replay.okta.to(CANCEL);
    assert_eq!(cancels.len(), 1, "{:?}", replay.requests());
    assert_eq!(cancels[0].json()["stateToken"], STATE_TOKEN);
    assert_eq!(
        replay.requests().last().map(String::as_str),
        Some("POST /api/v1/authn/cancel")
    );
}

// --- Okta Verify push -------------------------------------------------------------------

#[tokio::test]
async fn a_push_challenge_with_a_null_factors_policy_waits_for_the_phone() {
    let script = Script::new()
        .post(AUTHN, "authn/mfa-required-push")
        .post(PUSH_VERIFY, "authn/mfa-challenge-push-waiting")
        .post(PUSH_VERIFY, "authn/mfa-challenge-push-number")
        .post(PUSH_VERIFY, "authn/success");
    let mut replay = pushing(script).await;
    expect_stage!(replay, Stage::PushSent { .. });
    match replay.flow.next().await {
        Stage::NumberChallenge { number, .. } => assert_eq!(number, 42),
        other => panic!("expected the number, got {other:?}"),
    }
    let stage = replay.flow.next().await;
    expect_success(stage, &replay);
    assert_eq!(
        replay.requests(),
        [
            "POST /api/v1/authn",
            "POST /api/v1/authn/factors/opfReplayPush/verify",
            "POST /api/v1/authn/factors/opfReplayPush/verify",
            "POST /api/v1/authn/factors/opfReplayPush/verify",
        ]
    );
    replay.assert_no_secret();
}

#[tokio::test]
async fn a_rejected_push_says_so_and_names_the_help_desk() {
    let script = Script::new()
        .post(AUTHN, "authn/mfa-required-push")
        .post(PUSH_VERIFY, "authn/mfa-challenge-push-waiting")
        .post(PUSH_VERIFY, "authn/mfa-challenge-push-rejected")
        .post(
            "/api/v1/authn/factors/opfReplayPush/verify/resend",
            "authn/mfa-challenge-push-waiting",
        )
        .post(PUSH_VERIFY, "authn/success");
    let mut replay = pushing(script).await;
    expect_stage!(replay, Stage::PushSent { .. });
    match replay.flow.next().await {
        Stage::PushRejected { error } => {
            assert_eq!(error.kind, ErrorKind::MfaRejected);
            assert!(error.message.contains("help desk"), "{}", error.message);
        }
        other => panic!("expected the rejection, got {other:?}"),
    }
    replay.flow.handle.resend_push().await.unwrap();
    expect_stage!(replay, Stage::PushSent { .. });
    let stage = replay.flow.next().await;
    expect_success(stage, &replay);
    replay.assert_no_secret();
}

#[tokio::test]
async fn a_push_that_timed_out_is_not_reported_as_rejected() {
    let script = Script::new()
        .post(AUTHN, "authn/mfa-required-push")
        .post(PUSH_VERIFY, "authn/mfa-challenge-push-waiting")
        .post(PUSH_VERIFY, "authn/mfa-challenge-push-timeout")
        .post(CANCEL, "authn/cancel");
    let mut replay = pushing(script).await;
    expect_stage!(replay, Stage::PushSent { .. });
    match replay.flow.next().await {
        Stage::PushTimedOut { error } => {
            assert_eq!(error.kind, ErrorKind::MfaTimeout);
            assert!(!error.message.contains("help desk"), "{}", error.message);
        }
        other => panic!("expected the time-out, got {other:?}"),
    }
    replay.flow.handle.cancel().await.unwrap();
    replay.flow.expect_failure(ErrorKind::Cancelled).await;
    assert_cancelled_with_okta(&replay);
}

// --- Enrollment QR codes -----------------------------------------------------------------

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

// --- Ends on our side: cancelled with Okta, and said -------------------------------------

#[tokio::test]
async fn an_answer_we_cannot_read_is_cancelled_with_okta_and_said() {
    let script = Script::new()
        .post(AUTHN, "authn/mfa-required-push")
        .then(
            "POST",
            PUSH_VERIFY,
            Answer::recorded("authn/mfa-challenge-push-waiting")
                .edit(|body| body["_embedded"]["factor"] = serde_json::json!("a factor")),
        )
        .post(CANCEL, "authn/cancel");
    let mut replay = pushing(script).await;
    let message = replay
        .flow
        .expect_failure(ErrorKind::UnexpectedResponse)
        .await;
    assert!(
        message.contains("cancelled this sign-in with Okta"),
        "{message}"
    );
    assert_cancelled_with_okta(&replay);
    replay.assert_no_secret();
}

#[tokio::test]
async fn an_unknown_status_is_cancelled_with_okta_and_said() {
    let script = Script::new()
        .post(AUTHN, "authn/unknown-status")
        .post(CANCEL, "authn/cancel");
    let mut replay = classic(script).await;
    let message = replay.flow.expect_failure(ErrorKind::UnsupportedStep).await;
    assert!(message.contains("SOME_NEW_STATUS"), "{message}");
    assert!(
        message.contains("cancelled this sign-in with Okta"),
        "{message}"
    );
    assert_cancelled_with_okta(&replay);
}

#[tokio::test]
async fn a_loop_nobody_foresaw_ends_on_the_request_budget() {
    // Okta answers every push sent with the factor list again; with push preferred the
    // driver would send a push forever. The budget (150 steps, the first POST included)
    // ends it, and the transaction is cancelled with Okta.
    let script = Script::new()
        .post(AUTHN, "authn/mfa-required-push")
        .post(PUSH_VERIFY, "authn/mfa-required-push")
        .repeat(149)
        .post(CANCEL, "authn/cancel");
    let mut replay = pushing(script).await;
    let message = replay
        .flow
        .expect_failure(ErrorKind::UnexpectedResponse)
        .await;
    assert!(message.contains("150 requests"), "{message}");
    assert!(
        message.contains("cancelled this sign-in with Okta"),
        "{message}"
    );
    assert_eq!(replay.okta.to(PUSH_VERIFY).len(), 149);
    assert_cancelled_with_okta(&replay);
    assert!(replay.okta.strays().is_empty());
}

// --- Cancel ------------------------------------------------------------------------------

#[tokio::test]
async fn cancel_ends_a_rate_limit_wait_at_once_and_tells_okta() {
    let script = Script::new()
        .post(AUTHN, "authn/mfa-required-push")
        .then(
            "POST",
            PUSH_VERIFY,
            Answer::recorded("authn/error-rate-limited").header("x-rate-limit-reset", "{{now+4}}"),
        )
        .post(CANCEL, "authn/cancel");
    let mut replay = pushing(script).await;
    // Wait until the 429 has come back and the flow waits out its reset.
    let deadline = Instant::now() + Duration::from_secs(10);
    while replay.okta.to(PUSH_VERIFY).is_empty() {
        assert!(Instant::now() < deadline, "the push was never sent");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let asked = Instant::now();
    replay.flow.handle.cancel().await.unwrap();
    replay.flow.expect_failure(ErrorKind::Cancelled).await;
    assert!(
        asked.elapsed() < Duration::from_secs(2),
        "cancel took {:?}",
        asked.elapsed()
    );
    assert_cancelled_with_okta(&replay);
}

// --- Factor list, codes, password, terminal answers --------------------------------------

#[tokio::test]
async fn many_factors_with_an_unknown_type_are_offered_and_an_sms_code_signs_in() {
    // MFA_REQUIRED lists every kind Okta has, one of a type nobody knows yet; the SMS
    // challenge carries `factorsPolicyInfo: null`; the first code is refused (E0000068).
    let sms_verify = "/api/v1/authn/factors/mblReplaySms/verify";
    let script = Script::new()
        .post(AUTHN, "authn/mfa-required-many-factors")
        .post(sms_verify, "authn/mfa-challenge-sms")
        .post(sms_verify, "authn/error-invalid-passcode")
        .post(sms_verify, "authn/success");
    let mut replay = classic(script).await;
    let key = match expect_stage!(replay, Stage::NeedsFactorChoice { .. }) {
        Stage::NeedsFactorChoice { factors, .. } => {
            assert!(factors.len() >= 7, "{factors:?}");
            factors
                .iter()
                .find(|choice| choice.kind == FactorKind::Sms)
                .expect("SMS offered")
                .key
                .clone()
        }
        _ => unreachable!(),
    };
    replay.flow.handle.choose_factor(key).await.unwrap();
    expect_stage!(
        replay,
        Stage::NeedsCode {
            last_error: None,
            ..
        }
    );
    replay
        .flow
        .handle
        .submit_code(Secret::new("000000"))
        .await
        .unwrap();
    match expect_stage!(replay, Stage::NeedsCode { .. }) {
        Stage::NeedsCode { last_error, .. } => {
            assert_eq!(last_error.map(|e| e.kind), Some(ErrorKind::InvalidCode));
        }
        _ => unreachable!(),
    }
    replay
        .flow
        .handle
        .submit_code(Secret::new("123456"))
        .await
        .unwrap();
    let stage = replay.flow.next().await;
    expect_success(stage, &replay);
    let sent = replay.okta.to(sms_verify);
    assert_eq!(sent[0].json()["stateToken"], STATE_TOKEN);
    assert!(sent[0].json().get("passCode").is_none());
    assert_eq!(sent[2].json()["passCode"], "123456");
    replay.assert_no_secret();
}

#[tokio::test]
async fn an_expired_transaction_ends_without_a_cancel() {
    // E0000011: Okta has already ended the transaction; there is nothing to cancel.
    let script = Script::new()
        .post(AUTHN, "authn/mfa-required-push")
        .post(PUSH_VERIFY, "authn/error-invalid-token");
    let mut replay = pushing(script).await;
    replay.flow.expect_failure(ErrorKind::Expired).await;
    assert!(replay.okta.to(CANCEL).is_empty());
    assert!(replay.okta.strays().is_empty());
}

#[tokio::test]
async fn a_429_without_rate_limit_headers_is_waited_out_briefly_and_sent_again() {
    let script = Script::new()
        .post(AUTHN, "authn/error-rate-limited-bare")
        .post(AUTHN, "authn/success");
    let mut replay = classic(script).await;
    let stage = replay.flow.next().await;
    expect_success(stage, &replay);
    assert_eq!(replay.okta.to(AUTHN).len(), 2);
}

#[tokio::test]
async fn an_expiring_password_can_be_skipped() {
    let script = Script::new()
        .post(AUTHN, "authn/password-warn")
        .post("/api/v1/authn/skip", "authn/success");
    let mut replay = classic(script).await;
    match expect_stage!(replay, Stage::PasswordWarn { .. }) {
        Stage::PasswordWarn {
            expire_days,
            can_skip,
            complexity,
            ..
        } => {
            assert_eq!(expire_days, Some(5));
            assert!(can_skip);
            assert_eq!(complexity.and_then(|c| c.min_length), Some(8));
        }
        _ => unreachable!(),
    }
    replay.flow.handle.skip().await.unwrap();
    let stage = replay.flow.next().await;
    expect_success(stage, &replay);
}

#[tokio::test]
async fn an_expired_password_is_changed() {
    let change = "/api/v1/authn/credentials/change_password";
    let script = Script::new()
        .post(AUTHN, "authn/password-expired")
        .post(change, "authn/success");
    let mut replay = classic(script).await;
    expect_stage!(replay, Stage::PasswordExpired { .. });
    replay
        .flow
        .handle
        .change_password(
            Secret::new(replayed::PASSWORD),
            Secret::new("new-replay-password-SECRET"),
        )
        .await
        .unwrap();
    let stage = replay.flow.next().await;
    expect_success(stage, &replay);
    let sent = replay.okta.to(change)[0].json();
    assert_eq!(sent["oldPassword"], replayed::PASSWORD);
    assert_eq!(sent["newPassword"], "new-replay-password-SECRET");
    replay.assert_no_secret();
}

#[tokio::test]
async fn a_locked_out_account_is_said_and_nothing_is_cancelled() {
    let script = Script::new().post(AUTHN, "authn/locked-out");
    let mut replay = classic(script).await;
    match expect_stage!(replay, Stage::LockedOut { .. }) {
        Stage::LockedOut { message } => assert!(message.contains("unlock"), "{message}"),
        _ => unreachable!(),
    }
    assert_eq!(replay.requests(), ["POST /api/v1/authn"]);
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

#[tokio::test]
async fn wrong_and_reused_codes_are_said_on_the_code_screen() {
    let totp_verify = "/api/v1/authn/factors/ostReplayTotp/verify";
    let reused = Answer::recorded("authn/error-invalid-passcode").edit(|body| {
        body["errorCode"] = "E0000082".into();
        body["errorSummary"] =
            "Each code can only be used once. Please wait for a new code and try again.".into();
        body["errorCauses"] = serde_json::json!([]);
    });
    let script = Script::new()
        .post(AUTHN, "authn/mfa-required-push")
        .post(totp_verify, "authn/error-invalid-passcode")
        .then("POST", totp_verify, reused)
        .post(totp_verify, "authn/success");
    let mut replay = sign_in(
        script,
        oktadesk_core::Engine::Classic,
        "ada@example.com",
        FlowOptions {
            preferred_factor: Some(FactorKind::Totp),
            ..FlowOptions::default()
        },
    )
    .await;
    let mut refusals = Vec::new();
    for code in ["111111", "222222", "333333"] {
        match expect_stage!(replay, Stage::NeedsCode { .. }) {
            Stage::NeedsCode { last_error, .. } => refusals.push(last_error.map(|e| e.kind)),
            _ => unreachable!(),
        }
        replay
            .flow
            .handle
            .submit_code(Secret::new(code))
            .await
            .unwrap();
    }
    assert_eq!(
        refusals,
        [
            None,
            Some(ErrorKind::InvalidCode),
            Some(ErrorKind::CodeReused)
        ]
    );
    let stage = replay.flow.next().await;
    expect_success(stage, &replay);
}

#[tokio::test]
async fn a_window_that_goes_away_during_a_rate_limit_wait_still_cancels_with_okta() {
    let script = Script::new()
        .post(AUTHN, "authn/mfa-required-push")
        .then(
            "POST",
            PUSH_VERIFY,
            Answer::recorded("authn/error-rate-limited").header("x-rate-limit-reset", "{{now+4}}"),
        )
        .post(CANCEL, "authn/cancel");
    let replay = pushing(script).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while replay.okta.to(PUSH_VERIFY).is_empty() {
        assert!(Instant::now() < deadline, "the push was never sent");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let Replay { okta, flow } = replay;
    let replayed::Flow { handle, stages, .. } = flow;
    drop(handle);
    drop(stages);
    let gone = Instant::now();
    while okta.to(CANCEL).is_empty() {
        assert!(
            gone.elapsed() < Duration::from_secs(2),
            "no cancel after the window went"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(okta.to(CANCEL)[0].json()["stateToken"], STATE_TOKEN);
}

// --- Enrollment ----------------------------------------------------------------------------

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
async fn string_booleans_in_the_policy_are_read() {
    let script = Script::new()
        .then(
            "POST",
            AUTHN,
            Answer::recorded("authn/mfa-required-push").edit(|body| {
                let policy = &mut body["_embedded"]["policy"];
                policy["allowRememberDevice"] = "true".into();
                policy["rememberDeviceLifetimeInMinutes"] = "15".into();
                policy["factorsPolicyInfo"]["opfReplayPush"]["autoPushEnabled"] = "false".into();
            }),
        )
        .post(PUSH_VERIFY, "authn/success");
    let mut replay = pushing(script).await;
    let stage = replay.flow.next().await;
    expect_success(stage, &replay);
}
