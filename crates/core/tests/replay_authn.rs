//! Classic Engine (`/api/v1/authn`) sign-ins replayed from Okta's recorded answers
//! (`oktadesk-replay`'s `recorded/authn/`): Okta Verify push, and how a sign-in ends on our side
//! (cancelled with Okta, and said). Enrollment is in `replay_authn_enroll.rs`; codes, passwords
//! and Okta's terminal answers in `replay_authn_codes.rs`.

mod replayed;

use std::time::{Duration, Instant};

use oktadesk_core::{ErrorKind, Stage};
use replayed::authn::*;
use replayed::{Answer, Replay, Script, classic};

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

/// Okta's waiting answer with a `factorResult` OktaDesk does not know, and the usual poll link:
/// the push is still in play, so the sign-in polls on rather than end.
#[tokio::test]
async fn an_unknown_push_result_with_a_poll_link_polls_on() {
    let script = Script::new()
        .post(AUTHN, "authn/mfa-required-push")
        .post(PUSH_VERIFY, "authn/mfa-challenge-push-waiting")
        .then(
            "POST",
            PUSH_VERIFY,
            Answer::recorded("authn/mfa-challenge-push-waiting")
                .edit(|body| body["factorResult"] = "PENDING_HUMAN".into()),
        )
        .post(PUSH_VERIFY, "authn/success");
    let mut replay = pushing(script).await;
    expect_stage!(replay, Stage::PushSent { .. });
    let stage = replay.flow.next().await;
    expect_success(stage, &replay);
    assert!(
        replay
            .flow
            .handle
            .transcript()
            .to_string()
            .contains("PENDING_HUMAN"),
        "the unknown result is noted for the help desk"
    );
    replay.assert_no_secret();
}

/// The same unknown result with no poll link, only a way to send a new push: the push
/// ended, said neutrally (no "rejected", no help-desk alarm).
#[tokio::test]
async fn an_unknown_push_result_without_a_poll_link_offers_a_new_push() {
    let script = Script::new()
        .post(AUTHN, "authn/mfa-required-push")
        .post(PUSH_VERIFY, "authn/mfa-challenge-push-waiting")
        .then(
            "POST",
            PUSH_VERIFY,
            Answer::recorded("authn/mfa-challenge-push-rejected")
                .edit(|body| body["factorResult"] = "PENDING_HUMAN".into()),
        )
        .post(CANCEL, "authn/cancel");
    let mut replay = pushing(script).await;
    expect_stage!(replay, Stage::PushSent { .. });
    match replay.flow.next().await {
        Stage::PushRejected { error } => {
            assert_eq!(error.kind, ErrorKind::MfaError);
            assert!(!error.message.contains("help desk"), "{}", error.message);
        }
        other => panic!("expected the push to have ended, got {other:?}"),
    }
    replay.flow.handle.cancel().await.unwrap();
    replay.flow.expect_failure(ErrorKind::Cancelled).await;
    assert_cancelled_with_okta(&replay);
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
