//! Self-service recovery on the Classic Engine (`/api/v1/authn/recovery/*`), replayed from
//! Okta's recorded answers: a forgotten password by SMS code, security question and a new
//! password (refused by the policy, then accepted) on to MFA and success; by an emailed link
//! pasted (and an expired one); an unlock by SMS and by email; the org refusing; a cancel.
//! Each test checks the requests Okta saw and that no code, answer, token or password showed.

mod replayed;

use oktadesk_core::{ErrorKind, FactorKind, FactorPurpose, FlowOptions, Recovery, Secret, Stage};
use replayed::authn::*;
use replayed::{Engine, Replay, Script, recover};

const START_RESET: &str = "/api/v1/authn/recovery/password";
const START_UNLOCK: &str = "/api/v1/authn/recovery/unlock";
const SMS_VERIFY: &str = "/api/v1/authn/recovery/factors/SMS/verify";
const TOKEN: &str = "/api/v1/authn/recovery/token";
const ANSWER: &str = "/api/v1/authn/recovery/answer";
const RESET: &str = "/api/v1/authn/credentials/reset_password";

const WRONG_CODE: &str = "111111";
const CODE: &str = "424242";
const ANSWER_TEXT: &str = "replay-answer-SECRET";
const WEAK: &str = "weak-SECRET";
const NEW_PASSWORD: &str = "Replay-New-Pa55-SECRET";
const TOKEN_TEXT: &str = "replaytokenSECRET";
const LINK: &str = "https://acme.okta.com/signin/reset-password/replaytokenSECRET";

async fn classic(script: Script, recovery: Recovery, preferred: Option<FactorKind>) -> Replay {
    let options = FlowOptions {
        preferred_factor: preferred,
        ..FlowOptions::default()
    };
    recover(script, Engine::Classic, recovery, options).await
}

/// Reads stages until a final one, answering nothing: for stages the test does not look at
/// (a push sent before it succeeds).
async fn until_final(replay: &mut Replay) -> Stage {
    loop {
        let stage = replay.flow.next().await;
        if stage.is_final() {
            return stage;
        }
    }
}

#[tokio::test]
async fn forgot_password_by_sms_question_and_a_refused_then_accepted_password_goes_on_to_mfa() {
    let script = Script::new()
        .post(START_RESET, "authn/recovery-challenge-sms")
        .post(SMS_VERIFY, "authn/error-invalid-passcode")
        .post(SMS_VERIFY, "authn/recovery-question")
        .post(ANSWER, "authn/password-reset")
        .post(RESET, "authn/error-password-requirements")
        .post(RESET, "authn/mfa-required-push")
        .post(PUSH_VERIFY, "authn/success");
    let mut replay = classic(script, Recovery::ResetPassword, Some(FactorKind::Sms)).await;
    let stage = expect_stage!(replay, Stage::NeedsCode { .. });
    let Stage::NeedsCode {
        purpose,
        factor,
        resend_in_seconds,
        last_error,
        ..
    } = stage
    else {
        unreachable!()
    };
    assert_eq!(purpose, oktadesk_core::CodePurpose::Recover);
    assert_eq!(factor.kind, FactorKind::Sms);
    assert!(resend_in_seconds.is_some(), "Okta sent a resend link");
    assert!(last_error.is_none());
    replay
        .flow
        .handle
        .submit_code(Secret::new(WRONG_CODE))
        .await
        .unwrap();
    // A wrong code: asked again, on the same step, saying why.
    match replay.flow.next().await {
        Stage::NeedsCode { last_error, .. } => {
            assert_eq!(last_error.unwrap().kind, ErrorKind::InvalidCode)
        }
        other => panic!("expected the code asked again, got {other:?}"),
    }
    replay
        .flow
        .handle
        .submit_code(Secret::new(CODE))
        .await
        .unwrap();
    match replay.flow.next().await {
        Stage::NeedsAnswer { question, .. } => assert!(question.contains("replay city")),
        other => panic!("expected the question, got {other:?}"),
    }
    replay
        .flow
        .handle
        .submit_answer(Secret::new(ANSWER_TEXT))
        .await
        .unwrap();
    match replay.flow.next().await {
        Stage::NeedsNewPassword {
            complexity,
            last_error,
        } => {
            assert_eq!(complexity.unwrap().min_length, Some(12));
            assert!(last_error.is_none());
        }
        other => panic!("expected the new password, got {other:?}"),
    }
    replay
        .flow
        .handle
        .set_new_password(Secret::new(WEAK))
        .await
        .unwrap();
    match replay.flow.next().await {
        Stage::NeedsNewPassword { last_error, .. } => {
            let error = last_error.expect("why it was refused");
            assert_eq!(error.kind, ErrorKind::PasswordChangeRejected);
            assert!(error.message.contains("12 characters"), "{}", error.message);
        }
        other => panic!("expected the new password asked again, got {other:?}"),
    }
    replay
        .flow
        .handle
        .set_new_password(Secret::new(NEW_PASSWORD))
        .await
        .unwrap();
    // The password is reset; the sign-in goes on as Okta says: MFA, as any sign-in.
    match replay.flow.next().await {
        Stage::NeedsFactorChoice { purpose, .. } => assert_eq!(purpose, FactorPurpose::Verify),
        other => panic!("expected MFA, got {other:?}"),
    }
    replay
        .flow
        .handle
        .choose_factor("opfReplayPush")
        .await
        .unwrap();
    let stage = until_final(&mut replay).await;
    expect_success(stage, &replay);
    assert_eq!(
        replay.requests(),
        [
            "POST /api/v1/authn/recovery/password",
            "POST /api/v1/authn/recovery/factors/SMS/verify",
            "POST /api/v1/authn/recovery/factors/SMS/verify",
            "POST /api/v1/authn/recovery/answer",
            "POST /api/v1/authn/credentials/reset_password",
            "POST /api/v1/authn/credentials/reset_password",
            "POST /api/v1/authn/factors/opfReplayPush/verify",
        ]
    );
    let start = replay.okta.to(START_RESET)[0].json();
    assert_eq!(
        start,
        serde_json::json!({"username": "ada@example.com", "factorType": "SMS"})
    );
    let verify = replay.okta.to(SMS_VERIFY);
    assert_eq!(verify[1].json()["passCode"], CODE);
    assert_eq!(verify[1].json()["stateToken"], STATE_TOKEN);
    assert_eq!(replay.okta.to(ANSWER)[0].json()["answer"], ANSWER_TEXT);
    let resets = replay.okta.to(RESET);
    assert_eq!(resets[1].json()["newPassword"], NEW_PASSWORD);
    assert!(resets[1].json().get("oldPassword").is_none());
    replay.assert_never_shown(&[CODE, WRONG_CODE, "Replay-New-Pa55"]);
}

#[tokio::test]
async fn forgot_password_by_email_takes_the_pasted_link() {
    let script = Script::new()
        .post(START_RESET, "authn/recovery-challenge-email")
        .post(TOKEN, "authn/recovery-question")
        .post(ANSWER, "authn/password-reset")
        .post(RESET, "authn/success");
    let mut replay = classic(script, Recovery::ResetPassword, None).await;
    match replay.flow.next().await {
        Stage::NeedsFactorChoice {
            purpose, factors, ..
        } => {
            assert_eq!(purpose, FactorPurpose::Recover);
            let keys: Vec<_> = factors.iter().map(|f| f.key.as_str()).collect();
            assert_eq!(keys, ["email", "sms", "call"]);
        }
        other => panic!("expected the recovery factors, got {other:?}"),
    }
    replay.flow.handle.choose_factor("email").await.unwrap();
    match replay.flow.next().await {
        Stage::RecoveryEmailSent {
            factors,
            last_error,
        } => {
            assert_eq!(factors.len(), 2, "the other two to switch to");
            assert!(last_error.is_none());
        }
        other => panic!("expected the email sent, got {other:?}"),
    }
    replay
        .flow
        .handle
        .submit_recovery_token(Secret::new(LINK))
        .await
        .unwrap();
    expect_stage!(replay, Stage::NeedsAnswer { .. });
    replay
        .flow
        .handle
        .submit_answer(Secret::new(ANSWER_TEXT))
        .await
        .unwrap();
    expect_stage!(replay, Stage::NeedsNewPassword { .. });
    replay
        .flow
        .handle
        .set_new_password(Secret::new(NEW_PASSWORD))
        .await
        .unwrap();
    let stage = replay.flow.next().await;
    expect_success(stage, &replay);
    assert_eq!(replay.okta.to(START_RESET)[0].json()["factorType"], "EMAIL");
    // The token alone goes, to the one endpoint Okta's linkless answer leaves.
    assert_eq!(
        replay.okta.to(TOKEN)[0].json(),
        serde_json::json!({"recoveryToken": TOKEN_TEXT})
    );
    assert!(replay.okta.strays().is_empty());
    replay.assert_never_shown(&["replaytoken", "Replay-New-Pa55"]);
}

#[tokio::test]
async fn an_expired_recovery_link_is_said_and_another_can_be_pasted() {
    let script = Script::new()
        .post(START_RESET, "authn/recovery-challenge-email")
        .post(TOKEN, "authn/error-recovery-link-expired")
        .post(TOKEN, "authn/error-invalid-token");
    let mut replay = classic(script, Recovery::ResetPassword, Some(FactorKind::Email)).await;
    expect_stage!(replay, Stage::RecoveryEmailSent { .. });
    for _ in 0..2 {
        replay
            .flow
            .handle
            .submit_recovery_token(Secret::new(LINK))
            .await
            .unwrap();
        match replay.flow.next().await {
            Stage::RecoveryEmailSent { last_error, .. } => {
                let error = last_error.expect("why the link did not work");
                assert_eq!(error.kind, ErrorKind::Expired);
                assert!(
                    error.message.contains("newest recovery email"),
                    "{}",
                    error.message
                );
            }
            other => panic!("expected the link asked again, got {other:?}"),
        }
    }
    // What cannot be a token never reaches Okta.
    replay
        .flow
        .handle
        .submit_recovery_token(Secret::new("not a link"))
        .await
        .unwrap();
    match replay.flow.next().await {
        Stage::RecoveryEmailSent { last_error, .. } => {
            assert!(last_error.unwrap().message.contains("not a recovery link"))
        }
        other => panic!("expected the link asked again, got {other:?}"),
    }
    replay.flow.handle.cancel().await.unwrap();
    replay.flow.expect_failure(ErrorKind::Cancelled).await;
    // An emailed recovery holds no transaction: nothing to cancel with Okta.
    assert_eq!(
        replay.requests(),
        [
            "POST /api/v1/authn/recovery/password",
            "POST /api/v1/authn/recovery/token",
            "POST /api/v1/authn/recovery/token",
        ]
    );
    replay.assert_never_shown(&["replaytoken"]);
}

#[tokio::test]
async fn unlock_by_sms_ends_with_the_account_unlocked() {
    let script = Script::new()
        .post(START_UNLOCK, "authn/recovery-challenge-sms-unlock")
        .post(SMS_VERIFY, "authn/success-unlock");
    let mut replay = classic(script, Recovery::UnlockAccount, Some(FactorKind::Sms)).await;
    match replay.flow.next().await {
        Stage::NeedsCode {
            purpose, factor, ..
        } => {
            assert_eq!(purpose, oktadesk_core::CodePurpose::Recover);
            assert_eq!(factor.kind, FactorKind::Sms);
        }
        other => panic!("expected the code, got {other:?}"),
    }
    replay
        .flow
        .handle
        .submit_code(Secret::new(CODE))
        .await
        .unwrap();
    match replay.flow.next().await {
        Stage::AccountUnlocked { username, message } => {
            assert_eq!(username, "ada@example.com");
            assert!(message.contains("unlocked"), "{message}");
        }
        other => panic!("expected the account unlocked, got {other:?}"),
    }
    assert_eq!(
        replay.okta.to(START_UNLOCK)[0].json(),
        serde_json::json!({"username": "ada@example.com", "factorType": "SMS"})
    );
    assert!(replay.okta.to(CANCEL).is_empty());
    replay.assert_never_shown(&[CODE]);
}

#[tokio::test]
async fn unlock_by_email_ends_with_the_account_unlocked() {
    let script = Script::new()
        .post(START_UNLOCK, "authn/recovery-challenge-email-unlock")
        .post(TOKEN, "authn/success-unlock");
    let mut replay = classic(script, Recovery::UnlockAccount, None).await;
    match replay.flow.next().await {
        Stage::NeedsFactorChoice { purpose, .. } => assert_eq!(purpose, FactorPurpose::Unlock),
        other => panic!("expected the unlock factors, got {other:?}"),
    }
    replay.flow.handle.choose_factor("email").await.unwrap();
    expect_stage!(replay, Stage::RecoveryEmailSent { .. });
    replay
        .flow
        .handle
        .submit_recovery_token(Secret::new(
            "https://acme.okta.com/signin/unlock/replaytokenSECRET",
        ))
        .await
        .unwrap();
    expect_stage!(replay, Stage::AccountUnlocked { .. });
    assert_eq!(replay.okta.to(TOKEN)[0].json()["recoveryToken"], TOKEN_TEXT);
    replay.assert_never_shown(&["replaytoken"]);
}

#[tokio::test]
async fn a_recovery_the_org_does_not_allow_ends_saying_so() {
    for (recovery, path, fixture) in [
        (
            Recovery::ResetPassword,
            START_RESET,
            "authn/error-forgot-password-not-allowed",
        ),
        (
            Recovery::UnlockAccount,
            START_UNLOCK,
            "authn/error-unlock-not-allowed",
        ),
    ] {
        let script = Script::new().post(path, fixture);
        let mut replay = classic(script, recovery, Some(FactorKind::Email)).await;
        let message = replay
            .flow
            .expect_failure(ErrorKind::SelfServiceNotAllowed)
            .await;
        assert!(message.contains("help desk"), "{message}");
        assert_eq!(replay.okta.requests().len(), 1);
        replay.assert_no_secret();
    }
}

#[tokio::test]
async fn a_recovery_factor_the_org_refuses_is_shown_and_another_is_picked() {
    let script = Script::new()
        .post(START_RESET, "authn/error-recovery-factor-refused")
        .post(START_RESET, "authn/recovery-challenge-email");
    let mut replay = classic(script, Recovery::ResetPassword, Some(FactorKind::Sms)).await;
    // The preferred SMS went and was refused; the person now picks, nothing goes unasked.
    match replay.flow.next().await {
        Stage::NeedsFactorChoice { last_error, .. } => {
            assert!(last_error.unwrap().message.contains("not permitted"))
        }
        other => panic!("expected the choice with the refusal, got {other:?}"),
    }
    assert_eq!(replay.okta.requests().len(), 1);
    replay.flow.handle.choose_factor("email").await.unwrap();
    expect_stage!(replay, Stage::RecoveryEmailSent { .. });
    let sent: Vec<_> = replay
        .okta
        .to(START_RESET)
        .iter()
        .map(|request| request.json()["factorType"].clone())
        .collect();
    assert_eq!(sent, ["SMS", "EMAIL"]);
}

#[tokio::test]
async fn cancel_at_the_recovery_code_cancels_with_okta() {
    let script = Script::new()
        .post(START_RESET, "authn/recovery-challenge-sms")
        .post(CANCEL, "authn/cancel");
    let mut replay = classic(script, Recovery::ResetPassword, Some(FactorKind::Sms)).await;
    expect_stage!(replay, Stage::NeedsCode { .. });
    replay.flow.handle.cancel().await.unwrap();
    replay.flow.expect_failure(ErrorKind::Cancelled).await;
    assert_cancelled_with_okta(&replay);
    replay.assert_no_secret();
}
