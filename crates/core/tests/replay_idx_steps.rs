//! Identity Engine step families replayed from Okta's recorded answers, one test each: what
//! the driver sends and what the person sees. The defects of issue #24 are in `replay_idx.rs`.

mod replayed;

use oktadesk_core::{ActivationLink, ErrorKind, FactorKind, FlowOptions, Secret, Stage};
use replayed::{Answer, Engine, idx, idx_start, idx_start_with, idx_success, sign_in};

/// An answer whose poll waits long enough for a test to speak first.
fn slow_poll(name: &str) -> Answer {
    Answer::recorded(name).edit(|body| {
        for form in body["remediation"]["value"].as_array_mut().unwrap() {
            if form.get("refresh").is_some() {
                form["refresh"] = 5000.into();
            }
        }
    })
}

async fn expect_code(replay: &mut replayed::Replay) -> oktadesk_core::FactorChoice {
    match replay.flow.next().await {
        Stage::NeedsCode { factor, .. } => factor,
        other => panic!("expected a code, got {other:?}"),
    }
}

#[tokio::test]
async fn identify_then_the_password_signs_in() {
    let script = idx_success(
        idx_start("idx/identify").post("/idp/idx/identify", "idx/challenge-password"),
        "/idp/idx/challenge/answer",
    );
    let mut replay = idx(script).await;
    assert!(matches!(replay.flow.next().await, Stage::Success { .. }));
    let identify = replay.okta.to("/idp/idx/identify")[0].json();
    assert_eq!(identify["identifier"], "ada@example.com");
    assert!(identify.get("credentials").is_none(), "{identify}");
    let answer = replay.okta.to("/idp/idx/challenge/answer")[0].json();
    assert_eq!(answer["credentials"]["passcode"], replayed::PASSWORD);
    replay.assert_no_secret();
}

#[tokio::test]
async fn many_authenticators_are_offered_with_the_unknown_one_for_the_browser() {
    let mut replay = idx(idx_start("idx/select-authenticator-authenticate")).await;
    let Stage::NeedsFactorChoice { factors, .. } = replay.flow.next().await else {
        panic!("expected the factors");
    };
    let kinds: Vec<FactorKind> = factors.iter().map(|f| f.kind).collect();
    for kind in [
        FactorKind::Push,
        FactorKind::Totp,
        FactorKind::Email,
        FactorKind::Sms,
        FactorKind::Google,
        FactorKind::Question,
    ] {
        assert!(kinds.contains(&kind), "{kind:?} in {kinds:?}");
    }
    assert!(factors.iter().any(|f| f.needs_browser), "{factors:?}");
}

#[tokio::test]
async fn a_number_challenge_shows_okta_s_number() {
    let script = idx_start("idx/okta-verify-number-challenge");
    let mut replay = idx(script).await;
    assert!(matches!(replay.flow.next().await, Stage::PushSent { .. }));
    match replay.flow.next().await {
        Stage::NumberChallenge { number, .. } => assert_eq!(number, 42),
        other => panic!("expected the number, got {other:?}"),
    }
}

#[tokio::test]
async fn okta_verify_s_method_question_takes_the_preferred_code() {
    let script = idx_start("idx/okta-verify-method-choice")
        .post("/idp/idx/challenge", "idx/okta-verify-code");
    let options = FlowOptions {
        preferred_factor: Some(FactorKind::Totp),
        ..FlowOptions::default()
    };
    let mut replay = sign_in(script, Engine::IdentityEngine, "ada@example.com", options).await;
    assert_eq!(expect_code(&mut replay).await.kind, FactorKind::Totp);
    let sent = replay.okta.to("/idp/idx/challenge")[0].json();
    assert_eq!(sent["authenticator"]["methodType"], "totp");
    assert_eq!(sent["authenticator"]["autoChallenge"], false);
}

#[tokio::test]
async fn okta_verify_s_method_question_sends_the_push_by_default() {
    let script = idx_start("idx/okta-verify-method-choice")
        .post("/idp/idx/challenge", "idx/okta-verify-push");
    let mut replay = idx(script).await;
    assert!(matches!(replay.flow.next().await, Stage::PushSent { .. }));
    let sent = replay.okta.to("/idp/idx/challenge")[0].json();
    assert_eq!(sent["authenticator"]["methodType"], "push");
}

#[tokio::test]
async fn an_okta_verify_code_goes_in_totp() {
    let script = idx_success(
        idx_start("idx/okta-verify-code"),
        "/idp/idx/challenge/answer",
    );
    let mut replay = idx(script).await;
    expect_code(&mut replay).await;
    replay
        .flow
        .handle
        .submit_code(Secret::new("654321"))
        .await
        .unwrap();
    assert!(matches!(replay.flow.next().await, Stage::Success { .. }));
    let sent = replay.okta.to("/idp/idx/challenge/answer")[0].json();
    assert_eq!(sent["credentials"]["totp"], "654321");
}

async fn refused_code(challenge: &str, refused: &str, kind: FactorKind) {
    let script = idx_start(challenge).post("/idp/idx/challenge/answer", refused);
    let mut replay = idx(script).await;
    assert_eq!(expect_code(&mut replay).await.kind, kind);
    replay
        .flow
        .handle
        .submit_code(Secret::new("111111"))
        .await
        .unwrap();
    match replay.flow.next().await {
        Stage::NeedsCode { last_error, .. } => {
            assert_eq!(
                last_error.expect("the refusal").kind,
                ErrorKind::InvalidCode
            )
        }
        other => panic!("expected the code again, got {other:?}"),
    }
    replay.assert_no_secret();
}

#[tokio::test]
async fn a_wrong_email_code_is_refused_on_the_field() {
    refused_code(
        "idx/email-challenge",
        "idx/email-invalid-passcode",
        FactorKind::Email,
    )
    .await;
}

#[tokio::test]
async fn a_wrong_sms_code_is_refused_on_the_field() {
    refused_code(
        "idx/sms-challenge",
        "idx/sms-invalid-passcode",
        FactorKind::Sms,
    )
    .await;
}

#[tokio::test]
async fn a_voice_call_code_signs_in() {
    let script = idx_success(
        idx_start("idx/voice-challenge"),
        "/idp/idx/challenge/answer",
    );
    let mut replay = idx(script).await;
    assert_eq!(expect_code(&mut replay).await.kind, FactorKind::Call);
    replay
        .flow
        .handle
        .submit_code(Secret::new("22222"))
        .await
        .unwrap();
    match replay.flow.next().await {
        Stage::Success { .. } => {}
        other => panic!("expected success, got {other:?}\n{:?}", replay.requests()),
    }
}

#[tokio::test]
async fn a_security_question_is_asked_in_okta_s_words() {
    let script = idx_success(
        idx_start("idx/question-challenge"),
        "/idp/idx/challenge/answer",
    );
    let mut replay = idx(script).await;
    match replay.flow.next().await {
        Stage::NeedsAnswer { question, .. } => assert!(question.contains("sports player")),
        other => panic!("expected the question, got {other:?}"),
    }
    replay
        .flow
        .handle
        .submit_answer(Secret::new("Ada"))
        .await
        .unwrap();
    assert!(matches!(replay.flow.next().await, Stage::Success { .. }));
    let sent = replay.okta.to("/idp/idx/challenge/answer")[0].json();
    assert_eq!(sent["credentials"]["answer"], "Ada");
    assert_eq!(sent["credentials"]["questionKey"], "favorite_sports_player");
}

#[tokio::test]
async fn okta_verify_enrollment_shows_the_qr_and_switches_channels() {
    let script = idx_start_with(slow_poll("idx/okta-verify-enroll-qr"))
        .then(
            "POST",
            "/idp/idx/credential/enroll",
            slow_poll("idx/okta-verify-enroll-via-email"),
        )
        .then(
            "POST",
            "/idp/idx/credential/enroll",
            slow_poll("idx/okta-verify-enroll-qr"),
        );
    let mut replay = idx(script).await;
    assert!(matches!(replay.flow.next().await, Stage::EnrollQr(_)));
    replay
        .flow
        .handle
        .send_activation_link(ActivationLink::Email)
        .await
        .unwrap();
    assert!(matches!(
        replay.flow.next().await,
        Stage::ActivationLinkSent { .. }
    ));
    replay.flow.handle.refresh_qr().await.unwrap();
    assert!(matches!(replay.flow.next().await, Stage::EnrollQr(_)));
    let channels: Vec<_> = replay
        .okta
        .to("/idp/idx/credential/enroll")
        .iter()
        .map(|r| r.json()["authenticator"]["channel"].clone())
        .collect();
    assert_eq!(channels, ["email", "qrcode"]);
    replay.assert_no_secret();
}

#[tokio::test]
async fn an_expired_password_asks_for_a_new_one() {
    let mut replay = idx(idx_start("idx/password-expired")).await;
    assert!(matches!(
        replay.flow.next().await,
        Stage::PasswordExpired { .. }
    ));
}

#[tokio::test]
async fn an_expiring_password_says_when_and_can_wait() {
    let script = idx_success(idx_start("idx/password-expiring"), "/idp/idx/skip");
    let mut replay = idx(script).await;
    match replay.flow.next().await {
        Stage::PasswordWarn {
            expire_days,
            can_skip,
            ..
        } => {
            assert_eq!(expire_days, Some(4));
            assert!(can_skip);
        }
        other => panic!("expected the warning, got {other:?}"),
    }
    replay.flow.handle.skip().await.unwrap();
    assert!(matches!(replay.flow.next().await, Stage::Success { .. }));
}

#[tokio::test]
async fn a_rate_limit_without_a_form_ends_with_the_wait() {
    let limited = Answer::recorded("idx/rate-limited");
    let script = replayed::Script::new()
        .post("/oauth2/default/v1/interact", "idx/interact")
        .then("POST", "/idp/idx/introspect", limited)
        .repeat(4);
    let mut replay = idx(script).await;
    replay.flow.expect_failure(ErrorKind::RateLimited).await;
    assert!(replay.okta.strays().is_empty());
}

#[tokio::test]
async fn an_expired_session_says_start_again() {
    let script = idx_start("idx/identify").post("/idp/idx/identify", "idx/session-expired");
    let mut replay = idx(script).await;
    replay.flow.expect_failure(ErrorKind::Expired).await;
}

#[tokio::test]
async fn access_denied_ends_in_okta_s_words() {
    let script = idx_start("idx/identify").post("/idp/idx/identify", "idx/access-denied");
    let mut replay = idx(script).await;
    let message = replay.flow.expect_failure(ErrorKind::OktaError).await;
    assert!(message.contains("permission"), "{message}");
}

#[tokio::test]
async fn a_terminal_answer_ends_in_okta_s_words() {
    let script = idx_start("idx/okta-verify-push").post(
        "/idp/idx/authenticators/poll",
        "idx/terminal-polling-window-expired",
    );
    let mut replay = idx(script).await;
    assert!(matches!(replay.flow.next().await, Stage::PushSent { .. }));
    let message = replay.flow.expect_failure(ErrorKind::OktaError).await;
    assert!(message.contains("timed out"), "{message}");
}

#[tokio::test]
async fn cancelling_tells_okta() {
    let script =
        idx_start("idx/select-authenticator-authenticate").post("/idp/idx/cancel", "idx/cancel");
    let mut replay = idx(script).await;
    assert!(matches!(
        replay.flow.next().await,
        Stage::NeedsFactorChoice { .. }
    ));
    replay.flow.handle.cancel().await.unwrap();
    replay.flow.expect_failure(ErrorKind::Cancelled).await;
    assert_eq!(replay.okta.to("/idp/idx/cancel").len(), 1);
}
