//! Codes Okta sends, against the demo org over HTTP: SMS, voice call and email verified and
//! enrolled, the code read from the user's inbox, a new one asked for once Okta allows.

mod common;

use std::time::Duration;

use common::{Flow, Harness, RESEND_AFTER, prefer};
use oktadesk_core::{CodeFormat, CodePurpose, ErrorInfo, ErrorKind, FactorKind, Secret, Stage};

/// The code prompt: its factor's kind, what it is for, its length, when a new code may be
/// asked for, and why the last one failed.
struct CodePrompt {
    kind: FactorKind,
    label: String,
    purpose: CodePurpose,
    digits: usize,
    resend_in_seconds: Option<u64>,
    last_error: Option<ErrorInfo>,
}

async fn code_prompt(flow: &mut Flow) -> CodePrompt {
    match flow.next().await {
        Stage::NeedsCode {
            factor,
            purpose,
            code_digits,
            code_format,
            resend_in_seconds,
            last_error,
            ..
        } => {
            assert_eq!(code_format, CodeFormat::Digits);
            CodePrompt {
                kind: factor.kind,
                label: factor.label,
                purpose,
                digits: code_digits,
                resend_in_seconds,
                last_error,
            }
        }
        other => panic!("expected a code prompt, got {other:?}"),
    }
}

#[tokio::test]
async fn an_sms_code_from_the_inbox_signs_in_and_a_wrong_one_is_explained() {
    let harness = Harness::start().await;
    let mut flow = harness.sign_in("sms@demo.test", Default::default());
    let prompt = code_prompt(&mut flow).await;
    assert_eq!(prompt.kind, FactorKind::Sms);
    assert_eq!(prompt.label, "SMS to +1 XXX-XXX-0142");
    assert_eq!(prompt.purpose, CodePurpose::Verify);
    assert_eq!(prompt.digits, 6);
    assert!(
        prompt.resend_in_seconds.is_some(),
        "a texted code can be sent again"
    );
    assert!(prompt.last_error.is_none());

    // Malformed: refused here, never sent to Okta.
    flow.handle.submit_code(Secret::new("123")).await.unwrap();
    let again = code_prompt(&mut flow).await;
    let error = again.last_error.expect("the refusal is explained");
    assert_eq!(error.kind, ErrorKind::InvalidCode);
    assert!(error.message.contains("text message"), "{}", error.message);

    let code = harness.inbox_code("sms@demo.test");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    flow.handle.submit_code(Secret::new(wrong)).await.unwrap();
    let again = code_prompt(&mut flow).await;
    let error = again.last_error.expect("Okta's refusal is explained");
    assert_eq!(error.kind, ErrorKind::InvalidCode);
    assert!(
        error.message.contains("+1 XXX-XXX-0142") && error.message.contains("new one"),
        "{}",
        error.message
    );
    flow.handle.submit_code(Secret::new(code)).await.unwrap();
    flow.expect_success("sms@demo.test").await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn a_new_sms_waits_for_okta_and_a_refusal_keeps_the_prompt() {
    let harness = Harness::start().await;
    let mut flow = harness.sign_in("sms@demo.test", Default::default());
    code_prompt(&mut flow).await;
    // Too soon by OktaDesk's own count: refused without a request.
    let refused = flow.handle.resend_code().await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::InvalidCommand);
    assert!(refused.to_string().contains("new code in"), "{refused}");

    // Too soon by Okta's (one SMS per 30 s): said, and the prompt stands.
    tokio::time::sleep(RESEND_AFTER + Duration::from_millis(100)).await;
    flow.handle.resend_code().await.unwrap();
    match flow.next().await {
        Stage::CommandFailed { error, .. } => assert_eq!(error.kind, ErrorKind::RateLimited),
        other => panic!("expected the refusal, got {other:?}"),
    }
    code_prompt(&mut flow).await;

    harness.org.advance_clock(Duration::from_secs(31));
    tokio::time::sleep(RESEND_AFTER + Duration::from_millis(100)).await;
    let sent = harness.inbox_len("sms@demo.test");
    flow.handle.resend_code().await.unwrap();
    let prompt = code_prompt(&mut flow).await;
    assert!(prompt.last_error.is_none());
    assert_eq!(harness.inbox_len("sms@demo.test"), sent + 1, "a new text");
    let code = harness.inbox_code("sms@demo.test");
    flow.handle.submit_code(Secret::new(code)).await.unwrap();
    flow.expect_success("sms@demo.test").await;
    assert!(
        flow.handle
            .transcript()
            .entries()
            .iter()
            .any(|entry| entry.path.ends_with("/verify/resend")
                && entry.error_code.as_deref() == Some("E0000109"))
    );
    harness.finish([flow]).await;
}

#[tokio::test]
async fn a_voice_call_code_has_five_digits_and_an_email_code_can_be_sent_again() {
    let harness = Harness::start().await;
    let mut call = harness.sign_in("call@demo.test", Default::default());
    let prompt = code_prompt(&mut call).await;
    assert_eq!((prompt.kind, prompt.digits), (FactorKind::Call, 5));
    assert_eq!(prompt.label, "Voice call to +1 XXX-XXX-0142");
    let code = harness.inbox_code("call@demo.test");
    call.handle.submit_code(Secret::new(code)).await.unwrap();
    call.expect_success("call@demo.test").await;

    let mut email = harness.sign_in("email@demo.test", Default::default());
    let prompt = code_prompt(&mut email).await;
    assert_eq!(prompt.kind, FactorKind::Email);
    assert_eq!(prompt.label, "Email to e...l@demo.test");
    tokio::time::sleep(RESEND_AFTER + Duration::from_millis(100)).await;
    email.handle.resend_code().await.unwrap();
    code_prompt(&mut email).await;
    assert_eq!(harness.inbox_len("email@demo.test"), 2);
    let code = harness.inbox_code("email@demo.test");
    email.handle.submit_code(Secret::new(code)).await.unwrap();
    email.expect_success("email@demo.test").await;
    harness.finish([call, email]).await;
}

#[tokio::test]
async fn sms_enrollment_asks_for_the_phone_then_the_texted_code() {
    let harness = Harness::start().await;
    let mut flow = harness.sign_in("enrollall@demo.test", prefer(FactorKind::Sms));
    match flow.next().await {
        Stage::NeedsPhoneNumber {
            factor,
            current_phone,
            last_error,
        } => {
            assert_eq!(factor.kind, FactorKind::Sms);
            assert_eq!(current_phone.as_deref(), Some("+1 XXX-XXX-0142"));
            assert!(last_error.is_none());
        }
        other => panic!("expected the phone prompt, got {other:?}"),
    }
    flow.handle.submit_phone_number("555").await.unwrap();
    match flow.next().await {
        Stage::NeedsPhoneNumber { last_error, .. } => {
            let error = last_error.expect("refused here, with how to write it");
            assert_eq!(error.kind, ErrorKind::InvalidPhoneNumber);
            assert!(error.message.contains("country code"), "{}", error.message);
        }
        other => panic!("expected the phone prompt again, got {other:?}"),
    }
    flow.handle
        .submit_phone_number("+15555550177")
        .await
        .unwrap();
    let prompt = code_prompt(&mut flow).await;
    assert_eq!(prompt.purpose, CodePurpose::Activate);
    assert_eq!(prompt.label, "SMS to +1 XXX-XXX-0177");
    let code = harness.inbox_code("enrollall@demo.test");
    flow.handle.submit_code(Secret::new(code)).await.unwrap();
    flow.expect_success("enrollall@demo.test").await;
    let enrolled = flow.handle.transcript().entries();
    assert!(
        enrolled
            .iter()
            .any(|entry| entry.path.ends_with("/authn/factors?updatePhone=true")),
        "the phone the account had is replaced: {enrolled:?}"
    );
    harness.finish([flow]).await;
}

#[tokio::test]
async fn voice_call_and_email_enrollments_take_the_code_sent() {
    let harness = Harness::start().await;
    let mut flow = harness.sign_in("enrollall@demo.test", prefer(FactorKind::Email));
    let prompt = code_prompt(&mut flow).await;
    assert_eq!(
        (prompt.kind, prompt.purpose),
        (FactorKind::Email, CodePurpose::Activate)
    );
    let code = harness.inbox_code("enrollall@demo.test");
    flow.handle.submit_code(Secret::new(code)).await.unwrap();
    flow.expect_success("enrollall@demo.test").await;

    harness.org.reset();
    let mut call = harness.sign_in("enrollall@demo.test", prefer(FactorKind::Call));
    assert!(matches!(call.next().await, Stage::NeedsPhoneNumber { .. }));
    call.handle
        .submit_phone_number("+15555550188")
        .await
        .unwrap();
    let prompt = code_prompt(&mut call).await;
    assert_eq!((prompt.kind, prompt.digits), (FactorKind::Call, 5));
    let code = harness.inbox_code("enrollall@demo.test");
    call.handle.submit_code(Secret::new(code)).await.unwrap();
    call.expect_success("enrollall@demo.test").await;
    harness.finish([flow, call]).await;
}

#[tokio::test]
async fn a_code_refused_as_too_soon_on_the_way_in_can_be_asked_for_again() {
    let harness = Harness::start().await;
    let mut first = harness.sign_in("sms@demo.test", Default::default());
    code_prompt(&mut first).await;
    first.handle.cancel().await.unwrap();
    first.expect_failure(ErrorKind::Cancelled).await;

    // A second sign-in at once: Okta sends no second SMS within 30 s.
    let mut flow = harness.sign_in("sms@demo.test", Default::default());
    match flow.next().await {
        Stage::CommandFailed { error, .. } => assert_eq!(error.kind, ErrorKind::RateLimited),
        other => panic!("expected the refusal, got {other:?}"),
    }
    harness.org.advance_clock(Duration::from_secs(31));
    flow.handle.resend_code().await.unwrap();
    let prompt = code_prompt(&mut flow).await;
    assert_eq!(prompt.kind, FactorKind::Sms);
    let code = harness.inbox_code("sms@demo.test");
    flow.handle.submit_code(Secret::new(code)).await.unwrap();
    flow.expect_success("sms@demo.test").await;
    harness.finish([first, flow]).await;
}
