//! The Identity Engine driver against the demo org in Identity Engine mode, over HTTP: the
//! steps besides Okta Verify. An authenticator app set up by QR and key, codes texted and
//! emailed, a security question, expired and expiring passwords, the password alone, a
//! locked account, a wrong password, and a security key only the browser can set up.

mod common;

use common::{Flow, Harness, idx_options};
use oktadesk_core::{
    CodePurpose, ErrorKind, FactorKind, FactorPurpose, FlowOptions, QrUriKind, Secret, Stage,
};
use oktadesk_demo_org::{DEMO_PASSWORD, DEMO_SECURITY_ANSWER};

/// A fresh password the demo org's policy accepts.
const NEW_PASSWORD: &str = "Brand-New-Pa55word!";

/// The code prompt: the factor it is for, and why the last code was refused, if it was.
async fn expect_code(flow: &mut Flow, purpose: CodePurpose) -> (FactorKind, Option<ErrorKind>) {
    match flow.next().await {
        Stage::NeedsCode {
            factor,
            purpose: actual,
            last_error,
            ..
        } => {
            assert_eq!(actual, purpose);
            (factor.kind, last_error.map(|error| error.kind))
        }
        other => panic!(
            "expected a code prompt, got {other:?}\n{}",
            flow.handle.transcript()
        ),
    }
}

#[tokio::test]
async fn an_authenticator_app_is_set_up_by_qr_and_key_then_its_code() {
    let harness = Harness::start_idx().await;
    let mut flow = harness.sign_in_idx("google@demo.test", FlowOptions::default());
    let png = match flow.next().await {
        Stage::EnrollQr(qr) => {
            assert_eq!(qr.factor, FactorKind::Google);
            assert_eq!(qr.uri_kind, QrUriKind::Otpauth);
            let key = qr.shared_secret.as_ref().expect("a key to type in");
            assert!(!key.expose().is_empty());
            qr.original_png.expose().to_vec()
        }
        other => panic!(
            "expected the QR code, got {other:?}\n{}",
            flow.handle.transcript()
        ),
    };
    harness.org.phone("google@demo.test").scan(&png).unwrap();
    let (kind, _) = expect_code(&mut flow, CodePurpose::Activate).await;
    assert_eq!(kind, FactorKind::Google);
    let code = harness.phone_code("google@demo.test", "");
    flow.handle.submit_code(Secret::new(code)).await.unwrap();
    flow.expect_success("google@demo.test").await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn a_texted_code_from_the_inbox_signs_in_and_a_wrong_one_is_explained() {
    let harness = Harness::start_idx().await;
    let mut flow = harness.sign_in_idx("sms@demo.test", FlowOptions::default());
    let (kind, last_error) = expect_code(&mut flow, CodePurpose::Verify).await;
    assert_eq!((kind, last_error), (FactorKind::Sms, None));
    let code = harness.inbox_code("sms@demo.test");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    flow.handle.submit_code(Secret::new(wrong)).await.unwrap();
    let (_, last_error) = expect_code(&mut flow, CodePurpose::Verify).await;
    assert_eq!(last_error, Some(ErrorKind::InvalidCode));
    flow.handle.submit_code(Secret::new(code)).await.unwrap();
    flow.expect_success("sms@demo.test").await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn an_emailed_code_from_the_inbox_signs_in() {
    let harness = Harness::start_idx().await;
    let mut flow = harness.sign_in_idx("email@demo.test", FlowOptions::default());
    let (kind, _) = expect_code(&mut flow, CodePurpose::Verify).await;
    assert_eq!(kind, FactorKind::Email);
    let code = harness.inbox_code("email@demo.test");
    flow.handle.submit_code(Secret::new(code)).await.unwrap();
    flow.expect_success("email@demo.test").await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn a_security_question_wrong_then_right() {
    let harness = Harness::start_idx().await;
    let mut flow = harness.sign_in_idx("question@demo.test", FlowOptions::default());
    match flow.next().await {
        Stage::NeedsAnswer {
            factor,
            question,
            last_error,
            ..
        } => {
            assert_eq!(factor.kind, FactorKind::Question);
            assert!(!question.is_empty());
            assert!(last_error.is_none());
        }
        other => panic!(
            "expected the question, got {other:?}\n{}",
            flow.handle.transcript()
        ),
    }
    flow.handle
        .submit_answer(Secret::new("mayonnaise"))
        .await
        .unwrap();
    match flow.next().await {
        Stage::NeedsAnswer { last_error, .. } => {
            assert!(last_error.is_some(), "the refusal is explained");
        }
        other => panic!("expected the question again, got {other:?}"),
    }
    flow.handle
        .submit_answer(Secret::new(DEMO_SECURITY_ANSWER))
        .await
        .unwrap();
    flow.expect_success("question@demo.test").await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn an_expired_password_must_be_changed_and_the_new_one_works() {
    let harness = Harness::start_idx().await;
    let mut flow = harness.sign_in_idx("expired@demo.test", FlowOptions::default());
    match flow.next().await {
        Stage::PasswordExpired { last_error, .. } => assert!(last_error.is_none()),
        other => panic!(
            "expected an expired password, got {other:?}\n{}",
            flow.handle.transcript()
        ),
    }
    assert_eq!(
        flow.handle.skip().await.unwrap_err().kind(),
        ErrorKind::InvalidCommand
    );
    // A new password the policy refuses: Okta's reason, and the prompt again.
    flow.handle
        .change_password(Secret::new(DEMO_PASSWORD), Secret::new("short"))
        .await
        .unwrap();
    match flow.next().await {
        Stage::PasswordExpired { last_error, .. } => {
            let error = last_error.expect("the refusal is explained");
            assert_eq!(error.kind, ErrorKind::PasswordChangeRejected);
        }
        other => panic!("expected the password prompt again, got {other:?}"),
    }
    flow.handle
        .change_password(Secret::new(DEMO_PASSWORD), Secret::new(NEW_PASSWORD))
        .await
        .unwrap();
    flow.expect_success("expired@demo.test").await;
    let mut again = harness.sign_in_as(
        "expired@demo.test",
        NEW_PASSWORD,
        idx_options(FlowOptions::default()),
        None,
    );
    again.expect_success("expired@demo.test").await;
    harness.finish([flow, again]).await;
}

#[tokio::test]
async fn an_expiring_password_warning_can_be_skipped() {
    let harness = Harness::start_idx().await;
    let mut flow = harness.sign_in_idx("warn@demo.test", FlowOptions::default());
    match flow.next().await {
        Stage::PasswordWarn {
            can_skip,
            last_error,
            ..
        } => {
            assert!(can_skip);
            assert!(last_error.is_none());
        }
        other => panic!(
            "expected a password warning, got {other:?}\n{}",
            flow.handle.transcript()
        ),
    }
    flow.handle.skip().await.unwrap();
    flow.expect_success("warn@demo.test").await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn the_password_alone_signs_in_where_no_second_factor_is_asked() {
    let harness = Harness::start_idx().await;
    let mut flow = harness.sign_in_idx("nomfa@demo.test", FlowOptions::default());
    let (user, session) = flow.expect_signed_in("nomfa@demo.test").await;
    assert_eq!(user.display_name(), "Noah Nomfa");
    assert!(!session.has_browser_session());
    harness.finish([flow]).await;
}

#[tokio::test]
async fn a_wrong_password_ends_the_sign_in_as_wrong_credentials() {
    let harness = Harness::start_idx().await;
    let mut flow = harness.sign_in_as(
        "nomfa@demo.test",
        "not-the-password",
        idx_options(FlowOptions::default()),
        None,
    );
    flow.expect_failure(ErrorKind::Credentials).await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn a_locked_account_answers_as_a_wrong_password_on_a_default_org() {
    let harness = Harness::start_idx().await;
    let mut flow = harness.sign_in_idx("locked@demo.test", FlowOptions::default());
    flow.expect_failure(ErrorKind::Credentials).await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn a_required_security_key_sends_the_person_to_the_browser() {
    let harness = Harness::start_idx().await;
    let mut flow = harness.sign_in_idx("webauthn@demo.test", FlowOptions::default());
    // The org offers Okta Verify beside the security key it requires: the person picks.
    let key = match flow.next().await {
        Stage::NeedsFactorChoice {
            purpose, factors, ..
        } => {
            assert_eq!(purpose, FactorPurpose::Enroll);
            let key = factors
                .iter()
                .find(|factor| factor.kind == FactorKind::Browser)
                .expect("the security key is offered");
            assert!(key.needs_browser);
            key.key.clone()
        }
        other => panic!(
            "expected the enrollment choice, got {other:?}\n{}",
            flow.handle.transcript()
        ),
    };
    flow.handle.choose_factor(&key).await.unwrap();
    match flow.next().await {
        Stage::ContinueInBrowser {
            factor,
            message,
            url,
            can_choose_another,
        } => {
            assert_eq!(factor.map(|factor| factor.key), Some(key));
            assert!(message.contains("browser"), "{message}");
            assert_eq!(url, harness.org_url.to_string());
            assert!(can_choose_another, "Okta Verify is still offered");
        }
        other => panic!(
            "expected the browser, got {other:?}\n{}",
            flow.handle.transcript()
        ),
    }
    flow.handle.cancel().await.unwrap();
    flow.expect_failure(ErrorKind::Cancelled).await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn a_voice_call_code_from_the_inbox_signs_in() {
    let harness = Harness::start_idx().await;
    let mut flow = harness.sign_in_idx("call@demo.test", FlowOptions::default());
    let (kind, _) = expect_code(&mut flow, CodePurpose::Verify).await;
    assert_eq!(kind, FactorKind::Call);
    let code = harness.inbox_code("call@demo.test");
    flow.handle.submit_code(Secret::new(code)).await.unwrap();
    flow.expect_success("call@demo.test").await;
    harness.finish([flow]).await;
}

/// Okta Verify set up through the activation link Okta emails (`select-enrollment-channel`,
/// `enrollment-channel-data`), opened on the phone instead of scanning the QR code.
#[tokio::test]
async fn okta_verify_is_enrolled_through_the_emailed_activation_link() {
    let harness = Harness::start_idx().await;
    let mut flow = harness.sign_in_idx("enroll@demo.test", FlowOptions::default());
    match flow.next().await {
        Stage::EnrollQr(qr) => assert!(
            qr.link_channels
                .contains(&oktadesk_core::LinkChannel::Email),
            "{:?}",
            qr.link_channels
        ),
        other => panic!(
            "expected the QR code, got {other:?}\n{}",
            flow.handle.transcript()
        ),
    }
    flow.handle
        .send_activation_link(oktadesk_core::ActivationLink::Email)
        .await
        .unwrap();
    loop {
        match flow.next().await {
            Stage::ActivationLinkSent { channel } => {
                assert_eq!(channel, oktadesk_core::LinkChannel::Email);
                break;
            }
            Stage::EnrollQr(_) => {}
            other => panic!(
                "expected the link to be sent, got {other:?}\n{}",
                flow.handle.transcript()
            ),
        }
    }
    // The phone opens the newest link in the inbox, as a person taps it in the email. (The
    // core's reqwest has no crypto provider of its own: the core installs ring's.)
    let _ = rustls::crypto::ring::default_provider().install_default();
    let opened = reqwest::Client::new()
        .post(
            harness
                .org_url
                .join("/_demo/phone/enroll@demo.test/open")
                .as_str(),
        )
        .send()
        .await
        .unwrap();
    assert!(opened.status().is_success(), "{}", opened.status());
    flow.expect_success("enroll@demo.test").await;
    harness.finish([flow]).await;
}
