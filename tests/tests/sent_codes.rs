//! Codes Okta sends, in the real window, against a demo org this test starts: a voice call
//! (with "Send a new code" once Okta's interval has passed) and an email. The codes are read
//! from the demo phone's inbox, as a person would read their phone or mail. Screenshots go
//! under `target/e2e-screenshots/` as in `flows.rs`.

mod common;

use common::{ONE_AT_A_TIME, TestResult, Window, demo_org, launch_on, org_url};
use oktadesk_demo_org::{DEMO_PASSWORD, DemoOrgConfig};
use oktadesk_e2e::Desktop;

/// The code of the newest message of `channel` the demo phone shows.
async fn newest_code(
    window: &Window<'_>,
    channel: &str,
) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let shown = window
        .wait_shown(&format!("#phone-inbox [data-channel='{channel}']"))
        .await?
        .attr("data-code")
        .await?;
    Ok(shown.ok_or("the demo phone shows no code")?)
}

/// 15. call@demo.test: the code screen says the code comes by a voice call and when a new
///     one may be asked for; once Okta allows it, "Send a new code" calls again with a new
///     code, and that one signs in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_voice_call_code_can_be_sent_again_once_okta_allows_it() -> TestResult {
    let _serial = ONE_AT_A_TIME.lock().await;
    let org = demo_org(DemoOrgConfig::default()).await?;
    let desktop = Desktop::start()?;
    let app = launch_on(&desktop, &org_url(&org)).await?;
    let window = Window(app.client());
    window.add_account("call@demo.test").await?;
    window.enter_password(DEMO_PASSWORD).await?;

    window
        .wait_text("h1.screen-title", "Enter your code")
        .await?;
    window.wait_text("#code-lead", "by a voice call").await?;
    window
        .wait_text("#code-sent-to", "Sent to +1 XXX-XXX-0142")
        .await?;
    let first = newest_code(&window, "call").await?;
    // Okta calls once per 30 s: the button waits for it, then says a new code can be had.
    window
        .wait_text("#code-resend-wait", "Didn't get it?")
        .await?;
    assert!(window.find("#code-resend").await?.is_enabled().await?);
    window.screenshot("flow-32-voice-call-resend").await?;
    window.click("#code-resend").await?;
    let inbox = inbox_once_it_has(&org, "call@demo.test", 2)?;
    assert_eq!(inbox.len(), 2, "a second call was made");
    let second = inbox[1].code.clone();
    assert_ne!(first, second, "the new call reads out a new code");
    window.type_into("#code", &second).await?;
    window.wait_text("#success-who", "Cal Call").await?;
    app.close().await?;
    Ok(())
}

/// 16. email@demo.test: the code screen says the code was emailed; the emailed code signs in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_emailed_code_signs_in() -> TestResult {
    let _serial = ONE_AT_A_TIME.lock().await;
    let org = demo_org(DemoOrgConfig::default()).await?;
    let desktop = Desktop::start()?;
    let app = launch_on(&desktop, &org_url(&org)).await?;
    let window = Window(app.client());
    window.add_account("email@demo.test").await?;
    window.enter_password(DEMO_PASSWORD).await?;

    window
        .wait_text("h1.screen-title", "Enter your code")
        .await?;
    window.wait_text("#code-lead", "by email").await?;
    let code = newest_code(&window, "email").await?;
    window.type_into("#code", &code).await?;
    window.wait_text("#success-who", "Emma Email").await?;
    app.close().await?;
    Ok(())
}

/// What the org has sent `login`, once it holds `count` messages (or patience runs out).
fn inbox_once_it_has(
    org: &oktadesk_demo_org::DemoOrg,
    login: &str,
    count: usize,
) -> Result<Vec<oktadesk_demo_org::InboxMessage>, Box<dyn std::error::Error + Send + Sync>> {
    let started = std::time::Instant::now();
    loop {
        let inbox = org.phone(login).view()?.inbox;
        if inbox.len() >= count || started.elapsed() > common::PATIENCE {
            return Ok(inbox);
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}
