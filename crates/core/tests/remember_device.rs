//! "Remember this device" against the demo org over HTTP: the offer the policy allows, the
//! device cookie kept between sign-ins, MFA skipped on the next sign-in and asked again once
//! the policy's lifetime has run out on the org's clock.

mod common;

use std::time::Duration;

use common::Harness;
use oktadesk_core::{FactorKind, FlowOptions, RememberDeviceOffer, Secret, Stage};

const DAY: RememberDeviceOffer = RememberDeviceOffer {
    lifetime_minutes: Some(1440),
    checked: false,
};

/// totp@ to its code screen; returns the offer it showed.
async fn to_code(flow: &mut common::Flow) -> Option<RememberDeviceOffer> {
    match flow.next().await {
        Stage::NeedsCode {
            remember_device, ..
        } => remember_device,
        other => panic!("expected a code screen, got {other:?}"),
    }
}

#[tokio::test]
async fn a_remembered_device_skips_mfa_until_the_lifetime_runs_out() {
    let org = Harness::start().await;
    let login = "totp@demo.test";

    let mut first = org.sign_in(login, FlowOptions::default());
    assert_eq!(to_code(&mut first).await, Some(DAY), "offered, unchecked");
    first.handle.remember_device(true);
    let code = org.phone_code(login, "127.0.0.1");
    first.handle.submit_code(Secret::new(code)).await.unwrap();
    first.expect_success(login).await;
    let device = first
        .handle
        .device_token()
        .expect("the org set a device cookie");

    let mut second = org.sign_in_on_device(login, FlowOptions::default(), Some(device.clone()));
    second.expect_success(login).await;
    let kept = second.handle.device_token().expect("the cookie stays");
    assert_eq!(kept, device, "a known device keeps its token");

    org.org.advance_clock(Duration::from_secs(24 * 60 * 60));
    let mut later = org.sign_in_on_device(login, FlowOptions::default(), Some(device));
    assert!(
        to_code(&mut later).await.is_some(),
        "asked again after a day"
    );
    later.handle.cancel().await.unwrap();

    org.finish([first, second, later]).await;
}

#[tokio::test]
async fn a_device_is_not_remembered_unless_the_person_asks() {
    let org = Harness::start().await;
    let login = "totp@demo.test";
    let mut first = org.sign_in(login, FlowOptions::default());
    assert!(to_code(&mut first).await.is_some());
    let code = org.phone_code(login, "127.0.0.1");
    first.handle.submit_code(Secret::new(code)).await.unwrap();
    first.expect_success(login).await;
    let device = first
        .handle
        .device_token()
        .expect("the org set a device cookie");

    let mut second = org.sign_in_on_device(login, FlowOptions::default(), Some(device));
    assert!(to_code(&mut second).await.is_some(), "MFA again");
    second.handle.cancel().await.unwrap();
    org.finish([first, second]).await;
}

#[tokio::test]
async fn the_choice_made_while_a_push_waits_is_sent_with_the_poll() {
    let org = Harness::start().await;
    let login = "push@demo.test";
    let mut first = org.sign_in(login, common::prefer(FactorKind::Push));
    match first.next().await {
        Stage::PushSent {
            remember_device, ..
        } => assert_eq!(remember_device, Some(DAY)),
        other => panic!("expected a push, got {other:?}"),
    }
    first.handle.remember_device(true);
    org.org.phone(login).approve(None).unwrap();
    first.expect_success(login).await;
    let device = first.handle.device_token();

    let mut second = org.sign_in_on_device(login, FlowOptions::default(), device);
    second.expect_success(login).await;
    org.finish([first, second]).await;
}

#[tokio::test]
async fn nothing_is_offered_where_the_policy_does_not_allow_it() {
    let org = Harness::start().await;
    let login = "multi@demo.test";
    let options = FlowOptions {
        remember_device: true,
        ..FlowOptions::default()
    };
    let mut first = org.sign_in(login, options.clone());
    match first.next().await {
        Stage::NeedsFactorChoice {
            remember_device, ..
        } => assert_eq!(remember_device, None),
        other => panic!("expected the factor list, got {other:?}"),
    }
    let totp = pick_totp(&first);
    first.handle.choose_factor(totp).await.unwrap();
    let code = org.phone_code(login, "127.0.0.1");
    assert_eq!(to_code(&mut first).await, None);
    first.handle.submit_code(Secret::new(code)).await.unwrap();
    first.expect_success(login).await;

    let mut second = org.sign_in_on_device(login, options, first.handle.device_token());
    assert!(matches!(
        second.next().await,
        Stage::NeedsFactorChoice { .. }
    ));
    second.handle.cancel().await.unwrap();
    org.finish([first, second]).await;
}

/// The key of multi@'s Okta Verify code factor, read from the org's own list.
fn pick_totp(flow: &common::Flow) -> String {
    flow.seen
        .iter()
        .rev()
        .find_map(|seen| {
            let stage: serde_json::Value = serde_json::from_str(seen).ok()?;
            stage["factors"]
                .as_array()?
                .iter()
                .find(|factor| factor["kind"] == "totp")
                .and_then(|factor| factor["key"].as_str())
                .map(str::to_owned)
        })
        .expect("the list offers the code")
}
