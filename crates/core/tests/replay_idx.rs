//! Identity Engine sign-ins replayed from Okta's recorded answers (`oktadesk-replay`'s
//! `recorded/idx/`): for each sequence, the requests Okta would see and what the person sees.
//! The defects of issue #24 each have their test here; the step families without a defect
//! are in `replay_idx_steps.rs`.

mod replayed;

use oktadesk_core::{ErrorKind, FactorKind, FlowOptions, Secret, Stage};
use replayed::{Answer, Engine, idx, idx_start, idx_success, sign_in};

const INTRO: [&str; 2] = [
    "POST /oauth2/default/v1/interact",
    "POST /idp/idx/introspect",
];

fn lines(rest: &[&str]) -> Vec<String> {
    INTRO
        .iter()
        .chain(rest)
        .map(|line| line.to_string())
        .collect()
}

#[tokio::test]
async fn identify_with_the_password_in_one_form_signs_in() {
    let script = idx_success(idx_start("idx/identify-with-password"), "/idp/idx/identify");
    let mut replay = idx(script).await;
    match replay.flow.next().await {
        Stage::Success { user, .. } => assert_eq!(user.login, "ada@example.com"),
        other => panic!("expected success, got {other:?}"),
    }
    assert_eq!(
        replay.requests(),
        lines(&["POST /idp/idx/identify", "POST /oauth2/default/v1/token"])
    );
    let identify = &replay.okta.to("/idp/idx/identify")[0].json();
    assert_eq!(identify["identifier"], "ada@example.com");
    assert_eq!(identify["credentials"]["passcode"], replayed::PASSWORD);
    assert_eq!(identify["stateHandle"], "replay-state-handle-SECRET");
    assert!(
        replay.okta.to("/oauth2/default/v1/token")[0]
            .form_value("code_verifier")
            .is_some_and(|verifier| verifier.len() >= 43)
    );
    replay.assert_no_secret();
}

async fn unknown_user(first: &str) -> (replayed::Replay, String) {
    let script = idx_start(first).post("/idp/idx/identify", "idx/identify-unknown-user-info");
    let mut replay = sign_in(
        script,
        Engine::IdentityEngine,
        "nobody@example.com",
        FlowOptions::default(),
    )
    .await;
    let message = replay.flow.expect_failure(ErrorKind::Credentials).await;
    (replay, message)
}

/// Defect 1: Okta answers an unknown username with `identify` again and an INFO message.
#[tokio::test]
async fn an_unknown_username_with_info_ends_naming_it_after_one_identify() {
    let (replay, message) = unknown_user("idx/identify").await;
    assert!(message.contains("nobody@example.com"), "{message}");
    assert_eq!(replay.requests(), lines(&["POST /idp/idx/identify"]));
    assert!(replay.okta.strays().is_empty());
    replay.assert_no_secret();
}

/// Defect 1, the WARNING Okta sends when the password was in the same form: one identify,
/// and never an empty `credentials`.
#[tokio::test]
async fn an_unknown_username_with_warning_ends_after_one_identify_with_the_password() {
    let script = idx_start("idx/identify-with-password")
        .post("/idp/idx/identify", "idx/identify-unknown-user-warning");
    let mut replay = sign_in(
        script,
        Engine::IdentityEngine,
        "nobody@example.com",
        FlowOptions::default(),
    )
    .await;
    let message = replay.flow.expect_failure(ErrorKind::Credentials).await;
    assert!(message.contains("nobody@example.com"), "{message}");
    assert_eq!(replay.requests(), lines(&["POST /idp/idx/identify"]));
    let identify = replay.okta.to("/idp/idx/identify")[0].json();
    assert_eq!(identify["credentials"]["passcode"], replayed::PASSWORD);
    replay.assert_no_secret();
}

/// Defect 1's rule: the same form with the same values is never posted twice unasked, even
/// where no message says why Okta asked again.
#[tokio::test]
async fn the_same_identify_is_never_posted_twice_unasked() {
    let script = idx_start("idx/identify")
        .post("/idp/idx/identify", "idx/identify")
        .post("/idp/idx/cancel", "idx/cancel");
    let mut replay = idx(script).await;
    let message = replay
        .flow
        .expect_failure(ErrorKind::UnexpectedResponse)
        .await;
    assert!(message.contains("identify"), "{message}");
    // Ended on our side: the transaction is cancelled with Okta, once, and the person told.
    assert!(
        message.contains("cancelled this sign-in with Okta"),
        "{message}"
    );
    assert_eq!(
        replay.requests(),
        lines(&["POST /idp/idx/identify", "POST /idp/idx/cancel"])
    );
}

/// Defect 2: a bare `resend` with no message is a push that expired, not one rejected.
#[tokio::test]
async fn an_expired_push_is_reported_as_timed_out_without_the_help_desk() {
    let script = idx_start("idx/okta-verify-push").post(
        "/idp/idx/authenticators/poll",
        "idx/okta-verify-push-expired",
    );
    let mut replay = idx(script).await;
    assert!(matches!(replay.flow.next().await, Stage::PushSent { .. }));
    match replay.flow.next().await {
        Stage::PushTimedOut { error } => {
            assert_eq!(error.kind, ErrorKind::MfaTimeout);
            assert!(!error.message.contains("help desk"), "{}", error.message);
        }
        other => panic!("expected the push to have timed out, got {other:?}"),
    }
    replay.assert_no_secret();
}

/// Defect 2, the other side: Okta's rejection is still a rejection, with the hint.
#[tokio::test]
async fn a_rejected_push_is_reported_as_rejected_with_the_help_desk() {
    let script = idx_start("idx/okta-verify-push").post(
        "/idp/idx/authenticators/poll",
        "idx/okta-verify-push-rejected",
    );
    let mut replay = idx(script).await;
    assert!(matches!(replay.flow.next().await, Stage::PushSent { .. }));
    match replay.flow.next().await {
        Stage::PushRejected { error } => {
            assert_eq!(error.kind, ErrorKind::MfaRejected);
            assert!(error.message.contains("help desk"), "{}", error.message);
        }
        other => panic!("expected the push rejected, got {other:?}"),
    }
}

/// Defect 3: `"required": "false"` (a string), as Okta Verify's push form carries it.
#[tokio::test]
async fn a_string_boolean_does_not_stop_the_sign_in() {
    let script = idx_success(
        idx_start("idx/okta-verify-push"),
        "/idp/idx/authenticators/poll",
    );
    let mut replay = idx(script).await;
    assert!(matches!(replay.flow.next().await, Stage::PushSent { .. }));
    assert!(matches!(replay.flow.next().await, Stage::Success { .. }));
    let poll = replay.okta.to("/idp/idx/authenticators/poll")[0].json();
    assert_eq!(poll["autoChallenge"], true);
    replay.assert_no_secret();
}

/// Defect 3, the rest of the lenient reading: `null` where a list is usual, numbers as
/// strings, unknown fields and an unknown authenticator beside known ones.
#[tokio::test]
async fn nulls_strings_and_unknown_fields_are_read_leniently() {
    let odd = Answer::recorded("idx/okta-verify-push").edit(|body| {
        let poll = &mut body["remediation"]["value"][0];
        poll["refresh"] = "250".into();
        poll["somethingNew"] = serde_json::json!({"nested": [1, "two"]});
        body["currentAuthenticator"]["value"]["methods"] = serde_json::Value::Null;
        body["messages"] = serde_json::Value::Null;
        body["authenticators"]["value"][1]["methods"][0]["type"] = 7.into();
    });
    let script = idx_success(
        replayed::idx_start_with(odd),
        "/idp/idx/authenticators/poll",
    );
    let mut replay = idx(script).await;
    assert!(matches!(replay.flow.next().await, Stage::PushSent { .. }));
    assert!(matches!(replay.flow.next().await, Stage::Success { .. }));
}

async fn wrong_code(challenge: &str, refused: &str, kind: ErrorKind) {
    let script = idx_start(challenge).post("/idp/idx/challenge/answer", refused);
    let mut replay = idx(script).await;
    assert!(matches!(replay.flow.next().await, Stage::NeedsCode { .. }));
    replay
        .flow
        .handle
        .submit_code(Secret::new("123456"))
        .await
        .unwrap();
    match replay.flow.next().await {
        Stage::NeedsCode { last_error, .. } => {
            let error = last_error.expect("the refusal shown");
            assert_eq!(error.kind, kind, "{}", error.message);
        }
        other => panic!("expected the code asked again, got {other:?}"),
    }
    let answer = replay.okta.to("/idp/idx/challenge/answer")[0].json();
    assert_eq!(answer["credentials"]["passcode"], "123456");
    replay.assert_no_secret();
}

/// Defect 4: Google Authenticator's own wrong-code key, on the field.
#[tokio::test]
async fn a_wrong_authenticator_app_code_is_refused_as_a_code() {
    wrong_code(
        "idx/google-otp-challenge",
        "idx/google-otp-invalid-passcode",
        ErrorKind::InvalidCode,
    )
    .await;
}

/// Defect 4: and its reused-code key.
#[tokio::test]
async fn a_reused_authenticator_app_code_is_refused_as_reused() {
    wrong_code(
        "idx/google-otp-challenge",
        "idx/google-otp-used-passcode",
        ErrorKind::CodeReused,
    )
    .await;
}

/// Defect 5: an older success form without a `code_verifier` field.
#[tokio::test]
async fn the_pkce_verifier_goes_to_the_token_exchange_without_its_field() {
    let script = idx_start("idx/identify-with-password")
        .post("/idp/idx/identify", "idx/success-without-code-verifier")
        .post("/oauth2/default/v1/token", "idx/token");
    let mut replay = idx(script).await;
    assert!(matches!(replay.flow.next().await, Stage::Success { .. }));
    let token = &replay.okta.to("/oauth2/default/v1/token")[0];
    assert!(
        token
            .form_value("code_verifier")
            .is_some_and(|verifier| verifier.len() >= 43)
    );
    assert_eq!(
        token.form_value("interaction_code").as_deref(),
        Some("replay-interaction-code-SECRET")
    );
    replay.assert_no_secret();
}

/// Defect 6: `--factor call` at the phone's method question.
#[tokio::test]
async fn the_preferred_factor_answers_the_method_question() {
    let script =
        idx_start("idx/phone-method-choice").post("/idp/idx/challenge", "idx/voice-challenge");
    let options = FlowOptions {
        preferred_factor: Some(FactorKind::Call),
        ..FlowOptions::default()
    };
    let mut replay = sign_in(script, Engine::IdentityEngine, "ada@example.com", options).await;
    match replay.flow.next().await {
        Stage::NeedsCode { factor, .. } => assert_eq!(factor.kind, FactorKind::Call),
        other => panic!("expected the call's code, got {other:?}"),
    }
    let sent = replay.okta.to("/idp/idx/challenge")[0].json();
    assert_eq!(sent["authenticator"]["methodType"], "voice");
    assert_eq!(sent["authenticator"]["enrollmentId"], "mbl-phone-replay");
}

/// Defect 7: Okta Verify refused until biometrics are on: Okta's words, and no silent poll.
#[tokio::test]
async fn an_okta_verify_enrollment_refused_for_biometrics_says_so() {
    for (fixture, words) in [
        ("idx/okta-verify-enroll-biometrics-required", "biometrics"),
        ("idx/okta-verify-enroll-fips-refused", "FIPS"),
    ] {
        let mut replay = idx(idx_start(fixture)).await;
        match replay.flow.next().await {
            Stage::NeedsFactorChoice {
                last_error,
                factors,
                ..
            } => {
                let error = last_error.expect("Okta's message");
                assert!(error.message.contains(words), "{}", error.message);
                assert!(factors.iter().any(|f| f.kind == FactorKind::Push));
            }
            other => panic!("expected the refusal with the factors, got {other:?}"),
        }
        assert_eq!(replay.requests(), lines(&[]), "{fixture}: no poll");
        replay.assert_no_secret();
    }
}

/// Defect 8: a 429 on a code keeps the person on the code, with the wait.
#[tokio::test]
async fn a_rate_limited_code_keeps_the_step() {
    let limited = Answer::recorded("idx/rate-limited-operation");
    let script = idx_start("idx/google-otp-challenge")
        .then("POST", "/idp/idx/challenge/answer", limited)
        .repeat(4)
        .post(
            "/idp/idx/challenge/answer",
            "idx/success-with-interaction-code",
        )
        .post("/oauth2/default/v1/token", "idx/token");
    let mut replay = idx(script).await;
    assert!(matches!(replay.flow.next().await, Stage::NeedsCode { .. }));
    let code = || Secret::new("123456");
    replay.flow.handle.submit_code(code()).await.unwrap();
    match replay.flow.next().await {
        Stage::NeedsCode { last_error, .. } => {
            let error = last_error.expect("the wait shown");
            assert_eq!(error.kind, ErrorKind::RateLimited, "{}", error.message);
        }
        other => panic!("expected the code asked again, got {other:?}"),
    }
    // The person types it again: new input, so it may go.
    replay.flow.handle.submit_code(code()).await.unwrap();
    assert!(matches!(replay.flow.next().await, Stage::Success { .. }));
}

/// Defect 8: a 429 on the method choice keeps the person on the choice.
#[tokio::test]
async fn a_rate_limited_method_choice_keeps_the_step() {
    let limited = Answer::recorded("idx/sms-rate-limited");
    let script = idx_start("idx/select-authenticator-authenticate")
        .then("POST", "/idp/idx/challenge", limited)
        .repeat(4);
    let mut replay = idx(script).await;
    let Stage::NeedsFactorChoice { factors, .. } = replay.flow.next().await else {
        panic!("expected the factors");
    };
    let phone = factors.iter().find(|f| f.kind == FactorKind::Sms).unwrap();
    replay
        .flow
        .handle
        .choose_factor(phone.key.clone())
        .await
        .unwrap();
    match replay.flow.next().await {
        Stage::NeedsFactorChoice { last_error, .. } => {
            let error = last_error.expect("the wait shown");
            assert_eq!(error.kind, ErrorKind::RateLimited, "{}", error.message);
        }
        other => panic!("expected the factors again, got {other:?}"),
    }
    assert!(replay.okta.strays().is_empty());
}

/// Defect 9: a refusal of the factor picked is shown on the factor choice, not re-posted.
#[tokio::test]
async fn a_refused_pick_is_shown_on_the_factor_choice() {
    let refused = Answer::recorded("idx/select-authenticator-authenticate").edit(|body| {
        body["messages"] = serde_json::json!({"type": "array", "value": [{
            "message": "This factor is not available now (replay).",
            "i18n": {"key": "oie.authenticator.verify.error.fail", "params": []},
            "class": "ERROR"}]});
    });
    let script = idx_start("idx/select-authenticator-authenticate").then(
        "POST",
        "/idp/idx/challenge",
        refused.status(400),
    );
    let mut replay = idx(script).await;
    let Stage::NeedsFactorChoice { factors, .. } = replay.flow.next().await else {
        panic!("expected the factors");
    };
    let email = factors
        .iter()
        .find(|f| f.kind == FactorKind::Email)
        .unwrap();
    replay
        .flow
        .handle
        .choose_factor(email.key.clone())
        .await
        .unwrap();
    match replay.flow.next().await {
        Stage::NeedsFactorChoice { last_error, .. } => {
            let error = last_error.expect("the refusal shown");
            assert!(error.message.contains("not available"), "{}", error.message);
        }
        other => panic!("expected the factors with the refusal, got {other:?}"),
    }
    assert_eq!(replay.requests(), lines(&["POST /idp/idx/challenge"]));
}

/// Defect 10: a post-sign-in prompt with `skip` is skipped natively.
#[tokio::test]
async fn skippable_prompts_after_sign_in_are_skipped_natively() {
    for prompt in [
        "idx/keep-me-signed-in",
        "idx/passkey-promotion",
        "idx/profile-update",
    ] {
        let script = idx_success(
            idx_start("idx/identify-with-password").post("/idp/idx/identify", prompt),
            "/idp/idx/skip",
        );
        let mut replay = idx(script).await;
        match replay.flow.next().await {
            Stage::Success { .. } => {}
            other => panic!("{prompt}: expected it skipped, got {other:?}"),
        }
        assert_eq!(
            replay.requests(),
            lines(&[
                "POST /idp/idx/identify",
                "POST /idp/idx/skip",
                "POST /oauth2/default/v1/token"
            ]),
            "{prompt}"
        );
        replay.assert_no_secret();
    }
}

/// Defect 10, the other side: with no `skip`, only the browser can go on.
#[tokio::test]
async fn a_prompt_without_skip_needs_the_browser() {
    let prompt = Answer::recorded("idx/profile-update").edit(|body| {
        let forms = body["remediation"]["value"].as_array_mut().unwrap();
        forms.retain(|form| form["name"] != "skip");
    });
    let script = idx_start("idx/identify-with-password").then("POST", "/idp/idx/identify", prompt);
    let mut replay = idx(script).await;
    assert!(matches!(
        replay.flow.next().await,
        Stage::ContinueInBrowser { .. }
    ));
}

/// Defect 11: two email enrollments of one authenticator get two pick keys, each picking
/// its own.
#[tokio::test]
async fn two_options_with_one_id_get_distinct_keys() {
    let script = idx_start("idx/select-authenticator-authenticate")
        .post("/idp/idx/challenge", "idx/email-challenge");
    let mut replay = idx(script).await;
    let Stage::NeedsFactorChoice { factors, .. } = replay.flow.next().await else {
        panic!("expected the factors");
    };
    let emails: Vec<_> = factors
        .iter()
        .filter(|f| f.kind == FactorKind::Email)
        .collect();
    assert_eq!(emails.len(), 2, "{factors:?}");
    assert_ne!(emails[0].key, emails[1].key);
    let mut keys: Vec<_> = factors.iter().map(|f| f.key.clone()).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), factors.len(), "{factors:?}");
    replay
        .flow
        .handle
        .choose_factor(emails[1].key.clone())
        .await
        .unwrap();
    assert!(matches!(replay.flow.next().await, Stage::NeedsCode { .. }));
    let sent = replay.okta.to("/idp/idx/challenge")[0].json();
    assert_eq!(sent["authenticator"]["id"], "autEmailReplay");
}
