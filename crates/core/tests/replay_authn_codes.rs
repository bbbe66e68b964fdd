//! Classic verification by code, password changes and Okta's terminal answers, replayed from
//! Okta's recorded answers: wrong and reused codes, expired tokens, rate limits, lockout.

mod replayed;

use oktadesk_core::{ErrorKind, FactorKind, Secret, Stage};
use replayed::authn::*;
use replayed::{Answer, Script, classic};

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
    let mut replay = preferring(FactorKind::Totp, script).await;
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
        Stage::LockedOut { message, .. } => assert!(message.contains("unlock"), "{message}"),
        _ => unreachable!(),
    }
    assert_eq!(replay.requests(), ["POST /api/v1/authn"]);
}

/// A wrong security answer: Okta's E0000068 (the shape of okta-auth-js
/// `test/support/xhr/mfa-required-error.js`, its cause worded for an answer) asks again, with
/// the refusal said; the right answer signs in.
#[tokio::test]
async fn a_wrong_security_answer_is_asked_again() {
    let verify = "/api/v1/authn/factors/ufsReplayQuestion/verify";
    let wrong = Answer::recorded("authn/error-invalid-passcode").edit(|body| {
        body["errorCauses"][0]["errorSummary"] =
            "Your answer doesn't match our records (replay).".into();
    });
    let script = Script::new()
        .post(AUTHN, "authn/mfa-required-many-factors")
        .then("POST", verify, wrong)
        .post(verify, "authn/success");
    let mut replay = preferring(FactorKind::Question, script).await;
    match expect_stage!(replay, Stage::NeedsAnswer { .. }) {
        Stage::NeedsAnswer {
            question,
            last_error,
            ..
        } => {
            assert_eq!(question, "What is your favorite piece of art?");
            assert!(last_error.is_none());
        }
        _ => unreachable!(),
    }
    replay
        .flow
        .handle
        .submit_answer(Secret::new("wrong-answer-SECRET"))
        .await
        .unwrap();
    match expect_stage!(replay, Stage::NeedsAnswer { .. }) {
        Stage::NeedsAnswer { last_error, .. } => {
            assert_eq!(last_error.map(|e| e.kind), Some(ErrorKind::InvalidAnswer));
        }
        _ => unreachable!(),
    }
    replay
        .flow
        .handle
        .submit_answer(Secret::new("right-answer-SECRET"))
        .await
        .unwrap();
    let stage = replay.flow.next().await;
    expect_success(stage, &replay);
    let sent: Vec<_> = replay
        .okta
        .to(verify)
        .iter()
        .map(|request| request.json()["answer"].clone())
        .collect();
    assert_eq!(sent, ["wrong-answer-SECRET", "right-answer-SECRET"]);
    replay.assert_no_secret();
}

/// A voice call: the call goes out on choosing the factor, then its code is typed.
#[tokio::test]
async fn a_voice_call_code_signs_in() {
    let verify = "/api/v1/authn/factors/clfReplayCall/verify";
    let calling = Answer::recorded("authn/mfa-challenge-sms").edit(|body| {
        let text = body.to_string().replace("mblReplaySms", "clfReplayCall");
        *body = serde_json::from_str(&text).expect("JSON");
        body["_embedded"]["factor"]["factorType"] = "call".into();
        body["_links"]["resend"][0]["name"] = "call".into();
    });
    let script = Script::new()
        .post(AUTHN, "authn/mfa-required-many-factors")
        .then("POST", verify, calling)
        .post(verify, "authn/success");
    let mut replay = preferring(FactorKind::Call, script).await;
    match expect_stage!(replay, Stage::NeedsCode { .. }) {
        Stage::NeedsCode {
            factor,
            code_digits,
            ..
        } => {
            assert_eq!(factor.kind, FactorKind::Call);
            // Okta reads out five digits on a call.
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
    let sent = replay.okta.to(verify);
    assert_eq!(sent.len(), 2, "{:?}", replay.requests());
    assert!(sent[0].json().get("passCode").is_none());
    assert_eq!(sent[1].json()["passCode"], "42424");
    replay.assert_no_secret();
}
