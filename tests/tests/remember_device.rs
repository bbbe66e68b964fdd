//! "Remember this device" in the real window, against a demo org this test starts: the box
//! appears only where the org's policy allows it, with the policy's lifetime; checked, the
//! next sign-in from the account list skips the second factor; Okta's device cookie is kept
//! in the account's keychain item and nowhere the page can see. Screenshots go under
//! `target/e2e-screenshots/` as in `flows.rs`.

mod common;

use common::{ONE_AT_A_TIME, TestResult, Window, demo_org, launch_on, org_url};
use oktadesk_demo_org::{DEMO_PASSWORD, DemoOrgConfig};
use oktadesk_e2e::Desktop;

/// 13. totp@demo.test: the code screen offers to remember this device for a day; checked,
///     the code signs in and the account is remembered with the device cookie. The next run
///     signs in from the account list with the password alone. multi@ (no such policy) is
///     never offered the box.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remembered_device_signs_in_again_with_the_password_alone() -> TestResult {
    let _serial = ONE_AT_A_TIME.lock().await;
    let org = demo_org(DemoOrgConfig::default()).await?;
    let desktop = Desktop::start()?;

    let app = launch_on(&desktop, &org_url(&org)).await?;
    let window = Window(app.client());
    window.add_account("totp@demo.test").await?;
    window.enter_password(DEMO_PASSWORD).await?;
    window
        .wait_text("h1.screen-title", "Enter your code")
        .await?;
    window
        .wait_text("[data-remember-text]", "Remember this device for 1 day")
        .await?;
    let remember = window.find("#code-remember-device").await?;
    assert_eq!(remember.prop("checked").await?, Some("false".into()));
    window.click("#code-remember-device").await?;
    window.screenshot("flow-30-remember-device").await?;
    let code = window
        .wait_shown("#phone-code")
        .await?
        .attr("data-code")
        .await?
        .ok_or("the phone shows no code")?;
    window.type_into("#code", &code).await?;
    window.wait_text("#success-who", "Toby Totp").await?;
    window
        .wait_text("#success-handoff-note", "stays signed in as them")
        .await?;
    window
        .wait_text("#success-remembered", "Remembered")
        .await?;

    let items = desktop
        .services()
        .secrets()
        .search_items(&[("service", oktadesk_accounts::SERVICE)])?;
    assert_eq!(items.len(), 1, "{items:#?}");
    assert!(
        items[0].secret.contains("\"device_cookie\""),
        "the device cookie is kept in the keychain item"
    );
    let page = app.client().source().await?;
    let cookie_value = items[0]
        .secret
        .split("\"device_cookie\":\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .ok_or("the record's device cookie is not a string")?;
    assert!(
        !page.contains(cookie_value),
        "the page never sees the device cookie"
    );
    app.close().await?;

    let app = launch_on(&desktop, &org_url(&org)).await?;
    let window = Window(app.client());
    window.click("#account-list .account-main").await?;
    window.wait_text("#password-who", "totp@demo.test").await?;
    window.enter_password(DEMO_PASSWORD).await?;
    window.wait_text("#success-who", "Toby Totp").await?;
    window
        .screenshot("flow-31-remembered-device-signed-in")
        .await?;
    app.close().await?;
    Ok(())
}

/// 14. multi@demo.test: the org's policy does not let devices be remembered, so the factor
///     list and the code screen show no such box.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_remember_box_where_the_org_does_not_allow_it() -> TestResult {
    let _serial = ONE_AT_A_TIME.lock().await;
    let org = demo_org(DemoOrgConfig::default()).await?;
    let desktop = Desktop::start()?;
    let app = launch_on(&desktop, &org_url(&org)).await?;
    let window = Window(app.client());
    window.add_account("multi@demo.test").await?;
    window.enter_password(DEMO_PASSWORD).await?;
    window
        .wait_text("h1.screen-title", "Verify it's you")
        .await?;
    assert!(
        !window
            .find("#factors-remember-device")
            .await?
            .is_displayed()
            .await?,
        "no box where the policy does not allow it"
    );
    window.click("#factor-list [data-factor='totp']").await?;
    window
        .wait_text("h1.screen-title", "Enter your code")
        .await?;
    assert!(
        !window
            .find("#code-remember-device")
            .await?
            .is_displayed()
            .await?
    );
    app.close().await?;
    Ok(())
}
