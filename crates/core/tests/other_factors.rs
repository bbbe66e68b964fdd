//! Security questions, authenticator apps, hardware tokens and the factors only a browser
//! can do, against the demo org over HTTP.

mod common;

use common::{Harness, prefer};
use oktadesk_core::{
    CodeFormat, CodePurpose, ErrorKind, FactorKind, FactorPurpose, QrUriKind, Secret, Stage,
};
use oktadesk_demo_org::DEMO_SECURITY_ANSWER;

#[tokio::test]
async fn a_security_question_is_asked_and_a_wrong_answer_explained() {
    let harness = Harness::start().await;
    let mut flow = harness.sign_in("question@demo.test", Default::default());
    match flow.next().await {
        Stage::NeedsAnswer {
            factor,
            question,
            last_error,
            ..
        } => {
            assert_eq!(factor.kind, FactorKind::Question);
            assert_eq!(factor.label, "Security question");
            assert_eq!(question, "What is the food you least liked as a child?");
            assert!(last_error.is_none());
        }
        other => panic!("expected the question, got {other:?}"),
    }
    flow.handle
        .submit_answer(Secret::new("mayonnaise"))
        .await
        .unwrap();
    match flow.next().await {
        Stage::NeedsAnswer { last_error, .. } => {
            let error = last_error.expect("the refusal is explained");
            assert_eq!(error.kind, ErrorKind::InvalidAnswer);
            assert!(error.message.contains("help desk"), "{}", error.message);
        }
        other => panic!("expected the question again, got {other:?}"),
    }
    flow.handle
        .submit_answer(Secret::new(format!(" {DEMO_SECURITY_ANSWER} ")))
        .await
        .unwrap();
    flow.expect_success("question@demo.test").await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn a_security_question_is_enrolled_from_the_orgs_list() {
    let harness = Harness::start().await;
    let mut flow = harness.sign_in("enrollall@demo.test", prefer(FactorKind::Question));
    let first = match flow.next().await {
        Stage::NeedsQuestionChoice {
            factor,
            questions,
            can_write_own,
            last_error,
        } => {
            assert_eq!(factor.kind, FactorKind::Question);
            assert!(!can_write_own, "Classic takes only the org's questions");
            assert!(questions.len() > 3, "{questions:?}");
            assert!(last_error.is_none());
            questions[0].clone()
        }
        other => panic!("expected the questions, got {other:?}"),
    };
    let unknown = flow
        .handle
        .enroll_question("not_a_question", Secret::new("whatever"))
        .await
        .unwrap_err();
    assert_eq!(unknown.kind(), ErrorKind::InvalidCommand);
    flow.handle
        .enroll_question(&first.key, Secret::new("abc"))
        .await
        .unwrap();
    match flow.next().await {
        Stage::NeedsQuestionChoice { last_error, .. } => {
            let error = last_error.expect("Okta's reason is shown");
            assert!(
                error.message.contains("at least 4 characters"),
                "{}",
                error.message
            );
        }
        other => panic!("expected the questions again, got {other:?}"),
    }
    flow.handle
        .enroll_question(&first.key, Secret::new("blue cheese"))
        .await
        .unwrap();
    flow.expect_success("enrollall@demo.test").await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn google_authenticator_is_set_up_by_qr_with_its_key_then_verified() {
    let harness = Harness::start().await;
    let mut flow = harness.sign_in("google@demo.test", Default::default());
    let png = match flow.next().await {
        Stage::EnrollQr(qr) => {
            assert_eq!(qr.factor, FactorKind::Google);
            assert_eq!(qr.uri_kind, QrUriKind::Otpauth);
            let key = qr.shared_secret.as_ref().expect("a key to type in");
            assert_eq!(key.expose().len(), 32);
            qr.original_png.expose().to_vec()
        }
        other => panic!("expected the QR code, got {other:?}"),
    };
    harness.org.phone("google@demo.test").scan(&png).unwrap();
    match flow.next().await {
        Stage::NeedsCode {
            factor,
            purpose,
            code_digits,
            resend_in_seconds,
            ..
        } => {
            assert_eq!(factor.label, "Google Authenticator");
            assert_eq!(purpose, CodePurpose::Activate);
            assert_eq!(code_digits, 6);
            assert_eq!(resend_in_seconds, None);
        }
        other => panic!("expected the first code, got {other:?}"),
    }
    let code = harness.phone_code("google@demo.test", "");
    flow.handle.submit_code(Secret::new(code)).await.unwrap();
    flow.expect_success("google@demo.test").await;

    // Now enrolled, the next sign-in asks for its code.
    let mut again = harness.sign_in("google@demo.test", Default::default());
    match again.next().await {
        Stage::NeedsCode {
            factor, purpose, ..
        } => {
            assert_eq!(factor.kind, FactorKind::Google);
            assert_eq!(purpose, CodePurpose::Verify);
        }
        other => panic!("expected a code prompt, got {other:?}"),
    }
    again.handle.cancel().await.unwrap();
    again.expect_failure(ErrorKind::Cancelled).await;
    harness.finish([flow, again]).await;
}

#[tokio::test]
async fn a_hardware_token_takes_its_code_as_text() {
    let harness = Harness::start().await;
    let mut flow = harness.sign_in("token@demo.test", Default::default());
    match flow.next().await {
        Stage::NeedsCode {
            factor,
            code_format,
            code_digits,
            ..
        } => {
            assert_eq!(factor.label, "RSA SecurID");
            assert_eq!(code_format, CodeFormat::Text);
            assert_eq!(code_digits, 0);
        }
        other => panic!("expected a code prompt, got {other:?}"),
    }
    flow.handle
        .submit_code(Secret::new("wrong-code"))
        .await
        .unwrap();
    match flow.next().await {
        Stage::NeedsCode { last_error, .. } => {
            let message = last_error.expect("refused").message;
            assert!(message.contains("RSA SecurID shows"), "{message}");
        }
        other => panic!("expected the prompt again, got {other:?}"),
    }
    let code = harness.phone_code("token@demo.test", "RSA SecurID");
    flow.handle.submit_code(Secret::new(code)).await.unwrap();
    flow.expect_success("token@demo.test").await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn a_required_security_key_sends_the_person_to_the_browser_before_anything_is_enrolled() {
    let harness = Harness::start().await;
    let mut flow = harness.sign_in("webauthn@demo.test", Default::default());
    match flow.next().await {
        Stage::ContinueInBrowser {
            factor,
            message,
            url,
            can_choose_another,
        } => {
            assert!(factor.is_none());
            assert!(
                message.contains("requires Security key or biometric (WebAuthn)"),
                "{message}"
            );
            assert_eq!(url, harness.org_url.to_string());
            assert!(
                !can_choose_another,
                "push would only end at the next MFA_ENROLL"
            );
        }
        other => panic!("expected the browser, got {other:?}"),
    }
    let refused = flow.handle.choose_factor("push:okta").await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::InvalidCommand);
    flow.handle.cancel().await.unwrap();
    flow.expect_failure(ErrorKind::Cancelled).await;
    assert_eq!(harness.org.stats().transactions, 0);
    harness.finish([flow]).await;
}

#[tokio::test]
async fn every_factor_is_offered_and_one_only_the_browser_can_do_leaves_the_others() {
    let harness = Harness::start().await;
    let mut flow = harness.sign_in("allfactors@demo.test", Default::default());
    let factors = match flow.next().await {
        Stage::NeedsFactorChoice {
            purpose, factors, ..
        } => {
            assert_eq!(purpose, FactorPurpose::Verify);
            factors
        }
        other => panic!("expected the factor list, got {other:?}"),
    };
    let labels: Vec<&str> = factors.iter().map(|f| f.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Okta Verify push",
            "Okta Verify code",
            "Google Authenticator",
            "SMS to +1 XXX-XXX-0142",
            "Voice call to +1 XXX-XXX-0142",
            "Email to a...s@demo.test",
            "Security question",
            "RSA SecurID",
            "Security key or biometric (WebAuthn)",
            "Security key (U2F)",
            "Duo Security",
        ]
    );
    let browser_only: Vec<bool> = factors.iter().map(|f| f.needs_browser).collect();
    assert_eq!(browser_only.iter().filter(|b| **b).count(), 3);
    let webauthn = factors
        .iter()
        .find(|f| f.label.contains("WebAuthn"))
        .unwrap();
    flow.handle.choose_factor(&webauthn.key).await.unwrap();
    match flow.next().await {
        Stage::ContinueInBrowser {
            factor,
            can_choose_another,
            message,
            ..
        } => {
            assert_eq!(factor.map(|f| f.kind), Some(FactorKind::Browser));
            assert!(can_choose_another);
            assert!(message.contains("another factor"), "{message}");
        }
        other => panic!("expected the browser, got {other:?}"),
    }
    let question = factors
        .iter()
        .find(|f| f.kind == FactorKind::Question)
        .unwrap();
    flow.handle.choose_factor(&question.key).await.unwrap();
    assert!(matches!(flow.next().await, Stage::NeedsAnswer { .. }));
    flow.handle
        .submit_answer(Secret::new(DEMO_SECURITY_ANSWER))
        .await
        .unwrap();
    flow.expect_success("allfactors@demo.test").await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn an_rsa_token_is_enrolled_with_the_code_it_shows() {
    let harness = Harness::start().await;
    let mut flow = harness.sign_in("enrollall@demo.test", prefer(FactorKind::Token));
    match flow.next().await {
        Stage::NeedsCode {
            factor,
            purpose,
            code_format,
            ..
        } => {
            assert_eq!(factor.label, "RSA SecurID");
            assert!(!factor.needs_browser);
            assert_eq!(purpose, CodePurpose::Activate);
            assert_eq!(code_format, CodeFormat::Text);
        }
        other => panic!("expected the token's code, got {other:?}"),
    }
    flow.handle
        .submit_code(Secret::new("00000000"))
        .await
        .unwrap();
    match flow.next().await {
        Stage::NeedsCode { last_error, .. } => {
            assert_eq!(last_error.expect("refused").kind, ErrorKind::InvalidCode);
        }
        other => panic!("expected the prompt again, got {other:?}"),
    }
    let code = harness.phone_code("enrollall@demo.test", "RSA SecurID");
    flow.handle.submit_code(Secret::new(code)).await.unwrap();
    flow.expect_success("enrollall@demo.test").await;
    harness.finish([flow]).await;
}
