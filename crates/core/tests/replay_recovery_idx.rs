//! Self-service recovery on Identity Engine (IDX), replayed from Okta's recorded answers:
//! the password's `recover` form followed (from an identify with the password, and from the
//! password's challenge in an identifier-first org), `identify-recovery`, the recovery
//! authenticator, its code (a wrong one asked again), `reset-authenticator` refused by the
//! policy then accepted, and the sign-in going on; the unlock (`unlock-account`,
//! `select-authenticator-unlock-account`) to Okta's success, terminal or landing on the app;
//! Okta not offering either; a cancel. Each test checks the requests and that nothing secret
//! showed.

mod replayed;

use oktadesk_core::{
    CodePurpose, ErrorKind, FactorKind, FactorPurpose, FlowOptions, Recovery, Secret, Stage,
};
use replayed::{Answer, Engine, Replay, Script, idx_start, idx_start_with, idx_success, recover};

const INTRO: [&str; 2] = [
    "POST /oauth2/default/v1/interact",
    "POST /idp/idx/introspect",
];
const CODE: &str = "424242";
const WRONG_CODE: &str = "111111";
const WEAK: &str = "weak-SECRET";
const NEW_PASSWORD: &str = "Replay-New-Pa55-SECRET";
const ANSWER_TEXT: &str = "replay-answer-SECRET";

fn lines(rest: &[&str]) -> Vec<String> {
    INTRO
        .iter()
        .chain(rest)
        .map(|line| line.to_string())
        .collect()
}

async fn idx(script: Script, recovery: Recovery, preferred: Option<FactorKind>) -> Replay {
    let options = FlowOptions {
        preferred_factor: preferred,
        ..FlowOptions::default()
    };
    recover(script, Engine::IdentityEngine, recovery, options).await
}

async fn expect_recovery_code(replay: &mut Replay) -> Option<oktadesk_core::ErrorInfo> {
    match replay.flow.next().await {
        Stage::NeedsCode {
            purpose,
            factor,
            last_error,
            ..
        } => {
            assert_eq!(purpose, CodePurpose::Recover);
            assert_eq!(factor.kind, FactorKind::Email);
            last_error
        }
        other => panic!(
            "expected the recovery code, got {other:?}\n{}",
            replay.flow.handle.transcript()
        ),
    }
}

#[tokio::test]
async fn forgot_password_by_email_code_and_a_refused_then_accepted_password_goes_on_to_sign_in() {
    let script = idx_start("idx/identify-with-password")
        .post("/idp/idx/recover", "idx/identify-recovery")
        .post("/idp/idx/identify", "idx/select-authenticator-for-recovery")
        .post("/idp/idx/challenge", "idx/email-challenge")
        .post("/idp/idx/challenge/answer", "idx/email-invalid-passcode")
        .post("/idp/idx/challenge/answer", "idx/reset-password")
        .post(
            "/idp/idx/challenge/answer",
            "idx/reset-password-requirement",
        )
        .post("/idp/idx/challenge/answer", "idx/question-challenge");
    let script = idx_success(script, "/idp/idx/challenge/answer");
    let mut replay = idx(script, Recovery::ResetPassword, None).await;
    match replay.flow.next().await {
        Stage::NeedsFactorChoice {
            purpose, factors, ..
        } => {
            assert_eq!(purpose, FactorPurpose::Recover);
            assert!(factors.iter().any(|f| f.kind == FactorKind::Email));
        }
        other => panic!("expected the recovery authenticators, got {other:?}"),
    }
    replay
        .flow
        .handle
        .choose_factor("replay-id-4")
        .await
        .unwrap();
    assert!(expect_recovery_code(&mut replay).await.is_none());
    replay
        .flow
        .handle
        .submit_code(Secret::new(WRONG_CODE))
        .await
        .unwrap();
    let refused = expect_recovery_code(&mut replay).await.expect("why");
    assert_eq!(refused.kind, ErrorKind::InvalidCode);
    replay
        .flow
        .handle
        .submit_code(Secret::new(CODE))
        .await
        .unwrap();
    match replay.flow.next().await {
        Stage::NeedsNewPassword {
            complexity,
            last_error,
        } => {
            assert_eq!(complexity.unwrap().min_length, Some(8));
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
            let error = last_error.expect("Okta's reason");
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
    // Reset: the sign-in goes on with Okta's next step, a verification like any other.
    expect_stage!(replay, Stage::NeedsAnswer { .. });
    replay
        .flow
        .handle
        .submit_answer(Secret::new(ANSWER_TEXT))
        .await
        .unwrap();
    match replay.flow.next().await {
        Stage::Success { user, .. } => assert_eq!(user.login, "ada@example.com"),
        other => panic!("expected success, got {other:?}"),
    }
    assert_eq!(
        replay.requests(),
        lines(&[
            "POST /idp/idx/recover",
            "POST /idp/idx/identify",
            "POST /idp/idx/challenge",
            "POST /idp/idx/challenge/answer",
            "POST /idp/idx/challenge/answer",
            "POST /idp/idx/challenge/answer",
            "POST /idp/idx/challenge/answer",
            "POST /idp/idx/challenge/answer",
            "POST /oauth2/default/v1/token",
        ])
    );
    let sent = replay.okta.requests();
    let recover = sent[2].json();
    assert_eq!(
        recover,
        serde_json::json!({"stateHandle": "replay-state-handle-SECRET"}),
        "the recover form: no password, no username"
    );
    assert_eq!(sent[3].json()["identifier"], "ada@example.com");
    assert_eq!(sent[4].json()["authenticator"]["id"], "replay-id-4");
    assert_eq!(sent[6].json()["credentials"]["passcode"], CODE);
    assert_eq!(sent[8].json()["credentials"]["passcode"], NEW_PASSWORD);
    assert!(replay.okta.strays().is_empty());
    replay.assert_never_shown(&[CODE, WRONG_CODE, "Replay-New-Pa55", "replay-answer"]);
}

/// An identifier-first org: the username alone, then the password's challenge carries the
/// `recover` form (okta-auth-js's `currentAuthenticatorEnrollment-recover`).
#[tokio::test]
async fn identifier_first_reset_follows_the_recover_form_of_the_password_challenge() {
    let with_recover = Answer::recorded("idx/challenge-password").edit(|body| {
        let state = body["stateHandle"].clone();
        body["currentAuthenticatorEnrollment"]["value"]["recover"] = serde_json::json!({
            "rel": ["create-form"], "name": "recover", "href": "{{origin}}/idp/idx/recover",
            "method": "POST", "accepts": "application/json; okta-version=1.0.0",
            "value": [{"name": "stateHandle", "required": true, "value": state,
                       "visible": false, "mutable": false}]
        });
    });
    let script = idx_start("idx/identify")
        .then("POST", "/idp/idx/identify", with_recover)
        .post("/idp/idx/recover", "idx/select-authenticator-for-recovery")
        .post("/idp/idx/challenge", "idx/email-challenge")
        .post("/idp/idx/cancel", "idx/cancel");
    let mut replay = idx(script, Recovery::ResetPassword, Some(FactorKind::Email)).await;
    assert!(expect_recovery_code(&mut replay).await.is_none());
    replay.flow.handle.cancel().await.unwrap();
    replay.flow.expect_failure(ErrorKind::Cancelled).await;
    assert_eq!(
        replay.requests(),
        lines(&[
            "POST /idp/idx/identify",
            "POST /idp/idx/recover",
            "POST /idp/idx/challenge",
            "POST /idp/idx/cancel",
        ])
    );
    let identify = replay.okta.to("/idp/idx/identify")[0].json();
    assert_eq!(identify["identifier"], "ada@example.com");
    assert!(
        identify.get("credentials").is_none(),
        "no password in a recovery"
    );
    replay.assert_no_secret();
}

#[tokio::test]
async fn a_reset_okta_does_not_offer_ends_without_a_url_built_by_hand() {
    // The identify that takes the password, without its `recover` form.
    let without = Answer::recorded("idx/identify-with-password").edit(|body| {
        body["currentAuthenticator"]["value"]
            .as_object_mut()
            .unwrap()
            .remove("recover");
    });
    let mut replay = idx(idx_start_with(without), Recovery::ResetPassword, None).await;
    let message = replay
        .flow
        .expect_failure(ErrorKind::SelfServiceNotAllowed)
        .await;
    assert!(message.contains("reset your password"), "{message}");
    assert_eq!(replay.requests(), lines(&[]));
    replay.assert_no_secret();
}

#[tokio::test]
async fn a_reset_okta_refuses_ends_saying_so() {
    let script = idx_start("idx/identify-with-password")
        .post("/idp/idx/recover", "idx/identify-recovery")
        .post("/idp/idx/identify", "idx/reset-password-not-allowed");
    let mut replay = idx(script, Recovery::ResetPassword, None).await;
    replay
        .flow
        .expect_failure(ErrorKind::SelfServiceNotAllowed)
        .await;
    assert_eq!(
        replay.requests(),
        lines(&["POST /idp/idx/recover", "POST /idp/idx/identify"])
    );
}

#[tokio::test]
async fn a_reset_that_ends_the_transaction_says_to_sign_in_with_the_new_password() {
    let script = idx_start("idx/identify-with-password")
        .post("/idp/idx/recover", "idx/identify-recovery")
        .post("/idp/idx/identify", "idx/select-authenticator-for-recovery")
        .post("/idp/idx/challenge", "idx/email-challenge")
        .post("/idp/idx/challenge/answer", "idx/reset-password")
        .post("/idp/idx/challenge/answer", "idx/reset-password-completed");
    let mut replay = idx(script, Recovery::ResetPassword, Some(FactorKind::Email)).await;
    expect_recovery_code(&mut replay).await;
    replay
        .flow
        .handle
        .submit_code(Secret::new(CODE))
        .await
        .unwrap();
    expect_stage!(replay, Stage::NeedsNewPassword { .. });
    replay
        .flow
        .handle
        .set_new_password(Secret::new(NEW_PASSWORD))
        .await
        .unwrap();
    match replay.flow.next().await {
        Stage::PasswordReset { username, message } => {
            assert_eq!(username, "ada@example.com");
            assert!(message.contains("new one"), "{message}");
        }
        other => panic!("expected the password reset, got {other:?}"),
    }
    replay.assert_never_shown(&[CODE, "Replay-New-Pa55"]);
}

/// An unlock by email code to Okta's answer `last`, then `then` (more steps Okta is asked).
async fn unlock_to(last: &str, then: impl FnOnce(Script) -> Script) -> Replay {
    let script = idx_start("idx/identify-with-unlock-account")
        .post("/idp/idx/unlock-account", "idx/unlock-select-authenticator")
        .post("/idp/idx/challenge", "idx/email-challenge")
        .post("/idp/idx/challenge/answer", last);
    let script = then(script);
    let mut replay = idx(script, Recovery::UnlockAccount, None).await;
    match replay.flow.next().await {
        Stage::NeedsFactorChoice {
            purpose, factors, ..
        } => {
            assert_eq!(purpose, FactorPurpose::Unlock);
            let kinds: Vec<_> = factors.iter().map(|f| f.kind).collect();
            assert_eq!(kinds, [FactorKind::Email, FactorKind::Call]);
        }
        other => panic!("expected the unlock authenticators, got {other:?}"),
    }
    replay
        .flow
        .handle
        .choose_factor("replay-id-20")
        .await
        .unwrap();
    assert!(expect_recovery_code(&mut replay).await.is_none());
    replay
        .flow
        .handle
        .submit_code(Secret::new(CODE))
        .await
        .unwrap();
    replay
}

#[tokio::test]
async fn unlock_by_email_ends_with_the_account_unlocked() {
    let mut replay = unlock_to("idx/unlock-success", |script| script).await;
    match replay.flow.next().await {
        Stage::AccountUnlocked { username, message } => {
            assert_eq!(username, "ada@example.com");
            assert!(message.contains("unlocked"), "{message}");
        }
        other => panic!("expected the account unlocked, got {other:?}"),
    }
    assert_eq!(
        replay.requests(),
        lines(&[
            "POST /idp/idx/unlock-account",
            "POST /idp/idx/challenge",
            "POST /idp/idx/challenge/answer",
        ])
    );
    // One form carries both the username and the authenticator.
    let select = replay.okta.to("/idp/idx/challenge")[0].json();
    assert_eq!(select["identifier"], "ada@example.com");
    assert_eq!(select["authenticator"]["id"], "replay-id-20");
    assert_eq!(select["authenticator"]["methodType"], "email");
    replay.assert_never_shown(&[CODE]);
}

#[tokio::test]
async fn an_unlock_that_goes_on_to_sign_in_ends_unlocked_and_cancels_the_rest() {
    let mut replay = unlock_to("idx/unlock-success-land-on-app", |script| {
        script.post("/idp/idx/cancel", "idx/cancel")
    })
    .await;
    match replay.flow.next().await {
        Stage::AccountUnlocked { message, .. } => {
            assert!(message.contains("unlocked"), "{message}")
        }
        other => panic!("expected the account unlocked, got {other:?}"),
    }
    // Okta asked for the password to go on; OktaDesk holds none, so it ends the transaction.
    assert_eq!(
        replay.requests(),
        lines(&[
            "POST /idp/idx/unlock-account",
            "POST /idp/idx/challenge",
            "POST /idp/idx/challenge/answer",
            "POST /idp/idx/cancel",
        ])
    );
    assert!(replay.okta.strays().is_empty());
    replay.assert_never_shown(&[CODE]);
}

#[tokio::test]
async fn an_unlock_okta_does_not_offer_or_refuses_ends_saying_so() {
    let mut replay = idx(idx_start("idx/identify"), Recovery::UnlockAccount, None).await;
    replay
        .flow
        .expect_failure(ErrorKind::SelfServiceNotAllowed)
        .await;
    assert_eq!(replay.requests(), lines(&[]));

    let script = idx_start("idx/identify-with-unlock-account")
        .post("/idp/idx/unlock-account", "idx/unlock-not-allowed");
    let mut replay = idx(script, Recovery::UnlockAccount, None).await;
    let message = replay
        .flow
        .expect_failure(ErrorKind::SelfServiceNotAllowed)
        .await;
    assert!(message.contains("unlock your account"), "{message}");
    assert_eq!(replay.requests(), lines(&["POST /idp/idx/unlock-account"]));
    replay.assert_no_secret();
}
