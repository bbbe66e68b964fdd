//! The Identity Engine driver at parity with Classic, against the demo org over HTTP:
//! "Keep me signed in" remembering the device (the person's remember-device choice, the
//! device cookie kept between sign-ins), a hardware token enrolled with its code, and a
//! security question of one's own.

mod common;

use common::{Flow, Harness, idx_options, long_lived_org};
use oktadesk_core::{
    CodeFormat, CodePurpose, ErrorKind, FactorKind, FactorPurpose, FlowOptions,
    RememberDeviceOffer, Secret, Stage,
};
use oktadesk_demo_org::{DemoEngine, DemoOrgConfig, IdxOptions};

const SMS_USER: &str = "sms@demo.test";

async fn start_idx_with(options: IdxOptions) -> Harness {
    Harness::start_with(DemoOrgConfig {
        engine: DemoEngine::IdentityEngine,
        idx: options,
        ..long_lived_org()
    })
    .await
}

fn remembering(remember: bool) -> FlowOptions {
    idx_options(FlowOptions {
        remember_device: remember,
        ..FlowOptions::default()
    })
}

/// The SMS code screen: the offer it shows.
async fn to_sms_code(flow: &mut Flow) -> Option<RememberDeviceOffer> {
    match flow.next().await {
        Stage::NeedsCode {
            factor,
            purpose: CodePurpose::Verify,
            remember_device,
            ..
        } => {
            assert_eq!(factor.kind, FactorKind::Sms);
            remember_device
        }
        other => panic!(
            "expected the SMS code, got {other:?}\n{}",
            flow.handle.transcript()
        ),
    }
}

const OFFERED: RememberDeviceOffer = RememberDeviceOffer {
    lifetime_minutes: None,
    checked: false,
};

#[tokio::test]
async fn keep_me_signed_in_skips_the_second_factor_from_the_same_device() {
    let harness = Harness::start_idx().await;
    let mut first = harness.sign_in(SMS_USER, remembering(true));
    let offer = to_sms_code(&mut first).await;
    assert_eq!(
        offer,
        Some(RememberDeviceOffer {
            checked: true,
            ..OFFERED
        })
    );
    let code = harness.inbox_code(SMS_USER);
    first.handle.submit_code(Secret::new(code)).await.unwrap();
    first.expect_success(SMS_USER).await;
    let device = first.handle.device_token().expect("a device cookie");
    assert!(
        first.handle.transcript().to_string().contains("rememberMe"),
        "the identify sent rememberMe"
    );

    let mut second = harness.sign_in_on_device(SMS_USER, remembering(false), Some(device.clone()));
    second.expect_success(SMS_USER).await;
    assert_eq!(second.handle.device_token(), Some(device));

    let mut elsewhere = harness.sign_in(SMS_USER, remembering(false));
    assert_eq!(to_sms_code(&mut elsewhere).await, Some(OFFERED));
    elsewhere.handle.cancel().await.unwrap();
    harness.finish([first, second, elsewhere]).await;
}

#[tokio::test]
async fn without_remembering_the_second_factor_is_asked_again() {
    let harness = Harness::start_idx().await;
    let mut first = harness.sign_in(SMS_USER, remembering(false));
    assert_eq!(to_sms_code(&mut first).await, Some(OFFERED));
    let code = harness.inbox_code(SMS_USER);
    first.handle.submit_code(Secret::new(code)).await.unwrap();
    first.expect_success(SMS_USER).await;
    let device = first.handle.device_token().expect("a device cookie");

    let mut second = harness.sign_in_on_device(SMS_USER, remembering(false), Some(device));
    assert!(to_sms_code(&mut second).await.is_some(), "asked again");
    second.handle.cancel().await.unwrap();
    harness.finish([first, second]).await;
}

#[tokio::test]
async fn a_choice_made_at_the_code_reaches_okta_through_its_prompt() {
    let harness = start_idx_with(IdxOptions {
        keep_me_signed_in_prompt: true,
        ..IdxOptions::default()
    })
    .await;
    let mut first = harness.sign_in(SMS_USER, remembering(false));
    assert_eq!(to_sms_code(&mut first).await, Some(OFFERED));
    first.handle.remember_device(true);
    let code = harness.inbox_code(SMS_USER);
    first.handle.submit_code(Secret::new(code)).await.unwrap();
    first.expect_success(SMS_USER).await;
    let transcript = first.handle.transcript().to_string();
    assert!(transcript.contains("keepMeSignedIn: true"), "{transcript}");
    let device = first.handle.device_token().expect("a device cookie");

    let mut second = harness.sign_in_on_device(SMS_USER, remembering(false), Some(device));
    second.expect_success(SMS_USER).await;
    harness.finish([first, second]).await;
}

/// The enrollment choice: the key of the factor of `kind` the person can set up here.
async fn enroll_choice(flow: &mut Flow, kind: FactorKind) -> String {
    match flow.next().await {
        Stage::NeedsFactorChoice {
            purpose: FactorPurpose::Enroll,
            factors,
            remember_device,
            ..
        } => {
            assert_eq!(remember_device, None, "nothing to remember while enrolling");
            let factor = factors
                .iter()
                .find(|factor| factor.kind == kind)
                .unwrap_or_else(|| panic!("no {kind:?} among {factors:?}"));
            assert!(!factor.needs_browser, "{factor:?}");
            factor.key.clone()
        }
        other => panic!(
            "expected the enrollment choice, got {other:?}\n{}",
            flow.handle.transcript()
        ),
    }
}

/// Skips the optional enrollments left and expects success.
async fn skip_the_rest(flow: &mut Flow, login: &str) {
    match flow.next().await {
        Stage::NeedsFactorChoice { can_skip: true, .. } => flow.handle.skip().await.unwrap(),
        other => panic!("expected the choice again, got {other:?}"),
    }
    flow.expect_success(login).await;
}

#[tokio::test]
async fn a_token_is_enrolled_with_the_code_it_shows_and_a_wrong_one_asked_again() {
    let harness = Harness::start_idx().await;
    let login = "enrollall@demo.test";
    let mut flow = harness.sign_in_idx(login, FlowOptions::default());
    let key = enroll_choice(&mut flow, FactorKind::Token).await;
    flow.handle.choose_factor(key).await.unwrap();
    let code_prompt = |stage: Stage| match stage {
        Stage::NeedsCode {
            factor,
            purpose: CodePurpose::Activate,
            code_format,
            last_error,
            ..
        } => {
            assert_eq!(factor.kind, FactorKind::Token);
            assert_eq!(code_format, CodeFormat::Text);
            last_error.map(|error| error.kind)
        }
        other => panic!("expected the token's code, got {other:?}"),
    };
    assert_eq!(code_prompt(flow.next().await), None);
    flow.handle
        .submit_code(Secret::new("00000000"))
        .await
        .unwrap();
    assert_eq!(code_prompt(flow.next().await), Some(ErrorKind::InvalidCode));
    let code = harness.phone_code(login, "RSA SecurID");
    flow.handle.submit_code(Secret::new(code)).await.unwrap();
    skip_the_rest(&mut flow, login).await;
    harness.finish([flow]).await;
}

/// The question choice: whether one's own can be written, and why the last was refused.
async fn question_choice(flow: &mut Flow) -> (bool, Option<String>) {
    match flow.next().await {
        Stage::NeedsQuestionChoice {
            questions,
            can_write_own,
            last_error,
            ..
        } => {
            assert!(!questions.is_empty());
            assert!(questions.iter().all(|q| q.key != "custom"), "{questions:?}");
            (can_write_own, last_error.map(|error| error.message))
        }
        other => panic!(
            "expected the question choice, got {other:?}\n{}",
            flow.handle.transcript()
        ),
    }
}

#[tokio::test]
async fn a_question_of_ones_own_is_refused_with_okta_s_reason_then_set_up() {
    let harness = start_idx_with(IdxOptions {
        custom_security_questions: true,
        ..IdxOptions::default()
    })
    .await;
    let login = "enrollall@demo.test";
    let mut flow = harness.sign_in_idx(login, FlowOptions::default());
    let key = enroll_choice(&mut flow, FactorKind::Question).await;
    flow.handle.choose_factor(key).await.unwrap();
    assert_eq!(question_choice(&mut flow).await, (true, None));
    flow.handle
        .enroll_custom_question("<b>Who?</b>", Secret::new("my teacher"))
        .await
        .unwrap();
    let (_, refused) = question_choice(&mut flow).await;
    assert!(
        refused.as_deref().is_some_and(|m| m.contains("HTML")),
        "{refused:?}"
    );
    flow.handle
        .enroll_custom_question("Who was my first teacher?", Secret::new("abc"))
        .await
        .unwrap();
    let (_, refused) = question_choice(&mut flow).await;
    assert!(
        refused
            .as_deref()
            .is_some_and(|m| m.contains("4 characters")),
        "{refused:?}"
    );
    flow.handle
        .enroll_custom_question("Who was my first teacher?", Secret::new("Mrs Hudson"))
        .await
        .unwrap();
    skip_the_rest(&mut flow, login).await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn where_the_org_takes_only_its_questions_none_can_be_written() {
    let harness = Harness::start_idx().await;
    let login = "enrollall@demo.test";
    let mut flow = harness.sign_in_idx(login, FlowOptions::default());
    let key = enroll_choice(&mut flow, FactorKind::Question).await;
    flow.handle.choose_factor(key).await.unwrap();
    assert_eq!(question_choice(&mut flow).await, (false, None));
    let refused = flow
        .handle
        .enroll_custom_question("Who was my first teacher?", Secret::new("Mrs Hudson"))
        .await;
    assert!(refused.is_err(), "refused before it reaches Okta");
    flow.handle.cancel().await.unwrap();
    harness.finish([flow]).await;
}
