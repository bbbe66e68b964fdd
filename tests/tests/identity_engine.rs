//! An Identity Engine demo org in the real window: Add account finds the engine and fills in
//! the demo org's OktaDesk app, and the sign-in goes through IDX (interact, remediations,
//! interaction code): Okta Verify enrolled by QR, and a push with a number challenge. The
//! success screen says honestly that there is no browser session to hand over. Screenshots go
//! under `target/e2e-screenshots/` as in `flows.rs`.

mod common;

use common::{
    ONE_AT_A_TIME, TestResult, Window, demo_org, launch_on, org_url, wait_for_notification,
};
use oktadesk_demo_org::{DEMO_OIDC_CLIENT_ID, DEMO_PASSWORD, DemoEngine, DemoOrgConfig};
use oktadesk_e2e::Desktop;

fn identity_engine() -> DemoOrgConfig {
    DemoOrgConfig {
        engine: DemoEngine::IdentityEngine,
        ..DemoOrgConfig::default()
    }
}

/// 17. enroll@demo.test on an Identity Engine org: the engine and the app's client ID show
///     on Add account; the QR code comes through IDX, the demo phone scans it, and the
///     person is signed in, with no browser hand-off offered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn okta_verify_is_enrolled_by_qr_through_identity_engine() -> TestResult {
    let _serial = ONE_AT_A_TIME.lock().await;
    let org = demo_org(identity_engine()).await?;
    let desktop = Desktop::start()?;
    let app = launch_on(&desktop, &org_url(&org)).await?;
    let window = Window(app.client());

    window
        .wait_text("#org-engine", "Okta Identity Engine")
        .await?;
    window.wait_shown("#client-id").await?;
    assert_eq!(window.value("#client-id").await?, DEMO_OIDC_CLIENT_ID);
    window
        .wait_text("#client-id-hint", "com.oktadesk.app:/callback")
        .await?;
    window.screenshot("flow-33-idx-add-account").await?;
    window.add_account("enroll@demo.test").await?;
    window.enter_password(DEMO_PASSWORD).await?;

    window
        .wait_text("h1.screen-title", "Set up Okta Verify")
        .await?;
    window.wait_shown("#qr svg").await?;
    window.wait_shown("#phone-scan").await?;
    window.screenshot("flow-34-idx-enroll-qr").await?;
    window.click("#phone-scan").await?;

    window.wait_text("#success-who", "Erin Enroll").await?;
    assert!(
        !window.find("#open-dashboard").await?.is_displayed().await?,
        "no browser session to hand over"
    );
    window
        .wait_text("#success-handoff-note", "no browser session")
        .await?;
    window.screenshot("flow-35-idx-success").await?;

    // The transcript names the way the sign-in went.
    let transcript = app.client().source().await?;
    assert!(!transcript.contains(DEMO_PASSWORD));
    app.close().await?;
    Ok(())
}

/// 18. number@demo.test on an Identity Engine org: the push comes through IDX's
///     challenge-poll, the number to tap is shown and notified, and tapping it on the demo
///     phone signs in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_with_a_number_challenge_is_answered_through_identity_engine() -> TestResult {
    let _serial = ONE_AT_A_TIME.lock().await;
    let org = demo_org(identity_engine()).await?;
    let desktop = Desktop::start()?;
    let app = launch_on(&desktop, &org_url(&org)).await?;
    let window = Window(app.client());

    window.wait_shown("#client-id").await?;
    window.add_account("number@demo.test").await?;
    window.enter_password(DEMO_PASSWORD).await?;

    let number = window.wait_shown("#push-number").await?.text().await?;
    let number: u8 = number.trim().parse()?;
    assert_eq!(
        window.title().await?,
        format!("Tap {number} in Okta Verify")
    );
    wait_for_notification(
        desktop.services().notifications(),
        &format!("Tap {number} in Okta Verify"),
    )
    .await?;
    window
        .wait_shown(&format!("#phone-number-{number}"))
        .await?;
    window.screenshot("flow-36-idx-number-challenge").await?;
    window.click(&format!("#phone-number-{number}")).await?;
    window.wait_text("#success-who", "Nora Number").await?;
    app.close().await?;
    Ok(())
}

/// 19. `--demo` (what `cargo xtask run` opens) serves a Classic and an Identity Engine demo
///     org: Add account offers both, and a push through the Identity Engine one is answered
///     on its own demo phone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_in_app_demo_offers_both_engines() -> TestResult {
    let _serial = ONE_AT_A_TIME.lock().await;
    let desktop = Desktop::start()?;
    let app = desktop.launch(&["--demo", "--notify-always"]).await?;
    let window = Window(app.client());

    window.wait_shown("#demo-orgs").await?;
    let classic = window.value("#org-url").await?;
    window
        .wait_text("#org-engine", "Okta Classic Engine")
        .await?;
    assert!(!window.find("#client-id").await?.is_displayed().await?);
    window.click("#demo-org-idx").await?;
    window
        .wait_text("#org-engine", "Okta Identity Engine")
        .await?;
    assert_ne!(window.value("#org-url").await?, classic, "another org");
    window.wait_shown("#client-id").await?;
    assert_eq!(window.value("#client-id").await?, DEMO_OIDC_CLIENT_ID);
    window.screenshot("flow-37-demo-both-engines").await?;

    window.add_account("push@demo.test").await?;
    window.enter_password(DEMO_PASSWORD).await?;
    window
        .wait_text("h1.screen-title", "Check your phone")
        .await?;
    window.click("#phone-approve").await?;
    window.wait_text("#success-who", "Pat Push").await?;
    app.close().await?;
    Ok(())
}
